// JSON tokenizer/DOM for the data layer. Hand-written rather than cJSON because DECIMAL and LARGEINT
// columns need each number's raw token text (StarRocks reads the token, so 0.1 stays exactly 0.1),
// and because NDJSON must be parsed document by document without per-row allocations.
#include <charconv>
#include <cstring>

#include "data/internal.h"

namespace sremu::dl {
namespace {

constexpr int kMaxDepth = 1024;  // simdjson's default depth limit

// Error texts modelled on simdjson's error_message(), which StarRocks puts into its Message.
constexpr const char* kStructure =
    "The JSON document has an improper structure: missing or superfluous commas, braces, missing keys, etc.";
constexpr const char* kUnclosed = "A string is opened, but never closed.";
constexpr const char* kUnescaped = "Within strings, some characters must be escaped, we found unescaped characters";
constexpr const char* kUtf8 = "The input is not valid UTF-8";
constexpr const char* kBadString = "Problem while parsing a string";
constexpr const char* kNumber = "Problem while parsing a number";
constexpr const char* kAtom = "Problem while parsing an atom starting with the letter 't', 'f' or 'n'";
constexpr const char* kDepth = "The JSON document was too deep (too many nested objects and arrays)";

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool read_hex4(std::string_view in, size_t p, uint32_t* cp) {
  if (p + 4 > in.size()) return false;
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) {
    int h = hexval(in[p + i]);
    if (h < 0) return false;
    v = v * 16 + static_cast<uint32_t>(h);
  }
  *cp = v;
  return true;
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid.
size_t utf8_len(std::string_view s, size_t i) {
  auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) return 1;
  size_t n;
  uint32_t cp;
  if ((b & 0xE0) == 0xC0) { n = 2; cp = b & 0x1F; }
  else if ((b & 0xF0) == 0xE0) { n = 3; cp = b & 0x0F; }
  else if ((b & 0xF8) == 0xF0) { n = 4; cp = b & 0x07; }
  else return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (c & 0x3F);
  }
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000)) return 0;
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

void append_utf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

struct Parser {
  std::string_view in;
  size_t p;
  JsonDoc* doc;
  std::string* error;
  bool lenient_escapes = false;

  bool fail(const char* why) {
    *error = why;
    return false;
  }
  void skip_ws() {
    while (p < in.size() && is_ws(in[p])) ++p;
  }

  // Scans a string starting at the opening quote; sets *body to the raw contents.
  // `bad` (string values of a lenient parse only): an invalid escape is recorded there instead of
  // failing the parse, as simdjson's on-demand API only checks escapes when a value is read.
  bool scan_string(std::string_view* body, bool* escaped, bool* bad = nullptr) {
    size_t start = ++p;  // past the quote
    *escaped = false;
    while (p < in.size()) {
      auto c = static_cast<unsigned char>(in[p]);
      if (c == '"') {
        *body = in.substr(start, p - start);
        ++p;
        return true;
      }
      if (c == '\\') {
        *escaped = true;
        if (p + 1 >= in.size()) return fail(kUnclosed);
        char e = in[p + 1];
        if (e == 'u') {
          uint32_t cp;
          if (!read_hex4(in, p + 2, &cp)) {
            if (!bad) return fail(kBadString);
            *bad = true;
            p += 2;
            continue;
          }
          p += 6;
          if (cp >= 0xD800 && cp <= 0xDBFF) {  // needs a low surrogate
            uint32_t lo;
            if (p + 1 >= in.size() || in[p] != '\\' || in[p + 1] != 'u' || !read_hex4(in, p + 2, &lo) ||
                lo < 0xDC00 || lo > 0xDFFF) {
              if (!bad) return fail(kBadString);
              *bad = true;
              continue;
            }
            p += 6;
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            if (!bad) return fail(kBadString);
            *bad = true;
          }
          continue;
        }
        if (!std::strchr("\"\\/bfnrt", e) || e == '\0') {
          if (!bad || e == '\0') return fail(kBadString);
          *bad = true;
        }
        p += 2;
        continue;
      }
      if (c < 0x20) return fail(kUnescaped);
      if (c < 0x80) {
        ++p;
        continue;
      }
      size_t n = utf8_len(in, p);
      if (n == 0) return fail(kUtf8);
      p += n;
    }
    return fail(kUnclosed);
  }

  bool scan_number(JNode* n) {
    size_t start = p;
    bool integer = true;
    if (in[p] == '-') ++p;
    if (p >= in.size()) return fail(kNumber);
    if (in[p] == '0') {
      ++p;
    } else if (in[p] >= '1' && in[p] <= '9') {
      while (p < in.size() && in[p] >= '0' && in[p] <= '9') ++p;
    } else {
      return fail(kNumber);
    }
    if (p < in.size() && in[p] == '.') {
      integer = false;
      ++p;
      size_t d = p;
      while (p < in.size() && in[p] >= '0' && in[p] <= '9') ++p;
      if (p == d) return fail(kNumber);
    }
    if (p < in.size() && (in[p] == 'e' || in[p] == 'E')) {
      integer = false;
      ++p;
      if (p < in.size() && (in[p] == '+' || in[p] == '-')) ++p;
      size_t d = p;
      while (p < in.size() && in[p] >= '0' && in[p] <= '9') ++p;
      if (p == d) return fail(kNumber);
    }
    n->kind = JKind::kNumber;
    n->is_integer = integer;
    n->text = in.substr(start, p - start);
    return true;
  }

  bool literal(const char* word, JKind kind, JNode* n) {
    size_t len = std::strlen(word);
    if (in.compare(p, len, word) != 0) return fail(kAtom);
    p += len;
    n->kind = kind;
    n->text = std::string_view(word, len);
    return true;
  }

  // Parses a value into a new node; returns its index or -1.
  int value(int depth) {
    skip_ws();
    if (p >= in.size()) {
      fail(kStructure);
      return -1;
    }
    if (depth > kMaxDepth) {
      fail(kDepth);
      return -1;
    }
    int idx = static_cast<int>(doc->nodes.size());
    doc->nodes.emplace_back();
    size_t start = p;
    char c = in[p];
    bool ok;
    if (c == '{' || c == '[') {
      ok = container(idx, depth, c == '{');
      if (ok) doc->nodes[idx].text = in.substr(start, p - start);
    } else if (c == '"') {
      std::string_view body;
      bool esc;
      bool bad = false;
      ok = scan_string(&body, &esc, lenient_escapes ? &bad : nullptr);
      if (ok) {
        doc->nodes[idx].kind = JKind::kString;
        doc->nodes[idx].text = body;
        doc->nodes[idx].escaped = esc;
        doc->nodes[idx].bad = bad;
      }
    } else if (c == 't') {
      ok = literal("true", JKind::kTrue, &doc->nodes[idx]);
    } else if (c == 'f') {
      ok = literal("false", JKind::kFalse, &doc->nodes[idx]);
    } else if (c == 'n') {
      ok = literal("null", JKind::kNull, &doc->nodes[idx]);
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      JNode n;
      ok = scan_number(&n);
      if (ok) doc->nodes[idx] = n;
    } else {
      ok = fail(kStructure);
    }
    return ok ? idx : -1;
  }

  bool container(int idx, int depth, bool object) {
    doc->nodes[idx].kind = object ? JKind::kObject : JKind::kArray;
    const char close = object ? '}' : ']';
    ++p;
    skip_ws();
    if (p < in.size() && in[p] == close) {
      ++p;
      return true;
    }
    int last = -1;
    uint32_t count = 0;
    for (;;) {
      std::string_view key;
      bool key_esc = false;
      if (object) {
        skip_ws();
        if (p >= in.size() || in[p] != '"') return fail(kStructure);
        if (!scan_string(&key, &key_esc)) return false;
        skip_ws();
        if (p >= in.size() || in[p] != ':') return fail(kStructure);
        ++p;
      }
      int child = value(depth + 1);
      if (child < 0) return false;
      if (object) {
        doc->nodes[child].key = key;
        doc->nodes[child].key_escaped = key_esc;
      }
      if (doc->nodes[child].bad) doc->nodes[idx].bad = true;  // the container's text holds it
      if (last < 0) doc->nodes[idx].first = child;
      else doc->nodes[last].next = child;
      last = child;
      ++count;
      skip_ws();
      if (p >= in.size()) return fail(kStructure);
      if (in[p] == ',') {
        ++p;
        continue;
      }
      if (in[p] == close) {
        ++p;
        doc->nodes[idx].count = count;
        return true;
      }
      return fail(kStructure);
    }
  }
};

bool number_fits_64(std::string_view t) {
  if (t.empty()) return false;
  int64_t i;
  auto r = std::from_chars(t.data(), t.data() + t.size(), i);
  if (r.ec == std::errc() && r.ptr == t.data() + t.size()) return true;
  uint64_t u;
  auto r2 = std::from_chars(t.data(), t.data() + t.size(), u);
  return r2.ec == std::errc() && r2.ptr == t.data() + t.size();
}

}  // namespace

bool json_parse(std::string_view in, size_t* pos, JsonDoc* doc, int* root, std::string* error,
                bool lenient_escapes) {
  Parser ps{in, *pos, doc, error, lenient_escapes};
  int idx = ps.value(0);
  *pos = ps.p;
  if (idx < 0) return false;
  *root = idx;
  return true;
}

void json_unescape(std::string_view raw, std::string* out) {
  out->clear();
  out->reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c != '\\' || i + 1 >= raw.size()) {
      out->push_back(c);
      continue;
    }
    char e = raw[++i];
    switch (e) {
      case 'b': out->push_back('\b'); break;
      case 'f': out->push_back('\f'); break;
      case 'n': out->push_back('\n'); break;
      case 'r': out->push_back('\r'); break;
      case 't': out->push_back('\t'); break;
      case 'u': {
        uint32_t cp = 0;
        if (!read_hex4(raw, i + 1, &cp)) return;
        i += 4;
        // json_parse guaranteed a high surrogate is followed by "\uDC00".."\uDFFF".
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 2 < raw.size() && raw[i + 1] == '\\' && raw[i + 2] == 'u') {
          uint32_t lo = 0;
          if (read_hex4(raw, i + 3, &lo)) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
          }
        }
        append_utf8(cp, out);
        break;
      }
      default: out->push_back(e); break;  // " \ /
    }
  }
}

std::string_view json_string(const JNode& n, std::string* tmp) {
  if (!n.escaped) return n.text;
  json_unescape(n.text, tmp);
  return *tmp;
}

std::string_view json_key(const JNode& n, std::string* tmp) {
  if (!n.key_escaped) return n.key;
  json_unescape(n.key, tmp);
  return *tmp;
}

void quote(std::string_view s, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      size_t n = utf8_len(s, i);
      if (n == 0) {  // not UTF-8: keep the byte visible and the output valid
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
        ++i;
      } else {
        out->append(s.data() + i, n);
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        if (c < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 15]);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out->push_back('"');
}

void json_minify(const JsonDoc& doc, int node, bool normalize_numbers, std::string* out) {
  const JNode& n = doc.at(node);
  std::string tmp;
  switch (n.kind) {
    case JKind::kNull: out->append("null"); return;
    case JKind::kTrue: out->append("true"); return;
    case JKind::kFalse: out->append("false"); return;
    case JKind::kNumber:
      if (!normalize_numbers || (n.is_integer && number_fits_64(n.text))) {
        if (normalize_numbers && n.text == "-0") out->append("0");
        else out->append(n.text);
      } else {
        double d = 0;
        std::from_chars(n.text.data(), n.text.data() + n.text.size(), d);
        format_double(d, out);
      }
      return;
    case JKind::kString:
      quote(json_string(n, &tmp), out);
      return;
    case JKind::kArray:
    case JKind::kObject: {
      bool obj = n.kind == JKind::kObject;
      out->push_back(obj ? '{' : '[');
      bool first = true;
      for (int c = n.first; c >= 0; c = doc.at(c).next) {
        if (!first) out->push_back(',');
        first = false;
        if (obj) {
          quote(json_key(doc.at(c), &tmp), out);
          out->push_back(':');
        }
        json_minify(doc, c, normalize_numbers, out);
      }
      out->push_back(obj ? '}' : ']');
      return;
    }
  }
}

int json_member(const JsonDoc& doc, int obj, std::string_view key) {
  const JNode& o = doc.at(obj);
  if (o.kind != JKind::kObject) return -1;
  std::string tmp;
  for (int c = o.first; c >= 0; c = doc.at(c).next) {
    if (json_key(doc.at(c), &tmp) == key) return c;
  }
  return -1;
}

bool parse_json_path(std::string_view path, std::vector<PathStep>* steps) {
  steps->clear();
  path = trim(path);
  if (path.empty() || path[0] != '$') return false;
  size_t i = 1;
  while (i < path.size()) {
    PathStep st;
    if (path[i] == '.') {
      ++i;
      size_t s = i;
      while (i < path.size() && path[i] != '.' && path[i] != '[') ++i;
      if (i == s) return false;
      st.key = std::string(path.substr(s, i - s));
      if (st.key == "*") return false;  // wildcards are not supported for loading
    } else if (path[i] == '[') {
      ++i;
      if (i < path.size() && (path[i] == '\'' || path[i] == '"')) {
        char q = path[i++];
        size_t s = i;
        while (i < path.size() && path[i] != q) ++i;
        if (i >= path.size()) return false;
        st.key = std::string(path.substr(s, i - s));
        ++i;
      } else {
        size_t s = i;
        while (i < path.size() && path[i] >= '0' && path[i] <= '9') ++i;
        if (i == s || i - s > 9) return false;
        st.is_index = true;
        st.index = std::stoll(std::string(path.substr(s, i - s)));
      }
      if (i >= path.size() || path[i] != ']') return false;
      ++i;
    } else {
      return false;
    }
    steps->push_back(std::move(st));
  }
  return true;
}

int eval_json_path(const JsonDoc& doc, int root, const std::vector<PathStep>& steps) {
  int cur = root;
  for (const PathStep& st : steps) {
    if (cur < 0) return -1;
    const JNode& n = doc.at(cur);
    if (st.is_index) {
      if (n.kind != JKind::kArray) return -1;
      int c = n.first;
      for (int64_t k = 0; k < st.index && c >= 0; ++k) c = doc.at(c).next;
      cur = c;
    } else {
      cur = json_member(doc, cur, st.key);
    }
  }
  return cur;
}

bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    size_t n = utf8_len(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

}  // namespace sremu::dl
