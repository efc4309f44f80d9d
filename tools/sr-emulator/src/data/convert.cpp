// Text / JSON value → canonical column value, following spec §6.1/§6.2 (StarRocks' JSON readers
// and its VARCHAR→T casts). The caller decides what a failure means (NULL or filtered row).
#include <charconv>
#include <cmath>
#include <cstring>

#include "data/internal.h"

namespace sremu::dl {
namespace {

using int128 = __int128;
using uint128 = unsigned __int128;

// A decimal number as written: (-1)^neg × digits × 10^exp. Digits have no leading zeros.
struct DecNum {
  bool neg = false;
  std::string digits;  // empty = zero
  int64_t exp = 0;
};

// [+-]digits[.digits][(e|E)[+-]digits] or [+-].digits…; surrounding whitespace was trimmed.
bool parse_decnum(std::string_view s, DecNum* d) {
  size_t i = 0;
  d->neg = false;
  d->digits.clear();
  d->exp = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) d->neg = s[i++] == '-';
  size_t ndig = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    if (!(d->digits.empty() && s[i] == '0')) d->digits.push_back(s[i]);
    ++i;
    ++ndig;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (!(d->digits.empty() && s[i] == '0')) d->digits.push_back(s[i]);
      --d->exp;
      ++i;
      ++ndig;
    }
  }
  if (ndig == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) eneg = s[i++] == '-';
    size_t b = i;
    int64_t e = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (e < 100000000) e = e * 10 + (s[i] - '0');
      ++i;
    }
    if (i == b) return false;
    d->exp += eneg ? -e : e;
  }
  if (i != s.size()) return false;
  if (d->digits.empty()) d->neg = false;
  return true;
}

// Integer part of d (truncated toward zero) if |value| ≤ limit.
bool decnum_to_int(const DecNum& d, uint128 limit_pos, uint128 limit_neg, int128* out) {
  std::string_view digs = d.digits;
  int64_t e = d.exp;
  if (e < 0) {
    if (static_cast<int64_t>(digs.size()) <= -e) digs = {};
    else digs = digs.substr(0, digs.size() - static_cast<size_t>(-e));
    e = 0;
  }
  if (static_cast<int64_t>(digs.size()) + e > 40) return false;
  uint128 v = 0;
  const uint128 limit = d.neg ? limit_neg : limit_pos;
  auto push = [&](int digit) {
    if (v > (limit - static_cast<uint128>(digit)) / 10) return false;
    v = v * 10 + static_cast<uint128>(digit);
    return true;
  };
  for (char c : digs)
    if (!push(c - '0')) return false;
  for (int64_t k = 0; k < e; ++k)
    if (!push(0)) return false;
  // -(2^127) is representable; negate via unsigned arithmetic to avoid signed overflow.
  *out = d.neg ? static_cast<int128>(~v + 1) : static_cast<int128>(v);
  return true;
}

void append_int128(int128 v, std::string* out) {
  char buf[48];
  char* p = buf + sizeof(buf);
  bool neg = v < 0;
  uint128 u = neg ? ~static_cast<uint128>(v) + 1 : static_cast<uint128>(v);
  do {
    *--p = static_cast<char>('0' + static_cast<int>(u % 10));
    u /= 10;
  } while (u != 0);
  if (neg) *--p = '-';
  out->append(p, buf + sizeof(buf) - p);
}

std::string shown(std::string_view v) {
  constexpr size_t kMax = 128;
  if (v.size() <= kMax) return std::string(v);
  return std::string(v.substr(0, kMax)) + "...";
}

bool fail(std::string* why, std::string_view value, const std::string& reason) {
  if (why) *why = "'" + shown(value) + "' " + reason;
  return false;
}

bool int_limits(TypeKind k, uint128* pos, uint128* neg) {
  switch (k) {
    case TypeKind::kTinyInt: *pos = 127; *neg = 128; return true;
    case TypeKind::kSmallInt: *pos = 32767; *neg = 32768; return true;
    case TypeKind::kInt: *pos = 2147483647u; *neg = 2147483648u; return true;
    case TypeKind::kBigInt: *pos = 9223372036854775807ull; *neg = 9223372036854775808ull; return true;
    case TypeKind::kLargeInt:
      *neg = static_cast<uint128>(1) << 127;
      *pos = *neg - 1;
      return true;
    default: return false;
  }
}

bool convert_int(const Type& t, std::string_view text, std::string* out, std::string* why) {
  std::string_view s = trim(text);
  uint128 pos, neg;
  int_limits(t.kind, &pos, &neg);
  // Fast path: plain integers (the common case) without building a DecNum.
  if (!s.empty() && s.size() <= 18) {
    int64_t v;
    if (parse_int64(s, &v)) {
      if ((v >= 0 && static_cast<uint128>(v) <= pos) || (v < 0 && static_cast<uint128>(-static_cast<int128>(v)) <= neg)) {
        char buf[24];
        auto r = std::to_chars(buf, buf + sizeof(buf), v);
        out->append(buf, r.ptr);
        return true;
      }
      return fail(why, text, "is out of range for " + t.text);
    }
  }
  DecNum d;
  if (!parse_decnum(s, &d)) return fail(why, text, "is not a valid " + t.text);
  int128 v;
  if (!decnum_to_int(d, pos, neg, &v)) return fail(why, text, "is out of range for " + t.text);
  append_int128(v, out);
  return true;
}

bool float_syntax(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) return false;
  return true;
}

bool convert_floating(const Type& t, std::string_view text, std::string* out, std::string* why) {
  std::string_view s = trim(text);
  if (!float_syntax(s)) return fail(why, text, "is not a valid " + t.text);
  if (s[0] == '+') s.remove_prefix(1);
  if (t.kind == TypeKind::kFloat) {
    float f;
    auto r = std::from_chars(s.data(), s.data() + s.size(), f);
    if (r.ec == std::errc::result_out_of_range) return fail(why, text, "is out of range for FLOAT");
    if (r.ec != std::errc() || r.ptr != s.data() + s.size() || !std::isfinite(f))
      return fail(why, text, "is not a valid FLOAT");
    format_float(f, out);
  } else {
    double d;
    auto r = std::from_chars(s.data(), s.data() + s.size(), d);
    if (r.ec == std::errc::result_out_of_range) return fail(why, text, "is out of range for DOUBLE");
    if (r.ec != std::errc() || r.ptr != s.data() + s.size() || !std::isfinite(d))
      return fail(why, text, "is not a valid DOUBLE");
    format_double(d, out);
  }
  return true;
}

// Rounds half away from zero to `scale` digits (StarRocks' VARCHAR→DECIMAL cast rounds; UNCONFIRMED
// for every version) and checks the precision.
bool convert_decimal(const Type& t, std::string_view text, std::string* out, std::string* why) {
  DecNum d;
  if (!parse_decnum(trim(text), &d)) return fail(why, text, "is not a valid " + t.text);
  // Unscaled integer = digits × 10^(exp + scale).
  int64_t shift = d.exp + t.scale;
  std::string unscaled = d.digits;
  if (shift >= 0) {
    if (static_cast<int64_t>(unscaled.size()) + shift > t.precision && !unscaled.empty())
      return fail(why, text, "is out of range for " + t.text);
    unscaled.append(static_cast<size_t>(shift), '0');
  } else {
    size_t drop = static_cast<size_t>(-shift);
    bool round_up = false;
    if (drop > unscaled.size()) {
      unscaled.clear();
    } else {
      round_up = unscaled[unscaled.size() - drop] >= '5';
      unscaled.resize(unscaled.size() - drop);
    }
    if (round_up) {
      int i = static_cast<int>(unscaled.size()) - 1;
      while (i >= 0 && unscaled[static_cast<size_t>(i)] == '9') unscaled[static_cast<size_t>(i--)] = '0';
      if (i < 0) unscaled.insert(unscaled.begin(), '1');
      else ++unscaled[static_cast<size_t>(i)];
    }
    size_t nz = unscaled.find_first_not_of('0');
    unscaled = nz == std::string::npos ? "" : unscaled.substr(nz);
  }
  if (static_cast<int>(unscaled.size()) > t.precision) return fail(why, text, "is out of range for " + t.text);
  if (unscaled.size() < static_cast<size_t>(t.scale) + 1)
    unscaled.insert(0, static_cast<size_t>(t.scale) + 1 - unscaled.size(), '0');
  bool zero = unscaled.find_first_not_of('0') == std::string::npos;
  if (d.neg && !zero) out->push_back('-');
  size_t int_len = unscaled.size() - static_cast<size_t>(t.scale);
  out->append(unscaled, 0, int_len);
  if (t.scale > 0) {
    out->push_back('.');
    out->append(unscaled, int_len, std::string::npos);
  }
  return true;
}

bool convert_bool(std::string_view text, std::string* out, std::string* why) {
  std::string_view s = trim(text);
  if (iequals(s, "true")) {
    out->append("true");
    return true;
  }
  if (iequals(s, "false")) {
    out->append("false");
    return true;
  }
  DecNum d;
  if (!parse_decnum(s, &d)) return fail(why, text, "is not a valid BOOLEAN");
  out->append(d.digits.empty() ? "false" : "true");
  return true;
}

int days_in_month(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

struct DateTime {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, us = 0;
};

// Reads 1..max digits.
bool digits(std::string_view s, size_t* i, size_t min, size_t max, int* v) {
  size_t b = *i;
  int r = 0;
  while (*i < s.size() && *i - b < max && s[*i] >= '0' && s[*i] <= '9') r = r * 10 + (s[(*i)++] - '0');
  if (*i - b < min) return false;
  *v = r;
  return true;
}

// Accepts "YYYY-M-D", "YYYYMMDD", "YYYYMMDDHHMMSS", optionally followed by (' ' | 'T')
// "H:M[:S[.f]]". Zone suffixes ("Z", "+08:00") are rejected: StarRocks has no zone-aware DATETIME.
bool parse_datetime(std::string_view s, DateTime* dt, bool* has_time) {
  s = trim(s);
  size_t i = 0;
  *has_time = false;
  bool compact = s.size() >= 8 && s.find('-') == std::string_view::npos && s.find('/') == std::string_view::npos;
  if (compact) {
    if (!digits(s, &i, 4, 4, &dt->y) || !digits(s, &i, 2, 2, &dt->mo) || !digits(s, &i, 2, 2, &dt->d)) return false;
    if (i < s.size() && s[i] >= '0' && s[i] <= '9') {  // YYYYMMDDHHMMSS
      if (!digits(s, &i, 2, 2, &dt->h) || !digits(s, &i, 2, 2, &dt->mi) || !digits(s, &i, 2, 2, &dt->s)) return false;
      *has_time = true;
    }
  } else {
    if (!digits(s, &i, 4, 4, &dt->y) || i >= s.size() || s[i] != '-') return false;
    ++i;
    if (!digits(s, &i, 1, 2, &dt->mo) || i >= s.size() || s[i] != '-') return false;
    ++i;
    if (!digits(s, &i, 1, 2, &dt->d)) return false;
  }
  if (i < s.size() && !*has_time) {
    if (s[i] != ' ' && s[i] != 'T') return false;
    ++i;
    if (!digits(s, &i, 1, 2, &dt->h) || i >= s.size() || s[i] != ':') return false;
    ++i;
    if (!digits(s, &i, 1, 2, &dt->mi)) return false;
    if (i < s.size() && s[i] == ':') {
      ++i;
      if (!digits(s, &i, 1, 2, &dt->s)) return false;
      if (i < s.size() && s[i] == '.') {
        ++i;
        size_t b = i;
        int frac = 0;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
          if (i - b < 6) frac = frac * 10 + (s[i] - '0');
          ++i;  // digits beyond microseconds are truncated
        }
        if (i == b) return false;
        for (size_t k = i - b; k < 6; ++k) frac *= 10;
        dt->us = frac;
      }
    }
    *has_time = true;
  }
  if (i != s.size()) return false;
  if (dt->mo < 1 || dt->mo > 12 || dt->d < 1 || dt->d > days_in_month(dt->y, dt->mo)) return false;
  if (dt->h > 23 || dt->mi > 59 || dt->s > 59) return false;
  return true;
}

bool convert_date(const Type& t, std::string_view text, std::string* out, std::string* why) {
  DateTime dt;
  bool has_time;
  if (!parse_datetime(text, &dt, &has_time)) return fail(why, text, "is not a valid " + t.text);
  // Fixed-width fields written by hand: this runs once per DATE/DATETIME value.
  char buf[32];
  size_t n = 0;
  auto put = [&](int v, int width) {
    for (int k = width - 1; k >= 0; --k, v /= 10) buf[n + static_cast<size_t>(k)] = static_cast<char>('0' + v % 10);
    n += static_cast<size_t>(width);
  };
  buf[n++] = '"';
  put(dt.y, 4), buf[n++] = '-', put(dt.mo, 2), buf[n++] = '-', put(dt.d, 2);
  if (t.kind == TypeKind::kDateTime) {
    buf[n++] = ' ', put(dt.h, 2), buf[n++] = ':', put(dt.mi, 2), buf[n++] = ':', put(dt.s, 2);
    if (dt.us != 0) buf[n++] = '.', put(dt.us, 6);
  }
  buf[n++] = '"';
  out->append(buf, n);
  return true;
}

size_t max_bytes(const Type& t) {
  if (t.length > 0) return static_cast<size_t>(t.length);
  return t.kind == TypeKind::kString ? 65533 : 1048576;
}

bool convert_string(const Type& t, std::string_view bytes, std::string* out, std::string* why) {
  if (bytes.size() > max_bytes(t))
    return fail(why, bytes, "is longer than " + t.text + " (" + std::to_string(bytes.size()) + " bytes)");
  quote(bytes, out);
  return true;
}

int b64val(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Strict base64 (padding required); false if `s` is not base64.
bool base64_decode(std::string_view s, std::string* out) {
  if (s.empty() || s.size() % 4 != 0) return false;
  out->clear();
  for (size_t i = 0; i < s.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      char c = s[i + static_cast<size_t>(k)];
      if (c == '=' && i + 4 == s.size() && k >= 2) {
        v[k] = 0;
        ++pad;
      } else {
        if (pad) return false;
        v[k] = b64val(c);
        if (v[k] < 0) return false;
      }
    }
    uint32_t n = (static_cast<uint32_t>(v[0]) << 18) | (static_cast<uint32_t>(v[1]) << 12) |
                 (static_cast<uint32_t>(v[2]) << 6) | static_cast<uint32_t>(v[3]);
    out->push_back(static_cast<char>(n >> 16));
    if (pad < 2) out->push_back(static_cast<char>((n >> 8) & 0xFF));
    if (pad < 1) out->push_back(static_cast<char>(n & 0xFF));
  }
  return true;
}

bool is_complex(TypeKind k) { return k == TypeKind::kArray || k == TypeKind::kMap || k == TypeKind::kStruct; }

bool is_native_numeric(TypeKind k) {
  return k == TypeKind::kTinyInt || k == TypeKind::kSmallInt || k == TypeKind::kInt || k == TypeKind::kBigInt ||
         k == TypeKind::kFloat || k == TypeKind::kDouble;
}

bool is_stringy(TypeKind k) {
  return k == TypeKind::kChar || k == TypeKind::kVarchar || k == TypeKind::kString || k == TypeKind::kVarbinary;
}

// Scalar conversion of text (a CSV field, a constant, or the content/raw token of a JSON value).
bool convert_scalar_text(const Type& t, std::string_view text, std::string* out, std::string* why) {
  switch (t.kind) {
    case TypeKind::kTinyInt:
    case TypeKind::kSmallInt:
    case TypeKind::kInt:
    case TypeKind::kBigInt:
    case TypeKind::kLargeInt:
      return convert_int(t, text, out, why);
    case TypeKind::kFloat:
    case TypeKind::kDouble:
      return convert_floating(t, text, out, why);
    case TypeKind::kDecimal:
      return convert_decimal(t, text, out, why);
    case TypeKind::kBoolean:
      return convert_bool(text, out, why);
    case TypeKind::kChar:
    case TypeKind::kVarchar:
    case TypeKind::kString:
    case TypeKind::kVarbinary:
      return convert_string(t, text, out, why);
    case TypeKind::kDate:
    case TypeKind::kDateTime:
      return convert_date(t, text, out, why);
    default:
      return fail(why, text, "cannot be converted to " + t.text);
  }
}

Conv convert_json(const Type& t, const JsonDoc& doc, int node, std::string* out, std::string* why);

// A JSON number with a fraction or exponent into TINYINT..BIGINT: simdjson reads it as a double and
// the JSON scanner casts that double, so precision is the double's (9223372036854775000.0 loads as
// 9223372036854774784) and the range check is on the truncated double: [-2^63, 2^63) for BIGINT,
// so 9223372036854775807.0 (= 2^63 as a double) is out of range (StarRocks' test_json_check_number_overflow).
bool json_double_to_int(const Type& t, std::string_view token, std::string* out, std::string* why) {
  double d = std::strtod(std::string(token).c_str(), nullptr);
  if (!std::isfinite(d)) return fail(why, token, "is out of range of " + t.text);
  d = std::trunc(d);
  double lo, hi;  // hi is exclusive
  switch (t.kind) {
    case TypeKind::kTinyInt: lo = -128.0; hi = 128.0; break;
    case TypeKind::kSmallInt: lo = -32768.0; hi = 32768.0; break;
    case TypeKind::kInt: lo = -2147483648.0; hi = 2147483648.0; break;
    default: lo = -9223372036854775808.0; hi = 9223372036854775808.0; break;
  }
  if (d < lo || d >= hi) return fail(why, token, "is out of range of " + t.text);
  out->append(std::to_string(static_cast<int64_t>(d)));
  return true;
}

// Element of ARRAY/MAP/STRUCT: failures become NULL elements (spec §6.1).
void convert_element(const Type& t, const JsonDoc& doc, int node, std::string* out) {
  size_t mark = out->size();
  std::string ignored;
  if (node < 0 || convert_json(t, doc, node, out, &ignored) != Conv::kOk) {
    out->resize(mark);
    out->append("null");
  }
}

Conv convert_json(const Type& t, const JsonDoc& doc, int node, std::string* out, std::string* why) {
  const JNode& n = doc.at(node);
  if (n.kind == JKind::kNull) return Conv::kNull;
  if (n.bad) return fail(why, n.text, "is not valid JSON (invalid escape in a string)"), Conv::kFail;
  std::string tmp;
  switch (t.kind) {
    case TypeKind::kJson:
      json_minify(doc, node, true, out);
      return Conv::kOk;
    case TypeKind::kArray: {
      if (n.kind != JKind::kArray) return fail(why, n.text, "is not a JSON array for " + t.text), Conv::kFail;
      out->push_back('[');
      for (int c = n.first; c >= 0; c = doc.at(c).next) {
        if (c != n.first) out->push_back(',');
        convert_element(t.children[0], doc, c, out);
      }
      out->push_back(']');
      return Conv::kOk;
    }
    case TypeKind::kMap: {
      if (n.kind != JKind::kObject) return fail(why, n.text, "is not a JSON object for " + t.text), Conv::kFail;
      out->push_back('{');
      std::string key;
      for (int c = n.first; c >= 0; c = doc.at(c).next) {
        key.clear();
        std::string kwhy;
        std::string_view k = json_key(doc.at(c), &tmp);
        if (!convert_scalar_text(t.children[0], k, &key, &kwhy)) {
          if (why) *why = "map key " + kwhy;
          return Conv::kFail;
        }
        if (c != n.first) out->push_back(',');
        if (!key.empty() && key[0] == '"') out->append(key);
        else quote(key, out);  // numbers/booleans become JSON object keys as text
        out->push_back(':');
        convert_element(t.children[1], doc, c, out);
      }
      out->push_back('}');
      return Conv::kOk;
    }
    case TypeKind::kStruct: {
      if (n.kind != JKind::kObject) return fail(why, n.text, "is not a JSON object for " + t.text), Conv::kFail;
      out->push_back('{');
      for (size_t f = 0; f < t.field_names.size(); ++f) {
        if (f) out->push_back(',');
        quote(t.field_names[f], out);
        out->push_back(':');
        convert_element(t.children[f], doc, json_member(doc, node, t.field_names[f]), out);
      }
      out->push_back('}');
      return Conv::kOk;
    }
    default:
      break;
  }
  switch (n.kind) {
    case JKind::kNumber:
      if (!n.is_integer && is_native_numeric(t.kind) && t.kind != TypeKind::kFloat && t.kind != TypeKind::kDouble)
        return json_double_to_int(t, n.text, out, why) ? Conv::kOk : Conv::kFail;
      if (t.kind == TypeKind::kBoolean) {
        DecNum d;
        parse_decnum(n.text, &d);
        out->append(d.digits.empty() ? "false" : "true");
        return Conv::kOk;
      }
      return convert_scalar_text(t, n.text, out, why) ? Conv::kOk : Conv::kFail;
    case JKind::kString:
      return convert_scalar_text(t, json_string(n, &tmp), out, why) ? Conv::kOk : Conv::kFail;
    case JKind::kTrue:
    case JKind::kFalse: {
      bool b = n.kind == JKind::kTrue;
      if (t.kind == TypeKind::kBoolean) {
        out->append(b ? "true" : "false");
        return Conv::kOk;
      }
      // Integer and floating columns read JSON natively and refuse booleans; every other type is read
      // as VARCHAR first (JsonScanner::_construct_json_types), where a boolean becomes "1"/"0", and
      // then cast — so DECIMAL gets 1, DATE fails.
      if (is_native_numeric(t.kind)) return fail(why, n.text, "cannot be converted to " + t.text), Conv::kFail;
      return convert_scalar_text(t, b ? "1" : "0", out, why) ? Conv::kOk : Conv::kFail;
    }
    case JKind::kArray:
    case JKind::kObject:
      if (is_stringy(t.kind)) {
        json_minify(doc, node, false, &tmp);
        return convert_string(t, tmp, out, why) ? Conv::kOk : Conv::kFail;
      }
      return fail(why, n.text, "cannot be converted to " + t.text), Conv::kFail;
    default:
      return Conv::kNull;
  }
}

}  // namespace

Conv convert(const Type& t, const SrcVal& v, std::string* out, std::string* why) {
  switch (v.kind) {
    case SrcVal::kMissing:
    case SrcVal::kNull:
      return Conv::kNull;
    case SrcVal::kJson:
      return convert_json(t, *v.doc, v.node, out, why);
    case SrcVal::kText:
      break;
  }
  if (t.kind == TypeKind::kJson || is_complex(t.kind)) {
    // CSV text for JSON/ARRAY/MAP/STRUCT columns must be JSON text (e.g. [1,2,3], {"k":1}).
    JsonDoc doc;
    size_t pos = 0;
    int root = -1;
    std::string err;
    bool ok = json_parse(v.text, &pos, &doc, &root, &err);
    if (ok) {
      while (pos < v.text.size() && (v.text[pos] == ' ' || v.text[pos] == '\t' || v.text[pos] == '\r' || v.text[pos] == '\n')) ++pos;
      ok = pos == v.text.size();
    }
    if (!ok) return fail(why, v.text, "is not valid JSON for " + t.text), Conv::kFail;
    return convert_json(t, doc, root, out, why);
  }
  if (t.kind == TypeKind::kVarbinary) {
    // CSV VARBINARY: StarRocks tries base64 first and falls back to the raw bytes (PR #26911).
    std::string bytes;
    if (base64_decode(v.text, &bytes)) return convert_string(t, bytes, out, why) ? Conv::kOk : Conv::kFail;
  }
  return convert_scalar_text(t, v.text, out, why) ? Conv::kOk : Conv::kFail;
}

}  // namespace sremu::dl
