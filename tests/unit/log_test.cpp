// Secrets never reach the host's log callback or error messages.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "log.h"

namespace srs {
namespace {

TEST(Redact, AuthorizationBasicValueIsMasked) {
  EXPECT_EQ(redact("Authorization: Basic cm9vdDpzM2NyZXQ="), "Authorization: Basic ***");
  EXPECT_EQ(redact("> authorization:Basic cm9vdDpzM2NyZXQ=\r\n> Expect: 100-continue"),
            "> authorization:Basic ***\r\n> Expect: 100-continue");
  EXPECT_EQ(redact(R"({"Authorization":"Basic cm9vdDpzM2NyZXQ=","label":"l"})"),
            R"({"Authorization":"Basic ***","label":"l"})");
  EXPECT_EQ(redact("AUTHORIZATION: Bearer abc.def"), "AUTHORIZATION: Bearer ***");
  EXPECT_EQ(redact("Authorization: cm9vdDpzM2NyZXQ="), "Authorization: ***");
}

TEST(Redact, UserinfoInUrlsIsMasked) {
  EXPECT_EQ(redact("PUT http://root:s3cret@fe:8030/api/db/t/_stream_load failed"),
            "PUT http://***@fe:8030/api/db/t/_stream_load failed");
  EXPECT_EQ(redact("see https://u:p%40ss@h and http://plain:8040/x"), "see https://***@h and http://plain:8040/x");
  EXPECT_EQ(redact("url `http://u:pa/ss?x#@host`"), "url `http://***@host`");
}

TEST(Redact, PasswordValuesAreMasked) {
  EXPECT_EQ(redact(R"({"user":"root","password":"s3cret"})"), R"({"user":"root","password":"***"})");
  EXPECT_EQ(redact(R"({"Password" : "s3\"cr,et", "x":1})"), R"({"Password" : "***", "x":1})");
  EXPECT_EQ(redact("password=s3cret&user=root"), "password=***&user=root");
  EXPECT_EQ(redact(R"("password":"unterminated s3cret)"), R"("password":"***)");
}

TEST(Redact, TextWithoutSecretsIsUnchanged) {
  for (const char* s : {"", "load of shop.orders finished: 10 rows", "the password option is not used",
                        "http://fe:8030/api/x", "user@example.com wrote"}) {
    EXPECT_EQ(redact(s), s);
  }
}

struct Captured {
  std::vector<std::pair<int32_t, std::string>> lines;
};

void capture(void* user_data, int32_t level, const char* message) {
  static_cast<Captured*>(user_data)->lines.emplace_back(level, message);
}

TEST(Logger, DeliversFormattedRedactedLinesUpToTheLevel) {
  Captured c;
  Logger log(capture, &c, SR_SINK_LOG_INFO);
  log.log(SR_SINK_LOG_INFO, "load %s: %d rows via %s", "l1", 5, "http://root:pw@fe:8030");
  log.log(SR_SINK_LOG_DEBUG, "not delivered");
  log.log(SR_SINK_LOG_ERROR, "header Authorization: Basic %s", "cm9vdDpwdw==");
  ASSERT_EQ(c.lines.size(), 2u);
  EXPECT_EQ(c.lines[0].first, SR_SINK_LOG_INFO);
  EXPECT_EQ(c.lines[0].second, "load l1: 5 rows via http://***@fe:8030");
  EXPECT_EQ(c.lines[1].first, SR_SINK_LOG_ERROR);
  EXPECT_EQ(c.lines[1].second, "header Authorization: Basic ***");
}

TEST(Logger, LevelZeroMeansInfo) {
  Captured c;
  Logger log(capture, &c, 0);
  EXPECT_TRUE(log.enabled(SR_SINK_LOG_INFO));
  EXPECT_FALSE(log.enabled(SR_SINK_LOG_DEBUG));
}

TEST(Logger, WithoutCallbackNothingHappens) {
  Logger log;
  EXPECT_FALSE(log.enabled(SR_SINK_LOG_ERROR));
  log.log(SR_SINK_LOG_ERROR, "%s", "dropped");
}

TEST(Logger, LongLinesAreRedactedWholeAndDeliveredAsOneLine) {
  Captured c;
  Logger log(capture, &c, SR_SINK_LOG_DEBUG);
  std::string pad(5000, 'x');
  log.log(SR_SINK_LOG_DEBUG, "%s http://root:TOPSECRET@fe/ tail\n", pad.c_str());
  ASSERT_EQ(c.lines.size(), 1u);
  EXPECT_EQ(c.lines[0].second.find("TOPSECRET"), std::string::npos);
  EXPECT_NE(c.lines[0].second.find("tail"), std::string::npos);
  EXPECT_EQ(c.lines[0].second.back(), 'l');  // trailing newline removed
  log.log(SR_SINK_LOG_INFO, "two\nlines");
  EXPECT_EQ(c.lines[1].second, "two lines");
}

}  // namespace
}  // namespace srs
