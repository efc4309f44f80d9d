/* A small JSON scanner: validates one JSON object and reports its top-level members as byte
 * spans, so sr-load can pull the op field out of a row and check its keys without building a
 * tree (rows are copied through byte for byte, which keeps numbers' exact text). */
#ifndef SR_LOAD_JSON_SCAN_H
#define SR_LOAD_JSON_SCAN_H

#include <stddef.h>

typedef struct json_member {
  size_t key_off, key_len; /* the key's raw text between the quotes (escapes not decoded) */
  size_t val_off, val_len; /* the value's text */
  int key_escaped;         /* the key contains a backslash escape */
} json_member;

typedef struct json_members {
  json_member *v;
  size_t n, cap;
} json_members;

/* Checks that p[0..n) is exactly one JSON object (whitespace around it allowed, strings valid
 * UTF-8; the library checks \u escapes further) and fills
 * `out` with its top-level members in order. On failure returns -1 and writes a short reason
 * naming the byte offset into why[0..why_len). */
int json_scan_object(const char *p, size_t n, json_members *out, char *why, size_t why_len);

/* Checks that p[0..n) is exactly one JSON value of any kind. Returns 0 or -1. */
int json_is_value(const char *p, size_t n);

/* Decodes a key's raw text (with escapes) into dst (NUL-terminated, truncated to cap). Returns
 * the decoded length or -1 on a bad escape. */
int json_unescape(const char *p, size_t n, char *dst, size_t cap);

void json_members_free(json_members *m);

#endif
