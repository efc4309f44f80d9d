// Internal seams of the emulator's data layer (data_*.cpp). Not used by the server core, which
// only sees data.h. Everything lives in sremu::dl so names never collide with the core's helpers.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "data/data.h"

namespace sremu::dl {

// ---- JSON reader (json.cpp) -------------------------------------------------------------
// A small tokenizer-built DOM that keeps each number's raw token text (DECIMAL and LARGEINT need
// it; a double would round) and each string's raw, still-escaped bytes (decoded on demand).
// Nodes live in one vector reused across documents, so NDJSON parsing allocates nothing per row
// once the vector has grown.
enum class JKind : uint8_t { kNull, kFalse, kTrue, kNumber, kString, kArray, kObject };

struct JNode {
  JKind kind = JKind::kNull;
  bool escaped = false;      // string text contains backslash escapes
  bool key_escaped = false;  // member key contains backslash escapes
  bool is_integer = false;   // number token has no fraction or exponent
  bool bad = false;          // a string (or a container holding one) with an invalid escape (lenient parse)
  std::string_view text;     // number token / string contents without quotes / whole raw text of containers
  std::string_view key;      // member key (raw, without quotes) when the parent is an object
  int32_t first = -1;        // first child
  int32_t next = -1;         // next sibling
  uint32_t count = 0;        // number of children
};

struct JsonDoc {
  std::vector<JNode> nodes;
  void clear() { nodes.clear(); }
  const JNode& at(int i) const { return nodes[static_cast<size_t>(i)]; }
};

// Parses one JSON value starting at *pos (leading whitespace skipped), appending nodes to `doc`.
// On success returns true, sets *root and advances *pos past the value. On failure returns false
// with *error (a short reason) and *pos at the offending byte. Strings are checked for valid
// escapes and UTF-8; nesting deeper than 1024 levels is refused (like simdjson's default).
// `lenient_escapes` (Stream Load bodies): an invalid escape inside a string *value* does not fail
// the parse but marks the node (and its containers) `bad`; converting such a value fails, so it
// loads as NULL (or is filtered in strict mode), as StarRocks does (simdjson's on-demand parser
// validates escapes only when the string is read).
bool json_parse(std::string_view in, size_t* pos, JsonDoc* doc, int* root, std::string* error,
                bool lenient_escapes = false);

// Decodes a raw (escaped) JSON string body. Input was validated by json_parse.
void json_unescape(std::string_view raw, std::string* out);
// The decoded text of a string node, or of a member key (uses *tmp only when escapes exist).
std::string_view json_string(const JNode& n, std::string* tmp);
std::string_view json_key(const JNode& n, std::string* tmp);

// Appends `bytes` as a quoted JSON string the way cJSON_PrintUnformatted escapes (", \\, \b, \f,
// \n, \r, \t, other control bytes as \u00XX, everything else raw); bytes that are not valid UTF-8
// are written as \u00XX so the output is always valid JSON.
void quote(std::string_view bytes, std::string* out);

// Minified JSON text of a node. `normalize_numbers`: integers that fit 64 bits keep their digits,
// other numbers print as the shortest round-trip double (what a StarRocks JSON column stores);
// otherwise the raw token text is kept (what a VARCHAR column receives).
void json_minify(const JsonDoc& doc, int node, bool normalize_numbers, std::string* out);

// Looks up `key` in object node `obj`; first match wins. Returns -1 if absent.
int json_member(const JsonDoc& doc, int obj, std::string_view key);

// "$.a.b[0]['c d']" → steps. Returns false if `path` is not a JSONPath we understand.
struct PathStep {
  bool is_index = false;
  std::string key;
  int64_t index = 0;
};
bool parse_json_path(std::string_view path, std::vector<PathStep>* steps);
int eval_json_path(const JsonDoc& doc, int root, const std::vector<PathStep>& steps);

// ---- columns header expressions (params.cpp) -------------------------------------------
// The emulator evaluates only what a sink needs: `col=<source field>` and constants
// (`__op='delete'`, `c=0`, `c=NULL`). Anything else is refused at header time.
struct Expr {
  enum Kind { kField, kConst, kNumberConst, kNullConst } kind = kField;
  std::string value;  // field name / constant text (quotes removed)
  std::string text;   // trimmed original expression
};
bool classify_expr(std::string_view raw, Expr* e);

// ---- the columns header (columns.cpp) ----------------------------------------------------
// One entry of `columns`: a plain name (a source field) or `name = expr`. Names are identifiers
// as written (backquotes removed, a doubled backquote inside them is one backquote).
struct ColumnItem {
  std::string name;
  bool mapped = false;
  Expr expr;                    // mapped: the right side; expr.text can be re-read by classify_expr
  bool expr_supported = false;  // mapped: a field, string, number or NULL (what the emulator evaluates)
  std::string source;           // the item as written
};
// Parses `columns` with StarRocks' SQL grammar for import columns. Returns the parser's message
// ("Getting syntax error at line 1, column <c>. Detail message: ...") for text StarRocks rejects.
std::optional<std::string> parse_columns_header(std::string_view header, std::vector<ColumnItem>* items);

// ---- value conversion (convert.cpp) -----------------------------------------------------
// A source value as the readers see it: absent, NULL, text (CSV field, constant) or a JSON node.
struct SrcVal {
  enum Kind { kMissing, kNull, kText, kJson } kind = kMissing;
  std::string_view text;
  const JsonDoc* doc = nullptr;
  int node = -1;
};

enum class Conv { kOk, kNull, kFail };

// Converts to the canonical JSON fragment of `type` (see data.h). kNull: the source was NULL or
// absent. kFail: conversion failed; *why names the problem (without "Error: " / row).
Conv convert(const Type& type, const SrcVal& v, std::string* out, std::string* why);

// Text helpers shared with other files.
std::string to_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
std::string_view trim(std::string_view s);  // spaces, tabs, CR, LF
bool valid_utf8(std::string_view s);
void format_double(double d, std::string* out);
void format_float(float f, std::string* out);
// Parses a signed integer (no fraction) that fits int64.
bool parse_int64(std::string_view s, int64_t* out);

// ---- load plan and row assembly (rows.cpp) ----------------------------------------------
// How each table column is filled from the source fields of one record, derived once per load
// from `columns`/`jsonpaths` (StarRocks' Load.initColumns does the same on the FE).
struct LoadPlan {
  std::vector<std::string> fields;               // source field names, positional for CSV/jsonpaths
  std::vector<std::vector<PathStep>> paths;      // JSON + jsonpaths: one path per field (may be empty)
  struct ColSrc {
    enum Kind { kField, kConst, kNull, kDefault } kind = kDefault;
    int field = -1;
    std::string text;     // constant text
    bool listed = false;  // named by the load (partial update: the column is given)
  };
  std::vector<ColSrc> cols;                      // one per table column
  std::vector<std::string> defaults;             // canonical DEFAULT per column ("null" if none)
  enum OpKind { kNoOp, kOpField, kOpConst } op_kind = kNoOp;
  int op_field = -1;
  int op_const = 0;
  bool explicit_list = false;                    // `columns` named source fields
};
LoadPlan build_plan(const TableSchema& table, const LoadParams& params, bool json);

// The canonical zero value StarRocks' append_default() gives a NOT NULL column (0, 0.00, false,
// "", [], {}); nullopt for types whose zero the emulator does not model.
std::optional<std::string> zero_value(const Type& type);

// Turns one record's source values into a Row (or a rejected line) with the §6 rules.
class RowBuilder {
 public:
  RowBuilder(const TableSchema& table, const LoadParams& params, const LoadPlan& plan, ParsedLoad* out)
      : table_(table), params_(params), plan_(plan), out_(out) {}
  // `fields` has one entry per plan.fields; `row_text` is what a rejected line shows.
  void add(const std::vector<SrcVal>& fields, std::string_view row_text);
  // Counts a record that could not be read at all (total and filtered).
  void reject(const std::string& reason, std::string_view row_text);

 private:
  void filter(const std::string& reason, std::string_view row_text);
  // The row's op (0 upsert, 1 delete); false (row filtered) for an invalid value.
  bool read_op(const std::vector<SrcVal>& fields, std::string_view row_text, int* op);
  const TableSchema& table_;
  const LoadParams& params_;
  const LoadPlan& plan_;
  ParsedLoad* out_;
  std::string why_;
};

void parse_json_body(const TableSchema& table, const LoadParams& params, std::string_view body, ParsedLoad* out);
void parse_csv_body(const TableSchema& table, const LoadParams& params, std::string_view body, ParsedLoad* out);

}  // namespace sremu::dl
