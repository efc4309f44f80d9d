// Pieces shared by plain Stream Load and the transaction interface on the BE: label syntax,
// body decoding (compression) + parsing via data.h, the filter-ratio rule, reply JSON shapes.
#pragma once
#include <string>

#include "data/data.h"
#include "core/emulator.h"
#include "http/http.h"

namespace sremu {

// ^[-\w]{1,128}$ (FeNameFormat.checkLabel).
bool valid_label(const std::string& label);
std::string label_format_error(const std::string& label);
std::string new_uuid();

// Decompresses per `format` (compressed CSV) or `compression` (JSON) and parses with data.h.
ParsedLoad decode_and_parse(const TableSchema& schema, const LoadParams& params, const Headers& headers,
                            const std::string& body);

// NumberFilteredRows / (NumberTotalRows - NumberUnselectedRows) > max_filter_ratio.
bool too_many_filtered(int64_t total, int64_t filtered, int64_t unselected, double max_ratio);

// Parses "timeout"-style integer headers; nullopt when not an unsigned integer.
std::optional<int64_t> parse_seconds(const std::string& v);

// The load-format headers that must be identical on every load of one transaction.
std::string load_signature(const Headers& headers);

// Older StarRocks reply shapes (spec §3.6, §4.4): no Db/Table, `StreamLoadPutTimeMs`, old FE
// commit texts. Set once at start, before any server thread runs.
void set_legacy_responses(bool on);
bool legacy_responses();

// Stream Load reply (spec §3.6).
struct StreamLoadReply {
  int64_t txn_id = -1;
  std::string label, db, table, status = "Fail", message, existing_status, error_url;
  int64_t total = 0, loaded = 0, filtered = 0, unselected = 0, bytes = 0, load_ms = 0;
  std::string to_json() const;
};

// Merge-commit Stream Load reply (StreamLoadContext::to_json with batch write): Status is only
// Success or Fail, Label is the merged txn's label and RequestId the request's own label.
struct MergeReply {
  int64_t txn_id = -1;
  std::string label, status = "Fail", message, request_id;
  int64_t bytes = 0, load_ms = 0, wait_finish_ms = 0, left_merge_ms = 0;
  std::string to_json() const;
};

// Transaction-interface reply from a BE (spec §4.4).
struct TxnReply {
  std::string op;  // begin | load | prepare | commit | rollback
  std::string status = "OK", message, label, db, table, existing_status, error_url;
  int64_t txn_id = -1;
  bool counters = false;  // prepare/commit bodies carry counters (when Status is OK)
  int64_t total = 0, loaded = 0, filtered = 0, unselected = 0, bytes = 0;
  bool has_existing = false;
  std::string extra;  // fault-injected members ("k":v,...)
  std::string to_json() const;
};

// FE TransactionResult: {"Status":..,"Message":..,"TxnId":..,"Label":..}
std::string fe_txn_result(const std::string& status, const std::string& message, int64_t txn_id,
                          const std::string& label);
// FE RestBaseResult: {"status":"FAILED","code":"1","msg":..,"message":..}
std::string rest_result(bool ok, const std::string& msg);

// Checks Basic auth for FE endpoints: 401 as StarRocks does, or nullopt when allowed.
std::optional<Response> fe_auth(Emulator& emu, const Request& req, std::string* user = nullptr);

// StarRocks' text for a missing INSERT privilege.
extern const char* const kNoInsertPrivilege;

}  // namespace sremu
