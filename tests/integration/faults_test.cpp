// Failures between the sink and StarRocks: every row is applied exactly once in the end
// (emulator counters), or the failure is reported and the sink fails — never silently dropped.
#include "integration_common.h"

namespace srtest {
namespace {

class Faults : public SinkTest {
 protected:
  std::vector<std::string> ten_rows() const {
    std::vector<std::string> r;
    for (int i = 1; i <= 10; ++i) r.push_back(order(i, "n" + std::to_string(i), "1.00"));
    return r;
  }
  // Writes ten rows, passes a watermark, and checks each was applied once under one label.
  void load_ten_and_expect_exactly_once(const std::string& extra = "") {
    sr_sink* s = open_orders(extra);
    ASSERT_NE(s, nullptr);
    sr_sink_error err = new_error();
    ASSERT_EQ(write_rows(s, ten_rows(), {}, &err), SR_SINK_OK) << err.message;
    ASSERT_EQ(sr_sink_on_watermark(s, 1, &err), SR_SINK_OK)
        << sr_sink_status_name(err.code) << ": " << err.message << "\n" << h.log.all();
    EXPECT_EQ(rows().size(), 10u);
    EXPECT_EQ(emu().stat({"tables", "shop.orders", "upserts"}), 10) << "applied exactly once";
    Json st = emu().stats();
    const cJSON* labels = st.at({"labels", "shop"});
    int n = 0;
    const cJSON* l;
    cJSON_ArrayForEach(l, labels) {
      ++n;
      EXPECT_EQ(cJSON_GetObjectItemCaseSensitive(l, "commits")->valuedouble, 1) << l->string;
    }
    EXPECT_EQ(n, 1) << "one label for the load, retries included";
    sink_ = s;
  }
  sr_sink* sink_ = nullptr;
};

TEST_F(Faults, AnInjected500IsRetriedWithTheSameLabel) {
  ASSERT_GE(emu().add_fault(R"({"point":"be_stream_load","action":"http_status","code":500,"times":1})"), 0);
  load_ten_and_expect_exactly_once();
  EXPECT_GE(sink_stats(sink_).retries, 1u);
  EXPECT_GE(sink_stats(sink_).load_failures, 1u);
}

TEST_F(Faults, ADroppedConnectionIsSettledThenResent) {
  ASSERT_GE(emu().add_fault(R"({"point":"be_stream_load","action":"drop","after_bytes":20,"times":1})"), 0);
  load_ten_and_expect_exactly_once();
  EXPECT_GE(sink_stats(sink_).retries, 1u);
}

TEST_F(Faults, AReplyLostAfterTheLoadAppliedIsSettledWithoutResending) {
  ASSERT_GE(emu().add_fault(R"({"point":"be_stream_load","action":"apply_then_drop","times":1})"), 0);
  load_ten_and_expect_exactly_once();
  EXPECT_TRUE(h.log.contains("get_load_state says VISIBLE")) << h.log.all();
  EXPECT_EQ(emu().stat({"loads", "Label Already Exists"}), 0) << "nothing was resent";
}

TEST_F(Faults, LabelAlreadyExistsFinishedIsSuccess) {
  // The load is applied but the client is told it failed with a retryable error: the resend of
  // the same label gets "Label Already Exists" + FINISHED from the emulator.
  ASSERT_GE(emu().add_fault(R"({"point":"be_stream_load","action":"apply_then_reply","status":"Fail","message":"rpc timeout","times":1})"), 0);
  load_ten_and_expect_exactly_once();
  EXPECT_EQ(emu().stat({"loads", "Label Already Exists"}), 1);
  EXPECT_TRUE(h.log.contains("label already loaded")) << h.log.all();
}

TEST_F(Faults, NotMasterIsRetried) {
  ASSERT_GE(emu().add_fault(R"({"point":"be_stream_load","action":"not_master","times":2})"), 0);
  load_ten_and_expect_exactly_once();
  EXPECT_GE(sink_stats(sink_).retries, 2u);
}

TEST_F(Faults, AnUnreachableBeIsRetried) {
  ASSERT_GE(emu().add_fault(R"({"point":"fe_stream_load","action":"be_unreachable","times":1})"), 0);
  load_ten_and_expect_exactly_once();
}

TEST_F(Faults, ASlowLoadStillSucceeds) {
  ASSERT_GE(emu().add_fault(R"({"point":"be_stream_load","action":"delay","ms":300,"times":1})"), 0);
  load_ten_and_expect_exactly_once();
  EXPECT_EQ(sink_stats(sink_).retries, 0u);
}

TEST_F(Faults, FailoverWhenTheFirstFeIsDown) {
  const std::string down = "http://127.0.0.1:" + std::to_string(closed_port());
  sr_sink_error err = new_error();
  ASSERT_EQ(h.add("*", "{\"http_url\":[\"" + down + "\",\"" + emu().fe_url() +
                           "\"],\"execution_mode\":\"on_watermark\",\"max_retries\":0}",
                  &err),
            SR_SINK_OK)
      << err.message;
  sr_sink* s = nullptr;
  ASSERT_EQ(h.open("shop.orders", {"id", "name", "amount"}, &s, &err), SR_SINK_OK) << err.message;
  open_.push_back(s);
  ASSERT_EQ(write_rows(s, ten_rows(), {}, &err), SR_SINK_OK);
  ASSERT_EQ(sr_sink_on_watermark(s, 1, &err), SR_SINK_OK) << err.message;
  EXPECT_EQ(rows().size(), 10u);
  EXPECT_TRUE(h.log.contains("unreachable")) << h.log.all();
  EXPECT_EQ(sink_stats(s).retries, 0u) << "failover is not a retry: nothing was sent";
}

TEST_F(Faults, ExhaustedRetriesFailTheSinkAndNothingIsLost) {
  ASSERT_GE(emu().add_fault(R"({"point":"be_stream_load","action":"not_master","times":-1})"), 0);
  sr_sink* s = open_orders(",\"max_retries\":2");
  ASSERT_NE(s, nullptr);
  sr_sink_error err = new_error();
  ASSERT_EQ(write_rows(s, ten_rows(), {}, &err), SR_SINK_OK);
  EXPECT_EQ(sr_sink_on_watermark(s, 1, &err), SR_SINK_E_LOAD);
  EXPECT_NE(std::string(err.message).find("current fe is not master"), std::string::npos) << err.message;
  EXPECT_NE(std::string(err.message).find("3 attempts"), std::string::npos) << err.message;
  EXPECT_NE(err.flags & SR_SINK_ERROR_F_FATAL, 0u);
  EXPECT_STRNE(err.label, "");
  EXPECT_EQ(sink_stats(s).retries, 2u);
  EXPECT_EQ(sr_sink_write(s, nullptr, &err), SR_SINK_E_INVALID_ARGUMENT);
  EXPECT_EQ(write_rows(s, ten_rows(), {}, &err), SR_SINK_E_STATE);
  EXPECT_NE(std::string(err.message).find("failed earlier"), std::string::npos) << err.message;
  EXPECT_TRUE(rows().empty());
}

TEST_F(Faults, ABackgroundLoadErrorIsReportedByTheNextWrite) {
  // batch_max_rows 5 sends loads while writing; every load fails permanently.
  ASSERT_GE(emu().add_fault(R"({"point":"be_stream_load","action":"reply","status":"Fail","message":"Access denied; you need (at least one of) the INSERT privilege(s) for this operation","times":-1})"), 0);
  sr_sink* s = open_orders(",\"batch_max_rows\":5");
  ASSERT_NE(s, nullptr);
  sr_sink_error err = new_error();
  ASSERT_EQ(write_rows(s, ten_rows(), {}, &err), SR_SINK_OK);
  // The failure happens on the I/O thread; the first call after it reports it. The watermark
  // waits for the loads, so it is the latest call that must see it.
  int32_t rc = write_rows(s, ten_rows(), {}, &err);
  if (rc == SR_SINK_OK) rc = sr_sink_on_watermark(s, 1, &err);
  EXPECT_EQ(rc, SR_SINK_E_AUTH) << err.message;
  EXPECT_NE(std::string(err.message).find("INSERT privilege"), std::string::npos) << err.message;
  EXPECT_NE(err.flags & SR_SINK_ERROR_F_FATAL, 0u);
  EXPECT_EQ(sr_sink_on_watermark(s, 2, &err), SR_SINK_E_STATE);
}

TEST_F(Faults, LabelAlreadyExistsRunningIsSettledBeforeResending) {
  // The reply claims another attempt of the label is running; get_load_state says otherwise.
  ASSERT_GE(emu().add_fault(R"({"point":"be_stream_load","action":"reply","status":"Label Already Exists","message":"Label has already been used.","extra":{"ExistingJobStatus":"RUNNING"},"times":1})"), 0);
  load_ten_and_expect_exactly_once();
  EXPECT_EQ(sink_stats(sink_).retries, 1u);
}

TEST_F(Faults, APreparingLabelIsPolledUntilItIsFinal) {
  // The first attempt's reply is lost after the load applied; get_load_state first says PREPARE
  // twice (another attempt still running), then the truth (VISIBLE).
  ASSERT_GE(emu().add_fault(R"({"point":"be_stream_load","action":"apply_then_drop","times":1})"), 0);
  int f = emu().add_fault(R"({"point":"get_load_state","action":"reply","status":"OK","message":"OK","extra":{"state":"PREPARE"},"times":2})");
  ASSERT_GE(f, 0);
  load_ten_and_expect_exactly_once();
  EXPECT_EQ(emu().fault_hits(f), 2);
  EXPECT_TRUE(h.log.contains("get_load_state says VISIBLE")) << h.log.all();
}

TEST_F(Faults, PublishTimeoutIsSuccess) {
  ASSERT_GE(emu().add_fault(R"({"point":"be_stream_load","action":"publish_timeout","times":1})"), 0);
  sr_sink* s = open_orders();
  ASSERT_NE(s, nullptr);
  sr_sink_error err = new_error();
  ASSERT_EQ(write_rows(s, ten_rows(), {}, &err), SR_SINK_OK);
  ASSERT_EQ(sr_sink_on_watermark(s, 1, &err), SR_SINK_OK) << err.message;
  EXPECT_EQ(sink_stats(s).loads, 1u);
  EXPECT_EQ(sink_stats(s).retries, 0u) << "committed: never resent";
  EXPECT_EQ(emu().stat({"loads", "Publish Timeout"}), 1);
}

TEST_F(Faults, TooManyVersionsIsRetried) {
  ASSERT_GE(emu().add_fault(R"({"point":"be_stream_load","action":"too_many_versions","times":1})"), 0);
  load_ten_and_expect_exactly_once();
  // Push-back is waited out without spending a retry (version_pressure_test.cpp).
  EXPECT_EQ(sink_stats(sink_).retries, 0u);
  EXPECT_EQ(sink_stats(sink_).throttle_episodes, 1u);
}

}  // namespace
}  // namespace srtest

namespace srtest {
namespace {

// Two BEs: the FE picks one per load; connections to each are reused.
class TwoBes : public SinkTest {
 protected:
  std::vector<std::string> emulator_args() const override { return {"--be-port", "0"}; }
};

TEST_F(TwoBes, LoadsSpreadOverBesAllLand) {
  ASSERT_EQ(emu().be_ports().size(), 2u);
  sr_sink* s = open_orders();
  ASSERT_NE(s, nullptr);
  sr_sink_error err = new_error();
  for (int w = 0; w < 8; ++w) {
    ASSERT_EQ(write_rows(s, {order(w, "n", "1")}, {}, &err), SR_SINK_OK);
    ASSERT_EQ(sr_sink_on_watermark(s, w, &err), SR_SINK_OK) << err.message;
  }
  EXPECT_EQ(rows().size(), 8u);
  EXPECT_EQ(sink_stats(s).loads, 8u);
}

// A follower FE redirects get_load_state to the leader (spec §7): settling follows the 307.
class FollowerFe : public SinkTest {
 protected:
  std::vector<std::string> emulator_args() const override { return {"--follower"}; }
};

TEST_F(FollowerFe, SettlingThroughAFollowerFollowsTheRedirectToTheLeader) {
  ASSERT_GE(emu().add_fault(R"({"point":"be_stream_load","action":"apply_then_drop","times":1})"), 0);
  sr_sink* s = open_orders();
  ASSERT_NE(s, nullptr);
  sr_sink_error err = new_error();
  ASSERT_EQ(write_rows(s, {order(1, "a", "1")}, {}, &err), SR_SINK_OK);
  ASSERT_EQ(sr_sink_on_watermark(s, 1, &err), SR_SINK_OK) << err.message << "\n" << h.log.all();
  EXPECT_TRUE(h.log.contains("get_load_state says VISIBLE")) << h.log.all();
  EXPECT_EQ(emu().stat({"tables", "shop.orders", "upserts"}), 1);
}

}  // namespace
}  // namespace srtest
