// The on_checkpoint mode through the public C ABI, several sinks in one process, against a real
// sr-emulator process: tokens, abort, counters, and instances that never touch each other's
// transactions.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "eo_fixture.h"

namespace {

using namespace eotest;

class InProcess : public EoSinkTest {
 protected:
  void SetUp() override {
    EoSinkTest::SetUp();
    ASSERT_EQ(h.add("*", options()), SR_SINK_OK);
  }
};

TEST_F(InProcess, TokenIsVersionedJsonNamingTableInstanceAndLabels) {
  sr_sink* s = open("inst/a");
  write(s, {row(1, "a")});
  std::string tok = checkpoint(s, 1);
  srtest::Json j(tok);
  ASSERT_TRUE(j.ok()) << tok;
  EXPECT_EQ(j.integer({"v"}), 2);
  EXPECT_EQ(j.integer({"label_id"}, -2), 0);  // the first label id this instance used
  EXPECT_EQ(j.string({"mode"}), "on_checkpoint");
  EXPECT_EQ(j.string({"db"}) + "." + j.string({"table"}), "eo.t");
  EXPECT_EQ(j.string({"instance_id"}), "inst/a");
  EXPECT_EQ(j.integer({"checkpoint_id"}), 1);
  ASSERT_EQ(labels_of(tok).size(), 1u);
  EXPECT_EQ(emu.label_state("eo", labels_of(tok)[0]), "PREPARED");
  EXPECT_EQ(sr_sink_commit(s, 1, nullptr), SR_SINK_OK);
  EXPECT_EQ(emu.label_state("eo", labels_of(tok)[0]), "VISIBLE");
  sr_sink_stats st = srtest::sink_stats(s);
  EXPECT_EQ(st.txns_begun, 1u);
  EXPECT_EQ(st.txns_prepared, 1u);
  EXPECT_EQ(st.txns_committed, 1u);
  EXPECT_EQ(st.rows_loaded, 1u);
  EXPECT_EQ(sr_sink_close(s, nullptr), SR_SINK_OK);
}

TEST_F(InProcess, OpenWithoutInstanceIdIsRefused) {
  open("", "", SR_SINK_E_INVALID_ARGUMENT);
  EXPECT_NE(last_error.find("instance_id"), std::string::npos) << last_error;
}

TEST_F(InProcess, TokenOfAnotherInstanceIsRefused) {
  sr_sink* s = open("inst/a");
  std::string tok = checkpoint(s, 1);
  sr_sink_close(s, nullptr);
  open("inst/b", tok, SR_SINK_E_RECOVERY);
  EXPECT_NE(last_error.find("inst/a"), std::string::npos) << last_error;
}

TEST_F(InProcess, AbortRollsBackTheCheckpointsTransaction) {
  sr_sink* s = open("inst/a");
  write(s, {row(1, "lost")});
  std::string tok1 = checkpoint(s, 1);
  ASSERT_EQ(sr_sink_abort(s, 1, nullptr), SR_SINK_OK);
  EXPECT_EQ(emu.label_state("eo", labels_of(tok1)[0]), "ABORTED");
  // The sink is failed now; the host restores (no durable checkpoint yet: a fresh start) and
  // replays.
  sr_sink_close(s, nullptr);
  s = open("inst/a");
  write(s, {row(2, "kept")});
  checkpoint(s, 2);
  ASSERT_EQ(sr_sink_commit(s, 2, nullptr), SR_SINK_OK);
  EXPECT_EQ(emu.rows("eo", "t"), std::vector<std::string>{"{\"id\":2,\"val\":\"kept\"}"});
  sr_sink_close(s, nullptr);
}

TEST_F(InProcess, RecoveryOfOneInstanceLeavesAnotherInstancesTransactionsAlone) {
  sr_sink* a = open("inst/a");
  sr_sink* b = open("inst/b");
  write(a, {row(1, "a1")});
  write(b, {row(100, "b1")});
  std::string a1 = checkpoint(a, 1);
  std::string b1 = checkpoint(b, 1);  // b's checkpoint 1 stays prepared throughout
  ASSERT_EQ(sr_sink_commit(a, 1, nullptr), SR_SINK_OK);
  write(a, {row(2, "a2")});
  std::string a2 = checkpoint(a, 2);  // never becomes durable: a "crashes"
  write(a, {row(3, "a3")});           // and has an open transaction too
  write(b, {row(101, "b2")});         // b's next epoch is open
  ASSERT_EQ(sr_sink_close(a, nullptr), SR_SINK_OK);  // prepared a2 is left for recovery

  sr_sink* a_again = open("inst/a", a1);
  EXPECT_EQ(emu.label_state("eo", labels_of(a2).back()), "ABORTED");  // a's leftover
  EXPECT_EQ(emu.label_state("eo", labels_of(b1)[0]), "PREPARED");     // b's untouched
  ASSERT_EQ(sr_sink_commit(b, 1, nullptr), SR_SINK_OK);
  std::vector<std::string> want = {"{\"id\":1,\"val\":\"a1\"}", "{\"id\":100,\"val\":\"b1\"}"};
  EXPECT_EQ(emu.rows("eo", "t"), want);
  sr_sink_close(a_again, nullptr);
  sr_sink_close(b, nullptr);
}

}  // namespace
