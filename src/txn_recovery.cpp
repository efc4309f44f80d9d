// Recovery (see txn_recovery.h). Which labels can hold leftovers: every label of this instance
// with a label id greater than the token's label_id. Label ids are dense (a run takes them one by
// one from the restored label_id + 1), so the used ones after it are consecutive, except where
// StarRocks forgot a finished label (label_keep_max_num/second) or a 1.0 run used checkpoint-based
// ids with gaps. StarRocks' listing of the table's stream load tasks (information_schema.
// stream_loads) names every unfinished one exactly; without it, probing bridges gaps of up to
// `probe_window` unused ids.
#include "txn_recovery.h"

#include <algorithm>
#include <set>

#include "label.h"
#include "log.h"
#include "txn_ops.h"

namespace srs {

std::vector<std::string> probe_prefixes(const RecoveryTarget& target, const CommitToken* token) {
  std::vector<std::string> out;
  if (token) out.push_back(token->prefix);
  if (out.empty() || out.front() != target.prefix) out.push_back(target.prefix);
  return out;
}

Status commit_token_txns(TxnSteps& steps, const CommitToken& token, int* committed) {
  const std::string context = "checkpoint " + std::to_string(token.checkpoint_id);
  for (const PreparedTxn& t : token.txns) {
    // A token's label is PREPARED or later. PREPARE means a newer run began the label again
    // (after an older checkpoint was restored and this one's txn rolled back): committing it
    // would make that run's partial epoch visible.
    Result<std::string> state = steps.state(t.label);
    if (!state.ok()) return Status(state.status()).prefix("committing " + context + ": ");
    if (state.value() == "PREPARE") {
      return Status::Error(SR_SINK_E_RECOVERY,
                           "committing " + context + ": transaction " + t.label +
                               " of checkpoint " + std::to_string(t.checkpoint_id) +
                               " was begun again by a later run (state PREPARE), so its "
                               "prepared data is gone: restore the last completed checkpoint",
                           SR_SINK_ERROR_F_FATAL)
          .with_label(t.label);
    }
    Status st = steps.commit(t.label, t.checkpoint_id);
    if (!st.ok()) return st.prefix("committing " + context + ": ");
    if (committed) ++*committed;
  }
  return Status::OK();
}

namespace {

// The ids StarRocks lists for `prefix` of this instance, and whether it listed any label of the
// instance at all (then the listing evidently shows this table's labels to this user).
struct Listed {
  bool ok = false;
  bool instance_seen = false;
  std::vector<std::set<int64_t>> ids;  // per prefix, every id
};

Listed list_instance_labels(TxnOps& ops, const RecoveryTarget& target,
                            const std::vector<std::string>& prefixes, const Logger* log) {
  Listed out;
  out.ids.resize(prefixes.size());
  Result<std::vector<ListedLabel>> rows = ops.list_labels();
  if (!rows.ok()) {
    if (log) log->log(SR_SINK_LOG_INFO,
                      "recovery: cannot list the labels of table %s (%s); probing up to %lld "
                      "unused label ids past the last used one (recovery_probe_window)",
                      target.table.c_str(), rows.status().message().c_str(),
                      static_cast<long long>(target.probe_window));
    return out;
  }
  out.ok = true;
  for (const ListedLabel& row : rows.value()) {
    for (size_t p = 0; p < prefixes.size(); ++p) {
      int64_t id = 0;
      if (parse_txn_label_id(row.label, prefixes[p], target.table, target.instance_id, &id)) {
        out.ids[p].insert(id);
        out.instance_seen = true;
      }
    }
  }
  return out;
}

}  // namespace

Result<RecoveryResult> recover(TxnSteps& steps, TxnOps& ops, const RecoveryTarget& target,
                               const CommitToken* token, const Logger* log) {
  RecoveryResult res;
  if (token) {
    res.restored_checkpoint_id = token->checkpoint_id;
    res.restored_label_id = token->label_id;
    Status st = commit_token_txns(steps, *token, &res.committed);
    if (!st.ok()) return st.prefix("recovery: ");
  }
  const std::vector<std::string> prefixes = probe_prefixes(target, token);
  const Listed listed = list_instance_labels(ops, target, prefixes, log);
  res.listed = listed.ok && listed.instance_seen;
  // An exact listing needs no bridging of gaps: dense ids end at the first unused one.
  const int64_t window = res.listed ? 1 : std::max<int64_t>(1, target.probe_window);
  const int64_t after = res.restored_label_id;
  for (size_t p = 0; p < prefixes.size(); ++p) {
    const std::string& prefix = prefixes[p];
    // Settles one label id; *in_use = StarRocks knows it.
    auto check = [&](int64_t id, bool* in_use) -> Status {
      std::string label = txn_label(prefix, target.table, target.instance_id, id);
      Result<std::string> st = steps.state(label);
      if (!st.ok()) return Status(st.status()).prefix("recovery: probing label " + label + ": ");
      const std::string& s = st.value();
      *in_use = s != "UNKNOWN";
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
      return Status::OK();  // ABORTED: in use once, nothing to do
    };
    int64_t last_in_use = after;
    int64_t id = after + 1;
    for (; id - last_in_use <= window; ++id) {
      bool in_use = false;
      SRS_RETURN_IF_ERROR(check(id, &in_use));
      if (in_use) last_in_use = id;
    }
    // Listed labels past the probed range (gaps the probe did not bridge).
    for (int64_t lid : listed.ids[p]) {
      if (lid < id) continue;
      bool in_use = false;
      SRS_RETURN_IF_ERROR(check(lid, &in_use));
    }
  }
  return res;
}

}  // namespace srs
