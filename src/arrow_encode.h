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

}  // namespace srs
