// Issue #11 items 2, 7, 8 and issue #12 through the public C ABI against a real sr-emulator
// process: a begin cancelled in flight, recovery that finds every later label, transaction loads
// into columns named like keywords, and sr_sink_commit_token from a committer with no sink.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "eo_fixture.h"

namespace {

using namespace eotest;
using std::chrono::milliseconds;

// A 1.0 (v1) token of instance `inst` on eo.t: label ids of that version were checkpoint-based.
std::string v1_token(const std::string& inst, int64_t checkpoint_id) {
  return R"({"v":1,"mode":"on_checkpoint","db":"eo","table":"t","instance_id":")" + inst +
         R"(","prefix":"ip","checkpoint_id":)" + std::to_string(checkpoint_id) + R"(,"txns":[]})";
}

// Labels of instances whose ids need no sanitizing: "{prefix}-{table}-{instance}-{id}".
std::string label(const std::string& inst, int64_t id) {
  return "ip-t-" + inst + "-" + std::to_string(id);
}

class Features : public EoSinkTest {
 public:  // also used by the scenario helpers below
  void add(srtest::Harness& on, const std::string& extra = "") {
    ASSERT_EQ(on.add("*", options(extra)), SR_SINK_OK);
  }
  int32_t commit_token(srtest::Harness& on, const std::string& tok, std::string* msg = nullptr) {
    sr_sink_error err = srtest::new_error();
    int32_t rc = sr_sink_commit_token(on.connector, reinterpret_cast<const uint8_t*>(tok.data()),
                                      tok.size(), &err);
    if (msg) *msg = err.message;
    return rc;
  }
  // Waits until the emulator reports `state` for the label (a delayed operation took effect).
  bool wait_state(const std::string& lbl, const std::string& state) {
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < end) {
      if (emu.label_state("eo", lbl) == state) return true;
      std::this_thread::sleep_for(milliseconds(20));
    }
    return false;
  }
};

// ---- issue #11 item 2: cancelling while begin is in flight ------------------------------------

TEST_F(Features, CancelDuringBeginLeavesNoTransactionInPrepareAfterClose) {
  add(h, ",\"max_retries\":0");
  sr_sink* s = open("inst_c");
  write(s, {row(1, "a")});
  // StarRocks receives the begin but performs it only 1.5 s later, long after the client gave up.
  int fault = emu.add_fault(R"({"point":"txn_begin","action":"delay","ms":1500,"times":1})");
  ASSERT_GE(fault, 0);
  std::atomic<int32_t> rc{-1};
  std::thread host([&] {
    sr_sink_token t{};
    t.struct_size = sizeof t;
    rc = sr_sink_on_checkpoint(s, 1, &t, nullptr);
    if (t.release) t.release(&t);
  });
  // Cancel once StarRocks holds the begin request.
  for (int i = 0; i < 1000 && emu.fault_hits(fault) < 1; ++i) std::this_thread::sleep_for(milliseconds(5));
  ASSERT_EQ(emu.fault_hits(fault), 1);
  sr_sink_cancel(s);
  host.join();
  EXPECT_EQ(rc.load(), SR_SINK_E_CANCELLED);
  ASSERT_TRUE(wait_state(label("inst_c", 0), "PREPARE"));  // the begin took effect after all
  sr_sink_error err = srtest::new_error();
  EXPECT_EQ(sr_sink_close(s, &err), SR_SINK_OK) << err.message;
  EXPECT_EQ(emu.label_state("eo", label("inst_c", 0)), "ABORTED");
}

TEST_F(Features, ABeginWhoseReplyWasLostIsRolledBackAtClose) {
  add(h, ",\"max_retries\":0");
  sr_sink* s = open("inst_l");
  write(s, {row(1, "a")});
  ASSERT_GE(emu.add_fault(R"({"point":"txn_begin","action":"apply_then_drop","times":1})"), 0);
  sr_sink_token t{};
  t.struct_size = sizeof t;
  sr_sink_error err = srtest::new_error();
  EXPECT_NE(sr_sink_on_checkpoint(s, 1, &t, &err), SR_SINK_OK);
  EXPECT_NE(std::string(err.message).find("may have been begun"), std::string::npos)
      << err.message;
  EXPECT_EQ(emu.label_state("eo", label("inst_l", 0)), "PREPARE");
  EXPECT_EQ(sr_sink_close(s, &err), SR_SINK_OK) << err.message;
  EXPECT_EQ(emu.label_state("eo", label("inst_l", 0)), "ABORTED");
}

// ---- issue #11 item 7: recovery finds every later label ---------------------------------------

// Checkpoint 1 committed (token kept), 20 checkpoints without rows, then one epoch prepared at
// checkpoint 22; returns checkpoint 1's and checkpoint 22's tokens.
std::pair<std::string, std::string> run_with_quiet_checkpoints(Features* f, sr_sink* s) {
  f->write(s, {row(1, "first")});
  std::string t1 = f->checkpoint(s, 1);
  EXPECT_EQ(sr_sink_commit(s, 1, nullptr), SR_SINK_OK);
  for (int c = 2; c <= 21; ++c) f->checkpoint(s, c);
  f->write(s, {row(2, "later")});
  std::string t22 = f->checkpoint(s, 22);
  return {t1, t22};
}

TEST_F(Features, RestoreAfterTwentyQuietCheckpointsRefusesALaterCommittedCheckpoint) {
  add(h);
  sr_sink* s = open("inst_q");
  auto tokens = run_with_quiet_checkpoints(this, s);
  ASSERT_EQ(sr_sink_commit(s, 22, nullptr), SR_SINK_OK);
  ASSERT_EQ(sr_sink_close(s, nullptr), SR_SINK_OK);
  open("inst_q", tokens.first, SR_SINK_E_RECOVERY);
  EXPECT_NE(last_error.find(labels_of(tokens.second).at(0)), std::string::npos) << last_error;
}

TEST_F(Features, RestoreAfterTwentyQuietCheckpointsRollsBackALaterPreparedLeftover) {
  add(h);
  sr_sink* s = open("inst_p");
  auto tokens = run_with_quiet_checkpoints(this, s);
  const std::string leftover = labels_of(tokens.second).at(0);
  ASSERT_EQ(sr_sink_close(s, nullptr), SR_SINK_OK);  // host dies before checkpoint 22 is durable
  ASSERT_EQ(emu.label_state("eo", leftover), "PREPARED");
  sr_sink* again = open("inst_p", tokens.first);
  EXPECT_EQ(emu.label_state("eo", leftover), "ABORTED");
  EXPECT_EQ(emu.rows("eo", "t"), std::vector<std::string>{row(1, "first")});
  sr_sink_close(again, nullptr);
}

// A 1.0 run (checkpoint-based label ids) left a prepared label 35 ids past the restored one.
std::string leave_prepared_label_at(Features* f, const std::string& inst, int64_t id) {
  sr_sink* s = f->open(inst, v1_token(inst, id - 1));  // its next label id is `id`
  f->write(s, {row(static_cast<int>(id), "leftover")});
  std::string tok = f->checkpoint(s, id + 100);
  EXPECT_EQ(sr_sink_close(s, nullptr), SR_SINK_OK);
  EXPECT_EQ(labels_of(tok).at(0), label(inst, id));
  return label(inst, id);
}

TEST_F(Features, RestoreFindsALeftoverBeyondTheProbeWindowThroughTheLabelListing) {
  add(h, ",\"recovery_probe_window\":8");
  const std::string leftover = leave_prepared_label_at(this, "inst_v", 40);
  sr_sink* s = open("inst_v", v1_token("inst_v", 5));
  EXPECT_EQ(emu.label_state("eo", leftover), "ABORTED");
  EXPECT_TRUE(h.log.contains("rolling back leftover PREPARED transaction " + leftover)) << h.log.all();
  sr_sink_close(s, nullptr);
}

TEST_F(Features, WithoutTheListingRecoveryProbesRecoveryProbeWindowUnusedIds) {
  add(h, ",\"recovery_probe_window\":8");
  const std::string leftover = leave_prepared_label_at(this, "inst_w", 40);
  // An FE without information_schema.stream_loads over HTTP (before 3.1, or no SQL API).
  ASSERT_GE(emu.add_fault(R"({"point":"schema_sql","action":"http_status","code":404,"times":-1})"), 0);
  sr_sink* s = open("inst_w", v1_token("inst_w", 5));
  EXPECT_EQ(emu.label_state("eo", leftover), "PREPARED");  // 34 unused ids > window 8
  EXPECT_TRUE(h.log.contains("cannot list the labels")) << h.log.all();
  sr_sink_close(s, nullptr);
  srtest::Harness wide;
  ASSERT_TRUE(wide.ok());
  add(wide, ",\"recovery_probe_window\":40");
  s = open("inst_w", v1_token("inst_w", 5), SR_SINK_OK, &wide);
  EXPECT_EQ(emu.label_state("eo", leftover), "ABORTED");
  sr_sink_close(s, nullptr);
}

// ---- issue #11 item 8: transaction loads quote the columns header -----------------------------

TEST_F(Features, TransactionLoadsIntoColumnsNamedLikeKeywordsOrWithSpaces) {
  ASSERT_TRUE(emu.create_table("eo", "kw", R"json([
      {"name":"id","type":"BIGINT","key":true,"nullable":false},
      {"name":"select","type":"VARCHAR(8)"},{"name":"order","type":"INT"},
      {"name":"a b","type":"VARCHAR(8)"}])json"));
  add(h);
  sr_sink* s = open("inst_k", "", SR_SINK_OK, nullptr, "eo.kw", {"id", "select", "order", "a b"});
  ASSERT_NE(s, nullptr);
  write(s, {R"({"id":1,"select":"x","order":2,"a b":"y"})"});
  checkpoint(s, 1);
  sr_sink_error err = srtest::new_error();
  ASSERT_EQ(sr_sink_commit(s, 1, &err), SR_SINK_OK) << err.message;
  EXPECT_EQ(emu.rows("eo", "kw"),
            std::vector<std::string>{R"({"id":1,"select":"x","order":2,"a b":"y"})"});
  sr_sink_close(s, nullptr);
}

// ---- issue #12: sr_sink_commit_token --------------------------------------------------------

// A writer process that prepares checkpoint 1 and is killed before it commits; returns its token.
std::string token_of_killed_writer(Features* f, const std::string& inst, int rows) {
  int fds[2];
  if (pipe(fds) != 0) return "";
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    srtest::Harness child;
    child.add("*", f->options());
    sr_sink* s = nullptr;
    if (child.open("eo.t", {"id", "val"}, &s, nullptr, inst) != SR_SINK_OK) _exit(2);
    std::vector<std::string> batch;
    for (int i = 0; i < rows; ++i) batch.push_back(row(i, "w"));
    if (srtest::write_rows(s, batch) != SR_SINK_OK) _exit(3);
    sr_sink_token t{};
    t.struct_size = sizeof t;
    if (sr_sink_on_checkpoint(s, 1, &t, nullptr) != SR_SINK_OK) _exit(4);
    if (write(fds[1], t.data, t.len) != static_cast<ssize_t>(t.len)) _exit(5);
    close(fds[1]);
    raise(SIGKILL);  // the host dies: no commit, no close
  }
  close(fds[1]);
  std::string tok;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) tok.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status)) << "writer exit status " << status;
  return tok;
}

TEST_F(Features, ACommitterWithNoSinkCommitsTheTokenOfAKilledWriterTwiceIsOk) {
  std::string tok = token_of_killed_writer(this, "inst_t", 3);
  ASSERT_FALSE(tok.empty());
  const std::string lbl = labels_of(tok).at(0);
  EXPECT_EQ(emu.label_state("eo", lbl), "PREPARED");
  add(h);
  std::string msg;
  ASSERT_EQ(commit_token(h, tok, &msg), SR_SINK_OK) << msg;
  EXPECT_EQ(emu.label_state("eo", lbl), "VISIBLE");
  EXPECT_EQ(emu.rows("eo", "t").size(), 3u);
  EXPECT_EQ(commit_token(h, tok, &msg), SR_SINK_OK) << msg;  // idempotent
  EXPECT_EQ(emu.rows("eo", "t").size(), 3u);
}

TEST_F(Features, CommittingAnExpiredTokenIsRecoveryNamingTheCheckpoint) {
  srtest::Emulator short_lived({"--prepared-transaction-default-timeout-second", "60"});
  ASSERT_TRUE(short_lived.start()) << short_lived.error();
  ASSERT_TRUE(short_lived.create_table("eo", "t", kColumns));
  srtest::Harness w;
  ASSERT_EQ(w.add("*", "{\"http_url\":\"" + short_lived.fe_url() + "\",\"label_prefix\":\"ip\"}"),
            SR_SINK_OK);
  sr_sink* s = open("inst_x", "", SR_SINK_OK, &w);
  write(s, {row(1, "a")});
  std::string tok = checkpoint(s, 7);
  ASSERT_EQ(sr_sink_close(s, nullptr), SR_SINK_OK);
  ASSERT_TRUE(short_lived.advance_clock(3600));
  std::string msg;
  EXPECT_EQ(commit_token(w, tok, &msg), SR_SINK_E_RECOVERY);
  EXPECT_NE(msg.find("checkpoint 7"), std::string::npos) << msg;
}

TEST_F(Features, ConcurrentCommitsOfOneTokenAllSucceedAndCommitOnce) {
  std::string tok = token_of_killed_writer(this, "inst_m", 5);
  ASSERT_FALSE(tok.empty());
  add(h);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  std::vector<std::string> errors(8);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      if (commit_token(h, tok, &errors[i]) == SR_SINK_OK) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8) << errors[0] << " | " << errors[7];
  EXPECT_EQ(emu.label_state("eo", labels_of(tok).at(0)), "VISIBLE");
  EXPECT_EQ(emu.stat({"labels", "eo", labels_of(tok).at(0).c_str(), "commits"}), 1);
  EXPECT_EQ(emu.rows("eo", "t").size(), 5u);
}

TEST_F(Features, CommitTokenRunsConcurrentlyWithAWriterOfTheSameTable) {
  std::string tok = token_of_killed_writer(this, "inst_a", 2);
  ASSERT_FALSE(tok.empty());
  add(h);
  sr_sink* writer = open("inst_b");
  std::atomic<bool> stop{false};
  std::thread committer([&] {
    std::string msg;
    for (int i = 0; i < 20 && !stop; ++i) EXPECT_EQ(commit_token(h, tok, &msg), SR_SINK_OK) << msg;
  });
  for (int c = 1; c <= 10; ++c) {
    write(writer, {row(100 + c, "b")});
    checkpoint(writer, c);
    ASSERT_EQ(sr_sink_commit(writer, c, nullptr), SR_SINK_OK);
  }
  stop = true;
  committer.join();
  EXPECT_EQ(emu.label_state("eo", labels_of(tok).at(0)), "VISIBLE");
  EXPECT_EQ(emu.rows("eo", "t").size(), 12u);
  sr_sink_close(writer, nullptr);
}

TEST_F(Features, CommitTokenWithoutARegistrationForItsTableIsNoRoute) {
  std::string tok = token_of_killed_writer(this, "inst_r", 1);
  ASSERT_EQ(h.add("other.*", options()), SR_SINK_OK);
  std::string msg;
  EXPECT_EQ(commit_token(h, tok, &msg), SR_SINK_E_NO_ROUTE);
  EXPECT_NE(msg.find("eo.t"), std::string::npos) << msg;
}

}  // namespace
