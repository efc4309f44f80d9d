// Settling transaction operations (see txn_steps.h). StarRocks behaviours followed here:
// spec §4.4 (publish timeout = committed; TXN_NOT_EXISTS after prepare), §4.5 (state machine),
// §4.9 (Flink's commit/abort/recovery pattern), §3.10 (_cancel as the last resort).
#include "txn_steps.h"

#include "backoff.h"
#include "log.h"
#include "mode_driver.h"
#include "throttle.h"

namespace srs {
namespace {

bool transient(Outcome o) {
  return o == Outcome::kRetryable || o == Outcome::kTxnInProcessing || o == Outcome::kUnknown ||
         o == Outcome::kTxnNotExists;
}

// Whether a begin request that got no settled answer may still have begun the transaction. Only a
// connection that failed before anything was sent proves it did not (maybe_delivered false); a
// cancelled request counts as maybe delivered whatever the HTTP layer says, since it is aborted
// wherever it is.
bool begin_outcome_unknown(const TxnCall& call) {
  if (call.answered()) return call.reply.outcome == Outcome::kUnknown;
  return call.maybe_delivered || call.transport.code() == SR_SINK_E_CANCELLED;
}

std::string describe(const TxnCall& call) {
  if (!call.answered()) return call.transport.message();
  std::string s = call.reply.status.empty() ? "unparseable reply" : call.reply.status;
  if (!call.reply.message.empty()) s += " " + call.reply.message;
  return s;
}

}  // namespace

bool is_state(const std::string& s, std::initializer_list<const char*> any) {
  for (const char* a : any) {
    if (s == a) return true;
  }
  return false;
}

Status reply_error(int32_t code, const char* op, const std::string& label, const TxnCall& call) {
  Status st = call.answered() ? Status::Error(code, "")
                              : Status::Error(call.transport.code(), "", call.transport.flags());
  std::string msg = std::string("transaction ") + op + " of " + label + ": " + describe(call);
  return Status::Error(st.code(), msg, st.flags())
      .with_http_status(call.answered() ? call.http_status : call.transport.http_status())
      .with_label(label);
}

Status TxnSteps::backoff(int attempt) {
  if (counters_) counters_->retries.fetch_add(1, std::memory_order_relaxed);
  if (!sleep_unless_cancelled(backoff_ms(policy_.backoff_ms, attempt + 1), policy_.cancelled)) {
    return Status::Error(SR_SINK_E_CANCELLED, "cancelled by sr_sink_cancel");
  }
  return Status::OK();
}

Result<std::string> TxnSteps::state(const std::string& label) {
  Status last;
  for (int attempt = 0;; ++attempt) {
    Result<std::string> r = ops_.load_state(label);
    if (r.ok()) return r;
    last = r.status();
    if (!last.retryable() || attempt >= policy_.max_retries) break;
    SRS_RETURN_IF_ERROR(backoff(attempt));
  }
  return last;
}

Status TxnSteps::begin(const std::string& label, bool* maybe_begun) {
  bool unknown = false;  // some attempt may have begun the transaction
  Status st = begin_attempts(label, &unknown);
  if (maybe_begun) *maybe_begun = !st.ok() && unknown;
  return st;
}

Status TxnSteps::begin_attempts(const std::string& label, bool* unknown) {
  TxnCall call;
  Retrier pushback("transaction begin of " + label, label, policy_.backoff_ms, policy_.timeout_ms,
                   policy_.cancelled, counters_, log_);
  bool waited = false;  // the last reply was push-back, already waited out
  for (int attempt = 0;; ++attempt) {
    if (attempt > policy_.max_retries) break;
    if (attempt > 0 && !waited) SRS_RETURN_IF_ERROR(backoff(attempt - 1));
    waited = false;
    call = ops_.begin(label);
    if (call.answered() && call.reply.outcome == Outcome::kSuccess) return Status::OK();
    if (call.answered() && call.reply.throttled) {
      // Refused before it began (running-transaction limit): the same label, later, without
      // spending a retry.
      SRS_RETURN_IF_ERROR(pushback.throttled(call.reply.message, call.reply.throttle_setting));
      waited = true;
      --attempt;
      continue;
    }
    if (begin_outcome_unknown(call)) *unknown = true;
    if (call.answered() && (call.reply.outcome == Outcome::kAlreadyRunning ||
                            call.reply.outcome == Outcome::kAlreadyFinished)) {
      Result<std::string> st = state(label);
      if (!st.ok()) return st.status();
      if (is_state(st.value(), {"COMMITTED", "VISIBLE"})) {
        // Spent by an earlier run: ours (if any attempt began one) cannot exist besides it.
        *unknown = false;
        return Status::Error(SR_SINK_E_RECOVERY,
                             "label " + label + " is already " + st.value() +
                                 " in StarRocks, so a new transaction cannot use it: an earlier "
                                 "run of this instance_id committed it. Restore the token of the "
                                 "last completed checkpoint, or use another label_prefix or "
                                 "instance_id",
                             SR_SINK_ERROR_F_FATAL)
            .with_label(label);
      }
      if (is_state(st.value(), {"PREPARE", "PREPARED"})) {
        // Nobody else writes labels of this instance: a crashed run left it, or our previous
        // begin went through and its reply was lost. Nothing of this epoch is in it yet.
        *unknown = true;  // until rolled back
        if (log_) log_->log(SR_SINK_LOG_WARN, "rolling back leftover %s transaction %s",
                            st.value().c_str(), label.c_str());
        SRS_RETURN_IF_ERROR(rollback(label));
        *unknown = false;
      }
      continue;
    }
    if (call.answered() && !transient(call.reply.outcome)) break;
    if (!call.answered() && !call.transport.retryable()) break;
  }
  return reply_error(SR_SINK_E_TXN, "begin", label, call);
}

Status TxnSteps::load(const std::string& label, BodySource& body) {
  TxnCall call;
  for (int attempt = 0;; ++attempt) {
    call = ops_.load(label, body);
    if (call.answered() && call.reply.outcome == Outcome::kSuccess) return Status::OK();
    // Only these two cases prove the bytes were not appended to the transaction.
    bool not_taken = call.answered() ? call.reply.outcome == Outcome::kTxnInProcessing
                                     : !call.maybe_delivered && call.transport.retryable();
    if (!not_taken || attempt >= policy_.max_retries || !body.rewind()) break;
    if (counters_) counters_->load_failures.fetch_add(1, std::memory_order_relaxed);
    SRS_RETURN_IF_ERROR(backoff(attempt));
  }
  int32_t code = SR_SINK_E_LOAD;
  uint32_t flags = 0;
  if (call.answered() && call.reply.outcome == Outcome::kDataError) {
    code = SR_SINK_E_DATA;
    flags = SR_SINK_ERROR_F_DATA;
  }
  Status st = reply_error(code, "load", label, call);
  return st.with_flags(flags);
}

Status TxnSteps::prepare(const std::string& label, LoadReply* reply) {
  TxnCall call;
  for (int attempt = 0;; ++attempt) {
    if (attempt > policy_.max_retries) break;
    if (attempt > 0) SRS_RETURN_IF_ERROR(backoff(attempt - 1));
    call = ops_.prepare(label);
    if (call.answered() && call.reply.outcome == Outcome::kSuccess) {
      if (reply) *reply = call.reply;
      return Status::OK();
    }
    if (call.answered() && call.reply.outcome == Outcome::kDataError) {
      if (reply) *reply = call.reply;  // its ErrorURL lists the rejected rows
      return reply_error(SR_SINK_E_DATA, "prepare", label, call).with_flags(SR_SINK_ERROR_F_DATA);
    }
    // TXN_NOT_EXISTS after a successful prepare (the BE dropped its context), a lost reply, a
    // retryable failure: the label's state says what happened (spec §4.5, §4.9 step 2).
    Result<std::string> st = state(label);
    if (!st.ok()) return st.status();
    if (st.value() == "PREPARED") return Status::OK();
    if (st.value() != "PREPARE") {
      Status e = reply_error(SR_SINK_E_TXN, "prepare", label, call);
      return Status::Error(SR_SINK_E_TXN,
                           e.message() + " (the transaction is now " + st.value() + ")")
          .with_label(label)
          .with_http_status(e.http_status());
    }
    if (call.answered() && !transient(call.reply.outcome)) break;
    if (!call.answered() && !call.transport.retryable()) break;
  }
  return reply_error(SR_SINK_E_TXN, "prepare", label, call);
}

Status TxnSteps::commit(const std::string& label, int64_t checkpoint_id) {
  TxnCall call;
  for (int attempt = 0;; ++attempt) {
    if (attempt > policy_.max_retries) break;
    if (attempt > 0) SRS_RETURN_IF_ERROR(backoff(attempt - 1));
    call = ops_.commit(label);
    if (call.answered() && call.reply.outcome == Outcome::kSuccess) return Status::OK();
    // Commit is idempotent by label, but any reply other than OK (FAILED "publish timeout", a
    // lost reply, ...) may hide a commit that happened: the state decides (spec §4.4).
    Result<std::string> st = state(label);
    if (!st.ok()) return st.status();
    const std::string& s = st.value();
    if (is_state(s, {"COMMITTED", "VISIBLE"})) return Status::OK();
    std::string ckpt = "checkpoint " + std::to_string(checkpoint_id);
    if (s == "ABORTED") {
      return Status::Error(SR_SINK_E_RECOVERY,
                           "the data of " + ckpt +
                               " is NOT in StarRocks: its prepared transaction " +
                               label + " was aborted before it could be committed (typically it "
                               "expired after prepared_transaction_default_timeout_second); "
                               "last reply: " + describe(call),
                           SR_SINK_ERROR_F_FATAL)
          .with_label(label);
    }
    if (s == "UNKNOWN") {
      return Status::Error(SR_SINK_E_RECOVERY,
                           "cannot confirm that the data of " + ckpt +
                               " is in StarRocks: StarRocks does not know its transaction label " +
                               label + " (never prepared, or forgotten after label_keep_max_num/"
                               "label_keep_max_second); last reply: " + describe(call),
                           SR_SINK_ERROR_F_FATAL)
          .with_label(label);
    }
    // PREPARED (or PREPARE): not committed yet, try again.
    if (log_) log_->log(SR_SINK_LOG_WARN, "commit of %s not done yet (%s, state %s), retrying",
                        label.c_str(), describe(call).c_str(), s.c_str());
  }
  return reply_error(SR_SINK_E_TXN, "commit", label, call).with_flags(SR_SINK_ERROR_F_RETRYABLE);
}

Status TxnSteps::rollback_once(const std::string& label, bool* done) {
  *done = false;
  TxnCall call = ops_.rollback(label);
  if (call.answered() && call.reply.outcome == Outcome::kSuccess) {
    *done = true;
    return Status::OK();
  }
  Result<std::string> st = state(label);
  if (!st.ok()) return st.status();
  if (is_state(st.value(), {"ABORTED", "UNKNOWN"})) {
    *done = true;
    return Status::OK();
  }
  if (is_state(st.value(), {"COMMITTED", "VISIBLE"})) {
    return Status::Error(SR_SINK_E_TXN,
                         "cannot roll back transaction " + label + ": it is already " + st.value(),
                         SR_SINK_ERROR_F_FATAL)
        .with_label(label);
  }
  // Still PREPARE/PREPARED: rollback of a PREPARE txn goes through its coordinator BE, which may
  // be gone; _cancel is handled by the FE alone (spec §3.10, Flink's last resort).
  if (log_) log_->log(SR_SINK_LOG_WARN, "rollback of %s failed (%s); trying _cancel",
                      label.c_str(), describe(call).c_str());
  Status c = ops_.cancel(label);
  st = state(label);
  if (!st.ok()) return st.status();
  if (is_state(st.value(), {"ABORTED", "UNKNOWN"})) {
    *done = true;
    return Status::OK();
  }
  return reply_error(SR_SINK_E_TXN, "rollback", label, call)
      .prefix(c.ok() ? "" : "_cancel failed too (" + c.message() + "); ");
}

Status TxnSteps::rollback(const std::string& label) {
  Status last;
  for (int attempt = 0;; ++attempt) {
    bool done = false;
    last = rollback_once(label, &done);
    if (done) return Status::OK();
    if (last.code() == SR_SINK_E_TXN && (last.flags() & SR_SINK_ERROR_F_FATAL)) return last;
    if (attempt >= policy_.max_retries) break;
    SRS_RETURN_IF_ERROR(backoff(attempt));
  }
  return last;
}

}  // namespace srs
