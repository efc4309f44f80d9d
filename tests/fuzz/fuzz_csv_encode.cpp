// The CSV encoder (option format=csv): a row sr_sink_write accepted (valid JSON, its keys distinct
// opened columns) laid out as one CSV line (wire_format.h: fields in column order then __op,
// 0x1F between fields, 0x1E after the row, \N = NULL). First byte: the op and the columns' kinds
// (text, JSON, binary); the rest is the row; the columns are the row's own keys plus one it leaves
// out. Checks: the line splits back into exactly the columns + op; a text column's field is the
// decoded string (or the row is refused, naming the column, exactly when that string is \N or
// holds a separator byte, and nothing is appended); a JSON column's field is valid JSON; a
// missing or null value is \N; a binary column's string is its base64.
#include <algorithm>
#include <string>
#include <vector>

#include "csv_encode.h"
#include "encode.h"
#include "fuzz_check.h"
#include "json_oracle.h"
#include "wire_format.h"

using fuzz::show;

namespace {
std::string base64(std::string_view b) {
  std::string out;
  srs::csv_append_base64(&out, b);
  return out;
}
// Reference base64 (RFC 4648, padded), to check csv_append_base64 too.
std::string ref_base64(std::string_view b) {
  static const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : b) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(a[(acc >> bits) & 63]);
    }
  }
  if (bits > 0) out.push_back(a[(acc << (6 - bits)) & 63]);
  while (out.size() % 4) out.push_back('=');
  return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t ctl = data[0];
  const std::string_view row(reinterpret_cast<const char*>(data + 1), size - 1);
  std::vector<srs::TopLevelKeys::Key> keys(32);
  srs::TopLevelKeys tk{keys.data(), keys.size(), 0, false};
  bool lb = false;
  if (!srs::validate_json_object_reference(row, nullptr, &lb, &tk) || tk.more) return 0;
  std::vector<std::string> cols;
  std::vector<std::string_view> values;
  for (size_t k = 0; k < tk.n; ++k) {
    std::string name;
    FUZZ_CHECK(fuzz::JsonOracle::decode_string(row.substr(tk.at[k].text - 1, tk.at[k].len + 2), &name),
               "key token");
    if (name.empty() || std::find(cols.begin(), cols.end(), name) != cols.end()) return 0;  // RowCheck refuses
    cols.push_back(name);
    // The value's text: from its start to the next top-level ',' or '}' (the oracle checks it).
    size_t v = tk.at[k].value, e = v, depth = 0;
    for (; e < row.size(); ++e) {
      char c = row[e];
      if (c == '"') {
        for (++e; row[e] != '"'; ++e) {
          if (row[e] == '\\') ++e;
        }
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (depth == 0) break;
        --depth;
      } else if (c == ',' && depth == 0) {
        break;
      }
    }
    while (e > v && (row[e - 1] == ' ' || row[e - 1] == '\t' || row[e - 1] == '\n' || row[e - 1] == '\r')) --e;
    values.push_back(row.substr(v, e - v));
  }
  std::string missing = "zz_missing";
  while (std::find(cols.begin(), cols.end(), missing) != cols.end()) missing += "_";
  cols.push_back(missing);
  values.push_back("null");
  std::vector<srs::CsvKind> kinds;
  for (size_t c = 0; c < cols.size(); ++c) {
    const int k = ((ctl >> 1) + static_cast<int>(c) * ((ctl >> 4) | 1)) % 3;
    kinds.push_back(k == 0 ? srs::CsvKind::kText : k == 1 ? srs::CsvKind::kJson : srs::CsvKind::kBinary);
  }
  // The encoder sees the columns in an order of its own (rotated), as a sink's opened columns.
  const size_t rot = (ctl >> 3) % cols.size();
  std::rotate(cols.begin(), cols.begin() + rot, cols.end());
  std::rotate(values.begin(), values.begin() + rot, values.end());
  std::rotate(kinds.begin(), kinds.begin() + rot, kinds.end());

  srs::CsvRowEncoder enc(cols, kinds);
  const int op = ctl & 1;
  std::string out = "prefix", why;
  const bool ok = enc.encode(row, op, &out, &why);
  // What each field must be, and whether the row must be refused.
  bool refuse = false;
  std::vector<std::string> want(cols.size());
  for (size_t c = 0; c < cols.size(); ++c) {
    const std::string_view v = values[c];
    if (v == "null") {
      want[c] = "\\N";
    } else if (v[0] == '"') {
      std::string s;
      FUZZ_CHECK(fuzz::JsonOracle::decode_string(v, &s), "value token `%s`", show(v).c_str());
      if (kinds[c] == srs::CsvKind::kJson) {
        want[c] = std::string(v);
      } else if (kinds[c] == srs::CsvKind::kBinary) {
        want[c] = ref_base64(s);
        FUZZ_CHECK(base64(s) == want[c], "base64 of `%s`", show(s).c_str());
      } else {
        if (s == "\\N" || s.find('\x1e') != std::string::npos || s.find('\x1f') != std::string::npos) refuse = true;
        want[c] = s;
      }
    } else if (v[0] == 't' || v[0] == 'f') {
      const std::string text = v[0] == 't' ? "1" : "0";
      want[c] = kinds[c] == srs::CsvKind::kJson     ? std::string(v)
                : kinds[c] == srs::CsvKind::kBinary ? ref_base64(text)
                                                    : text;
    } else if (v[0] == '{' || v[0] == '[') {
      want[c] = "";  // minified JSON (base64 of it for VARBINARY): checked below
    } else {
      // A number's token; VARBINARY fields are base64 (of the token's bytes).
      want[c] = kinds[c] == srs::CsvKind::kBinary ? ref_base64(std::string(v)) : std::string(v);
    }
  }
  if (!ok) {
    FUZZ_CHECK(refuse, "refused (%s) a row CSV can carry: `%s`", why.c_str(), show(row).c_str());
    FUZZ_CHECK(out == "prefix", "a refused row appended `%s`", show(out).c_str());
    FUZZ_CHECK(why.find("column `") != std::string::npos, "refusal without the column: %s", why.c_str());
    return 0;
  }
  FUZZ_CHECK(!refuse, "accepted a row holding \\N or a separator in a text column: `%s` -> `%s`", show(row).c_str(),
             show(out).c_str());
  FUZZ_CHECK(out.compare(0, 6, "prefix") == 0, "overwrote the buffer");
  std::string_view line(out);
  line.remove_prefix(6);
  FUZZ_CHECK(!line.empty() && line.back() == srs::kCsvRowDelimiter, "line `%s` does not end with 0x1E",
             show(line).c_str());
  line.remove_suffix(1);
  FUZZ_CHECK(line.find(srs::kCsvRowDelimiter) == std::string_view::npos, "0x1E inside `%s`", show(line).c_str());
  std::vector<std::string_view> fields;
  for (size_t start = 0;;) {
    size_t sep = line.find(srs::kCsvSeparator, start);
    fields.push_back(line.substr(start, sep == std::string_view::npos ? std::string_view::npos : sep - start));
    if (sep == std::string_view::npos) break;
    start = sep + 1;
  }
  FUZZ_CHECK(fields.size() == cols.size() + 1, "%zu fields for %zu columns + op in `%s` from `%s`", fields.size(),
             cols.size(), show(line).c_str(), show(row).c_str());
  FUZZ_CHECK(fields.back() == (op ? "1" : "0"), "op field `%s`", show(fields.back()).c_str());
  for (size_t c = 0; c < cols.size(); ++c) {
    const std::string_view v = values[c];
    if (!v.empty() && (v[0] == '{' || v[0] == '[') && kinds[c] == srs::CsvKind::kBinary) {
      FUZZ_CHECK(fields[c].size() % 4 == 0 &&
                     fields[c].find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") ==
                         std::string_view::npos,
                 "column %s: `%s` is not base64", cols[c].c_str(), show(fields[c]).c_str());
    } else if (!v.empty() && (v[0] == '{' || v[0] == '[')) {
      FUZZ_CHECK(fuzz::JsonOracle::valid_value(fields[c]), "column %s: `%s` is not JSON", cols[c].c_str(),
                 show(fields[c]).c_str());
      FUZZ_CHECK(fields[c].size() <= v.size(), "minified longer than the value");
    } else {
      FUZZ_CHECK(fields[c] == want[c], "column %s (kind %d): field `%s`, want `%s`, row `%s`", cols[c].c_str(),
                 static_cast<int>(kinds[c]), show(fields[c]).c_str(), show(want[c]).c_str(), show(row).c_str());
    }
  }
  return 0;
}
