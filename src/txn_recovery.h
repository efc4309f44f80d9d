// Recovery of an on_checkpoint sink at sr_sink_open (docs/exactly-once.md, "Recovery"):
//  1. commit, in checkpoint order, every transaction the restore token lists (idempotent);
//  2. find the labels this instance used after the token's label_id and roll back PREPARE/PREPARED
//     leftovers; refuse if one is COMMITTED/VISIBLE (an older checkpoint was restored than the
//     last one the host completed).
// Step 1 alone is also sr_sink_commit_token.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "status.h"
#include "token.h"
#include "txn_steps.h"

namespace srs {

class Logger;
class TxnOps;

struct RecoveryTarget {
  std::string table;        // table name (labels are per database and carry the table)
  std::string instance_id;
  std::string prefix;       // the current label_prefix
  // Consecutive unused label ids probed past the last used one (option recovery_probe_window)
  // when StarRocks' listing of the table's labels cannot be used.
  int64_t probe_window = 100;
};

struct RecoveryResult {
  int64_t restored_checkpoint_id = -1;  // -1: fresh start
  int64_t restored_label_id = -1;       // the token's label_id; the next label id is +1
  int committed = 0;                    // token transactions confirmed committed
  int rolled_back = 0;                  // leftovers rolled back
  bool listed = false;                  // StarRocks' label listing was used
};

// `token` null = fresh start (label ids from 0). The token must already have been checked to
// belong to this sink. `ops` lists labels (TxnOps::list_labels); `steps` settles each one.
Result<RecoveryResult> recover(TxnSteps& steps, TxnOps& ops, const RecoveryTarget& target,
                               const CommitToken* token, const Logger* log);

// Step 1: commits every transaction of `token`, oldest first; *committed counts them. A label in
// PREPARE (begun again by a later run) or that expired/was forgotten is SR_SINK_E_RECOVERY naming
// the checkpoint. Used by recovery and by sr_sink_commit_token.
Status commit_token_txns(TxnSteps& steps, const CommitToken& token, int* committed);

// The prefixes whose labels recovery looks for: the token's (what the crashed run used) and the
// current one, without duplicates.
std::vector<std::string> probe_prefixes(const RecoveryTarget& target, const CommitToken* token);

}  // namespace srs
