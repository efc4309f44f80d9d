// sr-emulator's data layer: StarRocks column types, load parameters (the Stream Load headers
// that shape the data), body decompression and parsing of JSON/CSV bodies into typed rows with
// the conversion rules of spec §6. Pure functions, no I/O, no global state: the server core
// (catalog, transactions, storage) calls these.
//
// Values are kept as canonical JSON fragments, exactly as the dump endpoint prints them:
//   integers/LARGEINT → 123        FLOAT/DOUBLE → shortest round-trip text (1.5)
//   DECIMAL(p,s) → number text with exactly s fractional digits (12.50)
//   BOOLEAN → true/false           CHAR/VARCHAR/STRING/VARBINARY → "json string"
//   DATE → "2024-01-31"            DATETIME → "2024-01-31 12:00:00" (".ffffff" only if non-zero)
//   JSON → the minified JSON value  ARRAY/MAP/STRUCT → minified JSON array/object
//   NULL → null
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sremu {

enum class TypeKind {
  kTinyInt, kSmallInt, kInt, kBigInt, kLargeInt, kFloat, kDouble, kDecimal, kBoolean,
  kChar, kVarchar, kString, kDate, kDateTime, kJson, kVarbinary, kArray, kMap, kStruct
};

struct Type {
  TypeKind kind = TypeKind::kInt;
  int length = 0;                       // CHAR(n)/VARCHAR(n) bytes; 0 = default (VARCHAR 1048576)
  int precision = 0, scale = 0;         // DECIMAL(p,s)
  std::vector<Type> children;           // ARRAY: [item]; MAP: [key, value]; STRUCT: fields
  std::vector<std::string> field_names; // STRUCT field names
  std::string text;                     // canonical StarRocks spelling: "VARCHAR(64)", "DECIMAL(12,2)", "ARRAY<INT>"
};

// "BIGINT", "varchar(64)", "DECIMAL(12,2)", "ARRAY<INT>", "MAP<VARCHAR(10),INT>",
// "STRUCT<a INT, b VARCHAR(5)>" (case-insensitive). Returns nullopt and sets *error when invalid.
std::optional<Type> parse_type(std::string_view text, std::string* error);

struct Column {
  std::string name;
  Type type;
  bool key = false;
  bool nullable = true;
  std::optional<std::string> default_value;  // as given in the catalog (text)
};

struct TableSchema {
  std::string db, name;
  std::string keys_type;  // PRIMARY_KEYS | DUP_KEYS | UNIQUE_KEYS | AGG_KEYS
  std::vector<Column> columns;
  int column_index(std::string_view name) const;  // -1 if absent (exact, case-sensitive)
};

// Header names are lower-cased by the caller.
using Headers = std::map<std::string, std::string>;

struct LoadParams {
  std::string format = "csv";           // csv | json (lower-cased); compressed CSV: gzip|lz4|zstd|...
  std::string compression;              // for JSON: gzip | lz4_frame | zstd | "" (none)
  std::string column_separator = "\t";
  std::string row_delimiter = "\n";
  std::vector<std::string> columns;     // source field names; empty = all table columns in order
  std::map<std::string, std::string> column_exprs; // col=expr mappings kept only for `__op=<field>` and `__op='delete'` constants
  std::vector<std::string> jsonpaths;   // "$.a" style; empty = match keys by name
  std::string json_root;
  bool strip_outer_array = false;
  bool strict_mode = false;
  bool partial_update = false;
  std::string partial_update_mode = "row";
  std::string merge_condition;
  double max_filter_ratio = 0;
  std::string timezone = "Asia/Shanghai";
  std::optional<char> enclose, escape;
  int64_t skip_header = 0;
  bool trim_space = false;
};

// The header validation StarRocks does before any data is read (spec §3.2/§3.9), for `table`.
// `transaction_load` = true applies the transaction-interface differences of §4.3.
// On failure returns StarRocks' exact Message text (e.g. "unknown data format, format=xml",
// "Invalid strict mode format. Must be bool type",
// "Only primary key table support partial update").
std::optional<std::string> parse_load_params(const TableSchema& table, const Headers& headers,
                                             bool transaction_load, LoadParams* out);

// Decompresses a whole body. `algo` is the lower-cased compression name (gzip, lz4_frame/lz4,
// zstd, deflate; bzip2 may answer unsupported). Returns an error message on failure.
std::optional<std::string> decompress(std::string_view algo, std::string_view in, std::string* out);

struct Row {
  std::vector<std::string> values;  // one JSON fragment per table column (table order)
  std::vector<bool> present;        // false: column not given (partial update keeps old value)
  int op = 0;                       // 0 upsert, 1 delete
};

struct ParsedLoad {
  std::vector<Row> rows;            // loaded rows, in body order
  int64_t total = 0, filtered = 0, unselected = 0;
  std::vector<std::string> rejected;  // one line per filtered row: "Error: <reason>. Row: <text>"
  std::string error;                // non-empty: the whole load fails with this Message
};

// Parses an (already decompressed) body with the §6 rules: non-strict failed conversion → NULL,
// strict → filtered, NOT NULL violations → filtered, VARCHAR byte length, DECIMAL precision,
// DATE/DATETIME text, `__op` from JSON key / CSV column mapping. Missing columns not in an
// explicit `columns` list take their DEFAULT, else NULL.
ParsedLoad parse_body(const TableSchema& table, const LoadParams& params, std::string_view body);

// Orders two non-null values of `type` (for merge_condition and sorted dumps): <0, 0, >0.
int compare_values(const Type& type, std::string_view a, std::string_view b);

}  // namespace sremu
