// CSV bodies (spec §6.2) and __op in CSV (spec §3.3).
#include "test_util.h"

namespace sremu::test {
namespace {

using V = std::vector<std::string>;

TEST(CsvBody, TabSeparatedRowsWithNullMarker) {
  auto t = pk_table();
  auto p = load(t, {}, "1\ta\t3.1\n2\t\\N\t\\N\n3\t\t0\n");
  EXPECT_EQ(p.error, "");
  EXPECT_EQ(render(p), (V{"1|\"a\"|3.10", "2|null|null", "3|\"\"|0.00"}));
  EXPECT_EQ(p.total, 3);
}

TEST(CsvBody, LastRowWithoutDelimiterAndBlankLinesSkipped) {
  auto t = pk_table();
  auto p = load(t, {}, "\n1\ta\t1\n\n\n2\tb\t2");
  EXPECT_EQ(render(p), (V{"1|\"a\"|1.00", "2|\"b\"|2.00"}));
  EXPECT_EQ(p.total, 2);
}

TEST(CsvBody, EmptyFieldIsEmptyStringOrFailedNumber) {
  auto t = table("DUP_KEYS", {col("s", "VARCHAR(5)"), col("n", "INT")});
  EXPECT_EQ(render(load(t, {}, "\t\n")), (V{"\"\"|null"}));
}

TEST(CsvBody, ValueCountMismatchIsFilteredWithStarRocksMessage) {
  auto t = pk_table();
  auto p = load(t, {}, "1\ta\n2\tb\t3\t4\n5\tc\t6\n");
  EXPECT_EQ(render(p), (V{"5|\"c\"|6.00"}));
  EXPECT_EQ(p.total, 3);
  EXPECT_EQ(p.filtered, 2);
  ASSERT_EQ(p.rejected.size(), 2u);
  EXPECT_EQ(p.rejected[0], "Error: Value count does not match column count. Expect 3, but got 2. Row: 1\ta");
  EXPECT_EQ(p.rejected[1], "Error: Value count does not match column count. Expect 3, but got 4. Row: 2\tb\t3\t4");
}

TEST(CsvBody, MultiByteAndHexSeparators) {
  auto t = pk_table();
  EXPECT_EQ(render(load(t, {{"column_separator", "||"}, {"row_delimiter", "\\x02"}}, "1||a||2\x02" "2||b|c||3")),
            (V{"1|\"a\"|2.00", "2|\"b|c\"|3.00"}));
  EXPECT_EQ(render(load(t, {{"column_separator", "\\x01"}}, "1\x01x\x01" "5\n")), (V{"1|\"x\"|5.00"}));
  EXPECT_EQ(render(load(t, {{"column_separator", "→"}, {"row_delimiter", "0x0D0A"}}, "1→x→5\r\n2→y→6\r\n")),
            (V{"1|\"x\"|5.00", "2|\"y\"|6.00"}));
}

TEST(CsvBody, OpColumnPositionalExplicitAndConstant) {
  auto t = pk_table();
  EXPECT_EQ(render(load(t, {{"columns", "id,name,score,__op"}}, "1\ta\t1\t0\n2\tb\t2\t1\n")),
            (V{"1|\"a\"|1.00", "2|\"b\"|2.00#del"}));
  EXPECT_EQ(render(load(t, {{"columns", "__op,id,name,score"}}, "1\t2\tb\t2\n")), (V{"2|\"b\"|2.00#del"}));
  EXPECT_EQ(render(load(t, {{"columns", "id,name,score,tmp,__op=tmp"}}, "1\ta\t1\t1\n")), (V{"1|\"a\"|1.00#del"}));
  EXPECT_EQ(render(load(t, {{"columns", "__op='DELETE'"}}, "1\ta\t1\n")), (V{"1|\"a\"|1.00#del"}));
  EXPECT_EQ(render(load(t, {{"columns", "id,name,score,__op='upsert'"}}, "1\ta\t1\n")), (V{"1|\"a\"|1.00"}));
  EXPECT_EQ(render(load(t, {{"columns", "__op=1"}}, "1\ta\t1\n")), (V{"1|\"a\"|1.00#del"}));
  auto bad = load(t, {{"columns", "id,name,score,__op"}}, "1\ta\t1\tx\n");
  EXPECT_EQ(bad.filtered, 1);
  auto two = load(t, {{"columns", "id,name,score,__op=2"}}, "1\ta\t1\n");
  EXPECT_EQ(two.filtered, 1);
  EXPECT_EQ(two.rejected[0], "Error: Invalid __op value '2', must be 0 (upsert) or 1 (delete). Row: 1\ta\t1");
  // Source fields are matched to table columns case-insensitively.
  EXPECT_EQ(render(load(t, {{"columns", "ID,Name,SCORE"}}, "1\ta\t1\n")), (V{"1|\"a\"|1.00"}));
  // Without __op every row is an upsert; on non-PK tables the op field has no effect.
  auto dup = table("DUP_KEYS", {col("id", "INT", true, false)});
  EXPECT_EQ(render(load(dup, {{"columns", "id,__op"}}, "1\t1\n")), (V{"1"}));
}

TEST(CsvBody, PlaceholderFieldsConstantsAndDefaults) {
  auto t = table("DUP_KEYS", {col("id", "INT", true, false), col("name", "VARCHAR(10)", false, true, "dflt"),
                              col("n", "DECIMAL(5,1)")});
  EXPECT_EQ(render(load(t, {{"columns", "id,skip,n"}}, "1\tzzz\t2\n")), (V{"1|\"dflt\"|2.0"}));
  EXPECT_EQ(render(load(t, {{"columns", "id,name,n=1.25"}}, "1\tx\n")), (V{"1|\"x\"|1.3"}));
  EXPECT_EQ(render(load(t, {{"columns", "id,name,n=NULL"}}, "1\tx\n")), (V{"1|\"x\"|null"}));
  EXPECT_EQ(render(load(t, {{"columns", "id,name='k',n"}}, "1\t7\n")), (V{"1|\"k\"|7.0"}));
}

TEST(CsvBody, EncloseAndEscape) {
  auto t = pk_table();
  Headers h{{"column_separator", ","}, {"enclose", "\""}};
  EXPECT_EQ(render(load(t, h, "1,\"a,b\",3\n2,\"say \"\"hi\"\"\",4\n3,\"line\nbreak\",5\n")),
            (V{"1|\"a,b\"|3.00", "2|\"say \\\"hi\\\"\"|4.00", "3|\"line\\nbreak\"|5.00"}));
  // StarRocks compares a field with \N after removing enclose and escape bytes
  // (be/src/exec/csv_scanner.cpp, _parse_csv_v2): an enclosed \N is NULL too.
  EXPECT_EQ(render(load(t, h, "1,\"\\N\",\\N\n")), (V{"1|null|null"}));
  EXPECT_EQ(render(load(t, h, "1,\"\\Nx\",\\N\n")), (V{"1|\"\\\\Nx\"|null"}));
  Headers e{{"column_separator", ","}, {"escape", "\\"}};
  EXPECT_EQ(render(load(t, e, "1,a\\,b,3\n")), (V{"1|\"a,b\"|3.00"}));
  // With escape '\' a bare \N loses its escape byte ("N"); \\N is the NULL marker.
  EXPECT_EQ(render(load(t, e, "1,\\N,3\n2,\\\\N,3\n")), (V{"1|\"N\"|3.00", "2|null|3.00"}));
  Headers both{{"column_separator", ","}, {"enclose", "'"}, {"escape", "\\"}};
  EXPECT_EQ(render(load(t, both, "1,'it\\'s',3\n")), (V{"1|\"it's\"|3.00"}));
  EXPECT_EQ(render(load(t, both, "1,'',3\n")), (V{"1|\"\"|3.00"}));
}

TEST(CsvBody, SkipHeaderAndTrimSpace) {
  auto t = pk_table();
  EXPECT_EQ(render(load(t, {{"skip_header", "2"}}, "id\tname\tscore\nINT\tVARCHAR\tDECIMAL\n1\ta\t1\n")),
            (V{"1|\"a\"|1.00"}));
  Headers h{{"column_separator", ","}, {"trim_space", "true"}};
  EXPECT_EQ(render(load(t, h, " 1 ,  a b  , 2 \n")), (V{"1|\"a b\"|2.00"}));
  Headers q{{"column_separator", ","}, {"trim_space", "true"}, {"enclose", "\""}};
  EXPECT_EQ(render(load(t, q, "1 ,  \" a \"  ,2\n")), (V{"1|\" a \"|2.00"}));
  // Without trim_space the spaces are data.
  EXPECT_EQ(render(load(t, {{"column_separator", ","}}, "1, a ,2\n")), (V{"1|\" a \"|2.00"}));
}

TEST(CsvBody, InvalidUtf8RowsAreFiltered) {
  auto t = pk_table();
  auto p = load(t, {}, "1\t\xff\xfe\t1\n2\tok\t2\n");
  EXPECT_EQ(render(p), (V{"2|\"ok\"|2.00"}));
  ASSERT_EQ(p.rejected.size(), 1u);
  EXPECT_EQ(p.rejected[0].rfind("Error: Invalid UTF-8 row. Row: ", 0), 0u);
}

TEST(CsvBody, PartialUpdateWithColumnsList) {
  auto t = pk_table();
  auto p = load(t, {{"partial_update", "true"}, {"columns", "id,score"}}, "1\t5\n");
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0].present, (std::vector<bool>{true, false, true}));
  EXPECT_EQ(render(p.rows[0]), "1|<absent>|5.00");
  auto nokey = load(t, {{"partial_update", "true"}, {"columns", "name"}}, "x\n");
  EXPECT_EQ(nokey.filtered, 1);
  EXPECT_EQ(nokey.rejected[0], "Error: Key column 'id' is missing in a partial update. Row: x");
}

TEST(CsvBody, StrictModeAndNotNull) {
  auto t = pk_table();
  auto p = load(t, {{"strict_mode", "true"}}, "1\tabcdefghijklmn\t1\n2\tb\tx\n3\tc\t3\n");
  EXPECT_EQ(render(p), (V{"3|\"c\"|3.00"}));
  EXPECT_EQ(p.filtered, 2);
  auto q = load(t, {}, "1\tabcdefghijklmn\t1\n2\tb\tx\nx\tc\t3\n");
  EXPECT_EQ(render(q), (V{"1|null|1.00", "2|\"b\"|null"}));
  EXPECT_EQ(q.rejected[0], "Error: NULL value in non-nullable column 'id'. Row: x\tc\t3");
}

}  // namespace
}  // namespace sremu::test

namespace sremu::test {
namespace {

TEST(CsvBodyMore, TrailingSeparatorMeansAnEmptyLastField) {
  auto t = table("DUP_KEYS", {col("a", "INT"), col("b", "VARCHAR(3)")});
  EXPECT_EQ(render(load(t, {}, "1\t\n")), (std::vector<std::string>{"1|\"\""}));
  EXPECT_EQ(load(t, {}, "1\t\t\n").filtered, 1);
}

TEST(CsvBodyMore, VarbinaryTablesAcceptNonUtf8Rows) {
  auto t = table("DUP_KEYS", {col("id", "INT"), col("b", "VARBINARY")});
  auto p = load(t, {}, std::string("1\t\xff\xfe\n"));
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0].values[1], "\"\\u00ff\\u00fe\"");
}

TEST(CsvBodyMore, ManyRowsKeepOrderAndCounts) {
  auto t = pk_table();
  std::string body;
  for (int i = 0; i < 20000; ++i) body += std::to_string(i) + "\tn" + std::to_string(i % 7) + "\t" + std::to_string(i) + ".5\n";
  auto p = load(t, {}, body);
  ASSERT_EQ(p.rows.size(), 20000u);
  EXPECT_EQ(p.total, 20000);
  EXPECT_EQ(render(p.rows[12345]), "12345|\"n4\"|12345.50");
}

}  // namespace
}  // namespace sremu::test
