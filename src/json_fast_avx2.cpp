// The fast path's AVX2 build: 64 bytes as two 32-byte lanes, prefix-xor by carry-less multiply.
// Compiled with -mavx2 -mpclmul (src/CMakeLists.txt) and used only when the CPU has both
// (json_fast.cpp checks); everything compiled here has internal linkage but kAvx2Kernel.
#include "json_fast.h"

#if defined(__AVX2__) && defined(__PCLMUL__)
#include <immintrin.h>

#include "json_fast_kernel.h"

namespace srs {
namespace {

struct Avx2 {
  struct Block {
    __m256i lo, hi;
  };
  static Block load(const u8* p) {
    return {_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)),
            _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32))};
  }
  template <class F>
  static uint64_t bits(const Block& b, F test) {
    return uint64_t{static_cast<uint32_t>(_mm256_movemask_epi8(test(b.lo)))} |
           (uint64_t{static_cast<uint32_t>(_mm256_movemask_epi8(test(b.hi)))} << 32);
  }
  static __m256i eq(__m256i x, char c) { return _mm256_cmpeq_epi8(x, _mm256_set1_epi8(c)); }
  // Unsigned x <= limit.
  static __m256i le(__m256i x, char limit) { return _mm256_cmpeq_epi8(_mm256_min_epu8(x, _mm256_set1_epi8(limit)), x); }

  __attribute__((always_inline)) static void classify(const u8* p, Masks* m) {
    const Block b = load(p);
    const __m256i lower = _mm256_set1_epi8(0x20);
    m->quote = bits(b, [](__m256i x) { return eq(x, '"'); });
    m->space = bits(b, [](__m256i x) { return eq(x, ' '); });
    m->colon = bits(b, [](__m256i x) { return eq(x, ':'); });
    m->comma = bits(b, [](__m256i x) { return eq(x, ','); });
    m->digit = bits(b, [](__m256i x) { return le(_mm256_sub_epi8(x, _mm256_set1_epi8('0')), 9); });
    m->underscore = bits(b, [](__m256i x) { return eq(x, '_'); });
    // '[' and ']' are ' and ' without bit 5.
    m->brace = bits(b, [&](__m256i x) {
      const __m256i y = _mm256_or_si256(x, lower);
      return _mm256_or_si256(eq(y, '{'), eq(y, '}'));
    });
    // Sign bit: a control character (all ones from the compare), a backslash, a byte >= 0x80.
    m->rare = bits(b, [](__m256i x) { return _mm256_or_si256(_mm256_or_si256(le(x, 0x1F), eq(x, '\\')), x); });
  }
  static void classify_rare(const u8* p, RareMasks* r) {
    const Block b = load(p);
    r->bslash = bits(b, [](__m256i x) { return eq(x, '\\'); });
    r->newline = bits(b, [](__m256i x) { return _mm256_or_si256(eq(x, '\n'), eq(x, '\r')); });
    r->ws_ctl = r->newline | bits(b, [](__m256i x) { return eq(x, '\t'); });
    r->other_ctl = bits(b, [](__m256i x) { return le(x, 0x1F); }) & ~r->ws_ctl;
    r->high = bits(b, [](__m256i x) { return x; });
  }
  static uint64_t prefix_xor(uint64_t x) {
    const __m128i all = _mm_set1_epi8(-1);
    return static_cast<uint64_t>(
        _mm_cvtsi128_si64(_mm_clmulepi64_si128(_mm_set_epi64x(0, static_cast<int64_t>(x)), all, 0)));
  }
};

}  // namespace

const fast_path::Fn fast_path::kAvx2Kernel = &accept<Avx2>;

}  // namespace srs
#else
namespace srs {
const fast_path::Fn fast_path::kAvx2Kernel = nullptr;
}  // namespace srs
#endif
