#include "row_check.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "encode.h"
#include "json_lex.h"
#include "json_text.h"

namespace srs {
namespace {

uint64_t load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

uint64_t hash_of(std::string_view s) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

bool ws(char c) { return is_ws(static_cast<u8>(c)); }

// p: just past a key's closing quote in a valid row. Whether the key's value is null (in a valid
// row, a value that starts with 'n' is `null`).
bool value_is_null(const char* p) {
  while (ws(*p)) ++p;
  ++p;  // ':'
  while (ws(*p)) ++p;
  return *p == 'n';
}

// The text of a validated JSON string (between its quotes) with its escapes decoded.
std::string decode(std::string_view s) {
  std::string out;
  json_unescape_content(s, &out);
  return out;
}

// A name for a message: control characters, '`' and DEL shown as \xNN, cut after 64 bytes.
std::string printable(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i == 64) {
      out += "...";
      break;
    }
    const u8 c = static_cast<u8>(s[i]);
    if (c < 0x20 || c == '`' || c == 0x7F) {
      char b[8];
      std::snprintf(b, sizeof b, "\\x%02x", c);
      out += b;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

bool equal_ignoring_ascii_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

RowCheck::RowCheck(const std::vector<std::string>& columns, const std::vector<std::string>& key_columns) {
  const size_t n = columns.size();
  for (const std::string& name : columns) {
    Column c;
    c.name = name;
    c.quoted = name + '"';
    Probe pr;
    char buf[16] = {};
    std::memcpy(buf, c.quoted.data(), std::min<size_t>(16, c.quoted.size()));
    pr.word[0] = load64(buf);
    pr.word[1] = load64(buf + 8);
    pr.mask[0] = pr.mask[1] = 0;
    for (size_t i = 0; i < std::min<size_t>(16, c.quoted.size()); ++i) {
      pr.mask[i / 8] |= uint64_t{0xFF} << (8 * (i % 8));
    }
    // A name holding a quote, a backslash or a control character only ever appears escaped in a
    // row: the raw compare must never match it (the byte-by-byte path decodes and finds it).
    for (unsigned char ch : name) {
      if (ch == '"' || ch == '\\' || ch < 0x20) {
        pr.word[0] = pr.word[1] = 0;
        pr.mask[0] = pr.mask[1] = ~uint64_t{0};
        break;
      }
    }
    cols_.push_back(std::move(c));
    probe_.push_back(pr);
  }
  for (const std::string& k : key_columns) {
    for (uint32_t i = 0; i < n; ++i) {
      if (cols_[i].name == k) {
        cols_[i].is_key = true;
        key_cols_.push_back(i);
      }
    }
  }
  // The sentinel: its probe wants 16 zero bytes, which no key of a valid row starts with.
  Column sentinel;
  sentinel.quoted = "\"";
  cols_.push_back(std::move(sentinel));
  probe_.push_back(Probe{{0, 0}, {~uint64_t{0}, ~uint64_t{0}}});

  size_t size = 8;
  while (size < 2 * n) size *= 2;
  slots_.assign(size, -1);
  slot_mask_ = size - 1;
  for (size_t i = 0; i < n; ++i) {
    size_t h = hash_of(cols_[i].name) & slot_mask_;
    while (slots_[h] >= 0) h = (h + 1) & slot_mask_;
    slots_[h] = static_cast<int32_t>(i);
  }
  stamp_.assign(cols_.size(), 0);
  blocks_.resize(n);
  ref_keys_.resize(n + 1);
  pos_.assign(n, 0);
  predicted_.assign(n, static_cast<uint32_t>(n));  // the sentinel
  predicted_probe_.assign(n, probe_[n]);
  prefix_distinct_.assign(n + 1, 0);
  prefix_keys_.assign(n + 1, 0);
  predicted_changed();
}

uint32_t RowCheck::next_stamp() {
  if (++stamp_now_ == 0) {
    std::fill(stamp_.begin(), stamp_.end(), 0);
    stamp_now_ = 1;
  }
  return stamp_now_;
}

int RowCheck::lookup(std::string_view name) const {
  for (size_t h = hash_of(name) & slot_mask_; slots_[h] >= 0; h = (h + 1) & slot_mask_) {
    if (cols_[static_cast<size_t>(slots_[h])].name == name) return slots_[h];
  }
  return -1;
}

// The part of a long name beyond its probe: byte by byte, which stops at the key's closing quote
// at the latest (the name has no quote), so it never reads past the row.
bool RowCheck::tail_matches(uint32_t col, const char* key) const {
  const std::string& q = cols_[col].quoted;
  for (size_t i = 16; i < q.size(); ++i) {
    if (key[i] != q[i]) return false;
  }
  return true;
}

// A raw (unescaped) key of a padded row, compared like the fast path does: the probe covers the
// closing quote, so equal bytes mean equal names.
bool RowCheck::raw_matches(uint32_t col, const char* key) const {
  const Probe& p = probe_[col];
  if ((((load64(key) ^ p.word[0]) & p.mask[0]) | ((load64(key + 8) ^ p.word[1]) & p.mask[1])) != 0) {
    return false;
  }
  return tail_matches(col, key);
}

void RowCheck::predicted_changed() {
  const uint32_t s = next_stamp();
  const uint32_t sentinel = static_cast<uint32_t>(cols_.size() - 1);
  bool distinct = true;
  uint32_t keys = 0;
  key_slot_.clear();
  key_slot_skip_.clear();
  long_slot_.clear();
  prefix_distinct_[0] = 1;
  prefix_keys_[0] = 0;
  for (size_t j = 0; j < predicted_.size(); ++j) {
    const uint32_t col = predicted_[j];
    predicted_probe_[j] = probe_[col];
    if (col == sentinel || stamp_[col] == s) distinct = false;
    stamp_[col] = s;
    if (cols_[col].is_key) {
      ++keys;
      key_slot_.push_back(static_cast<uint32_t>(j));
      key_slot_skip_.push_back(static_cast<uint32_t>(cols_[col].quoted.size()));
    }
    if (cols_[col].quoted.size() > 16) long_slot_.push_back(static_cast<uint32_t>(j));
    prefix_distinct_[j + 1] = distinct;
    prefix_keys_[j + 1] = keys;
  }
}

// Rows in the previous rows' key order: each key compared with the column that stood at its
// position, without a branch per key; then the key columns' values looked at.
bool RowCheck::check_flat(const char* row, size_t n, const KeyBlocks& blocks) {
  // More keys than columns: a repeated or unknown one (explained by the byte-by-byte path).
  if (blocks.keys > predicted_.size()) return false;
  const Probe* pred = predicted_probe_.data();
  uint32_t* pos = pos_.data();
#if defined(__SSE2__)
  __m128i diff = _mm_setzero_si128();
#else
  uint64_t diff = 0;
#endif
  size_t j = 0;
  for (size_t b = 0; b < blocks.n; ++b) {
    const uint32_t offset = blocks.at[b].offset + 1;  // past the opening quote
    for (uint64_t k = blocks.at[b].keys; k; k &= k - 1) {
      const uint32_t p = offset + static_cast<uint32_t>(__builtin_ctzll(k));
      const char* key = row + p;  // 16 bytes readable: the row's padding follows it
      pos[j] = p;
#if defined(__SSE2__)
      const __m128i* probe = reinterpret_cast<const __m128i*>(&pred[j]);
      diff = _mm_or_si128(diff, _mm_and_si128(_mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(key)),
                                                            _mm_load_si128(probe)),
                                              _mm_load_si128(probe + 1)));
#else
      diff |= ((load64(key) ^ pred[j].word[0]) & pred[j].mask[0]) |
              ((load64(key + 8) ^ pred[j].word[1]) & pred[j].mask[1]);
#endif
      ++j;
    }
  }
#if defined(__SSE2__)
  if (_mm_movemask_epi8(_mm_cmpeq_epi8(diff, _mm_setzero_si128())) != 0xFFFF) return check_flat_slow(row, n, j);
#else
  if (diff != 0) return check_flat_slow(row, n, j);
#endif
  for (uint32_t slot : long_slot_) {
    if (slot < j && !tail_matches(predicted_[slot], row + pos[slot])) return check_flat_slow(row, n, j);
  }
  // The row's columns are predicted_[0, j): repeated ones or a key column short is an error
  // (explained by the byte-by-byte path).
  if (!prefix_distinct_[j] || prefix_keys_[j] != key_cols_.size()) return false;
  for (size_t i = 0; i < key_cols_.size(); ++i) {
    if (value_is_null(row + pos[key_slot_[i]] + key_slot_skip_[i])) return false;
  }
  return true;
}

// The key order differs from the previous rows': every key of pos_[0, n_keys) looked up, and the
// order remembered.
bool RowCheck::check_flat_slow(const char* row, size_t n, size_t n_keys) {
  const uint32_t s = next_stamp();
  const uint32_t sentinel = static_cast<uint32_t>(cols_.size() - 1);
  bool changed = false, ok = true;
  size_t keys_seen = 0;
  for (size_t j = 0; j < n_keys && ok; ++j) {
    const char* key = row + pos_[j];
    // No escapes in the fast path's keys: the text ends at the next quote.
    const char* q = static_cast<const char*>(std::memchr(key, '"', static_cast<size_t>(row + n - key)));
    const std::string_view name(key, static_cast<size_t>(q - key));
    uint32_t col = predicted_[j];
    if (col == sentinel || cols_[col].name != name) {
      const int found = lookup(name);
      if (found < 0) {
        ok = false;
        break;
      }
      col = static_cast<uint32_t>(found);
      predicted_[j] = col;
      changed = true;
    }
    if (stamp_[col] == s) ok = false;  // twice in the row
    stamp_[col] = s;
    if (cols_[col].is_key) {
      if (value_is_null(q + 1)) ok = false;
      ++keys_seen;
    }
  }
  if (changed) predicted_changed();
  return ok && keys_seen == key_cols_.size();
}

std::string RowCheck::unknown_key(std::string_view key) const {
  std::string hint;
  for (size_t i = 0; i + 1 < cols_.size(); ++i) {
    if (equal_ignoring_ascii_case(cols_[i].name, key)) hint = "did you mean `" + cols_[i].name + "`? ";
  }
  std::string list;
  const size_t n = cols_.size() - 1, shown = std::min<size_t>(n, 32);
  for (size_t i = 0; i < shown; ++i) list += (i ? ", " : "") + printable(cols_[i].name);
  if (shown < n) list += ", ... (" + std::to_string(n - shown) + " more)";
  return " has key `" + printable(key) + "`, which is not a column opened for this sink (" + hint +
         "columns: " + list + ")";
}

// Any valid row, from the keys the reference recogniser recorded (at most one more than there are
// columns: among that many, a repeated or unknown key must be). Names the first bad key.
bool RowCheck::check_keys(std::string_view row, const TopLevelKeys& keys, std::string* why) {
  const uint32_t s = next_stamp();
  const uint32_t sentinel = static_cast<uint32_t>(cols_.size() - 1);
  std::string decoded;
  bool changed = false;
  // The order is remembered whatever the verdict; predicted_changed() takes a stamp of its own,
  // so it runs once the row's stamps are no longer needed.
  struct Remember {
    RowCheck* self;
    const bool& changed;
    ~Remember() {
      if (changed) self->predicted_changed();
    }
  } remember{this, changed};
  for (size_t j = 0; j < keys.n; ++j) {
    const TopLevelKeys::Key& k = keys.at[j];
    std::string_view name(row.data() + k.text, k.len);
    if (k.escaped) {
      decoded = decode(name);
      name = decoded;
    }
    // The remembered order first: rows outside the fast path (nested values) keep theirs too.
    const bool in_order = j < predicted_.size();
    bool same = false;
    if (in_order) {
      const uint32_t p = predicted_[j];
      same = k.escaped ? p != sentinel && cols_[p].name == name : raw_matches(p, row.data() + k.text);
    }
    int col = same ? static_cast<int>(predicted_[j]) : lookup(name);
    if (col < 0) {
      if (why) *why = unknown_key(name);
      return false;
    }
    if (in_order && predicted_[j] != static_cast<uint32_t>(col)) {
      predicted_[j] = static_cast<uint32_t>(col);
      changed = true;
    }
    const Column& c = cols_[static_cast<size_t>(col)];
    if (stamp_[static_cast<size_t>(col)] == s) {
      // StarRocks' JSON reader would append a value to the column for each occurrence.
      if (why) *why = " has key `" + printable(c.name) + "` more than once, which is ambiguous";
      return false;
    }
    stamp_[static_cast<size_t>(col)] = s;
    if (c.is_key && row[k.value] == 'n') {
      if (why) *why = ": key column `" + printable(c.name) + "` is null";
      return false;
    }
  }
  for (uint32_t k : key_cols_) {
    if (stamp_[k] != s) {
      if (why) *why = ": key column `" + printable(cols_[k].name) + "` is missing";
      return false;
    }
  }
  return true;
}

RowCheck::Verdict RowCheck::check(std::string_view row, bool* line_break, std::string* why) {
  KeyBlocks kb{blocks_.data(), blocks_.size(), 0, 0};
  bool nl = false;
  if (fast_accept_json_object_keys(row.data(), row.size(), &nl, &kb) &&
      check_flat(row.data(), row.size(), kb)) {
    *line_break = nl;
    return Verdict::kOk;
  }
  TopLevelKeys keys{ref_keys_.data(), ref_keys_.size(), 0, false};
  if (!validate_json_object_reference(row, why, line_break, &keys)) return Verdict::kNotJson;
  return check_keys(row, keys, why) ? Verdict::kOk : Verdict::kBadKeys;
}

}  // namespace srs
