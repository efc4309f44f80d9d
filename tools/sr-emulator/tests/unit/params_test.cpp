// parse_load_params: header validation with StarRocks' messages (spec §3.2, §3.9, §4.3).
#include "test_util.h"

namespace sremu::test {
namespace {

TableSchema dup_table() {
  return table("DUP_KEYS", {col("id", "BIGINT", true, false), col("name", "VARCHAR(10)")}, "dup_t");
}

// The error text, or "" when the headers are accepted.
std::string err(const TableSchema& t, const Headers& h, bool txn = false) {
  LoadParams p;
  auto e = parse_load_params(t, h, txn, &p);
  return e ? *e : "";
}

TEST(LoadParams, DefaultsWithoutHeaders) {
  auto p = params(pk_table(), {});
  EXPECT_EQ(p.format, "csv");
  EXPECT_EQ(p.column_separator, "\t");
  EXPECT_EQ(p.row_delimiter, "\n");
  EXPECT_TRUE(p.columns.empty());
  EXPECT_FALSE(p.strict_mode);
  EXPECT_FALSE(p.partial_update);
  EXPECT_EQ(p.partial_update_mode, "row");
  EXPECT_EQ(p.max_filter_ratio, 0);
  EXPECT_EQ(p.timezone, "Asia/Shanghai");
  EXPECT_FALSE(p.enclose.has_value());
  EXPECT_EQ(p.compression, "");
}

TEST(LoadParams, FormatIsCaseInsensitiveAndUnknownFormatsFail) {
  EXPECT_EQ(params(pk_table(), {{"format", "JSON"}}).format, "json");
  for (const char* f : {"csv", "gzip", "bzip2", "lz4", "deflate", "zstd"})
    EXPECT_EQ(params(pk_table(), {{"format", f}}).format, f);
  EXPECT_EQ(err(pk_table(), {{"format", "xml"}}), "unknown data format, format=xml");
  EXPECT_EQ(err(pk_table(), {{"format", "Parquet"}}), "unknown data format, format=Parquet");
}

TEST(LoadParams, Timeout) {
  EXPECT_EQ(err(pk_table(), {{"timeout", "600"}}), "");
  EXPECT_EQ(err(pk_table(), {{"timeout", "abc"}}), "Invalid timeout format");
  EXPECT_EQ(err(pk_table(), {{"timeout", "1.5"}}), "Invalid timeout format");
  EXPECT_EQ(err(pk_table(), {{"timeout", "0"}}),
            "Invalid timeout: '0'. Expected values should be between 1 and 259200 seconds");
  EXPECT_EQ(err(pk_table(), {{"timeout", "259201"}}),
            "Invalid timeout: '259201'. Expected values should be between 1 and 259200 seconds");
  // The transaction `load` op does not take a timeout (it belongs to begin).
  EXPECT_EQ(err(pk_table(), {{"timeout", "abc"}}, true), "");
}

TEST(LoadParams, StrictModeMustBeBool) {
  EXPECT_TRUE(params(pk_table(), {{"strict_mode", "TRUE"}}).strict_mode);
  EXPECT_FALSE(params(pk_table(), {{"strict_mode", "false"}}).strict_mode);
  EXPECT_EQ(err(pk_table(), {{"strict_mode", "yes"}}), "Invalid strict mode format. Must be bool type");
  EXPECT_EQ(err(pk_table(), {{"strict_mode", "1"}}), "Invalid strict mode format. Must be bool type");
}

TEST(LoadParams, PartialUpdate) {
  EXPECT_TRUE(params(pk_table(), {{"partial_update", "True"}}).partial_update);
  EXPECT_EQ(err(pk_table(), {{"partial_update", "maybe"}}), "Invalid partial update flag format. Must be bool type");
  EXPECT_EQ(err(dup_table(), {{"partial_update", "true"}}), "Only primary key table support partial update");
  EXPECT_EQ(err(dup_table(), {{"partial_update", "false"}}), "");
  // Transaction load: only the exact string "true" enables it, nothing else is an error.
  EXPECT_FALSE(params(pk_table(), {{"partial_update", "TRUE"}}, true).partial_update);
  EXPECT_TRUE(params(pk_table(), {{"partial_update", "true"}}, true).partial_update);
  EXPECT_EQ(err(pk_table(), {{"partial_update", "maybe"}}, true), "");
}

TEST(LoadParams, PartialUpdateModeIsCaseSensitiveAndOthersIgnored) {
  EXPECT_EQ(params(pk_table(), {{"partial_update_mode", "column"}}).partial_update_mode, "column");
  EXPECT_EQ(params(pk_table(), {{"partial_update_mode", "auto"}}).partial_update_mode, "auto");
  EXPECT_EQ(params(pk_table(), {{"partial_update_mode", "COLUMN"}}).partial_update_mode, "row");
}

TEST(LoadParams, MergeCondition) {
  EXPECT_EQ(params(pk_table(), {{"merge_condition", "score"}}).merge_condition, "score");
  EXPECT_EQ(err(dup_table(), {{"merge_condition", "name"}}), "Conditional update only support primary key table dup_t");
  EXPECT_NE(err(pk_table(), {{"merge_condition", "nope"}}), "");
  EXPECT_NE(err(pk_table(), {{"merge_condition", "id"}}), "");
}

TEST(LoadParams, Compression) {
  EXPECT_EQ(params(pk_table(), {{"format", "json"}, {"compression", "GZIP"}}).compression, "gzip");
  EXPECT_EQ(params(pk_table(), {{"format", "json"}, {"compression", "lz4"}}).compression, "lz4_frame");
  EXPECT_EQ(params(pk_table(), {{"format", "json"}, {"content-encoding", "zstd"}}).compression, "zstd");
  EXPECT_EQ(params(pk_table(), {{"format", "json"}, {"compression", "no_compression"}}).compression, "");
  // CSV accepts the header but its reader never decompresses (spec §3.5).
  EXPECT_EQ(params(pk_table(), {{"compression", "gzip"}}).compression, "");
  EXPECT_EQ(err(pk_table(), {{"format", "json"}, {"compression", "gzip"}, {"content-encoding", "gzip"}}),
            "Only one of http header content-encoding and compression can be set");
  EXPECT_EQ(err(pk_table(), {{"format", "json"}, {"compression", "rar"}}), "Unsupported compression type: rar");
}

TEST(LoadParams, ColumnsHeader) {
  auto p = params(pk_table(), {{"columns", "id, `name`,score,__op"}});
  EXPECT_EQ(p.columns, (std::vector<std::string>{"id", "name", "score", "__op"}));
  auto q = params(pk_table(), {{"columns", "id,name,score,tmp,__op=tmp"}});
  EXPECT_EQ(q.columns.size(), 4u);
  EXPECT_EQ(q.column_exprs.at("__op"), "`tmp`");  // field references are kept backquoted
  auto r = params(pk_table(), {{"columns", "__op='delete'"}});
  EXPECT_TRUE(r.columns.empty());
  EXPECT_EQ(r.column_exprs.at("__op"), "'delete'");
  EXPECT_EQ(err(pk_table(), {{"columns", "id,name,id"}}), "Duplicate column: id");
  EXPECT_EQ(err(pk_table(), {{"columns", "id,name,NAME"}}), "Duplicate column: NAME");
  EXPECT_EQ(err(pk_table(), {{"columns", "id,tmp,name=tmp,NAME=tmp"}}), "Duplicate column mapping: NAME");
  EXPECT_EQ(err(pk_table(), {{"columns", "id,name,score,name=id"}}), "");  // a mapping may override a plain name
  EXPECT_EQ(err(pk_table(), {{"columns", "id,x=id"}}), "Mapping column is not in table. column: x");
  EXPECT_EQ(err(pk_table(), {{"columns", "id,name,score,NAME=id"}}), "");  // table columns match case-insensitively
  EXPECT_EQ(err(pk_table(), {{"columns", "id,name,__op='Merge'"}}), "load op type string not supported: merge");
  EXPECT_EQ(err(pk_table(), {{"columns", "id,name,__op=1.5"}}),
            "const load op type column should only be upsert(0)/delete(1)");
  EXPECT_EQ(err(pk_table(), {{"columns", "id,name,__op=2"}}), "");  // any integer literal passes the planner
  EXPECT_EQ(err(dup_table(), {{"columns", "id,name,__op=1"}}), "");   // __op mappings are allowed on any table
  EXPECT_EQ(err(dup_table(), {{"columns", "id,name,__op"}}), "");     // positional __op is accepted on non-PK
  EXPECT_EQ(err(pk_table(), {{"columns", "id,name,score=nosuch"}}), "Unknown column 'nosuch' in 'columns'");
  EXPECT_NE(err(pk_table(), {{"columns", "id,tmp,name=upper(tmp)"}}).find("sr-emulator"), std::string::npos);
  // A NOT NULL column without default that the load never fills cannot be planned.
  EXPECT_EQ(err(pk_table(), {{"columns", "name,score"}}), "Column has no default value. column: id");
  EXPECT_EQ(err(pk_table(), {{"columns", "name,score"}, {"partial_update", "true"}}), "");
}

// StarRocks parses `columns` with its SQL parser ("COLUMNS (" + header + ")"): reserved words and
// names with spaces must be backquoted; `` inside backquotes is one backquote.
TEST(LoadParams, ColumnsHeaderFollowsTheSqlGrammar) {
  TableSchema t;
  t.name = "kw";
  t.keys_type = "PRIMARY_KEYS";
  std::string e;
  for (const char* n : {"id", "select", "my col", "a`b", "date", "key"}) {
    Column c;
    c.name = n;
    c.type = *parse_type("INT", &e);
    c.key = std::string(n) == "id";
    c.nullable = !c.key;
    t.columns.push_back(c);
  }
  auto p = params(t, {{"columns", "id,`select`,`my col`,`a``b`,date,`key`"}});
  EXPECT_EQ(p.columns, (std::vector<std::string>{"id", "select", "my col", "a`b", "date", "key"}));
  // A reserved word where a column name must stand.
  EXPECT_EQ(err(t, {{"columns", "id,select"}}),
            "Getting syntax error at line 1, column 12. Detail message: Unexpected input 'select', the most "
            "similar input is {a legal identifier}.");
  EXPECT_EQ(err(t, {{"columns", "KEY,id"}}),
            "Getting syntax error at line 1, column 9. Detail message: Unexpected input 'KEY', the most "
            "similar input is {a legal identifier}.");
  // A name with a space: two identifiers in a row.
  EXPECT_EQ(err(t, {{"columns", "id,my col"}}),
            "Getting syntax error at line 1, column 15. Detail message: No viable statement for input 'my col'.");
  // Empty entries, unterminated backquotes, stray characters.
  EXPECT_EQ(err(t, {{"columns", "id,,date"}}),
            "Getting syntax error at line 1, column 12. Detail message: Unexpected input ',', the most "
            "similar input is {a legal identifier}.");
  EXPECT_EQ(err(t, {{"columns", "id,"}}),
            "Getting syntax error at line 1, column 12. Detail message: Unexpected input ')', the most "
            "similar input is {a legal identifier}.");
  EXPECT_EQ(err(t, {{"columns", "id,`date"}}).rfind("Getting syntax error at line 1, column 12. Detail message: "
                                                   "token recognition error at: '`date)'", 0), 0u);
  EXPECT_EQ(err(t, {{"columns", "id#"}}).rfind("Getting syntax error at line 1, column 11.", 0), 0u);
  EXPECT_EQ(err(t, {{"columns", "id) x"}}).rfind("Getting syntax error at line 1, column 13. Detail message: "
                                                "Unexpected input 'x'", 0), 0u);
  // Mappings: backquoted targets and sources, reserved words only as literals.
  auto m = params(t, {{"columns", "id,tmp,`select`=tmp,`my col`=`a``b`,`a``b`"}});
  EXPECT_EQ(m.column_exprs.at("select"), "`tmp`");
  EXPECT_EQ(err(t, {{"columns", "id,`select`=order"}}).rfind("Getting syntax error at line 1, column 21. Detail "
                                                            "message: Unexpected input 'order'", 0), 0u);
  EXPECT_EQ(err(t, {{"columns", "id,`select`=NULL"}}), "");
  EXPECT_EQ(err(t, {{"columns", "id,`select`="}}).rfind("Getting syntax error at line 1, column 21.", 0), 0u);
  // The transaction path parses the same way.
  LoadParams tp;
  EXPECT_NE(parse_load_params(t, {{"columns", "id,select"}}, true, &tp), std::nullopt);
  EXPECT_EQ(parse_load_params(t, {{"columns", "id,`select`"}}, true, &tp), std::nullopt);
}

TEST(LoadParams, JsonPathsAndRoot) {
  auto p = params(pk_table(), {{"format", "json"}, {"jsonpaths", "[\"$.a\", \"$.b.c\", \"$['d e'][0]\"]"}});
  EXPECT_EQ(p.jsonpaths, (std::vector<std::string>{"$.a", "$.b.c", "$['d e'][0]"}));
  EXPECT_EQ(err(pk_table(), {{"format", "json"}, {"jsonpaths", "$.a"}}), "Invalid json path: $.a");
  EXPECT_EQ(err(pk_table(), {{"format", "json"}, {"jsonpaths", "[\"a\"]"}}), "Invalid json path: a");
  EXPECT_EQ(err(pk_table(), {{"format", "json"}, {"jsonpaths", "[1]"}}), "Invalid json path: [1]");
  EXPECT_EQ(params(pk_table(), {{"format", "json"}, {"json_root", "$.data"}}).json_root, "$.data");
  EXPECT_EQ(err(pk_table(), {{"format", "json"}, {"json_root", "data["}}), "Invalid json path: data[");
  // CSV ignores JSON-only headers.
  EXPECT_EQ(err(pk_table(), {{"jsonpaths", "garbage"}}), "");
}

TEST(LoadParams, MemoryLimits) {
  EXPECT_EQ(err(pk_table(), {{"load_mem_limit", "0"}}), "");
  EXPECT_EQ(err(pk_table(), {{"load_mem_limit", "-1"}}), "load_mem_limit must be equal or greater than 0");
  EXPECT_EQ(err(pk_table(), {{"load_mem_limit", "lots"}}), "Invalid load mem limit format");
  EXPECT_EQ(err(pk_table(), {{"exec_mem_limit", "0"}}), "exec_mem_limit must be greater than 0");
  EXPECT_EQ(err(pk_table(), {{"load_dop", "x"}}), "Invalid load_dop format");
}

TEST(LoadParams, CsvOptionsAndTheirTransactionDifferences) {
  auto p = params(pk_table(), {{"skip_header", "2"}, {"trim_space", "TRUE"}, {"enclose", "\"x"}, {"escape", "\\"}});
  EXPECT_EQ(p.skip_header, 2);
  EXPECT_TRUE(p.trim_space);
  EXPECT_EQ(p.enclose, '"');
  EXPECT_EQ(p.escape, '\\');
  EXPECT_EQ(err(pk_table(), {{"skip_header", "-1"}}), "skip_header must be equal or greater than 0");
  EXPECT_EQ(err(pk_table(), {{"skip_header", "one"}}), "Invalid csv load skip_header format");
  EXPECT_EQ(err(pk_table(), {{"trim_space", "yes"}}), "Invalid trim space format. Must be bool type");
  EXPECT_EQ(err(pk_table(), {{"log_rejected_record_num", "-2"}}),
            "log_rejected_record_num must be equal or greater than -1");
  EXPECT_EQ(err(pk_table(), {{"log_rejected_record_num", "-1"}}), "");
  // Not parsed on /api/transaction/load (spec §4.3).
  auto t = params(pk_table(), {{"skip_header", "-1"}, {"trim_space", "yes"}, {"enclose", "\""}}, true);
  EXPECT_EQ(t.skip_header, 0);
  EXPECT_FALSE(t.trim_space);
  EXPECT_FALSE(t.enclose.has_value());
}

TEST(LoadParams, MaxFilterRatioUsesStrtod) {
  EXPECT_DOUBLE_EQ(params(pk_table(), {{"max_filter_ratio", "0.5"}}).max_filter_ratio, 0.5);
  EXPECT_DOUBLE_EQ(params(pk_table(), {{"max_filter_ratio", "0.2abc"}}).max_filter_ratio, 0.2);
  EXPECT_DOUBLE_EQ(params(pk_table(), {{"max_filter_ratio", "abc"}}).max_filter_ratio, 0);
}

TEST(LoadParams, Delimiters) {
  EXPECT_EQ(params(pk_table(), {{"column_separator", "\\x01"}}).column_separator, "\x01");
  EXPECT_EQ(params(pk_table(), {{"column_separator", "0x0102"}}).column_separator, "\x01\x02");
  EXPECT_EQ(params(pk_table(), {{"row_delimiter", "\\X0A"}}).row_delimiter, "\n");
  EXPECT_EQ(params(pk_table(), {{"column_separator", "\\t"}}).column_separator, "\t");
  EXPECT_EQ(params(pk_table(), {{"row_delimiter", "\\n"}}).row_delimiter, "\n");
  EXPECT_EQ(params(pk_table(), {{"column_separator", "||"}}).column_separator, "||");
  EXPECT_EQ(params(pk_table(), {{"column_separator", "→"}}).column_separator, "→");
  EXPECT_EQ(err(pk_table(), {{"column_separator", "\\x1"}}), "Invalid delimiter '\\x1: hex length must be a even number");
  EXPECT_EQ(err(pk_table(), {{"column_separator", "0xZZ"}}), "Invalid delimiter '0xZZ': invalid hex format");
  EXPECT_EQ(err(pk_table(), {{"column_separator", "0x"}}), "Invalid delimiter '0x: empty hex string");
  EXPECT_EQ(err(pk_table(), {{"row_delimiter", ""}}), "Delimiter cannot be empty or null");
  EXPECT_NE(err(pk_table(), {{"column_separator", std::string(51, ',')}}), "");
}

TEST(LoadParams, OtherHeaders) {
  EXPECT_TRUE(params(pk_table(), {{"strip_outer_array", "TRUE"}}).strip_outer_array);
  EXPECT_FALSE(params(pk_table(), {{"strip_outer_array", "1"}}).strip_outer_array);
  EXPECT_EQ(params(pk_table(), {{"timezone", "UTC"}}).timezone, "UTC");
  EXPECT_EQ(params(pk_table(), {{"timezone", "+08:00"}}).timezone, "+08:00");
  EXPECT_EQ(err(pk_table(), {{"timezone", "Mars Time!"}}), "Unknown or incorrect time zone: 'Mars Time!'");
  EXPECT_EQ(err(pk_table(), {{"partitions", "p1"}, {"temporary_partitions", "tp1"}}),
            "Can not specify both partitions and temporary partitions");
  EXPECT_EQ(err(pk_table(), {{"envelope", "avro"}}), "Unknown envelope type: avro");
  EXPECT_EQ(err(pk_table(), {{"enable_merge_commit", "sure"}}),
            "Invalid parameter enable_merge_commit. The value must be bool type, but is sure");
  EXPECT_NE(err(pk_table(), {{"where", "id > 1"}}).find("sr-emulator"), std::string::npos);
  // Headers the data layer does not care about are accepted.
  EXPECT_EQ(err(pk_table(), {{"label", "l1"}, {"ignore_json_size", "true"}, {"expect", "100-continue"}}), "");
}

}  // namespace
}  // namespace sremu::test
