/* The demo's table checksum, shared by the generator (expected value) and sr-load-checksum
 * (actual value, from the emulator's dump). Definition (checksum.py is the same in Python):
 *   row text  = its columns sorted by name, each "name=value", joined by \x1f, where value is
 *               \N for null, true/false, an integer's digits, a decimal number with trailing
 *               fractional zeros removed (12.50 → 12.5, 100.00 → 100), a string's characters
 *   row hash  = crc32(text) << 32 | adler32(text)      (zlib)
 *   checksum  = sum of row hashes mod 2^64, printed as 16 hex digits
 * It does not depend on row order, key order in the JSON, or how a number or string is spelled. */
#ifndef SR_LOAD_DEMO_CANON_H
#define SR_LOAD_DEMO_CANON_H

#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

static inline uint64_t canon_row_hash(const char *text, size_t n) {
  uLong c = crc32(0L, (const Bytef *)text, (uInt)n);
  uLong a = adler32(1L, (const Bytef *)text, (uInt)n);
  return ((uint64_t)(c & 0xffffffffu) << 32) | (uint64_t)(a & 0xffffffffu);
}

/* Normalizes a JSON number's text in place: "12.50" → "12.5", "3.00" → "3". Returns the new
 * length. Exponent forms are left as they are. */
static inline size_t canon_number(char *s, size_t n) {
  int dot = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == 'e' || s[i] == 'E') return n;
    if (s[i] == '.') dot = 1;
  }
  if (!dot) return n;
  while (n > 0 && s[n - 1] == '0') n--;
  if (n > 0 && s[n - 1] == '.') n--;
  if (n == 2 && s[0] == '-' && s[1] == '0') {
    s[0] = '0';
    n = 1;
  }
  return n;
}

#endif
