#include "be/load_common.h"

#include <cctype>
#include <cstdio>
#include <random>

#include "core/json_util.h"

namespace sremu {

namespace {
bool g_legacy = false;
const char* plan_time_key() { return g_legacy ? "StreamLoadPutTimeMs" : "StreamLoadPlanTimeMs"; }
}  // namespace

void set_legacy_responses(bool on) { g_legacy = on; }
bool legacy_responses() { return g_legacy; }

bool valid_label(const std::string& label) {
  if (label.empty() || label.size() > 128) return false;
  for (unsigned char c : label) {
    if (!(std::isalnum(c) || c == '_' || c == '-')) return false;
  }
  return true;
}

std::string label_format_error(const std::string& label) {
  return "Label format error. regex: ^[-\\w]{1,128}$, label: " + label;
}

std::string new_uuid() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  uint64_t a = rng(), b = rng();
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xffff),
                static_cast<unsigned>(b >> 48), static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buf;
}

ParsedLoad decode_and_parse(const TableSchema& schema, const LoadParams& params, const Headers& headers,
                            const std::string& body) {
  (void)headers;
  LoadParams p = params;
  std::string algo;
  if (p.format != "csv" && p.format != "json") {
    algo = p.format;  // compressed CSV: the whole body is one compressed stream (spec §3.5)
    p.format = "csv";
  } else if (p.format == "json" && !p.compression.empty()) {
    algo = p.compression;
  }
  if (algo.empty()) return parse_body(schema, p, body);
  std::string plain;
  if (auto err = decompress(algo, body, &plain)) {
    ParsedLoad failed;
    failed.error = *err;
    return failed;
  }
  return parse_body(schema, p, plain);
}

bool too_many_filtered(int64_t total, int64_t filtered, int64_t unselected, double max_ratio) {
  int64_t denom = total - unselected;
  if (filtered <= 0 || denom <= 0) return false;
  return static_cast<double>(filtered) / static_cast<double>(denom) > max_ratio;
}

std::optional<int64_t> parse_seconds(const std::string& v) {
  if (v.empty() || v.size() > 10) return std::nullopt;
  int64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  if (n > 2147483647) return std::nullopt;
  return n;
}

std::string load_signature(const Headers& headers) {
  static const char* kLoadHeaders[] = {
      "format", "columns", "column_separator", "row_delimiter", "jsonpaths", "json_root", "strip_outer_array",
      "max_filter_ratio", "strict_mode", "partial_update", "partial_update_mode", "merge_condition", "compression",
      "content-encoding", "timezone", "where", "partitions", "temporary_partitions", "negative", "load_mem_limit",
      "exec_mem_limit", "skip_header", "trim_space", "enclose", "escape", "log_rejected_record_num"};
  std::string sig;
  for (const char* h : kLoadHeaders) {
    auto it = headers.find(h);
    sig += h;
    sig += it == headers.end() ? std::string("\x01") : "=" + it->second;
    sig += '\n';
  }
  return sig;
}

std::string StreamLoadReply::to_json() const {
  JsonObject o;
  o.num("TxnId", txn_id).str("Label", label);
  if (!g_legacy) o.str("Db", db).str("Table", table);
  o.str("Status", status);
  if (status == "Label Already Exists") o.str("ExistingJobStatus", existing_status);
  o.str("Message", message)
      .num("NumberTotalRows", total)
      .num("NumberLoadedRows", loaded)
      .num("NumberFilteredRows", filtered)
      .num("NumberUnselectedRows", unselected)
      .num("LoadBytes", bytes)
      .num("LoadTimeMs", load_ms)
      .num("BeginTxnTimeMs", 0)
      .num(plan_time_key(), 0)
      .num("ReadDataTimeMs", 0)
      .num("WriteDataTimeMs", 0)
      .num("CommitAndPublishTimeMs", 0);
  if (!error_url.empty()) o.str("ErrorURL", error_url);
  return o.done();
}

std::string MergeReply::to_json() const {
  JsonObject o;
  o.num("TxnId", txn_id)
      .str("Label", label)
      .str("Status", status)
      .str("Message", message)
      .str("RequestId", request_id)
      .num("LoadBytes", bytes)
      .num("LoadTimeMs", load_ms)
      .num("ReadDataTimeMs", 0)
      .num("PendingTimeMs", 0)
      .num("WaitPlanTimeMs", 0)
      .num("WriteDataTimeMs", 0)
      .num("WaitFinishTimeMs", wait_finish_ms)
      .num("LeftMergeTimeMs", left_merge_ms);
  return o.done();
}

std::string TxnReply::to_json() const {
  JsonObject o;
  o.str("Status", status);
  if (has_existing) o.str("ExistingJobStatus", existing_status);
  o.str("Message", message);
  if (!g_legacy) o.str("Db", db).str("Table", table);
  if (status == "OK" || status == "TXN_IN_PROCESSING" || op == "rollback") o.str("Label", label);
  if (status == "OK" && op != "rollback") {
    o.num("TxnId", txn_id);
    if (op == "begin") o.num("BeginTxnTimeMs", 0);
    if (op == "load") o.num("LoadBytes", bytes).num(plan_time_key(), 0).num("ReceivedDataTimeMs", 0);
  }
  // StreamLoadContext::to_resp_json writes the counters only for an OK status: a failed prepare
  // or commit ("too many filtered rows", PUBLISH_TIMEOUT) carries Status, Message and ErrorURL.
  if (counters && status == "OK") {
    o.num("NumberTotalRows", total)
        .num("NumberLoadedRows", loaded)
        .num("NumberFilteredRows", filtered)
        .num("NumberUnselectedRows", unselected)
        .num("LoadBytes", bytes)
        .num("LoadTimeMs", 0)
        .num(plan_time_key(), 0)
        .num("ReceivedDataTimeMs", 0)
        .num("WriteDataTimeMs", 0)
        .num("CommitAndPublishTimeMs", 0);
  }
  if (!error_url.empty()) o.str("ErrorURL", error_url);
  std::string out = o.done();
  if (!extra.empty()) out = out.substr(0, out.size() - 1) + "," + extra + "}";
  return out;
}

std::string fe_txn_result(const std::string& status, const std::string& message, int64_t txn_id,
                          const std::string& label) {
  JsonObject o;
  o.str("Status", status).str("Message", message);
  if (txn_id >= 0) o.num("TxnId", txn_id);
  if (!label.empty()) o.str("Label", label);
  return o.done();
}

std::string rest_result(bool ok, const std::string& msg) {
  return JsonObject()
      .str("status", ok ? "OK" : "FAILED")
      .str("code", ok ? "0" : "1")
      .str("msg", ok ? "Success" : msg)
      .str("message", ok ? "OK" : msg)
      .done();
}

const char* const kNoInsertPrivilege =
    "Access denied; you need (at least one of) the INSERT privilege(s) for this operation";

std::optional<Response> fe_auth(Emulator& emu, const Request& req, std::string* user_out) {
  std::string user;
  Emulator::Auth a = emu.check_auth(req.header("authorization"), &user);
  if (user_out != nullptr) *user_out = user;
  if (a == Emulator::Auth::kOk) return std::nullopt;
  std::string msg = a == Emulator::Auth::kMissing ? "Need auth information." : "Access denied for " + user + "@127.0.0.1";
  Response r = Response::json(401, rest_result(false, msg));
  r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"\"");
  return r;
}

}  // namespace sremu
