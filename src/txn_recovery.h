// Recovery of an on_checkpoint sink at sr_sink_open (docs/exactly-once.md, "Recovery"):
//  1. commit, in checkpoint order, every transaction the restore token lists (idempotent);
//  2. probe the labels this instance may have used after the restored checkpoint and roll back
//     PREPARE/PREPARED leftovers; refuse if one is COMMITTED/VISIBLE (an older checkpoint was
//     restored than the last one the host completed).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "status.h"
#include "token.h"
#include "txn_steps.h"

namespace srs {

class Logger;

// Label ids probed past the last one found in use. Label ids are derived from checkpoint ids and
// an epoch without rows opens no transaction, so used ids have gaps; see docs/exactly-once.md.
constexpr int64_t kProbeWindow = 8;

struct RecoveryTarget {
  std::string table;        // table name (labels are per database and carry the table)
  std::string instance_id;
  std::string prefix;       // the current label_prefix
};

struct RecoveryResult {
  int64_t restored_checkpoint_id = -1;  // -1: fresh start
  int committed = 0;                    // token transactions confirmed committed
  int rolled_back = 0;                  // leftovers rolled back
};

// `token` null = fresh start (probing starts at label id 0). The token must already have been
// checked to belong to this sink.
Result<RecoveryResult> recover(TxnSteps& steps, const RecoveryTarget& target,
                               const CommitToken* token, const Logger* log);

// The prefixes whose labels recovery probes: the token's (what the crashed run used) and the
// current one, without duplicates.
std::vector<std::string> probe_prefixes(const RecoveryTarget& target, const CommitToken* token);

}  // namespace srs
