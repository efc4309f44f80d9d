// Option recovery_probe_window (options.h): its default and range.
#include <gtest/gtest.h>

#include "options.h"

namespace {

srs::Result<srs::Options> parse(const std::string& extra) {
  return srs::parse_options(("{\"http_url\":\"http://fe:8030\"" + extra + "}").c_str());
}

TEST(RecoveryProbeWindow, DefaultsTo100) {
  auto o = parse("");
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_EQ(o->recovery_probe_window, 100);
}

TEST(RecoveryProbeWindow, TakesAPositiveIntegerUpTo100000) {
  auto o = parse(",\"recovery_probe_window\":1");
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_EQ(o->recovery_probe_window, 1);
  for (const char* bad : {"0", "100001", "-3", "2.5", "\"8\""}) {
    auto b = parse(std::string(",\"recovery_probe_window\":") + bad);
    ASSERT_FALSE(b.ok()) << bad;
    EXPECT_EQ(b.status().code(), SR_SINK_E_CONFIG) << bad;
    EXPECT_NE(b.status().message().find("recovery_probe_window"), std::string::npos)
        << b.status().message();
  }
}

}  // namespace
