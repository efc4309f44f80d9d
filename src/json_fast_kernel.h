// The fast path's logic, apart from the instruction set: json_fast_avx2.cpp (compiled with
// -mavx2 -mpclmul -mpopcnt -mbmi) includes it with its `Simd` type, which has
//   static void classify(const u8* p, Masks* m);           // 64 readable bytes at p → masks
//   static void classify_rare(const u8* p, RareMasks* r);  // only when m.rare != 0
//   static uint64_t prefix_xor(uint64_t x);                // bit i = xor of bits 0..i
// and instantiates accept<Simd>. Everything here has internal linkage (see json_lex.h).
//
// How a row is checked. Bit i of every mask is byte i of a 64-byte block; a row is its blocks in
// order; the bytes after the row in its last block count as spaces. Per block:
//   1. Rare bytes (control characters, bytes >= 0x80, backslashes) in one mask; only when it is
//      not empty are they told apart: escapes found and checked one by one, tab/CR/LF allowed
//      outside strings only, other control characters never, UTF-8 checked at the end.
//   2. Strings: in_string = prefix parity of the unescaped quotes (1 from an opening quote up
//      to, not including, its closing quote).
//   3. Outside strings, the tokens of a flat object are separators ('{' ':' ',' '}') and items
//      (a string, or an atom: a run of bytes that are not whitespace, separators or quotes). The
//      grammar is two alternations, each one prefix-parity test: tokens alternate separator /
//      item, starting and ending with a separator; separators alternate '{' or ',' / ':', so an
//      item after '{' or ',' is a key (must be a string) and one after ':' a value. With exactly
//      two braces, the first separator '{' and the last '}', that is the whole grammar of a
//      non-empty flat object.
//   4. Value atoms, one by one without branching on their bytes: true/false/null by a 4-byte
//      compare, integers and decimals on a digit mask; anything else (exponents, atoms that
//      straddle two blocks, invalid atoms) by a short scalar check.
// Parities, shifts and additions carry from one block into the next, so tokens may straddle
// blocks.
#pragma once
#include <cstdint>
#include <cstring>

#include "json_lex.h"

namespace srs {
namespace {  // NOLINT(build/namespaces): internal linkage per build, see json_lex.h

// One 64-byte block as bit masks (bit i = byte i).
struct Masks {
  uint64_t quote, space, colon, comma, digit, underscore;
  uint64_t brace;  // '{', '}', '[' and ']' (brackets outside strings are rejected by counting)
  uint64_t rare;   // control characters (tab, CR, LF included), backslashes, bytes >= 0x80

  // Only the bytes in `valid` are the row's; the others are taken for spaces.
  void keep(uint64_t valid) {
    quote &= valid; colon &= valid; comma &= valid; digit &= valid; underscore &= valid;
    brace &= valid; rare &= valid; space |= ~valid;
  }
};
// The rare bytes told apart, only for blocks that have any.
struct RareMasks {
  uint64_t bslash;
  uint64_t ws_ctl;     // '\t', '\n', '\r'
  uint64_t newline;    // '\n', '\r'
  uint64_t other_ctl;  // control characters that are never valid unescaped
  uint64_t high;       // bytes >= 0x80

  void keep(uint64_t valid) {
    bslash &= valid; ws_ctl &= valid; newline &= valid; other_ctl &= valid; high &= valid;
  }
};

// What one block hands to the next.
struct RowState {
  uint64_t in_string = 0;  // all ones if the previous block ended inside a string
  uint64_t par_tokens = 0, par_seps = 0;  // prefix parities, all ones = odd
  uint64_t s_atom = 0, s_key = 0;  // shift carries
  uint64_t a_key = 0;              // addition carry
  bool escaped_first = false;      // the block's first byte is escaped
  bool seen_sep = false;
  bool newline = false, high = false;
  uint32_t braces = 0;
  size_t last_sep = 0;  // position of the last structural byte so far
  // Keys collected so far (KeyBlocks' n and keys, kept here — not behind the caller's pointer,
  // which the stores of blocks could alias — and handed over at the end).
  size_t key_blocks = 0, keys = 0;
};

#define SRS_FAST_INLINE inline __attribute__((always_inline))

// (x << 1) with bit 0 from the previous block.
SRS_FAST_INLINE uint64_t shl1(uint64_t x, uint64_t* carry) {
  const uint64_t r = (x << 1) | *carry;
  *carry = x >> 63;
  return r;
}

// a + b + carry, carrying out.
SRS_FAST_INLINE uint64_t add_c(uint64_t a, uint64_t b, uint64_t* carry) {
  uint64_t s, t;
  const bool c1 = __builtin_add_overflow(a, b, &s);
  const bool c2 = __builtin_add_overflow(s, *carry, &t);
  *carry = static_cast<uint64_t>(c1 | c2);
  return t;
}

// Inclusive prefix parity of x continued from the previous block (carry: all ones = odd so far).
template <class Simd>
SRS_FAST_INLINE uint64_t parity(uint64_t x, uint64_t* carry) {
  const uint64_t p = Simd::prefix_xor(x) ^ *carry;
  *carry = static_cast<uint64_t>(static_cast<int64_t>(p) >> 63);
  return p;
}

// row[j] follows an escaping backslash. \u escapes of surrogates are left to the reference,
// which checks their pairing.
inline bool escape_ok(const u8* row, size_t n, size_t j) {
  if (j >= n) return false;
  if (is_simple_escape(row[j])) return true;
  if (row[j] != 'u') return false;
  const int32_t u = read_u_escape(row + j - 1, row + n);
  return u >= 0 && (u < 0xD800 || u > 0xDFFF);
}

// The escaped bytes of the block at `base`: the byte after each backslash that is not itself
// escaped. Checks each escape. *carry: in, the block's first byte is escaped; out, the next one's.
inline bool find_escapes(const u8* row, size_t n, size_t base, uint64_t bs, bool* carry,
                         uint64_t* escaped) {
  uint64_t e = 0;
  if (*carry) {
    e = 1;
    bs &= ~uint64_t{1};  // an escaped backslash escapes nothing
    if (!escape_ok(row, n, base)) return false;
  }
  *carry = false;
  while (bs) {
    const unsigned i = static_cast<unsigned>(__builtin_ctzll(bs));
    bs &= bs - 1;
    if (i == 63) {
      *carry = true;
      break;
    }
    e |= uint64_t{2} << i;
    bs &= ~(uint64_t{2} << i);
    if (!escape_ok(row, n, base + i + 1)) return false;
  }
  *escaped = e;
  return true;
}

// Whether c may follow an atom (ends it): whitespace, punctuation, a quote, or the row's end.
inline bool ends_atom(const u8* row, size_t n, size_t p) {
  if (p == n) return true;
  const u8 c = row[p];
  return is_ws(c) || c == ',' || c == '}' || c == ']' || c == ':' || c == '{' || c == '[' || c == '"';
}

// The value atom at row[i] is a JSON number or true/false/null, and ends where the atom does.
inline bool atom_ok(const u8* row, size_t n, size_t i) {
  const u8* p = row + i;
  switch (*p) {
    case 't': return n - i >= 4 && std::memcmp(p, "true", 4) == 0 && ends_atom(row, n, i + 4);
    case 'f': return n - i >= 5 && std::memcmp(p, "false", 5) == 0 && ends_atom(row, n, i + 5);
    case 'n': return n - i >= 4 && std::memcmp(p, "null", 4) == 0 && ends_atom(row, n, i + 4);
    default: break;
  }
  const u8* e = number_end(p, row + n);
  return e != nullptr && ends_atom(row, n, static_cast<size_t>(e - row));
}

// A key starting "_" at row[i] (after its quote): is it exactly "__op"? Keys with escapes never
// get here (rejected before).
inline bool reserved_key(const u8* row, size_t n, size_t i) {
  return n - i > 4 && std::memcmp(row + i, "__op\"", 5) == 0;
}

inline bool utf8_ok(const u8* p, size_t n) {
  const u8* end = p + n;
  while (p < end) {
    if (*p < 0x80) {
      ++p;
      continue;
    }
    const size_t k = utf8_sequence(p, end);
    if (k == 0) return false;
    p += k;
  }
  return true;
}

inline uint32_t load_u32(const u8* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// The value atom at blk[i] (block-relative, ending within the block at e; blk has 64 readable
// bytes): true/false/null and -?digits(.digits)? are decided here, with few branches (the same
// column holds true or false at random); anything else (exponents, invalid atoms) by atom_ok.
SRS_FAST_INLINE bool value_atom_ok(const u8* blk, uint64_t digit, unsigned i, unsigned e,
                                   const u8* row, size_t n, size_t base) {
  const unsigned len = e - i;
  // Only an atom of 4 or more bytes can be a literal; its first 4 bytes are then in the block.
  const uint32_t w = len >= 4 ? load_u32(blk + i) : 0;
  const bool literal =
      ((len == 4) & ((w == load_u32(reinterpret_cast<const u8*>("true"))) |
                     (w == load_u32(reinterpret_cast<const u8*>("null"))))) |
      ((len == 5) & (w == load_u32(reinterpret_cast<const u8*>("fals"))) & (blk[(i + 4) & 63] == 'e'));
  const uint64_t range = (uint64_t{1} << e) - (uint64_t{1} << i);
  const bool neg = blk[i] == '-';
  const unsigned first = i + neg;  // first digit of the integer part
  const uint64_t other = range & ~digit & ~(uint64_t{neg} << i);  // besides digits and the sign
  const bool starts_with_digit = first < e && ((digit >> first) & 1);
  const unsigned dot = static_cast<unsigned>(__builtin_ctzll(other | (uint64_t{1} << 63)));
  const bool leading_zero = blk[first & 63] == '0';
  // -?[0-9]+ without a leading zero; -?[0-9]+.[0-9]+ likewise (the '.' is the one non-digit, not
  // first, not last).
  const bool integer = (other == 0) & starts_with_digit & (!leading_zero | (first + 1 == e));
  const bool decimal = (other != 0) & ((other & (other - 1)) == 0) & (blk[dot] == '.') &
                       starts_with_digit & (dot + 1 < e) & (!leading_zero | (first + 1 == dot));
  if (literal | integer | decimal) return true;
  return atom_ok(row, n, base + i);
}

// One block. kTail: the row ends inside it at n - base; the bytes after that are readable but
// not the row's, and are taken for spaces. kp (if not null) collects the keys' positions.
template <class Simd, bool kTail>
SRS_FAST_INLINE bool block(const u8* blk, size_t base, const u8* row, size_t n, RowState* st,
                           KeyBlocks* kp) {
  const uint64_t valid = kTail ? (uint64_t{1} << (n - base)) - 1 : ~uint64_t{0};
  Masks m;
  Simd::classify(blk, &m);
  if (kTail) m.keep(valid);
  uint64_t ws = m.space, ws_ctl = 0, bslash = 0, esc = 0;
  if (m.rare | uint64_t{st->escaped_first}) {
    RareMasks r;
    Simd::classify_rare(blk, &r);
    if (kTail) r.keep(valid);
    if (r.other_ctl) return false;
    ws |= r.ws_ctl;
    ws_ctl = r.ws_ctl;
    bslash = r.bslash;
    st->newline |= r.newline != 0;
    st->high |= r.high != 0;
    if ((bslash | uint64_t{st->escaped_first}) != 0 &&
        !find_escapes(row, n, base, bslash, &st->escaped_first, &esc)) {
      return false;
    }
  }
  const uint64_t quote = m.quote & ~esc;
  const uint64_t in_str = parity<Simd>(quote, &st->in_string);
  const uint64_t out = ~in_str;

  const uint64_t colon = m.colon & out, braces = m.brace & out;
  const uint64_t seps = braces | colon | (m.comma & out);
  const uint64_t atom = out & ~(seps | ws | m.quote);
  const uint64_t atom_start = atom & ~shl1(atom, &st->s_atom);
  const uint64_t str_open = quote & in_str;
  const uint64_t items = str_open | atom_start;

  // Tokens alternate separator, item, separator, ...: separators at odd prefix counts.
  const uint64_t tokens = parity<Simd>(seps | items, &st->par_tokens);
  // Separators alternate '{' or ',' (odd prefix count) with ':' (even). So the prefix parity of
  // separators is 1 from a '{' or ',' up to its ':' — where a key stands — and 0 from a ':' up to
  // the next separator — where a value stands.
  const uint64_t sep_par = parity<Simd>(seps, &st->par_seps);
  const uint64_t keys = items & sep_par;
  // Tab/CR/LF only outside strings; backslashes only inside.
  uint64_t bad = (ws_ctl & in_str) | (bslash & out);
  bad |= (seps & ~tokens) | (items & tokens) | (colon & sep_par) | ((seps & ~colon) & ~sep_par) |
         (keys & ~str_open);
  // An escape in a key is left to the reference (it decodes keys to spot "__op").
  bad |= (in_str & ~add_c(in_str, keys, &st->a_key)) & bslash;
  if (bad) return false;
  if (kp && keys) {
    if (st->key_blocks == kp->cap) return false;
    kp->at[st->key_blocks++] = KeyBlocks::Block{keys, static_cast<uint32_t>(base)};
    st->keys += static_cast<size_t>(__builtin_popcountll(keys));
  }

  if (seps) {
    if (!st->seen_sep) {
      st->seen_sep = true;
      if (blk[__builtin_ctzll(seps)] != '{') return false;  // the row starts with its '{'
    }
    st->last_sep = base + 63 - static_cast<size_t>(__builtin_clzll(seps));
    st->braces += static_cast<uint32_t>(__builtin_popcountll(braces));
  }
  for (uint64_t v = atom_start & ~sep_par; v; v &= v - 1) {
    const unsigned i = static_cast<unsigned>(__builtin_ctzll(v));
    const uint64_t rest = ~atom & (~uint64_t{0} << i);
    if (rest == 0) {  // the atom goes on in the next block
      if (!atom_ok(row, n, base + i)) return false;
      continue;
    }
    if (!value_atom_ok(blk, m.digit, i, static_cast<unsigned>(__builtin_ctzll(rest)), row, n, base)) {
      return false;
    }
  }
  for (uint64_t k = shl1(keys, &st->s_key) & m.underscore; k; k &= k - 1) {
    if (reserved_key(row, n, base + static_cast<size_t>(__builtin_ctzll(k)))) return false;
  }
  return true;
}

// kPadded: the 64 bytes after the row are readable (a buffer with slack), so the last block is
// read in place; otherwise it is copied into a padded buffer first.
// kKeys: collect the keys' positions into *keys (only with kPadded). Without, kp is a constant
// null and the collecting compiles away.
template <class Simd, bool kPadded, bool kKeys>
bool accept_row(const char* data, size_t n, bool* line_break, KeyBlocks* keys) {
  KeyBlocks* const kp = kKeys ? keys : nullptr;
  const u8* row = reinterpret_cast<const u8*>(data);
  RowState st;
  size_t base = 0;
  for (; n - base >= 64; base += 64) {
    if (!block<Simd, false>(row + base, base, row, n, &st, kp)) return false;
  }
  if (base < n) {
    // Whitespace after a row is allowed, and whatever the row still expected (a closing quote,
    // a value) carries past the end and is caught below.
    if (kPadded) {
      if (!block<Simd, true>(row + base, base, row, n, &st, kp)) return false;
    } else {
      alignas(64) u8 tail[64];
      std::memset(tail, ' ', sizeof tail);
      std::memcpy(tail, row + base, n - base);
      if (!block<Simd, false>(tail, base, row, n, &st, kp)) return false;
    }
  }
  // One '{' first and one '}' last, an odd token count (ends on a separator), nothing open.
  // (Brackets outside strings count as braces, so they fail this too.)
  if (st.braces != 2 || row[st.last_sep] != '}' || st.par_tokens == 0 || st.in_string != 0 ||
      st.escaped_first) {
    return false;
  }
  if (st.high && !utf8_ok(row, n)) return false;
  if (kp) {
    kp->n = st.key_blocks;
    kp->keys = st.keys;
  }
  *line_break = st.newline;
  return true;
}

template <class Simd>
bool accept(const char* data, size_t n, bool* line_break, bool padded, KeyBlocks* kp) {
  if (!padded) return accept_row<Simd, false, false>(data, n, line_break, nullptr);
  return kp ? accept_row<Simd, true, true>(data, n, line_break, kp)
            : accept_row<Simd, true, false>(data, n, line_break, nullptr);
}

#undef SRS_FAST_INLINE

}  // namespace
}  // namespace srs
