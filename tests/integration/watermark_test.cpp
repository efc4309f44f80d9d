// on_watermark mode end to end: rows become visible when on_watermark returns, upserts and
// deletes land, loads are cut at the thresholds, rejected data is reported.
#include <set>

#include "integration_common.h"

namespace srtest {
namespace {

using Watermark = SinkTest;

int32_t watermark(sr_sink* s, int64_t wm, sr_sink_error* err = nullptr) {
  return sr_sink_on_watermark(s, wm, err);
}

TEST_F(Watermark, UpsertsAndDeletesLandAsTheTableExpects) {
  sr_sink* s = open_orders();
  ASSERT_NE(s, nullptr);
  sr_sink_error err = new_error();
  ASSERT_EQ(write_rows(s, {order(1, "ann", "1.50"), order(2, "bob", "2.00"), order(3, "cy", "3.25")},
                       {}, &err),
            SR_SINK_OK)
      << err.message;
  ASSERT_EQ(watermark(s, 100, &err), SR_SINK_OK) << err.message;
  // Update 2, delete 1 (a delete needs only the key), insert 4.
  ASSERT_EQ(write_rows(s, {order(2, "bobby", "21.00"), "{\"id\":1}", order(4, "dee", "4")},
                       {SR_SINK_OP_UPSERT, SR_SINK_OP_DELETE, SR_SINK_OP_UPSERT}, &err),
            SR_SINK_OK)
      << err.message;
  ASSERT_EQ(watermark(s, 200, &err), SR_SINK_OK) << err.message;
  std::vector<std::string> expected = {R"({"id":2,"name":"bobby","amount":21.00})",
                                       R"({"id":3,"name":"cy","amount":3.25})",
                                       R"({"id":4,"name":"dee","amount":4.00})"};
  EXPECT_EQ(rows(), expected);
  sr_sink_stats st = sink_stats(s);
  EXPECT_EQ(st.rows_written, 6u);
  EXPECT_EQ(st.rows_deleted, 1u);
  EXPECT_EQ(st.rows_loaded, 6u);
  EXPECT_EQ(st.loads, 2u);
  EXPECT_GT(st.bytes_written, 0u);
  EXPECT_EQ(st.buffered_bytes, 0u);
}

TEST_F(Watermark, DataIsVisibleAfterTheWatermarkAndNotBefore) {
  sr_sink* s = open_orders();
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(write_rows(s, {order(1, "a", "1"), order(2, "b", "2")}), SR_SINK_OK);
  EXPECT_TRUE(rows().empty());
  EXPECT_EQ(emu().stat({"tables", "shop.orders", "loads"}), 0);
  sr_sink_error err = new_error();
  ASSERT_EQ(watermark(s, 1, &err), SR_SINK_OK) << err.message;
  EXPECT_EQ(rows().size(), 2u);
  EXPECT_EQ(emu().stat({"tables", "shop.orders", "loads"}), 1) << "a small batch goes as one load";
}

TEST_F(Watermark, AWatermarkWithNothingWrittenIsOk) {
  sr_sink* s = open_orders();
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(watermark(s, 1), SR_SINK_OK);
  EXPECT_EQ(sink_stats(s).loads, 0u);
  EXPECT_EQ(emu().stat({"requests"}) >= 0, true);
  EXPECT_EQ(emu().stat({"tables", "shop.orders", "loads"}), 0);
}

TEST_F(Watermark, OneInfoLinePerLoadWithLabelRowsBytesAndTime) {
  sr_sink* s = open_orders();
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(write_rows(s, {order(1, "a", "1"), order(2, "b", "2"), order(3, "c", "3")}), SR_SINK_OK);
  ASSERT_EQ(watermark(s, 1), SR_SINK_OK);
  std::string log = h.log.all();
  EXPECT_NE(log.find("3 " "load sr_sink-orders-"), std::string::npos) << log;  // level 3 = INFO
  EXPECT_NE(log.find("finished: 3 rows"), std::string::npos) << log;
  EXPECT_NE(log.find(" ms "), std::string::npos) << log;
}

TEST_F(Watermark, LoadsAreCutAtBatchMaxRows) {
  sr_sink* s = open_orders(",\"batch_max_rows\":10");
  ASSERT_NE(s, nullptr);
  std::vector<std::string> batch;
  for (int i = 0; i < 35; ++i) batch.push_back(order(i, "n" + std::to_string(i), "1"));
  sr_sink_error err = new_error();
  ASSERT_EQ(write_rows(s, batch, {}, &err), SR_SINK_OK) << err.message;
  ASSERT_EQ(watermark(s, 1, &err), SR_SINK_OK) << err.message;
  EXPECT_EQ(rows().size(), 35u);
  EXPECT_EQ(sink_stats(s).loads, 4u);
  EXPECT_EQ(emu().stat({"tables", "shop.orders", "loads"}), 4);
  EXPECT_EQ(emu().stat({"tables", "shop.orders", "upserts"}), 35);
}

TEST_F(Watermark, LoadsAreCutAtBatchMaxBytes) {
  sr_sink* s = open_orders(",\"batch_max_bytes\":2000");
  ASSERT_NE(s, nullptr);
  std::vector<std::string> batch;
  for (int i = 0; i < 100; ++i) batch.push_back(order(i, std::string(20, 'x'), "1"));  // ~60 bytes each
  ASSERT_EQ(write_rows(s, batch), SR_SINK_OK);
  sr_sink_error err = new_error();
  ASSERT_EQ(watermark(s, 1, &err), SR_SINK_OK) << err.message;
  EXPECT_EQ(rows().size(), 100u);
  // As many loads as 2000-byte bodies the encoded rows need (JSON ~6000 bytes, CSV ~2800).
  const sr_sink_stats st = sink_stats(s);
  EXPECT_GE(st.loads, 2u);
  EXPECT_GE(st.loads, (st.bytes_written + 1999) / 2000);
  EXPECT_EQ(emu().stat({"tables", "shop.orders", "upserts"}), 100);
}

TEST_F(Watermark, DataLargerThanAChunkStreamsAsOneLoad) {
  sr_sink* s = open_orders();
  ASSERT_NE(s, nullptr);
  // ~4 MiB in 40 batches: several 1 MiB chunks streamed into one request while writing.
  int id = 0;
  for (int b = 0; b < 40; ++b) {
    std::vector<std::string> batch;
    for (int i = 0; i < 1000; ++i, ++id) batch.push_back(order(id, std::string(80, 'a' + b % 26), "9.99"));
    sr_sink_error err = new_error();
    ASSERT_EQ(write_rows(s, batch, {}, &err), SR_SINK_OK) << err.message;
  }
  sr_sink_error err = new_error();
  ASSERT_EQ(watermark(s, 1, &err), SR_SINK_OK) << err.message;
  EXPECT_EQ(emu().stat({"tables", "shop.orders", "rows"}), 40000);
  EXPECT_EQ(sink_stats(s).loads, 1u);
  EXPECT_EQ(sink_stats(s).rows_loaded, 40000u);
}

TEST_F(Watermark, OnCheckpointFlushesAndReturnsATokenNamingNoTransaction) {
  sr_sink* s = open_orders();
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(write_rows(s, {order(1, "a", "1")}), SR_SINK_OK);
  sr_sink_token tok;
  std::memset(&tok, 0, sizeof(tok));
  tok.struct_size = sizeof(tok);
  sr_sink_error err = new_error();
  ASSERT_EQ(sr_sink_on_checkpoint(s, 7, &tok, &err), SR_SINK_OK) << err.message;
  ASSERT_NE(tok.release, nullptr);
  std::string t(reinterpret_cast<const char*>(tok.data), tok.len);
  EXPECT_NE(t.find("\"on_watermark\""), std::string::npos) << t;
  EXPECT_NE(t.find("\"txns\":[]"), std::string::npos) << t;
  tok.release(&tok);
  EXPECT_EQ(tok.release, nullptr);
  EXPECT_EQ(rows().size(), 1u);
  EXPECT_EQ(sr_sink_commit(s, 7, &err), SR_SINK_OK);
  EXPECT_EQ(sr_sink_on_checkpoint(s, 7, &tok, &err), SR_SINK_E_INVALID_ARGUMENT) << "ids must increase";
  EXPECT_EQ(tok.release, nullptr);
}

TEST_F(Watermark, AMalformedRowRejectsTheWholeBatchNamingItsIndex) {
  sr_sink* s = open_orders();
  ASSERT_NE(s, nullptr);
  sr_sink_error err = new_error();
  EXPECT_EQ(write_rows(s, {order(1, "a", "1"), "{\"id\":2,", order(3, "c", "3")}, {}, &err),
            SR_SINK_E_DATA);
  EXPECT_NE(std::string(err.message).find("row 1"), std::string::npos) << err.message;
  EXPECT_NE(err.flags & SR_SINK_ERROR_F_DATA, 0u);
  EXPECT_EQ(write_rows(s, {order(1, "a", "1"), order(2, "b", "2")}, {0, 9}, &err), SR_SINK_E_DATA);
  EXPECT_NE(std::string(err.message).find("row 1"), std::string::npos) << err.message;
  EXPECT_EQ(sink_stats(s).rows_written, 0u);
  // The sink is still usable and nothing of the rejected batches was taken.
  ASSERT_EQ(write_rows(s, {order(5, "e", "5")}), SR_SINK_OK);
  ASSERT_EQ(watermark(s, 1, &err), SR_SINK_OK) << err.message;
  EXPECT_EQ(rows(), std::vector<std::string>{R"({"id":5,"name":"e","amount":5.00})"});
}

// The same for a batch large enough to fill several chunks and cross load cuts before its bad
// last row is seen: none of it is sent, and the next batch loads exactly its own rows.
TEST_F(Watermark, AMalformedLastRowOfALargeBatchTakesNothing) {
  sr_sink* s = open_orders(",\"memory_budget_bytes\":4194304,\"batch_max_rows\":5000");
  ASSERT_NE(s, nullptr);
  std::vector<std::string> big;
  for (int i = 0; i < 20000; ++i) big.push_back(order(i, "n" + std::to_string(i), "1.00"));
  big.back() = "{\"id\":19999,\"name\":\"unterminated}";
  sr_sink_error err = new_error();
  EXPECT_EQ(write_rows(s, big, {}, &err), SR_SINK_E_DATA);
  EXPECT_NE(std::string(err.message).find("row 19999"), std::string::npos) << err.message;
  sr_sink_stats st = sink_stats(s);
  EXPECT_EQ(st.rows_written, 0u);
  EXPECT_EQ(st.bytes_written, 0u);
  EXPECT_EQ(st.buffered_bytes, 0u);
  ASSERT_EQ(write_rows(s, {order(7, "g", "7"), order(8, "h", "8")}), SR_SINK_OK);
  ASSERT_EQ(watermark(s, 1, &err), SR_SINK_OK) << err.message;
  EXPECT_EQ(rows(), (std::vector<std::string>{R"({"id":7,"name":"g","amount":7.00})",
                                              R"({"id":8,"name":"h","amount":8.00})"}));
  EXPECT_EQ(emu().stat({"tables", "shop.orders", "loads"}), 1);
}

TEST_F(Watermark, RejectedRowsFailTheLoadWithStarRocksMessageAndTheSink) {
  sr_sink* s = open_orders();
  ASSERT_NE(s, nullptr);
  // id is BIGINT NOT NULL: "abc" cannot be converted, so the row is filtered.
  ASSERT_EQ(write_rows(s, {order(1, "a", "1"), R"({"id":"abc","name":"bad"})"}), SR_SINK_OK);
  sr_sink_error err = new_error();
  EXPECT_EQ(watermark(s, 1, &err), SR_SINK_E_DATA);
  std::string m = err.message;
  EXPECT_NE(m.find("too many filtered rows"), std::string::npos) << m;
  // The first rejected rows come from the ErrorURL of the reply: their reasons, not their values
  // (option log_row_values).
  EXPECT_NE(m.find("first rejected rows: NULL value in non-nullable column 'id'"),
            std::string::npos) << m;
  EXPECT_EQ(m.find("abc"), std::string::npos) << m;
  EXPECT_EQ(sink_stats(s).rows_rejected, 1u);
  EXPECT_NE(err.flags & SR_SINK_ERROR_F_DATA, 0u);
  EXPECT_NE(err.flags & SR_SINK_ERROR_F_FATAL, 0u);
  EXPECT_STRNE(err.label, "");
  EXPECT_EQ(emu().stat({"loads", "Fail"}), 1) << "a data error is not retried";
  EXPECT_EQ(write_rows(s, {order(2, "b", "2")}, {}, &err), SR_SINK_E_STATE);
  EXPECT_TRUE(rows().empty());
}

TEST_F(Watermark, LabelsFollowPrefixTableRunIdSeq) {
  sr_sink* s = open_orders(",\"label_prefix\":\"job7\"");
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(write_rows(s, {order(1, "a", "1")}), SR_SINK_OK);
  ASSERT_EQ(watermark(s, 1), SR_SINK_OK);
  ASSERT_EQ(write_rows(s, {order(2, "b", "2")}), SR_SINK_OK);
  ASSERT_EQ(watermark(s, 2), SR_SINK_OK);
  Json st = emu().stats();
  const cJSON* labels = st.at({"labels", "shop"});
  std::set<std::string> names;
  const cJSON* l;
  cJSON_ArrayForEach(l, labels) names.insert(l->string);
  ASSERT_EQ(names.size(), 2u);
  for (const auto& n : names) EXPECT_EQ(n.rfind("job7-orders-", 0), 0u) << n;
  EXPECT_EQ(names.begin()->substr(0, names.begin()->size() - 1),
            names.rbegin()->substr(0, names.rbegin()->size() - 1))
      << "same run id, consecutive sequence numbers";
}

TEST_F(Watermark, TheFirstMatchingGlobWins) {
  ASSERT_EQ(h.add("shop.ord*", options(",\"label_prefix\":\"first\"")), SR_SINK_OK);
  ASSERT_EQ(h.add("*", options(",\"label_prefix\":\"second\"")), SR_SINK_OK);
  sr_sink* s = nullptr;
  sr_sink_error err = new_error();
  ASSERT_EQ(h.open("shop.orders", {"id", "name", "amount"}, &s, &err), SR_SINK_OK) << err.message;
  open_.push_back(s);
  ASSERT_EQ(write_rows(s, {order(1, "a", "1")}), SR_SINK_OK);
  ASSERT_EQ(watermark(s, 1), SR_SINK_OK);
  EXPECT_TRUE(h.log.contains("load first-orders-")) << h.log.all();
}

TEST_F(Watermark, PropertiesArePassedAsStreamLoadHeaders) {
  // max_filter_ratio lets the bad row be filtered instead of failing the load.
  sr_sink* s = open_orders(",\"properties\":{\"max_filter_ratio\":\"0.5\"}");
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(write_rows(s, {order(1, "a", "1"), order(2, "b", "2"), R"({"id":"abc"})"}), SR_SINK_OK);
  sr_sink_error err = new_error();
  ASSERT_EQ(watermark(s, 1, &err), SR_SINK_OK) << err.message;
  EXPECT_EQ(rows().size(), 2u);
  EXPECT_EQ(sink_stats(s).rows_filtered, 1u);
  EXPECT_EQ(sink_stats(s).rows_loaded, 2u);
}

TEST_F(Watermark, ColumnsNamedLikeSqlKeywordsAreQuoted) {
  ASSERT_TRUE(emu().create_table("shop", "kw",
                                 R"J([{"name":"id","type":"INT","key":true},{"name":"desc","type":"VARCHAR(10)"},{"name":"my col","type":"INT"}])J"));
  ASSERT_EQ(h.add("*", options()), SR_SINK_OK);
  sr_sink* s = nullptr;
  sr_sink_error err = new_error();
  ASSERT_EQ(h.open("shop.kw", {"id", "desc", "my col"}, &s, &err), SR_SINK_OK) << err.message;
  open_.push_back(s);
  ASSERT_EQ(write_rows(s, {R"({"id":1,"desc":"d","my col":7})"}), SR_SINK_OK);
  ASSERT_EQ(watermark(s, 1, &err), SR_SINK_OK) << err.message;
  EXPECT_EQ(emu().rows("shop", "kw"), std::vector<std::string>{R"({"id":1,"desc":"d","my col":7})"});
}

}  // namespace
}  // namespace srtest
