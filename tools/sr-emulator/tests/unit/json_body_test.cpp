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

TEST(JsonBody, ConcatenatedObjectsSingleObjectAndWhitespace) {
  auto t = pk_table();
  EXPECT_EQ(render(load(t, kJson, "{\"id\":1}{\"id\":2} {\"id\":3}")), (V{"1|null|null", "2|null|null", "3|null|null"}));
  EXPECT_EQ(render(load(t, kJson, "  {\"id\":1}  ")), (V{"1|null|null"}));
  EXPECT_EQ(render(load(t, kJson, "\r\n{\"id\":1}\r\n")), (V{"1|null|null"}));
  auto empty = load(t, kJson, " \n ");
  EXPECT_EQ(empty.error, "");
  EXPECT_EQ(empty.total, 0);
  EXPECT_EQ(empty.rows.size(), 0u);
}

TEST(JsonBody, BodyMustStartWithObjectOrArray) {
  auto t = pk_table();
  // StarRocks prints the first byte as a number.
  EXPECT_EQ(load(t, kJson, "42").error, "illegal json started with 52");
  EXPECT_EQ(load(t, kJson, "\xEF\xBB\xBF{\"id\":1}").error, "illegal json started with 239");  // no BOM support
  EXPECT_EQ(load(t, kJson, "  \"x\"").error, "illegal json started with 34");
}

TEST(JsonBody, StripOuterArray) {
  auto t = pk_table();
  auto p = load(t, json_with({{"strip_outer_array", "TRUE"}}),
                "[{\"id\":1,\"__op\":0},{\"id\":2,\"__op\":1},{\"id\":3,\"name\":\"c\"}]\n");
  EXPECT_EQ(render(p), (V{"1|null|null", "2|null|null#del", "3|\"c\"|null"}));
  auto empty = load(t, json_with({{"strip_outer_array", "true"}}), "[]");
  EXPECT_EQ(empty.error, "");
  EXPECT_EQ(empty.total, 0);
}

TEST(JsonBody, MisShapedDocumentsFailTheWholeLoad) {
  auto t = pk_table();
  EXPECT_EQ(load(t, kJson, "[{\"id\":1}]").error,
            "The value is array type in json document stream, you can set strip_outer_array=true to parse each element "
            "of the array as individual rows");
  auto mixed = load(t, kJson, "{\"id\":1}\n[{\"id\":2}]");
  EXPECT_NE(mixed.error, "");
  EXPECT_TRUE(mixed.rows.empty());
  EXPECT_EQ(load(t, kJson, "{\"id\":1} 5").error, "The value should be object type in json document stream");
  EXPECT_EQ(load(t, json_with({{"strip_outer_array", "true"}}), "{\"id\":1}").error,
            "the value should be array type with strip_outer_array=true, value: {\"id\":1}");
  EXPECT_EQ(load(t, json_with({{"strip_outer_array", "true"}}), "[{\"id\":1}, 5]").error,
            "Failed to iterate json array as object. error: The JSON element does not have the requested type.");
  // StarRocks reads only the first array; the emulator refuses instead of dropping rows silently.
  auto two = load(t, json_with({{"strip_outer_array", "true"}}), "[{\"id\":1}]\n[{\"id\":2}]");
  EXPECT_EQ(two.error.rfind("sr-emulator: data after the top-level JSON array", 0), 0u) << two.error;
}

TEST(JsonBody, MalformedJsonFailsTheWholeLoadWithTheParserMessage) {
  auto t = pk_table();
  auto p = load(t, kJson, "{\"id\":1}\n{\"id\":2,\n{\"id\":3}\n");
  EXPECT_EQ(p.error,
            "Failed to iterate document stream as object. error: The JSON document has an improper structure: missing "
            "or superfluous commas, braces, missing keys, etc.");
  EXPECT_TRUE(p.rows.empty());
  EXPECT_EQ(load(t, kJson, "{\"a\":\"tab\there\"}").error,
            "Failed to iterate document stream as object. error: Within strings, some characters must be escaped, we "
            "found unescaped characters");
  EXPECT_EQ(load(t, json_with({{"strip_outer_array", "true"}}), "[{\"id\":1},]").error.rfind(
                "Failed to parse json as array. error: ", 0),
            0u);
  for (const char* bad : {"{", "{\"id\":}", "{\"id\":1,}", "{'id':1}", "{\"id\":01}", "{\"id\":1}]", "{\"a\":nul}",
                          "{\"a\":\"\xff\"}", "{\"a\":1.}", "{\"a\":-}",
                          "{\"a\":\"unterminated}"}) {
    auto q = load(t, kJson, bad);
    EXPECT_EQ(q.error.rfind("Failed to iterate document stream as object. error: ", 0), 0u) << bad << ": " << q.error;
    EXPECT_TRUE(q.rows.empty()) << bad;
  }
}

// StarRocks' test_invalid_json (test/sql/test_json): a string value with an invalid escape does not
// fail the load (simdjson checks escapes only when the value is read); the value loads as NULL.
TEST(JsonBody, InvalidEscapeInAStringValueLoadsNull) {
  auto t = pk_table();
  auto p = load(t, kJson, "{\"id\":1,\"name\":\"a\\sb\"}\n{\"id\":2,\"name\":\"\\ud800\",\"x\":\"\\q\"}\n{\"id\":3,\"name\":\"ok\"}");
  EXPECT_EQ(p.error, "");
  EXPECT_EQ(render(p), (V{"1|null|null", "2|null|null", "3|\"ok\"|null"}));
  auto strict = load(t, json_with({{"strict_mode", "true"}}), "{\"id\":1,\"name\":\"a\\sb\"}");
  EXPECT_EQ(strict.filtered, 1);
  // Keys are still checked strictly.
  EXPECT_NE(load(t, kJson, "{\"i\\d\":1}").error, "");
}

// StarRocks' test_stream_load_json_map_partial_append: in an outer array, a member value with a
// syntax error loads as NULL, its row is loaded, and the elements after it are not read.
TEST(JsonBody, BrokenMemberValueInAnArrayEndsTheArrayAfterItsRow) {
  auto t = pk_table();
  auto p = load(t, json_with({{"strip_outer_array", "true"}}),
                "[{\"id\":1,\"name\":\"a\"},\n {\"id\":2,\"name\":{\"x\":1 \"y\":2},\"score\":5},\n {\"id\":3}]");
  EXPECT_EQ(p.error, "");
  EXPECT_EQ(render(p), (V{"1|\"a\"|null", "2|null|null"}));
  EXPECT_EQ(p.total, 2);
  // Errors outside a member value still fail the whole load.
  EXPECT_EQ(load(t, json_with({{"strip_outer_array", "true"}}), "[{\"id\":1} {\"id\":2}]").error.rfind(
                "Failed to parse json as array. error: ", 0),
            0u);
}

TEST(JsonBody, JsonFractionsIntoIntegersGoThroughDouble) {
  auto t = table("DUP_KEYS", {col("k", "INT", true, true), col("b", "BIGINT"), col("i", "INT")});
  auto p = load(t, kJson,
                "{\"k\":1,\"b\":9223372036854775000.0,\"i\":2147483647.3}\n"
                "{\"k\":2,\"b\":9223372036854775807.0,\"i\":-2147483649.0}\n"
                "{\"k\":3,\"b\":-9223372036854775809.0,\"i\":1e3}");
  EXPECT_EQ(render(p), (V{"1|9223372036854774784|2147483647", "2|null|null", "3|-9223372036854775808|1000"}));
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
  EXPECT_NE(missing.error, "");
  // With json_root, an outer array is expanded automatically and the root applies to each element.
  auto arr = load(t, json_with({{"json_root", "$.r"}}), "[{\"r\":{\"id\":1}},{\"r\":{\"id\":2}}]");
  EXPECT_EQ(render(arr), (V{"1|null|null", "2|null|null"}));
  auto arr2 = load(t, json_with({{"json_root", "$.r"}, {"strip_outer_array", "true"}}),
                   "[{\"r\":[{\"id\":1},{\"id\":2}]},{\"r\":[{\"id\":3}]}]");
  EXPECT_EQ(render(arr2), (V{"1|null|null", "2|null|null", "3|null|null"}));
  EXPECT_EQ(load(t, json_with({{"json_root", "$.r"}}), "{\"r\":[{\"id\":1}]}").error,
            "the value should be object type in json document stream with json root, value: [{\"id\":1}]");
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

namespace sremu::test {
namespace {

TEST(JsonBodyMore, VarcharLengthCountsDecodedBytes) {
  auto t = table("DUP_KEYS", {col("s", "VARCHAR(2)")});
  // "\u00e9" is 6 bytes of JSON text but 2 bytes of UTF-8.
  EXPECT_EQ(load(t, {{"format", "json"}}, "{\"s\":\"\\u00e9\"}").rows.at(0).values[0], "\"\xC3\xA9\"");
}

TEST(JsonBodyMore, RejectedLinesShowTheRawObject) {
  auto t = pk_table();
  auto p = load(t, {{"format", "json"}, {"strip_outer_array", "true"}}, "[ {\"id\": null, \"name\" : \"x\"} ]");
  ASSERT_EQ(p.rejected.size(), 1u);
  EXPECT_EQ(p.rejected[0], "Error: NULL value in non-nullable column 'id'. Row: {\"id\": null, \"name\" : \"x\"}");
}

TEST(JsonBodyMore, KeyOrderMayChangeBetweenRows) {
  auto t = pk_table();
  auto p = load(t, {{"format", "json"}},
                "{\"id\":1,\"name\":\"a\",\"score\":1}\n{\"score\":2,\"id\":2,\"name\":\"b\"}\n{\"x\":0,\"id\":3}\n"
                "{\"id\":4,\"name\":\"d\",\"score\":4}");
  EXPECT_EQ(render(p), (std::vector<std::string>{"1|\"a\"|1.00", "2|\"b\"|2.00", "3|null|null", "4|\"d\"|4.00"}));
}

TEST(JsonBodyMore, WholeRowJsonPathFeedsAJsonColumn) {
  auto t = table("DUP_KEYS", {col("id", "INT"), col("doc", "JSON")});
  auto p = load(t, {{"format", "json"}, {"jsonpaths", "[\"$.id\",\"$\"]"}}, "{\"id\":5,\"x\":[1]}");
  EXPECT_EQ(render(p), (std::vector<std::string>{"5|{\"id\":5,\"x\":[1]}"}));
}

}  // namespace
}  // namespace sremu::test
