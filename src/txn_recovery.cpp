// Recovery (see txn_recovery.h). Which labels can hold leftovers: every label of this instance
// with a label id greater than the restored checkpoint id. Label ids of one run are "previous
// checkpoint id + 1", so they increase, and every id a token lists is <= its checkpoint id.
#include "txn_recovery.h"

#include "label.h"
#include "log.h"

namespace srs {

std::vector<std::string> probe_prefixes(const RecoveryTarget& target, const CommitToken* token) {
  std::vector<std::string> out;
  if (token) out.push_back(token->prefix);
  if (out.empty() || out.front() != target.prefix) out.push_back(target.prefix);
  return out;
}

Result<RecoveryResult> recover(TxnSteps& steps, const RecoveryTarget& target,
                               const CommitToken* token, const Logger* log) {
  RecoveryResult res;
  if (token) {
    res.restored_checkpoint_id = token->checkpoint_id;
    for (const PreparedTxn& t : token->txns) {
      // A token's label is PREPARED or later. PREPARE means a newer run began the label again
      // (after an older checkpoint was restored and this one's txn rolled back): committing it
      // would make that run's partial epoch visible.
      Result<std::string> state = steps.state(t.label);
      if (!state.ok()) return Status(state.status()).prefix("recovery: ");
      if (state.value() == "PREPARE") {
        return Status::Error(SR_SINK_E_RECOVERY,
                             "recovery from checkpoint " + std::to_string(token->checkpoint_id) +
                                 ": transaction " + t.label + " of checkpoint " +
                                 std::to_string(t.checkpoint_id) +
                                 " was begun again by a later run (state PREPARE), so its "
                                 "prepared data is gone: restore the last completed checkpoint",
                             SR_SINK_ERROR_F_FATAL)
            .with_label(t.label);
      }
      Status st = steps.commit(t.label, t.checkpoint_id);
      if (!st.ok()) return st.prefix("recovery from checkpoint " +
                                     std::to_string(token->checkpoint_id) + ": ");
      ++res.committed;
    }
  }
  for (const std::string& prefix : probe_prefixes(target, token)) {
    int64_t last_in_use = res.restored_checkpoint_id;
    for (int64_t id = res.restored_checkpoint_id + 1; id - last_in_use <= kProbeWindow; ++id) {
      std::string label = txn_label(prefix, target.table, target.instance_id, id);
      Result<std::string> st = steps.state(label);
      if (!st.ok()) return Status(st.status()).prefix("recovery: probing label " + label + ": ");
      const std::string& s = st.value();
      if (s == "UNKNOWN") continue;
      last_in_use = id;
      if (is_state(s, {"COMMITTED", "VISIBLE"})) {
        std::string restored = token ? "checkpoint " + std::to_string(token->checkpoint_id)
                                     : "no checkpoint (fresh start)";
        return Status::Error(
                   SR_SINK_E_RECOVERY,
                   "the host restored " + restored + ", but transaction " + label +
                       " of a later checkpoint of instance `" + target.instance_id +
                       "` is already " + s + " in StarRocks: its rows would be applied twice. "
                       "Restore the last completed checkpoint (or start with another "
                       "label_prefix/instance_id)",
                   SR_SINK_ERROR_F_FATAL)
            .with_label(label);
      }
      if (is_state(s, {"PREPARE", "PREPARED"})) {
        if (log) log->log(SR_SINK_LOG_INFO, "recovery: rolling back leftover %s transaction %s",
                          s.c_str(), label.c_str());
        Status rb = steps.rollback(label);
        if (!rb.ok()) return rb.prefix("recovery: rolling back leftover " + label + ": ");
        ++res.rolled_back;
      }
      // ABORTED: in use once, nothing to do; it only extends the window.
    }
  }
  return res;
}

}  // namespace srs
