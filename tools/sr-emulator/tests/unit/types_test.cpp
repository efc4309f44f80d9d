// parse_type, TableSchema::column_index and compare_values.
#include "test_util.h"

namespace sremu::test {
namespace {

std::string canon(const std::string& text) {
  std::string err;
  auto t = parse_type(text, &err);
  return t ? t->text : "ERR: " + err;
}

TEST(ParseType, ScalarTypesHaveCanonicalSpelling) {
  EXPECT_EQ(canon("bigint"), "BIGINT");
  EXPECT_EQ(canon("TinyInt"), "TINYINT");
  EXPECT_EQ(canon("SMALLINT"), "SMALLINT");
  EXPECT_EQ(canon("integer"), "INT");
  EXPECT_EQ(canon("int(11)"), "INT");  // information_schema display width
  EXPECT_EQ(canon("LARGEINT"), "LARGEINT");
  EXPECT_EQ(canon("float"), "FLOAT");
  EXPECT_EQ(canon("double"), "DOUBLE");
  EXPECT_EQ(canon("boolean"), "BOOLEAN");
  EXPECT_EQ(canon("date"), "DATE");
  EXPECT_EQ(canon("datetime"), "DATETIME");
  EXPECT_EQ(canon("json"), "JSON");
  EXPECT_EQ(canon("string"), "STRING");
  EXPECT_EQ(canon("varbinary"), "VARBINARY");
  EXPECT_EQ(canon("varbinary(16)"), "VARBINARY(16)");
}

TEST(ParseType, LengthsPrecisionAndDefaults) {
  std::string err;
  auto v = parse_type("varchar(64)", &err);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->kind, TypeKind::kVarchar);
  EXPECT_EQ(v->length, 64);
  EXPECT_EQ(v->text, "VARCHAR(64)");
  EXPECT_EQ(canon("VARCHAR"), "VARCHAR(1048576)");
  EXPECT_EQ(canon("CHAR"), "CHAR(1)");
  EXPECT_EQ(canon("char( 5 )"), "CHAR(5)");
  auto d = parse_type("DECIMAL(12, 2)", &err);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->precision, 12);
  EXPECT_EQ(d->scale, 2);
  EXPECT_EQ(d->text, "DECIMAL(12,2)");
  EXPECT_EQ(canon("decimal"), "DECIMAL(10,0)");
  EXPECT_EQ(canon("DECIMAL64(18)"), "DECIMAL(18,0)");
  EXPECT_EQ(canon("decimal128(38,10)"), "DECIMAL(38,10)");
  EXPECT_EQ(canon("DECIMAL(76,20)"), "DECIMAL(76,20)");
}

TEST(ParseType, ComplexTypes) {
  EXPECT_EQ(canon("array<int>"), "ARRAY<INT>");
  EXPECT_EQ(canon("ARRAY<ARRAY<VARCHAR(3)>>"), "ARRAY<ARRAY<VARCHAR(3)>>");
  EXPECT_EQ(canon("map<varchar(10), int>"), "MAP<VARCHAR(10),INT>");
  EXPECT_EQ(canon("STRUCT<a INT, b VARCHAR(5)>"), "STRUCT<a INT, b VARCHAR(5)>");
  std::string err;
  auto s = parse_type("struct<a int,b array<decimal(5,1)>>", &err);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->kind, TypeKind::kStruct);
  ASSERT_EQ(s->field_names.size(), 2u);
  EXPECT_EQ(s->field_names[1], "b");
  EXPECT_EQ(s->children[1].children[0].text, "DECIMAL(5,1)");
}

TEST(ParseType, InvalidTypesAreRejectedWithAMessage) {
  for (const char* bad : {"", "FOO", "VARCHAR(0)", "VARCHAR(1048577)", "CHAR(256)", "DECIMAL(0,0)",
                          "DECIMAL(5,6)", "DECIMAL(77,0)", "ARRAY<", "ARRAY<INT", "MAP<INT>", "STRUCT<>",
                          "INT junk", "VARCHAR(10", "STRUCT<a INT, a INT>", "DOUBLE(5)"}) {
    std::string err;
    EXPECT_FALSE(parse_type(bad, &err).has_value()) << bad;
    EXPECT_FALSE(err.empty()) << bad;
  }
}

TEST(TableSchema, ColumnIndexIsExactAndCaseSensitive) {
  auto t = pk_table();
  EXPECT_EQ(t.column_index("id"), 0);
  EXPECT_EQ(t.column_index("score"), 2);
  EXPECT_EQ(t.column_index("ID"), -1);
  EXPECT_EQ(t.column_index("nope"), -1);
}

Type type_of(const std::string& s) {
  std::string err;
  return *parse_type(s, &err);
}

TEST(CompareValues, IntegersCompareNumerically) {
  auto t = type_of("BIGINT");
  EXPECT_LT(compare_values(t, "-10", "2"), 0);
  EXPECT_LT(compare_values(t, "9", "10"), 0);
  EXPECT_LT(compare_values(t, "-10", "-9"), 0);
  EXPECT_EQ(compare_values(t, "42", "42"), 0);
  EXPECT_GT(compare_values(t, "100", "99"), 0);
  auto l = type_of("LARGEINT");
  EXPECT_LT(compare_values(l, "170141183460469231731687303715884105726", "170141183460469231731687303715884105727"), 0);
  EXPECT_LT(compare_values(l, "-170141183460469231731687303715884105728", "0"), 0);
}

TEST(CompareValues, DecimalsFloatsBooleans) {
  auto d = type_of("DECIMAL(12,2)");
  EXPECT_LT(compare_values(d, "3.10", "3.20"), 0);
  EXPECT_LT(compare_values(d, "-3.10", "-3.05"), 0);
  EXPECT_LT(compare_values(d, "9.99", "10.00"), 0);
  EXPECT_EQ(compare_values(d, "0.00", "0.00"), 0);
  EXPECT_EQ(compare_values(d, "1.5", "1.50"), 0);
  auto f = type_of("DOUBLE");
  EXPECT_LT(compare_values(f, "1e-5", "0.5"), 0);
  EXPECT_GT(compare_values(f, "1e20", "99"), 0);
  auto b = type_of("BOOLEAN");
  EXPECT_LT(compare_values(b, "false", "true"), 0);
  EXPECT_EQ(compare_values(b, "true", "true"), 0);
}

TEST(CompareValues, StringsCompareDecodedBytes) {
  auto s = type_of("VARCHAR(10)");
  EXPECT_LT(compare_values(s, "\"a\"", "\"b\""), 0);
  EXPECT_LT(compare_values(s, "\"a\"", "\"ab\""), 0);
  // '"' (0x22) sorts before 'a' once unescaped, although '\\' (0x5c) would not.
  EXPECT_LT(compare_values(s, "\"\\\"\"", "\"a\""), 0);
  EXPECT_EQ(compare_values(s, "\"x\"", "\"x\""), 0);
}

TEST(CompareValues, DatesAndNulls) {
  auto dt = type_of("DATETIME");
  EXPECT_LT(compare_values(dt, "\"2024-01-01 12:00:00\"", "\"2024-01-01 12:00:00.000001\""), 0);
  EXPECT_LT(compare_values(dt, "\"2023-12-31 23:59:59.999999\"", "\"2024-01-01 00:00:00\""), 0);
  auto d = type_of("DATE");
  EXPECT_GT(compare_values(d, "\"2024-02-01\"", "\"2024-01-31\""), 0);
  EXPECT_LT(compare_values(d, "null", "\"0001-01-01\""), 0);
  EXPECT_EQ(compare_values(d, "null", "null"), 0);
}

}  // namespace
}  // namespace sremu::test
