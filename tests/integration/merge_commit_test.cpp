// Option `merge_commit` (StarRocks >= 3.4, on_watermark): many sinks writing small loads end up in
// fewer transactions than loads, every row lands, and a load whose merged transaction does not
// become visible is sent again.
#include <thread>

#include "integration_common.h"

namespace srtest {
namespace {

using MergeCommit = SinkTest;

// Opens `n` sinks on shop.orders after one registration with `extra` options.
std::vector<sr_sink*> open_sinks(SinkTest& t, Harness& h, int n, const std::string& options) {
  sr_sink_error err = new_error();
  EXPECT_EQ(h.add("*", options, &err), SR_SINK_OK) << err.message;
  std::vector<sr_sink*> sinks;
  for (int i = 0; i < n; ++i) {
    sr_sink* s = nullptr;
    EXPECT_EQ(h.open("shop.orders", {"id", "name", "amount"}, &s, &err), SR_SINK_OK) << err.message;
    sinks.push_back(s);
  }
  (void)t;
  return sinks;
}

// Each sink writes two rows, then all call on_watermark at the same time.
void write_and_watermark_concurrently(const std::vector<sr_sink*>& sinks) {
  for (size_t i = 0; i < sinks.size(); ++i) {
    int id = static_cast<int>(i) * 2;
    sr_sink_error err = new_error();
    ASSERT_EQ(write_rows(sinks[i], {order(id, "a", "1"), order(id + 1, "b", "2")}, {}, &err), SR_SINK_OK)
        << err.message;
  }
  std::vector<int32_t> rcs(sinks.size(), -1);
  std::vector<std::string> msgs(sinks.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < sinks.size(); ++i) {
    threads.emplace_back([&, i] {
      sr_sink_error err = new_error();
      rcs[i] = sr_sink_on_watermark(sinks[i], 1, &err);
      msgs[i] = err.message;
    });
  }
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < sinks.size(); ++i) EXPECT_EQ(rcs[i], SR_SINK_OK) << msgs[i];
}

TEST_F(MergeCommit, ConcurrentSinksShareTransactionsAndEveryRowLands) {
  auto sinks = open_sinks(*this, h, 6,
                          options(",\"merge_commit\":true,\"merge_commit_interval_ms\":1500,"
                                  "\"merge_commit_parallel\":2"));
  write_and_watermark_concurrently(sinks);
  EXPECT_EQ(rows().size(), 12u);
  uint64_t loads = 0;
  for (sr_sink* s : sinks) loads += sink_stats(s).loads;
  EXPECT_EQ(loads, 6u);
  int64_t txns = emu().stat({"transactions", "VISIBLE"});
  EXPECT_GE(txns, 1);
  EXPECT_LT(txns, 6) << "merge commit should merge concurrent loads into fewer transactions";
  for (sr_sink* s : sinks) sr_sink_close(s, nullptr);
}

TEST_F(MergeCommit, AsyncModePollsTheMergedLabelUntilVisible) {
  auto sinks = open_sinks(*this, h, 4,
                          options(",\"merge_commit\":true,\"merge_commit_interval_ms\":1000,"
                                  "\"merge_commit_async\":true"));
  write_and_watermark_concurrently(sinks);
  // on_watermark returned: everything is visible already.
  EXPECT_EQ(rows().size(), 8u);
  EXPECT_LT(emu().stat({"transactions", "VISIBLE"}), 4);
  for (sr_sink* s : sinks) sr_sink_close(s, nullptr);
}

TEST_F(MergeCommit, AFailureNamingTheMergedTransactionIsSettledNotResent) {
  // The load is applied but the reply says Fail: the library asks for the merged label's state
  // instead of sending the rows again.
  emu().add_fault(R"({"point":"be_stream_load","action":"apply_then_reply","status":"Fail","message":"injected"})");
  sr_sink* s = open_orders(",\"merge_commit\":true,\"merge_commit_interval_ms\":200");
  ASSERT_NE(s, nullptr);
  sr_sink_error err = new_error();
  ASSERT_EQ(write_rows(s, {order(1, "a", "1")}, {}, &err), SR_SINK_OK) << err.message;
  ASSERT_EQ(sr_sink_on_watermark(s, 1, &err), SR_SINK_OK) << err.message;
  EXPECT_EQ(rows().size(), 1u);
  EXPECT_EQ(emu().stat({"tables", "shop.orders", "upserts"}), 1) << "the rows were sent once";
  EXPECT_EQ(sink_stats(s).retries, 0u);
}

TEST_F(MergeCommit, ALoadWhoseMergedTransactionAbortedIsSentAgain) {
  sr_sink* s = open_orders(",\"merge_commit\":true,\"merge_commit_interval_ms\":2000,\"max_retries\":3");
  ASSERT_NE(s, nullptr);
  sr_sink_error err = new_error();
  ASSERT_EQ(write_rows(s, {order(1, "a", "1"), order(2, "b", "2")}, {}, &err), SR_SINK_OK) << err.message;
  int32_t rc = -1;
  std::string msg;
  std::thread wm([&] {
    sr_sink_error e = new_error();
    rc = sr_sink_on_watermark(s, 1, &e);
    msg = e.message;
  });
  // Cancel the open merge window while the load waits in it.
  std::string merged;
  for (int i = 0; i < 200 && merged.empty(); ++i) {
    Json st = emu().stats();
    const cJSON* labels = st.at({"labels", "shop"});
    const cJSON* l = nullptr;
    cJSON_ArrayForEach(l, labels) {
      const cJSON* state = cJSON_GetObjectItemCaseSensitive(l, "state");
      const cJSON* kind = cJSON_GetObjectItemCaseSensitive(l, "kind");
      if (cJSON_IsString(state) && std::string(state->valuestring) == "PREPARE" && cJSON_IsString(kind) &&
          std::string(kind->valuestring) == "merge_commit") {
        merged = l->string;
      }
    }
    if (merged.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_FALSE(merged.empty());
  HttpReply r = http_call("POST", emu().fe_url() + "/api/shop/orders/_cancel?label=" + merged, "", "root", "");
  EXPECT_EQ(r.status, 200) << r.body;
  wm.join();
  ASSERT_EQ(rc, SR_SINK_OK) << msg;
  EXPECT_EQ(rows().size(), 2u);
  EXPECT_EQ(emu().stat({"transactions", "ABORTED"}), 1);
  EXPECT_GE(sink_stats(s).retries, 1u);
}

TEST_F(MergeCommit, IsRefusedInOnCheckpointModeAndNeedsAnInterval) {
  sr_sink_error err = new_error();
  std::string url = emu().fe_url();
  EXPECT_EQ(h.add("*", "{\"http_url\":\"" + url + "\",\"merge_commit\":true,\"merge_commit_interval_ms\":100}", &err),
            SR_SINK_E_CONFIG);
  EXPECT_NE(std::string(err.message).find("option `merge_commit`: needs execution_mode \"on_watermark\""),
            std::string::npos)
      << err.message;
  err = new_error();
  EXPECT_EQ(h.add("*", options(",\"merge_commit\":true"), &err), SR_SINK_E_CONFIG);
  EXPECT_NE(std::string(err.message).find("option `merge_commit_interval_ms`: is required"), std::string::npos)
      << err.message;
  err = new_error();
  EXPECT_EQ(h.add("*", options(",\"merge_commit_async\":true"), &err), SR_SINK_E_CONFIG);
  EXPECT_NE(std::string(err.message).find("needs `merge_commit` to be true"), std::string::npos) << err.message;
}

}  // namespace
}  // namespace srtest
