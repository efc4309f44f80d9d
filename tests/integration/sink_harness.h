// Test helpers for driving the real library through its public C ABI: a connector whose log
// lines are captured, a credentials callback whose secret can rotate, and small wrappers for
// open/write. Header-only; reused by tests/exactly_once.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "sr_sink.h"

namespace srtest {

// Captures every log line; lets a test wait for a line containing some text (an event, not a
// sleep).
class LogCapture {
 public:
  static void callback(void* user_data, int32_t level, const char* message) {
    auto* self = static_cast<LogCapture*>(user_data);
    static const bool echo = std::getenv("SRTEST_LOG") != nullptr;  // debugging aid
    if (echo) std::fprintf(stderr, "[sr_sink %d] %s\n", level, message);
    std::lock_guard<std::mutex> lock(self->mu_);
    self->lines_.emplace_back(level, message);
    self->cv_.notify_all();
  }
  std::string all() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::string out;
    for (const auto& l : lines_) out += std::to_string(l.first) + " " + l.second + "\n";
    return out;
  }
  bool contains(const std::string& text) const { return all().find(text) != std::string::npos; }
  // Waits until a line containing `text` arrives; false after `timeout`.
  bool wait_for(const std::string& text, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, timeout, [&] {
      for (const auto& l : lines_) {
        if (l.second.find(text) != std::string::npos) return true;
      }
      return false;
    });
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::pair<int32_t, std::string>> lines_;
};

// A credentials provider. `password` is what normal calls return; once `rotated_password` is set,
// calls with after_auth_failure = 1 switch to it (like a host that refreshes its secret from a
// vault only when told the old one was refused).
class Credentials {
 public:
  explicit Credentials(std::string user = "root", std::string password = "")
      : user_(std::move(user)), password_(std::move(password)) {}

  static int32_t callback(void* user_data, const char* table, int32_t after_auth_failure,
                          char* user, char* password) {
    auto* self = static_cast<Credentials*>(user_data);
    std::lock_guard<std::mutex> lock(self->mu_);
    self->calls_++;
    self->last_table_ = table ? table : "";
    if (after_auth_failure) {
      self->auth_failure_calls_++;
      if (!self->rotated_.empty()) self->password_ = self->rotated_;
    }
    if (self->fail_) return 1;
    std::snprintf(user, SR_SINK_CREDENTIAL_USER_MAX, "%s", self->user_.c_str());
    std::snprintf(password, SR_SINK_CREDENTIAL_PASSWORD_MAX, "%s", self->password_.c_str());
    return 0;
  }
  static void release(void* user_data) { static_cast<Credentials*>(user_data)->released_++; }

  sr_sink_credentials c_struct() {
    sr_sink_credentials c;
    std::memset(&c, 0, sizeof(c));
    c.struct_size = sizeof(c);
    c.get = &Credentials::callback;
    c.user_data = this;
    c.release = &Credentials::release;
    return c;
  }
  void set_rotated_password(std::string p) {
    std::lock_guard<std::mutex> lock(mu_);
    rotated_ = std::move(p);
  }
  void set_password(std::string p) {
    std::lock_guard<std::mutex> lock(mu_);
    password_ = std::move(p);
  }
  void set_fail(bool f) {
    std::lock_guard<std::mutex> lock(mu_);
    fail_ = f;
  }
  int calls() const { std::lock_guard<std::mutex> l(mu_); return calls_; }
  int auth_failure_calls() const { std::lock_guard<std::mutex> l(mu_); return auth_failure_calls_; }
  int released() const { return released_.load(); }
  std::string last_table() const { std::lock_guard<std::mutex> l(mu_); return last_table_; }

 private:
  mutable std::mutex mu_;
  std::string user_, password_, rotated_, last_table_;
  bool fail_ = false;
  int calls_ = 0, auth_failure_calls_ = 0;
  std::atomic<int> released_{0};
};

// The suites run once per wire format: ctest sets SRTEST_FORMAT=csv for the CSV run; the
// option text to append inside an options object (empty for the default, json).
inline std::string format_option() {
  const char* f = std::getenv("SRTEST_FORMAT");
  return f && *f ? std::string(",\"format\":\"") + f + "\"" : std::string();
}

inline sr_sink_error new_error() {
  sr_sink_error e;
  std::memset(&e, 0, sizeof(e));
  e.struct_size = sizeof(e);
  return e;
}

// One connector with captured logs (DEBUG by default).
class Harness {
 public:
  explicit Harness(int32_t log_level = SR_SINK_LOG_DEBUG) {
    sr_sink_host host;
    std::memset(&host, 0, sizeof(host));
    host.struct_size = sizeof(host);
    host.log_level = log_level;
    host.log = &LogCapture::callback;
    host.log_user_data = &log;
    sr_sink_error err = new_error();
    status_ = sr_sink_connector_new(&host, &connector, &err);
  }
  ~Harness() { free_connector(); }
  // Frees the connector now (closing its sinks, releasing credentials): for tests whose
  // credentials objects die before the Harness.
  void free_connector() {
    sr_sink_connector_free(connector);
    connector = nullptr;
  }
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  bool ok() const { return status_ == SR_SINK_OK && connector; }

  int32_t add(const std::string& glob, const std::string& options, sr_sink_error* err = nullptr,
              Credentials* creds = nullptr) {
    sr_sink_credentials c = (creds ? creds : &credentials)->c_struct();
    return sr_sink_connector_add_sink(connector, glob.c_str(), options.c_str(), &c, err);
  }

  int32_t open(const std::string& table, const std::vector<std::string>& columns, sr_sink** out,
               sr_sink_error* err = nullptr, const std::string& instance_id = "",
               const std::string& restore_token = "") {
    std::vector<const char*> cols;
    for (const auto& c : columns) cols.push_back(c.c_str());
    sr_sink_open_params p;
    std::memset(&p, 0, sizeof(p));
    p.struct_size = sizeof(p);
    p.table = table.c_str();
    p.columns = cols.data();
    p.n_columns = (uint32_t)cols.size();
    p.instance_id = instance_id.empty() ? nullptr : instance_id.c_str();
    p.restore_token = restore_token.empty()
                          ? nullptr
                          : reinterpret_cast<const uint8_t*>(restore_token.data());
    p.restore_token_len = restore_token.size();
    return sr_sink_open(connector, &p, out, err);
  }

  LogCapture log;
  Credentials credentials;
  sr_sink_connector* connector = nullptr;

 private:
  int32_t status_ = -1;
};

// Writes rows (JSON object texts) with optional ops in one batch.
inline int32_t write_rows(sr_sink* sink, const std::vector<std::string>& rows,
                          const std::vector<uint8_t>& ops = {}, sr_sink_error* err = nullptr) {
  std::vector<sr_sink_slice> slices;
  for (const auto& r : rows) slices.push_back({r.data(), r.size()});
  sr_sink_batch b;
  std::memset(&b, 0, sizeof(b));
  b.struct_size = sizeof(b);
  b.n_rows = slices.size();
  b.rows = slices.data();
  b.ops = ops.empty() ? nullptr : ops.data();
  return sr_sink_write(sink, &b, err);
}

inline sr_sink_stats sink_stats(sr_sink* sink) {
  sr_sink_stats s;
  std::memset(&s, 0, sizeof(s));
  s.struct_size = sizeof(s);
  sr_sink_get_stats(sink, &s, nullptr);
  return s;
}

}  // namespace srtest
