// sr-emulator's data layer on outside input: the Stream Load headers (parse_load_params, the
// header validation StarRocks does before reading data), then the JSON or CSV body parser with
// those parameters, and the column type parser. Input: "name: value" header lines, an empty line,
// the body. Never a crash, and the invariants the server core relies on (counters add up, every
// value is valid JSON, NOT NULL columns never null in an upsert, nothing applied on a failed
// load); a type's canonical text parses to itself.
#include <cjson/cJSON.h>

#include <cctype>
#include <string>

#include "data/data.h"
#include "fuzz_check.h"

using fuzz::show;

namespace {
sremu::Column col(const char* name, const char* type, bool key = false, bool nullable = true,
                  const char* def = nullptr) {
  sremu::Column c;
  c.name = name;
  std::string err;
  c.type = *sremu::parse_type(type, &err);
  c.key = key;
  c.nullable = nullable;
  if (def) c.default_value = def;
  return c;
}
const sremu::TableSchema& table() {
  static const sremu::TableSchema t = [] {
    sremu::TableSchema s;
    s.db = "shop";
    s.name = "orders";
    s.keys_type = "PRIMARY_KEYS";
    s.columns = {col("id", "BIGINT", true, false), col("t", "TINYINT"), col("li", "LARGEINT"), col("f", "FLOAT"),
                 col("d", "DOUBLE"), col("dec", "DECIMAL(10,3)"), col("b", "BOOLEAN"), col("c", "CHAR(3)"),
                 col("s", "VARCHAR(8)", false, false, "x"), col("dt", "DATE"), col("ts", "DATETIME"),
                 col("j", "JSON"), col("vb", "VARBINARY"), col("a", "ARRAY<ARRAY<INT>>"),
                 col("m", "MAP<INT,VARCHAR(4)>"), col("st", "STRUCT<x INT, y ARRAY<DATE>>")};
    return s;
  }();
  return t;
}
// As the emulator's own unit tests judge values (cJSON: it does not check UTF-8 inside strings,
// which the emulator passes through as StarRocks does).
bool valid_json(const std::string& s) {
  const char* end = nullptr;
  cJSON* j = cJSON_ParseWithOpts(s.c_str(), &end, 1);
  const bool ok = j != nullptr;
  cJSON_Delete(j);
  return ok;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (!in.empty() && in[0] == 'T') {  // a column type text
    std::string err;
    auto ty = sremu::parse_type(in.substr(1), &err);
    if (ty) {
      auto again = sremu::parse_type(ty->text, &err);
      FUZZ_CHECK(again && again->text == ty->text, "type `%s` -> `%s` does not parse to itself", show(in).c_str(),
                 ty->text.c_str());
    } else {
      FUZZ_CHECK(!err.empty(), "type refused without a reason: `%s`", show(in).c_str());
    }
    return 0;
  }
  const bool txn = !in.empty() && in[0] == 'X';  // the transaction interface's header rules
  if (txn) in.remove_prefix(1);
  sremu::Headers headers;
  while (!in.empty()) {
    size_t eol = in.find('\n');
    std::string_view line = in.substr(0, eol);
    in.remove_prefix(eol == std::string_view::npos ? in.size() : eol + 1);
    if (line.empty()) break;
    size_t colon = line.find(':');
    std::string name(line.substr(0, colon));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value(colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1));
    if (!value.empty() && value[0] == ' ') value.erase(0, 1);
    headers[name] = value;
  }
  sremu::LoadParams params;
  if (auto err = sremu::parse_load_params(table(), headers, txn, &params)) {
    FUZZ_CHECK(!err->empty(), "headers refused without a message");
    return 0;
  }
  std::string body(in);
  if (!params.compression.empty()) {
    std::string out;
    if (sremu::decompress(params.compression, body, &out)) return 0;
    body = out;
  }
  const sremu::ParsedLoad p = sremu::parse_body(table(), params, body);
  if (!p.error.empty()) {
    FUZZ_CHECK(p.rows.empty(), "a failed load keeps rows");
    return 0;
  }
  FUZZ_CHECK(p.total == static_cast<int64_t>(p.rows.size()) + p.filtered + p.unselected ||
                 p.total == static_cast<int64_t>(p.rows.size()) + p.filtered,
             "total %lld, rows %zu, filtered %lld, unselected %lld", static_cast<long long>(p.total), p.rows.size(),
             static_cast<long long>(p.filtered), static_cast<long long>(p.unselected));
  FUZZ_CHECK(static_cast<int64_t>(p.rejected.size()) == p.filtered, "rejected lines %zu, filtered %lld",
             p.rejected.size(), static_cast<long long>(p.filtered));
  const auto& t = table();
  for (const sremu::Row& r : p.rows) {
    FUZZ_CHECK(r.values.size() == t.columns.size() && r.present.size() == t.columns.size(), "row width");
    FUZZ_CHECK(r.op == 0 || r.op == 1, "op %d", r.op);
    for (size_t i = 0; i < r.values.size(); ++i) {
      if (!r.present[i]) continue;
      FUZZ_CHECK(valid_json(r.values[i]), "column %s holds `%s`, not JSON",
                 t.columns[i].name.c_str(), show(r.values[i]).c_str());
      if (r.op == 0 && !t.columns[i].nullable && !params.partial_update) {
        FUZZ_CHECK(r.values[i] != "null", "NOT NULL column %s is null", t.columns[i].name.c_str());
      }
    }
  }
  return 0;
}
