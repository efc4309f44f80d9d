// on_checkpoint mode: exactly-once with Transaction Stream Load and two-phase commit
// (docs/exactly-once.md). One transaction per epoch (the rows between two checkpoints) of this
// sink's table:
//   first send_load of an epoch → begin(label of id = last label id + 1)
//   every send_load             → one sequential /api/transaction/load request
//   on_checkpoint(N)            → prepare; the token lists every prepared, uncommitted txn <= N
//   commit(N)                   → commit those of checkpoints <= N, in order
// Label ids are dense (each begun transaction takes the next one, epochs without rows take none),
// so recovery finds every label a crashed run used after the restored token's label_id; the token
// records the checkpoint → label mapping.
#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "label.h"
#include "log.h"
#include "mode_driver.h"
#include "rejected_rows.h"
#include "token.h"
#include "txn_driver.h"
#include "txn_ops.h"
#include "txn_recovery.h"
#include "txn_steps.h"

namespace srs {
namespace {

class TxnDriver final : public ModeDriver {
 public:
  TxnDriver(const SinkContext& ctx, const TxnOpsFactory& make_ops)
      : ctx_(ctx),
        ops_(make_ops(ctx_)),
        steps_(*ops_,
               RetryPolicy{ctx.options->max_retries, ctx.options->retry_backoff_ms, ctx.cancelled,
                           ctx.options->retry_timeout_ms},
               ctx.log, ctx.counters) {}

  Status open(std::string_view restore_token) override {
    if (ctx_.instance_id.empty()) {
      return Status::Error(SR_SINK_E_INVALID_ARGUMENT,
                           "instance_id is required in execution_mode on_checkpoint: it makes the "
                           "transaction labels of " + ctx_.db + "." + ctx_.table +
                               " deterministic so recovery can find them");
    }
    const std::string context = "open " + ctx_.db + "." + ctx_.table + " (instance_id `" +
                                ctx_.instance_id + "`): ";
    std::unique_ptr<CommitToken> token;
    if (!restore_token.empty()) {
      Result<CommitToken> t = decode_token(restore_token);
      if (!t.ok()) return Status(t.status()).prefix(context);
      Status owner = check_token_owner(t.value(), ctx_.db, ctx_.table, ctx_.instance_id);
      if (!owner.ok()) return owner.prefix(context);
      token = std::make_unique<CommitToken>(std::move(t).value());
    }
    RecoveryTarget target{ctx_.table, ctx_.instance_id, ctx_.options->label_prefix,
                          ctx_.options->recovery_probe_window};
    Result<RecoveryResult> r = recover(steps_, *ops_, target, token.get(), ctx_.log);
    if (!r.ok()) return Status(r.status()).prefix(context);
    count(&SinkCounters::txns_committed, r->committed);
    count(&SinkCounters::txns_aborted, r->rolled_back);
    last_checkpoint_ = r->restored_checkpoint_id;
    last_label_id_ = r->restored_label_id;
    if (ctx_.log) {
      std::string from = token ? "checkpoint " + std::to_string(last_checkpoint_) : "fresh start";
      ctx_.log->log(SR_SINK_LOG_INFO,
                    "%s.%s instance %s: recovered (%s): %d transactions committed, %d leftovers "
                    "rolled back (labels %s); next label id %lld", ctx_.db.c_str(),
                    ctx_.table.c_str(), ctx_.instance_id.c_str(), from.c_str(), r->committed,
                    r->rolled_back, r->listed ? "listed by StarRocks" : "probed",
                    static_cast<long long>(last_label_id_ + 1));
    }
    return Status::OK();
  }

  // I/O thread.
  Status send_load(BodySource& body) override {
    if (!failed_.ok()) return failed_;
    if (open_label_.empty()) {
      std::string label =
          txn_label(ctx_.options->label_prefix, ctx_.table, ctx_.instance_id, last_label_id_ + 1);
      bool maybe_begun = false;
      Status st = steps_.begin(label, &maybe_begun);
      if (!st.ok()) {
        if (!maybe_begun) return fail(st, "no transaction was opened");
        // StarRocks may hold it in PREPARE (until its timeout, taking a running-transaction
        // slot): close() rolls it back; a label that was never begun rolls back as UNKNOWN.
        unrolled_.push_back(label);
        return fail(st, "transaction " + label + " may have been begun; sr_sink_close rolls it "
                        "back");
      }
      open_label_ = label;
      ++last_label_id_;
      count(&SinkCounters::txns_begun, 1);
    }
    const auto start = std::chrono::steady_clock::now();
    Status st = steps_.load(open_label_, body);
    if (ctx_.counters) {
      ctx_.counters->last_load_ms.store(
          static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::steady_clock::now() - start)
                                    .count()),
          std::memory_order_relaxed);
    }
    if (!st.ok()) {
      count(&SinkCounters::load_failures, 1);
      // A transaction load cannot be repeated safely (its bytes may have been appended), so the
      // epoch is lost: roll it back; the host replays from its last checkpoint.
      return fail(st, rollback_open());
    }
    count(&SinkCounters::loads, 1);  // bytes_sent is counted by TxnOps::load (wire bytes)
    return Status::OK();
  }

  bool replayable_bodies() const override { return true; }  // for 307 hops and TXN_IN_PROCESSING

  Status on_watermark(int64_t) override { return Status::OK(); }

  Result<std::string> on_checkpoint(int64_t checkpoint_id) override {
    if (!failed_.ok()) return failed_;
    if (checkpoint_id <= last_checkpoint_ || checkpoint_id > kMaxTokenCheckpointId) {
      return Status::Error(SR_SINK_E_INVALID_ARGUMENT,
                           "checkpoint id " + std::to_string(checkpoint_id) +
                               " must be greater than the previous one (" +
                               std::to_string(last_checkpoint_) + ") and at most 2^53-1");
    }
    if (!open_label_.empty()) {
      LoadReply reply;
      Status st = steps_.prepare(open_label_, &reply);
      if (!st.ok()) {
        if (st.code() == SR_SINK_E_DATA && (!reply.error_url.empty() || reply.rows_filtered > 0)) {
          // "too many filtered rows": the rows go to the host, the message names the reasons.
          std::string summary;
          report_rejected_rows(ctx_, open_label_, std::max<int64_t>(1, reply.rows_filtered),
                               reply.error_url, /*load_failed=*/true, &summary);
          st = Status::Error(st.code(), st.message() + summary, st.flags())
                   .with_http_status(st.http_status())
                   .with_label(st.label());
        }
        return fail(st, rollback_open());
      }
      if (reply.rows_filtered > 0) {
        // Prepared with rows filtered under max_filter_ratio: the host takes them before the
        // checkpoint completes; if it cannot, the epoch is rolled back and replayed.
        std::string summary;
        Status r = report_rejected_rows(ctx_, open_label_, reply.rows_filtered, reply.error_url,
                                        /*load_failed=*/false, &summary);
        if (!r.ok()) return fail(r, rollback_open());
      }
      count(&SinkCounters::txns_prepared, 1);
      count(&SinkCounters::rows_loaded,
            static_cast<uint64_t>(std::max<int64_t>(0, reply.rows_loaded)));
      count(&SinkCounters::rows_filtered,
            static_cast<uint64_t>(std::max<int64_t>(0, reply.rows_filtered)));
      count(&SinkCounters::server_load_ms,
            static_cast<uint64_t>(std::max<int64_t>(0, reply.load_time_ms)));
      pending_.push_back(PreparedTxn{checkpoint_id, open_label_});
      open_label_.clear();
    }
    last_checkpoint_ = checkpoint_id;
    CommitToken token;
    token.db = ctx_.db;
    token.table = ctx_.table;
    token.instance_id = ctx_.instance_id;
    token.prefix = ctx_.options->label_prefix;
    token.checkpoint_id = checkpoint_id;
    token.label_id = last_label_id_;
    token.txns = pending_;
    return encode_token(token);
  }

  Status commit(int64_t checkpoint_id) override {
    while (!pending_.empty() && pending_.front().checkpoint_id <= checkpoint_id) {
      const PreparedTxn& t = pending_.front();
      // An expired transaction stays pending: every later token keeps naming the lost data.
      SRS_RETURN_IF_ERROR(steps_.commit(t.label, t.checkpoint_id));
      count(&SinkCounters::txns_committed, 1);
      pending_.erase(pending_.begin());
    }
    return Status::OK();
  }

  Status abort(int64_t checkpoint_id) override {
    for (auto it = pending_.begin(); it != pending_.end();) {
      if (it->checkpoint_id != checkpoint_id) {
        ++it;
        continue;
      }
      SRS_RETURN_IF_ERROR(steps_.rollback(it->label));
      count(&SinkCounters::txns_aborted, 1);
      it = pending_.erase(it);
    }
    return Status::OK();
  }

  // Prepared transactions stay for recovery (their checkpoint may be durable at the host).
  Status close() override {
    if (!open_label_.empty()) unrolled_.push_back(std::move(open_label_));
    open_label_.clear();
    Status first;
    for (const std::string& label : unrolled_) {
      Status st = steps_.rollback(label);
      if (st.ok()) count(&SinkCounters::txns_aborted, 1);
      if (!st.ok() && first.ok()) first = st;
    }
    unrolled_.clear();
    return first;
  }

 private:
  void count(std::atomic<uint64_t> SinkCounters::*field, uint64_t n) {
    if (ctx_.counters) (ctx_.counters->*field).fetch_add(n, std::memory_order_relaxed);
  }

  // Rolls back the epoch's open transaction; returns what happened, for the error message.
  std::string rollback_open() {
    std::string label = std::move(open_label_);
    open_label_.clear();
    Status st = steps_.rollback(label);
    if (st.ok()) {
      count(&SinkCounters::txns_aborted, 1);
      return "transaction " + label + " was rolled back";
    }
    // Interrupted by the host's own cancel: close() rolls it back, nothing to warn about.
    const bool cancelled = st.code() == SR_SINK_E_CANCELLED;
    if (ctx_.log) {
      ctx_.log->log(cancelled ? SR_SINK_LOG_INFO : SR_SINK_LOG_WARN,
                    cancelled ? "rollback of %s interrupted (%s); sr_sink_close rolls it back"
                              : "rollback of %s failed: %s",
                    label.c_str(), st.message().c_str());
    }
    unrolled_.push_back(label);  // close() tries again (e.g. after a cancelled request)
    return "rolling back " + label + " failed too (" + st.message() +
           "; StarRocks aborts it after load_timeout_s)";
  }

  // The epoch's rows are lost: the sink is unusable until the host restores its last checkpoint.
  Status fail(const Status& st, const std::string& what_happened) {
    failed_ = Status::Error(st.code(),
                            st.message() + "; " + what_happened +
                                ": restore the last checkpoint and replay",
                            st.flags() | SR_SINK_ERROR_F_FATAL)
                  .with_http_status(st.http_status())
                  .with_label(st.label());
    return failed_;
  }

  // Threads: send_load (I/O thread) owns open_label_, failed_ and unrolled_ while it runs; the
  // sink flushes before on_checkpoint and joins the I/O thread before close, so those calls see
  // them settled. commit/abort may overlap a send_load of the next epoch: they touch only
  // pending_ (host thread) and the stateless steps_/ops_ (HttpClient is thread-safe).
  SinkContext ctx_;
  std::unique_ptr<TxnOps> ops_;
  TxnSteps steps_;
  int64_t last_checkpoint_ = -1;   // -1: none yet (fresh start)
  int64_t last_label_id_ = -1;     // the last label id begun; the next epoch's is +1
  std::string open_label_;         // the epoch's begun transaction, "" = none yet
  std::vector<PreparedTxn> pending_;  // prepared, not yet committed, in checkpoint order
  // Not prepared and not rolled back (rollback failed, or a begin whose outcome is unknown):
  // close() rolls them back.
  std::vector<std::string> unrolled_;
  Status failed_;
};

}  // namespace

std::unique_ptr<ModeDriver> make_txn_driver_with_ops(const SinkContext& ctx,
                                                     const TxnOpsFactory& make_ops) {
  return std::make_unique<TxnDriver>(ctx, make_ops);
}

std::unique_ptr<ModeDriver> make_txn_driver(const SinkContext& ctx) {
  return make_txn_driver_with_ops(ctx, &make_http_txn_ops);
}

}  // namespace srs
