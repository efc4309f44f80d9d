/*
 * gen — deterministic orders data set for the benchmark.
 *
 *   gen --bytes N --out PREFIX [--seed S]
 *
 * Writes three files describing the same rows:
 *   PREFIX.rows  NDJSON, one order per line, as a host hands it to sr_sink_write (no "__op");
 *   PREFIX.ops   one byte per row: 0 upsert, 1 delete (the batch's ops array);
 *   PREFIX.body  the Stream Load body the library produces from them (each object with
 *                "__op":N appended, byte for byte like src/encode.cpp), which curl, the Java SDK
 *                and the Python script send, so every client moves the same bytes.
 * Stops after the row that makes PREFIX.body reach N bytes. Prints one JSON line with the counts.
 *
 * Schema (bench/catalog.json): id BIGINT key, customer INT, name VARCHAR(32), amount
 * DECIMAL(12,2), ts DATETIME, flag BOOLEAN. Rows: ~80% new ids, ~15% updates of earlier ids,
 * ~5% deletes of earlier ids (a delete carries only the key). ~140 bytes a row on the wire.
 * Formatting is by hand (no printf) so several GiB take seconds, not minutes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state;

/* xorshift64*: fast, deterministic across platforms. */
static uint64_t rnd(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 2685821657736338717ull;
}

static char *put_str(char *p, const char *s) {
  size_t n = strlen(s);
  memcpy(p, s, n);
  return p + n;
}

static char *put_u64(char *p, uint64_t v) {
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n) *p++ = tmp[--n];
  return p;
}

static char *put_2(char *p, unsigned v) {
  *p++ = (char)('0' + v / 10);
  *p++ = (char)('0' + v % 10);
  return p;
}

static const char *const kFirst[] = {"alice", "bob", "carol", "dave", "erin", "frank", "grace",
                                     "heidi", "ivan", "judy", "mallory", "niaj", "olivia", "peggy",
                                     "rupert", "sybil", "trent", "victor", "walter", "zoe"};
static const char *const kLast[] = {"smith", "jones", "garcia", "miller", "davis", "martinez",
                                    "lopez", "wilson", "anderson", "thomas", "moore", "jackson",
                                    "martin", "lee", "thompson", "white", "harris", "clark"};

/* One order row (without "__op") into p; returns the end. */
static char *put_row(char *p, uint64_t id, int is_delete) {
  p = put_str(p, "{\"id\":");
  p = put_u64(p, id);
  if (is_delete) return put_str(p, "}");
  uint64_t r = rnd();
  p = put_str(p, ",\"customer\":");
  p = put_u64(p, 100000 + (r % 900000));
  p = put_str(p, ",\"name\":\"");
  p = put_str(p, kFirst[(r >> 20) % 20]);
  *p++ = ' ';
  p = put_str(p, kLast[(r >> 28) % 18]);
  *p++ = '-';
  p = put_u64(p, (r >> 36) % 100000); /* <= 5 + 1 + 8 + 1 + 5 = 20 chars < 32 */
  p = put_str(p, "\",\"amount\":");
  uint64_t cents = (r >> 8) % 100000000; /* < 1e6 units: fits DECIMAL(12,2) */
  p = put_u64(p, cents / 100);
  *p++ = '.';
  p = put_2(p, (unsigned)(cents % 100));
  /* ts: 2026 dates, second resolution. */
  uint64_t s = rnd();
  p = put_str(p, ",\"ts\":\"2026-");
  p = put_2(p, (unsigned)(1 + s % 12));
  *p++ = '-';
  p = put_2(p, (unsigned)(1 + (s >> 8) % 28));
  *p++ = ' ';
  p = put_2(p, (unsigned)((s >> 16) % 24));
  *p++ = ':';
  p = put_2(p, (unsigned)((s >> 24) % 60));
  *p++ = ':';
  p = put_2(p, (unsigned)((s >> 32) % 60));
  p = put_str(p, "\",\"flag\":");
  p = put_str(p, (s >> 40) & 1 ? "true" : "false");
  return put_str(p, "}");
}

int main(int argc, char **argv) {
  uint64_t target = 0, seed = 42;
  const char *prefix = NULL;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--bytes")) target = strtoull(argv[i + 1], NULL, 10);
    else if (!strcmp(argv[i], "--out")) prefix = argv[i + 1];
    else if (!strcmp(argv[i], "--seed")) seed = strtoull(argv[i + 1], NULL, 10);
    else {
      fprintf(stderr, "gen: unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  if (!target || !prefix) {
    fprintf(stderr, "usage: gen --bytes N --out PREFIX [--seed S]\n");
    return 2;
  }
  rng_state = seed ? seed : 1;
  char path[4096];
  FILE *f_rows, *f_ops, *f_body;
  snprintf(path, sizeof path, "%s.rows", prefix);
  f_rows = fopen(path, "wb");
  snprintf(path, sizeof path, "%s.ops", prefix);
  f_ops = fopen(path, "wb");
  snprintf(path, sizeof path, "%s.body", prefix);
  f_body = fopen(path, "wb");
  if (!f_rows || !f_ops || !f_body) {
    perror("gen: open output");
    return 1;
  }
  static char rows_buf[1 << 20], body_buf[1 << 20], ops_buf[1 << 14];
  size_t rows_n = 0, body_n = 0, ops_n = 0;
  uint64_t bytes = 0, rows = 0, deletes = 0, updates = 0, next_id = 1;
  while (bytes < target) {
    uint64_t r = rnd() % 100, id;
    int del = 0;
    if (next_id > 1000 && r < 5) {
      del = 1;
      id = 1 + rnd() % (next_id - 1);
      deletes++;
    } else if (next_id > 1000 && r < 20) {
      id = 1 + rnd() % (next_id - 1);
      updates++;
    } else {
      id = next_id++;
    }
    char *start = rows_buf + rows_n;
    char *end = put_row(start, id, del);
    size_t len = (size_t)(end - start);
    /* The body line: the row without its '}', then "," "__op":N "}\n" (as src/encode.cpp). */
    memcpy(body_buf + body_n, start, len - 1);
    body_n += len - 1;
    memcpy(body_buf + body_n, del ? ",\"__op\":1}\n" : ",\"__op\":0}\n", 11);
    body_n += 11;
    bytes += len + 10;
    rows_buf[rows_n + len] = '\n';
    rows_n += len + 1;
    ops_buf[ops_n++] = (char)del;
    rows++;
    if (rows_n > sizeof rows_buf - 512) {
      fwrite(rows_buf, 1, rows_n, f_rows);
      rows_n = 0;
    }
    if (body_n > sizeof body_buf - 512) {
      fwrite(body_buf, 1, body_n, f_body);
      body_n = 0;
    }
    if (ops_n == sizeof ops_buf) {
      fwrite(ops_buf, 1, ops_n, f_ops);
      ops_n = 0;
    }
  }
  fwrite(rows_buf, 1, rows_n, f_rows);
  fwrite(body_buf, 1, body_n, f_body);
  fwrite(ops_buf, 1, ops_n, f_ops);
  if (fclose(f_rows) || fclose(f_ops) || fclose(f_body)) {
    perror("gen: write");
    return 1;
  }
  printf("{\"rows\":%llu,\"body_bytes\":%llu,\"updates\":%llu,\"deletes\":%llu}\n",
         (unsigned long long)rows, (unsigned long long)bytes, (unsigned long long)updates,
         (unsigned long long)deletes);
  return 0;
}
