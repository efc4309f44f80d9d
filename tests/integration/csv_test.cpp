// Option format = csv end to end: JSON rows written with CSV bodies land exactly as with JSON
// bodies, whatever their strings hold; values CSV cannot carry are refused at write.
// (The other integration and exactly-once suites also run with CSV bodies: SRTEST_FORMAT.)
#include <string>
#include <vector>

#include "integration_common.h"

namespace srtest {
namespace {

const char* kMixedColumns =
    R"J([{"name":"id","type":"BIGINT","key":true,"nullable":false},)J"
    R"J({"name":"s","type":"VARCHAR(128)"},{"name":"j","type":"JSON"},{"name":"b","type":"BOOLEAN"},)J"
    R"J({"name":"n","type":"DECIMAL(20,6)"},{"name":"arr","type":"ARRAY<VARCHAR(16)>"},)J"
    R"J({"name":"vb","type":"VARBINARY"},{"name":"dt","type":"DATETIME"}])J";
const std::vector<std::string> kMixed = {"id", "s", "j", "b", "n", "arr", "vb", "dt"};

// Strings that would split a naive CSV row, read as NULL, or lose an escape.
std::vector<std::string> adversarial_rows() {
  return {
      R"({"id":1,"s":"a,b\tc\nd\re","j":{"k":[1,"x,y"]},"b":true,"n":1.5,"arr":["a,\"b","|"],"vb":"bin,\"|","dt":"2024-01-02 03:04:05"})",
      R"({"id":2,"s":"\"quoted\" \\ back|slash || pipes","j":"just a string","b":false,"n":-0.000001,"arr":[],"vb":"","dt":null})",
      R"({"id":3,"s":"","j":null,"b":null,"n":null,"arr":null,"vb":null})",
      R"({"id":4,"s":"\\N is not null here","j":[],"b":1,"n":0,"arr":["\\N"],"vb":"\\N"})",
      R"({"id":5,"s":"\"","j":"\"","b":true,"n":123456789012.123456,"arr":["\"","\n"],"vb":"QUJD"})",
      R"({"id":6,"s":"\u0000nul\u0001ctl \u00e9\u4e2d\ud83d\ude00","j":{"a":"\u0000"},"arr":["\t"]})",
      R"({"id":7,"s":"N","j":12.50,"b":"true"})",
      R"({"id":8, "s" : "spaced" , "j" : { "a" : [ 1 , 2 ] } , "arr" : [ "x" , "y" ] })",
      R"({"id":9,"s":"|\"","j":true})",
      R"({"id":10,"s":"\\","j":"\\N"})",
      R"({"id":11,"s":"\n","j":false})",
      R"({"id":12})",
  };
}

class Csv : public SinkTest {
 protected:
  void SetUp() override {
    SinkTest::SetUp();
    ASSERT_TRUE(emu().create_table("shop", "mixed_json", kMixedColumns));
    ASSERT_TRUE(emu().create_table("shop", "mixed_csv", kMixedColumns));
  }
  sr_sink* open_with(Harness& on, const std::string& format, const std::string& table,
                     const std::string& mode = "on_watermark", const std::string& instance = "") {
    sr_sink_error err = new_error();
    EXPECT_EQ(on.add("*", "{\"http_url\":\"" + emu().fe_url() + "\",\"execution_mode\":\"" + mode +
                              "\",\"retry_backoff_ms\":20,\"format\":\"" + format + "\"}",
                     &err),
              SR_SINK_OK)
        << err.message;
    sr_sink* s = nullptr;
    EXPECT_EQ(on.open(table, kMixed, &s, &err, instance), SR_SINK_OK) << err.message;
    return s;
  }
};

TEST_F(Csv, adversarial_strings_land_as_with_json_bodies_in_both_modes) {
  for (const std::string mode : {"on_watermark", "on_checkpoint"}) {
    ASSERT_TRUE(emu().create_table("shop", "m_json_" + mode, kMixedColumns));
    ASSERT_TRUE(emu().create_table("shop", "m_csv_" + mode, kMixedColumns));
    Harness hj, hc;
    sr_sink* js = open_with(hj, "json", "shop.m_json_" + mode, mode, "w1");
    sr_sink* cs = open_with(hc, "csv", "shop.m_csv_" + mode, mode, "w1");
    ASSERT_TRUE(js && cs);
    sr_sink_error err = new_error();
    const std::vector<uint8_t> ops(adversarial_rows().size(), SR_SINK_OP_UPSERT);
    ASSERT_EQ(write_rows(js, adversarial_rows(), ops, &err), SR_SINK_OK) << err.message;
    ASSERT_EQ(write_rows(cs, adversarial_rows(), ops, &err), SR_SINK_OK) << err.message;
    for (sr_sink* s : {js, cs}) {
      if (mode == "on_watermark") {
        ASSERT_EQ(sr_sink_on_watermark(s, 1, &err), SR_SINK_OK) << err.message;
      } else {
        sr_sink_token tok;
        std::memset(&tok, 0, sizeof tok);
        tok.struct_size = sizeof tok;
        ASSERT_EQ(sr_sink_on_checkpoint(s, 1, &tok, &err), SR_SINK_OK) << err.message;
        tok.release(&tok);
        ASSERT_EQ(sr_sink_commit(s, 1, &err), SR_SINK_OK) << err.message;
      }
    }
    const auto want = emu().rows("shop", "m_json_" + mode);
    ASSERT_EQ(want.size(), adversarial_rows().size());
    EXPECT_EQ(emu().rows("shop", "m_csv_" + mode), want) << mode;
    if (std::getenv("SRTEST_DUMP")) {
      for (const auto& r : want) std::fprintf(stderr, "%s\n", r.c_str());
    }
    // Deletes through CSV: the op column.
    ASSERT_EQ(write_rows(cs, {R"({"id":1})", R"({"id":2})"}, {SR_SINK_OP_DELETE, SR_SINK_OP_DELETE}, &err),
              SR_SINK_OK);
    if (mode == "on_watermark") {
      ASSERT_EQ(sr_sink_on_watermark(cs, 2, &err), SR_SINK_OK) << err.message;
      EXPECT_EQ(emu().rows("shop", "m_csv_" + mode).size(), want.size() - 2);
    }
    sr_sink_close(js, nullptr);
    sr_sink_close(cs, nullptr);
  }
}

TEST_F(Csv, the_string_backslash_n_is_refused_because_starrocks_reads_it_as_null) {
  Harness hc;
  sr_sink* cs = open_with(hc, "csv", "shop.mixed_csv");
  sr_sink_error err = new_error();
  EXPECT_EQ(write_rows(cs, {R"({"id":1,"s":"ok"})", R"({"id":2,"s":"\\N"})"}, {}, &err), SR_SINK_E_DATA);
  EXPECT_NE(std::string(err.message).find("row 1: column `s` is the string \\N"), std::string::npos)
      << err.message;
  EXPECT_TRUE(err.flags & SR_SINK_ERROR_F_DATA);
  // Nothing of the batch was taken; the sink goes on.
  ASSERT_EQ(write_rows(cs, {R"({"id":3,"s":"\\Nx"})"}, {}, &err), SR_SINK_OK) << err.message;
  ASSERT_EQ(sr_sink_on_watermark(cs, 1, &err), SR_SINK_OK) << err.message;
  const auto rows = emu().rows("shop", "mixed_csv");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_NE(rows[0].find("\"id\":3"), std::string::npos);
  sr_sink_close(cs, nullptr);
}

TEST_F(Csv, a_string_holding_a_separator_byte_is_refused) {
  Harness hc;
  sr_sink* cs = open_with(hc, "csv", "shop.mixed_csv");
  sr_sink_error err = new_error();
  for (const char* row : {R"({"id":1,"s":"a\u001fb"})", R"({"id":1,"s":"a\u001eb"})"}) {
    EXPECT_EQ(write_rows(cs, {row}, {}, &err), SR_SINK_E_DATA) << row;
    EXPECT_NE(std::string(err.message).find("column `s` is a string holding byte 0x1E or 0x1F"),
              std::string::npos)
        << err.message;
  }
  // In a JSON column the string is JSON text, where the byte is escaped: it goes.
  ASSERT_EQ(write_rows(cs, {R"({"id":2,"j":"a\u001fb"})"}, {}, &err), SR_SINK_OK) << err.message;
  ASSERT_EQ(sr_sink_on_watermark(cs, 1, &err), SR_SINK_OK) << err.message;
  EXPECT_EQ(emu().rows("shop", "mixed_csv").size(), 1u);
  sr_sink_close(cs, nullptr);
}

TEST_F(Csv, csv_bodies_of_orders_are_smaller_than_json_bodies) {
  ASSERT_TRUE(emu().create_table("shop", "orders_csv", kOrdersColumns));
  Harness hj, hc;
  const std::string base = "{\"http_url\":\"" + emu().fe_url() + "\",\"execution_mode\":\"on_watermark\"";
  ASSERT_EQ(hj.add("*", base + ",\"format\":\"json\"}"), SR_SINK_OK);
  ASSERT_EQ(hc.add("*", base + ",\"format\":\"csv\"}"), SR_SINK_OK);
  sr_sink *js = nullptr, *cs = nullptr;
  ASSERT_EQ(hj.open("shop.orders", {"id", "name", "amount"}, &js), SR_SINK_OK);
  ASSERT_EQ(hc.open("shop.orders_csv", {"id", "name", "amount"}, &cs), SR_SINK_OK);
  std::vector<std::string> rows;
  for (int i = 0; i < 200; ++i) rows.push_back(order(1000 + i, "customer " + std::to_string(i), "12.25"));
  sr_sink_error err = new_error();
  ASSERT_EQ(write_rows(js, rows, {}, &err), SR_SINK_OK);
  ASSERT_EQ(write_rows(cs, rows, {}, &err), SR_SINK_OK);
  ASSERT_EQ(sr_sink_on_watermark(js, 1, &err), SR_SINK_OK);
  ASSERT_EQ(sr_sink_on_watermark(cs, 1, &err), SR_SINK_OK) << err.message;
  EXPECT_EQ(emu().rows("shop", "orders_csv"), emu().rows("shop", "orders"));
  EXPECT_LE(sink_stats(cs).bytes_written * 10, sink_stats(js).bytes_written * 6);
  sr_sink_close(js, nullptr);
  sr_sink_close(cs, nullptr);
}

}  // namespace
}  // namespace srtest
