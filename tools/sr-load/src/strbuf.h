/* A growable byte buffer. Allocation failure is fatal (sr-load is a command-line tool: it
 * prints one line and exits rather than threading ENOMEM through every caller). */
#ifndef SR_LOAD_STRBUF_H
#define SR_LOAD_STRBUF_H

#include <stddef.h>

typedef struct strbuf {
  char *p;
  size_t len, cap;
} strbuf;

void sb_reserve(strbuf *b, size_t extra);
void sb_append(strbuf *b, const char *s, size_t n);
void sb_appendz(strbuf *b, const char *s);
void sb_appendc(strbuf *b, char c);
void sb_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s[0..n) as a JSON string literal, quotes included. */
void sb_append_json_string(strbuf *b, const char *s, size_t n);
/* NUL-terminates (without counting the NUL in len) and returns p. */
const char *sb_cstr(strbuf *b);
void sb_free(strbuf *b);

/* malloc/realloc that exit with a message on failure. */
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

#endif
