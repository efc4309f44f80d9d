// Row validation and NDJSON encoding: the hot path of sr_sink_write.
//
// validate_json_object first asks the SIMD fast path (json_fast.h), which accepts the common flat
// rows in a few instructions a byte; whatever it does not accept comes here.
// validate_json_object_reference is a single-pass, allocation-free recogniser of one JSON object
// (RFC 8259 grammar, strict UTF-8, surrogate pairs checked) driven by gotos over an explicit
// bit stack, so deep nesting costs 1 bit per level and never recursion. Strings, which dominate
// typical rows, are scanned 16 bytes at a time with SSE2 (8 with a SWAR fallback elsewhere).
#include "encode.h"

#include <cstdint>
#include <cstdio>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "json_fast.h"
#include "json_lex.h"

namespace srs {
namespace {

// simdjson's default max depth, which StarRocks' JSON reader uses: deeper rows would be
// rejected by the server anyway.
constexpr size_t kMaxDepth = 1024;

#define SRS_ALWAYS_INLINE inline __attribute__((always_inline))

// Bytes that end the fast string scan: '"', '\\', control characters and non-ASCII.
inline bool string_special(u8 c) { return c == '"' || c == '\\' || c < 0x20 || c >= 0x80; }

// Index of the first special byte in p[0, 16) (or [0, 8)), or -1.
#if defined(__SSE2__)
constexpr ptrdiff_t kBlock = 16;
inline int first_special(const u8* p) {
  __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  // Signed compare: bytes >= 0x80 are negative, so one "< 0x20" catches controls and non-ASCII.
  __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                        _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
                           _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
  unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(m));
  return mask ? __builtin_ctz(mask) : -1;
}
#else
constexpr ptrdiff_t kBlock = 8;
inline int first_special(const u8* p) {
  uint64_t x;
  std::memcpy(&x, p, 8);
  constexpr uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  auto has_zero = [&](uint64_t v) { return (v - ones) & ~v & highs; };
  uint64_t hit = has_zero(x ^ (ones * '"')) | has_zero(x ^ (ones * '\\')) |
                 ((x - ones * 0x20) & ~x & highs) | (x & highs);
  if (!hit) return -1;
  for (int i = 0; i < 8; ++i) {
    if (string_special(p[i])) return i;
  }
  return -1;
}
#endif

// Whether the escaped key text [p, end) (between the quotes) decodes to exactly `want`.
// Only called for top-level keys containing a backslash, so it may be slow.
bool escaped_key_equals(const u8* p, const u8* end, const char* want) {
  const size_t n = std::strlen(want);
  size_t i = 0;
  while (p < end) {
    uint32_t c;
    if (*p == '\\') {
      u8 e = p[1];
      if (e == 'u') {
        int32_t u = read_u_escape(p, end);
        if (u < 0 || u >= 0x80) return false;  // `want` is ASCII
        c = static_cast<uint32_t>(u);
        p += 6;
      } else {
        switch (e) {
          case '"': c = '"'; break;
          case '\\': c = '\\'; break;
          case '/': c = '/'; break;
          default: return false;  // \b \f \n \r \t: not in an ASCII identifier we look for
        }
        p += 2;
      }
    } else {
      c = *p++;
    }
    if (i >= n || c != static_cast<u8>(want[i])) return false;
    ++i;
  }
  return i == n;
}

struct Failure {
  const char* what = nullptr;
  size_t at = 0;
};

// Scans a string whose opening quote is at *pp. On success *pp is past the closing quote and
// *escaped tells whether it contained a backslash.
SRS_ALWAYS_INLINE bool scan_string(const u8** pp, const u8* begin, const u8* end, bool* escaped, Failure* f) {
  const u8* p = *pp + 1;
  bool esc = false;
  for (;;) {
    while (end - p >= kBlock) {
      int i = first_special(p);
      if (i >= 0) {
        p += i;
        goto special;
      }
      p += kBlock;
    }
    while (p < end && !string_special(*p)) ++p;
    if (p == end) {
      f->what = "unterminated string";
      f->at = static_cast<size_t>(*pp - begin);
      return false;
    }
  special:
    const u8 c = *p;
    if (c == '"') {
      *pp = p + 1;
      *escaped = esc;
      return true;
    }
    if (c == '\\') {
      esc = true;
      if (end - p < 2) {
        f->what = "unterminated string";
        f->at = static_cast<size_t>(*pp - begin);
        return false;
      }
      if (is_simple_escape(p[1])) {
        p += 2;
        continue;
      }
      switch (p[1]) {
        case 'u': {
          int32_t u = read_u_escape(p, end);
          if (u < 0) {
            f->what = "invalid \\u escape";
            f->at = static_cast<size_t>(p - begin);
            return false;
          }
          if (u >= 0xD800 && u <= 0xDBFF) {  // a high surrogate needs its low half
            int32_t lo = read_u_escape(p + 6, end);
            if (lo < 0xDC00 || lo > 0xDFFF) {
              f->what = "unpaired surrogate in \\u escape";
              f->at = static_cast<size_t>(p - begin);
              return false;
            }
            p += 12;
          } else if (u >= 0xDC00 && u <= 0xDFFF) {
            f->what = "unpaired surrogate in \\u escape";
            f->at = static_cast<size_t>(p - begin);
            return false;
          } else {
            p += 6;
          }
          continue;
        }
        default:
          f->what = "invalid escape in string";
          f->at = static_cast<size_t>(p - begin);
          return false;
      }
    }
    if (c < 0x20) {
      f->what = "unescaped control character in string";
      f->at = static_cast<size_t>(p - begin);
      return false;
    }
    // Non-ASCII text (CJK, ...) comes in runs: validate the whole run here rather than paying a
    // vector load per character.
    do {
      size_t n = utf8_sequence(p, end);
      if (n == 0) {
        f->what = "invalid UTF-8 in string";
        f->at = static_cast<size_t>(p - begin);
        return false;
      }
      p += n;
    } while (p < end && *p >= 0x80);
  }
}

SRS_ALWAYS_INLINE bool scan_number(const u8** pp, const u8* begin, const u8* end, Failure* f) {
  const u8* e = number_end(*pp, end);
  if (e == nullptr) {
    f->what = "invalid number";
    f->at = static_cast<size_t>(*pp - begin);
    return false;
  }
  *pp = e;
  return true;
}

bool validate(const u8* begin, const u8* end, Failure* f, bool* line_break, TopLevelKeys* keys) {
  uint64_t is_object[kMaxDepth / 64] = {};  // bit d: container at depth d is an object
  size_t depth = 0;                          // open containers
  const u8* p = begin;
  bool nl = false;  // a raw '\n' or '\r' was skipped as whitespace
  auto fail = [&](const char* what) {
    f->what = what;
    f->at = static_cast<size_t>(p - begin);
    return false;
  };
  auto skip_ws = [&]() __attribute__((always_inline)) {
    // Compact rows have no whitespace: the loop body rarely runs, so tracking line breaks here
    // costs nothing and spares the encoder a scan of every row.
    while (p < end && is_ws(*p)) {
      nl |= (*p == '\n') | (*p == '\r');
      ++p;
    }
  };

  skip_ws();
  if (p == end) return fail(begin == end ? "empty row" : "expected '{'");
  if (*p != '{') return fail("expected '{'");

open_object:  // *p == '{'
  if (depth == kMaxDepth) return fail("nesting deeper than 1024 levels");
  is_object[depth / 64] |= (uint64_t{1} << (depth % 64));
  ++depth;
  ++p;
  skip_ws();
  if (p < end && *p == '}') {
    ++p;
    --depth;
    goto after_value;
  }
object_key:
  if (p == end || *p != '"') return fail("expected a string key");
  {
    const u8* key = p;
    bool escaped;
    if (!scan_string(&p, begin, end, &escaped, f)) return false;
    if (depth == 1) {
      // "__op" is the op column the library appends; a row must not set it itself.
      const u8* k = key + 1;
      const size_t n = static_cast<size_t>(p - 1 - k);
      if ((!escaped && n == 4 && std::memcmp(k, "__op", 4) == 0) ||
          (escaped && escaped_key_equals(k, p - 1, "__op"))) {
        p = key;
        return fail("top-level key \"__op\" is reserved (the op comes from the batch's ops)");
      }
      if (keys) {
        if (keys->n < keys->cap) {
          keys->at[keys->n++] = TopLevelKeys::Key{static_cast<size_t>(k - begin), n, 0, escaped};
        } else {
          keys->more = true;
        }
      }
    }
  }
  skip_ws();
  if (p == end || *p != ':') return fail("expected ':'");
  ++p;
  skip_ws();
  if (keys && depth == 1 && !keys->more) keys->at[keys->n - 1].value = static_cast<size_t>(p - begin);

value:
  if (p == end) return fail("expected a value");
  switch (*p) {
    case '{':
      goto open_object;
    case '[':
      if (depth == kMaxDepth) return fail("nesting deeper than 1024 levels");
      is_object[depth / 64] &= ~(uint64_t{1} << (depth % 64));
      ++depth;
      ++p;
      skip_ws();
      if (p < end && *p == ']') {
        ++p;
        --depth;
        goto after_value;
      }
      goto value;
    case '"': {
      bool escaped;
      if (!scan_string(&p, begin, end, &escaped, f)) return false;
      break;
    }
    case 't':
      if (end - p < 4 || std::memcmp(p, "true", 4) != 0) return fail("invalid literal");
      p += 4;
      break;
    case 'f':
      if (end - p < 5 || std::memcmp(p, "false", 5) != 0) return fail("invalid literal");
      p += 5;
      break;
    case 'n':
      if (end - p < 4 || std::memcmp(p, "null", 4) != 0) return fail("invalid literal");
      p += 4;
      break;
    default:
      if (*p == '-' || is_digit(*p)) {
        if (!scan_number(&p, begin, end, f)) return false;
        break;
      }
      return fail("expected a value");
  }

after_value:
  skip_ws();
  if (depth == 0) {
    if (p != end) return fail("unexpected data after the object");
    *line_break = nl;
    return true;
  }
  if (is_object[(depth - 1) / 64] & (uint64_t{1} << ((depth - 1) % 64))) {
    if (p < end && *p == ',') {
      ++p;
      skip_ws();
      goto object_key;
    }
    if (p < end && *p == '}') {
      ++p;
      --depth;
      goto after_value;
    }
    return fail(p == end ? "unterminated object" : "expected ',' or '}'");
  }
  if (p < end && *p == ',') {
    ++p;
    skip_ws();
    goto value;
  }
  if (p < end && *p == ']') {
    ++p;
    --depth;
    goto after_value;
  }
  return fail(p == end ? "unterminated array" : "expected ',' or ']'");
}

}  // namespace

bool validate_json_object(std::string_view row, std::string* why) {
  return validate_json_object(row, why, nullptr);
}

bool validate_json_object(std::string_view row, std::string* why, bool* line_break, bool padded) {
  bool nl = false;
  if (padded ? fast_accept_json_object_padded(row.data(), row.size(), &nl)
             : fast_accept_json_object(row.data(), row.size(), &nl)) {
    if (line_break) *line_break = nl;
    return true;
  }
  return validate_json_object_reference(row, why, line_break);
}

bool validate_json_object_reference(std::string_view row, std::string* why, bool* line_break) {
  return validate_json_object_reference(row, why, line_break, nullptr);
}

bool validate_json_object_reference(std::string_view row, std::string* why, bool* line_break,
                                    TopLevelKeys* keys) {
  Failure f;
  const u8* b = reinterpret_cast<const u8*>(row.data());
  bool nl = false;
  if (keys) {
    keys->n = 0;
    keys->more = false;
  }
  if (validate(b, b + row.size(), &f, &nl, keys)) {
    if (line_break) *line_break = nl;
    return true;
  }
  if (why) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%s at byte %zu", f.what, f.at);
    *why = buf;
  }
  return false;
}

size_t encode_row_with_op(char* dst, std::string_view row, int op, bool line_break) {
  const char* src = row.data();
  size_t b = 0, e = row.size();
  while (b < e && is_ws(static_cast<u8>(src[b]))) ++b;
  while (e > b && is_ws(static_cast<u8>(src[e - 1]))) --e;
  // src[b] == '{' and src[e - 1] == '}' (validated). Is the object empty?
  size_t i = b + 1;
  while (i < e - 1 && is_ws(static_cast<u8>(src[i]))) ++i;
  static constexpr char kSuffix0[] = "\"__op\":0}\n";
  static constexpr char kSuffix1[] = "\"__op\":1}\n";
  constexpr size_t kSuffixLen = sizeof kSuffix0 - 1;
  const char* suffix = op == 1 ? kSuffix1 : kSuffix0;
  if (i >= e - 1) {  // {} → {"__op":0}
    dst[0] = '{';
    std::memcpy(dst + 1, suffix, kSuffixLen);
    return 1 + kSuffixLen;
  }
  const size_t body = e - 1 - b;  // the row without its closing '}'
  if (dst != src + b) std::memmove(dst, src + b, body);
  if (line_break) {
    // Whitespace inside a valid row may hold line breaks (never inside strings, where they
    // must be escaped): turn them into spaces so every row stays on its own NDJSON line.
    for (char c : {'\n', '\r'}) {
      char* q = dst;
      while ((q = static_cast<char*>(std::memchr(q, c, static_cast<size_t>(dst + body - q)))) != nullptr) {
        *q++ = ' ';
      }
    }
  }
  dst[body] = ',';
  std::memcpy(dst + body + 1, suffix, kSuffixLen);
  return body + 1 + kSuffixLen;
}

void append_row_with_op(std::string* out, std::string_view row, int op, bool line_break) {
  const size_t old = out->size();
  out->resize(old + row.size() + 16);
  out->resize(old + encode_row_with_op(&(*out)[old], row, op, line_break));
}

}  // namespace srs
