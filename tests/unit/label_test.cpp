// Labels: ^[-\w]{1,128}$ (spec §3.7), scheme of ARCHITECTURE.md §2 / spec §4.9.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "label.h"

namespace srs {
namespace {

bool matches_starrocks_regex(const std::string& label) {
  static const std::regex re("^[-\\w]{1,128}$");
  return std::regex_match(label, re);
}

TEST(Label, ValidityFollowsTheStarRocksRegex) {
  EXPECT_TRUE(is_valid_label("a"));
  EXPECT_TRUE(is_valid_label("sr_sink-orders-0123-7"));
  EXPECT_TRUE(is_valid_label(std::string(128, 'x')));
  EXPECT_FALSE(is_valid_label(""));
  EXPECT_FALSE(is_valid_label(std::string(129, 'x')));
  EXPECT_FALSE(is_valid_label("a.b"));
  EXPECT_FALSE(is_valid_label("a b"));
  EXPECT_FALSE(is_valid_label("a/b"));
  EXPECT_FALSE(is_valid_label("é"));
}

TEST(Label, SanitizeKeepsCleanPartsAsIs) {
  EXPECT_EQ(sanitize_label_part("orders_2024-x", 64), "orders_2024-x");
}

TEST(Label, SanitizeReplacesForeignCharactersAndAddsAHash) {
  std::string a = sanitize_label_part("job1/op3/subtask0", 64);
  EXPECT_EQ(a.rfind("job1_op3_subtask0_", 0), 0u) << a;
  EXPECT_TRUE(is_valid_label(a));
  // Same text after replacement, different original → different parts.
  EXPECT_NE(sanitize_label_part("a.b", 64), sanitize_label_part("a/b", 64));
  EXPECT_NE(sanitize_label_part("a.b", 64), sanitize_label_part("a_b", 64));
}

TEST(Label, SanitizeShortensLongPartsKeepingThemDistinct) {
  std::string a(200, 'a'), b(200, 'a');
  b[199] = 'b';
  std::string sa = sanitize_label_part(a, 40), sb = sanitize_label_part(b, 40);
  EXPECT_EQ(sa.size(), 40u);
  EXPECT_EQ(sb.size(), 40u);
  EXPECT_NE(sa, sb);
  EXPECT_TRUE(is_valid_label(sa));
  EXPECT_LE(sanitize_label_part(a, 5).size(), 5u);
}

TEST(Label, SanitizeIsDeterministic) {
  EXPECT_EQ(sanitize_label_part("db.table", 20), sanitize_label_part("db.table", 20));
}

TEST(Label, RunIdIs16LowercaseHexAndRandom) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string id = new_run_id();
    ASSERT_EQ(id.size(), 16u);
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(Label, WatermarkLabelIsPrefixTableRunSeq) {
  EXPECT_EQ(watermark_label("sr_sink", "orders", "0123456789abcdef", 42),
            "sr_sink-orders-0123456789abcdef-42");
}

TEST(Label, TxnLabelIsPrefixTableInstanceCheckpoint) {
  EXPECT_EQ(txn_label("sr_sink", "orders", "subtask0", 7), "sr_sink-orders-subtask0-7");
}

TEST(Label, TxnLabelIsDeterministic) {
  EXPECT_EQ(txn_label("p", "orders", "job1/op3/subtask0", 9), txn_label("p", "orders", "job1/op3/subtask0", 9));
}

TEST(Label, LabelsStayWithin128CharactersAndMatchTheRegex) {
  const std::string huge(1000, 'x');
  const std::string prefix32(32, 'p');
  for (const std::string& table : {std::string("t"), huge, std::string("db.t-1"), std::string(90, 'y')}) {
    for (const std::string& inst : {std::string(""), std::string("i"), huge, std::string("a/b c.d")}) {
      for (int64_t ckpt : {int64_t{0}, int64_t{1}, INT64_MAX, INT64_MIN, int64_t{-5}}) {
        std::string l = txn_label(prefix32, table, inst, ckpt);
        EXPECT_LE(l.size(), 128u) << l;
        EXPECT_TRUE(matches_starrocks_regex(l)) << l;
      }
    }
    std::string w = watermark_label(prefix32, table, new_run_id(), UINT64_MAX);
    EXPECT_LE(w.size(), 128u) << w;
    EXPECT_TRUE(matches_starrocks_regex(w)) << w;
  }
}

TEST(Label, TxnLabelsOfDistinctInputsAreDistinct) {
  std::set<std::string> labels;
  int n = 0;
  const std::string long_a(300, 'a');
  std::string long_b = long_a;
  long_b[150] = 'b';  // differs in the middle, beyond any truncation point
  for (const std::string& table : {std::string("t"), std::string("t-1"), std::string("t_1"), std::string("t.1"),
                                   long_a, long_b}) {
    for (const std::string& inst : {std::string("i"), std::string("1-i"), std::string("i/0"), std::string("i_0"),
                                    long_a, long_b}) {
      for (int64_t ckpt : {int64_t{1}, int64_t{-1}, int64_t{11}}) {
        labels.insert(txn_label("p", table, inst, ckpt));
        ++n;
      }
    }
  }
  EXPECT_EQ(labels.size(), static_cast<size_t>(n));
}

TEST(Label, DashesInsidePartsCannotShiftTheBoundaries) {
  // "a-b" + "c" and "a" + "b-c" would both read "a-b-c" without care.
  EXPECT_NE(txn_label("p", "a-b", "c", 1), txn_label("p", "a", "b-c", 1));
  EXPECT_NE(txn_label("p", "t", "i", -1), txn_label("p", "t", "i-", 1));
}

TEST(Label, NegativeCheckpointIdsGiveValidLabels) {
  std::string l = txn_label("p", "t", "i", -3);
  EXPECT_TRUE(is_valid_label(l)) << l;
  EXPECT_NE(l, txn_label("p", "t", "i", 3));
}

}  // namespace
TEST(Label, ATxnLabelParsesBackToItsIdForItsInstanceOnly) {
  const std::string long_inst(200, 'x');
  for (int64_t id : {int64_t{0}, int64_t{7}, int64_t{123456789}, (int64_t{1} << 53) - 1}) {
    int64_t got = -1;
    EXPECT_TRUE(srs::parse_txn_label_id(srs::txn_label("p", "orders", "job/1", id), "p", "orders",
                                        "job/1", &got));
    EXPECT_EQ(got, id);
    EXPECT_TRUE(srs::parse_txn_label_id(srs::txn_label("p", "orders", long_inst, id), "p",
                                        "orders", long_inst, &got));
    EXPECT_EQ(got, id);
  }
  int64_t got = -1;
  const std::string l = srs::txn_label("p", "orders", "job/1", 5);
  EXPECT_FALSE(srs::parse_txn_label_id(l, "p", "orders", "job/2", &got));
  EXPECT_FALSE(srs::parse_txn_label_id(l, "q", "orders", "job/1", &got));
  EXPECT_FALSE(srs::parse_txn_label_id(l, "p", "items", "job/1", &got));
  EXPECT_FALSE(srs::parse_txn_label_id("p-orders-job_1-x5", "p", "orders", "job/1", &got));
  EXPECT_FALSE(srs::parse_txn_label_id(srs::txn_label("p", "orders", "job/1", -3), "p", "orders",
                                       "job/1", &got));
  EXPECT_EQ(got, -1);
}

}  // namespace srs
