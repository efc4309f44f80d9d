// buffer_flush_interval_ms against the emulator: rows written without any watermark/checkpoint
// call are sent within the interval (on_watermark: visible; on_checkpoint: streamed into the
// open transaction), and an idle sink sends nothing (the emulator's request counter).
#include <chrono>
#include <thread>

#include "integration_common.h"

namespace srtest {
namespace {

using Clock = std::chrono::steady_clock;

int64_t ms_since(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

void sleep_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

class FlushInterval : public SinkTest {
 protected:
  int64_t requests() const { return emu().stat({"requests"}); }
  // Polls until `done` or `limit_ms`; returns the milliseconds it took (-1: never).
  template <typename F>
  int64_t wait_until(F done, int64_t limit_ms) {
    const auto start = Clock::now();
    while (ms_since(start) < limit_ms) {
      if (done()) return ms_since(start);
      sleep_ms(10);
    }
    return -1;
  }
  std::vector<std::string> rows_from(int first, int n) const {
    std::vector<std::string> r;
    for (int i = first; i < first + n; ++i) r.push_back(order(i, "n" + std::to_string(i), "1.00"));
    return r;
  }
};

TEST_F(FlushInterval, OnWatermarkRowsBecomeVisibleWithoutAWatermarkAndAnIdleSinkSendsNothing) {
  sr_sink* s = open_orders(",\"buffer_flush_interval_ms\":300");
  ASSERT_NE(s, nullptr);
  const int64_t idle = requests();
  sleep_ms(700);
  EXPECT_EQ(requests(), idle) << "an idle sink made a request";

  sr_sink_error err = new_error();
  const auto written = Clock::now();
  ASSERT_EQ(write_rows(s, rows_from(1, 5), {}, &err), SR_SINK_OK) << err.message;
  const int64_t took = wait_until([&] { return rows().size() == 5; }, 5000);
  ASSERT_GE(took, 0) << "rows never became visible\n" << h.log.all();
  EXPECT_GE(ms_since(written), 250) << "flushed before the interval";
  // The interval plus one load time (a loopback load takes milliseconds; generous for CI).
  EXPECT_LE(took, 300 + 1500);
  EXPECT_EQ(emu().stat({"tables", "shop.orders", "loads"}), 1);

  // Quiet again: no empty loads.
  const int64_t after = requests();
  sleep_ms(800);
  EXPECT_EQ(requests(), after) << "an idle sink made a request";

  // A second burst is flushed the same way, and a watermark afterwards has nothing left to send.
  ASSERT_EQ(write_rows(s, rows_from(6, 3), {}, &err), SR_SINK_OK) << err.message;
  ASSERT_GE(wait_until([&] { return rows().size() == 8; }, 5000), 0) << h.log.all();
  ASSERT_EQ(sr_sink_on_watermark(s, 1, &err), SR_SINK_OK) << err.message;
  EXPECT_EQ(emu().stat({"tables", "shop.orders", "loads"}), 2);
  EXPECT_EQ(emu().stat({"tables", "shop.orders", "upserts"}), 8) << "each row applied once";
}

TEST_F(FlushInterval, WithoutTheOptionRowsWaitForTheWatermark) {
  sr_sink* s = open_orders();
  ASSERT_NE(s, nullptr);
  sr_sink_error err = new_error();
  ASSERT_EQ(write_rows(s, rows_from(1, 5), {}, &err), SR_SINK_OK) << err.message;
  sleep_ms(800);
  EXPECT_EQ(rows().size(), 0u);
  ASSERT_EQ(sr_sink_on_watermark(s, 1, &err), SR_SINK_OK) << err.message;
  EXPECT_EQ(rows().size(), 5u);
}

TEST_F(FlushInterval, OnCheckpointRowsStreamIntoTheOpenTransactionAndBecomeVisibleAtCommit) {
  sr_sink_error err = new_error();
  ASSERT_EQ(h.add("*",
                  "{\"http_url\":\"" + emu().fe_url() +
                      "\",\"execution_mode\":\"on_checkpoint\",\"retry_backoff_ms\":20,"
                      "\"buffer_flush_interval_ms\":300}",
                  &err),
            SR_SINK_OK)
      << err.message;
  sr_sink* s = nullptr;
  ASSERT_EQ(h.open("shop.orders", {"id", "name", "amount"}, &s, &err, "flush-test"), SR_SINK_OK)
      << err.message;
  open_.push_back(s);
  const int64_t idle = requests();
  sleep_ms(700);
  EXPECT_EQ(requests(), idle) << "an idle sink made a request (no empty transaction)";
  EXPECT_EQ(emu().stat({"transactions", "PREPARE"}), 0);

  ASSERT_EQ(write_rows(s, rows_from(1, 4), {}, &err), SR_SINK_OK) << err.message;
  const int64_t took = wait_until(
      [&] {
        return emu().stat({"transactions", "PREPARE"}) == 1 &&
               emu().stat({"bytes_received"}) > 0;
      },
      5000);
  ASSERT_GE(took, 0) << "rows were not streamed into a transaction\n" << h.log.all();
  EXPECT_LE(took, 300 + 1500);
  EXPECT_EQ(rows().size(), 0u) << "visibility waits for the commit";

  sr_sink_token t{};
  t.struct_size = sizeof t;
  ASSERT_EQ(sr_sink_on_checkpoint(s, 1, &t, &err), SR_SINK_OK) << err.message;
  t.release(&t);
  ASSERT_EQ(sr_sink_commit(s, 1, &err), SR_SINK_OK) << err.message;
  EXPECT_EQ(rows().size(), 4u);
  EXPECT_EQ(emu().stat({"tables", "shop.orders", "upserts"}), 4);

  // Nothing buffered: no new transaction, no request.
  const int64_t after = requests();
  sleep_ms(800);
  EXPECT_EQ(requests(), after);
  EXPECT_EQ(emu().stat({"transactions", "PREPARE"}), 1);
}

TEST_F(FlushInterval, TheOptionIsValidated) {
  sr_sink_error err = new_error();
  EXPECT_EQ(h.add("*", options(",\"buffer_flush_interval_ms\":-1"), &err), SR_SINK_E_CONFIG);
  EXPECT_NE(std::string(err.message).find("buffer_flush_interval_ms"), std::string::npos) << err.message;
}

}  // namespace
}  // namespace srtest
