#include "fe/fe.h"

#include <algorithm>

#include <strings.h>

#include "be/be_txn.h"
#include "core/json_util.h"
#include "be/load_common.h"
#include "http/server.h"

namespace sremu {
namespace {

const char* kExceptionPrefix = "class com.starrocks.common.StarRocksException: ";

// Applies the fault actions an FE endpoint can perform itself. Returns a response to send, if any.
std::optional<Response> fe_fault(const std::optional<Fault>& f, bool rest_family) {
  if (!f) return std::nullopt;
  if (f->action == "http_status") return Response::json(f->code, f->body);
  if (f->action == "reply") {
    std::string out = rest_family ? JsonObject()
                                        .str("status", f->status.empty() ? "FAILED" : f->status)
                                        .str("code", "1")
                                        .str("msg", f->message)
                                        .str("message", f->message)
                                        .done()
                                  : fe_txn_result(f->status.empty() ? "FAILED" : f->status, f->message, -1, "");
    if (!f->extra_json.empty()) out = out.substr(0, out.size() - 1) + "," + f->extra_json + "}";
    return Response::json(200, out);
  }
  if (f->action == "delay") interruptible_sleep_ms(f->ms);
  if (f->action == "hang") return Response::hang();
  if (f->action == "drop") return Response::drop();
  if (f->action == "not_master") {
    return Response::json(200, rest_family ? rest_result(false, "current fe is not master")
                                           : fe_txn_result("FAILED", std::string(kExceptionPrefix) +
                                                                         "current fe is not master", -1, ""));
  }
  return std::nullopt;
}

int pick_be(Emulator& emu) {
  uint64_t n = emu.be_round_robin++;
  return static_cast<int>(n % emu.be_ports.size());
}

// ---- PUT /api/{db}/{table}/_stream_load on the FE: never reads the body ----
class FeStreamLoad : public SimpleHandler {
 public:
  FeStreamLoad(Emulator& emu, std::string db, std::string table) : emu_(emu), db_(std::move(db)), table_(std::move(table)) {}

  std::optional<Response> on_headers(Request& req) override {
    emu_.requests++;
    std::string user;
    if (auto denied = fe_auth(emu_, req, &user)) {
      denied->close = true;
      return denied;
    }
    // HTTP/1.1 without `Expect: 100-continue` is refused (HTTP/1.0 skips the check, PR #53008).
    if (req.version != "HTTP/1.0" && strcasecmp(req.header("expect").c_str(), "100-continue") != 0) {
      Response r = Response::json(
          200, "{\"Status\":\"FAILED\",\"Message\":\"class com.starrocks.common.DdlException: There is no 100-continue header\"}");
      r.close = true;
      return r;
    }
    if (db_.empty()) return closing(Response::json(200, "{\"Status\":\"FAILED\",\"Message\":\"No database selected.\"}"));
    if (!emu_.can_insert(user)) {  // the FE checks INSERT before redirecting (401)
      Response r = Response::json(401, rest_result(false, kNoInsertPrivilege));
      r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"\"");
      return closing(std::move(r));
    }
    if (table_.empty()) return closing(Response::json(200, "{\"Status\":\"FAILED\",\"Message\":\"No table selected.\"}"));
    auto f = emu_.faults.take("fe_stream_load", req.header("label"), db_ + "." + table_);
    if (f && f->action == "be_unreachable") return redirect(emu_, emu_.dead_port, req, true);
    if (auto r = fe_fault(f, false)) return closing(std::move(*r));
    return redirect(emu_, emu_.be_ports[pick_be(emu_)], req, true);
  }

  Response on_complete(Request&) override { return Response::text(500, "unreachable"); }

 private:
  static Response closing(Response r) {
    r.close = true;
    return r;
  }
  Emulator& emu_;
  std::string db_, table_;
};

// ---- /api/transaction/{op} on the FE ----
class FeTxn : public SimpleHandler {
 public:
  FeTxn(Emulator& emu, std::string op) : emu_(emu), op_(std::move(op)) {}

  std::optional<Response> on_headers(Request& req) override {
    emu_.requests++;
    if (auto denied = fe_auth(emu_, req)) return denied;
    if (req.role == Role::kFe && emu_.cfg.follower) return redirect(emu_, emu_.leader_fe_port, req, false);
    return route(req);
  }

  Response on_complete(Request&) override { return Response::text(500, "unreachable"); }

 private:
  Response failed(const std::string& message) {
    return Response::json(200, fe_txn_result("FAILED", kExceptionPrefix + message, -1, ""));
  }

  std::optional<Response> route(Request& req) {
    const std::string db = req.header("db");
    const std::string label = req.header("label");
    const std::string table = req.header("table");
    if (op_ != "begin" && op_ != "load" && op_ != "prepare" && op_ != "commit" && op_ != "rollback") {
      return failed("Unknown transaction operation: " + op_);
    }
    if (db.empty()) return Response::json(200, fe_txn_result("FAILED", "No database selected.", -1, ""));
    if (label.empty() || label.find_first_not_of(" \t") == std::string::npos) {
      return Response::json(200, fe_txn_result("FAILED", "Empty label.", -1, ""));
    }
    const std::string point = "txn_" + op_;
    // Redirected ops: the BE performs them (and their faults); the FE only decides where to go.
    auto unreachable = emu_.faults.take(point, label, db + "." + table, {"be_unreachable"});
    std::unique_lock<std::mutex> lock(emu_.mu);
    emu_.tick_locked();
    Txn* t = emu_.find_txn_locked(db, label);
    if (op_ == "begin") {
      // A repeated begin for the same label goes to the same coordinator.
      int be = t != nullptr && t->state != TxnState::kAborted ? t->coordinator_be : pick_be(emu_);
      lock.unlock();
      return redirect(emu_, unreachable ? emu_.dead_port : emu_.be_ports[be], req, false);
    }
    if (op_ == "load" || op_ == "prepare") {
      if (t == nullptr) {
        return failed("Can't find the transaction with db [" + db + "] and label[" + label +
                      "]. The possible reasons: 1. FE leader is started or switched; 2. The transaction timeouts and "
                      "is cleaned.");
      }
      int be = t->coordinator_be;
      lock.unlock();
      return redirect(emu_, unreachable ? emu_.dead_port : emu_.be_ports[be], req, false);
    }
    // commit / rollback: by the label's state (spec §4.2).
    if (t == nullptr) {
      if (emu_.catalog.db(db) == nullptr) return failed("Database[" + db + "] does not exist.");
      return failed("No transaction found by label " + label);
    }
    if (t->state == TxnState::kPrepare) {
      int be = t->coordinator_be;
      lock.unlock();
      return redirect(emu_, unreachable ? emu_.dead_port : emu_.be_ports[be], req, false);
    }
    lock.unlock();
    auto f = emu_.faults.take(point, label, db + "." + table,
                              {"http_status", "reply", "delay", "hang", "drop", "not_master", "apply_then_drop",
                               "apply_then_reply", "publish_timeout", "too_many_versions"});
    if (f && f->action != "apply_then_drop" && f->action != "apply_then_reply" && f->action != "publish_timeout" &&
        f->action != "too_many_versions") {
      if (auto r = fe_fault(f, false)) return r;
    }
    lock.lock();
    emu_.tick_locked();
    t = emu_.find_txn_locked(db, label);
    if (t == nullptr) return failed("No transaction found by label " + label);
    const std::string id = std::to_string(t->id);
    Response r;
    if (op_ == "commit") {
      switch (t->state) {
        case TxnState::kPrepared: {
          if (f && f->action == "too_many_versions") {
            return failed("Too many versions. tablet_id: 10086, version_count: 1001, limit: 1000.");
          }
          bool slow = f && f->action == "publish_timeout";
          emu_.commit_locked(*t, nullptr, slow ? std::max<int64_t>(1, f->publish_delay_s) : 0);
          count_discarded_commit_locked(emu_, *t);
          if (slow) {
            int64_t wait_ms = 20000;
            if (auto v = parse_seconds(req.header("timeout"))) wait_ms = *v * 1000;
            r = failed("publish timeout: " + std::to_string(wait_ms) + ", transactionId=" + id);
          } else {
            // Older FEs (≈2.4–3.2) answered a FE-side commit with the label only.
            r = Response::json(200, fe_txn_result("OK", "", legacy_responses() ? -1 : t->id, label));
          }
          break;
        }
        case TxnState::kCommitted:
        case TxnState::kVisible:
          r = Response::json(200, legacy_responses()
                                      ? fe_txn_result("OK", "label " + label + " transaction " + id + " has already committed", -1, label)
                                      : fe_txn_result("OK", "Transaction " + id + " has already committed, label is " + label,
                                                      t->id, label));
          break;
        case TxnState::kAborted:
          r = failed(legacy_responses() ? "cannot commit aborted transaction " + id + ", label " + label
                                        : "Can not commit ABORTED transaction " + id + ", label is " + label);
          break;
        default:
          r = failed("No transaction found by label " + label);
      }
    } else {  // rollback
      switch (t->state) {
        case TxnState::kPrepared:
          emu_.abort_locked(*t, "User Aborted");
          r = Response::json(200, fe_txn_result("OK", "", t->id, label));
          break;
        case TxnState::kAborted:
          r = Response::json(200, fe_txn_result("OK", "Transaction " + id + " has already aborted, label is " + label,
                                                t->id, label));
          break;
        default:
          r = failed(std::string("Can not abort ") + state_name(t->state) + " transaction " + id + ", label is " + label);
      }
    }
    if (f && f->action == "apply_then_drop") return Response::drop();
    if (f && f->action == "apply_then_reply") {
      std::string out = fe_txn_result(f->status.empty() ? "FAILED" : f->status, f->message, t->id, label);
      if (!f->extra_json.empty()) out = out.substr(0, out.size() - 1) + "," + f->extra_json + "}";
      return Response::json(200, out);
    }
    return r;
  }

  Emulator& emu_;
  std::string op_;
};

// ---- GET /api/{db}/get_load_state?label= ----
class GetLoadState : public SimpleHandler {
 public:
  GetLoadState(Emulator& emu, std::string db) : emu_(emu), db_(std::move(db)) {}
  std::optional<Response> on_headers(Request& req) override {
    emu_.requests++;
    if (auto denied = fe_auth(emu_, req)) return denied;
    if (req.role == Role::kFe && emu_.cfg.follower) return redirect(emu_, emu_.leader_fe_port, req, false);
    const std::string label = req.arg("label");
    if (db_.empty()) return Response::json(200, rest_result(false, "No database selected."));
    if (label.empty()) return Response::json(200, rest_result(false, "No label selected."));
    if (auto r = fe_fault(emu_.faults.take("get_load_state", label, db_), true)) return r;
    std::lock_guard<std::mutex> lock(emu_.mu);
    emu_.tick_locked();
    if (emu_.catalog.db(db_) == nullptr) return Response::json(200, rest_result(false, "unknown database, database=" + db_));
    Txn* t = emu_.find_txn_locked(db_, label);
    JsonObject o;
    o.str("state", t ? state_name(t->state) : "UNKNOWN");
    if (t && !t->reason.empty()) o.str("reason", t->reason);
    o.str("status", "OK").str("code", "0").str("msg", "Success").str("message", "OK");
    return Response::json(200, o.done());
  }
  Response on_complete(Request&) override { return Response::text(500, "unreachable"); }

 private:
  Emulator& emu_;
  std::string db_;
};

// ---- POST /api/{db}/{table}/_cancel?label= ----
class Cancel : public SimpleHandler {
 public:
  Cancel(Emulator& emu, std::string db, std::string table) : emu_(emu), db_(std::move(db)), table_(std::move(table)) {}
  std::optional<Response> on_headers(Request& req) override {
    emu_.requests++;
    if (auto denied = fe_auth(emu_, req)) return denied;
    if (req.role == Role::kFe && emu_.cfg.follower) return redirect(emu_, emu_.leader_fe_port, req, false);
    return std::nullopt;  // POST bodies are read (and ignored) before the FE acts
  }
  Response on_complete(Request& req) override {
    const std::string label = req.arg("label");
    if (db_.empty()) return Response::json(200, rest_result(false, "No database selected."));
    if (label.empty()) return Response::json(200, rest_result(false, "No label selected."));
    if (auto r = fe_fault(emu_.faults.take("cancel", label, db_ + "." + table_), true)) return *r;
    std::lock_guard<std::mutex> lock(emu_.mu);
    emu_.tick_locked();
    if (emu_.catalog.db(db_) == nullptr) return Response::json(200, rest_result(false, "unknown database, database=" + db_));
    Txn* t = emu_.find_txn_locked(db_, label);
    if (t == nullptr) return Response::json(200, rest_result(false, "transaction not found, label=" + label));
    if (t->state == TxnState::kPrepare || t->state == TxnState::kPrepared) {
      emu_.abort_locked(*t, "user cancel");
      return Response::json(200, rest_result(true, ""));
    }
    if (t->state == TxnState::kAborted) {
      return Response::json(200, rest_result(false, "transaction " + std::to_string(t->id) + " has already aborted, label=" + label));
    }
    return Response::json(200, rest_result(false, "transaction " + std::to_string(t->id) +
                                                      " has been committed, label=" + label));
  }

 private:
  Emulator& emu_;
  std::string db_, table_;
};

}  // namespace

Response redirect(const Emulator& emu, int port, const Request& req, bool close) {
  Response r;
  r.status = 307;
  // A BE (or the dead port standing for one) may be advertised under another name; the leader FE
  // of --follower never is.
  const bool to_be = port == emu.dead_port ||
                     std::find(emu.be_ports.begin(), emu.be_ports.end(), port) != emu.be_ports.end();
  const std::string& host = to_be && !emu.cfg.advertise_be_host.empty() ? emu.cfg.advertise_be_host : emu.cfg.bind;
  const bool https = to_be ? emu.cfg.be_tls() : emu.cfg.fe_tls();
  std::string location = (https ? "https://" : "http://") + host + ":" + std::to_string(port) + req.path;
  if (!req.raw_query.empty()) location += "?" + req.raw_query;
  r.headers.emplace_back("Location", location);
  r.close = close;
  return r;
}

std::unique_ptr<Handler> make_fe_stream_load(Emulator& emu, const std::string& db, const std::string& table) {
  return std::make_unique<FeStreamLoad>(emu, db, table);
}
std::unique_ptr<Handler> make_fe_txn(Emulator& emu, const std::string& op) { return std::make_unique<FeTxn>(emu, op); }
std::unique_ptr<Handler> make_get_load_state(Emulator& emu, const std::string& db) {
  return std::make_unique<GetLoadState>(emu, db);
}
std::unique_ptr<Handler> make_cancel(Emulator& emu, const std::string& db, const std::string& table) {
  return std::make_unique<Cancel>(emu, db, table);
}

}  // namespace sremu
