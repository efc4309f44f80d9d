#include "json_scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "utf8.h"

/* Recursive descent over the JSON grammar (RFC 8259). Nesting is bounded so a hostile row
 * cannot exhaust the stack. */
enum { MAX_DEPTH = 128 };

typedef struct scanner {
  const char *p;
  size_t n, i;
  const char *err;
  size_t err_at;
} scanner;

static int fail(scanner *s, const char *why) {
  if (!s->err) {
    s->err = why;
    s->err_at = s->i;
  }
  return -1;
}

static void skip_ws(scanner *s) {
  while (s->i < s->n) {
    char c = s->p[s->i];
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
    s->i++;
  }
}

static int is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* At '"'. Sets *escaped when the string holds a backslash. */
static int scan_string(scanner *s, int *escaped) {
  s->i++;
  while (s->i < s->n) {
    unsigned char c = (unsigned char)s->p[s->i];
    if (c == '"') {
      s->i++;
      return 0;
    }
    if (c < 0x20) return fail(s, "control character in string");
    if (c == '\\') {
      if (escaped) *escaped = 1;
      if (s->i + 1 >= s->n) break;
      char e = s->p[s->i + 1];
      if (e == 'u') {
        if (s->i + 6 > s->n) break;
        for (int k = 2; k < 6; k++)
          if (!is_hex(s->p[s->i + k])) return fail(s, "bad \\u escape");
        s->i += 6;
        continue;
      }
      /* e != '\0' first: strchr also finds the terminating NUL of its set. */
      if (e == '\0' || !strchr("\"\\/bfnrt", e)) return fail(s, "bad escape in string");
      s->i += 2;
      continue;
    }
    if (c >= 0x80) {
      /* Rows are passed through byte for byte: text StarRocks would reject or mangle stops here. */
      size_t k = utf8_sequence((const unsigned char *)s->p + s->i, s->n - s->i);
      if (k == 0) return fail(s, "invalid UTF-8 in string");
      s->i += k;
      continue;
    }
    s->i++;
  }
  return fail(s, "unterminated string");
}

static int scan_digits(scanner *s) {
  size_t start = s->i;
  while (s->i < s->n && s->p[s->i] >= '0' && s->p[s->i] <= '9') s->i++;
  return s->i > start ? 0 : -1;
}

static int scan_number(scanner *s) {
  if (s->p[s->i] == '-') s->i++;
  if (s->i < s->n && s->p[s->i] == '0') {
    s->i++;
  } else if (scan_digits(s) != 0) {
    return fail(s, "bad number");
  }
  if (s->i < s->n && s->p[s->i] == '.') {
    s->i++;
    if (scan_digits(s) != 0) return fail(s, "bad number");
  }
  if (s->i < s->n && (s->p[s->i] == 'e' || s->p[s->i] == 'E')) {
    s->i++;
    if (s->i < s->n && (s->p[s->i] == '+' || s->p[s->i] == '-')) s->i++;
    if (scan_digits(s) != 0) return fail(s, "bad number");
  }
  return 0;
}

static int scan_literal(scanner *s, const char *word) {
  size_t len = strlen(word);
  if (s->n - s->i < len || memcmp(s->p + s->i, word, len) != 0) return fail(s, "unexpected character");
  s->i += len;
  return 0;
}

static int scan_value(scanner *s, int depth);

/* At '{'. With `out`, records the members (only used for the top level). */
static int scan_object(scanner *s, int depth, json_members *out) {
  if (depth > MAX_DEPTH) return fail(s, "nesting too deep");
  s->i++;
  skip_ws(s);
  if (s->i < s->n && s->p[s->i] == '}') {
    s->i++;
    return 0;
  }
  for (;;) {
    skip_ws(s);
    if (s->i >= s->n || s->p[s->i] != '"') return fail(s, "expected a key string");
    size_t key_start = s->i + 1;
    int escaped = 0;
    if (scan_string(s, &escaped) != 0) return -1;
    size_t key_end = s->i - 1;
    skip_ws(s);
    if (s->i >= s->n || s->p[s->i] != ':') return fail(s, "expected ':'");
    s->i++;
    skip_ws(s);
    size_t val_start = s->i;
    if (scan_value(s, depth + 1) != 0) return -1;
    if (out) {
      if (out->n == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 16;
        out->v = xrealloc(out->v, out->cap * sizeof *out->v);
      }
      out->v[out->n++] = (json_member){key_start, key_end - key_start, val_start,
                                       s->i - val_start, escaped};
    }
    skip_ws(s);
    if (s->i < s->n && s->p[s->i] == ',') {
      s->i++;
      continue;
    }
    if (s->i < s->n && s->p[s->i] == '}') {
      s->i++;
      return 0;
    }
    return fail(s, "expected ',' or '}'");
  }
}

static int scan_array(scanner *s, int depth) {
  if (depth > MAX_DEPTH) return fail(s, "nesting too deep");
  s->i++;
  skip_ws(s);
  if (s->i < s->n && s->p[s->i] == ']') {
    s->i++;
    return 0;
  }
  for (;;) {
    skip_ws(s);
    if (scan_value(s, depth + 1) != 0) return -1;
    skip_ws(s);
    if (s->i < s->n && s->p[s->i] == ',') {
      s->i++;
      continue;
    }
    if (s->i < s->n && s->p[s->i] == ']') {
      s->i++;
      return 0;
    }
    return fail(s, "expected ',' or ']'");
  }
}

static int scan_value(scanner *s, int depth) {
  if (s->i >= s->n) return fail(s, "unexpected end");
  char c = s->p[s->i];
  switch (c) {
    case '{': return scan_object(s, depth, NULL);
    case '[': return scan_array(s, depth);
    case '"': return scan_string(s, NULL);
    case 't': return scan_literal(s, "true");
    case 'f': return scan_literal(s, "false");
    case 'n': return scan_literal(s, "null");
    default:
      if (c == '-' || (c >= '0' && c <= '9')) return scan_number(s);
      return fail(s, "unexpected character");
  }
}

int json_scan_object(const char *p, size_t n, json_members *out, char *why, size_t why_len) {
  scanner s = {p, n, 0, NULL, 0};
  out->n = 0;
  skip_ws(&s);
  int rc;
  if (s.i >= n || p[s.i] != '{') {
    rc = fail(&s, "not a JSON object");
  } else {
    rc = scan_object(&s, 0, out);
    if (rc == 0) {
      skip_ws(&s);
      if (s.i != n) rc = fail(&s, "text after the object");
    }
  }
  if (rc != 0 && why && why_len) snprintf(why, why_len, "%s at byte %zu", s.err, s.err_at + 1);
  return rc;
}

int json_is_value(const char *p, size_t n) {
  scanner s = {p, n, 0, NULL, 0};
  skip_ws(&s);
  if (scan_value(&s, 0) != 0) return -1;
  skip_ws(&s);
  return s.i == n ? 0 : -1;
}

static int put_utf8(char *dst, size_t cap, size_t *o, unsigned cp) {
  char tmp[4];
  size_t k;
  if (cp < 0x80) {
    tmp[0] = (char)cp;
    k = 1;
  } else if (cp < 0x800) {
    tmp[0] = (char)(0xC0 | (cp >> 6));
    tmp[1] = (char)(0x80 | (cp & 0x3F));
    k = 2;
  } else if (cp < 0x10000) {
    tmp[0] = (char)(0xE0 | (cp >> 12));
    tmp[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    tmp[2] = (char)(0x80 | (cp & 0x3F));
    k = 3;
  } else {
    tmp[0] = (char)(0xF0 | (cp >> 18));
    tmp[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    tmp[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    tmp[3] = (char)(0x80 | (cp & 0x3F));
    k = 4;
  }
  for (size_t j = 0; j < k; j++) {
    if (*o + 1 < cap) dst[(*o)++] = tmp[j];
  }
  return 0;
}

int json_unescape(const char *p, size_t n, char *dst, size_t cap) {
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    char c = p[i];
    if (c != '\\') {
      if (o + 1 < cap) dst[o++] = c;
      continue;
    }
    if (++i >= n) return -1;
    switch (p[i]) {
      case 'b': c = '\b'; break;
      case 'f': c = '\f'; break;
      case 'n': c = '\n'; break;
      case 'r': c = '\r'; break;
      case 't': c = '\t'; break;
      case 'u': {
        if (i + 4 >= n) return -1;
        unsigned cp = (unsigned)strtoul((char[]){p[i + 1], p[i + 2], p[i + 3], p[i + 4], 0}, NULL, 16);
        i += 4;
        /* A surrogate pair spells one code point above U+FFFF. */
        if (cp >= 0xD800 && cp < 0xDC00 && i + 6 < n && p[i + 1] == '\\' && p[i + 2] == 'u') {
          unsigned lo = (unsigned)strtoul((char[]){p[i + 3], p[i + 4], p[i + 5], p[i + 6], 0}, NULL, 16);
          if (lo >= 0xDC00 && lo < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
          }
        }
        put_utf8(dst, cap, &o, cp);
        continue;
      }
      default: c = p[i];
    }
    if (o + 1 < cap) dst[o++] = c;
  }
  if (cap) dst[o < cap ? o : cap - 1] = '\0';
  return (int)o;
}

void json_members_free(json_members *m) {
  free(m->v);
  m->v = NULL;
  m->n = m->cap = 0;
}
