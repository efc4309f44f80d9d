// Byte-level JSON helpers shared by the reference validator (encode.cpp) and the SIMD fast path
// (json_fast*.cpp). Internal linkage on purpose: json_fast_avx2.cpp is compiled with -mavx2, and
// an inline function with external linkage emitted there could be the copy the linker keeps for
// every caller — an AVX2 instruction on a CPU without it.
#pragma once
#include <cstddef>
#include <cstdint>

namespace srs {
namespace {  // NOLINT(build/namespaces): see above

using u8 = unsigned char;

// ' ', '\t', '\n', '\r' as bits of one constant: a compare and a shift instead of four compares.
inline bool is_ws(u8 c) {
  return c <= ' ' && ((((uint64_t{1} << ' ') | (uint64_t{1} << '\t') | (uint64_t{1} << '\n') |
                        (uint64_t{1} << '\r')) >> c) & 1);
}

inline int hex_value(u8 c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<u8>(c | 0x20);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Length of the valid UTF-8 sequence at p (lead byte >= 0x80), 0 if invalid (Unicode Table 3-7:
// no overlongs, no surrogates, nothing above U+10FFFF).
inline size_t utf8_sequence(const u8* p, const u8* end) {
  const u8 c = p[0];
  const ptrdiff_t avail = end - p;
  auto cont = [](u8 b) { return (b & 0xC0) == 0x80; };
  if (c < 0xC2) return 0;
  if (c < 0xE0) return (avail >= 2 && cont(p[1])) ? 2 : 0;
  if (c < 0xF0) {
    if (avail < 3) return 0;
    const u8 lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    return (p[1] >= lo && p[1] <= hi && cont(p[2])) ? 3 : 0;
  }
  if (c < 0xF5) {
    if (avail < 4) return 0;
    const u8 lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    return (p[1] >= lo && p[1] <= hi && cont(p[2]) && cont(p[3])) ? 4 : 0;
  }
  return 0;
}

inline bool is_digit(u8 c) { return static_cast<unsigned>(c - '0') < 10u; }

// The character after a backslash of a one-character escape (\" \\ \/ \b \f \n \r \t).
inline bool is_simple_escape(u8 c) {
  switch (c) {
    case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
      return true;
    default:
      return false;
  }
}

// The end of the JSON number at p, -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, or nullptr.
inline const u8* number_end(const u8* p, const u8* end) {
  if (p < end && *p == '-') ++p;
  if (p < end && *p == '0') {
    ++p;
  } else if (p < end && is_digit(*p)) {
    while (++p < end && is_digit(*p)) {
    }
  } else {
    return nullptr;
  }
  if (p < end && *p == '.') {
    if (++p >= end || !is_digit(*p)) return nullptr;
    while (++p < end && is_digit(*p)) {
    }
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    if (++p < end && (*p == '+' || *p == '-')) ++p;
    if (p >= end || !is_digit(*p)) return nullptr;
    while (++p < end && is_digit(*p)) {
    }
  }
  return p;
}

// Reads "\uXXXX" at p (pointing at '\\'); returns the code unit or -1.
inline int32_t read_u_escape(const u8* p, const u8* end) {
  if (end - p < 6 || p[0] != '\\' || p[1] != 'u') return -1;
  int32_t v = 0;
  for (int i = 2; i < 6; ++i) {
    int h = hex_value(p[i]);
    if (h < 0) return -1;
    v = (v << 4) | h;
  }
  return v;
}

}  // namespace
}  // namespace srs
