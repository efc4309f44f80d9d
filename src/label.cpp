// StarRocks labels (spec §3.7: ^[-\w]{1,128}$, per database).
//
// Labels of on_checkpoint mode must be recomputable after a restart (recovery probes them), so the
// shortening below is part of the on-disk contract: SHA-256, 12 hex digits. Do not change it.
#include "label.h"

#include <openssl/rand.h>
#include <openssl/sha.h>

#include <random>
#include <string>

namespace srs {
namespace {

constexpr size_t kMaxLabel = 128;
constexpr size_t kHashHex = 12;  // 48 bits: collisions need ~2^24 distinct long names per table

bool label_char(unsigned char c, bool allow_dash) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         (allow_dash && c == '-');
}

std::string hex(const unsigned char* bytes, size_t n) {
  static const char kDigits[] = "0123456789abcdef";
  std::string s;
  s.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) {
    s.push_back(kDigits[bytes[i] >> 4]);
    s.push_back(kDigits[bytes[i] & 15]);
  }
  return s;
}

std::string short_hash(std::string_view s) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), md);
  return hex(md, SHA256_DIGEST_LENGTH).substr(0, kHashHex);
}

// Characters outside the label alphabet become '_'; when anything changed or the part is longer
// than max_len, "_<hash of the original>" keeps distinct inputs distinct.
std::string sanitize(std::string_view part, size_t max_len, bool allow_dash) {
  std::string out(part);
  bool changed = false;
  for (char& c : out) {
    if (!label_char(static_cast<unsigned char>(c), allow_dash)) {
      c = '_';
      changed = true;
    }
  }
  if (!changed && out.size() <= max_len) return out;
  std::string suffix = "_" + short_hash(part);
  if (max_len <= suffix.size()) return suffix.substr(suffix.size() - max_len);
  out.resize(std::min(out.size(), max_len - suffix.size()));
  return out + suffix;
}

// Parts between separators never contain '-', so a label splits back into its parts
// unambiguously: that is what makes labels of distinct inputs distinct.
std::string strict_part(std::string_view part, size_t max_len) {
  return sanitize(part, max_len, /*allow_dash=*/false);
}

// A number as label text; a negative one as "m<magnitude>" to keep '-' a pure separator.
std::string number_part(int64_t n) {
  if (n >= 0) return std::to_string(n);
  return "m" + std::to_string(uint64_t{0} - static_cast<uint64_t>(n));
}

// Splits `avail` characters between two parts: each keeps its full (sanitized) length if both
// fit; otherwise the shorter keeps what it needs up to half and the longer gets the rest.
void split_budget(size_t a_len, size_t b_len, size_t avail, size_t* a_max, size_t* b_max) {
  if (a_len + b_len <= avail) {
    *a_max = a_len;
    *b_max = b_len;
    return;
  }
  size_t half = avail / 2;
  if (a_len <= half) {
    *a_max = a_len;
    *b_max = avail - a_len;
  } else if (b_len <= avail - half) {
    *b_max = b_len;
    *a_max = avail - b_len;
  } else {
    *a_max = half;
    *b_max = avail - half;
  }
}

std::string prefix_part(std::string_view prefix) { return sanitize(prefix, 32, /*allow_dash=*/true); }

}  // namespace

std::string sanitize_label_part(std::string_view part, size_t max_len) {
  return sanitize(part, max_len, /*allow_dash=*/true);
}

std::string new_run_id() {
  unsigned char bytes[8];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    // OpenSSL's CSPRNG failed (no entropy source): fall back to the OS source via the STL.
    std::random_device rd;
    for (auto& b : bytes) b = static_cast<unsigned char>(rd());
  }
  return hex(bytes, sizeof bytes);
}

std::string watermark_label(std::string_view prefix, std::string_view table,
                            std::string_view run_id, uint64_t seq) {
  std::string p = prefix_part(prefix);
  std::string r = strict_part(run_id, 32);
  std::string s = std::to_string(seq);
  size_t avail = kMaxLabel - 3 - p.size() - r.size() - s.size();
  return p + "-" + strict_part(table, avail) + "-" + r + "-" + s;
}

std::string txn_label(std::string_view prefix, std::string_view table,
                      std::string_view instance_id, int64_t checkpoint_id) {
  std::string p = prefix_part(prefix);
  std::string n = number_part(checkpoint_id);
  size_t avail = kMaxLabel - 3 - p.size() - n.size();  // >= 128 - 3 - 32 - 21 = 72
  size_t t_len = strict_part(table, kMaxLabel).size();
  size_t i_len = strict_part(instance_id, kMaxLabel).size();
  size_t t_max, i_max;
  split_budget(t_len, i_len, avail, &t_max, &i_max);
  return p + "-" + strict_part(table, t_max) + "-" + strict_part(instance_id, i_max) + "-" + n;
}

bool parse_txn_label_id(std::string_view label, std::string_view prefix, std::string_view table,
                        std::string_view instance_id, int64_t* id) {
  size_t dash = label.rfind('-');
  if (dash == std::string_view::npos || dash + 1 >= label.size() || label.size() - dash > 17) {
    return false;  // 16 digits hold every id up to 2^53-1
  }
  int64_t n = 0;
  for (size_t i = dash + 1; i < label.size(); ++i) {
    if (label[i] < '0' || label[i] > '9') return false;
    n = n * 10 + (label[i] - '0');
  }
  // Recomputing the whole label checks every part, including hash-shortened ones.
  if (txn_label(prefix, table, instance_id, n) != label) return false;
  *id = n;
  return true;
}

bool is_valid_label(std::string_view label) {
  if (label.empty() || label.size() > kMaxLabel) return false;
  for (unsigned char c : label) {
    if (!label_char(c, /*allow_dash=*/true)) return false;
  }
  return true;
}

}  // namespace srs
