// An independent strict JSON recogniser for the row validator's differential fuzz target: written
// from RFC 8259 and the row rules of src/encode.h (strings valid UTF-8 per RFC 3629, \u escapes
// of surrogates paired, nesting at most 1024, no top-level key that decodes to "__op"), sharing
// no code with src/. Recursive descent, as plain as possible: it is the reference's reference.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace fuzz {

class JsonOracle {
 public:
  // Whether `s` is exactly one valid row: an object, whitespace around it allowed.
  static bool valid_row(std::string_view s) {
    JsonOracle o(s);
    o.ws();
    if (!o.object(0, true)) return false;
    o.ws();
    return o.i_ == s.size();
  }
  // Whether `s` is exactly one JSON value of any kind (no row rules beyond strictness).
  // `lone_surrogates`: accept a \u escape of an unpaired surrogate (RFC 8259 grammar allows it;
  // the row rules do not).
  static bool valid_value(std::string_view s, bool lone_surrogates = false) {
    JsonOracle o(s);
    o.lone_surrogates_ = lone_surrogates;
    o.ws();
    if (!o.value(0)) return false;
    o.ws();
    return o.i_ == s.size();
  }
  // Decodes one JSON string token (with its quotes) to UTF-8; false if it is not exactly one
  // valid string.
  static bool decode_string(std::string_view token, std::string* utf8) {
    JsonOracle o(token);
    std::u32string cps;
    if (!o.string(&cps) || o.i_ != token.size()) return false;
    utf8->clear();
    for (char32_t cp : cps) {
      if (cp < 0x80) {
        utf8->push_back(static_cast<char>(cp));
      } else if (cp < 0x800) {
        utf8->push_back(static_cast<char>(0xC0 | (cp >> 6)));
        utf8->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
      } else if (cp < 0x10000) {
        utf8->push_back(static_cast<char>(0xE0 | (cp >> 12)));
        utf8->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        utf8->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
      } else {
        utf8->push_back(static_cast<char>(0xF0 | (cp >> 18)));
        utf8->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        utf8->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        utf8->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
      }
    }
    return true;
  }

 private:
  explicit JsonOracle(std::string_view s) : s_(s) {}
  bool at_end() const { return i_ >= s_.size(); }
  unsigned char peek() const { return static_cast<unsigned char>(s_[i_]); }
  void ws() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) ++i_;
  }
  bool lit(std::string_view w) {
    if (s_.substr(i_, w.size()) != w) return false;
    i_ += w.size();
    return true;
  }
  bool value(int depth) {
    if (at_end()) return false;
    switch (peek()) {
      case '{': return object(depth, false);
      case '[': return array(depth);
      case '"': return string(nullptr);
      case 't': return lit("true");
      case 'f': return lit("false");
      case 'n': return lit("null");
      default: return number();
    }
  }
  bool object(int depth, bool top) {
    if (at_end() || peek() != '{') return false;
    if (depth + 1 > 1024) return false;
    ++i_;
    ws();
    if (!at_end() && peek() == '}') {
      ++i_;
      return true;
    }
    for (;;) {
      ws();
      std::u32string key;
      if (!string(&key)) return false;
      if (top && key == U"__op") return false;
      ws();
      if (at_end() || peek() != ':') return false;
      ++i_;
      ws();
      if (!value(depth + 1)) return false;
      ws();
      if (at_end()) return false;
      if (peek() == '}') {
        ++i_;
        return true;
      }
      if (peek() != ',') return false;
      ++i_;
    }
  }
  bool array(int depth) {
    if (depth + 1 > 1024) return false;
    ++i_;
    ws();
    if (!at_end() && peek() == ']') {
      ++i_;
      return true;
    }
    for (;;) {
      ws();
      if (!value(depth + 1)) return false;
      ws();
      if (at_end()) return false;
      if (peek() == ']') {
        ++i_;
        return true;
      }
      if (peek() != ',') return false;
      ++i_;
    }
  }
  bool digits() {
    size_t start = i_;
    while (!at_end() && peek() >= '0' && peek() <= '9') ++i_;
    return i_ > start;
  }
  bool number() {
    if (!at_end() && peek() == '-') ++i_;
    if (at_end()) return false;
    if (peek() == '0') {
      ++i_;
    } else if (peek() >= '1' && peek() <= '9') {
      digits();
    } else {
      return false;
    }
    if (!at_end() && peek() == '.') {
      ++i_;
      if (!digits()) return false;
    }
    if (!at_end() && (peek() == 'e' || peek() == 'E')) {
      ++i_;
      if (!at_end() && (peek() == '+' || peek() == '-')) ++i_;
      if (!digits()) return false;
    }
    return true;
  }
  int hex4() {
    if (s_.size() - i_ < 4) return -1;
    int v = 0;
    for (int k = 0; k < 4; ++k) {
      char c = s_[i_ + k];
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) return -1;
      v = v * 16 + d;
    }
    i_ += 4;
    return v;
  }
  // One UTF-8 sequence (RFC 3629 table), appended to *out as a code point.
  bool utf8(std::u32string* out) {
    unsigned char c = peek();
    int n;
    uint32_t cp, min;
    if (c < 0x80) { n = 0; cp = c; min = 0; }
    else if (c >= 0xC2 && c <= 0xDF) { n = 1; cp = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 2; cp = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 3; cp = c & 0x07; min = 0x10000; }
    else return false;
    ++i_;
    for (int k = 0; k < n; ++k) {
      if (at_end() || (peek() & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (peek() & 0x3F);
      ++i_;
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    if (out) out->push_back(cp);
    return true;
  }
  bool string(std::u32string* out) {
    if (at_end() || peek() != '"') return false;
    ++i_;
    for (;;) {
      if (at_end()) return false;
      unsigned char c = peek();
      if (c == '"') {
        ++i_;
        return true;
      }
      if (c < 0x20) return false;
      if (c != '\\') {
        if (!utf8(out)) return false;
        continue;
      }
      ++i_;
      if (at_end()) return false;
      char e = static_cast<char>(peek());
      ++i_;
      uint32_t cp;
      switch (e) {
        case '"': cp = '"'; break;
        case '\\': cp = '\\'; break;
        case '/': cp = '/'; break;
        case 'b': cp = '\b'; break;
        case 'f': cp = '\f'; break;
        case 'n': cp = '\n'; break;
        case 'r': cp = '\r'; break;
        case 't': cp = '\t'; break;
        case 'u': {
          int u = hex4();
          if (u < 0) return false;
          if (lone_surrogates_ && u >= 0xD800 && u <= 0xDFFF) {
            cp = static_cast<uint32_t>(u);
            break;
          }
          if (u >= 0xDC00 && u <= 0xDFFF) return false;  // a low half alone
          if (u >= 0xD800 && u <= 0xDBFF) {
            if (!lit("\\u")) return false;
            int lo = hex4();
            if (lo < 0xDC00 || lo > 0xDFFF) return false;
            cp = 0x10000 + ((static_cast<uint32_t>(u) - 0xD800) << 10) + (static_cast<uint32_t>(lo) - 0xDC00);
          } else {
            cp = static_cast<uint32_t>(u);
          }
          break;
        }
        default: return false;
      }
      if (out) out->push_back(cp);
    }
  }

  std::string_view s_;
  size_t i_ = 0;
  bool lone_surrogates_ = false;
};

}  // namespace fuzz
