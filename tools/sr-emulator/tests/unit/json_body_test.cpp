// JSON bodies (spec §6.1) and __op in JSON (spec §3.3).
#include "test_util.h"

namespace sremu::test {
namespace {

using V = std::vector<std::string>;
const Headers kJson{{"format", "json"}};

Headers json_with(Headers extra) {
  extra["format"] = "json";
  return extra;
}

TEST(JsonBody, NdjsonRowsMapKeysByNameAndConvertValues) {
  auto t = pk_table();
  auto p = load(t, kJson, "{\"id\":1,\"name\":\"a\",\"score\":3.1}\n{\"score\":\"7\",\"id\":2}\n");
  EXPECT_EQ(p.error, "");
  EXPECT_EQ(p.total, 2);
  EXPECT_EQ(p.filtered, 0);
  EXPECT_EQ(p.unselected, 0);
  EXPECT_EQ(render(p), (V{"1|\"a\"|3.10", "2|null|7.00"}));
}

TEST(JsonBody, ConcatenatedObjectsSingleObjectBomAndWhitespace) {
  auto t = pk_table();
  EXPECT_EQ(render(load(t, kJson, "{\"id\":1}{\"id\":2} {\"id\":3}")), (V{"1|null|null", "2|null|null", "3|null|null"}));
  EXPECT_EQ(render(load(t, kJson, "  {\"id\":1}  ")), (V{"1|null|null"}));
  EXPECT_EQ(render(load(t, kJson, "\xEF\xBB\xBF{\"id\":1}\r\n")), (V{"1|null|null"}));
  auto empty = load(t, kJson, " \n ");
  EXPECT_EQ(empty.total, 0);
  EXPECT_EQ(empty.rows.size(), 0u);
}

TEST(JsonBody, StripOuterArray) {
  auto t = pk_table();
  auto p = load(t, json_with({{"strip_outer_array", "TRUE"}}),
                "[{\"id\":1,\"__op\":0},{\"id\":2,\"__op\":1},{\"id\":3,\"name\":\"c\"}]");
  EXPECT_EQ(render(p), (V{"1|null|null", "2|null|null#del", "3|\"c\"|null"}));
  // Several arrays (one per line) are fine too.
  EXPECT_EQ(load(t, json_with({{"strip_outer_array", "true"}}), "[{\"id\":1}]\n[{\"id\":2}]").rows.size(), 2u);
  auto empty = load(t, json_with({{"strip_outer_array", "true"}}), "[]");
  EXPECT_EQ(empty.total, 0);
  EXPECT_EQ(empty.filtered, 0);
}

TEST(JsonBody, ArrayWithoutStripAndObjectWithStripAreFiltered) {
  auto t = pk_table();
  auto a = load(t, kJson, "[{\"id\":1}]");
  EXPECT_EQ(a.rows.size(), 0u);
  EXPECT_EQ(a.total, 1);
  EXPECT_EQ(a.filtered, 1);
  ASSERT_EQ(a.rejected.size(), 1u);
  EXPECT_EQ(a.rejected[0], "Error: JSON data is an array, strip_outer_array must be set true. Row: [{\"id\":1}]");
  auto o = load(t, json_with({{"strip_outer_array", "true"}}), "{\"id\":1}");
  EXPECT_EQ(o.filtered, 1);
  auto s = load(t, json_with({{"strip_outer_array", "true"}}), "[{\"id\":1}, 5, \"x\"]");
  EXPECT_EQ(s.rows.size(), 1u);
  EXPECT_EQ(s.total, 3);
  EXPECT_EQ(s.filtered, 2);
  auto scalar = load(t, kJson, "42");
  EXPECT_EQ(scalar.filtered, 1);
}

TEST(JsonBody, MalformedJsonKeepsEarlierRowsAndFiltersTheRest) {
  auto t = pk_table();
  auto p = load(t, kJson, "{\"id\":1}\n{\"id\":2,\n{\"id\":3}\n");
  EXPECT_EQ(p.error, "");
  EXPECT_EQ(render(p), (V{"1|null|null"}));
  EXPECT_EQ(p.total, 2);
  EXPECT_EQ(p.filtered, 1);
  ASSERT_EQ(p.rejected.size(), 1u);
  EXPECT_EQ(p.rejected[0].rfind("Error: Failed to parse json data: ", 0), 0u) << p.rejected[0];
  EXPECT_NE(p.rejected[0].find("Row: {\"id\":2,"), std::string::npos) << p.rejected[0];
  for (const char* bad : {"{", "{\"id\":}", "{\"id\":1,}", "{'id':1}", "{\"id\":01}", "{\"id\":1}]", "nul",
                          "{\"a\":\"\\x\"}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\xff\"}", "{\"a\":\"tab\there\"}"}) {
    auto q = load(t, kJson, bad);
    EXPECT_GE(q.filtered, 1) << bad;
    EXPECT_EQ(q.total, static_cast<int64_t>(q.rows.size()) + q.filtered) << bad;
  }
}

TEST(JsonBody, UnknownKeysIgnoredMissingKeysNullDuplicateKeysFirstWins) {
  auto t = pk_table();
  auto p = load(t, kJson, "{\"id\":1,\"extra\":{\"x\":[1]},\"name\":\"a\",\"name\":\"b\"}");
  EXPECT_EQ(render(p), (V{"1|\"a\"|null"}));
}

TEST(JsonBody, MissingNotNullKeyIsFilteredWithStarRocksMessage) {
  auto t = pk_table();
  auto p = load(t, kJson, "{\"name\":\"a\"}\n{\"id\":null}");
  EXPECT_EQ(p.rows.size(), 0u);
  EXPECT_EQ(p.filtered, 2);
  ASSERT_EQ(p.rejected.size(), 2u);
  EXPECT_EQ(p.rejected[0], "Error: NULL value in non-nullable column 'id'. Row: {\"name\":\"a\"}");
  EXPECT_EQ(p.rejected[1], "Error: NULL value in non-nullable column 'id'. Row: {\"id\":null}");
}

TEST(JsonBody, OpValues) {
  auto t = pk_table();
  auto p = load(t, kJson,
                "{\"id\":1,\"__op\":1}\n{\"id\":2,\"__op\":\"1\"}\n{\"id\":3,\"__op\":0}\n{\"id\":4,\"__op\":null}\n"
                "{\"id\":5,\"__op\":2}\n{\"id\":6,\"__op\":\"delete\"}");
  EXPECT_EQ(render(p), (V{"1|null|null#del", "2|null|null#del", "3|null|null", "4|null|null"}));
  EXPECT_EQ(p.filtered, 2);
  ASSERT_EQ(p.rejected.size(), 2u);
  EXPECT_EQ(p.rejected[0], "Error: Invalid __op value '2', must be 0 (upsert) or 1 (delete). Row: {\"id\":5,\"__op\":2}");
}

TEST(JsonBody, DeleteRowsOnlyNeedTheirKey) {
  auto t = table("PRIMARY_KEYS", {col("id", "INT", true, false), col("v", "INT", false, false)});
  auto p = load(t, json_with({{"strict_mode", "true"}}), "{\"id\":1,\"__op\":1}\n{\"id\":2,\"v\":\"x\",\"__op\":1}\n{\"id\":3}");
  EXPECT_EQ(render(p), (V{"1|null#del", "2|null#del"}));
  EXPECT_EQ(p.filtered, 1);
}

TEST(JsonBody, OpIsIgnoredOnNonPrimaryKeyTables) {
  auto t = table("DUP_KEYS", {col("id", "INT", true, false)});
  auto p = load(t, kJson, "{\"id\":1,\"__op\":1}");
  EXPECT_EQ(render(p), (V{"1"}));
}

TEST(JsonBody, OpFromColumnsMapping) {
  auto t = pk_table();
  auto p = load(t, json_with({{"columns", "id,name,score,kind,__op=kind"}}), "{\"id\":1,\"kind\":1,\"__op\":0}");
  EXPECT_EQ(render(p), (V{"1|null|null#del"}));
  auto c = load(t, json_with({{"columns", "__op='delete'"}}), "{\"id\":1,\"__op\":0}");
  EXPECT_EQ(render(c), (V{"1|null|null#del"}));
}

TEST(JsonBody, JsonRootAndJsonPaths) {
  auto t = pk_table();
  auto r = load(t, json_with({{"json_root", "$.data"}, {"strip_outer_array", "true"}}),
                "{\"data\":[{\"id\":1},{\"id\":2}],\"meta\":1}");
  EXPECT_EQ(render(r), (V{"1|null|null", "2|null|null"}));
  auto missing = load(t, json_with({{"json_root", "$.nope"}}), "{\"data\":{}}");
  EXPECT_EQ(missing.filtered, 1);
  // jsonpaths map positionally onto `columns` (or onto the table columns when absent).
  auto p = load(t, json_with({{"jsonpaths", "[\"$.k\",\"$.v.name\",\"$.arr[1]\"]"}, {"columns", "id,name,score"}}),
                "{\"k\":7,\"v\":{\"name\":\"n\"},\"arr\":[0,2.5]}");
  EXPECT_EQ(render(p), (V{"7|\"n\"|2.50"}));
  auto q = load(t, json_with({{"jsonpaths", "[\"$.k\",\"$.v\"]"}}), "{\"k\":7,\"v\":\"x\",\"__op\":1}");
  EXPECT_EQ(render(q), (V{"7|\"x\"|null"}));  // no auto __op with jsonpaths
  auto o = load(t, json_with({{"jsonpaths", "[\"$.k\",\"$.op\"]"}, {"columns", "id,__op"}}), "{\"k\":7,\"op\":1}");
  EXPECT_EQ(render(o), (V{"7|null|null#del"}));
}

TEST(JsonBody, ColumnsRenameAndDefaults) {
  auto t = table("DUP_KEYS", {col("id", "INT", true, false), col("name", "VARCHAR(10)", false, true, "anon"),
                              col("n", "INT", false, false, "5")});
  auto p = load(t, json_with({{"columns", "id,src,name=src"}}), "{\"id\":1,\"src\":\"x\",\"n\":9}");
  EXPECT_EQ(render(p), (V{"1|\"x\"|5"}));
  auto q = load(t, json_with({{"columns", "id"}}), "{\"id\":1,\"name\":\"ignored\"}");
  EXPECT_EQ(render(q), (V{"1|\"anon\"|5"}));
  // Without `columns`, a missing key is NULL even when the column has a default (spec §6.1).
  auto r = load(t, kJson, "{\"id\":1,\"n\":2}");
  EXPECT_EQ(render(r), (V{"1|null|2"}));
}

TEST(JsonBody, PartialUpdateMarksGivenColumns) {
  auto t = pk_table();
  auto p = load(t, json_with({{"partial_update", "true"}}), "{\"id\":1,\"score\":2}\n{\"name\":\"x\"}");
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(render(p.rows[0]), "1|<absent>|2.00");
  EXPECT_EQ(p.filtered, 1);
  EXPECT_EQ(p.rejected[0], "Error: Key column 'id' is missing in a partial update. Row: {\"name\":\"x\"}");
  auto q = load(t, json_with({{"partial_update", "true"}, {"columns", "id,name"}}), "{\"id\":1,\"score\":2}");
  ASSERT_EQ(q.rows.size(), 1u);
  EXPECT_EQ(render(q.rows[0]), "1|null|<absent>");  // listed but missing → NULL
  auto full = load(t, kJson, "{\"id\":1}");
  EXPECT_EQ(full.rows[0].present, (std::vector<bool>{true, true, true}));
}

TEST(JsonBody, EscapedKeysMatchColumns) {
  auto t = pk_table();
  auto p = load(t, kJson, "{\"\\u0069d\":3,\"na\\u006de\":\"q\"}");
  EXPECT_EQ(render(p), (V{"3|\"q\"|null"}));
}

}  // namespace
}  // namespace sremu::test
