// The host-facing contracts of ABI 1.1 that keep rows from vanishing: rejected rows reach the
// rejected-rows callback in both modes (and are not logged with their values unless asked), abort
// fails the sink until the host restores, close says how many rows it did not load, and opening
// with a subset of the columns warns that upserts reset the others.
#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

#include "integration_common.h"

namespace srtest {
namespace {

// Records every rejected row; can be told to refuse them.
struct RejectedRows {
  struct Row {
    std::string table, label, row, reason;
  };
  static int32_t on_row(void* user_data, const sr_sink_rejected_row* r) {
    auto* self = static_cast<RejectedRows*>(user_data);
    std::lock_guard<std::mutex> lock(self->mu);
    self->rows.push_back({r->table, r->label, std::string(r->row, r->row_len), r->reason});
    return self->refuse ? 1 : 0;
  }
  static void release(void* user_data) { static_cast<RejectedRows*>(user_data)->released++; }
  sr_sink_rejected_rows c_struct() {
    sr_sink_rejected_rows c{};
    c.struct_size = sizeof c;
    c.on_row = &RejectedRows::on_row;
    c.user_data = this;
    c.release = &RejectedRows::release;
    return c;
  }
  std::mutex mu;
  std::vector<Row> rows;
  bool refuse = false;
  int released = 0;
};

const std::string kLong(70, 'x');  // longer than VARCHAR(64): filtered in strict mode
std::string bad_row(int id) {
  return "{\"id\":" + std::to_string(id) + ",\"name\":\"" + kLong + "\",\"amount\":1}";
}

class Contracts : public SinkTest {
 protected:
  // The connector calls rr's release when it is freed: free it before rr goes (TearDown runs
  // before the fixture's members are destroyed; a test body's locals are gone by then).
  void TearDown() override {
    SinkTest::TearDown();
    h.free_connector();
  }
  RejectedRows rr;

  std::string opts(const std::string& mode, const std::string& extra = "") const {
    return "{\"http_url\":\"" + emu().fe_url() + "\",\"execution_mode\":\"" + mode +
           "\",\"retry_backoff_ms\":20,\"label_prefix\":\"ct\"" + format_option() + extra + "}";
  }
  int32_t register_with(const std::string& options, RejectedRows* rr, sr_sink_error* err) {
    sr_sink_credentials c = h.credentials.c_struct();
    sr_sink_rejected_rows r = rr ? rr->c_struct() : sr_sink_rejected_rows{};
    sr_sink_registration reg{};
    reg.struct_size = sizeof reg;
    reg.glob = "shop.*";
    reg.options_json = options.c_str();
    reg.credentials = &c;
    reg.rejected_rows = rr ? &r : nullptr;
    return sr_sink_connector_register(h.connector, &reg, err);
  }
  sr_sink* open_sink(const std::string& instance = "",
                     std::vector<std::string> columns = {"id", "name", "amount"}) {
    sr_sink* s = nullptr;
    sr_sink_error err = new_error();
    int32_t rc = h.open("shop.orders", columns, &s, &err, instance);
    EXPECT_EQ(rc, SR_SINK_OK) << err.message;
    if (s) open_.push_back(s);
    return s;
  }
  // Makes the written rows visible in `mode`: a watermark, or a checkpoint and its commit.
  int32_t publish(sr_sink* s, const std::string& mode, int64_t id, sr_sink_error* err) {
    if (mode == "on_watermark") return sr_sink_on_watermark(s, id, err);
    sr_sink_token tok{};
    tok.struct_size = sizeof tok;
    int32_t rc = sr_sink_on_checkpoint(s, id, &tok, err);
    if (rc != SR_SINK_OK) return rc;
    tok.release(&tok);
    return sr_sink_commit(s, id, err);
  }
};

class RejectedRowsInBothModes : public Contracts,
                                public ::testing::WithParamInterface<const char*> {};

TEST_P(RejectedRowsInBothModes, ReachTheCallbackAreCountedAndAreNotLogged) {
  const std::string mode = GetParam();
  sr_sink_error err = new_error();
  ASSERT_EQ(register_with(opts(mode, R"(,"properties":{"strict_mode":"true","max_filter_ratio":"0.5"})"),
                          &rr, &err),
            SR_SINK_OK)
      << err.message;
  sr_sink* s = open_sink("ct/rejected/0");
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(write_rows(s, {order(1, "a", "1"), bad_row(9), order(2, "b", "2")}, {}, &err),
            SR_SINK_OK)
      << err.message;
  ASSERT_EQ(publish(s, mode, 1, &err), SR_SINK_OK) << err.message;
  EXPECT_EQ(rows(), (std::vector<std::string>{R"({"id":1,"name":"a","amount":1.00})",
                                              R"({"id":2,"name":"b","amount":2.00})"}));
  ASSERT_EQ(rr.rows.size(), 1u);
  EXPECT_EQ(rr.rows[0].table, "shop.orders");
  EXPECT_EQ(rr.rows[0].label.rfind("ct-", 0), 0u) << rr.rows[0].label;
  EXPECT_NE(rr.rows[0].row.find(kLong), std::string::npos) << rr.rows[0].row;
  EXPECT_FALSE(rr.rows[0].reason.empty());
  sr_sink_stats st = sink_stats(s);
  EXPECT_EQ(st.rows_rejected, 1u);
  EXPECT_EQ(st.rows_filtered, 1u);
  // Row values stay out of the log by default (option log_row_values).
  EXPECT_FALSE(h.log.contains(kLong.substr(0, 20))) << h.log.all();
  EXPECT_TRUE(h.log.contains("filtered 1 rows")) << h.log.all();
}

TEST_P(RejectedRowsInBothModes, ACallbackThatRefusesARowFailsTheOutcome) {
  const std::string mode = GetParam();
  rr.refuse = true;
  sr_sink_error err = new_error();
  ASSERT_EQ(register_with(opts(mode, R"(,"properties":{"strict_mode":"true","max_filter_ratio":"0.9"})"),
                          &rr, &err),
            SR_SINK_OK);
  sr_sink* s = open_sink("ct/refuse/0");
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(write_rows(s, {order(1, "a", "1"), bad_row(9)}), SR_SINK_OK);
  EXPECT_EQ(publish(s, mode, 1, &err), SR_SINK_E_DATA);
  EXPECT_NE(std::string(err.message).find("rejected-rows callback refused"), std::string::npos)
      << err.message;
  EXPECT_EQ(rr.rows.size(), 1u);
  if (mode == "on_checkpoint") {
    // The prepared epoch was rolled back: nothing of it is visible, the host replays it.
    EXPECT_TRUE(rows().empty());
  }
}

TEST_P(RejectedRowsInBothModes, OverTheRatioTheErrorNamesTheReasonAndTheRowsReachTheCallback) {
  const std::string mode = GetParam();
  sr_sink_error err = new_error();
  ASSERT_EQ(register_with(opts(mode, R"(,"properties":{"strict_mode":"true"})"), &rr, &err),
            SR_SINK_OK);
  sr_sink* s = open_sink("ct/over/0");
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(write_rows(s, {order(1, "a", "1"), bad_row(9)}), SR_SINK_OK);
  EXPECT_EQ(publish(s, mode, 1, &err), SR_SINK_E_DATA);
  const std::string m = err.message;
  EXPECT_NE(m.find("too many filtered rows"), std::string::npos) << m;
  EXPECT_NE(m.find("first rejected rows"), std::string::npos) << m;
  EXPECT_EQ(m.find(kLong.substr(0, 20)), std::string::npos) << m;
  // The value is masked, the column name kept (StarRocks words it per body format).
  const bool csv = !format_option().empty();
  EXPECT_NE(m.find(csv ? "The field (name = name, pos = 1) is out of range. Type: VARCHAR(64), "
                         "Value length: 70, Value: ***"
                       : "Value '***' is out of range. The type of 'name' is VARCHAR(64)"),
            std::string::npos) << m;
  ASSERT_EQ(rr.rows.size(), 1u);
  EXPECT_NE(rr.rows[0].row.find(kLong), std::string::npos);
  EXPECT_TRUE(rows().empty());
}

INSTANTIATE_TEST_SUITE_P(Modes, RejectedRowsInBothModes,
                         ::testing::Values("on_watermark", "on_checkpoint"));

TEST_F(Contracts, LogRowValuesPutsTheRejectedRowsIntoTheError) {
  sr_sink_error err = new_error();
  ASSERT_EQ(register_with(opts("on_watermark",
                               R"(,"log_row_values":true,"properties":{"strict_mode":"true"})"),
                          nullptr, &err),
            SR_SINK_OK);
  sr_sink* s = open_sink();
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(write_rows(s, {bad_row(9)}), SR_SINK_OK);
  EXPECT_EQ(publish(s, "on_watermark", 1, &err), SR_SINK_E_DATA);
  EXPECT_NE(std::string(err.message).find(kLong.substr(0, 20)), std::string::npos) << err.message;
  EXPECT_EQ(sink_stats(s).rows_rejected, 1u);
}

TEST_F(Contracts, RegisterChecksItsArgumentsAndReleasesBothCallbacksOnFailure) {
  sr_sink_error err = new_error();
  sr_sink_credentials c = h.credentials.c_struct();
  sr_sink_rejected_rows r = rr.c_struct();
  r.on_row = nullptr;
  sr_sink_registration reg{};
  reg.struct_size = sizeof reg;
  reg.glob = "*";
  reg.options_json = "{\"http_url\":\"http://127.0.0.1:1\"}";
  reg.credentials = &c;
  reg.rejected_rows = &r;
  EXPECT_EQ(sr_sink_connector_register(h.connector, &reg, &err), SR_SINK_E_INVALID_ARGUMENT);
  EXPECT_NE(std::string(err.message).find("on_row"), std::string::npos) << err.message;
  EXPECT_EQ(rr.released, 1);
  EXPECT_EQ(h.credentials.released(), 1);
  r = rr.c_struct();
  reg.options_json = "{\"http_url\":\"http://127.0.0.1:1\",\"nope\":1}";
  EXPECT_EQ(sr_sink_connector_register(h.connector, &reg, &err), SR_SINK_E_CONFIG);
  EXPECT_EQ(rr.released, 2);
  EXPECT_EQ(sr_sink_connector_register(h.connector, nullptr, &err), SR_SINK_E_INVALID_ARGUMENT);
  reg.options_json = "{\"http_url\":\"http://127.0.0.1:1\"}";
  ASSERT_EQ(sr_sink_connector_register(h.connector, &reg, &err), SR_SINK_OK) << err.message;
  EXPECT_EQ(rr.released, 2);
  h.free_connector();
  EXPECT_EQ(rr.released, 3) << "released once when the connector is freed";
}

TEST_F(Contracts, AfterAbortTheSinkIsFailedUntilTheHostRestores) {
  sr_sink_error err = new_error();
  ASSERT_EQ(register_with(opts("on_checkpoint"), nullptr, &err), SR_SINK_OK);
  sr_sink* s = open_sink("ct/abort/0");
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(publish(s, "on_checkpoint", 1, &err), SR_SINK_OK) << err.message;
  ASSERT_EQ(write_rows(s, {order(1, "a", "1")}), SR_SINK_OK);
  sr_sink_token tok{};
  tok.struct_size = sizeof tok;
  ASSERT_EQ(sr_sink_on_checkpoint(s, 2, &tok, &err), SR_SINK_OK);
  tok.release(&tok);
  ASSERT_EQ(sr_sink_abort(s, 2, &err), SR_SINK_OK) << err.message;
  // Going on would lose checkpoint 2's rows without an error.
  EXPECT_EQ(write_rows(s, {order(2, "b", "2")}, {}, &err), SR_SINK_E_STATE);
  EXPECT_NE(std::string(err.message).find("checkpoint 2 was aborted"), std::string::npos)
      << err.message;
  EXPECT_NE(err.flags & SR_SINK_ERROR_F_FATAL, 0u);
  EXPECT_EQ(sr_sink_on_checkpoint(s, 3, &tok, &err), SR_SINK_E_STATE);
  EXPECT_EQ(tok.release, nullptr);
  EXPECT_EQ(sr_sink_commit(s, 2, &err), SR_SINK_E_STATE);
  EXPECT_EQ(sr_sink_on_watermark(s, 3, &err), SR_SINK_E_STATE);
  EXPECT_TRUE(rows().empty());
}

TEST_F(Contracts, AbortInOnWatermarkModeAlsoFailsTheSink) {
  sr_sink_error err = new_error();
  ASSERT_EQ(register_with(opts("on_watermark"), nullptr, &err), SR_SINK_OK);
  sr_sink* s = open_sink();
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(sr_sink_abort(s, 1, &err), SR_SINK_OK);
  EXPECT_EQ(write_rows(s, {order(2, "b", "2")}, {}, &err), SR_SINK_E_STATE);
  EXPECT_NE(std::string(err.message).find("aborted"), std::string::npos) << err.message;
}

TEST_F(Contracts, CloseWithRowsNotLoadedWarnsWithTheirCount) {
  for (const char* mode : {"on_watermark", "on_checkpoint"}) {
    Harness local(SR_SINK_LOG_INFO);
    sr_sink_credentials c = local.credentials.c_struct();
    ASSERT_EQ(sr_sink_connector_add_sink(local.connector, "*", opts(mode).c_str(), &c, nullptr),
              SR_SINK_OK);
    sr_sink* s = nullptr;
    ASSERT_EQ(local.open("shop.orders", {"id", "name", "amount"}, &s, nullptr, "ct/close/0"),
              SR_SINK_OK);
    ASSERT_EQ(write_rows(s, {order(1, "a", "1")}), SR_SINK_OK);
    sr_sink_error err = new_error();
    ASSERT_EQ(publish(s, mode, 1, &err), SR_SINK_OK) << err.message;
    ASSERT_EQ(write_rows(s, {order(2, "b", "2"), order(3, "c", "3"), order(4, "d", "4")}),
              SR_SINK_OK);
    EXPECT_EQ(sr_sink_close(s, &err), SR_SINK_OK) << err.message;
    EXPECT_TRUE(local.log.contains("2 closed sink for shop.orders with 3 rows not loaded"))
        << mode << "\n" << local.log.all();
    EXPECT_EQ(rows(), std::vector<std::string>{R"({"id":1,"name":"a","amount":1.00})"}) << mode;
  }
}

TEST_F(Contracts, OpeningWithASubsetOfColumnsWarnsUnlessPartialUpdate) {
  sr_sink_error err = new_error();
  ASSERT_EQ(register_with(opts("on_watermark"), nullptr, &err), SR_SINK_OK);
  sr_sink* s = open_sink("", {"id", "name"});
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(h.log.contains("2 shop.orders is opened without column(s) `amount`")) << h.log.all();
  close(s);

  Harness partial;
  sr_sink_credentials c = partial.credentials.c_struct();
  ASSERT_EQ(sr_sink_connector_add_sink(partial.connector, "*",
                                       opts("on_watermark", R"(,"partial_update":"row")").c_str(),
                                       &c, &err),
            SR_SINK_OK)
      << err.message;
  Harness full;
  sr_sink_credentials c2 = full.credentials.c_struct();
  ASSERT_EQ(sr_sink_connector_add_sink(full.connector, "*", opts("on_watermark").c_str(), &c2,
                                       &err),
            SR_SINK_OK);
  sr_sink* all = nullptr;
  ASSERT_EQ(full.open("shop.orders", {"id", "name", "amount"}, &all), SR_SINK_OK);
  ASSERT_EQ(write_rows(all, {order(1, "a", "5"), order(2, "b", "6")}), SR_SINK_OK);
  ASSERT_EQ(sr_sink_on_watermark(all, 1, &err), SR_SINK_OK) << err.message;
  sr_sink_close(all, nullptr);

  sr_sink* names = nullptr;
  ASSERT_EQ(partial.open("shop.orders", {"id", "name"}, &names, &err), SR_SINK_OK) << err.message;
  EXPECT_FALSE(partial.log.contains("is opened without column")) << partial.log.all();
  ASSERT_EQ(write_rows(names, {R"({"id":1,"name":"renamed"})"}), SR_SINK_OK);
  ASSERT_EQ(sr_sink_on_watermark(names, 2, &err), SR_SINK_OK) << err.message;
  sr_sink_close(names, nullptr);
  EXPECT_EQ(rows(), (std::vector<std::string>{R"({"id":1,"name":"renamed","amount":5.00})",
                                              R"({"id":2,"name":"b","amount":6.00})"}));
}

// Opens shop.orders with the host's declared primary key (sr_sink_open_params.key_columns, 1.1).
int32_t open_with_key(Harness& h, const std::vector<const char*>& key, sr_sink** s,
                      sr_sink_error* err, size_t struct_size = sizeof(sr_sink_open_params)) {
  const char* cols[] = {"id", "name", "amount"};
  sr_sink_open_params p{};
  p.struct_size = (uint32_t)struct_size;
  p.table = "shop.orders";
  p.columns = cols;
  p.n_columns = 3;
  p.key_columns = key.data();
  p.n_key_columns = (uint32_t)key.size();
  return sr_sink_open(h.connector, &p, s, err);
}

TEST_F(Contracts, AHostKeyThatIsNotTheTablesPrimaryKeyIsRefusedAtOpen) {
  sr_sink_error err = new_error();
  ASSERT_EQ(register_with(opts("on_watermark"), nullptr, &err), SR_SINK_OK);
  sr_sink* s = nullptr;
  // An extra column: the engine would keep one row per (id, name), StarRocks one per id.
  EXPECT_EQ(open_with_key(h, {"id", "name"}, &s, &err), SR_SINK_E_SCHEMA);
  EXPECT_NE(std::string(err.message).find("the primary key of shop.orders is (`id`), but the host "
                                          "declared (`id`, `name`)"),
            std::string::npos)
      << err.message;
  EXPECT_EQ(open_with_key(h, {"name"}, &s, &err), SR_SINK_E_SCHEMA);
  EXPECT_EQ(open_with_key(h, {"id", "id"}, &s, &err), SR_SINK_E_SCHEMA);
  EXPECT_EQ(s, nullptr);
  ASSERT_EQ(open_with_key(h, {"id"}, &s, &err), SR_SINK_OK) << err.message;
  sr_sink_close(s, nullptr);
  // A 1.0 host's struct ends before the key fields: they are not read.
  s = nullptr;
  ASSERT_EQ(open_with_key(h, {"name"}, &s, &err, offsetof(sr_sink_open_params, n_key_columns)),
            SR_SINK_OK)
      << err.message;
  sr_sink_close(s, nullptr);
}

TEST_F(Contracts, AnHttpUrlThatIsABePortIsNamedAsSuch) {
  // The BE answers none of the FE's discovery endpoints; "table does not exist" would mislead.
  const std::string be = "http://127.0.0.1:" + std::to_string(emu().be_ports().at(0));
  sr_sink_error err = new_error();
  ASSERT_EQ(h.add("*", "{\"http_url\":\"" + be + "\",\"execution_mode\":\"on_watermark\","
                       "\"max_retries\":0}", &err),
            SR_SINK_OK);
  sr_sink* s = nullptr;
  EXPECT_EQ(h.open("shop.orders", {"id", "name", "amount"}, &s, &err), SR_SINK_E_SCHEMA);
  const std::string m = err.message;
  EXPECT_NE(m.find("does not answer like a StarRocks FE"), std::string::npos) << m;
  EXPECT_NE(m.find("8030"), std::string::npos) << m;
  EXPECT_EQ(m.find("does not exist"), std::string::npos) << m;
}

}  // namespace
}  // namespace srtest
