// StarRocks pushing back (issue #19): "too many versions", the running-transaction limit and
// 429/503 are waited out (jittered, growing) without spending max_retries, up to
// retry_timeout_ms; rows written meanwhile go as fewer, larger loads; every row is loaded
// exactly once; the episodes show in the stats; past the deadline the host gets a clear error.
#include <chrono>
#include <thread>

#include "integration_common.h"

namespace srtest {
namespace {

using Clock = std::chrono::steady_clock;

int occurrences(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class VersionPressure : public SinkTest {
 protected:
  // Each label applied once, and how many there are.
  int labels_applied_once() const {
    Json st = emu().stats();
    int n = 0;
    const cJSON* l;
    cJSON_ArrayForEach(l, st.at({"labels", "shop"})) {
      ++n;
      EXPECT_EQ(cJSON_GetObjectItemCaseSensitive(l, "commits")->valuedouble, 1) << l->string;
    }
    return n;
  }
};

TEST_F(VersionPressure, TooManyVersionsOnEverySecondLoadIsWaitedOutAndLoadsCoalesce) {
  ASSERT_GE(emu().add_fault(R"({"point":"be_stream_load","action":"too_many_versions","every":2,"times":4})"), 0);
  sr_sink* s = open_orders(",\"buffer_flush_interval_ms\":40,\"retry_backoff_ms\":150,\"max_retries\":0");
  ASSERT_NE(s, nullptr);
  sr_sink_error err = new_error();
  const int kBatches = 40;
  for (int b = 0; b < kBatches; ++b) {
    ASSERT_EQ(write_rows(s, {order(2 * b + 1, "a", "1.00"), order(2 * b + 2, "b", "2.00")}, {}, &err),
              SR_SINK_OK)
        << err.message;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ASSERT_EQ(sr_sink_on_watermark(s, 1, &err), SR_SINK_OK)
      << sr_sink_status_name(err.code) << ": " << err.message << "\n" << h.log.all();
  EXPECT_EQ(rows().size(), 2u * kBatches);
  EXPECT_EQ(emu().stat({"tables", "shop.orders", "upserts"}), 2 * kBatches) << "each row once";
  const int loads = labels_applied_once();
  EXPECT_EQ(emu().stat({"tables", "shop.orders", "loads"}), loads);
  EXPECT_LT(loads, kBatches) << "loads were not coalesced";
  EXPECT_EQ(emu().stat({"loads", "Fail"}), 4) << "every injected push-back was met";
  const sr_sink_stats st = sink_stats(s);
  EXPECT_EQ(st.throttle_episodes, 4u);
  EXPECT_GT(st.throttle_wait_ms, 0u);
  EXPECT_EQ(st.retries, 0u) << "push-back spends no retries";
  // Logged once per episode, naming the label and the bound.
  EXPECT_EQ(occurrences(h.log.all(), "StarRocks pushes back"), 4) << h.log.all();
  EXPECT_TRUE(h.log.contains("tablet_max_versions")) << h.log.all();
}

TEST_F(VersionPressure, ALongEpisodeDoesNotSpendMaxRetries) {
  // Five push-backs in a row on one load, with max_retries 1.
  ASSERT_GE(emu().add_fault(R"({"point":"be_stream_load","action":"too_many_versions","times":5})"), 0);
  sr_sink* s = open_orders(",\"retry_backoff_ms\":10,\"max_retries\":1");
  ASSERT_NE(s, nullptr);
  sr_sink_error err = new_error();
  ASSERT_EQ(write_rows(s, {order(1, "a", "1.00"), order(2, "b", "2.00")}, {}, &err), SR_SINK_OK);
  ASSERT_EQ(sr_sink_on_watermark(s, 1, &err), SR_SINK_OK)
      << sr_sink_status_name(err.code) << ": " << err.message << "\n" << h.log.all();
  EXPECT_EQ(rows().size(), 2u);
  EXPECT_EQ(labels_applied_once(), 1);
  const sr_sink_stats st = sink_stats(s);
  EXPECT_EQ(st.throttle_episodes, 1u);
  EXPECT_EQ(occurrences(h.log.all(), "StarRocks pushes back"), 1) << h.log.all();
}

TEST_F(VersionPressure, ServiceUnavailableAnd429AreWaitedOutToo) {
  ASSERT_GE(emu().add_fault(R"({"point":"be_stream_load","action":"http_status","code":503,"times":2})"), 0);
  ASSERT_GE(emu().add_fault(R"({"point":"fe_stream_load","action":"http_status","code":429,"times":2})"), 0);
  sr_sink* s = open_orders(",\"retry_backoff_ms\":10,\"max_retries\":1");
  ASSERT_NE(s, nullptr);
  sr_sink_error err = new_error();
  ASSERT_EQ(write_rows(s, {order(1, "a", "1.00")}, {}, &err), SR_SINK_OK);
  ASSERT_EQ(sr_sink_on_watermark(s, 1, &err), SR_SINK_OK)
      << sr_sink_status_name(err.code) << ": " << err.message << "\n" << h.log.all();
  EXPECT_EQ(rows().size(), 1u);
  EXPECT_EQ(sink_stats(s).throttle_episodes, 1u);
}

TEST_F(VersionPressure, PastRetryTimeoutTheHostGetsAClearError) {
  ASSERT_GE(emu().add_fault(R"({"point":"be_stream_load","action":"too_many_versions","times":-1})"), 0);
  sr_sink* s = open_orders(",\"retry_backoff_ms\":100,\"retry_timeout_ms\":1500");
  ASSERT_NE(s, nullptr);
  sr_sink_error err = new_error();
  ASSERT_EQ(write_rows(s, {order(1, "a", "1.00")}, {}, &err), SR_SINK_OK);
  const auto t0 = Clock::now();
  EXPECT_EQ(sr_sink_on_watermark(s, 1, &err), SR_SINK_E_TIMEOUT) << err.message;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
  EXPECT_LE(ms, 1500 + 1000) << "waited past retry_timeout_ms";
  const std::string m = err.message;
  EXPECT_NE(m.find("retry_timeout_ms"), std::string::npos) << m;
  EXPECT_NE(m.find("Too many versions"), std::string::npos) << m;
  EXPECT_NE(m.find("tablet_max_versions"), std::string::npos) << m;
  EXPECT_NE(std::string(err.label), "") << "the error names the load's label";
  EXPECT_EQ(rows().size(), 0u);
  EXPECT_GE(sink_stats(s).throttle_episodes, 1u);
}

TEST_F(VersionPressure, TheRunningTransactionLimitAtBeginIsWaitedOutInOnCheckpointMode) {
  ASSERT_GE(emu().add_fault(R"({"point":"txn_begin","action":"reply","status":"ANALYSIS_ERROR","message":"current running txns on db 10001 is 100, larger than limit 100","times":4})"), 0);
  sr_sink_error err = new_error();
  ASSERT_EQ(h.add("*",
                  "{\"http_url\":\"" + emu().fe_url() +
                      "\",\"execution_mode\":\"on_checkpoint\",\"retry_backoff_ms\":10,\"max_retries\":1}",
                  &err),
            SR_SINK_OK)
      << err.message;
  sr_sink* s = nullptr;
  ASSERT_EQ(h.open("shop.orders", {"id", "name", "amount"}, &s, &err, "pressure"), SR_SINK_OK)
      << err.message;
  open_.push_back(s);
  ASSERT_EQ(write_rows(s, {order(1, "a", "1.00"), order(2, "b", "2.00")}, {}, &err), SR_SINK_OK);
  sr_sink_token t{};
  t.struct_size = sizeof t;
  ASSERT_EQ(sr_sink_on_checkpoint(s, 1, &t, &err), SR_SINK_OK)
      << sr_sink_status_name(err.code) << ": " << err.message << "\n" << h.log.all();
  t.release(&t);
  ASSERT_EQ(sr_sink_commit(s, 1, &err), SR_SINK_OK) << err.message;
  EXPECT_EQ(rows().size(), 2u);
  EXPECT_EQ(emu().stat({"tables", "shop.orders", "upserts"}), 2);
  EXPECT_EQ(sink_stats(s).throttle_episodes, 1u);
  EXPECT_TRUE(h.log.contains("max_running_txn_num_per_db")) << h.log.all();
}

}  // namespace
}  // namespace srtest
