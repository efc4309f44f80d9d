#include "json_text.h"

#include <cstdint>

#include "json_lex.h"

namespace srs {
namespace {

void append_utf8(std::string* out, uint32_t cp) {
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

uint32_t hex4(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = v * 16 + static_cast<uint32_t>(hex_value(static_cast<u8>(p[i])));
  return v;
}

}  // namespace

void json_unescape_content(std::string_view t, std::string* out) {
  const size_t end = t.size();
  size_t i = 0, start = 0;
  while (i < end) {
    if (t[i] != '\\') {
      ++i;
      continue;
    }
    out->append(t.data() + start, i - start);
    const char e = t[i + 1];
    switch (e) {
      case 'b': out->push_back('\b'); i += 2; break;
      case 'f': out->push_back('\f'); i += 2; break;
      case 'n': out->push_back('\n'); i += 2; break;
      case 'r': out->push_back('\r'); i += 2; break;
      case 't': out->push_back('\t'); i += 2; break;
      case 'u': {
        uint32_t cp = hex4(t.data() + i + 2);
        i += 6;
        if (cp >= 0xD800 && cp <= 0xDBFF) {  // validated: a low surrogate follows
          const uint32_t lo = hex4(t.data() + i + 2);
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          i += 6;
        }
        append_utf8(out, cp);
        break;
      }
      default: out->push_back(e); i += 2; break;  // \" \\ \/
    }
    start = i;
  }
  out->append(t.data() + start, end - start);
}

void json_unescape(std::string_view token, std::string* out) {
  out->clear();
  json_unescape_content(token.substr(1, token.size() - 2), out);
}

}  // namespace srs
