#include "csv_encode.h"

#include <cstdint>
#include <cstring>

#include "json_lex.h"
#include "json_text.h"
#include "wire_format.h"

namespace srs {
namespace {

// End of the JSON string token starting at s[i] == '"' (index past the closing quote): the next
// quote not preceded by an odd number of backslashes (memchr: strings are most of a row).
size_t string_end(std::string_view s, size_t i) {
  const char* b = s.data();
  size_t from = i + 1;
  for (;;) {
    const void* q = std::memchr(b + from, '"', s.size() - from);
    if (!q) return s.size();
    const size_t at = static_cast<size_t>(static_cast<const char*>(q) - b);
    size_t bs = 0;
    while (at - bs > i + 1 && b[at - bs - 1] == '\\') ++bs;
    if (bs % 2 == 0) return at + 1;
    from = at + 1;
  }
}

// End of the (validated) JSON value starting at s[i].
size_t value_end(std::string_view s, size_t i) {
  if (s[i] == '"') return string_end(s, i);
  if (s[i] == '{' || s[i] == '[') {
    size_t depth = 0;
    while (i < s.size()) {
      const char c = s[i];
      if (c == '"') {
        i = string_end(s, i);
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if (c == '}' || c == ']') {
        if (--depth == 0) return i + 1;
      }
      ++i;
    }
    return s.size();
  }
  // number, true, false, null
  while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && !is_ws(static_cast<u8>(s[i]))) ++i;
  return i;
}

}  // namespace

CsvKind csv_kind_of(const std::string& t) {
  if (t == "JSON" || t == "ARRAY" || t == "MAP" || t == "STRUCT") return CsvKind::kJson;
  if (t == "VARBINARY" || t == "BINARY") return CsvKind::kBinary;
  return CsvKind::kText;
}

CsvText csv_append_text(std::string* out, std::string_view s) {
  if (s.size() == 2 && s[0] == '\\' && s[1] == 'N') return CsvText::kNullMarker;
  // Both separators are 0x1E/0x1F: one pass over the bytes below 0x20.
  for (char c : s) {
    if ((c & 0xFE) == 0x1E) return CsvText::kSeparator;
  }
  out->append(s.data(), s.size());
  return CsvText::kOk;
}

const char* csv_refusal(CsvText why) {
  return why == CsvText::kNullMarker
             ? "the string \\N, which StarRocks reads as NULL in a CSV body (use format json)"
             : "a string holding byte 0x1E or 0x1F, the CSV body's separators (use format json)";
}

void csv_append_base64(std::string* out, std::string_view b) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const auto* p = reinterpret_cast<const unsigned char*>(b.data());
  size_t i = 0;
  for (; i + 3 <= b.size(); i += 3) {
    const uint32_t v = (uint32_t{p[i]} << 16) | (uint32_t{p[i + 1]} << 8) | p[i + 2];
    const char q[4] = {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63],
                       kAlphabet[v & 63]};
    out->append(q, 4);
  }
  if (b.size() - i == 1) {
    const uint32_t v = uint32_t{p[i]} << 16;
    const char q[4] = {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], '=', '='};
    out->append(q, 4);
  } else if (b.size() - i == 2) {
    const uint32_t v = (uint32_t{p[i]} << 16) | (uint32_t{p[i + 1]} << 8);
    const char q[4] = {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63], '='};
    out->append(q, 4);
  }
}

void json_minify(std::string_view v, std::string* out) {
  size_t i = 0;
  while (i < v.size()) {
    const char c = v[i];
    if (c == '"') {
      const size_t e = string_end(v, i);
      out->append(v.data() + i, e - i);
      i = e;
    } else {
      if (!is_ws(static_cast<u8>(c))) out->push_back(c);
      ++i;
    }
  }
}

CsvRowEncoder::CsvRowEncoder(const std::vector<std::string>& columns, const std::vector<CsvKind>& kinds)
    : columns_(columns), kinds_(kinds), values_(columns.size()) {
  for (size_t i = 0; i < columns_.size(); ++i) index_.emplace(std::string_view(columns_[i]), i);
}

bool CsvRowEncoder::encode(std::string_view row, int op, std::string* out, std::string* why) {
  for (auto& v : values_) v = std::string_view();
  size_t i = 0, pos = 0;
  auto skip_ws = [&] {
    while (i < row.size() && is_ws(static_cast<u8>(row[i]))) ++i;
  };
  skip_ws();
  ++i;  // '{'
  skip_ws();
  while (i < row.size() && row[i] == '"') {
    const size_t ke = string_end(row, i);
    std::string_view key = row.substr(i + 1, ke - i - 2);
    if (key.find('\\') != std::string_view::npos) {
      json_unescape(row.substr(i, ke - i), &key_);
      key = key_;
    }
    i = ke;
    skip_ws();
    ++i;  // ':'
    skip_ws();
    const size_t ve = value_end(row, i);
    // Rows of one writer keep their key order: try the column that stood here last time.
    size_t col = SIZE_MAX;
    if (pos < predicted_.size() && columns_[predicted_[pos]] == key) {
      col = predicted_[pos];
    } else if (auto it = index_.find(key); it != index_.end()) {
      col = it->second;
      if (pos >= predicted_.size()) predicted_.resize(pos + 1, 0);
      predicted_[pos] = col;
    }
    if (col != SIZE_MAX) values_[col] = row.substr(i, ve - i);
    ++pos;
    i = ve;
    skip_ws();
    if (i < row.size() && row[i] == ',') {
      ++i;
      skip_ws();
    }
  }
  const size_t mark = out->size();
  for (size_t c = 0; c < values_.size(); ++c) {
    const std::string_view v = values_[c];
    const CsvKind kind = kinds_[c];
    if (v.empty() || v[0] == 'n') {
      csv_append_null(out);
    } else if (kind == CsvKind::kBinary && v[0] != '"') {
      // JSON gives VARBINARY a number's (or object's) text as bytes; CSV fields there are base64.
      scratch_.clear();
      if (v[0] == '{' || v[0] == '[') json_minify(v, &scratch_);
      else if (v[0] == 't' || v[0] == 'f') scratch_ = v[0] == 't' ? "1" : "0";
      else scratch_.assign(v.data(), v.size());
      csv_append_base64(out, scratch_);
    } else if (v[0] == '"') {
      if (kind == CsvKind::kJson) {
        out->append(v.data(), v.size());  // the JSON text of a string: "..." with its quotes
      } else {
        std::string_view text = v.substr(1, v.size() - 2);
        if (text.find('\\') != std::string_view::npos) {
          json_unescape(v, &scratch_);
          text = scratch_;
        }
        if (kind == CsvKind::kBinary) {
          csv_append_base64(out, text);
        } else if (CsvText t = csv_append_text(out, text); t != CsvText::kOk) {
          out->resize(mark);
          *why = "column `" + columns_[c] + "` is " + csv_refusal(t);
          return false;
        }
      }
    } else if (v[0] == '{' || v[0] == '[') {
      json_minify(v, out);  // JSON text escapes control bytes: no separator inside
    } else if (v[0] == 't' || v[0] == 'f') {
      // StarRocks' JSON reader gives a boolean to a text column as 1/0; JSON columns keep it.
      if (kind == CsvKind::kJson) out->append(v.data(), v.size());
      else out->push_back(v[0] == 't' ? '1' : '0');
    } else {
      out->append(v.data(), v.size());  // a number token: its exact text
    }
    out->push_back(kCsvSeparator);
  }
  out->push_back(op == 1 ? '1' : '0');
  out->push_back(kCsvRowDelimiter);
  return true;
}

}  // namespace srs
