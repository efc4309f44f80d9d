// Robustness: random and mutated inputs never crash the data layer, and whatever comes out keeps
// the invariants the server core relies on (counters add up, every value is valid JSON).
#include <cjson/cJSON.h>

#include <random>

#include "test_util.h"

namespace sremu::test {
namespace {

TableSchema all_types_table() {
  return table("PRIMARY_KEYS",
               {col("id", "BIGINT", true, false), col("t", "TINYINT"), col("li", "LARGEINT"), col("f", "FLOAT"),
                col("d", "DOUBLE"), col("dec", "DECIMAL(10,3)"), col("b", "BOOLEAN"), col("c", "CHAR(3)"),
                col("s", "VARCHAR(8)", false, false, "x"), col("dt", "DATE"), col("ts", "DATETIME"), col("j", "JSON"),
                col("vb", "VARBINARY"), col("a", "ARRAY<ARRAY<INT>>"), col("m", "MAP<INT,VARCHAR(4)>"),
                col("st", "STRUCT<x INT, y ARRAY<DATE>>")});
}

bool valid_json(const std::string& s) {
  const char* end = nullptr;
  cJSON* j = cJSON_ParseWithOpts(s.c_str(), &end, 1);
  bool ok = j != nullptr;
  cJSON_Delete(j);
  return ok;
}

void check_invariants(const TableSchema& t, const ParsedLoad& p, const std::string& what) {
  if (!p.error.empty()) {  // the whole load fails: nothing may be applied
    ASSERT_TRUE(p.rows.empty()) << what;
    return;
  }
  ASSERT_EQ(p.total, static_cast<int64_t>(p.rows.size()) + p.filtered) << what;
  ASSERT_EQ(static_cast<int64_t>(p.rejected.size()), p.filtered) << what;
  for (const Row& r : p.rows) {
    ASSERT_EQ(r.values.size(), t.columns.size()) << what;
    ASSERT_EQ(r.present.size(), t.columns.size()) << what;
    ASSERT_TRUE(r.op == 0 || r.op == 1) << what;
    for (size_t i = 0; i < r.values.size(); ++i) {
      ASSERT_TRUE(valid_json(r.values[i])) << what << " column " << t.columns[i].name << " value " << r.values[i];
      if (r.op == 0 && !t.columns[i].nullable) {
        ASSERT_NE(r.values[i], "null") << what;
      }
    }
  }
}

const char* kPieces[] = {"{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "\\N", "\t", "\n", "\r\n", "null",
                         "true", "-", "1e999", "0.5", "\"id\"", "\"__op\"", "\"a\"", "\"j\"", "\"m\"", "\"st\"",
                         "2024-02-29", "\xff", "\xc3\xa9", " ", "'", "||", "\x01", "170141183460469231731687303715884105728"};

std::string random_body(std::mt19937& rng, size_t max_len) {
  std::uniform_int_distribution<int> kind(0, 2), byte(0, 255);
  std::uniform_int_distribution<size_t> len(0, max_len), piece(0, sizeof(kPieces) / sizeof(kPieces[0]) - 1);
  std::string s;
  size_t n = len(rng);
  while (s.size() < n) {
    if (kind(rng) == 0) s.push_back(static_cast<char>(byte(rng)));
    else s += kPieces[piece(rng)];
  }
  return s;
}

std::vector<Headers> header_sets() {
  return {
      {{"format", "json"}},
      {{"format", "json"}, {"strip_outer_array", "true"}},
      {{"format", "json"}, {"strict_mode", "true"}, {"partial_update", "true"}},
      {{"format", "json"}, {"jsonpaths", "[\"$.id\",\"$.a[0]\",\"$['j']\"]"}, {"columns", "id,a,j"}},
      {{"format", "json"}, {"json_root", "$.r"}, {"strip_outer_array", "true"}},
      {},
      {{"strict_mode", "true"}, {"columns", "id,t,__op"}},
      {{"column_separator", "||"}, {"row_delimiter", "\\x01"}},
      {{"column_separator", ","}, {"enclose", "\""}, {"escape", "\\"}, {"trim_space", "true"}, {"skip_header", "1"}},
      {{"column_separator", ","}, {"enclose", "'"}, {"columns", "id,s,x,j=x,__op='delete'"}},
  };
}

TEST(Fuzz, RandomBodiesNeverCrashAndKeepInvariants) {
  auto t = all_types_table();
  std::mt19937 rng(12345);
  for (const Headers& h : header_sets()) {
    LoadParams p = params(t, h);
    for (int i = 0; i < 400; ++i) {
      std::string body = random_body(rng, 300);
      ParsedLoad r = parse_body(t, p, body);
      check_invariants(t, r, "body #" + std::to_string(i));
      if (HasFatalFailure()) return;
    }
  }
}

TEST(Fuzz, MutatedValidBodiesNeverCrash) {
  auto t = all_types_table();
  const std::string json =
      "{\"id\":1,\"t\":5,\"li\":\"99\",\"f\":1.5,\"d\":2,\"dec\":\"1.2345\",\"b\":true,\"c\":\"abc\",\"s\":\"x\","
      "\"dt\":\"2024-01-01\",\"ts\":\"2024-01-01 00:00:00.5\",\"j\":{\"k\":[1,{\"z\":null}]},\"vb\":\"\\u0000\","
      "\"a\":[[1],[2,null]],\"m\":{\"1\":\"a\"},\"st\":{\"x\":1,\"y\":[\"2024-01-01\"]},\"__op\":0}\n";
  const std::string csv = "1\t5\t99\t1.5\t2\t1.2345\ttrue\tabc\tx\t2024-01-01\t2024-01-01 00:00:00\t{\"k\":1}\tYWJj\t"
                          "[[1]]\t{\"1\":\"a\"}\t{\"x\":1,\"y\":[]}\n";
  {
    ParsedLoad ok = parse_body(t, params(t, {{"format", "json"}}), json);
    ASSERT_EQ(ok.rows.size(), 1u) << (ok.rejected.empty() ? "" : ok.rejected[0]);
    ParsedLoad okc = parse_body(t, params(t, {}), csv);
    ASSERT_EQ(okc.rows.size(), 1u) << (okc.rejected.empty() ? "" : okc.rejected[0]);
  }
  std::mt19937 rng(777);
  std::uniform_int_distribution<int> byte(0, 255), op(0, 3);
  for (const Headers& h : header_sets()) {
    LoadParams p = params(t, h);
    const std::string& base = p.format == "json" ? json : csv;
    for (int i = 0; i < 300; ++i) {
      std::string body = base + base;
      int edits = 1 + op(rng);
      for (int e = 0; e < edits; ++e) {
        std::uniform_int_distribution<size_t> pos(0, body.size() - 1);
        switch (op(rng)) {
          case 0: body[pos(rng)] = static_cast<char>(byte(rng)); break;
          case 1: body.resize(pos(rng)); break;
          case 2: body.insert(pos(rng), kPieces[static_cast<size_t>(byte(rng)) % (sizeof(kPieces) / sizeof(kPieces[0]))]); break;
          default: body.erase(pos(rng), 1); break;
        }
        if (body.empty()) body = "{";
      }
      ParsedLoad r = parse_body(t, p, body);
      check_invariants(t, r, "mutation #" + std::to_string(i));
      if (HasFatalFailure()) return;
    }
  }
}

TEST(Fuzz, DeeplyNestedJsonIsRefusedNotOverflowed) {
  auto t = all_types_table();
  std::string deep = "{\"id\":1,\"j\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  ParsedLoad r = parse_body(t, params(t, {{"format", "json"}}), deep);
  EXPECT_EQ(r.error, "Failed to iterate document stream as object. error: The JSON document was too deep (too many "
                     "nested objects and arrays)");
  std::string ok = "{\"id\":1,\"s\":\"x\",\"j\":" + std::string(500, '[') + std::string(500, ']') + "}";
  ParsedLoad r2 = parse_body(t, params(t, {{"format", "json"}}), ok);
  EXPECT_EQ(r2.rows.size(), 1u) << (r2.rejected.empty() ? "" : r2.rejected[0].substr(0, 200));
}

TEST(Fuzz, TypeTextsHeadersAndCompressedGarbageNeverCrash) {
  std::mt19937 rng(99);
  const char* type_pieces[] = {"ARRAY", "<", ">", "MAP", "STRUCT", ",", "(", ")", "INT", "DECIMAL", "VARCHAR",
                               "99", "0", " ", "a", "`", ":", "999999999999"};
  std::uniform_int_distribution<size_t> tp(0, sizeof(type_pieces) / sizeof(type_pieces[0]) - 1), len(0, 12);
  for (int i = 0; i < 2000; ++i) {
    std::string s;
    for (size_t k = len(rng); k > 0; --k) s += type_pieces[tp(rng)];
    std::string err;
    auto ty = parse_type(s, &err);
    if (ty) EXPECT_TRUE(parse_type(ty->text, &err).has_value()) << s << " -> " << ty->text;
    else EXPECT_FALSE(err.empty()) << s;
  }
  auto t = all_types_table();
  const char* names[] = {"format", "columns", "jsonpaths", "json_root", "column_separator", "row_delimiter",
                         "timeout", "strict_mode", "partial_update", "max_filter_ratio", "compression",
                         "merge_condition", "skip_header", "enclose", "escape"};
  std::uniform_int_distribution<size_t> nm(0, sizeof(names) / sizeof(names[0]) - 1);
  for (int i = 0; i < 2000; ++i) {
    Headers h{{"format", i % 2 ? "json" : "csv"}};
    h[names[nm(rng)]] = random_body(rng, 20);
    h[names[nm(rng)]] = random_body(rng, 20);
    LoadParams p;
    if (!parse_load_params(t, h, i % 3 == 0, &p)) {
      ParsedLoad r = parse_body(t, p, random_body(rng, 100));
      check_invariants(t, r, "headers #" + std::to_string(i));
      if (HasFatalFailure()) return;
    }
  }
  for (const char* algo : {"gzip", "deflate", "lz4_frame", "zstd"}) {
    for (int i = 0; i < 300; ++i) {
      std::string out;
      decompress(algo, random_body(rng, 200), &out);
    }
  }
}

}  // namespace
}  // namespace sremu::test
