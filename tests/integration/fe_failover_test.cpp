// FE failover (issue #19): with two FEs in http_url, a first FE that answers "current fe is not
// master", fails with 5xx or hangs on the first hop is left for the next one, remembered as
// failed (later loads go straight to the healthy FE), and counted in fe_failovers. Rows land
// exactly once. The two FEs are two emulators; the second one holds the rows.
#include <chrono>
#include <future>

#include "integration_common.h"

namespace srtest {
namespace {

using namespace std::chrono_literals;

class FeFailover : public SinkTest {
 protected:
  void SetUp() override {
    SinkTest::SetUp();
    second_ = std::make_unique<Emulator>();
    ASSERT_TRUE(second_->start()) << second_->error();
    ASSERT_TRUE(second_->create_table("shop", "orders", kOrdersColumns));
  }
  // http_url = [the first emulator, the second one].
  sr_sink* open_two(const std::string& extra = "") {
    sr_sink_error err = new_error();
    const std::string opts = "{\"http_url\":[\"" + emu().fe_url() + "\",\"" + second_->fe_url() +
                             "\"],\"execution_mode\":\"on_watermark\",\"retry_backoff_ms\":20" +
                             extra + "}";
    EXPECT_EQ(h.add("*", opts, &err), SR_SINK_OK) << err.message;
    sr_sink* s = nullptr;
    EXPECT_EQ(h.open("shop.orders", {"id", "name", "amount"}, &s, &err), SR_SINK_OK) << err.message;
    if (s) open_.push_back(s);
    return s;
  }
  // Two loads of five rows each; both must land on the second FE's cluster, once.
  void two_loads_land_on_the_second(sr_sink* s) {
    for (int l = 0; l < 2; ++l) {
      std::vector<std::string> rows;
      for (int i = 1; i <= 5; ++i) rows.push_back(order(5 * l + i, "n", "1.00"));
      sr_sink_error err = new_error();
      ASSERT_EQ(write_rows(s, rows, {}, &err), SR_SINK_OK) << err.message;
      auto wm = std::async(std::launch::async, [s] {
        sr_sink_error e = new_error();
        int32_t rc = sr_sink_on_watermark(s, 1, &e);
        return std::make_pair(rc, std::string(e.message));
      });
      if (wm.wait_for(30s) != std::future_status::ready) {
        sr_sink_cancel(s);
        FAIL() << "the load did not fail over\n" << h.log.all();
      }
      auto [rc, message] = wm.get();
      ASSERT_EQ(rc, SR_SINK_OK) << message << "\n" << h.log.all();
    }
    EXPECT_EQ(second_->stat({"tables", "shop.orders", "upserts"}), 10);
    EXPECT_EQ(emu().stat({"tables", "shop.orders", "upserts"}), 0);
  }
  std::unique_ptr<Emulator> second_;
};

TEST_F(FeFailover, NotMasterOnTheFirstFeMovesToTheNextAndIsRemembered) {
  const int f = emu().add_fault(R"({"point":"fe_stream_load","action":"not_master","times":-1})");
  ASSERT_GE(f, 0);
  sr_sink* s = open_two();
  ASSERT_NE(s, nullptr);
  two_loads_land_on_the_second(s);
  EXPECT_EQ(emu().fault_hits(f), 1) << "the failed FE was asked again";
  EXPECT_EQ(sink_stats(s).fe_failovers, 1u);
  EXPECT_EQ(sink_stats(s).retries, 0u) << "failover is not a retry";
  EXPECT_TRUE(h.log.contains("current fe is not master")) << h.log.all();
}

TEST_F(FeFailover, A5xxOnTheFirstHopMovesToTheNextFe) {
  ASSERT_GE(emu().add_fault(R"({"point":"fe_stream_load","action":"http_status","code":500,"times":-1})"), 0);
  sr_sink* s = open_two();
  ASSERT_NE(s, nullptr);
  two_loads_land_on_the_second(s);
  EXPECT_EQ(sink_stats(s).fe_failovers, 1u);
}

TEST_F(FeFailover, AHungFirstHopMovesToTheNextFeAfterRequestTimeout) {
  ASSERT_GE(emu().add_fault(R"({"point":"fe_stream_load","action":"hang","times":-1})"), 0);
  sr_sink* s = open_two(",\"request_timeout_ms\":1000");
  ASSERT_NE(s, nullptr);
  const auto t0 = std::chrono::steady_clock::now();
  two_loads_land_on_the_second(s);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 10s);
  EXPECT_EQ(sink_stats(s).fe_failovers, 1u);
  EXPECT_TRUE(h.log.contains("request_timeout_ms")) << h.log.all();
}

TEST_F(FeFailover, WithOneFeTheAnswerIsReturnedAsBefore) {
  ASSERT_GE(emu().add_fault(R"({"point":"fe_stream_load","action":"not_master","times":2})"), 0);
  sr_sink* s = open_orders();
  ASSERT_NE(s, nullptr);
  sr_sink_error err = new_error();
  ASSERT_EQ(write_rows(s, {order(1, "a", "1.00")}, {}, &err), SR_SINK_OK);
  ASSERT_EQ(sr_sink_on_watermark(s, 1, &err), SR_SINK_OK) << err.message;
  EXPECT_EQ(rows().size(), 1u);
  EXPECT_EQ(sink_stats(s).fe_failovers, 0u);
  EXPECT_EQ(sink_stats(s).retries, 2u);
}

}  // namespace
}  // namespace srtest
