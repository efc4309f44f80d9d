// StarRocks labels: ^[-\w]{1,128}$ (spec §3.7).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace srs {

// Replaces every character outside [-_A-Za-z0-9] with '_'. If the result would exceed `max_len`
// or was changed, a short hash of the original keeps different inputs distinct.
std::string sanitize_label_part(std::string_view part, size_t max_len);

// A random run id: 16 lowercase hex characters from a CSPRNG (OpenSSL RAND_bytes).
std::string new_run_id();

// on_watermark: "{prefix}-{table}-{run_id}-{seq}", at most 128 characters.
std::string watermark_label(std::string_view prefix, std::string_view table,
                            std::string_view run_id, uint64_t seq);

// on_checkpoint: "{prefix}-{table}-{instance_id}-{checkpoint_id}", deterministic, at most 128
// characters and still unique for distinct inputs (long parts are shortened with a hash).
std::string txn_label(std::string_view prefix, std::string_view table,
                      std::string_view instance_id, int64_t checkpoint_id);

// The inverse of txn_label for one instance: the label id if `label` is txn_label(prefix, table,
// instance_id, id) for some id >= 0.
bool parse_txn_label_id(std::string_view label, std::string_view prefix, std::string_view table,
                        std::string_view instance_id, int64_t* id);

bool is_valid_label(std::string_view label);

}  // namespace srs
