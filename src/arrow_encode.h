// Arrow record batches (imported by arrow_import.h) → Stream Load rows in the sink's wire format:
// NDJSON objects with "__op", or CSV lines (wire_format.h) in the opened column order.
// Pure: encode_arrow_batch reads the views and writes bytes; nothing is sent.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "arrow_import.h"
#include "csv_encode.h"
#include "options.h"
#include "status.h"

namespace srs {

struct ArrowTarget {
  std::vector<std::string> columns;  // the sink's opened columns, in order
  std::vector<CsvKind> kinds;        // per column (CSV only)
  std::vector<bool> is_key;          // per column
  WireFormat format = WireFormat::kJson;
  int32_t timezone_offset_s = 0;     // for timestamps with a time zone
  // CSV batches whose columns all have a direct encoder take it (arrow_csv_direct.cpp); false
  // forces the general encoder, the reference the direct one is tested against.
  bool allow_direct = true;
};

struct EncodedRows {
  std::string body;           // every row, each ending in its row delimiter
  std::vector<size_t> ends;   // end offset of each row in body
  uint64_t deletes = 0;
};

// Encodes the whole batch or nothing. Errors name the column (field) and the row index:
// SR_SINK_E_INVALID_ARGUMENT for the batch's shape (unknown, duplicate or missing key field, ops
// given twice), SR_SINK_E_DATA (with F_DATA) for values (null key, NaN, invalid UTF-8, bad op).
Status encode_arrow_batch(const ArrowNode& root, const uint8_t* ops, const ArrowTarget& target,
                          EncodedRows* out);

// The batch's fields mapped to the target's columns, with the shape checks of
// encode_arrow_batch (its SR_SINK_E_INVALID_ARGUMENT errors).
struct ArrowColumns {
  std::vector<const ArrowNode*> by_column;  // per target column; null: not in the batch
  const ArrowNode* op_field = nullptr;      // the `__op` field, if any
};
Status map_arrow_fields(const ArrowNode& root, const uint8_t* ops, const ArrowTarget& target,
                        ArrowColumns* out);

// The direct CSV path: rows written straight into the caller's buffer (the load buffer), one
// encoder per column chosen once per batch. Same bytes and errors as encode_arrow_batch's
// general encoder; taken when arrow_csv_direct_ok (flat columns: null, bool, integers, float32/64,
// decimals, dates, timestamps, times, utf8 — not dictionaries, and only for text columns).
class RowSink {
 public:
  // Room for one row of up to `bound` bytes; then commit_row with its real length.
  virtual char* row_space(size_t bound) = 0;
  virtual void commit_row(size_t len) = 0;

 protected:
  ~RowSink() = default;
};
bool arrow_csv_direct_ok(const ArrowColumns& cols, const ArrowTarget& target);
// An upper bound of the batch's CSV body bytes (for the memory budget).
uint64_t arrow_csv_bound(const ArrowNode& root, const ArrowColumns& cols, const ArrowTarget& target);
// On error some rows may have been committed: the caller drops them (Pipeline::rollback_batch).
Status encode_arrow_csv_direct(const ArrowNode& root, const uint8_t* ops, const ArrowColumns& cols,
                               const ArrowTarget& target, RowSink* out, uint64_t* deletes);

// Shared by both encoders.
bool arrow_field_op(const ArrowNode& n, int64_t j, int* op);
// The op of row r (at position j of the struct's children) from `ops` or the `__op` field (none
// of either: upsert). False when it is neither op; arrow_bad_op then says why, naming the row.
inline bool arrow_row_op(const uint8_t* ops, const ArrowNode* op_field, int64_t r, int64_t j, int* op) {
  *op = 0;
  if (ops) {
    if (ops[r] > SR_SINK_OP_DELETE) return false;
    *op = ops[r];
    return true;
  }
  return !op_field || arrow_field_op(*op_field, j, op);
}
Status arrow_bad_op(const uint8_t* ops, int64_t r);
void arrow_append_decimal(std::string* out, const unsigned char* p, int bits, int scale);

}  // namespace srs
