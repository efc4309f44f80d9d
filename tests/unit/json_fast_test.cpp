// The SIMD fast path of the row validator (src/json_fast*.cpp) against the reference recogniser.
//
// The fast path may only accept what the reference accepts (and must report the same line-break
// flag); it may decline anything. Declining valid flat rows would only cost speed, so that is
// checked too: every flat, ASCII, escape-light row the generator makes must be accepted.
// The AVX2 implementation is tested on its own, in both contracts (exact and padded input);
// on a CPU without AVX2 these tests have nothing to check but the reference path.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "encode.h"
#include "json_fast.h"

namespace srs {
namespace {

struct Impl {
  const char* name;
  fast_path::Fn kernel;
  bool padded;  // the row is followed by kFastPadding bytes of (adversarial) garbage

  bool fn(const char* row, size_t n, bool* lb) const {
    if (!padded) return kernel(row, n, lb, false, nullptr);
    // Exactly n + kFastPadding bytes, so ASan catches a read beyond the padding; the padding
    // holds bytes that would change the verdict if the kernel took them for the row's.
    static const char kGarbage[] = "\"{}[]:,\\ \x01\x80\n1e";
    std::vector<char> buf(n + kFastPadding);
    std::memcpy(buf.data(), row, n);
    for (size_t k = 0; k < kFastPadding; ++k) buf[n + k] = kGarbage[k % (sizeof kGarbage - 1)];
    const bool accepted = kernel(buf.data(), n, lb, true, nullptr);
    // The same row with its keys' positions asked for: the same verdict, and the positions the
    // top-level keys really have.
    std::vector<KeyBlocks::Block> blocks(n / 64 + 2);
    KeyBlocks kb{blocks.data(), blocks.size(), 0, 0};
    bool lb2 = *lb;
    EXPECT_EQ(kernel(buf.data(), n, &lb2, true, &kb), accepted) << "with key positions: " << std::string(row, n);
    if (accepted) {
      std::vector<size_t> got;
      for (size_t b = 0; b < kb.n; ++b) {
        for (uint64_t k = blocks[b].keys; k; k &= k - 1) got.push_back(blocks[b].offset + __builtin_ctzll(k));
      }
      EXPECT_EQ(got, top_level_keys(row, n)) << std::string(row, n);
      EXPECT_EQ(kb.keys, got.size());
    }
    return accepted;
  }

  // The opening quotes of the top-level keys of a valid row, by a plain scan.
  static std::vector<size_t> top_level_keys(const char* row, size_t n) {
    std::vector<size_t> at;
    size_t depth = 0;
    bool expect_key = false;
    for (size_t i = 0; i < n; ++i) {
      const char c = row[i];
      if (c == '"') {
        if (depth == 1 && expect_key) at.push_back(i);
        expect_key = false;
        for (++i; row[i] != '"'; ++i) {
          if (row[i] == '\\') ++i;
        }
      } else if (c == '{' || c == '[') {
        ++depth;
        expect_key = c == '{' && depth == 1;
      } else if (c == '}' || c == ']') {
        --depth;
      } else if (c == ',') {
        expect_key = depth == 1;
      }
    }
    return at;
  }
};

std::vector<Impl> impls() {
  std::vector<Impl> v;
  for (bool padded : {false, true}) {
    if (fast_path::avx2()) v.push_back({padded ? "avx2 padded" : "avx2", fast_path::avx2(), padded});
  }
  return v;
}

bool reference(const std::string& row, bool* lb) {
  return validate_json_object_reference(row, nullptr, lb);
}

std::string show(const std::string& s) {
  std::string o;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7f) {
      o += static_cast<char>(c);
    } else {
      char b[8];
      std::snprintf(b, sizeof b, "\\x%02x", c);
      o += b;
    }
  }
  return o;
}

// Checks one row against every implementation: never accept what the reference rejects.
// Returns how many implementations accepted it.
int check(const std::string& row) {
  bool ref_lb = false;
  const bool ref = reference(row, &ref_lb);
  int accepted = 0;
  for (const Impl& impl : impls()) {
    bool lb = !ref_lb;
    if (impl.fn(row.data(), row.size(), &lb)) {
      ++accepted;
      EXPECT_TRUE(ref) << impl.name << " accepted an invalid row: " << show(row);
      if (ref) {
        EXPECT_EQ(lb, ref_lb) << impl.name << " line break flag: " << show(row);
      }
    }
  }
  return accepted;
}

void expect_accepted(const std::string& row) {
  bool ref_lb = false;
  ASSERT_TRUE(reference(row, &ref_lb)) << "test row is invalid: " << show(row);
  for (const Impl& impl : impls()) {
    bool lb = !ref_lb;
    EXPECT_TRUE(impl.fn(row.data(), row.size(), &lb)) << impl.name << " declined " << show(row);
    EXPECT_EQ(lb, ref_lb) << impl.name << ": " << show(row);
  }
}

void expect_declined(const std::string& row) {
  for (const Impl& impl : impls()) {
    bool lb = false;
    EXPECT_FALSE(impl.fn(row.data(), row.size(), &lb)) << impl.name << " accepted " << show(row);
  }
}

// ---- a generator of rows --------------------------------------------------------------------

struct Gen {
  std::mt19937_64 rng;
  bool flat_only = true;     // no nested objects/arrays
  bool rare_escapes = true;  // no \u surrogates, no escapes in keys
  size_t min_members = 0;    // the fast path leaves the empty object to the reference
  explicit Gen(uint64_t seed) : rng(seed) {}

  size_t pick(size_t n) { return static_cast<size_t>(rng() % n); }
  bool chance(int percent) { return static_cast<int>(pick(100)) < percent; }

  std::string ws() {
    static const char* kWs[] = {"", "", "", "", " ", "  ", "\t", "\n", "\r\n", " \n  "};
    return chance(70) ? "" : kWs[pick(sizeof kWs / sizeof kWs[0])];
  }
  std::string number() {
    std::string s;
    if (chance(30)) s += '-';
    if (chance(15)) {
      s += '0';
    } else {
      s += static_cast<char>('1' + pick(9));
      for (size_t k = pick(12); k > 0; --k) s += static_cast<char>('0' + pick(10));
    }
    if (chance(40)) {
      s += '.';
      for (size_t k = 1 + pick(6); k > 0; --k) s += static_cast<char>('0' + pick(10));
    }
    if (chance(15)) {
      s += chance(50) ? 'e' : 'E';
      if (chance(50)) s += chance(50) ? '+' : '-';
      for (size_t k = 1 + pick(3); k > 0; --k) s += static_cast<char>('0' + pick(10));
    }
    return s;
  }
  std::string string_body(bool key) {
    std::string s;
    const size_t len = chance(10) ? pick(150) : pick(20);
    for (size_t k = 0; k < len; ++k) {
      const size_t r = pick(100);
      if (r < 80) {
        static const char kText[] = "abcdefghijklmnopqrstuvwxyz ABC_-0123456789:,{}[].eE+";
        s += kText[pick(sizeof kText - 1)];
      } else if (r < 88 && !(key && rare_escapes)) {
        static const char* kEsc[] = {"\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t",
                                     "\\u00e9", "\\u0041", "\\u20AC"};
        s += kEsc[pick(sizeof kEsc / sizeof kEsc[0])];
      } else if (r < 90 && !rare_escapes) {
        s += "\\uD83D\\uDE00";
      } else if (r < 96) {
        static const char* kUtf8[] = {"\xC3\xA9", "\xE4\xB8\xAD", "\xF0\x9F\x98\x80", "\xC2\xA0"};
        s += kUtf8[pick(sizeof kUtf8 / sizeof kUtf8[0])];
      } else {
        s += "xyz";
      }
    }
    return s;
  }
  std::string value(int depth) {
    const size_t r = pick(100);
    if (r < 35) return number();
    if (r < 70) return "\"" + string_body(false) + "\"";
    if (r < 76) return "true";
    if (r < 82) return "false";
    if (r < 88) return "null";
    if (flat_only || depth > 4) return "\"" + string_body(false) + "\"";
    if (r < 94) return object(depth + 1);
    std::string a = "[" + ws();
    for (size_t k = pick(4); k > 0; --k) {
      a += value(depth + 1) + ws();
      if (k > 1) a += "," + ws();
    }
    return a + "]";
  }
  std::string key() {
    if (chance(3)) return "_op";
    if (chance(3)) return "__o";
    if (chance(2)) return "__opx";
    std::string k = string_body(true);
    return k == "__op" ? "__op_" : k;  // random text can spell the reserved key
  }
  std::string object(int depth) {
    std::string o = "{" + ws();
    const size_t n = min_members + pick(9 - min_members);
    for (size_t k = 0; k < n; ++k) {
      o += "\"" + key() + "\"" + ws() + ":" + ws() + value(depth) + ws();
      if (k + 1 < n) o += "," + ws();
    }
    return o + "}";
  }
  std::string row() { return ws() + object(0) + ws(); }

  // One random edit: replace, insert or delete a byte, or cut the row short.
  std::string mutate(std::string r) {
    static const char kBytes[] = "{}[]\",:\\ \t\n\r0123456789-+.eEtfnrulasx_\x01\x1f\x7f";
    const size_t edits = 1 + pick(3);
    for (size_t e = 0; e < edits; ++e) {
      const size_t pos = r.empty() ? 0 : pick(r.size());
      char c = kBytes[pick(sizeof kBytes - 1)];
      if (chance(5)) c = static_cast<char>(0x80 + pick(128));
      switch (pick(4)) {
        case 0:
          if (!r.empty()) r[pos] = c;
          break;
        case 1:
          r.insert(r.begin() + static_cast<std::ptrdiff_t>(pos), c);
          break;
        case 2:
          if (!r.empty()) r.erase(pos, 1);
          break;
        default:
          r.resize(pos);
          break;
      }
    }
    return r;
  }
};

size_t iterations() {
  const char* e = std::getenv("SRS_FAST_FUZZ_ITERATIONS");
  return e ? std::strtoul(e, nullptr, 10) : 60000;
}

TEST(JsonFast, TheAvx2BuildIsUsedWhereTheCpuHasIt) {
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul")) {
    EXPECT_FALSE(impls().empty());
    EXPECT_EQ(std::string(fast_path_name()), "avx2");
  } else {
    EXPECT_EQ(std::string(fast_path_name()), "none");
  }
#endif
}

TEST(JsonFast, AcceptsTypicalFlatRows) {
  expect_accepted(R"({"id":1,"customer":705498,"name":"zoe lopez-85205","amount":232090.05,"ts":"2026-03-19 08:09:48","flag":true})");
  expect_accepted(R"({"a":null,"b":false,"c":-0,"d":0.5,"e":1e10,"f":-1.5E-3,"g":12e+2})");
  expect_accepted("{\n  \"a\" : 1 ,\r\n  \"b\" : \"x\"\n}\n");
  expect_accepted("{\"a\":\t\"tab\\there\"}");
  expect_accepted(R"({"esc":"\"\\\/\b\f\n\r\t\u00e9\u0041","k":"v"})");
  expect_accepted("{\"utf8\":\"S\xC3\xA3o Paulo \xE4\xB8\xAD \xF0\x9F\x98\x80\"}");
  expect_accepted(R"({"_op":1,"__o":2,"__opx":3,"op__":4})");
  expect_accepted(R"({"a":"{}[],:"})");
  expect_accepted(R"({"a":"x","a":"y"})");  // duplicate keys are JSON; StarRocks takes the last
}

TEST(JsonFast, DeclinesInvalidRows) {
  for (const char* r :
       {"", " ", "{", "}", "{}{}", "[]", "1", "\"a\"", "{\"a\"}", "{\"a\":}", "{\"a\":1,}",
        "{,\"a\":1}", "{\"a\" 1}", "{\"a\"::1}", "{\"a\":1 \"b\":2}", "{\"a\":1:2}", "{1:2}",
        "{\"a\":01}", "{\"a\":-}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":+1}", "{\"a\":1e}",
        "{\"a\":1e+}", "{\"a\":1.2.3}", "{\"a\":1e2e3}", "{\"a\":1e3.5}", "{\"a\":1-2}",
        "{\"a\":--1}", "{\"a\":-01}", "{\"a\":tru}", "{\"a\":truex}", "{\"a\":nul}",
        "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":\"x}", "{\"a\":\"x\\\"}", "{\"a\":\"\\x\"}",
        "{\"a\":\"\\u12\"}", "{\"a\":\"\x01\"}", "{\"a\":\"tab\there\"}", "{\"a\":\"nl\nhere\"}",
        "{\"a\":1}x", "{\"a\":1},", "x{\"a\":1}", ":{\"a\":1}", ",{\"a\":1}", " :{}", ",{}",
        "{\"a\":1}:", "{}\"", "{\"a\":1,,\"b\":2}", "{\"a\":1,:2}", "{\"a\":1}}", "{\"a\":'x'}", "{a:1}",
        "{\"a\":1\x01}", "{\"a\":\"\xC3\"}", "{\"a\":\"\xC0\xAF\"}", "{\"a\":\xC3\xA9}",
        "{\"__op\":1}", "{ \"__op\" :1}", "{\"a\":1,\"__op\":0}"}) {
    SCOPED_TRACE(show(r));
    expect_declined(r);
    check(r);
  }
  expect_declined(std::string("{\"a\":1}\0", 8));  // a NUL after the object
  expect_declined(std::string("{\"a\":\"\0\"}", 9));
}

// Shapes the fast path leaves to the reference (correct, only slower).
TEST(JsonFast, LeavesNestingAndRareEscapesToTheReference) {
  for (const char* r : {"{}", " { } ", R"({"a":{"b":1}})", R"({"a":[1,2]})", R"({"a":"\uD83D\uDE00"})",
                        R"({"k\"ey":1})", R"({"\u005f_op":1})"}) {
    expect_declined(r);
    check(r);
  }
  // ...and validate_json_object still decides them right.
  EXPECT_TRUE(validate_json_object(R"({"a":{"b":[1,{"c":null}]}})", nullptr));
  EXPECT_TRUE(validate_json_object(R"({"a":"\uD83D\uDE00"})", nullptr));
  EXPECT_FALSE(validate_json_object(R"({"\u005f_op":1})", nullptr));
}

// Every token at every offset to the 64-byte block boundary: rows shifted by leading blanks.
TEST(JsonFast, TokensStraddlingBlockBoundaries) {
  const std::string base =
      R"({"id":-1234567.89e-12,"name":"a string with \"escapes\" and \\ more","flag":false,"n":null,"t":true,"z":0})";
  for (size_t shift = 0; shift < 130; ++shift) {
    for (const char* pad : {" ", "\n", "\t"}) {
      std::string row;
      for (size_t k = 0; k < shift; ++k) row += pad;
      expect_accepted(row + base);
      expect_accepted(row + base + row);
      // The same row cut at every length is invalid: declined (never accepted).
      std::string cut = row + base;
      for (size_t len = row.size(); len < cut.size(); ++len) {
        ASSERT_EQ(check(cut.substr(0, len)), 0) << show(cut.substr(0, len));
      }
    }
  }
}

TEST(JsonFast, LongRowsOfManyBlocks) {
  std::string row = "{";
  for (int k = 0; k < 500; ++k) {
    if (k) row += ",";
    row += "\"key" + std::to_string(k) + "\":" + (k % 3 ? std::to_string(k * 1.5) : "\"" + std::string(static_cast<size_t>(k % 97), 'x') + "\"");
  }
  row += "}";
  expect_accepted(row);
  std::string bad = row;
  bad[bad.size() / 2] = '\x01';
  check(bad);
  expect_declined(bad);
}

// Rows ending right before an unmapped page: the fast path must never read past the row.
TEST(JsonFast, NeverReadsPastTheRow) {
  const long page = sysconf(_SC_PAGESIZE);
  char* mem = static_cast<char*>(mmap(nullptr, static_cast<size_t>(page) * 2, PROT_READ | PROT_WRITE,
                                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  ASSERT_NE(mem, MAP_FAILED);
  ASSERT_EQ(mprotect(mem + page, static_cast<size_t>(page), PROT_NONE), 0);
  for (const std::string& r : {std::string(R"({"a":1})"), std::string(R"({"a":"x"})"),
                              std::string(R"({"a":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})"),
                              std::string(R"({"a":1,"b":"unterminated)"), std::string(R"({"a":"\)")}) {
    char* at = mem + page - r.size();
    std::memcpy(at, r.data(), r.size());
    bool ref_lb = false;
    const bool ref = reference(r, &ref_lb);
    for (const Impl& impl : impls()) {
      bool lb = false;
      const bool got = impl.fn(at, r.size(), &lb);
      EXPECT_TRUE(!got || ref) << impl.name << ": " << r;
    }
  }
  munmap(mem, static_cast<size_t>(page) * 2);
}

TEST(JsonFast, GeneratedFlatRowsAreAllAccepted) {
  Gen g(1);
  g.min_members = 1;
  const size_t n = iterations() / 4;
  for (size_t i = 0; i < n && !::testing::Test::HasFailure(); ++i) expect_accepted(g.row());
}

// The differential check: mutated rows of every shape; the fast path never accepts what the
// reference rejects. (SRS_FAST_FUZZ_ITERATIONS raises the count for a longer run.)
TEST(JsonFast, MutatedRowsNeverAcceptedWhenTheReferenceRejects) {
  Gen g(2);
  size_t accepted = 0, rejected_by_reference = 0;
  const size_t n = iterations();
  for (size_t i = 0; i < n; ++i) {
    g.flat_only = (i % 4) != 0;
    g.rare_escapes = (i % 8) != 1;
    const std::string r = g.mutate(g.row());
    rejected_by_reference += !reference(r, nullptr);
    accepted += static_cast<size_t>(check(r) > 0);
    if (::testing::Test::HasFailure()) break;
  }
  // The mutations must produce both outcomes, or the test proves nothing.
  EXPECT_GT(rejected_by_reference, n / 4);
  EXPECT_GT(accepted, n / 50);
}

}  // namespace
}  // namespace srs
