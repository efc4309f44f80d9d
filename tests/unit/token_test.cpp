// Commit token versions and sr_sink_token_inspect's decoding (token.h).
#include <gtest/gtest.h>

#include <string>

#include "sr_sink.h"
#include "token.h"

namespace {

const char* kV1 =
    R"({"v":1,"mode":"on_checkpoint","db":"shop","table":"orders","instance_id":"i",)"
    R"("prefix":"p","checkpoint_id":7,"txns":[{"checkpoint_id":6,"label":"p-orders-i-5"},)"
    R"({"checkpoint_id":7,"label":"p-orders-i-7"}]})";

TEST(TokenVersions, AV1TokenOfLibrary10StillRestoresWithItsCheckpointAsLastLabelId) {
  auto t = srs::decode_token(kV1);
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->version, 1);
  EXPECT_EQ(t->checkpoint_id, 7);
  EXPECT_EQ(t->label_id, 7);  // 1.0 label ids were <= the checkpoint id
  EXPECT_EQ(t->txns.size(), 2u);
}

TEST(TokenVersions, NewTokensAreV2CarryingTheLastLabelId) {
  srs::CommitToken t;
  t.db = "shop";
  t.table = "orders";
  t.instance_id = "i";
  t.prefix = "p";
  t.checkpoint_id = 40;
  t.label_id = 3;
  t.txns = {{40, "p-orders-i-3"}};
  std::string s = srs::encode_token(t);
  EXPECT_NE(s.find("\"v\":2"), std::string::npos) << s;
  EXPECT_NE(s.find("\"label_id\":3"), std::string::npos) << s;
  auto back = srs::decode_token(s);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->label_id, 3);
  EXPECT_EQ(back->version, 2);
  t.label_id = -1;  // no transaction begun yet
  t.txns.clear();
  back = srs::decode_token(srs::encode_token(t));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->label_id, -1);
}

TEST(TokenVersions, AV2TokenNeedsALabelIdAndAV1TokenMayNotHaveOne) {
  auto missing = srs::decode_token(
      R"({"v":2,"mode":"on_checkpoint","db":"d","table":"t","instance_id":"i","prefix":"p",)"
      R"("checkpoint_id":1,"txns":[]})");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("label_id"), std::string::npos);
  auto extra = srs::decode_token(
      R"({"v":1,"mode":"on_checkpoint","db":"d","table":"t","instance_id":"i","prefix":"p",)"
      R"("checkpoint_id":1,"label_id":1,"txns":[]})");
  ASSERT_FALSE(extra.ok());
  EXPECT_NE(extra.status().message().find("unknown key `label_id`"), std::string::npos);
  auto bad = srs::decode_token(
      R"({"v":2,"mode":"on_checkpoint","db":"d","table":"t","instance_id":"i","prefix":"p",)"
      R"("checkpoint_id":1,"label_id":-2,"txns":[]})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), SR_SINK_E_RECOVERY);
}

TEST(TokenInspect, ReportsModeCheckpointAndTransactionsOfAnOnCheckpointToken) {
  auto i = srs::inspect_token(kV1);
  ASSERT_TRUE(i.ok()) << i.status().message();
  EXPECT_FALSE(i->on_watermark);
  EXPECT_EQ(i->checkpoint_id, 7);
  EXPECT_EQ(i->n_transactions, 2u);
}

TEST(TokenInspect, ReadsTheTokenOfAnOnWatermarkSink) {
  auto i = srs::inspect_token(R"({"v":1,"mode":"on_watermark","checkpoint_id":12,"txns":[]})");
  ASSERT_TRUE(i.ok()) << i.status().message();
  EXPECT_TRUE(i->on_watermark);
  EXPECT_EQ(i->checkpoint_id, 12);
  EXPECT_EQ(i->n_transactions, 0u);
}

TEST(TokenInspect, RejectsWhatIsNotATokenNamingWhy) {
  struct Case {
    const char* json;
    const char* why;
  } cases[] = {
      {"not json", "not a JSON object"},
      {R"({"v":1,"mode":"on_watermark","checkpoint_id":1,"txns":[{"x":1}]})", "empty array"},
      {R"({"v":1,"mode":"on_watermark","checkpoint_id":1.5,"txns":[]})", "checkpoint_id"},
      {R"({"v":1,"mode":"on_watermark","checkpoint_id":1,"txns":[],"more":1})", "unknown key"},
      {R"({"v":9,"mode":"on_checkpoint"})", "unsupported version"},
      {R"({"v":1,"mode":"other"})", "on_checkpoint"},
  };
  for (const Case& c : cases) {
    auto i = srs::inspect_token(c.json);
    ASSERT_FALSE(i.ok()) << c.json;
    EXPECT_EQ(i.status().code(), SR_SINK_E_RECOVERY) << c.json;
    EXPECT_NE(i.status().message().find(c.why), std::string::npos)
        << c.json << ": " << i.status().message();
  }
}

}  // namespace
