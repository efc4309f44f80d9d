// parse_options: keys and defaults as documented at sr_sink_connector_add_sink (abi/sr_sink.h).
#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

#include "options.h"

namespace srs {
namespace {

// A valid document with `extra` members appended ("" for none).
std::string doc(const std::string& extra = "") {
  std::string d = R"({"http_url":"http://fe:8030")";
  if (!extra.empty()) d += "," + extra;
  return d + "}";
}

Options parse_ok(const std::string& json) {
  auto r = parse_options(json.c_str());
  EXPECT_TRUE(r.ok()) << json << " → " << r.status().message();
  return r.ok() ? r.value() : Options{};
}

// Returns the error message, checking the code is SR_SINK_E_CONFIG.
std::string parse_err(const std::string& json) {
  auto r = parse_options(json.c_str());
  EXPECT_FALSE(r.ok()) << json << " was accepted";
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), SR_SINK_E_CONFIG) << r.status().message();
  return r.status().message();
}

TEST(Options, OnlyHttpUrlGivesTheDocumentedDefaults) {
  Options o = parse_ok(doc());
  ASSERT_EQ(o.http_urls.size(), 1u);
  EXPECT_EQ(o.http_urls[0], "http://fe:8030");
  EXPECT_EQ(o.mode, ExecutionMode::kOnCheckpoint);
  EXPECT_EQ(o.label_prefix, "sr_sink");
  EXPECT_EQ(o.batch_max_bytes, 94371840u);
  EXPECT_EQ(o.batch_max_rows, 500000u);
  EXPECT_EQ(o.memory_budget_bytes, 268435456u);
  EXPECT_EQ(o.write_timeout_ms, 60000);
  EXPECT_EQ(o.connect_timeout_ms, 10000);
  EXPECT_EQ(o.request_timeout_ms, 30000);
  EXPECT_EQ(o.load_timeout_s, 600);
  EXPECT_EQ(o.max_retries, 3);
  EXPECT_EQ(o.retry_backoff_ms, 500);
  EXPECT_EQ(o.tls_ca_file, "");
  EXPECT_TRUE(o.tls_verify);
  EXPECT_TRUE(o.properties.empty());
}

TEST(Options, EveryKeyIsParsed) {
  Options o = parse_ok(R"({"http_url":["http://a:8030","https://b:8443/"],
    "execution_mode":"on_watermark","label_prefix":"job-1_x","batch_max_bytes":1048576,
    "batch_max_rows":10,"memory_budget_bytes":2097152,"write_timeout_ms":0,
    "connect_timeout_ms":5,"request_timeout_ms":6,"load_timeout_s":7,"max_retries":0,
    "retry_backoff_ms":9,"tls_ca_file":"/dev/null","tls_verify":false,
    "properties":{"Strict_Mode":"true","max_filter_ratio":0.25,"timezone":"UTC"},
    "partial_update":"row","log_row_values":true})");
  ASSERT_EQ(o.http_urls.size(), 2u);
  EXPECT_EQ(o.http_urls[0], "http://a:8030");
  EXPECT_EQ(o.http_urls[1], "https://b:8443");
  EXPECT_EQ(o.mode, ExecutionMode::kOnWatermark);
  EXPECT_EQ(o.label_prefix, "job-1_x");
  EXPECT_EQ(o.batch_max_bytes, 1048576u);
  EXPECT_EQ(o.batch_max_rows, 10u);
  EXPECT_EQ(o.memory_budget_bytes, 2097152u);
  EXPECT_EQ(o.write_timeout_ms, 0);
  EXPECT_EQ(o.connect_timeout_ms, 5);
  EXPECT_EQ(o.request_timeout_ms, 6);
  EXPECT_EQ(o.load_timeout_s, 7);
  EXPECT_EQ(o.max_retries, 0);
  EXPECT_EQ(o.retry_backoff_ms, 9);
  EXPECT_EQ(o.tls_ca_file, "/dev/null");
  EXPECT_FALSE(o.tls_verify);
  using P = std::pair<std::string, std::string>;
  std::vector<P> want = {P{"strict_mode", "true"}, P{"max_filter_ratio", "0.25"},
                         P{"timezone", "UTC"}, P{"partial_update", "true"},
                         P{"partial_update_mode", "row"}};
  EXPECT_EQ(o.properties, want);
  EXPECT_EQ(o.partial_update, PartialUpdate::kRow);
  EXPECT_TRUE(o.log_row_values);
}

TEST(Options, PartialUpdateIsTypedAndSetsBothHeaders) {
  Options off = parse_ok(doc());
  EXPECT_EQ(off.partial_update, PartialUpdate::kOff);
  EXPECT_FALSE(off.log_row_values);
  EXPECT_EQ(parse_ok(doc(R"("partial_update":false)")).partial_update, PartialUpdate::kOff);
  EXPECT_TRUE(parse_ok(doc(R"("partial_update":"false")")).properties.empty());
  using P = std::pair<std::string, std::string>;
  std::vector<P> column = {P{"partial_update", "true"}, P{"partial_update_mode", "column"}};
  EXPECT_EQ(parse_ok(doc(R"("partial_update":"column")")).properties, column);
  EXPECT_NE(parse_err(doc(R"("partial_update":true)")).find("option `partial_update`: must be false"),
            std::string::npos);
  EXPECT_NE(parse_err(doc(R"("partial_update":"rows")")).find("got \"rows\""), std::string::npos);
  // One way to say it: the raw headers are refused, pointing at the option.
  for (const char* k : {"partial_update", "partial_update_mode"}) {
    std::string m = parse_err(doc(std::string(R"("properties":{")") + k + R"(":"true"})"));
    EXPECT_NE(m.find(std::string("property `") + k + "`"), std::string::npos) << m;
    EXPECT_NE(m.find("use the option `partial_update`"), std::string::npos) << m;
  }
  EXPECT_NE(parse_err(doc(R"("log_row_values":"yes")")).find("option `log_row_values`"),
            std::string::npos);
}

TEST(Options, NonFiniteNumbersAndEmbeddedNulsAreRefused) {
  // 1e999 parses as infinity, which would go out as the header value `null`.
  std::string m = parse_err(doc(R"("properties":{"max_filter_ratio":1e999})"));
  EXPECT_NE(m.find("`max_filter_ratio` must be a finite number"), std::string::npos) << m;
  // A NUL inside a string would silently cut the value (here: "UTC" + garbage).
  m = parse_err(doc(R"("properties":{"timezone":"UTC\u0000Asia/Shanghai"})"));
  EXPECT_NE(m.find("embedded NUL"), std::string::npos) << m;
  EXPECT_NE(parse_err(doc(R"("label_prefix":"a\u0000b")")).find("embedded NUL"),
            std::string::npos);
  // An escaped backslash followed by "u0000" is text, not a NUL.
  EXPECT_EQ(parse_ok(doc(R"("properties":{"timezone":"a\\u0000"})")).properties.size(), 1u);
}

TEST(Options, UrlWithAPasswordHoldingDelimitersIsRefusedAsUserinfoWithoutEchoingIt) {
  for (const char* pw : {"Zq#9x", "Zq?9x", "Zq/9x", "Zq@9x"}) {
    std::string url = std::string("http://loader:") + pw + "@fe:8030";
    std::string m = parse_err(doc().replace(doc().find("http://fe:8030"), 14, url));
    EXPECT_NE(m.find("user information"), std::string::npos) << pw << ": " << m;
    EXPECT_EQ(m.find(pw), std::string::npos) << m;
    EXPECT_EQ(m.find("9x"), std::string::npos) << m;
  }
}

TEST(Options, ExecutionModeOnCheckpointIsAccepted) {
  EXPECT_EQ(parse_ok(doc(R"("execution_mode":"on_checkpoint")")).mode, ExecutionMode::kOnCheckpoint);
}

TEST(Options, UnknownKeyIsRejectedNamingTheKey) {
  EXPECT_EQ(parse_err(doc(R"("http_urls":"x")")), "unknown option `http_urls`");
  EXPECT_EQ(parse_err(doc(R"("sink.label-prefix":"x")")), "unknown option `sink.label-prefix`");
}

TEST(Options, KeysAreCaseSensitive) {
  EXPECT_EQ(parse_err(R"({"HTTP_URL":"http://fe:8030"})"), "unknown option `HTTP_URL`");
}

TEST(Options, DuplicateKeyIsRejected) {
  EXPECT_NE(parse_err(doc(R"("max_retries":1,"max_retries":2)")).find("`max_retries`: is given twice"),
            std::string::npos);
}

TEST(Options, DocumentMustBeAJsonObject) {
  EXPECT_NE(parse_err("").find("not valid JSON"), std::string::npos);
  EXPECT_NE(parse_err("{\"http_url\":").find("not valid JSON"), std::string::npos);
  EXPECT_NE(parse_err("[1]").find("must be a JSON object"), std::string::npos);
  EXPECT_NE(parse_err("\"x\"").find("must be a JSON object"), std::string::npos);
  EXPECT_NE(parse_err(doc() + " trailing").find("not valid JSON"), std::string::npos);
  auto r = parse_options(nullptr);
  EXPECT_EQ(r.status().code(), SR_SINK_E_CONFIG);
}

TEST(Options, HttpUrlIsRequired) {
  EXPECT_NE(parse_err("{}").find("option `http_url`: is required"), std::string::npos);
}

TEST(Options, HttpUrlWrongTypesNameTheKey) {
  EXPECT_NE(parse_err(R"({"http_url":8030})").find("option `http_url`: must be a URL string or an array"),
            std::string::npos);
  EXPECT_NE(parse_err(R"({"http_url":[]})").find("option `http_url`: must not be an empty array"),
            std::string::npos);
  EXPECT_NE(parse_err(R"({"http_url":["http://a",1]})").find("option `http_url`: array elements"),
            std::string::npos);
  EXPECT_NE(parse_err(R"({"http_url":null})").find("option `http_url`"), std::string::npos);
}

TEST(Options, HttpUrlNeedsHttpOrHttpsSchemeAndHost) {
  EXPECT_NE(parse_err(R"({"http_url":"fe:8030"})").find("must start with http:// or https://"),
            std::string::npos);
  EXPECT_NE(parse_err(R"({"http_url":"ftp://fe"})").find("must start with http:// or https://"),
            std::string::npos);
  EXPECT_NE(parse_err(R"({"http_url":"http://"})").find("has no host"), std::string::npos);
  EXPECT_NE(parse_err(R"({"http_url":"http://:8030"})").find("has no host"), std::string::npos);
  EXPECT_NE(parse_err(R"({"http_url":"http:///x"})").find("has no host"), std::string::npos);
  EXPECT_NE(parse_err(R"({"http_url":"http://fe:"})").find("empty port"), std::string::npos);
  EXPECT_NE(parse_err(R"({"http_url":"http://fe:99999"})").find("invalid port"), std::string::npos);
  EXPECT_NE(parse_err(R"({"http_url":"http://fe:80a"})").find("invalid port"), std::string::npos);
  EXPECT_NE(parse_err(R"({"http_url":"http://fe:8030/?x=1"})").find("query or fragment"),
            std::string::npos);
  EXPECT_NE(parse_err(R"({"http_url":"http://fe 1"})").find("whitespace"), std::string::npos);
}

TEST(Options, HttpUrlIsNormalisedWithoutTrailingSlash) {
  EXPECT_EQ(parse_ok(R"({"http_url":"http://fe:8030/"})").http_urls[0], "http://fe:8030");
  EXPECT_EQ(parse_ok(R"({"http_url":"HTTPS://fe//"})").http_urls[0], "https://fe");
  EXPECT_EQ(parse_ok(R"({"http_url":"http://fe/sr/"})").http_urls[0], "http://fe/sr");
  EXPECT_EQ(parse_ok(R"({"http_url":"http://[::1]:8030"})").http_urls[0], "http://[::1]:8030");
  EXPECT_EQ(parse_ok(R"({"http_url":"http://127.0.0.1"})").http_urls[0], "http://127.0.0.1");
}

TEST(Options, HttpUrlWithUserinfoIsRejectedWithoutEchoingThePassword) {
  for (const char* url : {"http://user:s3cretPW@fe:8030", "ftp://user:s3cretPW@fe",
                          "user:s3cretPW@fe", "https://root:s3cretPW@fe/x"}) {
    std::string json = std::string(R"({"http_url":[")") + url + R"("]})";
    std::string m = parse_err(json);
    EXPECT_NE(m.find("option `http_url`"), std::string::npos) << m;
    EXPECT_NE(m.find("user information"), std::string::npos) << m;
    EXPECT_EQ(m.find("s3cretPW"), std::string::npos) << m;
  }
}

TEST(Options, ExecutionModeValuesAreChecked) {
  EXPECT_NE(parse_err(doc(R"("execution_mode":"exactly_once")"))
                .find("option `execution_mode`: must be \"on_checkpoint\" or \"on_watermark\""),
            std::string::npos);
  EXPECT_NE(parse_err(doc(R"("execution_mode":1)")).find("option `execution_mode`: must be a string"),
            std::string::npos);
}

TEST(Options, LabelPrefixFollowsTheRegex) {
  EXPECT_EQ(parse_ok(doc(R"("label_prefix":"a")")).label_prefix, "a");
  EXPECT_EQ(parse_ok(doc(R"("label_prefix":"abcdefghijklmnopqrstuvwxyz-_0123")")).label_prefix.size(), 32u);
  for (const char* bad : {R"("")", R"("abcdefghijklmnopqrstuvwxyz-_01234")", R"("a.b")", R"("a b")",
                          R"("é")", "7"}) {
    std::string m = parse_err(doc(std::string("\"label_prefix\":") + bad));
    EXPECT_NE(m.find("option `label_prefix`"), std::string::npos) << bad << " → " << m;
  }
}

struct IntCase {
  const char* key;
  const char* value;
};

TEST(Options, IntegerOptionsRejectWrongTypesAndRanges) {
  const IntCase bad[] = {
      {"batch_max_bytes", "0"},        {"batch_max_bytes", "-1"},
      {"batch_max_bytes", "1.5"},      {"batch_max_bytes", "\"10\""},
      {"batch_max_rows", "0"},         {"batch_max_rows", "true"},
      {"memory_budget_bytes", "1048575"}, {"memory_budget_bytes", "null"},
      {"write_timeout_ms", "-1"},      {"connect_timeout_ms", "0"},
      {"request_timeout_ms", "0"},     {"load_timeout_s", "0"},
      {"load_timeout_s", "259201"},    {"max_retries", "-1"},
      {"max_retries", "1001"},         {"retry_backoff_ms", "-5"},
      {"retry_backoff_ms", "1e300"},   {"connect_timeout_ms", "[1]"},
  };
  for (const auto& c : bad) {
    std::string m = parse_err(doc(std::string("\"") + c.key + "\":" + c.value));
    EXPECT_NE(m.find(std::string("option `") + c.key + "`: must be"), std::string::npos)
        << c.key << "=" << c.value << " → " << m;
  }
}

TEST(Options, IntegerOptionsAcceptBoundaries) {
  Options o = parse_ok(doc(R"("memory_budget_bytes":1048576,"batch_max_bytes":1048576,
      "load_timeout_s":259200,"max_retries":1000,"write_timeout_ms":0,"retry_backoff_ms":0,
      "batch_max_rows":1e3)"));
  EXPECT_EQ(o.memory_budget_bytes, 1048576u);
  EXPECT_EQ(o.load_timeout_s, 259200);
  EXPECT_EQ(o.batch_max_rows, 1000u);
}

TEST(Options, BatchMaxBytesMustNotExceedMemoryBudget) {
  std::string m = parse_err(doc(R"("memory_budget_bytes":2097152,"batch_max_bytes":2097153)"));
  EXPECT_NE(m.find("option `batch_max_bytes`: must not exceed memory_budget_bytes"), std::string::npos)
      << m;
}

TEST(Options, DefaultBatchMaxBytesFollowsASmallerBudget) {
  Options o = parse_ok(doc(R"("memory_budget_bytes":16777216)"));
  EXPECT_EQ(o.batch_max_bytes, 16777216u);
}

TEST(Options, TlsOptionsAreTyped) {
  EXPECT_NE(parse_err(doc(R"("tls_verify":"false")")).find("option `tls_verify`: must be true or false"),
            std::string::npos);
  EXPECT_NE(parse_err(doc(R"("tls_ca_file":"")")).find("option `tls_ca_file`"), std::string::npos);
  EXPECT_NE(parse_err(doc(R"("tls_ca_file":3)")).find("option `tls_ca_file`: must be a string"),
            std::string::npos);
}

TEST(Options, UnreadableCaFileIsRejectedAtOnce) {
  std::string m = parse_err(doc(R"("tls_ca_file":"/nonexistent/ca.pem")"));
  EXPECT_NE(m.find("option `tls_ca_file`: cannot read `/nonexistent/ca.pem`"), std::string::npos) << m;
}

TEST(Options, PropertiesMustBeAnObjectOfScalars) {
  EXPECT_NE(parse_err(doc(R"("properties":["a"])")).find("option `properties`: must be an object"),
            std::string::npos);
  EXPECT_NE(parse_err(doc(R"("properties":{"strict_mode":null})")).find("property `strict_mode` must be"),
            std::string::npos);
  EXPECT_NE(parse_err(doc(R"("properties":{"where":{"a":1}})")).find("property `where` must be"),
            std::string::npos);
}

TEST(Options, PropertyKeysAreLowerCasedAndValuesConverted) {
  Options o = parse_ok(doc(R"("properties":{"Max_Filter_Ratio":0.1,"LOAD_MEM_LIMIT":2147483648,"strict_mode":false})"));
  ASSERT_EQ(o.properties.size(), 3u);
  EXPECT_EQ(o.properties[0].first, "max_filter_ratio");
  EXPECT_EQ(o.properties[0].second, "0.1");
  EXPECT_EQ(o.properties[1].first, "load_mem_limit");
  EXPECT_EQ(o.properties[1].second, "2147483648");
  EXPECT_EQ(o.properties[2].second, "false");
}

TEST(Options, PropertiesOwnedByTheLibraryAreRejectedNamingTheKeyAndWhy) {
  for (const char* key : {"label", "format", "columns", "expect", "authorization", "timeout", "db",
                          "table", "strip_outer_array", "ignore_json_size", "jsonpaths", "json_root",
                          "content-length", "transfer-encoding", "host", "Label", "AUTHORIZATION",
                          "compression", "content-encoding", "transaction_type",
                          "enable_merge_commit", "merge_commit_interval_ms"}) {
    std::string lower;
    for (const char* c = key; *c; ++c) lower += static_cast<char>(std::tolower(*c));
    std::string m = parse_err(doc(std::string(R"("properties":{")") + key + R"(":"x"})"));
    EXPECT_NE(m.find("option `properties`: property `" + lower + "`"), std::string::npos) << m;
    EXPECT_NE(m.find(":"), std::string::npos) << m;  // a reason follows
  }
}

TEST(Options, DuplicatePropertyAfterLowerCasingIsRejected) {
  EXPECT_NE(parse_err(doc(R"("properties":{"strict_mode":"true","STRICT_MODE":"false"})"))
                .find("property `strict_mode` is given twice"),
            std::string::npos);
}

TEST(Options, PropertyNamesAndValuesCannotInjectHeaders) {
  EXPECT_NE(parse_err(doc(R"("properties":{"a b":"x"})")).find("not a valid header name"),
            std::string::npos);
  EXPECT_NE(parse_err(doc(R"("properties":{"a:b":"x"})")).find("not a valid header name"),
            std::string::npos);
  EXPECT_NE(parse_err(doc(R"("properties":{"":"x"})")).find("not a valid header name"),
            std::string::npos);
  EXPECT_NE(parse_err(doc(R"("properties":{"where":"a\r\nlabel: x"})")).find("line break"),
            std::string::npos);
}

TEST(Options, CompressionDefaultsToNoneAndTakesTheThreeAlgorithmsWithFastLevels) {
  EXPECT_EQ(parse_ok(doc()).compression, Compression::kNone);
  EXPECT_EQ(parse_ok(doc(R"("compression":"none")")).compression, Compression::kNone);
  Options lz4 = parse_ok(doc(R"("compression":"lz4_frame")"));
  EXPECT_EQ(lz4.compression, Compression::kLz4Frame);
  EXPECT_EQ(lz4.compression_level, 0);
  Options zstd = parse_ok(doc(R"("compression":"zstd")"));
  EXPECT_EQ(zstd.compression, Compression::kZstd);
  EXPECT_EQ(zstd.compression_level, 1);
  Options gzip = parse_ok(doc(R"("compression":"gzip")"));
  EXPECT_EQ(gzip.compression, Compression::kGzip);
  EXPECT_EQ(gzip.compression_level, 1);
  // The level may come before the algorithm in the document.
  EXPECT_EQ(parse_ok(doc(R"("compression_level":9,"compression":"zstd")")).compression_level, 9);
  EXPECT_EQ(parse_ok(doc(R"("compression":"lz4_frame","compression_level":12)")).compression_level, 12);
}

TEST(Options, CompressionErrorsNameTheKey) {
  EXPECT_NE(parse_err(doc(R"("compression":"lz4")"))
                .find("option `compression`: must be one of none, lz4_frame, zstd, gzip"),
            std::string::npos);
  EXPECT_NE(parse_err(doc(R"("compression":"ZSTD")")).find("option `compression`"), std::string::npos);
  EXPECT_NE(parse_err(doc(R"("compression":1)")).find("option `compression`: must be a string"),
            std::string::npos);
  EXPECT_NE(parse_err(doc(R"("compression":"gzip","compression_level":10)"))
                .find("option `compression_level`: must be between 1 and 9 for gzip, got 10"),
            std::string::npos);
  EXPECT_NE(parse_err(doc(R"("compression":"zstd","compression_level":0)"))
                .find("option `compression_level`: must be between 1 and 19 for zstd"),
            std::string::npos);
  EXPECT_NE(parse_err(doc(R"("compression":"lz4_frame","compression_level":-1)"))
                .find("option `compression_level`: must be between 0 and 12 for lz4_frame"),
            std::string::npos);
  EXPECT_NE(parse_err(doc(R"("compression_level":3)"))
                .find("option `compression_level`: needs `compression`"),
            std::string::npos);
  EXPECT_NE(parse_err(doc(R"("compression":"zstd","compression_level":1.5)"))
                .find("option `compression_level`: must be an integer"),
            std::string::npos);
  // One source of truth for the header: properties still cannot set it.
  EXPECT_NE(parse_err(doc(R"("compression":"zstd","properties":{"compression":"zstd"})"))
                .find("property `compression` is set by the library"),
            std::string::npos);
}

}  // namespace
}  // namespace srs

namespace srs {
namespace {

TEST(Options, MergeCommitNeedsOnWatermarkAndAnInterval) {
  Options o = parse_ok(doc(R"("execution_mode":"on_watermark","merge_commit":true,"merge_commit_interval_ms":500,)"
                           R"("merge_commit_parallel":2,"merge_commit_async":true)"));
  EXPECT_TRUE(o.merge_commit);
  EXPECT_EQ(o.merge_commit_interval_ms, 500);
  EXPECT_EQ(o.merge_commit_parallel, 2);
  EXPECT_TRUE(o.merge_commit_async);
  EXPECT_EQ(parse_ok(doc(R"("execution_mode":"on_watermark","merge_commit":true,"merge_commit_interval_ms":1)"))
                .merge_commit_parallel,
            3);
  EXPECT_NE(parse_err(doc(R"("merge_commit":true,"merge_commit_interval_ms":500)"))
                .find("option `merge_commit`: needs execution_mode \"on_watermark\""),
            std::string::npos);
  EXPECT_NE(parse_err(doc(R"("execution_mode":"on_watermark","merge_commit":true)"))
                .find("option `merge_commit_interval_ms`: is required"),
            std::string::npos);
  EXPECT_NE(parse_err(doc(R"("execution_mode":"on_watermark","merge_commit_parallel":2)"))
                .find("option `merge_commit_parallel`: needs `merge_commit` to be true"),
            std::string::npos);
  EXPECT_NE(parse_err(doc(R"("execution_mode":"on_watermark","merge_commit":"yes")")).find("must be true or false"),
            std::string::npos);
  EXPECT_NE(parse_err(doc(R"("execution_mode":"on_watermark","merge_commit":true,"merge_commit_interval_ms":0)"))
                .find("option `merge_commit_interval_ms`"),
            std::string::npos);
  EXPECT_NE(parse_err(doc(R"("properties":{"merge_commit_async":"true"})")).find("use the options `merge_commit`"),
            std::string::npos);
}

TEST(Options, FormatIsJsonByDefaultOrCsv) {
  EXPECT_EQ(parse_ok(doc("")).format, WireFormat::kJson);
  EXPECT_EQ(parse_ok(doc(R"("format":"csv")")).format, WireFormat::kCsv);
  EXPECT_NE(parse_err(doc(R"("format":"parquet")")).find("option `format`: must be \"json\" or \"csv\""),
            std::string::npos);
  // The CSV layout is the library's: separators and quoting cannot be set through properties.
  for (const char* key : {"column_separator", "row_delimiter", "enclose", "escape", "skip_header", "trim_space"}) {
    EXPECT_NE(parse_err(doc(std::string(R"("properties":{")") + key + R"(":"x"})")).find("option `format`"),
              std::string::npos)
        << key;
  }
}

TEST(Options, TimezoneIsUtcOrAFixedOffset) {
  EXPECT_EQ(parse_ok(doc("")).timezone_offset_s, 0);
  EXPECT_EQ(parse_ok(doc(R"("timezone":"+08:00")")).timezone_offset_s, 8 * 3600);
  EXPECT_EQ(parse_ok(doc(R"("timezone":"-05:30")")).timezone_offset_s, -(5 * 3600 + 1800));
  EXPECT_EQ(parse_ok(doc(R"("timezone":"UTC")")).timezone_offset_s, 0);
  for (const char* bad : {"Asia/Shanghai", "+8", "+15:00", "+08:60", ""}) {
    EXPECT_NE(parse_err(doc(std::string(R"("timezone":")") + bad + "\"")).find("option `timezone`"),
              std::string::npos)
        << bad;
  }
}

}  // namespace
}  // namespace srs
