// Glob matching of "db.table" (abi/sr_sink.h at sr_sink_connector_add_sink).
#include <gtest/gtest.h>

#include <string>

#include "glob.h"

namespace srs {
namespace {

TEST(Glob, StarMatchesEveryTableIncludingTheDot) {
  EXPECT_TRUE(glob_match("*", "shop.orders"));
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_TRUE(glob_match("shop.*", "shop.orders"));
  EXPECT_TRUE(glob_match("*.orders", "shop.orders"));
  EXPECT_TRUE(glob_match("s*s", "shop.orders"));
  EXPECT_FALSE(glob_match("shop.*", "shopx.orders"));
  EXPECT_FALSE(glob_match("*.orders", "shop.orders2"));
}

TEST(Glob, LiteralPatternsMatchExactlyAndCaseSensitively) {
  EXPECT_TRUE(glob_match("shop.orders", "shop.orders"));
  EXPECT_FALSE(glob_match("shop.orders", "shop.Orders"));
  EXPECT_FALSE(glob_match("shop.orders", "shop.order"));
  EXPECT_FALSE(glob_match("shop.order", "shop.orders"));
  EXPECT_FALSE(glob_match("Shop.*", "shop.orders"));
}

TEST(Glob, QuestionMarkMatchesExactlyOneCharacter) {
  EXPECT_TRUE(glob_match("shop.t?", "shop.t1"));
  EXPECT_FALSE(glob_match("shop.t?", "shop.t"));
  EXPECT_FALSE(glob_match("shop.t?", "shop.t12"));
  EXPECT_TRUE(glob_match("????", "a.bc"));
}

TEST(Glob, BracketClassesSetsRangesAndNegation) {
  EXPECT_TRUE(glob_match("shop.t[123]", "shop.t2"));
  EXPECT_FALSE(glob_match("shop.t[123]", "shop.t4"));
  EXPECT_TRUE(glob_match("shop.t[0-9]", "shop.t7"));
  EXPECT_FALSE(glob_match("shop.t[0-9]", "shop.tx"));
  EXPECT_TRUE(glob_match("shop.t[a-cx-z]", "shop.ty"));
  EXPECT_FALSE(glob_match("shop.t[a-cx-z]", "shop.td"));
  EXPECT_TRUE(glob_match("shop.t[!0-9]", "shop.tx"));
  EXPECT_FALSE(glob_match("shop.t[!0-9]", "shop.t5"));
  EXPECT_FALSE(glob_match("shop.t[0-9]", "shop.t"));
  EXPECT_FALSE(glob_match("[a-z]", "A"));
}

TEST(Glob, BracketEdgeCases) {
  EXPECT_TRUE(glob_match("[]]", "]"));         // ']' first is a member
  EXPECT_TRUE(glob_match("[!]]", "a"));
  EXPECT_FALSE(glob_match("[!]]", "]"));
  EXPECT_TRUE(glob_match("[a-]", "-"));        // '-' last is a member
  EXPECT_TRUE(glob_match("[-a]", "-"));
  EXPECT_TRUE(glob_match("[*?]", "*"));        // specials are literal inside brackets
  EXPECT_FALSE(glob_match("[*?]", "x"));
  EXPECT_TRUE(glob_match("[.]", "."));
}

TEST(Glob, StarsBacktrack) {
  EXPECT_TRUE(glob_match("*a*b*c", "xxaxxbxxbxc"));
  EXPECT_FALSE(glob_match("*a*b*c", "xxaxxbxxbx"));
  EXPECT_TRUE(glob_match("a**b", "ab"));
  EXPECT_TRUE(glob_match("*[0-9]", "shop.t9"));
  EXPECT_TRUE(glob_match("*.t?", "a.b.t1"));
  EXPECT_FALSE(glob_match("", "x"));
  EXPECT_TRUE(glob_match("", ""));
}

TEST(Glob, PathologicalPatternDoesNotBlowUp) {
  // Exponential for naive recursion; linear-ish for the backtracking matcher.
  std::string text(20000, 'a');
  std::string pattern;
  for (int i = 0; i < 50; ++i) pattern += "*a";
  pattern += "b";
  EXPECT_FALSE(glob_match(pattern, text));
  EXPECT_TRUE(glob_match(pattern.substr(0, pattern.size() - 1), text));
}

TEST(Glob, ValidationRejectsEmptyAndUnterminatedBrackets) {
  EXPECT_TRUE(validate_glob("*").ok());
  EXPECT_TRUE(validate_glob("shop.t[0-9]").ok());
  EXPECT_TRUE(validate_glob("[]]").ok());
  Status s = validate_glob("");
  EXPECT_EQ(s.code(), SR_SINK_E_CONFIG);
  EXPECT_NE(s.message().find("empty"), std::string::npos);
  s = validate_glob("shop.t[0-9");
  EXPECT_EQ(s.code(), SR_SINK_E_CONFIG);
  EXPECT_NE(s.message().find("unterminated '['"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("shop.t[0-9"), std::string::npos);
  EXPECT_EQ(validate_glob("[]").code(), SR_SINK_E_CONFIG);
  EXPECT_EQ(validate_glob("[!").code(), SR_SINK_E_CONFIG);
}

TEST(Glob, ValidationRejectsReversedRanges) {
  Status s = validate_glob("t[z-a]");
  EXPECT_EQ(s.code(), SR_SINK_E_CONFIG);
  EXPECT_NE(s.message().find("reversed range `z-a`"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace srs
