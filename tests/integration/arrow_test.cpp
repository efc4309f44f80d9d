// sr_sink_write_arrow end to end against a real sr-emulator: Arrow batches built by hand
// (arrow_builder.h) land in a table exactly as the same rows written as JSON through sr_sink_write,
// in both wire formats; refused batches are released exactly once and leave nothing behind.
#include <cmath>
#include <string>
#include <vector>

#include "arrow_builder.h"
#include "integration_common.h"

namespace srtest {
namespace {

using arrowtest::Col;
using std::nullopt;
using std::optional;

const char* kWideColumns =
    R"J([{"name":"id","type":"BIGINT","key":true,"nullable":false},)J"
    R"J({"name":"i8","type":"TINYINT"},{"name":"i16","type":"SMALLINT"},{"name":"u32","type":"BIGINT"},)J"
    R"J({"name":"u64","type":"LARGEINT"},{"name":"f32","type":"FLOAT"},{"name":"f64","type":"DOUBLE"},)J"
    R"J({"name":"dec","type":"DECIMAL(38,4)"},{"name":"b","type":"BOOLEAN"},{"name":"d","type":"DATE"},)J"
    R"J({"name":"ts","type":"DATETIME"},{"name":"tstz","type":"DATETIME"},{"name":"s","type":"VARCHAR(64)"},)J"
    R"J({"name":"ls","type":"STRING"},{"name":"arr","type":"ARRAY<INT>"},{"name":"j","type":"JSON"},)J"
    R"J({"name":"bs","type":"VARCHAR(64)"}])J";

const std::vector<std::string> kWide = {"id", "i8", "i16", "u32", "u64", "f32", "f64", "dec", "b",
                                        "d", "ts", "tstz", "s", "ls", "arr", "j", "bs"};

// 128-bit little-endian two's complement of v.
struct Dec128 {
  uint64_t lo;
  int64_t hi;
};
Dec128 dec(int64_t v) { return Dec128{(uint64_t)v, v < 0 ? -1 : 0}; }

// Rows 0..4 of the wide batch, as Arrow columns.
std::vector<Col> wide_columns() {
  using namespace arrowtest;
  std::vector<Col> c;
  c.push_back(fixed<int64_t>("id", "l", {1, 2, 3, 4, 5}));
  c.push_back(fixed<int8_t>("i8", "c", {-128, 127, nullopt, 0, 5}));
  c.push_back(fixed<int16_t>("i16", "s", {-32768, 32767, 1, nullopt, 2}));
  c.push_back(fixed<uint32_t>("u32", "I", {4294967295u, 0, 7, 8, nullopt}));
  c.push_back(fixed<uint64_t>("u64", "L", {18446744073709551615ull, 1, nullopt, 3, 4}));
  c.push_back(fixed<float>("f32", "f", {0.1f, -2.5f, nullopt, 1e10f, 3.0f}));
  c.push_back(fixed<double>("f64", "g", {0.1, 1e300, -0.0, nullopt, 123456.789}));
  c.push_back(fixed<Dec128>("dec", "d:38,4", {dec(12345678), dec(-5), dec(0), nullopt, dec(100000)}));
  c.push_back(boolean("b", {true, false, nullopt, true, false}));
  c.push_back(fixed<int32_t>("d", "tdD", {0, 19000, -1, nullopt, 2932896}));
  c.push_back(fixed<int64_t>("ts", "tsu:", {0, 1700000000123456, nullopt, -1, 86399999999}));
  c.push_back(fixed<int64_t>("tstz", "tsm:UTC", {0, 1700000000123, 1, nullopt, -1000}));
  c.push_back(strings("s", {"plain", "tab\there, \"quoted\", comma", nullopt, "", "line\nbreak|pipe\\"}));
  c.push_back(strings("ls", {"\xe4\xb8\xad\xe6\x96\x87", "x", "N", nullopt, "\\Nx"}, "U"));
  c.push_back(list("arr", {0, 2, 2, 3, 3, 5},
                   fixed<int32_t>("item", "i", {1, 2, 3, nullopt, 5}), {true, true, true, false, true}));
  c.push_back(strings("j", {"{\"a\":1}", "[1,2]", "\"str\"", nullopt, "x"}));
  c.push_back(strings("bs", {"bin", nullopt, "", "a,b", "z"}, "z"));
  return c;
}

// The same rows as JSON objects (what a host writing JSON would send).
std::vector<std::string> wide_json() {
  return {
      R"({"id":1,"i8":-128,"i16":-32768,"u32":4294967295,"u64":18446744073709551615,"f32":0.1,"f64":0.1,"dec":1234.5678,"b":true,"d":"1970-01-01","ts":"1970-01-01 00:00:00","tstz":"1970-01-01 00:00:00","s":"plain","ls":"中文","arr":[1,2],"j":"{\"a\":1}","bs":"bin"})",
      R"({"id":2,"i8":127,"i16":32767,"u32":0,"u64":1,"f32":-2.5,"f64":1e300,"dec":-0.0005,"b":false,"d":"2022-01-08","ts":"2023-11-14 22:13:20.123456","tstz":"2023-11-14 22:13:20.123000","s":"tab\there, \"quoted\", comma","ls":"x","arr":[],"j":"[1,2]"})",
      R"({"id":3,"i16":1,"u32":7,"f64":-0.0,"dec":0,"d":"1969-12-31","tstz":"1970-01-01 00:00:00.001","ls":"N","arr":[3],"j":"\"str\"","bs":""})",
      R"({"id":4,"i8":0,"u32":8,"u64":3,"f32":1e10,"b":true,"ts":"1969-12-31 23:59:59.999999","s":"","bs":"a,b"})",
      R"({"id":5,"i8":5,"i16":2,"u64":4,"f32":3.0,"f64":123456.789,"dec":10.0000,"b":false,"d":"9999-12-31","ts":"1970-01-01 23:59:59.999999","tstz":"1969-12-31 23:59:59","s":"line\nbreak|pipe\\","ls":"\\Nx","arr":[null,5],"j":"x","bs":"z"})",
  };
}

int32_t write_arrow(sr_sink* s, std::vector<Col> cols, int64_t length, const uint8_t* ops = nullptr,
                    sr_sink_error* err = nullptr, int64_t offset = 0) {
  ArrowSchema schema;
  ArrowArray array;
  arrowtest::export_batch(std::move(cols), length, &schema, &array, offset);
  const int sr = arrowtest::schema_releases, ar = arrowtest::array_releases;
  int32_t rc = sr_sink_write_arrow(s, &schema, &array, ops, err);
  // Moved in: released exactly once, whatever the call returned.
  EXPECT_EQ(arrowtest::schema_releases - sr, 1);
  EXPECT_EQ(arrowtest::array_releases - ar, 1);
  EXPECT_EQ(schema.release, nullptr);
  EXPECT_EQ(array.release, nullptr);
  return rc;
}

class ArrowWrite : public SinkTest, public ::testing::WithParamInterface<const char*> {
 protected:
  void SetUp() override {
    SinkTest::SetUp();
    ASSERT_TRUE(emu().create_table("shop", "wide_json", kWideColumns));
    ASSERT_TRUE(emu().create_table("shop", "wide_arrow", kWideColumns));
    sr_sink_error err = new_error();
    // Its own format parameter, whatever SRTEST_FORMAT says.
    ASSERT_EQ(h.add("*", "{\"http_url\":\"" + emu().fe_url() +
                             "\",\"execution_mode\":\"on_watermark\",\"retry_backoff_ms\":20,\"format\":\"" +
                             GetParam() + "\"}",
                    &err),
              SR_SINK_OK)
        << err.message;
  }
  sr_sink* open(const std::string& table, const std::vector<std::string>& cols = kWide) {
    sr_sink* s = nullptr;
    sr_sink_error err = new_error();
    EXPECT_EQ(h.open(table, cols, &s, &err), SR_SINK_OK) << err.message;
    if (s) open_.push_back(s);
    return s;
  }
  static void flush(sr_sink* s) {
    sr_sink_error err = new_error();
    ASSERT_EQ(sr_sink_on_watermark(s, 1, &err), SR_SINK_OK) << err.message;
  }
};

TEST_P(ArrowWrite, every_type_lands_like_the_same_rows_written_as_json) {
  sr_sink* js = open("shop.wide_json");
  sr_sink* ar = open("shop.wide_arrow");
  sr_sink_error err = new_error();
  ASSERT_EQ(write_rows(js, wide_json(), {}, &err), SR_SINK_OK) << err.message;
  ASSERT_EQ(write_arrow(ar, wide_columns(), 5, nullptr, &err), SR_SINK_OK) << err.message;
  flush(js);
  flush(ar);
  const auto want = emu().rows("shop", "wide_json");
  ASSERT_EQ(want.size(), 5u);
  EXPECT_EQ(emu().rows("shop", "wide_arrow"), want);
  EXPECT_EQ(sink_stats(ar).rows_written, 5u);
  if (std::getenv("SRTEST_DUMP")) {
    for (const auto& r : want) std::fprintf(stderr, "%s\n", r.c_str());
  }
}

TEST_P(ArrowWrite, a_slice_with_an_offset_writes_only_its_rows) {
  sr_sink* js = open("shop.wide_json");
  sr_sink* ar = open("shop.wide_arrow");
  auto rows = wide_json();
  sr_sink_error err = new_error();
  ASSERT_EQ(write_rows(js, {rows[2], rows[3]}, {}, &err), SR_SINK_OK) << err.message;
  // The struct's offset, and on top of it a child with its own offset.
  std::vector<Col> cols = wide_columns();
  ASSERT_EQ(write_arrow(ar, cols, 2, nullptr, &err, 2), SR_SINK_OK) << err.message;
  flush(js);
  flush(ar);
  EXPECT_EQ(emu().rows("shop", "wide_arrow"), emu().rows("shop", "wide_json"));
}

TEST_P(ArrowWrite, child_offsets_are_honoured) {
  sr_sink* s = open("shop.orders", {"id", "name", "amount"});
  sr_sink* ref = open("shop.wide_json", {"id", "s"});
  (void)ref;
  // id column sliced by 1: rows read 11, 12; name sliced by 2.
  Col id = arrowtest::fixed<int64_t>("id", "l", {10, 11, 12});
  id.offset = 1;
  id.length = 2;
  Col name = arrowtest::strings("name", {"a", "b", "c", "d"});
  name.offset = 2;
  name.length = 2;
  sr_sink_error err = new_error();
  ASSERT_EQ(write_arrow(s, {id, name}, 2, nullptr, &err), SR_SINK_OK) << err.message;
  flush(s);
  EXPECT_EQ(rows(), (std::vector<std::string>{R"({"id":11,"name":"c","amount":null})",
                                               R"({"id":12,"name":"d","amount":null})"}));
}

TEST_P(ArrowWrite, ops_come_from_the_array_or_from_an_op_field) {
  sr_sink* s = open("shop.orders", {"id", "name", "amount"});
  sr_sink_error err = new_error();
  ASSERT_EQ(write_rows(s, {order(1, "a", "1.00"), order(2, "b", "2.00"), order(3, "c", "3.00")}, {}, &err),
            SR_SINK_OK);
  flush(s);
  const uint8_t ops[] = {SR_SINK_OP_DELETE, SR_SINK_OP_UPSERT};
  ASSERT_EQ(write_arrow(s, {arrowtest::fixed<int64_t>("id", "l", {1, 4}),
                            arrowtest::strings("name", {"x", "new"})},
                        2, ops, &err),
            SR_SINK_OK)
      << err.message;
  ASSERT_EQ(write_arrow(s, {arrowtest::fixed<int64_t>("id", "l", {2, 5}),
                            arrowtest::strings("__op", {"delete", "upsert"})},
                        2, nullptr, &err),
            SR_SINK_OK)
      << err.message;
  flush(s);
  EXPECT_EQ(rows(), (std::vector<std::string>{R"({"id":3,"name":"c","amount":3.00})",
                                               R"({"id":4,"name":"new","amount":null})",
                                               R"({"id":5,"name":null,"amount":null})"}));
  EXPECT_EQ(sink_stats(s).rows_deleted, 2u);
}

// Every refusal: nothing is taken, both structs released once, the sink stays usable.
TEST_P(ArrowWrite, refused_batches_take_nothing_and_are_released_once) {
  sr_sink* s = open("shop.orders", {"id", "name", "amount"});
  struct Case {
    std::vector<Col> cols;
    std::vector<uint8_t> ops;
    int32_t code;
    const char* says;
  };
  Col short_buffers = arrowtest::fixed<int64_t>("id", "l", {1});
  short_buffers.n_buffers_override = 1;
  Col bad_offsets = arrowtest::strings("name", {"ab", "c"});
  {  // offsets 0, 2, 1: decreasing
    int32_t o[3] = {0, 2, 1};
    std::memcpy(bad_offsets.buffers[1].data(), o, sizeof o);
  }
  Col bad_dict = arrowtest::dictionary("name", {0, 5}, arrowtest::strings("values", {"a"}));
  Col long_list = arrowtest::list("name", {0, 1, 9}, arrowtest::fixed<int32_t>("item", "i", {1, 2}));
  Col null_buffer = arrowtest::fixed<int64_t>("id", "l", {1, 2});
  null_buffer.present[1] = false;
  // A view column whose variadic sizes buffer is missing: its long views cannot be bounds-checked.
  Col no_sizes = arrowtest::string_view_col("name", {"a string longer than twelve bytes", "x"});
  no_sizes.present.back() = false;
  std::vector<Case> cases = {
      {{arrowtest::fixed<int64_t>("id", "l", {1, nullopt})}, {}, SR_SINK_E_DATA, "key column `id` is null in row 1"},
      {{arrowtest::fixed<int64_t>("id", "l", {1}), arrowtest::fixed<double>("amount", "g", {NAN})},
       {}, SR_SINK_E_DATA, "column `amount` row 0: NaN"},
      {{arrowtest::fixed<int64_t>("id", "l", {1}), arrowtest::strings("name", {"\xff"})},
       {}, SR_SINK_E_DATA, "column `name` row 0: invalid UTF-8"},
      {{arrowtest::fixed<int64_t>("id", "l", {1}), arrowtest::strings("nmae", {"x"})},
       {}, SR_SINK_E_INVALID_ARGUMENT, "field `nmae` is not a column"},
      {{arrowtest::strings("name", {"x"})}, {}, SR_SINK_E_INVALID_ARGUMENT, "key column `id` is missing"},
      {{arrowtest::fixed<int64_t>("id", "l", {1}), arrowtest::fixed<int64_t>("id", "l", {1})},
       {}, SR_SINK_E_INVALID_ARGUMENT, "field `id` is given twice"},
      {{arrowtest::fixed<int64_t>("id", "tDs", {1})}, {}, SR_SINK_E_INVALID_ARGUMENT, "format \"tDs\""},
      {{short_buffers}, {}, SR_SINK_E_INVALID_ARGUMENT, "expected 2 buffers"},
      {{arrowtest::fixed<int64_t>("id", "l", {1})}, {7}, SR_SINK_E_DATA, "row 0 has op 7"},
      {{arrowtest::fixed<int64_t>("id", "l", {1}), arrowtest::fixed<int8_t>("__op", "c", {1})},
       {0}, SR_SINK_E_INVALID_ARGUMENT, "both ops and a field `__op`"},
      {{arrowtest::fixed<int64_t>("id", "l", {1, 2}), bad_offsets}, {}, SR_SINK_E_INVALID_ARGUMENT,
       "field `name` (format \"u\"): offsets decrease at index 1"},
      {{arrowtest::fixed<int64_t>("id", "l", {1, 2}), bad_dict}, {}, SR_SINK_E_INVALID_ARGUMENT,
       "dictionary index 5 at index 1 is outside the dictionary"},
      {{arrowtest::fixed<int64_t>("id", "l", {1, 2}), long_list}, {}, SR_SINK_E_INVALID_ARGUMENT,
       "offsets reach past the child array's length"},
      {{null_buffer}, {}, SR_SINK_E_INVALID_ARGUMENT, "values buffer is NULL"},
      {{arrowtest::fixed<int64_t>("id", "l", {1, 2}), no_sizes}, {}, SR_SINK_E_INVALID_ARGUMENT,
       "the variadic buffer sizes (last buffer) is NULL"},
      {{arrowtest::fixed<int64_t>("id", "l", {1}), arrowtest::fixed<int8_t>("__op", "c", {2})},
       {}, SR_SINK_E_DATA, "field `__op` row 0"},
  };
  for (Case& c : cases) {
    sr_sink_error err = new_error();
    const int64_t len = c.cols[0].length;
    EXPECT_EQ(write_arrow(s, c.cols, len, c.ops.empty() ? nullptr : c.ops.data(), &err), c.code)
        << c.says << ": " << err.message;
    EXPECT_NE(std::string(err.message).find(c.says), std::string::npos) << err.message;
  }
  sr_sink_error err = new_error();
  ASSERT_EQ(write_rows(s, {order(9, "ok", "1.00")}, {}, &err), SR_SINK_OK) << err.message;
  flush(s);
  EXPECT_EQ(rows(), (std::vector<std::string>{R"({"id":9,"name":"ok","amount":1.00})"}));
  EXPECT_EQ(sink_stats(s).rows_written, 1u);
}

TEST_P(ArrowWrite, null_schema_or_array_releases_the_other) {
  sr_sink* s = open("shop.orders", {"id", "name", "amount"});
  ArrowSchema schema;
  ArrowArray array;
  arrowtest::export_batch({arrowtest::fixed<int64_t>("id", "l", {1})}, 1, &schema, &array);
  EXPECT_EQ(sr_sink_write_arrow(s, &schema, nullptr, nullptr, nullptr), SR_SINK_E_INVALID_ARGUMENT);
  EXPECT_EQ(schema.release, nullptr);
  EXPECT_EQ(sr_sink_write_arrow(s, nullptr, &array, nullptr, nullptr), SR_SINK_E_INVALID_ARGUMENT);
  EXPECT_EQ(array.release, nullptr);
}

INSTANTIATE_TEST_SUITE_P(Format, ArrowWrite, ::testing::Values("json", "csv"));

// Batches of `id` BIGINT and `dec` DECIMAL(38,4) into shop.wide_arrow under a 1 MiB memory budget
// (the sink in on_watermark mode, `extra` options added, in the parameter's format). A batch's
// upper bound, the direct CSV path's first reservation (every value at its widest: 46 bytes for a
// DECIMAL(38,4) of ≈ 7), is ≈ 5 × its CSV bytes.
class ArrowBudget : public SinkTest, public ::testing::WithParamInterface<const char*> {
 protected:
  static constexpr uint64_t kBudget = 1 << 20;
  static constexpr int64_t kRows = 4000;

  sr_sink* open(const std::string& extra) {
    EXPECT_TRUE(emu().create_table("shop", "wide_arrow", kWideColumns));
    sr_sink_error err = new_error();
    EXPECT_EQ(h.add("*", "{\"http_url\":\"" + emu().fe_url() +
                             "\",\"execution_mode\":\"on_watermark\",\"memory_budget_bytes\":" +
                             std::to_string(kBudget) + extra + ",\"format\":\"" + GetParam() + "\"}",
                    &err),
              SR_SINK_OK)
        << err.message;
    sr_sink* s = nullptr;
    EXPECT_EQ(h.open("shop.wide_arrow", {"id", "dec"}, &s, &err), SR_SINK_OK) << err.message;
    return s;
  }
  // kRows rows with the next ids.
  int32_t write_batch(sr_sink* s, sr_sink_error* err) {
    std::vector<optional<int64_t>> ids;
    std::vector<optional<Dec128>> decs;
    for (int64_t i = 0; i < kRows; ++i) {
      ids.push_back(next_id_++);
      decs.push_back(dec(i % 1000));
    }
    return write_arrow(s, {arrowtest::fixed<int64_t>("id", "l", ids), arrowtest::fixed<Dec128>("dec", "d:38,4", decs)},
                       kRows, nullptr, err);
  }

 private:
  int64_t next_id_ = 0;
};

// With write_timeout_ms = 0 a batch gets SR_SINK_E_RETRY_LATER only when its own bytes do not fit
// the memory budget, in either format: not because its upper bound does not.
TEST_P(ArrowBudget, a_batch_whose_bytes_fit_is_taken_with_a_zero_write_timeout) {
  ASSERT_GE(emu().add_fault(R"({"point":"be_stream_load","action":"hang","times":-1})"), 0);
  sr_sink* s = open(",\"write_timeout_ms\":0");
  ASSERT_NE(s, nullptr);
  sr_sink_error err = new_error();
  int32_t rc = write_batch(s, &err);
  ASSERT_EQ(rc, SR_SINK_OK) << err.message;
  const uint64_t one = sink_stats(s).bytes_written;  // every batch encodes to about as many
  uint64_t taken = 1;
  while (rc == SR_SINK_OK && taken < 100) {
    rc = write_batch(s, &err);
    if (rc == SR_SINK_OK) ++taken;
  }
  EXPECT_EQ(rc, SR_SINK_E_RETRY_LATER) << err.message;
  const uint64_t held = sink_stats(s).bytes_written;
  EXPECT_EQ(sink_stats(s).rows_written, taken * kRows) << "the refused batch was not taken";
  EXPECT_GT(held + one + one / 8, kBudget)
      << taken << " batches of ≈ " << one << " bytes were taken: the next one's bytes would have fit";
  sr_sink_cancel(s);
  close(s);
}

// A batch whose upper bound does not fit a nearly full budget but whose bytes do is taken without
// ending the open load: the loads stay as large as the budget allows (each load is a version in
// StarRocks), here about one per MiB of rows, not one per batch once the budget is nearly full.
TEST_P(ArrowBudget, a_batch_taken_by_its_exact_bytes_does_not_end_the_open_load) {
  ASSERT_GE(emu().add_fault(R"({"point":"be_stream_load","action":"delay","ms":100,"times":-1})"), 0);
  sr_sink* s = open("");
  ASSERT_NE(s, nullptr);
  sr_sink_error err = new_error();
  constexpr int64_t kBatches = 30;
  for (int64_t b = 0; b < kBatches; ++b) ASSERT_EQ(write_batch(s, &err), SR_SINK_OK) << err.message;
  ASSERT_EQ(sr_sink_on_watermark(s, 1, &err), SR_SINK_OK) << err.message;
  EXPECT_EQ(emu().rows("shop", "wide_arrow").size(), static_cast<size_t>(kRows * kBatches));
  const uint64_t bytes = sink_stats(s).bytes_written;
  const int64_t loads = emu().stat({"tables", "shop.wide_arrow", "loads"});
  EXPECT_LE(loads, static_cast<int64_t>(2 * (bytes / kBudget) + 2)) << bytes << " bytes went in " << loads << " loads";
  close(s);
}

INSTANTIATE_TEST_SUITE_P(Format, ArrowBudget, ::testing::Values("json", "csv"));

}  // namespace
}  // namespace srtest

namespace srtest {
namespace {

using arrowtest::Col;

const char* kMoreColumns =
    R"J([{"name":"id","type":"BIGINT","key":true,"nullable":false},)J"
    R"J({"name":"dict_s","type":"VARCHAR(32)"},{"name":"view_s","type":"VARCHAR(64)"},)J"
    R"J({"name":"ll","type":"ARRAY<BIGINT>"},{"name":"fl","type":"ARRAY<INT>"},)J"
    R"J({"name":"stj","type":"JSON"},{"name":"mp","type":"MAP<VARCHAR(16),INT>"},)J"
    R"J({"name":"d256","type":"DECIMAL(38,2)"},{"name":"dbig","type":"DECIMAL(38,0)"},)J"
    R"J({"name":"d64","type":"DATE"},{"name":"t32","type":"VARCHAR(20)"},{"name":"t64","type":"VARCHAR(20)"},)J"
    R"J({"name":"f16","type":"FLOAT"},{"name":"fb","type":"VARCHAR(8)"},)J"
    R"J({"name":"tsn","type":"DATETIME"},{"name":"tss","type":"DATETIME"}])J";
const std::vector<std::string> kMore = {"id", "dict_s", "view_s", "ll", "fl", "stj", "mp", "d256",
                                        "dbig", "d64", "t32", "t64", "f16", "fb", "tsn", "tss"};

struct Dec256 {
  uint64_t w[4];
};

std::vector<Col> more_columns() {
  using namespace arrowtest;
  std::vector<Col> c;
  c.push_back(fixed<int64_t>("id", "l", {1, 2, 3}));
  c.push_back(dictionary("dict_s", {1, std::nullopt, 0}, strings("values", {"red", "green"})));
  c.push_back(string_view_col("view_s", {"short", "a string longer than twelve bytes", std::nullopt}));
  c.push_back(large_list("ll", {0, 2, 2, 3}, fixed<int64_t>("item", "l", {9007199254740993LL, -1, 7})));
  c.push_back(fixed_list("fl", 2, 3, fixed<int32_t>("item", "i", {1, 2, 3, std::nullopt, 5, 6})));
  c.push_back(strukt("stj", {fixed<int32_t>("a", "i", {1, 2, std::nullopt}),
                             strings("b", {"x\"y", std::nullopt, "z"})}, 3));
  c.push_back(map("mp", {0, 2, 2, 3}, strings("key", {"k1", "k2", "k3"}), fixed<int32_t>("value", "i", {10, std::nullopt, 30})));
  // beyond 64 bits (set by the test) and -0.05
  c.push_back(fixed<Dec256>("d256", "d:38,2,256",
                            {Dec256{{0, 0, 0, 0}} /* set by the test */, Dec256{{(uint64_t)-5, ~0ULL, ~0ULL, ~0ULL}}, std::nullopt}));
  // 10^30 as decimal128: 0xC9F2C9CD04674EDEA40000000
  c.push_back(fixed<Dec128>("dbig", "d:38,0", {Dec128{0x4674EDEA40000000ULL, 0xC9F2C9CD0LL}, dec(-1), std::nullopt}));
  c.push_back(fixed<int64_t>("d64", "tdm", {86400000LL * 19000, -86400000LL, std::nullopt}));
  c.push_back(fixed<int32_t>("t32", "ttm", {3723004, 0, std::nullopt}));
  c.push_back(fixed<int64_t>("t64", "ttu", {86399999999LL, 1, std::nullopt}));
  c.push_back(fixed<uint16_t>("f16", "e", {0x3C00 /*1*/, 0xC100 /*-2.5*/, std::nullopt}));
  c.push_back(strings("fb", {"abc", "xyz", "q,r"}, "z"));
  c.back().format = "w:3";
  {  // fixed-size binary: no offsets buffer
    Col& fb = c.back();
    std::vector<uint8_t> data = {'a', 'b', 'c', 'x', 'y', 'z', 'q', ',', 'r'};
    fb.buffers = {fb.buffers[0], data};
    fb.present = {false, true};
  }
  c.push_back(fixed<int64_t>("tsn", "tsn:Asia/Tokyo", {1700000000123456789LL, -1, std::nullopt}));
  c.push_back(fixed<int64_t>("tss", "tss:", {1700000000, 0, std::nullopt}));
  return c;
}

std::vector<std::string> more_json() {
  return {
      R"({"id":1,"dict_s":"green","view_s":"short","ll":[9007199254740993,-1],"fl":[1,2],"stj":{"a":1,"b":"x\"y"},"mp":{"k1":10,"k2":null},"d256":D256,"dbig":1000000000000000000000000000000,"d64":"2022-01-08","t32":"01:02:03.004000","t64":"23:59:59.999999","f16":1,"fb":"abc","tsn":"2023-11-15 06:13:20.123456","tss":"2023-11-14 22:13:20"})",
      R"({"id":2,"view_s":"a string longer than twelve bytes","ll":[],"fl":[3,null],"stj":{"a":2,"b":null},"mp":{},"d256":-0.05,"dbig":-1,"d64":"1969-12-31","t32":"00:00:00","t64":"00:00:00.000001","f16":-2.5,"fb":"xyz","tsn":"1970-01-01 07:59:59.999999","tss":"1970-01-01 00:00:00"})",
      R"({"id":3,"dict_s":"red","ll":[7],"fl":[5,6],"stj":{"a":null,"b":"z"},"mp":{"k3":30},"fb":"q,r"})",
  };
}

class ArrowMoreTypes : public SinkTest, public ::testing::WithParamInterface<const char*> {};

TEST_P(ArrowMoreTypes, nested_dictionary_view_decimal256_and_time_types_land_like_json) {
  ASSERT_TRUE(emu().create_table("shop", "more_json", kMoreColumns));
  ASSERT_TRUE(emu().create_table("shop", "more_arrow", kMoreColumns));
  sr_sink_error err = new_error();
  ASSERT_EQ(h.add("*", "{\"http_url\":\"" + emu().fe_url() +
                           "\",\"execution_mode\":\"on_watermark\",\"timezone\":\"+08:00\",\"format\":\"" +
                           GetParam() + "\"}",
                  &err),
            SR_SINK_OK)
      << err.message;
  sr_sink *js = nullptr, *ar = nullptr;
  ASSERT_EQ(h.open("shop.more_json", kMore, &js, &err), SR_SINK_OK) << err.message;
  ASSERT_EQ(h.open("shop.more_arrow", kMore, &ar, &err), SR_SINK_OK) << err.message;
  open_.push_back(js);
  open_.push_back(ar);
  std::vector<Col> cols = more_columns();
  auto rows = more_json();
  // Build row 0's d256 from a value both sides agree on: 2^70 + 12345 hundredths.
  Dec256 big{{12345, 64, 0, 0}};  // 64 * 2^64 = 2^70
  std::memcpy(cols[7].buffers[1].data(), &big, sizeof big);
  const std::string d256 = "11805916207174113157.69";  // (2^70 + 12345) / 100
  rows[0].replace(rows[0].find("D256"), 4, d256);
  ASSERT_EQ(write_rows(js, rows, {}, &err), SR_SINK_OK) << err.message;
  ASSERT_EQ(write_arrow(ar, std::move(cols), 3, nullptr, &err), SR_SINK_OK) << err.message;
  ASSERT_EQ(sr_sink_on_watermark(js, 1, &err), SR_SINK_OK) << err.message;
  ASSERT_EQ(sr_sink_on_watermark(ar, 1, &err), SR_SINK_OK) << err.message;
  const auto want = emu().rows("shop", "more_json");
  ASSERT_EQ(want.size(), 3u);
  EXPECT_EQ(emu().rows("shop", "more_arrow"), want);
  if (std::getenv("SRTEST_DUMP")) {
    for (const auto& r : want) std::fprintf(stderr, "%s\n", r.c_str());
  }
}

INSTANTIATE_TEST_SUITE_P(Format, ArrowMoreTypes, ::testing::Values("json", "csv"));

}  // namespace
}  // namespace srtest
