/* sr-load-checksum: row count and checksum (demo/canon.h) of NDJSON rows, e.g. the emulator's
 * dump of a table. usage: sr-load-checksum [FILE|-]  → {"rows":N,"checksum":"<hex>"} */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canon.h"
#include "json_scan.h"
#include "reader.h"
#include "strbuf.h"

typedef struct kv {
  char *key;
  size_t val_off, val_len;
} kv;

static int by_key(const void *a, const void *b) {
  return strcmp(((const kv *)a)->key, ((const kv *)b)->key);
}

int main(int argc, char **argv) {
  const char *path = argc > 1 ? argv[1] : "-";
  reader r;
  char err[512];
  if (reader_open(&r, path, err, sizeof err) != 0) {
    fprintf(stderr, "sr-load-checksum: %s\n", err);
    return 1;
  }
  json_members m = {0};
  strbuf text = {0}, val = {0};
  kv *kvs = NULL;
  size_t cap = 0;
  uint64_t rows = 0, sum = 0;
  const char *p;
  size_t n;
  uint64_t line;
  int rc;
  while ((rc = reader_next_line(&r, &p, &n, &line, err, sizeof err)) == 1) {
    if (n == 0) continue;
    char why[200];
    if (json_scan_object(p, n, &m, why, sizeof why) != 0) {
      fprintf(stderr, "sr-load-checksum: %s:%llu: %s\n", path, (unsigned long long)line, why);
      return 1;
    }
    if (m.n > cap) {
      cap = m.n * 2;
      kvs = xrealloc(kvs, cap * sizeof *kvs);
    }
    for (size_t i = 0; i < m.n; i++) {
      kvs[i].key = xmalloc(m.v[i].key_len + 1);
      json_unescape(p + m.v[i].key_off, m.v[i].key_len, kvs[i].key, m.v[i].key_len + 1);
      kvs[i].val_off = m.v[i].val_off;
      kvs[i].val_len = m.v[i].val_len;
    }
    qsort(kvs, m.n, sizeof *kvs, by_key);
    text.len = 0;
    for (size_t i = 0; i < m.n; i++) {
      if (i) sb_appendc(&text, '\x1f');
      sb_appendz(&text, kvs[i].key);
      sb_appendc(&text, '=');
      const char *v = p + kvs[i].val_off;
      size_t vl = kvs[i].val_len;
      if (v[0] == '"') {
        sb_reserve(&val, vl);
        int dl = json_unescape(v + 1, vl - 2, val.p, vl);
        sb_append(&text, val.p, dl > 0 ? (size_t)dl : 0);
      } else if (v[0] == 'n') {
        sb_append(&text, "\\N", 2);
      } else if (v[0] == '-' || (v[0] >= '0' && v[0] <= '9')) {
        sb_reserve(&val, vl);
        memcpy(val.p, v, vl);
        sb_append(&text, val.p, canon_number(val.p, vl));
      } else {
        sb_append(&text, v, vl);
      }
      free(kvs[i].key);
    }
    sum += canon_row_hash(text.p, text.len);
    rows++;
  }
  if (rc < 0) {
    fprintf(stderr, "sr-load-checksum: %s\n", err);
    return 1;
  }
  printf("{\"rows\":%llu,\"checksum\":\"%016llx\"}\n", (unsigned long long)rows,
         (unsigned long long)sum);
  reader_close(&r);
  json_members_free(&m);
  sb_free(&text);
  sb_free(&val);
  free(kvs);
  return 0;
}
