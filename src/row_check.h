// What sr_sink_write asks of each row, beyond being one JSON object: its top-level keys are
// columns opened for the sink, each at most once, and every key column of the table is there and
// not null — for upserts and deletes alike. StarRocks would drop an unknown key silently (its JSON
// reader skips keys that are not load columns, so the intended column becomes NULL), filter or
// fail a row without its key far from the cause, and append a repeated key's value once per
// occurrence (be/src/exec/json_scanner.cpp, _construct_row_without_jsonpath); all three are
// refused at write.
//
// Keys are compared as decoded names: "i\u0064" is `id`. Names match exactly (case-sensitive), as
// StarRocks matches JSON keys to load columns.
//
// Cost: flat rows go through the SIMD fast path, which reports where their keys start (one mask
// per 64-byte block); their names are compared with the column that stood at the same position in
// the previous row (rows of one writer keep their key order), 16 bytes at a time, and the key
// columns' values looked at for `null` — about 8 ns a row of 6 keys on top of validation. A key
// in another order is looked up in a hash table and the new order remembered. Rows outside the
// fast path (nested values, escaped keys, bad rows) use the keys the byte-by-byte recogniser
// records as it validates, which also words every error.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "encode.h"
#include "json_fast.h"

namespace srs {

class RowCheck {
 public:
  // columns: the sink's opened columns (distinct, non-empty, not "__op"); key_columns: the
  // table's key columns, each among `columns`.
  RowCheck(const std::vector<std::string>& columns, const std::vector<std::string>& key_columns);
  RowCheck(const RowCheck&) = delete;
  RowCheck& operator=(const RowCheck&) = delete;

  enum class Verdict { kOk, kNotJson, kBadKeys };
  // `row` is followed by at least kFastPadding readable bytes (the load buffer's slack). On kOk,
  // *line_break is set as validate_json_object sets it. Otherwise *why says what is wrong: the
  // JSON error (kNotJson: "expected ':' at byte 7") or the key (kBadKeys: "key column `id` is
  // null"). Not thread-safe (it remembers the previous row's key order): one per sink.
  Verdict check(std::string_view row, bool* line_break, std::string* why);

 private:
  struct Column {
    std::string name;
    std::string quoted;  // name + '"': the raw bytes of an unescaped key and its closing quote
    bool is_key = false;
  };
  // The first 16 bytes of a column's `quoted`, and which of them count: a key is compared with
  // two 8-byte loads. A name that can only appear escaped gets a probe that matches nothing.
  struct alignas(16) Probe {
    uint64_t word[2], mask[2];
  };

  int lookup(std::string_view name) const;  // column index or -1
  bool check_flat(const char* row, size_t n, const KeyBlocks& blocks);
  bool check_flat_slow(const char* row, size_t n, size_t n_keys);
  bool tail_matches(uint32_t col, const char* key) const;
  bool raw_matches(uint32_t col, const char* key) const;
  void predicted_changed();
  bool check_keys(std::string_view row, const TopLevelKeys& keys, std::string* why);
  std::string unknown_key(std::string_view key) const;
  uint32_t next_stamp();

  std::vector<Column> cols_;  // the opened columns, then a sentinel that matches no key
  std::vector<Probe> probe_;  // per column
  std::vector<uint32_t> key_cols_;  // indexes of the key columns, in the table's key order
  std::vector<int32_t> slots_;      // hash table of column indexes (-1 = empty)
  size_t slot_mask_ = 0;
  std::vector<uint32_t> stamp_;     // per column: the stamp of the last row (or pass) that saw it
  uint32_t stamp_now_ = 0;
  std::vector<KeyBlocks::Block> blocks_;  // the fast path's output, one per column
  std::vector<TopLevelKeys::Key> ref_keys_;  // the reference's, one more than the columns
  std::vector<uint32_t> pos_;             // the current row's keys: offset of each key's text
  // The previous rows' key order: the column at each key position and its probe; derived from it,
  // per prefix length j: whether its columns are distinct and how many key columns it holds; the
  // positions that hold a key column, and those whose name is longer than a probe.
  std::vector<uint32_t> predicted_;
  std::vector<Probe> predicted_probe_;
  std::vector<uint8_t> prefix_distinct_;
  std::vector<uint32_t> prefix_keys_;
  std::vector<uint32_t> key_slot_;
  std::vector<uint32_t> key_slot_skip_;  // for each: the length of its key and closing quote
  std::vector<uint32_t> long_slot_;
};

}  // namespace srs
