// Per-type conversion rules (spec §6.1 JSON table, §6.2 CSV), checked through parse_body on a
// one-column table so the public behaviour is what is tested.
#include "test_util.h"

namespace sremu::test {
namespace {

constexpr const char* kFiltered = "<filtered>";

TableSchema one(const std::string& type, bool nullable = true) {
  return table("DUP_KEYS", {col("v", type, false, nullable)});
}

std::string result(const ParsedLoad& p) {
  EXPECT_EQ(p.error, "");
  if (p.filtered == 1 && p.rows.empty()) return kFiltered;
  EXPECT_EQ(p.rows.size(), 1u);
  return p.rows.empty() ? "<none>" : p.rows[0].values[0];
}

// The canonical value of CSV field `text` loaded into a `type` column.
std::string csv(const std::string& type, const std::string& text, bool strict = false) {
  auto t = one(type);
  Headers h;
  if (strict) h["strict_mode"] = "true";
  return result(load(t, h, text + "\n"));
}

// The canonical value of JSON value `raw` (as written in the body) loaded into a `type` column.
std::string json(const std::string& type, const std::string& raw, bool strict = false) {
  auto t = one(type);
  Headers h{{"format", "json"}};
  if (strict) h["strict_mode"] = "true";
  return result(load(t, h, "{\"v\":" + raw + "}"));
}

TEST(ConvertIntegers, RangeCheckedAndFractionsTruncated) {
  EXPECT_EQ(csv("INT", "12"), "12");
  EXPECT_EQ(csv("INT", "-7"), "-7");
  EXPECT_EQ(csv("INT", "+7"), "7");
  EXPECT_EQ(csv("TINYINT", "-128"), "-128");
  EXPECT_EQ(csv("TINYINT", "127"), "127");
  EXPECT_EQ(csv("TINYINT", "128"), "null");
  EXPECT_EQ(csv("SMALLINT", "32768"), "null");
  EXPECT_EQ(csv("INT", "2147483648"), "null");
  EXPECT_EQ(csv("BIGINT", "9223372036854775807"), "9223372036854775807");
  EXPECT_EQ(csv("BIGINT", "-9223372036854775808"), "-9223372036854775808");
  EXPECT_EQ(csv("BIGINT", "9223372036854775808"), "null");
  EXPECT_EQ(csv("INT", "1.9"), "1");
  EXPECT_EQ(csv("INT", "-1.9"), "-1");
  EXPECT_EQ(csv("INT", "abc"), "null");
  EXPECT_EQ(json("INT", "1.5"), "1");
  EXPECT_EQ(json("INT", "1e2"), "100");
  EXPECT_EQ(json("INT", "\"42\""), "42");
  EXPECT_EQ(json("INT", "\"4.2\""), "4");
  EXPECT_EQ(json("INT", "true"), "null");
  EXPECT_EQ(json("INT", "{}"), "null");
  EXPECT_EQ(json("INT", "[1]"), "null");
  EXPECT_EQ(json("BIGINT", "-0"), "0");
}

TEST(ConvertIntegers, LargeIntUsesTheRawToken) {
  EXPECT_EQ(json("LARGEINT", "170141183460469231731687303715884105727"), "170141183460469231731687303715884105727");
  EXPECT_EQ(json("LARGEINT", "-170141183460469231731687303715884105728"), "-170141183460469231731687303715884105728");
  EXPECT_EQ(json("LARGEINT", "170141183460469231731687303715884105728"), "null");
  EXPECT_EQ(json("LARGEINT", "\"123456789012345678901234567890\""), "123456789012345678901234567890");
  EXPECT_EQ(csv("LARGEINT", "-5"), "-5");
}

TEST(ConvertFloating, ShortestRoundTripText) {
  EXPECT_EQ(csv("DOUBLE", "1.5"), "1.5");
  EXPECT_EQ(csv("DOUBLE", "0.1"), "0.1");
  EXPECT_EQ(csv("DOUBLE", "3"), "3");
  EXPECT_EQ(csv("DOUBLE", "-2.50"), "-2.5");
  EXPECT_EQ(csv("DOUBLE", "1e308"), "1e+308");
  EXPECT_EQ(csv("DOUBLE", "1e400"), "null");
  EXPECT_EQ(csv("DOUBLE", "inf"), "null");
  EXPECT_EQ(csv("DOUBLE", "nan"), "null");
  EXPECT_EQ(csv("DOUBLE", "abc"), "null");
  EXPECT_EQ(csv("FLOAT", "0.1"), "0.1");
  EXPECT_EQ(csv("FLOAT", "1e39"), "null");
  EXPECT_EQ(json("DOUBLE", "2.25"), "2.25");
  EXPECT_EQ(json("DOUBLE", "\"2.25\""), "2.25");
  EXPECT_EQ(json("FLOAT", "16777217"), "16777216");
}

TEST(ConvertDecimal, ExactScaleRoundingAndPrecision) {
  EXPECT_EQ(csv("DECIMAL(12,2)", "3.1"), "3.10");
  EXPECT_EQ(json("DECIMAL(12,2)", "3.1"), "3.10");
  EXPECT_EQ(json("DECIMAL(12,2)", "\"3.1\""), "3.10");
  EXPECT_EQ(csv("DECIMAL(12,2)", "3.14159"), "3.14");
  EXPECT_EQ(csv("DECIMAL(12,2)", "2.005"), "2.01");  // half away from zero
  EXPECT_EQ(csv("DECIMAL(12,2)", "-2.005"), "-2.01");
  EXPECT_EQ(csv("DECIMAL(12,2)", "-0.001"), "0.00");
  EXPECT_EQ(csv("DECIMAL(12,2)", "1e2"), "100.00");
  EXPECT_EQ(csv("DECIMAL(12,2)", ".5"), "0.50");
  EXPECT_EQ(csv("DECIMAL(12,2)", "9999999999.99"), "9999999999.99");
  EXPECT_EQ(csv("DECIMAL(12,2)", "10000000000"), "null");
  EXPECT_EQ(csv("DECIMAL(12,2)", "9999999999.995"), "null");  // rounds past the precision
  EXPECT_EQ(csv("DECIMAL(5,0)", "123.5"), "124");
  EXPECT_EQ(csv("DECIMAL(5,0)", "0"), "0");
  EXPECT_EQ(csv("DECIMAL(3,3)", "0.1234"), "0.123");
  EXPECT_EQ(csv("DECIMAL(12,2)", "abc"), "null");
  EXPECT_EQ(csv("DECIMAL(12,2)", "1e999999999"), "null");
  // The raw token is used, so values no double can hold survive.
  EXPECT_EQ(json("DECIMAL(38,18)", "12345678901234567890.123456789012345678"),
            "12345678901234567890.123456789012345678");
  // JSON booleans reach non-native-numeric columns as the text "1"/"0" (read as VARCHAR, then cast).
  EXPECT_EQ(json("DECIMAL(12,2)", "true"), "1.00");
  EXPECT_EQ(json("LARGEINT", "false"), "0");
  EXPECT_EQ(json("DATE", "true"), "null");
  EXPECT_EQ(json("DOUBLE", "true"), "null");
}

TEST(ConvertBoolean, WordsAndNumbers) {
  EXPECT_EQ(json("BOOLEAN", "true"), "true");
  EXPECT_EQ(json("BOOLEAN", "false"), "false");
  EXPECT_EQ(json("BOOLEAN", "0"), "false");
  EXPECT_EQ(json("BOOLEAN", "2"), "true");
  EXPECT_EQ(json("BOOLEAN", "\"TRUE\""), "true");
  EXPECT_EQ(json("BOOLEAN", "\"0\""), "false");
  EXPECT_EQ(csv("BOOLEAN", "False"), "false");
  EXPECT_EQ(csv("BOOLEAN", "1"), "true");
  EXPECT_EQ(csv("BOOLEAN", "yes"), "null");
}

TEST(ConvertStrings, ByteLengthAndJsonRendering) {
  EXPECT_EQ(csv("VARCHAR(10)", "abcdefghij"), "\"abcdefghij\"");
  EXPECT_EQ(csv("VARCHAR(10)", "abcdefghijk"), "null");
  EXPECT_EQ(csv("VARCHAR(10)", "ééééé"), "\"ééééé\"");   // 10 bytes
  EXPECT_EQ(csv("VARCHAR(10)", "éééééé"), "null");        // 12 bytes
  EXPECT_EQ(csv("CHAR", "ab"), "null");  // CHAR defaults to CHAR(1)
  EXPECT_EQ(csv("STRING", std::string(65533, 'x')), "\"" + std::string(65533, 'x') + "\"");
  EXPECT_EQ(csv("STRING", std::string(65534, 'x')), "null");
  EXPECT_EQ(json("VARCHAR(20)", "12.50"), "\"12.50\"");     // number → raw token text
  EXPECT_EQ(json("VARCHAR(20)", "true"), "\"1\"");          // boolean → "1"/"0"
  EXPECT_EQ(json("VARCHAR(20)", "false"), "\"0\"");
  EXPECT_EQ(json("VARCHAR(30)", "{ \"a\" : 1.50, \"b\":[1, 2] }"), "\"{\\\"a\\\":1.50,\\\"b\\\":[1,2]}\"");
  EXPECT_EQ(json("VARCHAR(20)", "\"a\\\"b\\n\\u00e9\\t\""), "\"a\\\"b\\n\xC3\xA9\\t\"");
  EXPECT_EQ(json("VARCHAR(20)", "\"\\ud83d\\ude00\""), "\"\xF0\x9F\x98\x80\"");
  EXPECT_EQ(json("VARCHAR(20)", "\"\\u0001\""), "\"\\u0001\"");
}

TEST(ConvertDates, DateSpellings) {
  EXPECT_EQ(json("DATE", "\"2024-01-31\""), "\"2024-01-31\"");
  EXPECT_EQ(csv("DATE", "2024-1-5"), "\"2024-01-05\"");
  EXPECT_EQ(csv("DATE", "20240131"), "\"2024-01-31\"");
  EXPECT_EQ(csv("DATE", "2024-01-31 12:34:56"), "\"2024-01-31\"");
  EXPECT_EQ(csv("DATE", "2024-02-29"), "\"2024-02-29\"");
  EXPECT_EQ(csv("DATE", "2023-02-29"), "null");
  EXPECT_EQ(csv("DATE", "2024-02-30"), "null");
  EXPECT_EQ(csv("DATE", "2024-13-01"), "null");
  EXPECT_EQ(csv("DATE", "31/01/2024"), "null");
  EXPECT_EQ(csv("DATE", "abc"), "null");
  EXPECT_EQ(json("DATE", "20240131"), "\"2024-01-31\"");
}

TEST(ConvertDates, DateTimeSpellingsAndFractions) {
  EXPECT_EQ(csv("DATETIME", "2024-01-31 12:00:00"), "\"2024-01-31 12:00:00\"");
  EXPECT_EQ(csv("DATETIME", "2024-01-31T12:00:00"), "\"2024-01-31 12:00:00\"");
  EXPECT_EQ(csv("DATETIME", "2024-01-31"), "\"2024-01-31 00:00:00\"");
  EXPECT_EQ(csv("DATETIME", "2024-01-31 1:2:3"), "\"2024-01-31 01:02:03\"");
  EXPECT_EQ(csv("DATETIME", "2024-01-31 12:30"), "\"2024-01-31 12:30:00\"");
  EXPECT_EQ(csv("DATETIME", "2024-01-31 12:00:00.5"), "\"2024-01-31 12:00:00.500000\"");
  EXPECT_EQ(csv("DATETIME", "2024-01-31 12:00:00.000000"), "\"2024-01-31 12:00:00\"");
  EXPECT_EQ(csv("DATETIME", "2024-01-31 12:00:00.123456789"), "\"2024-01-31 12:00:00.123456\"");
  EXPECT_EQ(csv("DATETIME", "20240131120000"), "\"2024-01-31 12:00:00\"");
  EXPECT_EQ(csv("DATETIME", "2024-01-31 12:00:00Z"), "null");
  EXPECT_EQ(csv("DATETIME", "2024-01-31 12:00:00+08:00"), "null");
  EXPECT_EQ(csv("DATETIME", "2024-01-31 24:00:00"), "null");
  EXPECT_EQ(csv("DATETIME", "2024-01-31 12:60:00"), "null");
}

TEST(ConvertJson, ValuesAreStoredMinifiedInOrder) {
  EXPECT_EQ(json("JSON", "{ \"b\" : 1, \"a\" : [1, 2.50, \"x\"] }"), "{\"b\":1,\"a\":[1,2.5,\"x\"]}");
  EXPECT_EQ(json("JSON", "\"text\""), "\"text\"");  // a JSON string stays a string
  EXPECT_EQ(json("JSON", "1e2"), "100");
  EXPECT_EQ(json("JSON", "12345678901234567890"), "12345678901234567890");
  EXPECT_EQ(json("JSON", "true"), "true");
  EXPECT_EQ(json("JSON", "null"), "null");  // JSON null → SQL NULL
  EXPECT_EQ(csv("JSON", "{\"a\": 1}"), "{\"a\":1}");
  EXPECT_EQ(csv("JSON", "{\"a\": "), "null");
}

TEST(ConvertComplex, ArraysMapsStructs) {
  EXPECT_EQ(json("ARRAY<INT>", "[1, \"2\", \"x\", null, 3.9]"), "[1,2,null,null,3]");
  EXPECT_EQ(json("ARRAY<INT>", "[]"), "[]");
  EXPECT_EQ(json("ARRAY<INT>", "{\"a\":1}"), "null");
  EXPECT_EQ(json("ARRAY<INT>", "\"[1,2]\""), "null");
  EXPECT_EQ(json("ARRAY<VARCHAR(2)>", "[\"ab\", \"abc\"]"), "[\"ab\",null]");
  EXPECT_EQ(json("ARRAY<ARRAY<INT>>", "[[1],[2,3],null]"), "[[1],[2,3],null]");
  EXPECT_EQ(json("MAP<VARCHAR(10),INT>", "{\"a\":1,\"b\":\"x\"}"), "{\"a\":1,\"b\":null}");
  EXPECT_EQ(json("MAP<INT,DECIMAL(5,1)>", "{\"1\":2}"), "{\"1\":2.0}");
  EXPECT_EQ(json("MAP<INT,INT>", "{\"x\":1}"), "null");  // a key that does not convert
  EXPECT_EQ(json("STRUCT<a INT, b VARCHAR(5)>", "{\"b\":\"x\",\"c\":1}"), "{\"a\":null,\"b\":\"x\"}");
  EXPECT_EQ(json("STRUCT<a INT, b DATE>", "{\"a\":1,\"b\":\"2024-01-01\"}"), "{\"a\":1,\"b\":\"2024-01-01\"}");
  EXPECT_EQ(csv("ARRAY<INT>", "[1,2,3]"), "[1,2,3]");
  EXPECT_EQ(csv("ARRAY<INT>", "1,2"), "null");
  EXPECT_EQ(csv("MAP<VARCHAR(3),INT>", "{\"k\":7}"), "{\"k\":7}");
}

TEST(ConvertVarbinary, JsonKeepsBytesCsvTriesBase64) {
  EXPECT_EQ(json("VARBINARY", "\"abc\""), "\"abc\"");
  EXPECT_EQ(csv("VARBINARY", "YWJj"), "\"abc\"");
  EXPECT_EQ(csv("VARBINARY", "abc!"), "\"abc!\"");
  EXPECT_EQ(csv("VARBINARY", "/w=="), "\"\\u00ff\"");  // non-UTF-8 bytes are shown as \u00XX
  EXPECT_EQ(csv("VARBINARY(2)", "abc"), "null");
}

TEST(StrictMode, FailedConversionFiltersInStrictAndIsNullOtherwise) {
  EXPECT_EQ(csv("INT", "abc", false), "null");
  EXPECT_EQ(csv("INT", "abc", true), kFiltered);
  EXPECT_EQ(json("VARCHAR(2)", "\"abc\"", true), kFiltered);
  EXPECT_EQ(json("DATE", "\"nope\"", true), kFiltered);
  // A source NULL is not a failed conversion.
  EXPECT_EQ(csv("INT", "\\N", true), "null");
  EXPECT_EQ(json("INT", "null", true), "null");
}

TEST(StrictMode, RejectedLinesNameColumnAndReason) {
  auto t = one("INT");
  auto p = load(t, {{"strict_mode", "true"}}, "abc\n");
  ASSERT_EQ(p.rejected.size(), 1u);
  EXPECT_EQ(p.rejected[0],
            "Error: The field (name = v, pos = 0) is out of range. Type: INT, Value length: 3, Value: abc. Row: abc");
  auto j = load(t, {{"format", "json"}, {"strict_mode", "true"}}, "{\"v\":\"abc\"}");
  ASSERT_EQ(j.rejected.size(), 1u);
  EXPECT_EQ(j.rejected[0], "Error: Value 'abc' is out of range. The type of 'v' is INT. Row: {\"v\":\"abc\"}");
}

TEST(NotNull, FailedConversionIntoNotNullColumnIsFiltered) {
  auto t = one("INT", false);
  auto p = load(t, {}, "abc\n\\N\n5\n");
  EXPECT_EQ(p.total, 3);
  EXPECT_EQ(p.filtered, 2);
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0].values[0], "5");
  ASSERT_EQ(p.rejected.size(), 2u);
  EXPECT_EQ(p.rejected[0], "Error: NULL value in non-nullable column 'v'. Row: abc");
  EXPECT_EQ(p.rejected[1], "Error: NULL value in non-nullable column 'v'. Row: \\N");
}

}  // namespace
}  // namespace sremu::test
