// One table that classifies every StarRocks response the library can get (spec §2.6, §3.6.1, §4.4).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace srs {

enum class Outcome {
  kSuccess,           // done (Success, Publish Timeout, OK, "already committed", ...)
  kAlreadyFinished,   // Label Already Exists + FINISHED: an earlier attempt loaded it → success
  kAlreadyRunning,    // Label Already Exists + RUNNING (or empty): settle with get_load_state
  kRetryable,         // failed, rolled back, same label may be retried (after backoff)
  kDataError,         // failed because of the data (too many filtered rows, ...): do not retry
  kPermanent,         // failed, will fail again (auth, unknown table, bad header, ...)
  kTxnNotExists,      // TXN_NOT_EXISTS: settle with get_load_state
  kTxnInProcessing,   // TXN_IN_PROCESSING: another request on the label is running; wait, retry
  kUnknown,           // unparseable reply: outcome unknown, settle with get_load_state
};

struct LoadReply {
  Outcome outcome = Outcome::kUnknown;
  std::string status;            // raw Status / status
  std::string message;           // raw Message / message / msg
  std::string existing_job_status;
  std::string error_url;
  std::string label;
  int64_t txn_id = -1;
  int64_t rows_total = 0, rows_loaded = 0, rows_filtered = 0, rows_unselected = 0;
  int64_t load_bytes = 0, load_time_ms = 0;
  // StarRocks pushed back (version pressure, running-transaction limit, 429/503): nothing was
  // done, and the same request succeeds once it has caught up. The outcome stays kRetryable; the
  // caller waits longer instead of spending max_retries (throttle.h). `throttle_setting` names
  // what bounds it on the server ("BE config tablet_max_versions", ...).
  bool throttled = false;
  std::string throttle_setting;
};

// Stream Load results and both transaction result families (BE thrift names and FE
// TransactionResult). `http_status` is the HTTP status of the reply (200 normally).
LoadReply classify_load_reply(int http_status, std::string_view body);

// get_load_state: returns the `state` (UNKNOWN, PREPARE, PREPARED, COMMITTED, VISIBLE, ABORTED)
// or "" when the reply is not a successful get_load_state answer (message in *error).
std::string parse_load_state(int http_status, std::string_view body, std::string* error);

}  // namespace srs
