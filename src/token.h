// The commit token of on_checkpoint mode: versioned JSON the host stores with its checkpoint and
// hands back to sr_sink_open after a restart. It is part of the on-disk contract (a token written
// by one library version is restored by a later one), documented in docs/exactly-once.md:
//
//   {"v":1,"mode":"on_checkpoint","db":"shop","table":"orders","instance_id":"job1/op3/0",
//    "prefix":"sr_sink","checkpoint_id":42,
//    "txns":[{"checkpoint_id":41,"label":"sr_sink-orders-job1_op3_0_d9db0e09a686-41"},
//            {"checkpoint_id":42,"label":"sr_sink-orders-job1_op3_0_d9db0e09a686-42"}]}
//
// `txns` lists every transaction prepared for a checkpoint <= checkpoint_id that was not known to
// be committed when the token was made (earlier ones are carried forward until committed), in
// checkpoint order, so restoring checkpoint N commits everything <= N. Checkpoint ids are JSON
// numbers, so they are limited to JSON's exact integer range (0 .. 2^53-1).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "status.h"

namespace srs {

constexpr int64_t kMaxTokenCheckpointId = (int64_t{1} << 53) - 1;

struct PreparedTxn {
  int64_t checkpoint_id = 0;  // the checkpoint whose on_checkpoint prepared it
  std::string label;
  bool operator==(const PreparedTxn& o) const {
    return checkpoint_id == o.checkpoint_id && label == o.label;
  }
};

struct CommitToken {
  std::string db, table, instance_id;
  std::string prefix;          // label_prefix the labels were made with (recovery probes with it)
  int64_t checkpoint_id = 0;   // the checkpoint this token belongs to
  std::vector<PreparedTxn> txns;
};

std::string encode_token(const CommitToken& token);

// Strict: unknown keys, a wrong version or mode, wrong types, invalid labels, txns out of order or
// after checkpoint_id are SR_SINK_E_RECOVERY errors that name the problem.
Result<CommitToken> decode_token(std::string_view bytes);

// The token must belong to this sink: same db, table and instance_id (SR_SINK_E_RECOVERY naming
// both values otherwise).
Status check_token_owner(const CommitToken& token, std::string_view db, std::string_view table,
                         std::string_view instance_id);

}  // namespace srs
