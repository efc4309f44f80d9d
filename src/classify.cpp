// Classification of StarRocks replies (spec §2.6, §3.6, §3.9, §4.4). Replies are parsed
// leniently: keys are looked up case-insensitively (Status/status, Message/message/msg), status
// values compared case-insensitively, and the outcome of a failure decided by message keywords,
// never by the Java exception prefix.
#include "classify.h"

#include <cjson/cJSON.h>

#include <cmath>
#include <cstdlib>
#include <memory>

namespace srs {
namespace {

using JsonPtr = std::unique_ptr<cJSON, decltype(&cJSON_Delete)>;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool contains_any(const std::string& haystack, std::initializer_list<const char*> needles) {
  for (const char* n : needles) {
    if (haystack.find(n) != std::string::npos) return true;
  }
  return false;
}

// cJSON_GetObjectItem compares keys case-insensitively, which is what lenient parsing needs.
std::string get_str(const cJSON* obj, const char* key) {
  const cJSON* v = cJSON_GetObjectItem(obj, key);
  if (cJSON_IsString(v) && v->valuestring) return v->valuestring;
  return "";
}

int64_t get_int(const cJSON* obj, const char* key, int64_t dflt) {
  const cJSON* v = cJSON_GetObjectItem(obj, key);
  // Out-of-range doubles would make the cast undefined; such a counter is garbage anyway.
  if (cJSON_IsNumber(v) && std::fabs(v->valuedouble) < 9.2e18) return static_cast<int64_t>(v->valuedouble);
  if (cJSON_IsString(v) && v->valuestring && *v->valuestring) {
    char* end = nullptr;
    long long n = std::strtoll(v->valuestring, &end, 10);
    if (end && *end == '\0') return n;
  }
  return dflt;
}

// Failure messages by what they mean (lower-case keywords, spec §3.6.1 and §3.9).
Outcome classify_failure_message(const std::string& message, Outcome fallback) {
  const std::string m = lower(message);
  // Caused by the rows themselves: the same data fails again.
  if (contains_any(m, {"too many filtered rows", "primary key size exceed", "data quality"})) {
    return Outcome::kDataError;
  }
  // "No transaction found by label l", "Transaction with label l not exists", "Can't find the
  // transaction with db [..] and label [..]" (a column that "does not exist" is not a txn).
  if (contains_any(m, {"no transaction found", "can't find the transaction"}) ||
      (m.find("transaction") != std::string::npos && m.find("not exist") != std::string::npos)) {
    return Outcome::kTxnNotExists;
  }
  // Requests that will be refused again: privileges, catalog, label syntax, headers, sizes.
  if (contains_any(m, {"access denied", "no valid basic authorization", "need auth information",
                       "label format error", "unknown table", "unknown database",
                       "unsupported compression type", "unknown data format",
                       "only primary key table support partial update",
                       "conditional update only support primary key table",
                       "invalid timeout", "invalid strict mode", "invalid partial update",
                       "invalid delimiter", "invalid json path", "invalid load mem limit",
                       "invalid prepared_timeout", "invalid load_dop", "invalid csv",
                       "invalid trim space", "invalid parameter", "must be bool type",
                       "must be equal or greater than", "must be greater than 0",
                       "expected values should be between", "no database selected",
                       "no table selected", "no label selected", "empty label",
                       "not equal transaction", "not match", "load request not equal last",
                       "exceed limit", "exceed the max size", "document that big",
                       "beyond the json payload limit", "unknown envelope type",
                       "can not specify both", "duplicate column", "mapping column is not in table",
                       "unsupported operation", "not supported", "100-continue",
                       "can not commit aborted", "cannot commit aborted", "can not abort",
                       "cannot abort", "hasn't send any data"})) {
    return Outcome::kPermanent;
  }
  // Known transient conditions (leader change, throttling, shutdown, limits, RPC trouble).
  if (contains_any(m, {"current fe is not master", "current running txns on db", "no backend alive",
                       "shutting down", "please try again later", "please retry later", "timeout",
                       "timed out", "rpc", "receive body don't equal"})) {
    return Outcome::kRetryable;
  }
  return fallback;
}

// StarRocks pushing back: the request was refused before anything was done and will pass once
// the server caught up. Returns the setting that bounds it, or nullptr.
const char* throttle_setting(int http_status, const std::string& message) {
  const std::string m = lower(message);
  // BE DeltaWriter: "Too many versions. tablet_id: ..", "Failed to load data into tablet ..,
  // because of too many versions, current/limit: ..", "too many tablet versions".
  if (contains_any(m, {"too many versions", "too many tablet versions"})) {
    return "BE config tablet_max_versions (compaction must catch up)";
  }
  // FE DatabaseTransactionMgr: "current running txns on db <id> is <n>, larger than limit <m>".
  if (m.find("current running txns on db") != std::string::npos) {
    return "FE config max_running_txn_num_per_db";
  }
  if (http_status == 429) return "HTTP 429 Too Many Requests (a rate limit before StarRocks)";
  if (http_status == 503) return "HTTP 503 Service Unavailable";
  return nullptr;
}

// A parsed JSON object reply → outcome by its status.
Outcome classify_status(const std::string& status, const LoadReply& r) {
  const std::string s = lower(status);
  // Stream-load family.
  if (s == "success") return Outcome::kSuccess;
  if (s == "publish timeout") return Outcome::kSuccess;  // committed, visible later (§3.6.1)
  if (s == "label already exists" || s == "label_already_exists") {
    const std::string e = lower(r.existing_job_status);
    // FINISHED (stream load / BE); the FE multi-table path reports the raw txn state (§4.7).
    if (e == "finished" || e == "committed" || e == "visible") return Outcome::kAlreadyFinished;
    return Outcome::kAlreadyRunning;  // RUNNING, PREPARE, PREPARED, or "" (same-BE conflict)
  }
  if (s == "fail") return classify_failure_message(r.message, Outcome::kRetryable);

  // Transaction families: "OK" covers "already committed" / "already aborted" (idempotent).
  if (s == "ok") return Outcome::kSuccess;
  if (s == "publish_timeout") return Outcome::kSuccess;  // BE commit path: committed
  if (s == "txn_not_exists") return Outcome::kTxnNotExists;
  if (s == "txn_in_processing") return Outcome::kTxnInProcessing;
  if (s == "failed") {
    // FE-side commit: the txn IS committed, publish is still running (§4.4).
    if (lower(r.message).find("publish timeout") != std::string::npos) return Outcome::kSuccess;
    return classify_failure_message(r.message, Outcome::kRetryable);
  }
  if (s == "invalid_argument" || s == "not_implemented_error" || s == "not_found" ||
      s == "not_authorized") {
    return Outcome::kPermanent;
  }
  if (s == "data_quality_error") return Outcome::kDataError;
  if (s == "analysis_error") return classify_failure_message(r.message, Outcome::kPermanent);
  // INTERNAL_ERROR, ABORTED, TIMEOUT, MEM_LIMIT_EXCEEDED, SERVICE_UNAVAILABLE, RUNTIME_ERROR,
  // THRIFT_RPC_ERROR, CANCELLED, ...: the txn is rolled back; the message may still say why it
  // cannot succeed (too many filtered rows, load request not equal last).
  return classify_failure_message(r.message, Outcome::kRetryable);
}

// A reply whose HTTP status is not 200 and that carries no usable status.
Outcome classify_http(int http_status) {
  if (http_status == 401 || http_status == 403) return Outcome::kPermanent;
  if (http_status == 404 || http_status == 405) return Outcome::kPermanent;  // old server, bad path
  if (http_status == 413 || http_status == 400) return Outcome::kPermanent;
  if (http_status == 429 || http_status == 503) return Outcome::kRetryable;  // not executed
  // 500 (FE exception), 502, 504, ...: the operation may or may not have happened.
  return Outcome::kUnknown;
}

LoadReply classify_reply(int http_status, std::string_view body);

}  // namespace

LoadReply classify_load_reply(int http_status, std::string_view body) {
  LoadReply r = classify_reply(http_status, body);
  if (r.outcome == Outcome::kRetryable || r.outcome == Outcome::kUnknown) {
    if (const char* setting = throttle_setting(http_status, r.message)) {
      r.outcome = Outcome::kRetryable;  // refused before anything was done
      r.throttled = true;
      r.throttle_setting = setting;
    }
  }
  return r;
}

namespace {
LoadReply classify_reply(int http_status, std::string_view body) {
  LoadReply r;
  JsonPtr doc(cJSON_ParseWithLength(body.data(), body.size()), &cJSON_Delete);
  const cJSON* obj = cJSON_IsObject(doc.get()) ? doc.get() : nullptr;
  if (obj) {
    r.status = get_str(obj, "Status");
    r.message = get_str(obj, "Message");
    if (r.message.empty()) r.message = get_str(obj, "msg");
    r.existing_job_status = get_str(obj, "ExistingJobStatus");
    r.error_url = get_str(obj, "ErrorURL");
    r.label = get_str(obj, "Label");
    r.txn_id = get_int(obj, "TxnId", -1);
    r.rows_total = get_int(obj, "NumberTotalRows", 0);
    r.rows_loaded = get_int(obj, "NumberLoadedRows", 0);
    r.rows_filtered = get_int(obj, "NumberFilteredRows", 0);
    r.rows_unselected = get_int(obj, "NumberUnselectedRows", 0);
    r.load_bytes = get_int(obj, "LoadBytes", 0);
    r.load_time_ms = get_int(obj, "LoadTimeMs", 0);
  } else if (!body.empty()) {
    // Plain-text error bodies ("Not Found") are still worth showing.
    r.message = std::string(body.substr(0, 512));
  }

  // Auth and "no such endpoint" answers win over whatever JSON they carry.
  if (http_status == 401 || http_status == 403 || http_status == 404 || http_status == 405) {
    r.outcome = Outcome::kPermanent;
    if (r.message.empty()) r.message = "HTTP " + std::to_string(http_status);
    return r;
  }
  if (obj && !r.status.empty()) {
    r.outcome = classify_status(r.status, r);
    return r;
  }
  // RestBaseResultV2: {"code":"0"|"<http code>","message":...} without a status.
  if (obj && cJSON_GetObjectItem(obj, "code") && http_status == 200) {
    const std::string code = get_str(obj, "code");
    int64_t n = get_int(obj, "code", -1);
    r.status = code.empty() ? std::to_string(n) : code;
    r.outcome = n == 0 ? Outcome::kSuccess : classify_failure_message(r.message, Outcome::kRetryable);
    return r;
  }
  r.outcome = http_status == 200 ? Outcome::kUnknown : classify_http(http_status);
  if (r.message.empty()) {
    r.message = http_status == 200 ? "reply has no status" : "HTTP " + std::to_string(http_status);
  }
  return r;
}

}  // namespace

std::string parse_load_state(int http_status, std::string_view body, std::string* error) {
  std::string ignored;
  if (!error) error = &ignored;
  JsonPtr doc(cJSON_ParseWithLength(body.data(), body.size()), &cJSON_Delete);
  const cJSON* obj = cJSON_IsObject(doc.get()) ? doc.get() : nullptr;
  std::string message;
  if (obj) {
    message = get_str(obj, "message");
    if (message.empty() || message == "OK") {
      std::string msg = get_str(obj, "msg");
      if (!msg.empty()) message = msg;
    }
  }
  if (http_status != 200) {
    *error = "get_load_state answered HTTP " + std::to_string(http_status) +
             (message.empty() ? "" : ": " + message);
    return "";
  }
  if (!obj) {
    *error = "get_load_state reply is not a JSON object";
    return "";
  }
  const std::string status = lower(get_str(obj, "status"));
  if (!status.empty() && status != "ok") {
    *error = "get_load_state failed: " + (message.empty() ? status : message);
    return "";
  }
  std::string state = get_str(obj, "state");
  if (state.empty()) {
    *error = "get_load_state reply has no state";
    return "";
  }
  for (char& c : state) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  error->clear();
  return state;
}

}  // namespace srs
