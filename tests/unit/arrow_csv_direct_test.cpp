// The direct CSV path of Arrow batches (src/arrow_csv_direct.cpp) against the general encoder
// (encode_arrow_batch with allow_direct = false), the reference: the same body, row ends, delete
// count, and the same error (code and message naming column and row) on edge values — INT64_MIN,
// decimals of scale 0/2/38/negative and beyond 64 bits, timestamps of every unit before 1970 and at
// day boundaries, the day cache's collisions, multi-byte and invalid UTF-8, the CSV separators
// and \N in every position of the 8-byte scan.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "arrow_encode.h"

namespace srs {
namespace {

// Buffers outlive the nodes that view them.
struct Store {
  std::vector<std::unique_ptr<std::vector<uint8_t>>> bufs;
  template <typename T>
  const T* put(const std::vector<T>& v) {
    auto b = std::make_unique<std::vector<uint8_t>>(v.size() * sizeof(T) + 16);
    if (!v.empty()) std::memcpy(b->data(), v.data(), v.size() * sizeof(T));
    const T* p = reinterpret_cast<const T*>(b->data());
    bufs.push_back(std::move(b));
    return p;
  }
  const uint8_t* validity(const std::vector<bool>& valid) {
    std::vector<uint8_t> v((valid.size() + 7) / 8 + 1, 0);
    for (size_t i = 0; i < valid.size(); ++i) {
      if (valid[i]) v[i / 8] |= uint8_t(1u << (i % 8));
    }
    return put(v);
  }
};

template <typename T>
ArrowNode fixed(Store& s, ArrowType type, const std::vector<T>& vals, const std::vector<bool>& valid = {}) {
  ArrowNode n;
  n.type = type;
  n.length = static_cast<int64_t>(vals.size());
  n.values = s.put(vals);
  if (!valid.empty()) n.validity = s.validity(valid);
  return n;
}

ArrowNode utf8(Store& s, const std::vector<std::string>& vals, ArrowType type = ArrowType::kUtf8) {
  ArrowNode n;
  n.type = type;
  n.length = static_cast<int64_t>(vals.size());
  std::string data;
  std::vector<int32_t> off{0};
  std::vector<int64_t> off64{0};
  for (const std::string& v : vals) {
    data += v;
    off.push_back(static_cast<int32_t>(data.size()));
    off64.push_back(static_cast<int64_t>(data.size()));
  }
  if (type == ArrowType::kUtf8View) {
    // Short values inline, long ones in one variadic buffer.
    std::vector<uint8_t> views(16 * vals.size(), 0);
    for (size_t i = 0; i < vals.size(); ++i) {
      const int32_t len = static_cast<int32_t>(vals[i].size()), buf = 0, o = off[i];
      std::memcpy(&views[16 * i], &len, 4);
      if (len <= 12) {
        std::memcpy(&views[16 * i + 4], vals[i].data(), vals[i].size());
      } else {
        std::memcpy(&views[16 * i + 4], vals[i].data(), 4);
        std::memcpy(&views[16 * i + 8], &buf, 4);
        std::memcpy(&views[16 * i + 12], &o, 4);
      }
    }
    n.values = s.put(views);
    const char* d = reinterpret_cast<const char*>(s.put(std::vector<char>(data.begin(), data.end())));
    auto ptrs = std::make_unique<std::vector<uint8_t>>(sizeof(const char*));
    std::memcpy(ptrs->data(), &d, sizeof d);
    n.view_data = reinterpret_cast<const char* const*>(ptrs->data());
    n.n_view_data = 1;
    s.bufs.push_back(std::move(ptrs));
    return n;
  }
  if (type == ArrowType::kLargeUtf8) n.offsets = s.put(off64);
  else n.offsets = s.put(off);
  n.data = reinterpret_cast<const char*>(s.put(std::vector<char>(data.begin(), data.end())));
  return n;
}

ArrowNode batch(std::vector<ArrowNode> cols) {
  ArrowNode root;
  root.type = ArrowType::kStruct;
  root.length = cols.empty() ? 0 : cols[0].length;
  for (size_t i = 0; i < cols.size(); ++i) {
    if (cols[i].name.empty()) cols[i].name = "c" + std::to_string(i);
  }
  root.children = std::move(cols);
  return root;
}

ArrowTarget target_for(const ArrowNode& root, int32_t tz = 0, std::vector<bool> keys = {}) {
  ArrowTarget t;
  t.format = WireFormat::kCsv;
  t.timezone_offset_s = tz;
  for (const ArrowNode& c : root.children) {
    t.columns.push_back(c.name);
    t.kinds.push_back(CsvKind::kText);
  }
  t.is_key = keys.empty() ? std::vector<bool>(t.columns.size(), false) : keys;
  return t;
}

struct Both {
  Status direct, general;
  EncodedRows d, g;
};

// Encodes with both paths and expects the same outcome; the direct path must have been taken.
void expect_same(const ArrowNode& root, const ArrowTarget& t, const uint8_t* ops = nullptr,
                 const std::string& what = "") {
  ArrowColumns cols;
  ASSERT_TRUE(map_arrow_fields(root, ops, t, &cols).ok()) << what;
  ASSERT_TRUE(arrow_csv_direct_ok(cols, t)) << what << ": the direct path does not take this batch";
  Both b;
  ArrowTarget ref = t;
  ref.allow_direct = false;
  b.direct = encode_arrow_batch(root, ops, t, &b.d);
  b.general = encode_arrow_batch(root, ops, ref, &b.g);
  ASSERT_EQ(b.direct.code(), b.general.code()) << what << ": " << b.direct.message() << " | " << b.general.message();
  EXPECT_EQ(b.direct.message(), b.general.message()) << what;
  if (b.general.ok()) {
    EXPECT_EQ(b.d.body, b.g.body) << what;
    EXPECT_EQ(b.d.ends, b.g.ends) << what;
    EXPECT_EQ(b.d.deletes, b.g.deletes) << what;
    EXPECT_LE(b.d.body.size(), arrow_csv_bound(root, cols, t)) << what << ": the bound is not one";
  }
}

// Each value alone in a one-column batch (so an error in one does not hide the others), then all
// of them together.
template <typename T>
void each_and_all(ArrowType type, const std::vector<T>& vals, int32_t scale = 0, int32_t width = 0,
                  int64_t unit = 1, bool tz = false, int32_t tz_offset = 0) {
  auto make = [&](Store& s, const std::vector<T>& v) {
    ArrowNode n = fixed(s, type, v);
    n.scale = scale;
    n.width_bits = width;
    n.unit_per_s = unit;
    n.has_tz = tz;
    std::vector<ArrowNode> cols;
    cols.push_back(std::move(n));
    return batch(std::move(cols));
  };
  for (size_t i = 0; i < vals.size(); ++i) {
    Store s;
    ArrowNode root = make(s, {vals[i]});
    expect_same(root, target_for(root, tz_offset), nullptr, "value " + std::to_string(i));
  }
  Store s;
  ArrowNode root = make(s, vals);
  expect_same(root, target_for(root, tz_offset), nullptr, "all values");
}

TEST(ArrowCsvDirect, IntegersAtTheirEdges) {
  each_and_all<int64_t>(ArrowType::kInt64, {0, 1, -1, 9, 10, 99, 100, std::numeric_limits<int64_t>::min(),
                                            std::numeric_limits<int64_t>::max(), -1000000000000000000}, 0);
  each_and_all<int32_t>(ArrowType::kInt32, {0, -7, std::numeric_limits<int32_t>::min(),
                                            std::numeric_limits<int32_t>::max()});
  each_and_all<int8_t>(ArrowType::kInt8, {-128, 127, 0});
  each_and_all<int16_t>(ArrowType::kInt16, {-32768, 32767});
  each_and_all<uint8_t>(ArrowType::kUInt8, {0, 255});
  each_and_all<uint16_t>(ArrowType::kUInt16, {65535});
  each_and_all<uint32_t>(ArrowType::kUInt32, {4294967295u});
  each_and_all<uint64_t>(ArrowType::kUInt64, {0, std::numeric_limits<uint64_t>::max()});
}

// Every digit count (the 8-digits-at-once formatting below 10^8, the pair loop above it).
TEST(ArrowCsvDirect, IntegersAndDecimalsAroundEveryPowerOfTen) {
  std::vector<int64_t> i64;
  std::vector<int32_t> i32;
  std::vector<uint64_t> u64;
  uint64_t p = 1;
  for (int k = 0; k <= 19; ++k, p *= 10) {
    for (uint64_t v : {p - 1, p, p + 1, p * 5 - 1}) {
      u64.push_back(v);
      if (v <= static_cast<uint64_t>(INT64_MAX)) {
        i64.push_back(static_cast<int64_t>(v));
        i64.push_back(-static_cast<int64_t>(v));
      }
      if (v <= static_cast<uint64_t>(INT32_MAX)) {
        i32.push_back(static_cast<int32_t>(v));
        i32.push_back(-static_cast<int32_t>(v));
      }
    }
  }
  std::mt19937_64 rng(8);
  for (int i = 0; i < 3000; ++i) {
    const int64_t v = static_cast<int64_t>(rng() % 100000000) - 50000000;
    i64.push_back(v);
    i32.push_back(static_cast<int32_t>(v));
  }
  each_and_all<int64_t>(ArrowType::kInt64, i64);
  each_and_all<int32_t>(ArrowType::kInt32, i32);
  each_and_all<uint64_t>(ArrowType::kUInt64, u64);
  each_and_all<uint32_t>(ArrowType::kUInt32, {0u, 9u, 10u, 99999999u, 100000000u, 4294967295u});
  for (int32_t scale : {0, 1, 2, 3, 7, 8, 9, 12, -1}) {
    Store s;
    std::vector<uint64_t> flat;
    for (int64_t v : i64) {
      flat.push_back(static_cast<uint64_t>(v));
      flat.push_back(v < 0 ? ~0ull : 0);
    }
    ArrowNode n;
    n.type = ArrowType::kDecimal;
    n.length = static_cast<int64_t>(i64.size());
    n.values = s.put(flat);
    n.width_bits = 128;
    n.scale = scale;
    std::vector<ArrowNode> cols;
    cols.push_back(std::move(n));
    ArrowNode root = batch(std::move(cols));
    expect_same(root, target_for(root), nullptr, "decimal128 sweep, scale " + std::to_string(scale));
  }
}

TEST(ArrowCsvDirect, FloatsAndBooleans) {
  each_and_all<double>(ArrowType::kFloat64, {0.0, -0.0, 0.1, 1e300, -2.2250738585072014e-308, 5e-324,
                                             std::numeric_limits<double>::quiet_NaN(),
                                             -std::numeric_limits<double>::infinity()});
  each_and_all<float>(ArrowType::kFloat32, {1.5f, -3.4028235e38f, std::numeric_limits<float>::infinity()});
  each_and_all<uint8_t>(ArrowType::kBool, {0x00, 0xFF, 0x5A});
}

// Little-endian two's complement of `lo` sign-extended to `words` 64-bit words, with `hi`
// replacing word 1 when given (values beyond 64 bits).
std::vector<uint64_t> dec(int64_t lo, int words, std::optional<uint64_t> hi = std::nullopt) {
  std::vector<uint64_t> w(static_cast<size_t>(words), lo < 0 ? ~0ull : 0);
  w[0] = static_cast<uint64_t>(lo);
  if (hi && words > 1) w[1] = *hi;
  return w;
}

void decimals(int width, const std::vector<int32_t>& scales) {
  const int words = width / 64;
  std::vector<std::vector<uint64_t>> vals = {
      dec(0, words), dec(1, words), dec(-1, words), dec(5, words), dec(-5, words), dec(99, words),
      dec(100, words), dec(-100, words), dec(12345678, words), dec(-12345678, words),
      dec(std::numeric_limits<int64_t>::min(), words), dec(std::numeric_limits<int64_t>::max(), words),
      dec(1000000000000000000, words), dec(-999999999999999999, words)};
  if (words > 1) {
    vals.push_back(dec(0, words, 1));                      // 2^64: beyond 64 bits
    vals.push_back(dec(-1, words, 0x7FFFFFFFFFFFFFFEull));  // a large negative
    vals.push_back(dec(0, words, ~0ull));                   // -2^64
    vals.push_back(dec(static_cast<int64_t>(0x8000000000000000ull), words, 0));  // 2^63
    // The widest texts of the width (39 and 77 digits): its most negative and most positive
    // values, which the row bound must hold.
    std::vector<uint64_t> most_negative(static_cast<size_t>(words), 0), most_positive(static_cast<size_t>(words), ~0ull);
    most_negative.back() = 0x8000000000000000ull;
    most_positive.back() = 0x7FFFFFFFFFFFFFFFull;
    vals.push_back(most_negative);
    vals.push_back(most_positive);
  }
  for (int32_t scale : scales) {
    for (size_t i = 0; i < vals.size(); ++i) {
      Store s;
      std::vector<uint64_t> flat = vals[i];
      ArrowNode n;
      n.type = ArrowType::kDecimal;
      n.length = 1;
      n.values = s.put(flat);
      n.width_bits = width;
      n.scale = scale;
      std::vector<ArrowNode> cols;
      cols.push_back(std::move(n));
      ArrowNode root = batch(std::move(cols));
      expect_same(root, target_for(root), nullptr,
                  "decimal" + std::to_string(width) + " scale " + std::to_string(scale) + " value " + std::to_string(i));
    }
  }
}

TEST(ArrowCsvDirect, DecimalsOfEveryWidthAndScale) {
  decimals(128, {0, 1, 2, 3, 18, 19, 20, 37, 38, -1, -3});
  decimals(256, {0, 2, 38, 76, -2});
  decimals(64, {0, 2, 18, -4});
  // decimal32: int32 values.
  for (int32_t scale : {0, 2, 9, -2}) {
    for (int32_t v : {0, 1, -1, 7, -7, 123456789, -123456789, std::numeric_limits<int32_t>::min()}) {
      Store s;
      ArrowNode n = fixed<int32_t>(s, ArrowType::kDecimal, {v});
      n.width_bits = 32;
      n.scale = scale;
      std::vector<ArrowNode> cols;
      cols.push_back(std::move(n));
      ArrowNode root = batch(std::move(cols));
      expect_same(root, target_for(root), nullptr, "decimal32 " + std::to_string(v) + " scale " + std::to_string(scale));
    }
  }
}

TEST(ArrowCsvDirect, TimestampsOfEveryUnitAroundDaysAndTheEpoch) {
  const std::vector<int64_t> secs = {0, -1, 1, 86399, 86400, -86400, -86401, 951782400 /* 2000-02-29 */,
                                     253402300799 /* 9999-12-31 23:59:59 */, 253402300800 /* year 10000 */,
                                     -62167219200 /* 0000-01-01 */, -62167219201, 1767225599, 1767225600,
                                     // A zone's offset must not overflow them (refused, no UB).
                                     std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()};
  for (int64_t unit : {int64_t{1}, int64_t{1000}, int64_t{1000000}, int64_t{1000000000}}) {
    std::vector<int64_t> vals;
    for (int64_t s : secs) {
      if (unit > 1 && (s > INT64_MAX / unit || s < INT64_MIN / unit)) continue;
      vals.push_back(s * unit);
      if (unit > 1) {
        vals.push_back(s * unit + 1);
        vals.push_back(s * unit - 1);
        vals.push_back(s * unit + unit / 2);
      }
    }
    for (int32_t tz : {0, 19800, -36000}) {
      each_and_all<int64_t>(ArrowType::kTimestamp, vals, 0, 0, unit, /*tz=*/tz != 0, tz);
    }
  }
}

TEST(ArrowCsvDirect, TimestampDayCacheCollisionsAndRepeats) {
  // Days that share a cache slot (512 apart) alternating, repeats, and a refused day between.
  std::vector<int64_t> vals;
  for (int i = 0; i < 64; ++i) {
    vals.push_back((int64_t{i % 3} * 512 * 86400) + i * 37);
    vals.push_back(-(int64_t{i % 2} * 512 * 86400) - i);
    vals.push_back(20000 * 86400 + 5);
  }
  each_and_all<int64_t>(ArrowType::kTimestamp, vals);
  std::vector<int32_t> days;
  for (int i = 0; i < 64; ++i) days.push_back((i % 4) * 512 - 1000 + i);
  days.push_back(2932897);   // 10000-01-01: refused
  days.push_back(-719528);   // 0000-01-01
  days.push_back(-719529);   // refused
  each_and_all<int32_t>(ArrowType::kDate32, days);
  each_and_all<int64_t>(ArrowType::kDate64, {0, -1, -86400000, -86400001, 86399999, 253402214400000,
                                             253402300800000});
}

TEST(ArrowCsvDirect, TimesOfDay) {
  each_and_all<int32_t>(ArrowType::kTime32, {0, 1, 86399, 86400, -1}, 0, 0, 1);
  each_and_all<int32_t>(ArrowType::kTime32, {0, 999, 86399999, 86400000, -1}, 0, 0, 1000);
  each_and_all<int64_t>(ArrowType::kTime64, {0, 1, 86399999999, 86400000000, -1}, 0, 0, 1000000);
  each_and_all<int64_t>(ArrowType::kTime64, {0, 1, 86399999999999, 86400000000000, -1}, 0, 0, 1000000000);
}

std::vector<std::string> text_cases() {
  std::vector<std::string> v = {"", "a", "\\N", "\\N ", "\\", "N", "abcdefgh", "abcdefghi",
                                "tab\tcomma,quote\"line\nbreak", "é", "日本語のテキスト", "😀 emoji",
                                std::string("\xC3", 1), std::string("abcdefgh\xC3", 9),
                                std::string("\xED\xA0\x80", 3) /* surrogate */,
                                std::string("\xC0\xAF", 2) /* overlong */, std::string("\xF4\x90\x80\x80", 4)};
  // The separators at every position of a 8-byte word and in the tail, in ASCII and after a
  // multi-byte character; and invalid UTF-8 after a separator (UTF-8 is checked first).
  for (char sep : {'\x1e', '\x1f'}) {
    for (size_t pos = 0; pos < 19; ++pos) {
      std::string s(19, 'x');
      s[pos] = sep;
      v.push_back(s);
      v.push_back("é" + s);
    }
    v.push_back(std::string(1, sep) + "abcdefgh\xFF");
  }
  v.push_back(std::string(3, '\x1d') + std::string(9, '\x20') + "\x7f\x1c");  // neighbours of 0x1E/0x1F
  for (size_t pos = 0; pos < 17; ++pos) {
    std::string s(17, 'y');
    s[pos] = '\x80';
    v.push_back(s);
  }
  return v;
}

TEST(ArrowCsvDirect, StringsOfEveryLayout) {
  const std::vector<std::string> cases = text_cases();
  for (ArrowType type : {ArrowType::kUtf8, ArrowType::kLargeUtf8, ArrowType::kUtf8View}) {
    for (size_t i = 0; i < cases.size(); ++i) {
      Store s;
      std::vector<ArrowNode> cols;
      cols.push_back(utf8(s, {cases[i]}, type));
      ArrowNode root = batch(std::move(cols));
      expect_same(root, target_for(root), nullptr, "string case " + std::to_string(i));
    }
  }
}

// Strings are checked and copied 16 bytes at a time (whole blocks and an overlapping last one; a
// string shorter than 16 bytes with 16 readable bytes after its start reads past its end): its own
// bytes must count (a separator or a multi-byte character at any position) and the bytes past it
// must not (the next string's separators and multi-byte characters). Each case is followed by
// such a string, and by a clean one.
TEST(ArrowCsvDirect, StringsCheckedSixteenBytesAtATime) {
  std::vector<std::string> cases = text_cases();
  for (size_t len = 1; len <= 49; ++len) {
    for (size_t pos = 0; pos < len; ++pos) {
      for (char bad : {'\x1e', '\x1f', '\x80'}) {
        std::string c(len, 'z');
        c[pos] = bad;
        cases.push_back(c);
      }
    }
  }
  const std::string hostile = std::string("\xC3\xA9\x1e\x1f", 4) + std::string(20, '\x1e');
  const std::string clean = "\xC3\xA9 a clean string longer than sixteen bytes";
  for (ArrowType type : {ArrowType::kUtf8, ArrowType::kLargeUtf8, ArrowType::kUtf8View}) {
    for (size_t i = 0; i < cases.size(); ++i) {
      for (const std::string* next : {&hostile, &clean}) {
        Store s;
        std::vector<ArrowNode> cols;
        cols.push_back(utf8(s, {cases[i], *next, clean}, type));
        ArrowNode root = batch(std::move(cols));
        expect_same(root, target_for(root), nullptr,
                    "string case " + std::to_string(i) + (next == &hostile ? " before a hostile one" : ""));
      }
    }
  }
}

// The import checks the views of non-null entries only: a null view may hold any length (found
// by fuzz_arrow_import: the row bound took a null's -5 as a length).
TEST(ArrowCsvDirect, NullViewsWithGarbageLengths) {
  Store s;
  std::vector<ArrowNode> cols;
  cols.push_back(utf8(s, {"a", "bb", "long enough for a buffer", "d"}, ArrowType::kUtf8View));
  std::vector<uint8_t> views(16 * 4);
  std::memcpy(views.data(), cols[0].values, views.size());
  for (int32_t garbage : {-5, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()}) {
    std::memcpy(&views[16 * 1], &garbage, 4);
    std::memcpy(&views[16 * 2], &garbage, 4);
    cols[0].values = s.put(views);
    cols[0].validity = s.validity({true, false, false, true});
    std::vector<ArrowNode> one;
    one.push_back(std::move(cols[0]));
    ArrowNode root = batch(std::move(one));
    const ArrowTarget t = target_for(root);
    expect_same(root, t, nullptr, "garbage " + std::to_string(garbage));
    ArrowColumns mapped;
    ASSERT_TRUE(map_arrow_fields(root, nullptr, t, &mapped).ok());
    EXPECT_LT(arrow_csv_bound(root, mapped, t), 1000u);
    cols.clear();
    cols.push_back(std::move(root.children[0]));
  }
}

TEST(ArrowCsvDirect, NullsKeysOpsAndSlices) {
  Store s;
  std::vector<ArrowNode> cols;
  cols.push_back(fixed<int64_t>(s, ArrowType::kInt64, {1, 2, 3, 4, 5, 6}));
  cols.back().name = "id";
  cols.push_back(fixed<int32_t>(s, ArrowType::kInt32, {7, 0, 9, 0, 11, 12}, {true, false, true, false, true, true}));
  cols.push_back(utf8(s, {"a", "b", "", "d", "\\N", "f"}));
  cols.back().validity = s.validity({true, true, false, true, true, true});
  ArrowNode nulls;
  nulls.type = ArrowType::kNull;
  nulls.length = 6;
  cols.push_back(std::move(nulls));
  ArrowNode root = batch(std::move(cols));
  ArrowTarget t = target_for(root, 0, {true, false, false, false});
  t.columns.push_back("absent");  // a column the batch does not carry: \N
  t.kinds.push_back(CsvKind::kText);
  t.is_key.push_back(false);
  const uint8_t ops[6] = {0, 1, 0, 1, 0, 0};
  root.length = 4;  // row 4 holds the refused \N
  expect_same(root, t, ops, "ops");
  root.length = 6;
  expect_same(root, t, ops, "the \\N string in row 4");
  const uint8_t bad_ops[6] = {0, 1, 2, 0, 0, 0};
  expect_same(root, t, bad_ops, "op 2");
  // Sliced: the batch starts at row 1 (children indexed by the struct's position).
  root.offset = 1;
  root.length = 3;
  expect_same(root, t, ops + 1, "slice");
  // A null key.
  ArrowTarget keyed = t;
  keyed.is_key[1] = true;
  root.offset = 0;
  root.length = 6;
  expect_same(root, keyed, ops, "null key");
}

Store& s_store() {
  static Store s;
  return s;
}

TEST(ArrowCsvDirect, RandomRowsOfTheBenchShape) {
  std::mt19937_64 rng(16);
  const size_t n = 5000;
  std::vector<int64_t> id(n), ts(n);
  std::vector<int32_t> cust(n);
  std::vector<uint64_t> amount(2 * n);
  std::vector<std::string> names(n);
  std::vector<bool> valid(n);
  std::vector<uint8_t> flags((n + 7) / 8);
  const std::vector<std::string> texts = text_cases();
  for (size_t i = 0; i < n; ++i) {
    id[i] = static_cast<int64_t>(rng());
    cust[i] = static_cast<int32_t>(rng() >> (rng() % 40));
    const int64_t a = static_cast<int64_t>(rng()) >> (rng() % 64);
    amount[2 * i] = static_cast<uint64_t>(a);
    amount[2 * i + 1] = a < 0 ? ~0ull : 0;
    if (rng() % 50 == 0) amount[2 * i + 1] = rng();
    ts[i] = static_cast<int64_t>(rng() % (400ull * 365 * 86400)) - 200ll * 365 * 86400;
    names[i] = rng() % 10 ? std::string(rng() % 40, static_cast<char>('a' + rng() % 26)) + "é" : "plain";
    valid[i] = rng() % 7 != 0;
    flags[i / 8] = static_cast<uint8_t>(rng());
  }
  std::vector<ArrowNode> cols;
  cols.push_back(fixed(s_store(), ArrowType::kInt64, id));
  cols.push_back(fixed(s_store(), ArrowType::kInt32, cust, valid));
  cols.push_back(utf8(s_store(), names));
  ArrowNode am;
  am.type = ArrowType::kDecimal;
  am.length = static_cast<int64_t>(n);
  am.values = s_store().put(amount);
  am.width_bits = 128;
  am.scale = 2;
  am.validity = s_store().validity(valid);
  cols.push_back(std::move(am));
  for (int64_t unit : {int64_t{1}, int64_t{1000000}}) {
    std::vector<int64_t> scaled = ts;
    for (int64_t& v : scaled) v = v * unit + (unit > 1 ? static_cast<int64_t>(rng() % unit) : 0);
    ArrowNode t = fixed(s_store(), ArrowType::kTimestamp, scaled);
    t.unit_per_s = unit;
    cols.push_back(std::move(t));
  }
  cols.push_back(fixed(s_store(), ArrowType::kBool, flags));
  cols.back().length = static_cast<int64_t>(n);
  ArrowNode root = batch(std::move(cols));
  std::vector<uint8_t> ops(n);
  for (uint8_t& o : ops) o = static_cast<uint8_t>(rng() % 2);
  expect_same(root, target_for(root, 3600), ops.data(), "random rows");
}

}  // namespace
}  // namespace srs
