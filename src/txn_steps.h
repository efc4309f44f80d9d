// One transaction operation carried to a settled outcome: retried idempotently with the same
// label (max_retries, doubling backoff), doubt settled with get_load_state, as spec §4.4/§4.9
// prescribe. Used by the on_checkpoint driver and by recovery.
#pragma once
#include <atomic>
#include <cstdint>
#include <string>

#include "classify.h"
#include "status.h"
#include "txn_ops.h"

namespace srs {

class BodySource;
class Logger;
struct SinkCounters;

struct RetryPolicy {
  int max_retries = 3;
  int64_t backoff_ms = 500;                      // first backoff, doubled after each retry
  const std::atomic<bool>* cancelled = nullptr;  // stops backoffs (SR_SINK_E_CANCELLED)
  int64_t timeout_ms = 0;  // retry_timeout_ms of one step's push-back waits; 0 = none
};

class TxnSteps {
 public:
  TxnSteps(TxnOps& ops, RetryPolicy policy, const Logger* log, SinkCounters* counters)
      : ops_(ops), policy_(policy), log_(log), counters_(counters) {}

  // get_load_state, retried while it fails retryably.
  Result<std::string> state(const std::string& label);

  // Opens a transaction (state PREPARE). StarRocks' push-back (the running-transaction limit)
  // is waited out up to policy.timeout_ms without spending max_retries (throttle.h). A leftover PREPARE/PREPARED transaction with this label
  // (a crashed run's, or our own whose begin reply was lost) is rolled back and begin repeated;
  // a COMMITTED/VISIBLE one is SR_SINK_E_RECOVERY (the label is spent: its data would be lost).
  // On failure, *maybe_begun (if given) says whether StarRocks may nevertheless hold a transaction
  // of `label` that it began: some attempt's outcome is unknown (cancelled, timed out, connection
  // lost after sending, unparseable reply) or a leftover could not be rolled back. The caller must
  // then track the label and roll it back (a rollback of a never-begun label is OK).
  Status begin(const std::string& label, bool* maybe_begun = nullptr);

  // One load request. Repeated only when StarRocks certainly did not take it (TXN_IN_PROCESSING,
  // or the connection failed before anything was sent) and the body can be rewound; any other
  // failure is returned (a transaction load is not replayable: the caller rolls back).
  Status load(const std::string& label, BodySource& body);

  // PREPARE → PREPARED. TXN_NOT_EXISTS or an unclear reply is settled with get_load_state:
  // PREPARED = success, still PREPARE = try again. On success *reply has the txn's counters
  // when StarRocks sent them.
  Status prepare(const std::string& label, LoadReply* reply);

  // PREPARED → COMMITTED. OK when it is COMMITTED/VISIBLE afterwards ("already committed",
  // "publish timeout"). ABORTED or UNKNOWN is SR_SINK_E_RECOVERY naming `checkpoint_id`: that
  // checkpoint's data is not (provably) in StarRocks.
  Status commit(const std::string& label, int64_t checkpoint_id);

  // → ABORTED. OK when the label ends ABORTED or UNKNOWN; falls back to _cancel when rollback
  // fails (e.g. the coordinator BE of a PREPARE txn is unreachable); COMMITTED/VISIBLE is an error.
  Status rollback(const std::string& label);

 private:
  // Sleeps the backoff of retry `attempt` (0-based); SR_SINK_E_CANCELLED if cancelled meanwhile.
  Status backoff(int attempt);
  Status rollback_once(const std::string& label, bool* done);
  Status begin_attempts(const std::string& label, bool* unknown);

  TxnOps& ops_;
  RetryPolicy policy_;
  const Logger* log_;
  SinkCounters* counters_;
};

// "transaction begin of <label>: <Status> <Message>" as an error with the reply's HTTP status.
Status reply_error(int32_t code, const char* op, const std::string& label, const TxnCall& call);

bool is_state(const std::string& s, std::initializer_list<const char*> any);

}  // namespace srs
