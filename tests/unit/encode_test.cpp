// Row validation (exactly one JSON object, RFC 8259, no top-level "__op") and NDJSON encoding.
#include <cjson/cJSON.h>
#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <cstring>
#include <string>
#include <vector>

#include "encode.h"

namespace srs {
namespace {

bool valid(std::string_view row) {
  std::string why;
  return validate_json_object(row, &why);
}

std::string why_invalid(std::string_view row) {
  std::string why;
  EXPECT_FALSE(validate_json_object(row, &why)) << "accepted: " << row;
  return why;
}

TEST(Validate, AcceptsObjectsWithEveryKindOfValue) {
  const char* ok[] = {
      "{}",
      " \t\r\n{ } \n",
      R"({"id":1})",
      R"({"id":-0,"a":0.5,"b":-12.25e+10,"c":1E-3,"d":1e5,"e":123456789012345678901234567890})",
      R"({"s":"","t":"plain","u":"esc \" \\ \/ \b \f \n \r \t","v":"\u00e9\u4E2D\uD83D\uDE00"})",
      R"({"t":true,"f":false,"n":null})",
      R"({"arr":[],"arr2":[1,"a",[2,[3]],{"x":{}}],"o":{"p":{"q":[null]}}})",
      "{\"utf8\":\"h\xC3\xA9llo \xE4\xB8\xAD \xF0\x9F\x98\x80 \xEF\xBF\xBF\"}",
      R"({ "spaced" : [ 1 , 2 ] , "k" : { } })",
      R"({"__op2":1,"_op":0,"nested":{"__op":1}})",  // only the top-level key is reserved
      R"({"a":1,"a":2})",                            // duplicates are JSON-valid
  };
  for (const char* row : ok) {
    std::string why;
    EXPECT_TRUE(validate_json_object(row, &why)) << row << " → " << why;
  }
}

TEST(Validate, RejectsWhatIsNotExactlyOneObject) {
  EXPECT_EQ(why_invalid(""), "empty row at byte 0");
  EXPECT_NE(why_invalid("   ").find("expected '{'"), std::string::npos);
  EXPECT_NE(why_invalid("[1]").find("expected '{'"), std::string::npos);
  EXPECT_NE(why_invalid("1").find("expected '{'"), std::string::npos);
  EXPECT_NE(why_invalid("\"s\"").find("expected '{'"), std::string::npos);
  EXPECT_NE(why_invalid("{}{}").find("unexpected data after the object at byte 2"), std::string::npos);
  EXPECT_NE(why_invalid("{} x").find("unexpected data after the object"), std::string::npos);
  EXPECT_NE(why_invalid("{},").find("unexpected data"), std::string::npos);
}

TEST(Validate, RejectsTopLevelOpKey) {
  std::string why = why_invalid(R"({"id":1,"__op":1})");
  EXPECT_NE(why.find("\"__op\" is reserved"), std::string::npos) << why;
  EXPECT_NE(why.find("at byte 8"), std::string::npos) << why;
  // Escapes decode to the same key on the server.
  EXPECT_NE(why_invalid(R"({"\u005f\u005fop":1})").find("__op"), std::string::npos);
  EXPECT_NE(why_invalid(R"({"_\u005Fo\u0070":1})").find("__op"), std::string::npos);
  EXPECT_TRUE(valid(R"({"\u005f\u005fopx":1})"));
  EXPECT_TRUE(valid(R"({"\n__op":1})"));
}

TEST(Validate, RejectsStructuralErrors) {
  const char* bad[] = {
      "{",  "{\"a\"",  "{\"a\":", "{\"a\":1", "{\"a\":1,", "{\"a\":1,}", "{,}", "{\"a\" 1}",
      "{a:1}", "{'a':1}", "{\"a\":[1,]}", "{\"a\":[1 2]}", "{\"a\":[}", "{\"a\":]}", "{\"a\":{]}",
      "{\"a\":[1}", "{\"a\":{\"b\":1]}", "{\"a\":1}}", "{\"a\":tru}", "{\"a\":True}", "{\"a\":nul}",
      "{\"a\":falsey}", "{\"a\":undefined}", "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\"::1}",
      "{\"a\":1 \"b\":2}",
  };
  for (const char* row : bad) EXPECT_FALSE(valid(row)) << row;
  EXPECT_FALSE(valid(std::string_view("{\"a\":1}\0", 8)));
}

TEST(Validate, RejectsInvalidNumbers) {
  for (const char* n : {"01", "-", "+1", "1.", ".5", "1.e5", "1e", "1e+", "--1", "0x10", "1.5.5", "-01",
                        "1e5.5"}) {
    std::string row = std::string("{\"a\":") + n + "}";
    EXPECT_FALSE(valid(row)) << row;
  }
}

TEST(Validate, RejectsInvalidStrings) {
  EXPECT_NE(why_invalid("{\"a\":\"x}").find("unterminated string at byte 5"), std::string::npos);
  EXPECT_NE(why_invalid("{\"a\":\"\\x\"}").find("invalid escape"), std::string::npos);
  EXPECT_NE(why_invalid("{\"a\":\"\\u12\"}").find("invalid \\u escape"), std::string::npos);
  EXPECT_NE(why_invalid("{\"a\":\"\\u12G4\"}").find("invalid \\u escape"), std::string::npos);
  EXPECT_NE(why_invalid("{\"a\":\"tab\there\"}").find("control character"), std::string::npos);
  EXPECT_NE(why_invalid("{\"a\":\"line\nbreak\"}").find("control character"), std::string::npos);
  EXPECT_NE(why_invalid("{\"a\":\"\\uD83D\"}").find("unpaired surrogate"), std::string::npos);
  EXPECT_NE(why_invalid("{\"a\":\"\\uDE00\"}").find("unpaired surrogate"), std::string::npos);
  EXPECT_NE(why_invalid("{\"a\":\"\\uD83D\\u0041\"}").find("unpaired surrogate"), std::string::npos);
  EXPECT_FALSE(valid("{\"a\":\"\\"));
}

TEST(Validate, RejectsInvalidUtf8) {
  const char* bad[] = {
      "\x80",             // lone continuation
      "\xC0\xAF",         // overlong '/'
      "\xC1\xBF",         // overlong
      "\xE0\x80\xAF",     // overlong 3-byte
      "\xED\xA0\x80",     // UTF-16 surrogate encoded
      "\xF0\x80\x80\xAF", // overlong 4-byte
      "\xF4\x90\x80\x80", // above U+10FFFF
      "\xF5\x80\x80\x80",
      "\xFF",
      "\xC3",             // truncated
      "\xE4\xB8",
      "\xC3\x28",         // bad continuation
  };
  for (const char* s : bad) {
    std::string row = std::string("{\"a\":\"") + s + "\"}";
    std::string why = why_invalid(row);
    EXPECT_NE(why.find("invalid UTF-8 in string at byte 6"), std::string::npos) << why;
  }
  // Non-ASCII outside strings is a syntax error.
  EXPECT_FALSE(valid("{\"a\":1\xC2\xA0}"));
}

TEST(Validate, LongStringsAcrossTheVectorBlocksAreScannedCorrectly) {
  // Put each special byte at every offset relative to the 16-byte blocks.
  for (size_t pad = 0; pad < 40; ++pad) {
    std::string s(pad, 'x');
    EXPECT_TRUE(valid("{\"a\":\"" + s + "\\\"" + s + "\"}")) << pad;
    EXPECT_TRUE(valid("{\"a\":\"" + s + "\xC3\xA9" + s + "\"}")) << pad;
    EXPECT_FALSE(valid("{\"a\":\"" + s + "\x01" + s + "\"}")) << pad;
    EXPECT_FALSE(valid("{\"a\":\"" + s + "\xFF" + s + "\"}")) << pad;
    EXPECT_FALSE(valid("{\"a\":\"" + s)) << pad;
  }
}

TEST(Validate, DeepNestingIsBoundedWithoutStackOverflow) {
  auto nested = [](size_t depth) {
    std::string row = "{\"a\":";
    row += std::string(depth - 1, '[');
    row += std::string(depth - 1, ']');
    return row + "}";
  };
  EXPECT_TRUE(valid(nested(1024)));
  EXPECT_NE(why_invalid(nested(1025)).find("nesting deeper than 1024"), std::string::npos);
  // A million open brackets: rejected quickly, no recursion.
  std::string deep = "{\"a\":" + std::string(1000000, '[');
  EXPECT_FALSE(valid(deep));
  std::string objs = "{";
  for (int i = 0; i < 200000; ++i) objs += "\"k\":{";
  EXPECT_FALSE(valid(objs));
}

TEST(Validate, NullWhyIsAllowed) { EXPECT_FALSE(validate_json_object("x", nullptr)); }

TEST(Validate, InputNeedNotBeNulTerminated) {
  std::string buf = R"({"a":1}{"b":2})";
  EXPECT_TRUE(validate_json_object(std::string_view(buf.data(), 7), nullptr));
  EXPECT_FALSE(validate_json_object(std::string_view(buf.data(), 6), nullptr));
  std::string s = R"({"a":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})";
  EXPECT_FALSE(validate_json_object(std::string_view(s.data(), 20), nullptr));  // string cut short
}

// Validation of a row held in an exactly-sized heap buffer, so ASan reports any read past its end.
bool valid_exact(const std::string& row) {
  std::unique_ptr<char[]> buf(new char[row.size() ? row.size() : 1]);
  std::memcpy(buf.get(), row.data(), row.size());
  return validate_json_object(std::string_view(buf.get(), row.size()), nullptr);
}

// cJSON parses the whole text as one value (it is more lenient than RFC 8259, never stricter).
bool cjson_parses_whole(const std::string& text) {
  const char* end = nullptr;
  cJSON* v = cJSON_ParseWithLengthOpts(text.data(), text.size(), &end, 0);
  if (!v) return false;
  cJSON_Delete(v);
  for (const char* p = end; p < text.data() + text.size(); ++p) {
    if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') return false;
  }
  return true;
}

const char* const kCorpus[] = {
    R"({"id":1,"name":"a","score":-1.5e3,"ok":true,"tags":["x",{"y":null}],"s":"\u00e9\n"})",
    R"({"a":{"b":{"c":[1,2,3,[4,[5]]]}},"e":"","f":false})",
    "{\"utf8\":\"h\xC3\xA9llo \xE4\xB8\xAD \xF0\x9F\x98\x80\",\"n\":0.25}",
    R"({"long":"abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz","k":12345678901234})",
    "{}",
};

TEST(Validate, EveryProperPrefixOfAValidRowIsInvalid) {
  for (const char* row : kCorpus) {
    std::string r(row);
    ASSERT_TRUE(valid_exact(r)) << r;
    for (size_t n = 0; n < r.size(); ++n) EXPECT_FALSE(valid_exact(r.substr(0, n))) << r.substr(0, n);
  }
}

TEST(Validate, RandomMutationsNeverCrashAndWhatIsAcceptedIsJson) {
  std::mt19937 rng(20261124);  // fixed seed: failures are reproducible
  const std::string interesting = "{}[]\",:\\ \t\n0123456789-+.eEtrufalsnu_op\x01\x7f\x80\xC3\xBF\xED\xF4";
  size_t accepted = 0;
  for (int iter = 0; iter < 30000; ++iter) {
    std::string r = kCorpus[rng() % (sizeof kCorpus / sizeof kCorpus[0])];
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < edits; ++k) {
      const size_t pos = r.empty() ? 0 : rng() % r.size();
      const char c = (rng() % 4 == 0) ? static_cast<char>(rng() % 256) : interesting[rng() % interesting.size()];
      switch (rng() % 3) {
        case 0: if (!r.empty()) r[pos] = c; break;
        case 1: r.insert(r.begin() + static_cast<std::ptrdiff_t>(pos), c); break;
        default: if (!r.empty()) r.erase(pos, 1); break;
      }
    }
    if (valid_exact(r)) {
      ++accepted;
      EXPECT_TRUE(cjson_parses_whole(r)) << "accepted but cJSON rejects: " << r;
      EXPECT_NE(r.find_first_not_of(" \t\r\n"), std::string::npos);
    }
  }
  EXPECT_GT(accepted, 0u);  // the mutations do not only produce garbage
}

TEST(Validate, ReportsRawLineBreaksOutsideStrings) {
  struct Case { const char* row; bool line_break; };
  const Case cases[] = {
      {R"({"id":1,"s":"x\ny"})", false},  // an escaped \n in a string is no raw line break
      {"{\"id\":1}\n", true},              // trailing whitespace counts too: encoding trims it anyway
      {"{\"a\":\r1}", true},
      {"{\"a\":[1,\n2]}", true},
      {"{ \"a\" :\t1 }", false},
      {"\n{}", true},
  };
  for (const Case& c : cases) {
    bool lb = !c.line_break;
    std::string why;
    ASSERT_TRUE(validate_json_object(c.row, &why, &lb)) << c.row << ": " << why;
    EXPECT_EQ(lb, c.line_break) << c.row;
  }
  bool untouched = true;  // left alone on failure
  EXPECT_FALSE(validate_json_object("{\n", nullptr, &untouched));
  EXPECT_TRUE(untouched);
  EXPECT_TRUE(validate_json_object("{}", nullptr, nullptr));  // the flag is optional
}

// For every accepted mutated row, the flag says exactly whether the row holds a raw \n or \r,
// and both overloads agree on acceptance and reason.
TEST(Validate, LineBreakFlagMatchesTheRowOnRandomMutations) {
  std::mt19937 rng(4242);
  const std::string interesting = "{}[]\",:\\ \t\n\r0123456789-eu";
  size_t accepted = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    std::string r = kCorpus[rng() % (sizeof kCorpus / sizeof kCorpus[0])];
    const size_t pos = r.empty() ? 0 : rng() % r.size();
    r.insert(r.begin() + static_cast<std::ptrdiff_t>(pos), interesting[rng() % interesting.size()]);
    std::string why1, why2;
    bool lb = false;
    const bool ok1 = validate_json_object(r, &why1);
    const bool ok2 = validate_json_object(r, &why2, &lb);
    ASSERT_EQ(ok1, ok2) << r;
    EXPECT_EQ(why1, why2) << r;
    if (ok2) {
      ++accepted;
      EXPECT_EQ(lb, r.find_first_of("\r\n") != std::string::npos) << r;
      std::string fast, slow;
      append_row_with_op(&slow, r, 0, true);
      if (!lb) {
        append_row_with_op(&fast, r, 0, false);
        EXPECT_EQ(fast, slow) << r;
      }
      EXPECT_EQ(slow.find('\n'), slow.size() - 1) << r;
    }
  }
  EXPECT_GT(accepted, 100u);
}

TEST(Encode, AppendsOpToTheObject) {
  std::string out;
  append_row_with_op(&out, R"({"id":1})", 0);
  EXPECT_EQ(out, "{\"id\":1,\"__op\":0}\n");
  append_row_with_op(&out, "{}", 1);
  EXPECT_EQ(out, "{\"id\":1,\"__op\":0}\n{\"__op\":1}\n");
}

TEST(Encode, TrimsSurroundingWhitespaceAndHandlesEmptyObjects) {
  std::string out;
  append_row_with_op(&out, "  { \t }  \n", 0);
  EXPECT_EQ(out, "{\"__op\":0}\n");
  out.clear();
  append_row_with_op(&out, " {\"a\":[1,2] } ", 1);
  EXPECT_EQ(out, "{\"a\":[1,2] ,\"__op\":1}\n");
}

TEST(Encode, LineBreaksInWhitespaceNeverSplitARow) {
  std::string out;
  append_row_with_op(&out, "{\n  \"a\": 1,\r\n  \"b\": \"x\\ny\"\n}", 0);
  EXPECT_EQ(out, "{   \"a\": 1,    \"b\": \"x\\ny\" ,\"__op\":0}\n");
  EXPECT_EQ(out.find('\n'), out.size() - 1);
  EXPECT_TRUE(valid(out.substr(0, out.size() - 1)) == false);  // has "__op" now
}

TEST(Encode, WithoutLineBreaksTheRowIsCopiedAsIs) {
  std::string out = "prefix|";
  append_row_with_op(&out, " {\"a\": [1, 2],\t\"b\":\"x\\ny\"} ", 1, /*line_break=*/false);
  EXPECT_EQ(out, "prefix|{\"a\": [1, 2],\t\"b\":\"x\\ny\",\"__op\":1}\n");
  append_row_with_op(&out, "{ }", 0, false);
  EXPECT_EQ(out, "prefix|{\"a\": [1, 2],\t\"b\":\"x\\ny\",\"__op\":1}\n{\"__op\":0}\n");
}

// sr_sink_write copies a row into the load buffer and encodes it there: in place gives the same
// bytes as encoding from elsewhere, including leading blanks (shifted left), the empty object
// (which grows) and line breaks, with nothing written beyond the row + 16 bytes.
TEST(Encode, InPlaceEqualsAppending) {
  const char* rows[] = {R"({"id":1})", "  {\"a\":[1,2] } ", "{ }", "{}", " \n{\n\"a\": 1\r\n}\n",
                        kCorpus[0], kCorpus[1], kCorpus[2]};
  for (const char* row : rows) {
    for (int op : {0, 1}) {
      for (bool lb : {true, false}) {
        const std::string r(row);
        if (!lb && r.find_first_of("\r\n") != std::string::npos) continue;  // lb false: no breaks
        std::string expected;
        append_row_with_op(&expected, r, op, lb);
        std::vector<char> buf(r.size() + 16 + 8, '#');
        std::memcpy(buf.data(), r.data(), r.size());
        const size_t n = encode_row_with_op(buf.data(), std::string_view(buf.data(), r.size()), op, lb);
        EXPECT_EQ(std::string(buf.data(), n), expected) << r;
        for (size_t k = r.size() + 16; k < buf.size(); ++k) EXPECT_EQ(buf[k], '#') << r;
      }
    }
  }
}

TEST(Encode, EncodedRowsStayValidJsonApartFromTheOp) {
  const char* rows[] = {R"({"id":1,"s":"a,b}"})", R"({"o":{"x":[{}]}})", "{}"};
  for (const char* row : rows) {
    std::string out;
    append_row_with_op(&out, row, 1);
    ASSERT_EQ(out.back(), '\n');
    std::string why;
    EXPECT_FALSE(validate_json_object(out, &why));
    EXPECT_NE(why.find("__op"), std::string::npos) << out << " → " << why;  // only complaint
  }
}

}  // namespace
}  // namespace srs
