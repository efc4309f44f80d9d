// RowCheck: the key check of sr_sink_write (columns opened for the sink, each at most once, every
// key column present and not null), on the fast path and the byte-by-byte path alike. Checked
// against cJSON as an independent oracle on generated rows whose key order, whitespace, escapes,
// nesting and mistakes vary from row to row, so the remembered key order is hit and missed.
#include <cjson/cJSON.h>
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "json_fast.h"
#include "row_check.h"

namespace srs {
namespace {

const std::vector<std::string> kColumns = {"id", "name", "amount", "a_column_name_longer_than_16", "k2",
                                           "\xC3\xBCml\xC3\xA4ut"};
const std::vector<std::string> kKeys = {"id", "k2"};

// The row in a buffer followed by kFastPadding bytes of garbage that would change the verdict if
// taken for the row's (as json_fast_test does).
RowCheck::Verdict run(RowCheck& c, const std::string& row, std::string* why, bool* lb) {
  static const char kGarbage[] = "\"{}[]:,\\ \x01\x80\n1e\"id\"";
  std::vector<char> buf(row.size() + kFastPadding);
  std::memcpy(buf.data(), row.data(), row.size());
  for (size_t k = 0; k < kFastPadding; ++k) buf[row.size() + k] = kGarbage[k % (sizeof kGarbage - 1)];
  return c.check(std::string_view(buf.data(), row.size()), lb, why);
}

std::string why_of(RowCheck& c, const std::string& row) {
  std::string why;
  bool lb = false;
  EXPECT_EQ(run(c, row, &why, &lb), RowCheck::Verdict::kBadKeys) << row;
  return why;
}

bool ok(RowCheck& c, const std::string& row) {
  std::string why;
  bool lb = false;
  return run(c, row, &why, &lb) == RowCheck::Verdict::kOk;
}

TEST(RowCheck, ExplainsEachKindOfBadKey) {
  RowCheck c({"id", "name", "amount"}, {"id"});
  EXPECT_TRUE(ok(c, R"({"id":1,"name":"a","amount":2})"));
  EXPECT_EQ(why_of(c, R"({"name":"a"})"), ": key column `id` is missing");
  EXPECT_EQ(why_of(c, R"({"id":null,"name":"a"})"), ": key column `id` is null");
  EXPECT_EQ(why_of(c, R"({"id":1,"nmae":"a"})"),
            " has key `nmae`, which is not a column opened for this sink (columns: id, name, amount)");
  EXPECT_EQ(why_of(c, R"({"id":1,"ID":2})"),
            " has key `ID`, which is not a column opened for this sink (did you mean `id`? columns: id, "
            "name, amount)");
  EXPECT_EQ(why_of(c, R"({"id":1,"id":2})"), " has key `id` more than once, which is ambiguous");
  EXPECT_EQ(why_of(c, R"({"id":1,"\u0069d":2})"), " has key `id` more than once, which is ambiguous");
  EXPECT_EQ(why_of(c, "{\"id\":1,\"a`\\u0001b\":2}"),
            " has key `a\\x60\\x01b`, which is not a column opened for this sink (columns: id, name, amount)");
  EXPECT_EQ(why_of(c, R"({"id":1,"":2})"),
            " has key ``, which is not a column opened for this sink (columns: id, name, amount)");
  EXPECT_EQ(why_of(c, R"({"":2,"id":1})"),
            " has key ``, which is not a column opened for this sink (columns: id, name, amount)");
  // The first problem in the row is named.
  EXPECT_EQ(why_of(c, R"({"nmae":1,"id":null})"),
            " has key `nmae`, which is not a column opened for this sink (columns: id, name, amount)");
}

// A position no earlier row had a key at: nothing is remembered there, and an empty key must not
// pass for that "nothing".
TEST(RowCheck, AnEmptyKeyWhereNothingIsRememberedIsUnknown) {
  RowCheck c({"id", "name"}, {"id"});
  EXPECT_EQ(why_of(c, R"({"id":1,"":2})"), " has key ``, which is not a column opened for this sink (columns: id, name)");
  EXPECT_EQ(why_of(c, R"({"id":1,"":{"x":1}})"), " has key ``, which is not a column opened for this sink (columns: id, name)");
}

TEST(RowCheck, NotJsonIsReportedAsSuch) {
  RowCheck c({"id"}, {"id"});
  std::string why;
  bool lb = false;
  EXPECT_EQ(run(c, R"({"id":1,)", &why, &lb), RowCheck::Verdict::kNotJson);
  EXPECT_NE(why.find("at byte"), std::string::npos) << why;
}

TEST(RowCheck, ManyColumnsAndLongNames) {
  std::vector<std::string> cols;
  std::string row = "{";
  for (int i = 0; i < 300; ++i) {
    cols.push_back("column_with_a_rather_long_name_" + std::to_string(i));
    row += (i ? "," : "") + std::string("\"") + cols.back() + "\":" + std::to_string(i);
  }
  RowCheck c(cols, {"column_with_a_rather_long_name_7"});
  EXPECT_TRUE(ok(c, row + "}"));
  EXPECT_TRUE(ok(c, row + "}")) << "the second time in the remembered order";
  // A long name that differs only after its first 16 bytes.
  std::string bad = row;
  bad.replace(bad.find("name_299"), 8, "name_999");
  const std::string why = why_of(c, bad + "}");
  EXPECT_EQ(why.rfind(" has key `column_with_a_rather_long_name_999`, which is not a column", 0), 0u) << why;
  EXPECT_NE(why.find(", ... (268 more))"), std::string::npos) << "the list is cut: " << why;
  EXPECT_EQ(why_of(c, row + ",\"column_with_a_rather_long_name_3\":1}"),
            " has key `column_with_a_rather_long_name_3` more than once, which is ambiguous");
  EXPECT_EQ(why_of(c, "{\"column_with_a_rather_long_name_7\":null}"),
            ": key column `column_with_a_rather_long_name_7` is null");
}

// ---- generated rows against cJSON ---------------------------------------------------------------

struct Gen {
  std::mt19937_64 rng;
  explicit Gen(uint64_t seed) : rng(seed) {}
  size_t pick(size_t n) { return static_cast<size_t>(rng() % n); }
  bool chance(int percent) { return static_cast<int>(rng() % 100) < percent; }

  std::string ws() {
    static const char* kWs[] = {"", "", "", "", " ", "\n", " \t", "\r\n "};
    return chance(85) ? "" : kWs[pick(8)];
  }
  std::string key(const std::string& name) {
    if (!chance(5) || name.empty()) return "\"" + name + "\"";
    // Escape one ASCII byte of the name.
    std::string out = "\"";
    const size_t at = pick(name.size());
    for (size_t i = 0; i < name.size(); ++i) {
      if (i == at && static_cast<unsigned char>(name[i]) < 0x80) {
        char b[8];
        std::snprintf(b, sizeof b, "\\u%04x", static_cast<unsigned char>(name[i]));
        out += b;
      } else {
        out += name[i];
      }
    }
    return out + "\"";
  }
  std::string value() {
    switch (pick(9)) {
      case 0: return "null";
      case 1: return "true";
      case 2: return std::to_string(static_cast<int64_t>(rng() % 100000) - 50000);
      case 3: return "12.5e-3";
      case 4: return "\"text with \\\"escapes\\\" and \xE4\xB8\xAD\"";
      case 5: return chance(30) ? "{\"id\":null,\"x\":[1,{\"nmae\":2}]}" : "[1,2,\"]\"]";
      case 6: return "\"n\"";
      default: return "\"" + std::string(pick(40), 'v') + "\"";
    }
  }
  // A row over the columns in a shape that repeats often (so the remembered order hits), with
  // mistakes now and then.
  std::string row(const std::vector<std::vector<size_t>>& shapes) {
    std::vector<std::string> names;
    for (size_t i : shapes[pick(shapes.size())]) names.push_back(kColumns[i]);
    if (chance(4) && !names.empty()) names.erase(names.begin() + static_cast<long>(pick(names.size())));
    if (chance(3)) names.insert(names.begin() + static_cast<long>(pick(names.size() + 1)),
                                chance(50) ? "nmae" : (chance(50) ? "ID" : ""));
    if (chance(3) && !names.empty()) names.push_back(names[pick(names.size())]);
    std::string r = ws() + "{" + ws();
    for (size_t i = 0; i < names.size(); ++i) {
      const bool is_key = names[i] == "id" || names[i] == "k2";
      const std::string v = is_key ? (chance(3) ? "null" : std::to_string(rng() % 1000)) : value();
      r += (i ? "," + ws() : "") + key(names[i]) + ws() + ":" + ws() + v + ws();
    }
    return r + "}" + ws();
  }
};

// The oracle: cJSON decodes keys and keeps repeated ones.
bool oracle(const std::string& row) {
  cJSON* j = cJSON_ParseWithLength(row.data(), row.size());
  EXPECT_NE(j, nullptr) << "the generator made invalid JSON: " << row;
  if (!j) return false;
  const std::set<std::string> cols(kColumns.begin(), kColumns.end());
  std::set<std::string> seen, keys_ok;
  bool good = true;
  for (const cJSON* c = j->child; c; c = c->next) {
    const std::string k = c->string;
    if (!cols.count(k) || !seen.insert(k).second) good = false;
    if ((k == "id" || k == "k2") && !cJSON_IsNull(c)) keys_ok.insert(k);
  }
  for (const std::string& k : kKeys) {
    if (!seen.count(k) || !keys_ok.count(k)) good = false;
  }
  cJSON_Delete(j);
  return good;
}

TEST(RowCheck, AgreesWithCJsonOnGeneratedRows) {
  Gen g(20261203);
  const std::vector<std::vector<size_t>> shapes = {
      {0, 1, 2, 3, 4, 5}, {0, 4}, {4, 0, 2}, {0, 1, 4, 5}, {3, 0, 4, 1}};
  RowCheck c(kColumns, kKeys);
  size_t good = 0, bad = 0;
  for (int i = 0; i < 300000; ++i) {
    const std::string row = g.row(shapes);
    const bool want = oracle(row);
    std::string why;
    bool lb = false;
    const RowCheck::Verdict v = run(c, row, &why, &lb);
    ASSERT_EQ(v == RowCheck::Verdict::kOk, want) << row << " → " << why;
    if (!want) {
      ASSERT_EQ(v, RowCheck::Verdict::kBadKeys) << row;
      ASSERT_FALSE(why.empty());
    }
    (want ? good : bad)++;
  }
  EXPECT_GT(good, 100000u);
  EXPECT_GT(bad, 10000u);
}

}  // namespace
}  // namespace srs
