// The direct CSV path of Arrow batches (arrow_encode.h): each column gets its encoder once per
// batch (a function per Arrow type), and each row is written straight into the caller's buffer
// (the load buffer) with a bound computed from the Arrow lengths. The general encoder in
// arrow_encode.cpp stays the reference: the same bytes and the same error texts
// (arrow_csv_direct_test compares them on edge values; fuzz_arrow_import on random batches).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "arrow_csv_direct.h"
#include "arrow_encode.h"
#include "json_lex.h"
#include "time_text.h"
#include "wire_format.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace srs {
namespace csv_direct {
namespace {

template <typename T>
T load(const void* base, int64_t i) {
  T v;
  std::memcpy(&v, static_cast<const char*>(base) + i * static_cast<int64_t>(sizeof(T)), sizeof(T));
  return v;
}

DayText* day_cache() {
  static thread_local DayText cache[kDayCache];
  return cache;
}

char* fail(Col& c, std::string why) {
  c.err = std::move(why);
  return nullptr;
}
char* out_of_range(Col& c, const char* what, int64_t v) {
  return fail(c, std::string(what) + " " + std::to_string(v) + " is outside 0000-01-01 .. 9999-12-31");
}


char* put_bool(Col& c, int64_t p, char* out) {
  *out = ((reinterpret_cast<const uint8_t*>(c.values)[p >> 3] >> (p & 7)) & 1) ? '1' : '0';
  return out + 1;
}

template <typename F>
char* put_float(Col& c, int64_t p, char* out) {
  const F v = load<F>(c.values, p);
  if (!std::isfinite(v)) return fail(c, "NaN or infinity, which StarRocks cannot store");
  return std::to_chars(out, out + 40, v).ptr;  // shortest text that reads back exactly
}

constexpr char kPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// Digits of v, at least one, ending at `end` (written right to left, two at a time).
inline char* put_digits_rtl(char* end, uint64_t v) {
  while (v >= 100) {
    end -= 2;
    std::memcpy(end, kPairs + 2 * (v % 100), 2);
    v /= 100;
  }
  if (v >= 10) {
    end -= 2;
    std::memcpy(end, kPairs + 2 * v, 2);
  } else {
    *--end = static_cast<char>('0' + v);
  }
  return end;
}

inline int digit_count(uint64_t v) {
  static constexpr uint64_t kPow10[20] = {1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull,
                                          10000000ull, 100000000ull, 1000000000ull, 10000000000ull,
                                          100000000000ull, 1000000000000ull, 10000000000000ull,
                                          100000000000000ull, 1000000000000000ull, 10000000000000000ull,
                                          100000000000000000ull, 1000000000000000000ull,
                                          10000000000000000000ull};
  // floor(log10(v)) from the bit length (1233/4096 ≈ log10(2)), corrected by one compare.
  // v | 1 has v's digit count (10^k - 1 is odd) and is never 0.
  const uint64_t x = v | 1;
  const int t = ((64 - __builtin_clzll(x)) * 1233) >> 12;
  return t + (x >= kPow10[t]);
}

// "0000" .. "9999" as little-endian words: an 8-digit number is two lookups (40 KB, built at
// compile time), cheaper than the arithmetic of splitting four digits into bytes.
struct Quads {
  uint32_t w[10000];
  constexpr Quads() : w() {
    for (uint32_t i = 0; i < 10000; ++i) {
      w[i] = (0x30u + i / 1000) | (0x30u + i / 100 % 10) << 8 | (0x30u + i / 10 % 10) << 16 |
             (0x30u + i % 10) << 24;
    }
  }
};
constexpr Quads kQuads;

// The 8 decimal digits of v < 10^8 (leading zeros included) as ASCII in one word, in memory order.
inline uint64_t digits8(uint32_t v) {
  const uint32_t hi = v / 10000, lo = v - hi * 10000;
  return uint64_t{kQuads.w[hi]} | (uint64_t{kQuads.w[lo]} << 32);
}

// The last k (1..8) digits of digits8's word, stored with one 8-byte move (the bytes after the k
// digits are scratch: kScratch).
inline void put_last(char* out, uint64_t word, int k) {
  word >>= 8 * (8 - k);
  std::memcpy(out, &word, 8);
}

template <typename T>
char* put_int(Col& c, int64_t p, char* out) {
  const T v = load<T>(c.values, p);
  uint64_t mag = static_cast<uint64_t>(v);
  if constexpr (std::is_signed_v<T>) {
    *out = '-';
    out += v < 0;
    mag = v < 0 ? 0 - static_cast<uint64_t>(static_cast<int64_t>(v)) : mag;
  }
  const int nd = digit_count(mag);
  if (sizeof(T) >= 4 && mag < 100000000) {
    put_last(out, digits8(static_cast<uint32_t>(mag)), nd);  // bound >= 10: room for 8
    return out + nd;
  }
  out += nd;
  put_digits_rtl(out, mag);
  return out;
}

// |v| as digits with the point `scale` digits from the right, as arrow_append_decimal writes it
// ("-0.05", "12.30", "0"), written in place right to left.
inline __attribute__((always_inline)) char* put_scaled64(char* out, int64_t v, int scale) {
  const bool neg = v < 0;
  uint64_t mag = neg ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  *out = '-';
  out += neg;
  if (scale <= 0) {
    const int nd = digit_count(mag);
    put_digits_rtl(out + nd, mag);
    out += nd;
    if (mag != 0 && scale < 0) {
      std::memset(out, '0', static_cast<size_t>(-scale));
      out += -scale;
    }
    return out;
  }
  const int int_digits = std::max(digit_count(mag) - scale, 1);
  char* const end = out + int_digits + 1 + scale;
  if (mag < 100000000 && int_digits + scale <= 8) {  // the common short amount, two moves
    const uint64_t w = digits8(static_cast<uint32_t>(mag));
    put_last(out, w, int_digits + scale);
    out[int_digits] = '.';
    put_last(out + int_digits + 1, w, scale);
    return end;
  }
  char* p = end;
  int k = scale;  // the fraction, zero-padded to `scale` digits
  for (; k >= 2 && mag != 0; k -= 2) {
    p -= 2;
    std::memcpy(p, kPairs + 2 * (mag % 100), 2);
    mag /= 100;
  }
  if (mag == 0) {
    p -= k;
    std::memset(p, '0', static_cast<size_t>(k));
  } else if (k == 1) {
    *--p = static_cast<char>('0' + mag % 10);
    mag /= 10;
  }
  *--p = '.';
  put_digits_rtl(p, mag);
  return end;
}

// Decimals of W bytes (4, 8, 16, 32): the 64-bit fast path when the upper words only repeat the
// sign, else the general formatter (rare).
template <int W>
char* put_decimal(Col& c, int64_t p, char* out) {
  const char* v = c.values + p * W;
  if constexpr (W == 4) {
    return put_scaled64(out, load<int32_t>(v, 0), c.scale);
  } else {
    const int64_t lo = load<int64_t>(v, 0);
    bool fits = true;
    const int64_t ext = lo < 0 ? -1 : 0;
    for (int i = 8; i < W; i += 8) fits = fits && load<int64_t>(v + i, 0) == ext;
    if (fits) return put_scaled64(out, lo, c.scale);
    std::string s;
    arrow_append_decimal(&s, reinterpret_cast<const unsigned char*>(v), W * 8, c.scale);
    std::memcpy(out, s.data(), s.size());
    return out + s.size();
  }
}

char* put_date32(Col& c, int64_t p, char* out) {
  const int32_t days = load<int32_t>(c.values, p);
  if (!c.put_day(out, days)) return out_of_range(c, "date (days since 1970-01-01)", days);
  return out + 10;
}

char* put_date64(Col& c, int64_t p, char* out) {
  const int64_t ms = load<int64_t>(c.values, p);
  const int64_t days = ms / 86400000 - (ms % 86400000 < 0);
  if (!c.put_day(out, days)) return out_of_range(c, "date (days since 1970-01-01)", days);
  return out + 10;
}

// ":MM:SS" for a second of the hour, little-endian (3600 words, built at compile time).
struct MinSec {
  uint64_t w[3600];
  constexpr MinSec() : w() {
    for (uint64_t i = 0; i < 3600; ++i) {
      const uint64_t m = i / 60, s = i % 60;
      w[i] = uint64_t{':'} | (0x30 + m / 10) << 8 | (0x30 + m % 10) << 16 | uint64_t{':'} << 24 |
             (0x30 + s / 10) << 32 | (0x30 + s % 10) << 40;
    }
  }
};
constexpr MinSec kMinSec;

// put_hms and put_fraction of time_text.h, inline here (once per timestamp): "HH:MM:SS" in one
// 8-byte store, the fraction ".ffffff" in one more (2 bytes of scratch past it: kScratch).
inline char* hms(char* out, uint32_t sod) {
  const uint32_t h = sod / 3600;
  uint16_t hh;
  std::memcpy(&hh, kPairs + 2 * h, 2);
  const uint64_t w = uint64_t{hh} | kMinSec.w[sod - h * 3600] << 16;
  std::memcpy(out, &w, 8);
  return out + 8;
}
inline char* fraction(char* out, int32_t micros) {
  if (micros == 0) return out;
  out[0] = '.';
  const uint64_t w = digits8(static_cast<uint32_t>(micros)) >> 16;  // the last six digits
  std::memcpy(out + 1, &w, 8);
  return out + 7;
}

// "YYYY-MM-DD HH:MM:SS[.ffffff]" (append_datetime) with the date from the day cache.
inline char* put_datetime(Col& c, int64_t s, int32_t micros, int64_t raw, char* out) {
  const int64_t days = s / 86400 - (s % 86400 < 0);
  if (!c.put_day(out, days)) return out_of_range(c, "timestamp", raw);
  out[10] = ' ';
  return fraction(hms(out + 11, static_cast<uint32_t>(s - days * 86400)), micros);
}

char* put_ts_s(Col& c, int64_t p, char* out) {
  const int64_t v = load<int64_t>(c.values, p);
  int64_t s;
  if (__builtin_add_overflow(v, c.tz, &s)) return out_of_range(c, "timestamp", v);
  return put_datetime(c, s, 0, v, out);
}

// Timestamps in ms, us or ns (unit_per_s 1000, 1000000, 1000000000).
char* put_ts_sub(Col& c, int64_t p, char* out) {
  const int64_t v = load<int64_t>(c.values, p);
  int64_t s = v / c.unit_per_s, f = v % c.unit_per_s;
  if (f < 0) {
    f += c.unit_per_s;
    --s;
  }
  const int32_t micros = static_cast<int32_t>(c.unit_per_s >= 1000000 ? f / (c.unit_per_s / 1000000)
                                                                      : f * (1000000 / c.unit_per_s));
  return put_datetime(c, s + c.tz, micros, v, out);
}

template <typename T>
char* put_time(Col& c, int64_t p, char* out) {
  const int64_t v = load<T>(c.values, p);
  const int64_t micros = c.unit_per_s >= 1000000 ? v / (c.unit_per_s / 1000000) : v * (1000000 / c.unit_per_s);
  if (micros < 0 || micros >= int64_t{86400} * 1000000) return out_of_range(c, "time of day", v);
  return fraction(hms(out, static_cast<uint32_t>(micros / 1000000)), static_cast<int32_t>(micros % 1000000));
}

// The checks of a CSV text field, in the general encoder's order: valid UTF-8, then not exactly
// \N, then no 0x1E/0x1F. Copied while checked (a refused value's bytes are dropped with its
// batch); ASCII goes 8 bytes at a time.
char* put_text(Col& c, const char* s, size_t n, char* out) {
  const u8* p = reinterpret_cast<const u8*>(s);
  const u8* const end = p + n;
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  uint64_t sep = 0;  // nonzero when a byte was 0x1E or 0x1F
  char* o = out;
  if (n >= 8) {
    // Whole words, then the last 8 bytes (overlapping) when they are ASCII too: the common
    // short ASCII string takes no byte loop.
    while (end - p >= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      if ((w & kHigh) != 0) break;
      const uint64_t x = (w | kOnes) ^ (kOnes * 0x1F);
      sep |= (x - kOnes) & ~x & kHigh;
      std::memcpy(o, &w, 8);
      p += 8;
      o += 8;
    }
    if (p != end && end - p < 8) {
      uint64_t w;
      std::memcpy(&w, end - 8, 8);
      if ((w & kHigh) == 0) {
        const uint64_t x = (w | kOnes) ^ (kOnes * 0x1F);
        sep |= (x - kOnes) & ~x & kHigh;
        std::memcpy(out + n - 8, &w, 8);
        p = end;
        o = out + n;
      }
    }
  }
  while (p < end) {
    if (end - p >= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      if ((w & kHigh) == 0) {
        const uint64_t x = (w | kOnes) ^ (kOnes * 0x1F);  // a zero byte where it was 0x1E/0x1F
        sep |= (x - kOnes) & ~x & kHigh;
        std::memcpy(o, &w, 8);
        p += 8;
        o += 8;
        continue;
      }
    }
    if (*p < 0x80) {
      sep |= (*p & 0xFE) == 0x1E;
      *o++ = static_cast<char>(*p++);
      continue;
    }
    const size_t k = utf8_sequence(p, end);
    if (k == 0) return fail(c, "invalid UTF-8 in a string");
    for (size_t i = 0; i < k; ++i) *o++ = static_cast<char>(p[i]);
    p += k;
  }
  if (n == 2 && s[0] == '\\' && s[1] == 'N') return fail(c, csv_refusal(CsvText::kNullMarker));
  if (sep) return fail(c, csv_refusal(CsvText::kSeparator));
  return o;
}

const char* utf8_at(const Col& c, int64_t p, size_t* len) {
  const int32_t b = load<int32_t>(c.n->offsets, p), e = load<int32_t>(c.n->offsets, p + 1);
  *len = static_cast<size_t>(e - b);
  return c.n->data + b;
}
const char* large_utf8_at(const Col& c, int64_t p, size_t* len) {
  const int64_t b = load<int64_t>(c.n->offsets, p), e = load<int64_t>(c.n->offsets, p + 1);
  *len = static_cast<size_t>(e - b);
  return c.n->data + b;
}
const char* view_at(const Col& c, int64_t p, size_t* len) {
  const char* v = c.values + 16 * p;
  int32_t n, buf, off;
  std::memcpy(&n, v, 4);
  *len = static_cast<size_t>(n);
  if (n <= 12) return v + 4;
  std::memcpy(&buf, v + 8, 4);
  std::memcpy(&off, v + 12, 4);
  return c.n->view_data[buf] + off;
}

template <const char* (*At)(const Col&, int64_t, size_t*)>
char* put_string(Col& c, int64_t p, char* out) {
  size_t n;
  const char* s = At(c, p, &n);
#ifdef __SSE2__
  // Plain ASCII without 0x1E/0x1F (the common text) is checked and copied 16 bytes at a time;
  // anything else, or a string this cannot read safely, takes put_text's checks.
  const auto refused = [](__m128i x) {  // the bytes that are not plain ASCII or are 0x1E/0x1F
    const __m128i sep = _mm_cmpeq_epi8(_mm_and_si128(x, _mm_set1_epi8(static_cast<char>(0xFE))), _mm_set1_epi8(0x1E));
    return static_cast<unsigned>(_mm_movemask_epi8(x)) | static_cast<unsigned>(_mm_movemask_epi8(sep));
  };
  if (n >= 16) {
    // Whole blocks, then the last 16 bytes (overlapping): nothing is read past the string.
    size_t i = 0;
    for (; i + 16 < n; i += 16) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
      if (refused(x)) return put_text(c, s, n, out);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), x);
    }
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + n - 16));
    if (!refused(x)) {
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + n - 16), x);
      return out + n;
    }
  } else if (n != 2 && c.data_end && c.data_end - s >= 16) {
    // Shorter, with 16 readable bytes (not the last few strings of the buffer): the bytes past
    // the string are read and ignored, and written as scratch (kScratch).
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s));
    if ((refused(x) & ((1u << n) - 1)) == 0) {
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out), x);
      return out + n;
    }
  }
#endif
  return put_text(c, s, n, out);
}

// The encoder of a flat type and the most bytes it writes for one value (strings: 0 here, their
// bytes are added per row); false for a type the direct path does not take.
bool choose(const ArrowNode& n, Put* put, size_t* bound) {
  switch (n.type) {
    case ArrowType::kNull: *put = nullptr; *bound = 0; return true;
    case ArrowType::kBool: *put = put_bool; *bound = 1; return true;
    case ArrowType::kInt8: *put = put_int<int8_t>; *bound = 4; return true;
    case ArrowType::kInt16: *put = put_int<int16_t>; *bound = 6; return true;
    case ArrowType::kInt32: *put = put_int<int32_t>; *bound = 11; return true;
    case ArrowType::kInt64: *put = put_int<int64_t>; *bound = 20; return true;
    case ArrowType::kUInt8: *put = put_int<uint8_t>; *bound = 3; return true;
    case ArrowType::kUInt16: *put = put_int<uint16_t>; *bound = 5; return true;
    case ArrowType::kUInt32: *put = put_int<uint32_t>; *bound = 10; return true;
    case ArrowType::kUInt64: *put = put_int<uint64_t>; *bound = 20; return true;
    case ArrowType::kFloat32: *put = put_float<float>; *bound = 40; return true;
    case ArrowType::kFloat64: *put = put_float<double>; *bound = 40; return true;
    case ArrowType::kDecimal: {
      if (n.width_bits != 32 && n.width_bits != 64 && n.width_bits != 128 && n.width_bits != 256) return false;
      // The longest text of the width (digits: the most it holds, 10, 19, 39 or 77): the sign and
      // the digits, with the point (scale > 0; "0." and the zeros when the scale exceeds the
      // digits) or the scale's zeros (scale < 0).
      const size_t scale = static_cast<size_t>(n.scale < 0 ? -int64_t{n.scale} : n.scale);
      const size_t digits = n.width_bits == 32 ? 10 : n.width_bits == 64 ? 19 : n.width_bits == 128 ? 39 : 77;
      *put = n.width_bits == 32 ? put_decimal<4> : n.width_bits == 64 ? put_decimal<8>
           : n.width_bits == 128 ? put_decimal<16> : put_decimal<32>;
      *bound = 1 + (n.scale > 0 ? std::max(digits + 1, scale + 2) : digits + (n.scale < 0 ? scale : 0));
      return true;
    }
    case ArrowType::kDate32: *put = put_date32; *bound = 10; return true;
    case ArrowType::kDate64: *put = put_date64; *bound = 10; return true;
    case ArrowType::kTimestamp:
      *put = n.unit_per_s == 1 ? put_ts_s : put_ts_sub;
      *bound = 26;
      return true;
    case ArrowType::kTime32: *put = put_time<int32_t>; *bound = 15; return true;
    case ArrowType::kTime64: *put = put_time<int64_t>; *bound = 15; return true;
    case ArrowType::kUtf8: *put = put_string<utf8_at>; *bound = 0; return true;
    case ArrowType::kLargeUtf8: *put = put_string<large_utf8_at>; *bound = 0; return true;
    case ArrowType::kUtf8View: *put = put_string<view_at>; *bound = 0; return true;
    default: return false;
  }
}

// Per value: its text (or \N, 2 bytes) and the separator.
size_t fixed_row_bound(const ArrowColumns& cols) {
  size_t b = 2;  // the op and the row delimiter
  for (const ArrowNode* n : cols.by_column) {
    Put put;
    size_t vb = 0;
    if (n) choose(*n, &put, &vb);
    b += std::max<size_t>(vb, 2) + 1;
  }
  return b;
}

}  // namespace

bool direct_ok(const ArrowColumns& cols, const ArrowTarget& t) {
  if (t.format != WireFormat::kCsv) return false;
  for (size_t k = 0; k < cols.by_column.size(); ++k) {
    const ArrowNode* n = cols.by_column[k];
    if (!n) continue;
    if (n->dictionary || t.kinds[k] != CsvKind::kText) return false;
    Put put;
    size_t bound;
    if (!choose(*n, &put, &bound)) return false;
  }
  return true;
}

uint64_t bound(const ArrowNode& root, const ArrowColumns& cols, const ArrowTarget& t) {
  (void)t;
  uint64_t b = static_cast<uint64_t>(root.length) * fixed_row_bound(cols);
  for (const ArrowNode* n : cols.by_column) {
    if (!n || !is_var(n->type) || root.length == 0) continue;
    const int64_t first = n->offset + root.offset, last = first + root.length;
    if (n->type == ArrowType::kUtf8) {
      b += static_cast<uint64_t>(load<int32_t>(n->offsets, last) - load<int32_t>(n->offsets, first));
    } else if (n->type == ArrowType::kLargeUtf8) {
      b += static_cast<uint64_t>(load<int64_t>(n->offsets, last) - load<int64_t>(n->offsets, first));
    } else {
      for (int64_t p = first; p < last; ++p) {
        if (n->is_null(p)) continue;  // a null view is not checked by the import
        int32_t len;
        std::memcpy(&len, static_cast<const char*>(n->values) + 16 * p, 4);
        b += static_cast<uint64_t>(len);
      }
    }
  }
  return b;
}

void csv_direct_prepare(const ArrowColumns& cols, const ArrowTarget& t, CsvDirectPlan* plan) {
  const size_t ncol = cols.by_column.size();
  plan->cols.assign(ncol, Col{});
  plan->var.clear();
  for (size_t k = 0; k < ncol; ++k) {
    Col& c = plan->cols[k];
    c.n = cols.by_column[k];
    c.key = t.is_key[k];
    if (!c.n) continue;
    size_t bound;
    choose(*c.n, &c.put, &bound);
    c.validity = c.n->validity;
    c.values = static_cast<const char*>(c.n->values);
    c.offset = c.n->offset;
    c.scale = c.n->scale;
    c.width_bytes = c.n->width_bits / 8;
    c.unit_per_s = c.n->unit_per_s;
    c.tz = c.n->has_tz ? t.timezone_offset_s : 0;
    c.days = day_cache();
    if (c.n->type == ArrowType::kUtf8 && c.n->offsets) {
      c.data_end = c.n->data + load<int32_t>(c.n->offsets, c.n->offset + c.n->length);
    } else if (c.n->type == ArrowType::kLargeUtf8 && c.n->offsets) {
      c.data_end = c.n->data + load<int64_t>(c.n->offsets, c.n->offset + c.n->length);
    }
    if (is_var(c.n->type)) plan->var.push_back(k);
  }
  plan->fixed = fixed_row_bound(cols);
}

Status encode_arrow_csv_direct(const ArrowNode& root, const uint8_t* ops, const ArrowColumns& cols,
                               const ArrowTarget& t, RowSink* out, uint64_t* deletes) {
  CsvDirectPlan plan;
  csv_direct_prepare(cols, t, &plan);
  return csv_direct_rows(root, ops, cols, t, &plan, *out, deletes);
}

}  // namespace csv_direct

bool arrow_csv_direct_ok(const ArrowColumns& cols, const ArrowTarget& t) {
  return csv_direct::direct_ok(cols, t);
}
uint64_t arrow_csv_bound(const ArrowNode& root, const ArrowColumns& cols, const ArrowTarget& t) {
  return csv_direct::bound(root, cols, t);
}
Status encode_arrow_csv_direct(const ArrowNode& root, const uint8_t* ops, const ArrowColumns& cols,
                               const ArrowTarget& t, RowSink* out, uint64_t* deletes) {
  return csv_direct::encode_arrow_csv_direct(root, ops, cols, t, out, deletes);
}

}  // namespace srs
