/* UTF-8 validation (RFC 3629): StarRocks rejects or mangles text that is not valid UTF-8, so
 * sr-load refuses it at the input, where it can name the file and line. */
#ifndef SR_LOAD_UTF8_H
#define SR_LOAD_UTF8_H

#include <stddef.h>

/* Length of the valid UTF-8 sequence at p[0..n) (1 to 4), or 0 if it is not one: a stray
 * continuation byte, a truncated sequence, an overlong form, a surrogate or a code point above
 * U+10FFFF. */
size_t utf8_sequence(const unsigned char *p, size_t n);

/* Returns 0 if p[0..n) is valid UTF-8, else -1 with the offset of the first bad byte in *bad_at. */
int utf8_check(const char *p, size_t n, size_t *bad_at);

#endif
