// sr_sink_write checks each row's keys against the sink: every key is a column opened for the
// sink (StarRocks would drop an unknown one silently), at most once (StarRocks' JSON reader would
// load each occurrence), and every key column of the table is there and not null (StarRocks would
// filter the row or fail the load later, far from the cause) — for upserts and deletes. A row that
// fails is SR_SINK_E_DATA naming table, row and key, and nothing of its batch is taken.
#include "integration_common.h"

namespace srtest {
namespace {

using WriteKeys = SinkTest;

// Writes `batch`, expects SR_SINK_E_DATA with exactly `message`, and that nothing was taken.
void expect_refused(sr_sink* s, const std::vector<std::string>& batch, const std::vector<uint8_t>& ops,
                    const std::string& message) {
  const sr_sink_stats before = sink_stats(s);
  sr_sink_error err = new_error();
  EXPECT_EQ(write_rows(s, batch, ops, &err), SR_SINK_E_DATA) << "accepted; expected: " << message;
  EXPECT_EQ(std::string(err.message), message);
  EXPECT_NE(err.flags & SR_SINK_ERROR_F_DATA, 0u);
  EXPECT_EQ(err.flags & SR_SINK_ERROR_F_FATAL, 0u) << "a bad row does not fail the sink";
  const sr_sink_stats after = sink_stats(s);
  EXPECT_EQ(after.rows_written, before.rows_written) << "nothing of the batch was taken";
  EXPECT_EQ(after.bytes_written, before.bytes_written);
  EXPECT_EQ(after.buffered_bytes, before.buffered_bytes);
}

TEST_F(WriteKeys, ARowWithoutItsKeyColumnIsRefusedNamingTableRowAndKey) {
  sr_sink* s = open_orders();
  ASSERT_NE(s, nullptr);
  expect_refused(s, {order(1, "a", "1"), order(2, "b", "2"), order(3, "c", "3"), R"({"name":"d","amount":4})"},
                 {}, "write shop.orders: row 3: key column `id` is missing");
  expect_refused(s, {"{}"}, {}, "write shop.orders: row 0: key column `id` is missing");
  // The sink stays usable, and only the later batch is loaded.
  sr_sink_error err = new_error();
  ASSERT_EQ(write_rows(s, {order(5, "e", "5")}, {}, &err), SR_SINK_OK) << err.message;
  ASSERT_EQ(sr_sink_on_watermark(s, 1, &err), SR_SINK_OK) << err.message;
  EXPECT_EQ(rows(), std::vector<std::string>{R"({"id":5,"name":"e","amount":5.00})"});
}

TEST_F(WriteKeys, ANullKeyColumnIsRefused) {
  sr_sink* s = open_orders();
  ASSERT_NE(s, nullptr);
  expect_refused(s, {order(1, "a", "1"), R"({"id":null,"name":"b"})"}, {},
                 "write shop.orders: row 1: key column `id` is null");
  expect_refused(s, {R"({ "name" : "b" , "id" :  null })"}, {},
                 "write shop.orders: row 0: key column `id` is null");
  // A null in another column is the host's business (StarRocks decides on NOT NULL).
  sr_sink_error err = new_error();
  EXPECT_EQ(write_rows(s, {R"({"id":1,"name":null,"amount":null})"}, {}, &err), SR_SINK_OK) << err.message;
}

TEST_F(WriteKeys, ADeleteNeedsEveryKeyColumnNotNull) {
  sr_sink* s = open_orders();
  ASSERT_NE(s, nullptr);
  const std::vector<uint8_t> del = {SR_SINK_OP_UPSERT, SR_SINK_OP_DELETE};
  expect_refused(s, {order(1, "a", "1"), R"({"name":"a"})"}, del,
                 "write shop.orders: row 1: key column `id` is missing");
  expect_refused(s, {order(1, "a", "1"), R"({"id":null})"}, del,
                 "write shop.orders: row 1: key column `id` is null");
  sr_sink_error err = new_error();
  ASSERT_EQ(write_rows(s, {order(1, "a", "1"), order(2, "b", "2")}, {}, &err), SR_SINK_OK) << err.message;
  ASSERT_EQ(write_rows(s, {order(3, "c", "3"), R"({"id":1})"}, del, &err), SR_SINK_OK) << err.message;
  ASSERT_EQ(sr_sink_on_watermark(s, 1, &err), SR_SINK_OK) << err.message;
  EXPECT_EQ(rows(), (std::vector<std::string>{R"({"id":2,"name":"b","amount":2.00})",
                                              R"({"id":3,"name":"c","amount":3.00})"}));
}

TEST_F(WriteKeys, AKeyThatIsNotAnOpenedColumnIsRefusedListingTheColumns) {
  sr_sink* s = open_orders();
  ASSERT_NE(s, nullptr);
  expect_refused(s, {R"({"id":4,"nmae":"x"})"}, {},
                 "write shop.orders: row 0 has key `nmae`, which is not a column opened for this sink "
                 "(columns: id, name, amount)");
  // Names match exactly, as StarRocks matches keys to load columns.
  expect_refused(s, {order(1, "a", "1"), R"({"id":4,"Name":"x"})"}, {},
                 "write shop.orders: row 1 has key `Name`, which is not a column opened for this sink "
                 "(did you mean `name`? columns: id, name, amount)");
}

TEST_F(WriteKeys, AColumnOfTheTableThatWasNotOpenedIsRefusedToo) {
  sr_sink* s = open_orders("", {"id", "name"});
  ASSERT_NE(s, nullptr);
  expect_refused(s, {R"({"id":1,"name":"a","amount":1})"}, {},
                 "write shop.orders: row 0 has key `amount`, which is not a column opened for this sink "
                 "(columns: id, name)");
}

TEST_F(WriteKeys, EscapedKeysAreComparedDecoded) {
  sr_sink* s = open_orders();
  ASSERT_NE(s, nullptr);
  sr_sink_error err = new_error();
  ASSERT_EQ(write_rows(s, {R"({"i\u0064":5,"n\u0061me":"e","amount":5})"}, {}, &err), SR_SINK_OK)
      << err.message;
  expect_refused(s, {R"({"\u0069d":null})"}, {}, "write shop.orders: row 0: key column `id` is null");
  expect_refused(s, {R"({"id":1,"nm\u0061e":"x"})"}, {},
                 "write shop.orders: row 0 has key `nmae`, which is not a column opened for this sink "
                 "(columns: id, name, amount)");
  ASSERT_EQ(sr_sink_on_watermark(s, 1, &err), SR_SINK_OK) << err.message;
  EXPECT_EQ(rows(), std::vector<std::string>{R"({"id":5,"name":"e","amount":5.00})"});
}

// StarRocks' JSON reader appends a value to the column for every occurrence of a key: a repeated
// key is refused as ambiguous, also when one occurrence is escaped.
TEST_F(WriteKeys, AKeyTwiceInOneRowIsRefusedAsAmbiguous) {
  sr_sink* s = open_orders();
  ASSERT_NE(s, nullptr);
  expect_refused(s, {R"({"id":1,"name":"a","name":"b"})"}, {},
                 "write shop.orders: row 0 has key `name` more than once, which is ambiguous");
  expect_refused(s, {order(1, "a", "1"), R"({"id":1,"i\u0064":2})"}, {},
                 "write shop.orders: row 1 has key `id` more than once, which is ambiguous");
}

// Rows in changing key orders, with nested values (outside the SIMD fast path) and whitespace are
// checked alike; the error names the first bad row.
TEST_F(WriteKeys, KeyOrderWhitespaceAndNestingDoNotChangeTheVerdict) {
  sr_sink* s = open_orders();
  ASSERT_NE(s, nullptr);
  sr_sink_error err = new_error();
  ASSERT_EQ(write_rows(s, {order(1, "a", "1"), R"({"amount":2,"id":2,"name":"b"})",
                           R"({"name":"c","id":3})", "{ \"id\" :\n4 }", order(5, "e", "5")},
                       {}, &err),
            SR_SINK_OK)
      << err.message;
  expect_refused(s, {order(6, "f", "6"), R"({"amount":7,"name":"g"})"}, {},
                 "write shop.orders: row 1: key column `id` is missing");
  expect_refused(s, {order(6, "f", "6"), R"({"id":7,"name":{"nested":[1,{"id":null}]},"nmae":1})"}, {},
                 "write shop.orders: row 1 has key `nmae`, which is not a column opened for this sink "
                 "(columns: id, name, amount)");
  expect_refused(s, {R"({"name":[{"id":1}],"amount":1})"}, {},
                 "write shop.orders: row 0: key column `id` is missing");
}

TEST_F(WriteKeys, EveryColumnOfACompositeKeyIsNeeded) {
  ASSERT_TRUE(emu_->create_table(
      "shop", "lines",
      R"J([{"name":"order_id","type":"BIGINT","key":true,"nullable":false},)J"
      R"J({"name":"line","type":"INT","key":true,"nullable":false},{"name":"qty","type":"INT"}])J"));
  sr_sink_error err = new_error();
  ASSERT_EQ(h.add("*", options(), &err), SR_SINK_OK) << err.message;
  sr_sink* s = nullptr;
  ASSERT_EQ(h.open("shop.lines", {"qty", "line", "order_id"}, &s, &err), SR_SINK_OK) << err.message;
  open_.push_back(s);
  ASSERT_EQ(write_rows(s, {R"({"order_id":1,"line":1,"qty":3})", R"({"line":2,"order_id":1})"}, {}, &err),
            SR_SINK_OK)
      << err.message;
  expect_refused(s, {R"({"order_id":1,"qty":3})"}, {}, "write shop.lines: row 0: key column `line` is missing");
  expect_refused(s, {R"({"order_id":1,"line":null})"}, {SR_SINK_OP_DELETE},
                 "write shop.lines: row 0: key column `line` is null");
}

// A bad key in the last row of a batch that filled several chunks and crossed load cuts: none of
// the batch is sent, and the next batch loads exactly its own rows.
TEST_F(WriteKeys, ABadKeyInTheLastRowOfALargeBatchTakesNothing) {
  sr_sink* s = open_orders(",\"memory_budget_bytes\":4194304,\"batch_max_rows\":5000");
  ASSERT_NE(s, nullptr);
  std::vector<std::string> big;
  for (int i = 0; i < 20000; ++i) big.push_back(order(i, "n" + std::to_string(i), "1.00"));
  big.back() = R"({"name":"no key","amount":1})";
  expect_refused(s, big, {}, "write shop.orders: row 19999: key column `id` is missing");
  sr_sink_error err = new_error();
  ASSERT_EQ(write_rows(s, {order(7, "g", "7"), order(8, "h", "8")}, {}, &err), SR_SINK_OK);
  ASSERT_EQ(sr_sink_on_watermark(s, 1, &err), SR_SINK_OK) << err.message;
  EXPECT_EQ(rows(), (std::vector<std::string>{R"({"id":7,"name":"g","amount":7.00})",
                                              R"({"id":8,"name":"h","amount":8.00})"}));
  EXPECT_EQ(emu().stat({"tables", "shop.orders", "loads"}), 1);
}

TEST_F(WriteKeys, TheCheckHoldsInOnCheckpointModeToo) {
  sr_sink_error err = new_error();
  const std::string opts = "{\"http_url\":\"" + emu().fe_url() + "\",\"execution_mode\":\"on_checkpoint\"" + format_option() + "}";
  ASSERT_EQ(h.add("*", opts, &err), SR_SINK_OK) << err.message;
  sr_sink* s = nullptr;
  ASSERT_EQ(h.open("shop.orders", {"id", "name", "amount"}, &s, &err, "writer-1"), SR_SINK_OK) << err.message;
  open_.push_back(s);
  expect_refused(s, {order(1, "a", "1"), R"({"id":2,"nmae":"b"})"}, {},
                 "write shop.orders: row 1 has key `nmae`, which is not a column opened for this sink "
                 "(columns: id, name, amount)");
  expect_refused(s, {R"({"id":null})"}, {SR_SINK_OP_DELETE}, "write shop.orders: row 0: key column `id` is null");
}

}  // namespace
}  // namespace srtest
