// CSV bodies (option `format` = csv; the layout is in wire_format.h): fields as StarRocks' CSV
// reader takes them, and JSON rows of sr_sink_write laid out as CSV lines.
//
// Pure functions over bytes, so they can be fuzzed: csv_append_text / csv_append_base64 write one
// field; CsvRowEncoder::encode turns one validated JSON object into one CSV line.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace srs {

// How a table column reads a CSV field, from its StarRocks type name (TableColumn::type).
enum class CsvKind {
  kText,    // CHAR/VARCHAR/STRING, numbers, DATE/DATETIME, BOOLEAN, DECIMAL: the field's text
  kJson,    // JSON, ARRAY, MAP, STRUCT: the field is parsed as one JSON value
  kBinary,  // VARBINARY/BINARY: StarRocks base64-decodes the field
};
CsvKind csv_kind_of(const std::string& starrocks_type);

// The NULL field.
inline void csv_append_null(std::string* out) { out->append("\\N", 2); }
// Appends `s` as a field. Refuses (appending nothing) what CSV cannot carry: exactly "\N", which
// StarRocks reads as NULL, and the separator bytes 0x1E/0x1F (wire_format.h).
enum class CsvText { kOk, kNullMarker, kSeparator };
CsvText csv_append_text(std::string* out, std::string_view s);
// Why a csv_append_text refusal happened, for messages ("the string \N, which ...").
const char* csv_refusal(CsvText why);
// Appends the standard base64 (padded) of `bytes`.
void csv_append_base64(std::string* out, std::string_view bytes);

// Appends the JSON value text `value` (already validated) without whitespace outside strings.
void json_minify(std::string_view value, std::string* out);

// JSON rows → CSV lines in the sink's column order plus `__op`.
class CsvRowEncoder {
 public:
  CsvRowEncoder(const std::vector<std::string>& columns, const std::vector<CsvKind>& kinds);
  // `row` is one validated JSON object whose keys are distinct opened columns (RowCheck). Appends
  // the line (with its '\n') to *out. A column the row leaves out is NULL. False with *why set
  // when a value cannot be carried ("column `s`: the string \N ...").
  bool encode(std::string_view row, int op, std::string* out, std::string* why);

 private:
  std::vector<std::string> columns_;
  std::vector<CsvKind> kinds_;
  std::unordered_map<std::string_view, size_t> index_;  // views into columns_
  std::vector<size_t> predicted_;  // the column of each key position in the previous row
  std::vector<std::string_view> values_;  // per column, the current row's value text
  std::string key_, scratch_;
};

}  // namespace srs
