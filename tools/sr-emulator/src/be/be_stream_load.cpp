#include "be/be_stream_load.h"

#include <chrono>
#include <cctype>
#include <cstring>
#include <strings.h>
#include <algorithm>

#include "be/load_common.h"
#include "be/newline_count.h"
#include "http/server.h"

namespace sremu {
namespace {

constexpr uint64_t kMiB = 1024 * 1024;

int64_t ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
}

class BeStreamLoad : public Handler {
 public:
  BeStreamLoad(Emulator& emu, std::string db, std::string table)
      : emu_(emu), db_(std::move(db)), table_(std::move(table)) {}

  std::optional<Response> on_headers(Request& req) override {
    start_ = std::chrono::steady_clock::now();
    emu_.requests++;
    label_ = req.header("label");
    if (label_.empty()) label_ = new_uuid();  // the BE generates a UUID label
    std::string user;
    switch (emu_.check_auth(req.header("authorization"), &user)) {
      case Emulator::Auth::kMissing: return fail("no valid Basic authorization");
      case Emulator::Auth::kDenied: return fail("Access denied for " + user + "@127.0.0.1");
      case Emulator::Auth::kOk: break;
    }
    if (!emu_.can_insert(user)) return fail(kNoInsertPrivilege);
    fault_ = emu_.faults.take("be_stream_load", label_, db_ + "." + table_,
                              {"http_status", "reply", "delay", "not_master", "hang", "drop", "apply_then_drop",
                               "apply_then_reply", "publish_timeout", "too_many_versions"});
    if (fault_) {
      if (fault_->action == "http_status") return Response::json(fault_->code, fault_->body);
      if (fault_->action == "reply") return count(fault_reply_stream_load(*fault_, label_, db_, table_), "Fail");
      if (fault_->action == "delay") interruptible_sleep_ms(fault_->ms);
      if (fault_->action == "not_master") return fail("current fe is not master");
    }
    bool db_known = false, table_known = false;
    {
      std::lock_guard<std::mutex> lock(emu_.mu);
      db_known = emu_.catalog.db(db_) != nullptr;
      if (TableStore* t = emu_.catalog.table(db_, table_)) {
        table_known = true;
        schema_ = t->schema;
      }
    }
    if (!db_known) return fail("unknown database, database=" + db_);
    if (!table_known) return fail("unknown table \"" + db_ + "." + table_ + "\"");
    max_bytes_ = static_cast<uint64_t>(emu_.cfg.streaming_load_max_mb) * kMiB;
    auto len = req.content_length();
    if (len && *len > max_bytes_) {
      return fail("body size " + std::to_string(*len) + " exceed limit: " + std::to_string(max_bytes_) +
                  ", table=" + table_ + ", label=" + label_ +
                  ". You can increase the limit by setting streaming_load_max_mb in be.conf.");
    }
    if (!valid_label(label_)) return fail(label_format_error(label_));
    // StarRocks checks format and timeout before txn begin and every other header after it (the
    // plan RPC), rolling the txn back: keep that order so TxnId and get_load_state match.
    std::optional<std::string> header_error = parse_load_params(schema_, req.headers, false, &params_);
    if (header_error && (header_error->rfind("unknown data format", 0) == 0 || header_error->rfind("Invalid timeout", 0) == 0)) {
      return fail(*header_error);
    }
    std::string format = req.header("format");
    for (auto& ch : format) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (format == "json" && len && !emu_.cfg.discard) {
      uint64_t json_max = static_cast<uint64_t>(emu_.cfg.streaming_load_max_batch_size_mb) * kMiB;
      std::string ignore = req.header("ignore_json_size");
      if (*len > json_max && strcasecmp(ignore.c_str(), "true") != 0) {
        return fail("The size of this batch exceed the max size [" + std::to_string(json_max) +
                    "]  of json type data  data [ " + std::to_string(*len) +
                    " ]. Set ignore_json_size to skip the check, although it may lead huge memory consuming.");
      }
    }
    int64_t timeout = emu_.cfg.stream_load_default_timeout_s;
    if (req.has_header("timeout")) {
      auto t = parse_seconds(req.header("timeout"));
      if (!t) return fail("Invalid timeout format");
      if (*t < 1 || *t > 259200) {
        return fail("Invalid timeout: '" + req.header("timeout") +
                    "'. Expected values should be between 1 and 259200 seconds");
      }
      timeout = *t;
    }
    std::lock_guard<std::mutex> lock(emu_.mu);
    emu_.tick_locked();
    Emulator::BeginError err;
    txn_ = emu_.begin_locked(db_, table_, label_, "stream_load", timeout, 0, req.be_index, &err);
    if (txn_ == nullptr) {
      if (err.kind == "label_exists") {
        StreamLoadReply r = base();
        r.status = "Label Already Exists";
        r.existing_status = err.existing_status;
        r.message = err.message;
        ++emu_.stats.by_status[r.status];
        return Response::json(200, r.to_json());
      }
      ++emu_.stats.by_status["Fail"];
      StreamLoadReply r = base();
      r.message = err.message;
      return Response::json(200, r.to_json());
    }
    if (header_error) {
      emu_.abort_locked(*txn_, *header_error);
      ++emu_.stats.by_status["Fail"];
      StreamLoadReply r = base();
      r.message = *header_error;
      return Response::json(200, r.to_json());
    }
    txn_->in_processing = true;
    txn_->params = params_;
    return std::nullopt;  // header phase OK: MHD sends 100 Continue, the body follows
  }

  bool on_data(Request& req, const char* data, size_t size) override {
    emu_.bytes_received += size;
    if (fault_ && fault_->action == "drop" && req.body_bytes >= static_cast<uint64_t>(fault_->after_bytes)) {
      return false;
    }
    if (req.body_bytes > max_bytes_) {
      too_large_ = true;  // chunked body over streaming_load_max_mb: keep reading, fail at the end
      return true;
    }
    if (emu_.cfg.discard) {
      // --discard: count rows as newlines (of the decompressed body), keep nothing (the
      // throughput path).
      counter().feed(data, size);
      return true;
    }
    req.body.append(data, size);
    return true;
  }

  Response on_complete(Request& req) override {
    if (fault_ && fault_->action == "drop") {
      // The body was shorter than after_bytes: drop now, before anything is applied.
      rollback("connection dropped by fault");
      return Response::drop();
    }
    if (fault_ && fault_->action == "hang") {
      rollback("load hung by fault");
      return Response::hang();
    }
    if (too_large_) {
      return finish_fail("body size " + std::to_string(req.body_bytes) + " exceed limit: " +
                         std::to_string(max_bytes_) + ", table=" + table_ + ", label=" + label_ +
                         ". You can increase the limit by setting streaming_load_max_mb in be.conf.");
    }
    ParsedLoad parsed;
    if (emu_.cfg.discard) {
      parsed.error = counter().finish();
      newlines_ = counter().newlines();
      parsed.total = static_cast<int64_t>(newlines_);
    } else {
      parsed = decode_and_parse(schema_, params_, req.headers, req.body);
      req.body.clear();
      req.body.shrink_to_fit();
    }
    StreamLoadReply r = base();
    r.bytes = static_cast<int64_t>(req.body_bytes);
    r.total = parsed.total;
    r.filtered = parsed.filtered;
    r.unselected = parsed.unselected;
    if (!parsed.rejected.empty()) r.error_url = emu_.add_error_log(parsed.rejected, req.local_port);
    if (!parsed.error.empty()) return finish_fail(parsed.error, &r);
    if (too_many_filtered(parsed.total, parsed.filtered, parsed.unselected, params_.max_filter_ratio)) {
      return finish_fail("too many filtered rows", &r);
    }
    if (fault_ && fault_->action == "too_many_versions") {
      return finish_fail("Too many versions. tablet_id: 10086, version_count: 1001, limit: 1000. You can reduce the "
                         "loading job concurrency, or increase loading data batch size.",
                         &r);
    }
    std::lock_guard<std::mutex> lock(emu_.mu);
    txn_->in_processing = false;
    if (txn_->state != TxnState::kPrepare) {  // cancelled or timed out while the body arrived
      r.message = txn_->reason.empty() ? "transaction is aborted" : txn_->reason;
      ++emu_.stats.by_status["Fail"];
      return Response::json(200, r.to_json());
    }
    txn_->bytes = r.bytes;
    txn_->filtered = parsed.filtered;
    int64_t publish_delay = fault_ && fault_->action == "publish_timeout" ? std::max<int64_t>(1, fault_->publish_delay_s) : 0;
    emu_.commit_locked(*txn_, &parsed.rows, publish_delay);
    if (emu_.cfg.discard) {
      txn_->rows_loaded = static_cast<int64_t>(newlines_);
      emu_.discard_rows += newlines_;
      if (TableStore* t = emu_.catalog.table(db_, table_)) {
        t->stats.discarded_rows += static_cast<int64_t>(newlines_);
      }
    }
    r.loaded = txn_->rows_loaded;
    r.load_ms = ms_since(start_);
    r.status = "Success";
    r.message = "OK";
    if (publish_delay > 0) {
      r.status = "Publish Timeout";
      r.message = "Publish timeout. The data will be visible after a while, which is caused by publish timeout";
    }
    if (fault_ && fault_->action == "apply_then_drop") {
      ++emu_.stats.by_status[r.status];
      return Response::drop();
    }
    if (fault_ && fault_->action == "apply_then_reply") {
      r.status = fault_->status.empty() ? "Fail" : fault_->status;
      r.message = fault_->message;
    }
    ++emu_.stats.by_status[r.status];
    return Response::json(200, r.to_json());
  }

  void on_aborted(Request& req) override {
    (void)req;
    // Connection dropped mid-body (or by a fault): the load fails and nothing of it is applied.
    rollback("receive body don't equal with body bytes");
  }

 private:
  StreamLoadReply base() const {
    StreamLoadReply r;
    r.label = label_;
    r.db = db_;
    r.table = table_;
    r.txn_id = txn_ ? txn_->id : -1;
    return r;
  }

  Response count(Response r, const char* status) {
    std::lock_guard<std::mutex> lock(emu_.mu);
    ++emu_.stats.by_status[status];
    return r;
  }

  Response fail(const std::string& message) {
    StreamLoadReply r = base();
    r.message = message;
    return count(Response::json(200, r.to_json()), "Fail");
  }

  // Fails after begin: roll the txn back (label reusable) and reply Fail.
  Response finish_fail(const std::string& message, StreamLoadReply* partial = nullptr) {
    rollback(message);
    StreamLoadReply r = partial ? *partial : base();
    r.status = "Fail";
    r.message = message;
    return count(Response::json(200, r.to_json()), "Fail");
  }

  void rollback(const std::string& reason) {
    if (!txn_) return;
    std::lock_guard<std::mutex> lock(emu_.mu);
    txn_->in_processing = false;
    if (txn_->state == TxnState::kPrepare) emu_.abort_locked(*txn_, reason);
  }

  Emulator& emu_;
  std::string db_, table_, label_;
  TableSchema schema_;
  LoadParams params_;
  std::shared_ptr<Txn> txn_;
  std::optional<Fault> fault_;
  uint64_t max_bytes_ = 0;
  // --discard: rows counted as the body arrives; params_ are known once the body flows.
  BodyNewlineCounter& counter() {
    if (!counter_) {
      const RowCounting rc = row_counting(params_);
      counter_ = std::make_unique<BodyNewlineCounter>(rc.algo, rc.delim);
    }
    return *counter_;
  }
  std::unique_ptr<BodyNewlineCounter> counter_;
  uint64_t newlines_ = 0;
  bool too_large_ = false;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace

Response fault_reply_stream_load(const Fault& f, const std::string& label, const std::string& db,
                                 const std::string& table) {
  StreamLoadReply r;
  r.label = label;
  r.db = db;
  r.table = table;
  r.status = f.status.empty() ? "Fail" : f.status;
  r.message = f.message;
  std::string out = r.to_json();
  if (!f.extra_json.empty()) out = out.substr(0, out.size() - 1) + "," + f.extra_json + "}";
  return Response::json(200, out);
}

std::unique_ptr<Handler> make_be_stream_load(Emulator& emu, const std::string& db, const std::string& table) {
  return std::make_unique<BeStreamLoad>(emu, db, table);
}

}  // namespace sremu
