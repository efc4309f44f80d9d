// StarRocks column types: parsing the catalog's type text, column lookup, ordering of canonical
// values, and small text helpers shared by the data layer.
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>

#include "data/internal.h"

namespace sremu {
namespace {

using dl::iequals;
using dl::trim;

constexpr int kMaxVarcharLength = 1048576;  // StarRocks VARCHAR limit since 2.1
constexpr int kStringLength = 65533;        // STRING is VARCHAR(65533) in StarRocks
constexpr int kMaxCharLength = 255;
constexpr int kMaxDecimalPrecision = 76;    // DECIMAL256

struct TypeParser {
  std::string_view s;
  size_t p = 0;
  std::string* error;

  void ws() {
    while (p < s.size() && std::isspace(static_cast<unsigned char>(s[p]))) ++p;
  }
  bool eat(char c) {
    ws();
    if (p < s.size() && s[p] == c) {
      ++p;
      return true;
    }
    return false;
  }
  std::string_view ident() {
    ws();
    size_t b = p;
    while (p < s.size() && (std::isalnum(static_cast<unsigned char>(s[p])) || s[p] == '_')) ++p;
    return s.substr(b, p - b);
  }
  bool number(int* out) {
    ws();
    size_t b = p;
    while (p < s.size() && std::isdigit(static_cast<unsigned char>(s[p]))) ++p;
    if (p == b || p - b > 9) return false;
    *out = std::stoi(std::string(s.substr(b, p - b)));
    return true;
  }
  bool bad(const std::string& why) {
    if (error && error->empty()) *error = why;
    return false;
  }
  // Optional "(n)" / "(p,s)" suffix; returns the count of numbers read (0..2), -1 on syntax error.
  int params(int* a, int* b) {
    if (!eat('(')) return 0;
    if (!number(a)) return -1;
    int n = 1;
    if (eat(',')) {
      if (!number(b)) return -1;
      n = 2;
    }
    if (!eat(')')) return -1;
    return n;
  }

  bool type(Type* t, int depth) {
    if (depth > 32) return bad("type nested too deeply: " + std::string(s));
    std::string_view name = ident();
    if (name.empty()) return bad("invalid type: " + std::string(s));
    std::string up = dl::to_lower(name);
    for (auto& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    int a = 0, b = 0;
    struct Simple {
      const char* name;
      TypeKind kind;
      const char* text;
    };
    static const Simple kSimple[] = {
        {"TINYINT", TypeKind::kTinyInt, "TINYINT"},   {"SMALLINT", TypeKind::kSmallInt, "SMALLINT"},
        {"INT", TypeKind::kInt, "INT"},               {"INTEGER", TypeKind::kInt, "INT"},
        {"BIGINT", TypeKind::kBigInt, "BIGINT"},      {"LARGEINT", TypeKind::kLargeInt, "LARGEINT"},
        {"FLOAT", TypeKind::kFloat, "FLOAT"},         {"DOUBLE", TypeKind::kDouble, "DOUBLE"},
        {"BOOLEAN", TypeKind::kBoolean, "BOOLEAN"},   {"BOOL", TypeKind::kBoolean, "BOOLEAN"},
        {"DATE", TypeKind::kDate, "DATE"},            {"DATETIME", TypeKind::kDateTime, "DATETIME"},
        {"JSON", TypeKind::kJson, "JSON"},
    };
    for (const Simple& k : kSimple) {
      if (up == k.name) {
        t->kind = k.kind;
        t->text = k.text;
        // MySQL-style display widths ("int(11)", as information_schema prints them) are ignored.
        bool integer = k.kind == TypeKind::kTinyInt || k.kind == TypeKind::kSmallInt ||
                       k.kind == TypeKind::kInt || k.kind == TypeKind::kBigInt || k.kind == TypeKind::kLargeInt;
        int n = integer ? params(&a, &b) : 0;
        if (n < 0 || n > 1) return bad("invalid type: " + std::string(s));
        return true;
      }
    }
    if (up == "STRING" || up == "TEXT") {
      t->kind = TypeKind::kString;
      t->length = kStringLength;
      t->text = "STRING";
      return true;
    }
    if (up == "CHAR" || up == "VARCHAR") {
      bool is_char = up == "CHAR";
      int n = params(&a, &b);
      if (n < 0 || n > 1) return bad("invalid type: " + std::string(s));
      int len = n == 1 ? a : (is_char ? 1 : kMaxVarcharLength);
      int max = is_char ? kMaxCharLength : kMaxVarcharLength;
      if (len < 1 || len > max)
        return bad("invalid length for " + up + ": " + std::to_string(len) + " (1.." + std::to_string(max) + ")");
      t->kind = is_char ? TypeKind::kChar : TypeKind::kVarchar;
      t->length = len;
      t->text = up + "(" + std::to_string(len) + ")";
      return true;
    }
    if (up == "VARBINARY" || up == "BINARY") {
      int n = params(&a, &b);
      if (n < 0 || n > 1) return bad("invalid type: " + std::string(s));
      if (n == 1 && (a < 1 || a > kMaxVarcharLength)) return bad("invalid length for VARBINARY: " + std::to_string(a));
      t->kind = TypeKind::kVarbinary;
      t->length = n == 1 ? a : 0;
      t->text = n == 1 ? "VARBINARY(" + std::to_string(a) + ")" : "VARBINARY";
      return true;
    }
    if (up == "DECIMAL" || up == "DECIMALV2" || up == "DECIMAL32" || up == "DECIMAL64" ||
        up == "DECIMAL128" || up == "DECIMAL256" || up == "NUMERIC" || up == "DECIMALV3") {
      int n = params(&a, &b);
      if (n < 0) return bad("invalid type: " + std::string(s));
      int prec = n >= 1 ? a : 10, scale = n == 2 ? b : 0;
      if (prec < 1 || prec > kMaxDecimalPrecision || scale < 0 || scale > prec)
        return bad("invalid DECIMAL precision/scale: DECIMAL(" + std::to_string(prec) + "," + std::to_string(scale) + ")");
      t->kind = TypeKind::kDecimal;
      t->precision = prec;
      t->scale = scale;
      t->text = "DECIMAL(" + std::to_string(prec) + "," + std::to_string(scale) + ")";
      return true;
    }
    if (up == "ARRAY") {
      Type item;
      if (!eat('<') || !type(&item, depth + 1) || !eat('>')) return bad("invalid type: " + std::string(s));
      t->kind = TypeKind::kArray;
      t->text = "ARRAY<" + item.text + ">";
      t->children.push_back(std::move(item));
      return true;
    }
    if (up == "MAP") {
      Type k, v;
      if (!eat('<') || !type(&k, depth + 1) || !eat(',') || !type(&v, depth + 1) || !eat('>'))
        return bad("invalid type: " + std::string(s));
      t->kind = TypeKind::kMap;
      t->text = "MAP<" + k.text + "," + v.text + ">";
      t->children.push_back(std::move(k));
      t->children.push_back(std::move(v));
      return true;
    }
    if (up == "STRUCT") {
      if (!eat('<')) return bad("invalid type: " + std::string(s));
      t->kind = TypeKind::kStruct;
      t->text = "STRUCT<";
      for (;;) {
        ws();
        std::string fname;
        if (p < s.size() && s[p] == '`') {
          size_t e = s.find('`', p + 1);
          if (e == std::string_view::npos) return bad("invalid type: " + std::string(s));
          fname = std::string(s.substr(p + 1, e - p - 1));
          p = e + 1;
        } else {
          fname = std::string(ident());
        }
        if (fname.empty()) return bad("invalid STRUCT field in type: " + std::string(s));
        eat(':');  // Hive-style "a:INT" is tolerated
        Type ft;
        if (!type(&ft, depth + 1)) return false;
        for (const auto& existing : t->field_names)
          if (iequals(existing, fname)) return bad("duplicate STRUCT field " + fname + " in type: " + std::string(s));
        if (!t->field_names.empty()) t->text += ", ";
        t->text += fname + " " + ft.text;
        t->field_names.push_back(std::move(fname));
        t->children.push_back(std::move(ft));
        if (eat(',')) continue;
        if (eat('>')) break;
        return bad("invalid type: " + std::string(s));
      }
      t->text += ">";
      return true;
    }
    return bad("unknown type: " + std::string(name));
  }
};

int sign_of(int v) { return v < 0 ? -1 : (v > 0 ? 1 : 0); }

// Compares canonical integer texts ("-12", "345") of any size without overflow.
int compare_int_text(std::string_view a, std::string_view b) {
  bool na = !a.empty() && a[0] == '-', nb = !b.empty() && b[0] == '-';
  if (na != nb) return na ? -1 : 1;
  if (na) {
    a.remove_prefix(1);
    b.remove_prefix(1);
  }
  int mag;
  if (a.size() != b.size()) mag = a.size() < b.size() ? -1 : 1;
  else mag = sign_of(a.compare(b));
  return na ? -mag : mag;
}

// Compares canonical decimal texts ("-1.50", "12.00"); both have the same scale when they come
// from the same column, but differing scales are handled too.
int compare_decimal_text(std::string_view a, std::string_view b) {
  bool na = !a.empty() && a[0] == '-', nb = !b.empty() && b[0] == '-';
  if (na != nb) return na ? -1 : 1;
  if (na) {
    a.remove_prefix(1);
    b.remove_prefix(1);
  }
  size_t da = a.find('.'), db = b.find('.');
  std::string_view ia = a.substr(0, da), ib = b.substr(0, db);
  std::string_view fa = da == std::string_view::npos ? "" : a.substr(da + 1);
  std::string_view fb = db == std::string_view::npos ? "" : b.substr(db + 1);
  int mag = compare_int_text(ia, ib);
  if (mag == 0) {
    size_t n = std::max(fa.size(), fb.size());
    for (size_t i = 0; i < n && mag == 0; ++i) {
      char ca = i < fa.size() ? fa[i] : '0', cb = i < fb.size() ? fb[i] : '0';
      mag = ca < cb ? -1 : (ca > cb ? 1 : 0);
    }
  }
  return na ? -mag : mag;
}

int compare_strings(std::string_view a, std::string_view b) {
  // Canonical strings are quoted JSON; compare the decoded bytes (what StarRocks compares).
  auto decode = [](std::string_view q, std::string* tmp) -> std::string_view {
    if (q.size() >= 2 && q.front() == '"' && q.back() == '"') q = q.substr(1, q.size() - 2);
    if (q.find('\\') == std::string_view::npos) return q;
    dl::json_unescape(q, tmp);
    return *tmp;
  };
  std::string ta, tb;
  return sign_of(decode(a, &ta).compare(decode(b, &tb)));
}

}  // namespace

std::optional<Type> parse_type(std::string_view text, std::string* error) {
  std::string err;
  TypeParser tp{text, 0, &err};
  Type t;
  if (!tp.type(&t, 0)) {
    if (error) *error = err.empty() ? "invalid type: " + std::string(text) : err;
    return std::nullopt;
  }
  tp.ws();
  if (tp.p != text.size()) {
    if (error) *error = "invalid type: " + std::string(text);
    return std::nullopt;
  }
  return t;
}

int TableSchema::column_index(std::string_view n) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i].name == n) return static_cast<int>(i);
  return -1;
}

int compare_values(const Type& type, std::string_view a, std::string_view b) {
  // NULL sorts first, as in StarRocks' default NULLS FIRST ordering.
  bool an = a == "null", bn = b == "null";
  if (an || bn) return an == bn ? 0 : (an ? -1 : 1);
  switch (type.kind) {
    case TypeKind::kTinyInt:
    case TypeKind::kSmallInt:
    case TypeKind::kInt:
    case TypeKind::kBigInt:
    case TypeKind::kLargeInt:
      return compare_int_text(a, b);
    case TypeKind::kDecimal:
      return compare_decimal_text(a, b);
    case TypeKind::kFloat:
    case TypeKind::kDouble: {
      double x = 0, y = 0;
      std::from_chars(a.data(), a.data() + a.size(), x);
      std::from_chars(b.data(), b.data() + b.size(), y);
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    case TypeKind::kBoolean:
      return sign_of(static_cast<int>(a == "true") - static_cast<int>(b == "true"));
    case TypeKind::kChar:
    case TypeKind::kVarchar:
    case TypeKind::kString:
    case TypeKind::kVarbinary:
      return compare_strings(a, b);
    case TypeKind::kDate:
    case TypeKind::kDateTime:
      // "YYYY-MM-DD[ HH:MM:SS[.ffffff]]" with fixed-width fields orders lexicographically.
      return sign_of(a.compare(b));
    default:
      return sign_of(a.compare(b));
  }
}

namespace dl {

std::string to_lower(std::string_view s) {
  std::string r(s);
  for (auto& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

std::string_view trim(std::string_view s) {
  auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return s;
}

void format_double(double d, std::string* out) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof(buf), d);
  out->append(buf, r.ptr);
}

void format_float(float f, std::string* out) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof(buf), f);
  out->append(buf, r.ptr);
}

bool parse_int64(std::string_view s, int64_t* out) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  if (s.empty()) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

}  // namespace dl
}  // namespace sremu
