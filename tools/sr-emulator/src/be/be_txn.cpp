#include "be/be_txn.h"

#include <strings.h>

#include <cstring>

#include "core/json_util.h"
#include "be/load_common.h"
#include "be/newline_count.h"
#include "http/server.h"

namespace sremu {
namespace {

constexpr uint64_t kMiB = 1024 * 1024;

// The Status a transaction load reply carries for a header the plan refuses. The BE checks a few
// headers itself (TransactionStreamLoadAction::_parse_request: InvalidArgument; the format:
// InternalError); the rest come back from the FE's streamLoadPut, which reports a
// StarRocksException as ANALYSIS_ERROR and anything else, such as the SQL parser's
// ParsingException for a bad `columns` header, as INTERNAL_ERROR.
std::string header_error_status(const std::string& message) {
  static const char* const kBeInvalidArgument[] = {
      "Invalid strict mode format", "load_mem_limit must be", "Invalid load mem limit format",
      "Invalid load_dop format", "Can not specify both partitions", "Only one of http header content-encoding",
      "exec_mem_limit must be", "Invalid exec_mem_limit format"};
  for (const char* prefix : kBeInvalidArgument) {
    if (message.rfind(prefix, 0) == 0) return "INVALID_ARGUMENT";
  }
  if (message.rfind("unknown data format", 0) == 0) return "INTERNAL_ERROR";
  if (message.rfind("Getting syntax error", 0) == 0) return "INTERNAL_ERROR";
  return "ANALYSIS_ERROR";
}

class BeTxn : public Handler {
 public:
  BeTxn(Emulator& emu, std::string op) : emu_(emu), op_(std::move(op)) {}

  std::optional<Response> on_headers(Request& req) override {
    emu_.requests++;
    label_ = req.header("label");
    db_ = req.header("db");
    table_ = req.header("table");
    if (op_ == "list") return std::nullopt;
    if (req.has_header("transaction_type")) {
      return reply("INVALID_ARGUMENT", "Multi-statement transaction requests can only be sent to FE nodes, not BE nodes");
    }
    fault_ = emu_.faults.take("txn_" + op_, label_, db_ + "." + table_,
                              {"http_status", "reply", "delay", "not_master", "hang", "drop", "apply_then_drop",
                               "apply_then_reply", "publish_timeout", "too_many_versions"});
    if (fault_) {
      const std::string& a = fault_->action;
      if (a == "http_status") return Response::json(fault_->code, fault_->body);
      if (a == "reply") {
        TxnReply r = base();
        r.status = fault_->status.empty() ? "INTERNAL_ERROR" : fault_->status;
        r.message = fault_->message;
        r.extra = fault_->extra_json;
        return Response::json(200, r.to_json());
      }
      if (a == "delay") interruptible_sleep_ms(fault_->ms);
      // Ops without a body phase drop or hang right away, before doing anything.
      if (op_ != "load" && a == "drop") return Response::drop();
      if (op_ != "load" && a == "hang") return Response::hang();
      if (a == "not_master") return reply("INTERNAL_ERROR", "current fe is not master");
      if (a == "too_many_versions" && op_ != "commit") {
        return reply("INTERNAL_ERROR", "Too many versions. tablet_id: 10086, version_count: 1001, limit: 1000.");
      }
    }
    if (op_ == "begin") return begin(req);
    if (op_ == "load") return load_headers(req);
    return std::nullopt;  // prepare/commit/rollback: act at completion (body is empty)
  }

  bool on_data(Request& req, const char* data, size_t size) override {
    emu_.bytes_received += size;
    if (fault_ && fault_->action == "drop" && req.body_bytes >= static_cast<uint64_t>(fault_->after_bytes)) {
      return false;
    }
    if (op_ != "load") return true;  // bodies of other ops are ignored
    if (emu_.cfg.discard) {
      // Rows of the decompressed body, counted as it arrives (nothing is kept).
      counter().feed(data, size);
      return true;
    }
    req.body.append(data, size);
    return true;
  }

  Response on_complete(Request& req) override {
    if (fault_ && fault_->action == "drop") {
      release(true, "connection dropped by fault");
      return Response::drop();
    }
    if (fault_ && fault_->action == "hang") {
      release(false, "");
      return Response::hang();
    }
    Response r;
    if (op_ == "list") r = list(req);
    else if (op_ == "load") r = load_complete(req);
    else if (op_ == "prepare" || op_ == "commit") r = prepare_or_commit(req);
    else if (op_ == "rollback") r = rollback();
    else if (op_ == "begin") r = reply("OK", "");  // not reached: begin answers in the header phase
    else r = reply("INVALID_ARGUMENT", "Unknown transaction operation: " + op_);
    if (fault_ && fault_->action == "apply_then_drop") return Response::drop();
    return r;
  }

  void on_aborted(Request& req) override {
    (void)req;
    if (op_ == "load") release(true, "receive body don't equal with body bytes");
  }

 private:
  TxnReply base() const {
    TxnReply r;
    r.op = op_;
    r.label = label_;
    r.db = db_;
    r.table = table_;
    return r;
  }

  Response reply(const std::string& status, const std::string& message) {
    TxnReply r = base();
    r.status = status;
    r.message = message;
    if (txn_) r.txn_id = txn_->id;
    return Response::json(200, r.to_json());
  }

  Response finish(TxnReply r) {
    if (fault_ && fault_->action == "apply_then_reply") {
      r.status = fault_->status.empty() ? "INTERNAL_ERROR" : fault_->status;
      r.message = fault_->message;
      r.extra = fault_->extra_json;
    }
    return Response::json(200, r.to_json());
  }

  // The BE context of this label on this BE (exists while PREPARE), or nullptr.
  Txn* context_locked(int be) {
    Txn* t = emu_.find_txn_locked(db_, label_);
    if (t == nullptr) {
      // The BE keys contexts by label only; look in every database for a db-mismatch report.
      for (auto& d : emu_.txns) {
        auto it = d.second.by_label.find(label_);
        if (it != d.second.by_label.end() && it->second->be_ctx && it->second->coordinator_be == be) {
          return it->second.get();
        }
      }
      return nullptr;
    }
    if (!t->be_ctx || t->state != TxnState::kPrepare || t->coordinator_be != be) return nullptr;
    return t;
  }

  // The transaction context a load/prepare/commit names, or StarRocks' reply when it cannot be
  // used: unknown label, another database, another request on the label in progress.
  std::optional<Response> usable_context_locked(Request& req, Txn** out) {
    Txn* t = context_locked(req.be_index);
    if (t == nullptr) return reply("TXN_NOT_EXISTS", "transaction with label " + label_ + " not exists");
    txn_ = emu_.txns[t->db].by_label[label_];
    if (t->db != db_) {
      return reply("INVALID_ARGUMENT", "request db " + db_ + " transaction db " + t->db + " not match");
    }
    if (t->in_processing) {
      TxnReply r = base();
      r.status = "TXN_IN_PROCESSING";
      r.message = "Transaction in processing, please retry later";
      return Response::json(200, r.to_json());
    }
    *out = t;
    return std::nullopt;
  }

  std::optional<Response> begin(Request& req) {
    int64_t timeout = emu_.cfg.stream_load_default_timeout_s, idle = 0;
    if (req.has_header("timeout")) {
      auto v = parse_seconds(req.header("timeout"));
      if (!v) return reply("INVALID_ARGUMENT", "Invalid timeout format");
      timeout = *v;
    }
    if (req.has_header("idle_transaction_timeout")) {
      auto v = parse_seconds(req.header("idle_transaction_timeout"));
      if (!v) return reply("INVALID_ARGUMENT", "Invalid timeout format");
      idle = *v;
    }
    std::string user;
    switch (emu_.check_auth(req.header("authorization"), &user)) {
      case Emulator::Auth::kMissing: return reply("INTERNAL_ERROR", "no valid Basic authorization");
      case Emulator::Auth::kDenied: return reply("ANALYSIS_ERROR", "Access denied for " + user + "@127.0.0.1");
      case Emulator::Auth::kOk: break;
    }
    if (!emu_.can_insert(user)) return reply("ANALYSIS_ERROR", kNoInsertPrivilege);
    if (label_.empty()) return reply("INVALID_ARGUMENT", "Empty label.");
    if (!valid_label(label_)) return reply("ANALYSIS_ERROR", label_format_error(label_));
    if (timeout < 1 || timeout > 259200) {
      return reply("ANALYSIS_ERROR", "Invalid timeout: '" + std::to_string(timeout) +
                                         "'. Expected values should be between 1 and 259200 seconds");
    }
    std::lock_guard<std::mutex> lock(emu_.mu);
    emu_.tick_locked();
    if (context_locked(req.be_index) != nullptr) {
      // The conflict is detected inside this BE: LABEL_ALREADY_EXISTS with an empty ExistingJobStatus.
      TxnReply r = base();
      r.status = "LABEL_ALREADY_EXISTS";
      r.has_existing = true;
      return Response::json(200, r.to_json());
    }
    Emulator::BeginError err;
    txn_ = emu_.begin_locked(db_, table_, label_, "transaction", timeout, idle, req.be_index, &err);
    if (!txn_) {
      TxnReply r = base();
      if (err.kind == "label_exists") {
        r.status = "LABEL_ALREADY_EXISTS";
        r.has_existing = true;
        r.existing_status = err.existing_status;
      } else {
        r.status = err.kind == "limit" ? "INTERNAL_ERROR" : "ANALYSIS_ERROR";
      }
      r.message = err.message;
      return Response::json(200, r.to_json());
    }
    txn_->be_ctx = true;
    TxnReply r = base();
    r.txn_id = txn_->id;
    if (fault_ && fault_->action == "apply_then_drop") return Response::drop();
    return finish(r);
  }

  std::optional<Response> load_headers(Request& req) {
    std::lock_guard<std::mutex> lock(emu_.mu);
    emu_.tick_locked();
    Txn* t = nullptr;
    if (auto refused = usable_context_locked(req, &t)) return refused;
    if (!table_.empty() && table_ != t->table) {
      return reply("INVALID_ARGUMENT", "Request table " + table_ + " not equal transaction table " + t->table);
    }
    auto fail_and_abort = [&](const std::string& status, const std::string& message) {
      emu_.abort_locked(*t, message);
      return reply(status, message);
    };
    std::string sig = load_signature(req.headers);
    if (t->planned && sig != t->load_signature) return fail_and_abort("INTERNAL_ERROR", "load request not equal last.");
    if (!t->planned) {
      TableStore* store = emu_.catalog.table(t->db, t->table);
      if (store == nullptr) return fail_and_abort("ANALYSIS_ERROR", "unknown table \"" + t->db + "." + t->table + "\"");
      LoadParams params;
      if (auto err = parse_load_params(store->schema, req.headers, true, &params)) {
        return fail_and_abort(header_error_status(*err), *err);
      }
      t->params = params;  // max_filter_ratio etc. come from the first load
      t->load_signature = sig;
      t->planned = true;
    }
    counting_ = row_counting(t->params);  // identical for every load (signature above)
    schema_ = emu_.catalog.table(t->db, t->table) ? emu_.catalog.table(t->db, t->table)->schema : TableSchema{};
    max_bytes_ = static_cast<uint64_t>(emu_.cfg.streaming_load_max_mb) * kMiB;
    auto len = req.content_length();
    uint64_t cumulative = static_cast<uint64_t>(t->bytes) + (len ? *len : 0);
    if (cumulative > max_bytes_) {
      return fail_and_abort("INTERNAL_ERROR", "body size " + std::to_string(cumulative) + " exceed limit: " +
                                                  std::to_string(max_bytes_) + ", table=" + t->table +
                                                  ", label=" + label_ +
                                                  ". You can increase the limit by setting streaming_load_max_mb in be.conf.");
    }
    uint64_t json_max = static_cast<uint64_t>(emu_.cfg.streaming_load_max_batch_size_mb) * kMiB;
    // The transaction path compares the cumulative Content-Length of all loads (spec §4.6).
    if (t->params.format == "json" && len && cumulative > json_max && !emu_.cfg.discard &&
        strcasecmp(req.header("ignore_json_size").c_str(), "true") != 0) {
      return fail_and_abort("INTERNAL_ERROR", "The size of this batch exceed the max size [" + std::to_string(json_max) +
                                                  "]  of json type data  data [ " + std::to_string(cumulative) +
                                                  " ]. Set ignore_json_size to skip the check, although it may "
                                                  "lead huge memory consuming.");
    }
    t->in_processing = true;
    t->last_active_ts = emu_.now();
    locked_ = true;
    return std::nullopt;
  }

  Response load_complete(Request& req) {
    ParsedLoad parsed;
    if (emu_.cfg.discard) {
      parsed.error = counter().finish();  // a corrupt frame fails the txn at prepare/commit
      newlines_ = counter().newlines();
      parsed.total = static_cast<int64_t>(newlines_);
    } else {
      TxnState st;
      LoadParams params;
      {
        std::lock_guard<std::mutex> lock(emu_.mu);
        st = txn_->state;
        params = txn_->params;
      }
      if (st == TxnState::kPrepare) parsed = decode_and_parse(schema_, params, req.headers, req.body);
      req.body.clear();
    }
    std::lock_guard<std::mutex> lock(emu_.mu);
    Txn& t = *txn_;
    t.in_processing = false;
    locked_ = false;
    if (t.state != TxnState::kPrepare) return reply("ABORTED", "current transaction is aborted");
    t.last_active_ts = emu_.now();
    t.bytes += static_cast<int64_t>(req.body_bytes);
    t.has_data = true;  // the BE has a body pipe from the first load on
    t.total += parsed.total;
    t.filtered += parsed.filtered;
    t.unselected += parsed.unselected;
    if (emu_.cfg.discard) t.rows_loaded += static_cast<int64_t>(newlines_);
    for (auto& row : parsed.rows) t.rows.push_back(std::move(row));
    for (auto& line : parsed.rejected) t.rejected.push_back(std::move(line));
    if (t.data_error.empty() && !parsed.error.empty()) t.data_error = parsed.error;  // surfaces at prepare/commit
    TxnReply r = base();
    r.txn_id = t.id;
    r.bytes = static_cast<int64_t>(req.body_bytes);
    return finish(r);
  }

  Response prepare_or_commit(Request& req) {
    const bool prepare = op_ == "prepare";
    int64_t prepared_timeout = 0;
    if (prepare && req.has_header("prepared_timeout")) {
      auto v = parse_seconds(req.header("prepared_timeout"));
      if (!v || *v <= 0) return reply("INVALID_ARGUMENT", "Invalid prepared_timeout: " + req.header("prepared_timeout"));
      prepared_timeout = *v;
    }
    std::vector<std::string> rejected;
    {
      std::lock_guard<std::mutex> lock(emu_.mu);
      emu_.tick_locked();
      Txn* t = nullptr;
      if (auto refused = usable_context_locked(req, &t)) return *refused;
      if (!t->has_data) {
        std::string msg = "transaction id=" + new_uuid() + ", job_id=-1, txn_id=" + std::to_string(t->id) +
                          ", label=" + label_ + ", db=" + t->db + " hasn't send any data yet";
        emu_.abort_locked(*t, msg);
        return reply("INTERNAL_ERROR", msg);
      }
      if (!t->data_error.empty()) {
        std::string msg = t->data_error;
        emu_.abort_locked(*t, msg);
        return reply("INTERNAL_ERROR", msg);
      }
      rejected = t->rejected;
    }
    std::string error_url;
    if (!rejected.empty()) error_url = emu_.add_error_log(rejected, req.local_port);
    std::lock_guard<std::mutex> lock(emu_.mu);
    Txn& t = *txn_;
    if (t.state != TxnState::kPrepare) return reply("ABORTED", "transaction is aborted");
    TxnReply r = base();
    r.txn_id = t.id;
    r.counters = true;
    r.total = t.total;
    r.filtered = t.filtered;
    r.unselected = t.unselected;
    r.loaded = emu_.cfg.discard ? t.rows_loaded : static_cast<int64_t>(t.rows.size());
    r.bytes = t.bytes;
    r.error_url = error_url;
    if (too_many_filtered(t.total, t.filtered, t.unselected, t.params.max_filter_ratio)) {
      emu_.abort_locked(t, "too many filtered rows");
      r.status = "INTERNAL_ERROR";
      r.message = "too many filtered rows";
      return Response::json(200, r.to_json());
    }
    if (fault_ && fault_->action == "too_many_versions") {
      std::string msg = "Too many versions. tablet_id: 10086, version_count: 1001, limit: 1000.";
      emu_.abort_locked(t, msg);
      r.status = "INTERNAL_ERROR";
      r.message = msg;
      return Response::json(200, r.to_json());
    }
    int64_t discard_loaded = t.rows_loaded;
    if (prepare) {
      emu_.prepare_locked(t, prepared_timeout);
    } else {
      int64_t delay = fault_ && fault_->action == "publish_timeout" ? std::max<int64_t>(1, fault_->publish_delay_s) : 0;
      emu_.commit_locked(t, nullptr, delay);
      if (delay > 0) {
        r.status = "PUBLISH_TIMEOUT";
        r.message = "publish timeout";
      }
    }
    if (emu_.cfg.discard) {
      t.rows_loaded = discard_loaded;
      if (!prepare) count_discarded_commit_locked(emu_, t);
    }
    r.message = r.status == "OK" ? "" : r.message;
    return finish(r);
  }

  Response rollback() {
    std::lock_guard<std::mutex> lock(emu_.mu);
    emu_.tick_locked();
    Txn* t = nullptr;
    for (auto& d : emu_.txns) {
      auto it = d.second.by_label.find(label_);
      if (it != d.second.by_label.end() && it->second->be_ctx && it->second->state == TxnState::kPrepare) {
        t = it->second.get();
      }
    }
    if (t == nullptr) return reply("TXN_NOT_EXISTS", "transaction with label " + label_ + " not exists");
    if (t->db != db_) return reply("INVALID_ARGUMENT", "request db " + db_ + " transaction db " + t->db + " not match");
    emu_.abort_locked(*t, "transaction is aborted by user.");
    return finish(base());
  }

  Response list(Request& req) {
    std::lock_guard<std::mutex> lock(emu_.mu);
    std::string out = "[";
    bool first = true;
    for (auto& d : emu_.txns) {
      for (auto& kv : d.second.by_label) {
        const Txn& t = *kv.second;
        if (!t.be_ctx || t.state != TxnState::kPrepare || t.coordinator_be != req.be_index) continue;
        JsonObject o;
        if (!t.in_processing) o.str("Status", "OK");
        o.boolean("InProcessing", t.in_processing)
            .str("Label", t.label)
            .num("TxnId", t.id)
            .num("NumberTotalRows", t.total)
            .num("NumberLoadedRows", static_cast<int64_t>(t.rows.size()))
            .num("NumberFilteredRows", t.filtered)
            .num("NumberUnselectedRows", t.unselected)
            .num("LoadBytes", t.bytes)
            .num("StreamLoadPlanTimeMs", 0)
            .num("ReceivedDataTimeMs", 0)
            .num("WriteDataTimeMs", 0)
            .num("BeginTimestamp", static_cast<int64_t>(t.begin_ts))
            .num("LastActiveTimestamp", static_cast<int64_t>(t.last_active_ts))
            .num("TransactionTimeoutSec", t.timeout_s)
            .num("IdleTransactionTimeoutSec", t.idle_timeout_s);
        if (!first) out += ",";
        first = false;
        out += o.done();
      }
    }
    return Response::json(200, out + "]");
  }

  // Releases the per-label lock taken by a load; `abort` also rolls the txn back.
  void release(bool abort, const std::string& reason) {
    if (!txn_) return;
    std::lock_guard<std::mutex> lock(emu_.mu);
    if (locked_) {
      txn_->in_processing = false;
      locked_ = false;
    }
    if (abort && txn_->state == TxnState::kPrepare) emu_.abort_locked(*txn_, reason);
  }

  Emulator& emu_;
  std::string op_, label_, db_, table_;
  std::shared_ptr<Txn> txn_;
  std::optional<Fault> fault_;
  TableSchema schema_;
  BodyNewlineCounter& counter() {
    if (!counter_) counter_ = std::make_unique<BodyNewlineCounter>(counting_.algo, counting_.delim);
    return *counter_;
  }

  uint64_t max_bytes_ = 0, newlines_ = 0;
  std::unique_ptr<BodyNewlineCounter> counter_;
  RowCounting counting_;
  bool locked_ = false;
};

}  // namespace

void count_discarded_commit_locked(Emulator& emu, const Txn& t) {
  if (!emu.cfg.discard || t.rows_loaded <= 0) return;
  emu.discard_rows += static_cast<uint64_t>(t.rows_loaded);
  if (TableStore* store = emu.catalog.table(t.db, t.table)) store->stats.discarded_rows += t.rows_loaded;
}

std::unique_ptr<Handler> make_be_txn(Emulator& emu, const std::string& op) {
  return std::make_unique<BeTxn>(emu, op);
}

}  // namespace sremu
