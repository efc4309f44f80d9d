// Unit tests of the on_checkpoint decisions against an in-memory StarRocks (fake_starrocks.h):
// the commit token codec, the settled transaction steps, the driver's epochs and recovery.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "fake_starrocks.h"
#include "label.h"
#include "options.h"
#include "token.h"
#include "txn_driver.h"
#include "txn_recovery.h"
#include "txn_steps.h"

namespace srs_test {
namespace {

using srs::CommitToken;
using srs::PreparedTxn;

// ---- commit token ----------------------------------------------------------------------------

CommitToken sample_token() {
  return CommitToken{"shop", "orders", "job1/op3/0", "sr_sink", 42,
                     {{41, "sr_sink-orders-a-41"}, {42, "sr_sink-orders-a-42"}}};
}

TEST(CommitToken, RoundTripsEveryField) {
  CommitToken t = sample_token();
  auto back = srs::decode_token(srs::encode_token(t));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->db, "shop");
  EXPECT_EQ(back->table, "orders");
  EXPECT_EQ(back->instance_id, "job1/op3/0");
  EXPECT_EQ(back->prefix, "sr_sink");
  EXPECT_EQ(back->checkpoint_id, 42);
  EXPECT_EQ(back->txns, t.txns);
}

TEST(CommitToken, IsVersionedJson) {
  std::string s = srs::encode_token(sample_token());
  EXPECT_EQ(s.rfind("{\"v\":2,\"mode\":\"on_checkpoint\"", 0), 0u) << s;
}

TEST(CommitToken, LargestExactCheckpointIdSurvives) {
  CommitToken t = sample_token();
  t.checkpoint_id = srs::kMaxTokenCheckpointId;
  auto back = srs::decode_token(srs::encode_token(t));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->checkpoint_id, srs::kMaxTokenCheckpointId);
}

void expect_rejected(const std::string& json, const std::string& fragment) {
  auto r = srs::decode_token(json);
  ASSERT_FALSE(r.ok()) << json;
  EXPECT_EQ(r.status().code(), SR_SINK_E_RECOVERY);
  EXPECT_NE(r.status().message().find(fragment), std::string::npos) << r.status().message();
}

const char* kHead =
    R"({"v":1,"mode":"on_checkpoint","db":"shop","table":"orders","instance_id":"i","prefix":"p",)";

TEST(CommitToken, RejectsWhatIsNotAValidV1Token) {
  expect_rejected("not json", "not a JSON object");
  const std::string head(kHead);
  expect_rejected(head + R"("checkpoint_id":3,"txns":[],"extra":1})", "unknown key `extra`");
  expect_rejected(R"({"v":3,"mode":"on_checkpoint"})", "unsupported version");
  expect_rejected(R"({"v":1,"mode":"on_watermark"})", "on_watermark");
  expect_rejected(head + R"("checkpoint_id":-1,"txns":[]})", "checkpoint_id");
  expect_rejected(head + R"("checkpoint_id":1.5,"txns":[]})", "checkpoint_id");
  expect_rejected(head + R"("checkpoint_id":3,"txns":[{"checkpoint_id":4,"label":"l4"}]})",
                  "after the token's checkpoint 3");
  expect_rejected(head + R"("checkpoint_id":3,"txns":[{"checkpoint_id":2,"label":"a"},)"
                         R"({"checkpoint_id":1,"label":"b"}]})",
                  "increasing checkpoint order");
  expect_rejected(head + R"("checkpoint_id":3,"txns":[{"checkpoint_id":2,"label":"bad label!"}]})",
                  "txns[0].label");
  expect_rejected(R"({"v":1,"mode":"on_checkpoint","db":"","table":"t","instance_id":"i",)"
                  R"("prefix":"p","checkpoint_id":1,"txns":[]})",
                  "`db`");
}

TEST(CommitToken, BelongsToOneTableAndInstance) {
  CommitToken t = sample_token();
  EXPECT_TRUE(srs::check_token_owner(t, "shop", "orders", "job1/op3/0").ok());
  srs::Status s = srs::check_token_owner(t, "shop", "users", "job1/op3/0");
  EXPECT_EQ(s.code(), SR_SINK_E_RECOVERY);
  EXPECT_NE(s.message().find("shop.orders"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("shop.users"), std::string::npos) << s.message();
  s = srs::check_token_owner(t, "shop", "orders", "job2");
  EXPECT_EQ(s.code(), SR_SINK_E_RECOVERY);
  EXPECT_NE(s.message().find("instance_id `job1/op3/0`"), std::string::npos) << s.message();
}

// ---- driver over the fake --------------------------------------------------------------------

class TxnDriverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    opts.retry_backoff_ms = 1;
    opts.max_retries = 3;
    opts.label_prefix = "pre";
    ctx.options = &opts;
    ctx.counters = &counters;
    ctx.cancelled = &cancelled;
    ctx.db = "shop";
    ctx.table = "orders";
    ctx.columns = {"id", "name"};
    ctx.instance_id = "inst";
  }
  std::unique_ptr<srs::ModeDriver> driver() {
    FakeOps** slot = &ops;
    FakeStarRocks* s = &sr;
    bool list = ops_can_list;
    return srs::make_txn_driver_with_ops(ctx, [slot, s, list](const srs::SinkContext&) {
      auto o = std::make_unique<FakeOps>(s);
      o->can_list = list;
      *slot = o.get();
      return o;
    });
  }
  std::string label(int64_t id, const std::string& prefix = "pre") {
    return srs::txn_label(prefix, "orders", "inst", id);
  }
  srs::Status load(srs::ModeDriver& d, const std::string& rows) {
    StringBody b(rows);
    return d.send_load(b);
  }
  std::string checkpoint(srs::ModeDriver& d, int64_t id) {
    auto r = d.on_checkpoint(id);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r.value() : "";
  }
  CommitToken parse(const std::string& tok) {
    auto r = srs::decode_token(tok);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r.value() : CommitToken{};
  }

  srs::Options opts;
  srs::SinkContext ctx;
  srs::SinkCounters counters;
  std::atomic<bool> cancelled{false};
  FakeStarRocks sr;
  FakeOps* ops = nullptr;
  bool ops_can_list = false;  // the next driver()'s StarRocks can list labels
};

TEST_F(TxnDriverTest, EpochIsOneTransactionPreparedAtCheckpointAndCommittedAtCommit) {
  auto d = driver();
  ASSERT_TRUE(d->open("").ok());
  ASSERT_TRUE(load(*d, "{\"id\":1,\"__op\":0}\n").ok());
  ASSERT_TRUE(load(*d, "{\"id\":2,\"__op\":0}\n").ok());
  EXPECT_EQ(sr.state(label(0)), "PREPARE");
  CommitToken t = parse(checkpoint(*d, 1));
  EXPECT_EQ(sr.state(label(0)), "PREPARED");
  ASSERT_EQ(t.txns.size(), 1u);
  EXPECT_EQ(t.txns[0], (PreparedTxn{1, label(0)}));
  EXPECT_EQ(t.checkpoint_id, 1);
  ASSERT_TRUE(d->commit(1).ok());
  EXPECT_EQ(sr.state(label(0)), "VISIBLE");
  EXPECT_EQ(sr.txns[label(0)].data, "{\"id\":1,\"__op\":0}\n{\"id\":2,\"__op\":0}\n");
  EXPECT_EQ(counters.txns_begun.load(), 1u);
  EXPECT_EQ(counters.txns_committed.load(), 1u);
  EXPECT_EQ(counters.loads.load(), 2u);
}

TEST_F(TxnDriverTest, EpochWithoutRowsOpensNoTransaction) {
  auto d = driver();
  ASSERT_TRUE(d->open("").ok());
  CommitToken t = parse(checkpoint(*d, 1));
  EXPECT_TRUE(t.txns.empty());
  for (const std::string& c : sr.calls) {
    EXPECT_TRUE(c.rfind("state ", 0) == 0 || c == "list") << c;  // recovery looks only
  }
}

TEST_F(TxnDriverTest, LabelIdsAreDenseAndPendingIsCarried) {
  auto d = driver();
  ASSERT_TRUE(d->open("").ok());
  ASSERT_TRUE(load(*d, "a\n").ok());
  checkpoint(*d, 10);
  checkpoint(*d, 11);  // quiet epochs take no label id
  ASSERT_TRUE(load(*d, "b\n").ok());  // written while checkpoint 10 waits for its commit
  EXPECT_EQ(sr.state(label(1)), "PREPARE");
  CommitToken t = parse(checkpoint(*d, 20));
  ASSERT_EQ(t.txns.size(), 2u);
  EXPECT_EQ(t.txns[0], (PreparedTxn{10, label(0)}));
  EXPECT_EQ(t.txns[1], (PreparedTxn{20, label(1)}));
  EXPECT_EQ(t.label_id, 1);
  ASSERT_TRUE(d->commit(10).ok());
  EXPECT_EQ(sr.state(label(0)), "VISIBLE");
  EXPECT_EQ(sr.state(label(1)), "PREPARED");
  EXPECT_EQ(parse(checkpoint(*d, 30)).txns.size(), 1u);  // 20's still pending, 10's dropped
  ASSERT_TRUE(d->commit(30).ok());
  EXPECT_EQ(sr.state(label(1)), "VISIBLE");
}

TEST_F(TxnDriverTest, CheckpointIdsMustIncrease) {
  auto d = driver();
  ASSERT_TRUE(d->open("").ok());
  checkpoint(*d, 5);
  EXPECT_EQ(d->on_checkpoint(5).status().code(), SR_SINK_E_INVALID_ARGUMENT);
  EXPECT_EQ(d->on_checkpoint(-3).status().code(), SR_SINK_E_INVALID_ARGUMENT);
}

TEST_F(TxnDriverTest, OpenRequiresInstanceId) {
  ctx.instance_id = "";
  auto d = driver();
  srs::Status s = d->open("");
  EXPECT_EQ(s.code(), SR_SINK_E_INVALID_ARGUMENT);
  EXPECT_NE(s.message().find("instance_id"), std::string::npos);
}

TEST_F(TxnDriverTest, PrepareTxnNotExistsWithStatePreparedIsSuccess) {
  auto d = driver();
  ASSERT_TRUE(d->open("").ok());
  ASSERT_TRUE(load(*d, "a\n").ok());
  sr.push("prepare", answer(Outcome::kTxnNotExists, "TXN_NOT_EXISTS"), /*apply=*/true);
  CommitToken t = parse(checkpoint(*d, 1));
  EXPECT_EQ(t.txns.size(), 1u);
  EXPECT_EQ(sr.state(label(0)), "PREPARED");
}

TEST_F(TxnDriverTest, PrepareTxnInProcessingIsRetried) {
  auto d = driver();
  ASSERT_TRUE(d->open("").ok());
  ASSERT_TRUE(load(*d, "a\n").ok());
  sr.push("prepare", answer(Outcome::kTxnInProcessing, "TXN_IN_PROCESSING"));
  CommitToken t = parse(checkpoint(*d, 1));
  EXPECT_EQ(t.txns.size(), 1u);
  EXPECT_EQ(sr.state(label(0)), "PREPARED");
}

TEST_F(TxnDriverTest, LoadTxnInProcessingIsResentOnce) {
  auto d = driver();
  ASSERT_TRUE(d->open("").ok());
  sr.push("load", answer(Outcome::kTxnInProcessing, "TXN_IN_PROCESSING"));
  ASSERT_TRUE(load(*d, "a\n").ok());
  EXPECT_EQ(sr.txns[label(0)].data, "a\n");
}

TEST_F(TxnDriverTest, CommitPublishTimeoutWhileVisibleIsSuccess) {
  auto d = driver();
  ASSERT_TRUE(d->open("").ok());
  ASSERT_TRUE(load(*d, "a\n").ok());
  checkpoint(*d, 1);
  sr.push("commit", answer(Outcome::kPermanent, "FAILED", "publish timeout: 20000"), true);
  EXPECT_TRUE(d->commit(1).ok());
  EXPECT_EQ(sr.txns[label(0)].commits, 1);
}

TEST_F(TxnDriverTest, CommitIsIdempotent) {
  auto d = driver();
  ASSERT_TRUE(d->open("").ok());
  ASSERT_TRUE(load(*d, "a\n").ok());
  checkpoint(*d, 1);
  sr.push("commit", no_answer(true), /*apply=*/true);  // committed, reply lost
  EXPECT_TRUE(d->commit(1).ok());
  EXPECT_TRUE(d->commit(1).ok());
  EXPECT_EQ(sr.txns[label(0)].commits, 1);
}

TEST_F(TxnDriverTest, ExpiredPreparedTransactionIsAnErrorNamingTheCheckpoint) {
  auto d = driver();
  ASSERT_TRUE(d->open("").ok());
  ASSERT_TRUE(load(*d, "a\n").ok());
  checkpoint(*d, 7);
  sr.txns[label(0)].state = "ABORTED";  // prepared_transaction_default_timeout_second passed
  srs::Status s = d->commit(7);
  EXPECT_EQ(s.code(), SR_SINK_E_RECOVERY);
  EXPECT_NE(s.message().find("checkpoint 7 is NOT in StarRocks"), std::string::npos) << s.message();
  EXPECT_EQ(s.label(), label(0));
  // Still named by later tokens: the loss is never forgotten silently.
  EXPECT_EQ(parse(checkpoint(*d, 8)).txns.size(), 1u);
}

TEST_F(TxnDriverTest, FailedLoadRollsBackAndFailsTheSink) {
  auto d = driver();
  ASSERT_TRUE(d->open("").ok());
  ASSERT_TRUE(load(*d, "a\n").ok());
  sr.push("load", no_answer(/*maybe_delivered=*/true));
  srs::Status s = load(*d, "b\n");
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(s.flags() & SR_SINK_ERROR_F_FATAL);
  EXPECT_NE(s.message().find("rolled back"), std::string::npos) << s.message();
  EXPECT_EQ(sr.state(label(0)), "ABORTED");
  EXPECT_FALSE(d->on_checkpoint(1).ok());  // the epoch is incomplete: no token
}

TEST_F(TxnDriverTest, RollbackFallsBackToCancelWhenTheCoordinatorIsGone) {
  auto d = driver();
  ASSERT_TRUE(d->open("").ok());
  ASSERT_TRUE(load(*d, "a\n").ok());
  for (int i = 0; i < 10; ++i) sr.push("rollback", no_answer(false));
  EXPECT_TRUE(d->close().ok());
  EXPECT_EQ(sr.state(label(0)), "ABORTED");
  EXPECT_NE(std::find(sr.calls.begin(), sr.calls.end(), "cancel " + label(0)), sr.calls.end());
}

TEST_F(TxnDriverTest, CloseRollsBackTheOpenEpochAndKeepsPreparedOnes) {
  auto d = driver();
  ASSERT_TRUE(d->open("").ok());
  ASSERT_TRUE(load(*d, "a\n").ok());
  checkpoint(*d, 1);
  ASSERT_TRUE(load(*d, "b\n").ok());
  EXPECT_TRUE(d->close().ok());
  EXPECT_EQ(sr.state(label(0)), "PREPARED");
  EXPECT_EQ(sr.state(label(1)), "ABORTED");
}

TEST_F(TxnDriverTest, AbortRollsBackWhatWasPreparedForThatCheckpoint) {
  auto d = driver();
  ASSERT_TRUE(d->open("").ok());
  ASSERT_TRUE(load(*d, "a\n").ok());
  checkpoint(*d, 1);
  ASSERT_TRUE(load(*d, "b\n").ok());
  checkpoint(*d, 2);
  ASSERT_TRUE(d->abort(2).ok());
  EXPECT_EQ(sr.state(label(1)), "ABORTED");
  EXPECT_EQ(sr.state(label(0)), "PREPARED");
  EXPECT_EQ(parse(checkpoint(*d, 3)).txns.size(), 1u);
}

TEST_F(TxnDriverTest, BeginRollsBackALeftoverWithItsLabel) {
  sr.txns[label(0)].state = "PREPARED";
  sr.txns[label(0)].data = "old\n";
  // Outside the probe window of open(), e.g. after a checkpoint-id gap: begin still cleans up.
  auto d = driver();
  ASSERT_TRUE(d->open("").ok());  // the probe already rolls it back...
  sr.txns[label(0)].state = "PREPARED";  // ...so make it reappear for begin
  ASSERT_TRUE(load(*d, "a\n").ok());
  EXPECT_EQ(sr.txns[label(0)].data, "a\n");
}

TEST_F(TxnDriverTest, BeginOnACommittedLabelIsRefused) {
  auto d = driver();
  ASSERT_TRUE(d->open("").ok());
  sr.txns[label(0)].state = "VISIBLE";
  srs::Status s = load(*d, "a\n");
  EXPECT_EQ(s.code(), SR_SINK_E_RECOVERY);
  EXPECT_NE(s.message().find("already VISIBLE"), std::string::npos) << s.message();
}

// ---- recovery --------------------------------------------------------------------------------

TEST_F(TxnDriverTest, RestoreCommitsTheTokensTransactionsAndContinuesAfterIt) {
  std::string tok;
  {
    auto d = driver();
    ASSERT_TRUE(d->open("").ok());
    ASSERT_TRUE(load(*d, "a\n").ok());
    checkpoint(*d, 1);
    ASSERT_TRUE(load(*d, "b\n").ok());
    tok = checkpoint(*d, 2);  // host stores it, then crashes before commit
  }
  auto d = driver();
  ASSERT_TRUE(d->open(tok).ok());
  EXPECT_EQ(sr.state(label(0)), "VISIBLE");
  EXPECT_EQ(sr.state(label(1)), "VISIBLE");
  EXPECT_EQ(counters.txns_committed.load(), 2u);
  ASSERT_TRUE(load(*d, "c\n").ok());
  EXPECT_EQ(sr.state(label(2)), "PREPARE");
  // Restoring the same token again is harmless: commit is idempotent.
  auto d2 = driver();
  EXPECT_TRUE(d2->open(tok).ok());
  EXPECT_EQ(sr.txns[label(0)].commits, 1);
}

TEST_F(TxnDriverTest, RestoreRollsBackLeftoversAcrossGapsInLabelIds) {
  opts.recovery_probe_window = 8;  // no listing (FakeOps cannot list): probing only
  CommitToken t{"shop", "orders", "inst", "pre", 5, {}, 5};
  sr.txns[label(6)].state = "PREPARED";   // first epoch after the checkpoint
  sr.txns[label(14)].state = "PREPARE";   // 8 ids past the last one in use: still probed
  sr.txns[label(23)].state = "PREPARED";  // 9 past: outside the window (begin would clean it)
  auto d = driver();
  ASSERT_TRUE(d->open(srs::encode_token(t)).ok());
  EXPECT_EQ(sr.state(label(6)), "ABORTED");
  EXPECT_EQ(sr.state(label(14)), "ABORTED");
  EXPECT_EQ(sr.state(label(23)), "PREPARED");
}

TEST_F(TxnDriverTest, RestoreProbesTheTokensPrefixAndTheCurrentOne) {
  CommitToken t{"shop", "orders", "inst", "oldpre", 5, {}, 5};
  sr.txns[label(6, "oldpre")].state = "PREPARED";
  sr.txns[label(6, "pre")].state = "PREPARE";
  auto d = driver();
  ASSERT_TRUE(d->open(srs::encode_token(t)).ok());
  EXPECT_EQ(sr.state(label(6, "oldpre")), "ABORTED");
  EXPECT_EQ(sr.state(label(6, "pre")), "ABORTED");
}

TEST_F(TxnDriverTest, RestoreOfAnOlderCheckpointIsRefused) {
  CommitToken t{"shop", "orders", "inst", "pre", 5, {}, 5};
  sr.txns[label(6)].state = "VISIBLE";  // checkpoint 6 was completed and committed
  auto d = driver();
  srs::Status s = d->open(srs::encode_token(t));
  EXPECT_EQ(s.code(), SR_SINK_E_RECOVERY);
  EXPECT_NE(s.message().find("restored checkpoint 5"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(label(6)), std::string::npos) << s.message();
}

TEST_F(TxnDriverTest, RestoreWithAnExpiredTransactionNamesTheLostCheckpoint) {
  CommitToken t{"shop", "orders", "inst", "pre", 5, {{5, label(4)}}, 5};
  sr.txns[label(4)].state = "ABORTED";
  auto d = driver();
  srs::Status s = d->open(srs::encode_token(t));
  EXPECT_EQ(s.code(), SR_SINK_E_RECOVERY);
  EXPECT_NE(s.message().find("checkpoint 5 is NOT in StarRocks"), std::string::npos)
      << s.message();
}

TEST_F(TxnDriverTest, RestoreWithAForgottenLabelCannotConfirmTheData) {
  CommitToken t{"shop", "orders", "inst", "pre", 5, {{5, label(4)}}, 5};
  auto d = driver();
  srs::Status s = d->open(srs::encode_token(t));
  EXPECT_EQ(s.code(), SR_SINK_E_RECOVERY);
  EXPECT_NE(s.message().find("cannot confirm that the data of checkpoint 5"), std::string::npos)
      << s.message();
}

TEST_F(TxnDriverTest, RestoreWithAnotherInstancesTokenIsRefused) {
  CommitToken t{"shop", "orders", "other", "pre", 5, {}, 5};
  auto d = driver();
  srs::Status s = d->open(srs::encode_token(t));
  EXPECT_EQ(s.code(), SR_SINK_E_RECOVERY);
  EXPECT_TRUE(sr.calls.empty());  // nothing touched
}

TEST_F(TxnDriverTest, CancelInterruptsBackoff) {
  opts.retry_backoff_ms = 60000;
  auto d = driver();
  ASSERT_TRUE(d->open("").ok());
  ASSERT_TRUE(load(*d, "a\n").ok());
  checkpoint(*d, 1);
  sr.push("commit", no_answer(false));
  sr.txns[label(0)].state = "PREPARED";
  cancelled = true;
  EXPECT_EQ(d->commit(1).code(), SR_SINK_E_CANCELLED);
}

}  // namespace
}  // namespace srs_test

namespace srs_test {
namespace {

TEST_F(TxnDriverTest, CloseRetriesARollbackThatFailedWhileCancelled) {
  auto d = driver();
  ASSERT_TRUE(d->open("").ok());
  ASSERT_TRUE(load(*d, "a\n").ok());
  // The sink cancels the in-flight load on close: the load and its rollback both fail.
  sr.push("load", no_answer(true));
  for (int i = 0; i < 20; ++i) sr.push("rollback", no_answer(false));
  ops->cancel_fails = true;
  EXPECT_FALSE(load(*d, "b\n").ok());
  EXPECT_EQ(sr.state(label(0)), "PREPARE");
  sr.script["rollback"].clear();
  ops->cancel_fails = false;
  EXPECT_TRUE(d->close().ok());
  EXPECT_EQ(sr.state(label(0)), "ABORTED");
}

}  // namespace
}  // namespace srs_test

namespace srs_test {
namespace {

TEST_F(TxnDriverTest, RestoreRefusesATokenLabelThatALaterRunBeganAgain) {
  CommitToken t{"shop", "orders", "inst", "pre", 5, {{5, label(4)}}, 5};
  sr.txns[label(4)].state = "PREPARE";  // rolled back by a restore of checkpoint 3, then reused
  sr.txns[label(4)].data = "other run's rows\n";
  auto d = driver();
  srs::Status s = d->open(srs::encode_token(t));
  EXPECT_EQ(s.code(), SR_SINK_E_RECOVERY);
  EXPECT_NE(s.message().find("begun again"), std::string::npos) << s.message();
  EXPECT_EQ(sr.state(label(4)), "PREPARE");  // not committed
}

}  // namespace
}  // namespace srs_test

// ---- issue #11: a begin whose outcome is unknown; an exact recovery scan ----------------------

namespace srs_test {
namespace {

TEST_F(TxnDriverTest, ABeginCancelledAfterStarRocksBeganItIsRolledBackAtClose) {
  auto d = driver();
  ASSERT_TRUE(d->open("").ok());
  sr.push("begin", cancelled_call(), /*apply=*/true);
  srs::Status s = load(*d, "a\n");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("may have been begun"), std::string::npos) << s.message();
  EXPECT_EQ(sr.state(label(0)), "PREPARE");  // StarRocks holds it until its timeout...
  EXPECT_TRUE(d->close().ok());
  EXPECT_EQ(sr.state(label(0)), "ABORTED");  // ...unless close rolls it back
}

TEST_F(TxnDriverTest, ABeginWhoseReplyWasLostIsRolledBackAtCloseWhenNotRetried) {
  opts.max_retries = 0;
  auto d = driver();
  ASSERT_TRUE(d->open("").ok());
  sr.push("begin", no_answer(/*maybe_delivered=*/true), /*apply=*/true);
  EXPECT_FALSE(load(*d, "a\n").ok());
  EXPECT_TRUE(d->close().ok());
  EXPECT_EQ(sr.state(label(0)), "ABORTED");
}

TEST_F(TxnDriverTest, ABeginWithAnUnparseableReplyIsRolledBackAtClose) {
  opts.max_retries = 0;
  auto d = driver();
  ASSERT_TRUE(d->open("").ok());
  sr.push("begin", answer(srs::Outcome::kUnknown, ""), /*apply=*/true);
  EXPECT_FALSE(load(*d, "a\n").ok());
  EXPECT_TRUE(d->close().ok());
  EXPECT_EQ(sr.state(label(0)), "ABORTED");
}

TEST_F(TxnDriverTest, ACancelledBeginThatNeverArrivedClosesCleanly) {
  auto d = driver();
  ASSERT_TRUE(d->open("").ok());
  sr.push("begin", cancelled_call(), /*apply=*/false);
  EXPECT_FALSE(load(*d, "a\n").ok());
  EXPECT_TRUE(d->close().ok());  // rollback of a label StarRocks never saw: UNKNOWN is OK
  EXPECT_EQ(sr.state(label(0)), "UNKNOWN");
}

TEST_F(TxnDriverTest, ABeginWhoseConnectionFailedBeforeSendingIsNotRolledBack) {
  opts.max_retries = 0;
  auto d = driver();
  ASSERT_TRUE(d->open("").ok());
  sr.push("begin", no_answer(/*maybe_delivered=*/false));
  EXPECT_FALSE(load(*d, "a\n").ok());
  sr.calls.clear();
  EXPECT_TRUE(d->close().ok());
  EXPECT_TRUE(sr.calls.empty());  // nothing reached StarRocks, nothing to roll back
}

TEST_F(TxnDriverTest, ABeginRefusedOutrightIsNotRolledBack) {
  opts.max_retries = 0;
  auto d = driver();
  ASSERT_TRUE(d->open("").ok());
  sr.push("begin", answer(srs::Outcome::kPermanent, "ANALYSIS_ERROR", "no privilege"));
  srs::Status s = load(*d, "a\n");
  EXPECT_NE(s.message().find("no transaction was opened"), std::string::npos) << s.message();
  sr.calls.clear();
  EXPECT_TRUE(d->close().ok());
  EXPECT_TRUE(sr.calls.empty());
}

TEST_F(TxnDriverTest, RestoreUsesTheListingToFindLeftoversBeyondTheProbeWindow) {
  opts.recovery_probe_window = 8;
  CommitToken t{"shop", "orders", "inst", "pre", 5, {}, 5};
  sr.txns[label(6)].state = "ABORTED";
  sr.txns[label(40)].state = "PREPARED";  // e.g. a 1.0 run's checkpoint-based id
  ops_can_list = true;
  auto d = driver();
  ASSERT_TRUE(d->open(srs::encode_token(t)).ok());
  EXPECT_EQ(sr.state(label(40)), "ABORTED");
}

TEST_F(TxnDriverTest, RestoreWithoutAListingProbesOnlyTheWindow) {
  opts.recovery_probe_window = 8;
  CommitToken t{"shop", "orders", "inst", "pre", 5, {}, 5};
  sr.txns[label(40)].state = "PREPARED";
  auto d = driver();
  ASSERT_TRUE(d->open(srs::encode_token(t)).ok());
  EXPECT_EQ(sr.state(label(40)), "PREPARED");  // documented limit of the fallback
}

TEST_F(TxnDriverTest, RestoreRefusesACommittedLabelTheListingNamesBeyondTheWindow) {
  opts.recovery_probe_window = 8;
  CommitToken t{"shop", "orders", "inst", "pre", 5, {}, 5};
  sr.txns[label(6)].state = "ABORTED";
  sr.txns[label(60)].state = "VISIBLE";
  ops_can_list = true;
  auto d = driver();
  srs::Status s = d->open(srs::encode_token(t));
  EXPECT_EQ(s.code(), SR_SINK_E_RECOVERY);
  EXPECT_NE(s.message().find(label(60)), std::string::npos) << s.message();
}

TEST_F(TxnDriverTest, WithDenseIdsTheDefaultProbeFindsALeftoverAfterManyQuietCheckpoints) {
  std::string tok;
  {
    auto d = driver();
    ASSERT_TRUE(d->open("").ok());
    ASSERT_TRUE(load(*d, "a\n").ok());
    tok = checkpoint(*d, 1);
    ASSERT_TRUE(d->commit(1).ok());
    for (int c = 2; c <= 21; ++c) checkpoint(*d, c);  // 20 quiet checkpoints
    ASSERT_TRUE(load(*d, "b\n").ok());
    checkpoint(*d, 22);  // prepared, then the host dies before its checkpoint is durable
  }
  EXPECT_EQ(sr.state(label(1)), "PREPARED");
  opts.recovery_probe_window = 1;  // even the smallest window: the leftover is the next id
  auto d = driver();
  ASSERT_TRUE(d->open(tok).ok());
  EXPECT_EQ(sr.state(label(1)), "ABORTED");
}

}  // namespace
}  // namespace srs_test
