// Test fixture: a real sr-emulator process on 127.0.0.1 with ports chosen by the kernel, and
// helpers for its admin API (/_emulator/...). Header-only; link the CMake target
// `sr_emulator_fixture` (tests/integration/CMakeLists.txt), which provides SR_EMULATOR_PATH and
// libcurl/cJSON. Reused by tests/exactly_once.
//
//   srtest::Emulator emu;                      // a fresh temp dir per instance
//   ASSERT_TRUE(emu.start()) << emu.error();   // waits for the JSON ready line (no sleeps)
//   emu.create_table("shop", "orders", R"([{"name":"id","type":"BIGINT","key":true}, ...])");
//   emu.rows("shop", "orders");                // NDJSON lines of the dump
//   emu.stat({"tables", "shop.orders", "upserts"});
//   emu.add_fault(R"({"point":"be_stream_load","action":"http_status","code":500})");
//   emu.restart();                             // SIGTERM, same --data-dir and ports
#pragma once
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

#ifndef SR_EMULATOR_PATH
#define SR_EMULATOR_PATH ""
#endif

namespace srtest {

// A directory under $TMPDIR (or /tmp) unique to this call; removed by nobody (ctest runs are
// short-lived and the names never collide).
inline std::string make_temp_dir(const char* tag = "srtest") {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/" + tag + "-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) return "";
  return buf.data();
}

// A TCP port on 127.0.0.1 where nothing listens (bound once by the kernel's choice, then closed),
// for "FE down" tests: connecting to it is refused at once.
inline int closed_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof(a);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
    port = ntohs(a.sin_port);
  }
  close(fd);
  return port;
}

struct HttpReply {
  long status = 0;  // 0: no answer (error says why)
  std::string body;
  std::string error;
};

// Plain HTTP for the admin API and for poking the emulator directly (no auth, no redirects).
inline HttpReply http_call(const std::string& method, const std::string& url,
                           const std::string& body = "", const std::string& auth_user = "",
                           const std::string& auth_password = "") {
  HttpReply r;
  CURL* c = curl_easy_init();
  if (!c) {
    r.error = "curl_easy_init failed";
    return r;
  }
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 30000L);
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
  // The admin API of a TLS emulator (tls_test.cpp): loopback, test-only, its certificate is not
  // what these calls check.
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
  if (method == "POST" || method == "PUT") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)body.size());
  }
  if (!auth_user.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, auth_user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, auth_password.c_str());
  }
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Expect:");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, +[](char* d, size_t s, size_t n, void* u) {
    static_cast<std::string*>(u)->append(d, s * n);
    return s * n;
  });
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
  CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK) {
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  } else {
    r.error = curl_easy_strerror(rc);
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(c);
  return r;
}

// Owning cJSON document with path lookups.
class Json {
 public:
  Json() = default;
  explicit Json(const std::string& text)
      : doc_(cJSON_ParseWithLength(text.data(), text.size()), &cJSON_Delete) {}
  bool ok() const { return doc_ != nullptr; }
  const cJSON* root() const { return doc_.get(); }
  // Object keys in order; nullptr if a step is missing.
  const cJSON* at(std::initializer_list<const char*> path) const {
    const cJSON* cur = doc_.get();
    for (const char* key : path) {
      if (!cur) return nullptr;
      cur = cJSON_GetObjectItemCaseSensitive(cur, key);
    }
    return cur;
  }
  int64_t integer(std::initializer_list<const char*> path, int64_t dflt = 0) const {
    const cJSON* v = at(path);
    return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : dflt;
  }
  std::string string(std::initializer_list<const char*> path) const {
    const cJSON* v = at(path);
    return cJSON_IsString(v) ? v->valuestring : "";
  }

 private:
  std::shared_ptr<cJSON> doc_{nullptr, &cJSON_Delete};
};

class Emulator {
 public:
  // `extra_args` are appended to the command line (e.g. {"--users", "alice:secret"}).
  explicit Emulator(std::vector<std::string> extra_args = {})
      : extra_args_(std::move(extra_args)), dir_(make_temp_dir("sr-emulator")) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
  }
  ~Emulator() { stop(); }
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  // Starts the process and waits for its ready line. With `use_data_dir`, passes
  // --data-dir <dir>/data so restart() keeps committed and prepared state.
  bool start(bool use_data_dir = false) {
    use_data_dir_ = use_data_dir;
    return spawn(0, {});
  }
  // SIGTERM (clean shutdown, journal flushed) and wait for the exit.
  void stop() { terminate(SIGTERM); }
  // SIGKILL: a crash.
  void kill() { terminate(SIGKILL); }
  // Stops (or kills) and starts again with the same data dir and, by default, the same ports so
  // URLs handed to the library stay valid.
  bool restart(bool crash = false, bool same_ports = true) {
    int fe = fe_port_;
    std::vector<int> be = be_ports_;
    terminate(crash ? SIGKILL : SIGTERM);
    return same_ports ? spawn(fe, be) : spawn(0, {});
  }

  bool running() const { return pid_ > 0; }
  const std::string& error() const { return error_; }
  int fe_port() const { return fe_port_; }
  const std::vector<int>& be_ports() const { return be_ports_; }
  int pid() const { return pid_; }
  // https when the emulator serves TLS (--tls-cert).
  std::string fe_url() const {
    bool tls = false;
    for (const std::string& a : extra_args_) tls = tls || a == "--tls-cert";
    return std::string(tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(fe_port_);
  }
  const std::string& dir() const { return dir_; }
  std::string stderr_text() const { return read_file(dir_ + "/stderr.log"); }

  // ---- admin API ----
  HttpReply admin(const std::string& method, const std::string& path,
                  const std::string& body = "") const {
    return http_call(method, fe_url() + path, body);
  }
  // `columns_json`: the JSON array of column objects of the contract.
  bool create_table(const std::string& db, const std::string& table,
                    const std::string& columns_json,
                    const std::string& keys_type = "PRIMARY_KEYS") const {
    HttpReply r = admin("POST", "/_emulator/tables",
                        "{\"db\":\"" + db + "\",\"table\":\"" + table + "\",\"keys_type\":\"" +
                            keys_type + "\",\"columns\":" + columns_json + "}");
    return r.status == 200;
  }
  bool drop_table(const std::string& db, const std::string& table) const {
    return admin("DELETE", "/_emulator/tables/" + db + "/" + table).status == 200;
  }
  // The table's rows as the dump prints them (one JSON object per line, sorted by key).
  std::vector<std::string> rows(const std::string& db, const std::string& table) const {
    HttpReply r = admin("GET", "/_emulator/tables/" + db + "/" + table + "/rows");
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos < r.body.size()) {
      size_t nl = r.body.find('\n', pos);
      std::string line = r.body.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
      pos = nl == std::string::npos ? r.body.size() : nl + 1;
      if (!line.empty()) out.push_back(line);
    }
    return out;
  }
  Json stats() const { return Json(admin("GET", "/_emulator/stats").body); }
  int64_t stat(std::initializer_list<const char*> path) const { return stats().integer(path); }
  // Returns the fault id, or -1.
  int add_fault(const std::string& fault_json) const {
    HttpReply r = admin("POST", "/_emulator/faults", fault_json);
    if (r.status != 200) return -1;
    return (int)Json(r.body).integer({"id"}, -1);
  }
  bool clear_faults() const { return admin("DELETE", "/_emulator/faults").status == 200; }
  // Hits of fault `id` (GET /_emulator/faults), -1 if not found.
  int64_t fault_hits(int id) const {
    Json j(admin("GET", "/_emulator/faults").body);
    const cJSON* f;
    cJSON_ArrayForEach(f, j.root()) {
      const cJSON* fid = cJSON_GetObjectItemCaseSensitive(f, "id");
      const cJSON* hits = cJSON_GetObjectItemCaseSensitive(f, "hits");
      if (cJSON_IsNumber(fid) && (int)fid->valuedouble == id && cJSON_IsNumber(hits)) {
        return (int64_t)hits->valuedouble;
      }
    }
    return -1;
  }
  bool advance_clock(int64_t seconds) const {
    return admin("POST", "/_emulator/clock", "{\"advance_s\":" + std::to_string(seconds) + "}")
               .status == 200;
  }
  bool set_user(const std::string& user, const std::string& password) const {
    return admin("POST", "/_emulator/users",
                 "{\"user\":\"" + user + "\",\"password\":\"" + password + "\"}")
               .status == 200;
  }
  // State of a label as the emulator remembers it ("" if not remembered).
  std::string label_state(const std::string& db, const std::string& label) const {
    return stats().string({"labels", db.c_str(), label.c_str(), "state"});
  }

 private:
  static std::string read_file(const std::string& path) {
    std::string out;
    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return out;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) out.append(buf, n);
    std::fclose(f);
    return out;
  }

  // SR_EMULATOR_BIN overrides the build-time path (e.g. a plain emulator for sanitizer runs of
  // the library).
  static std::string binary() {
    const char* env = std::getenv("SR_EMULATOR_BIN");
    return env && *env ? env : SR_EMULATOR_PATH;
  }

  bool spawn(int fe_port, const std::vector<int>& be_ports) {
    error_.clear();
    const std::string bin = binary();
    if (bin.empty()) {
      error_ = "SR_EMULATOR_PATH is not set at build time (and SR_EMULATOR_BIN is not set)";
      return false;
    }
    if (dir_.empty()) {
      error_ = "could not create a temp dir";
      return false;
    }
    std::vector<std::string> args = {bin, "--bind", "127.0.0.1", "--fe-port",
                                     std::to_string(fe_port)};
    if (be_ports.empty()) {
      args.insert(args.end(), {"--be-port", "0"});
    } else {
      for (int p : be_ports) args.insert(args.end(), {"--be-port", std::to_string(p)});
    }
    if (use_data_dir_) {
      std::string data = dir_ + "/data";
      mkdir(data.c_str(), 0700);
      args.insert(args.end(), {"--data-dir", data});
    }
    args.insert(args.end(), extra_args_.begin(), extra_args_.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(&a[0]);
    argv.push_back(nullptr);

    int out[2];
    if (pipe(out) != 0) {
      error_ = "pipe failed";
      return false;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    posix_spawn_file_actions_addclose(&fa, out[1]);
    std::string err_path = dir_ + "/stderr.log";
    posix_spawn_file_actions_addopen(&fa, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    if (rc != 0) {
      close(out[0]);
      error_ = "cannot start " + bin + ": " + std::strerror(rc);
      return false;
    }
    pid_ = pid;
    // The ready line is an event: read until '\n' (bounded wait in case the process hangs).
    std::string line;
    char c;
    while (line.size() < 4096) {
      pollfd p{out[0], POLLIN, 0};
      if (poll(&p, 1, 30000) <= 0) {
        error_ = "sr-emulator printed no ready line within 30 s";
        break;
      }
      ssize_t n = read(out[0], &c, 1);
      if (n <= 0) {
        error_ = "sr-emulator exited before its ready line; stderr: " + stderr_text();
        break;
      }
      if (c == '\n') break;
      line.push_back(c);
    }
    if (error_.empty()) {
      Json j(line);
      fe_port_ = (int)j.integer({"fe_port"});
      be_ports_.clear();
      const cJSON* bes = j.at({"be_ports"});
      const cJSON* b;
      cJSON_ArrayForEach(b, bes) {
        if (cJSON_IsNumber(b)) be_ports_.push_back((int)b->valuedouble);
      }
      if (fe_port_ <= 0) error_ = "bad ready line: " + line;
    }
    // Keep draining stdout so the emulator never blocks on a full pipe.
    int fd = out[0];
    drain_ = std::thread([fd] {
      char buf[512];
      while (read(fd, buf, sizeof(buf)) > 0) {
      }
      close(fd);
    });
    if (!error_.empty()) {
      terminate(SIGKILL);
      return false;
    }
    return true;
  }

  void terminate(int sig) {
    if (pid_ > 0) {
      ::kill(pid_, sig);
      int status = 0;
      waitpid(pid_, &status, 0);
      pid_ = -1;
    }
    if (drain_.joinable()) drain_.join();
  }

  std::vector<std::string> extra_args_;
  std::string dir_;
  bool use_data_dir_ = false;
  pid_t pid_ = -1;
  int fe_port_ = 0;
  std::vector<int> be_ports_;
  std::string error_;
  std::thread drain_;
};

}  // namespace srtest
