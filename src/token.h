// The commit token of on_checkpoint mode: versioned JSON the host stores with its checkpoint and
// hands back to sr_sink_open (or sr_sink_commit_token) after a restart. It is part of the on-disk
// contract (a token written by one library version is restored by a later one), documented in
// docs/exactly-once.md:
//
//   {"v":2,"mode":"on_checkpoint","db":"shop","table":"orders","instance_id":"job1/op3/0",
//    "prefix":"sr_sink","checkpoint_id":42,"label_id":17,
//    "txns":[{"checkpoint_id":41,"label":"sr_sink-orders-job1_op3_0_d9db0e09a686-16"},
//            {"checkpoint_id":42,"label":"sr_sink-orders-job1_op3_0_d9db0e09a686-17"}]}
//
// `txns` lists every transaction prepared for a checkpoint <= checkpoint_id that was not known to
// be committed when the token was made (earlier ones are carried forward until committed), in
// checkpoint order, so restoring checkpoint N commits everything <= N. `label_id` (v2) is the
// last label id the instance had used: label ids are dense (each transaction takes the next one),
// so recovery knows exactly where later labels start. v1 tokens (library 1.0) have no label_id:
// their label ids were "previous checkpoint id + 1", so every one is <= checkpoint_id, which
// stands in for it. Ids are JSON numbers, limited to JSON's exact integer range (0 .. 2^53-1).
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
  // The last label id the instance used when the token was made (-1: none yet). Every label in
  // `txns` has an id <= label_id; a later run's labels have greater ids.
  int64_t label_id = -1;
  int version = 2;             // as decoded (1 or 2); encode_token always writes 2
};

// What sr_sink_token_inspect reports; also what an on_watermark token (which names no
// transaction: {"v":1,"mode":"on_watermark","checkpoint_id":N,"txns":[]}) decodes to.
struct TokenInfo {
  bool on_watermark = false;
  int64_t checkpoint_id = 0;
  uint32_t n_transactions = 0;
};

std::string encode_token(const CommitToken& token);

// Strict: unknown keys, a wrong version or mode, wrong types, invalid labels, txns out of order or
// after checkpoint_id are SR_SINK_E_RECOVERY errors that name the problem. Reads v1 and v2.
Result<CommitToken> decode_token(std::string_view bytes);

// Either mode's token, as strictly as decode_token.
Result<TokenInfo> inspect_token(std::string_view bytes);

// The token must belong to this sink: same db, table and instance_id (SR_SINK_E_RECOVERY naming
// both values otherwise).
Status check_token_owner(const CommitToken& token, std::string_view db, std::string_view table,
                         std::string_view instance_id);

}  // namespace srs
