/* sr-load-gen: a deterministic stream of orders for the demo table shop.orders (catalog.json):
 * new orders, status updates of earlier orders and deletes, as NDJSON, plus the expected final
 * table (row count and checksum, demo/canon.h).
 *
 *   sr-load-gen [--orders N] [--seed S] [--update-ratio R] [--delete-ratio R]
 *               --out FILE --expected FILE
 *
 * Every order id is inserted once; an update rewrites a live order (its status advances, its
 * amount sometimes changes); a delete removes a live order ({"order_id":N,"__op":1}). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "canon.h"
#include "strbuf.h"

static const char *STATUS[] = {"created", "paid", "shipped", "delivered"};
static const char *CURRENCY[] = {"EUR", "USD", "GBP", "JPY", "CHF"};
static const char *COUNTRY[] = {"DE", "FR", "US", "GB", "JP", "CH", "NL", "ES", "IT", "PL"};
/* NULL is SQL NULL; the rest exercise JSON escaping (quotes, tab, backslash, UTF-8). */
static const char *NOTE[] = {NULL, NULL, NULL, "", "gift wrap, please",
                             "leave at the \"back\" door", "\xc3\xa7" "a va \xe2\x80\x94 merci",
                             "Lieferung an Nachbar", "call before delivery\tthanks",
                             "fragile\\glass"};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
enum { BASE_TIME = 1704067200 }; /* 2024-01-01 00:00:00 UTC */

/* splitmix64: tiny, fast, and the same sequence everywhere for a seed. */
static uint64_t rng_state;
static uint64_t next_u64(void) {
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
static uint32_t below(uint32_t n) { return (uint32_t)(next_u64() % n); }
static double unit(void) { return (double)(next_u64() >> 11) / 9007199254740992.0; }

typedef struct order {
  uint32_t customer, cents, created, updated;
  uint8_t status, currency, items, country, note, alive;
} order;

static void fmt_time(char *dst, uint32_t t) {
  time_t tt = (time_t)t;
  struct tm tm;
  gmtime_r(&tt, &tm);
  strftime(dst, 20, "%Y-%m-%d %H:%M:%S", &tm);
}

static void render(strbuf *b, uint64_t id, const order *o) {
  char created[20], updated[20];
  fmt_time(created, o->created);
  fmt_time(updated, o->updated);
  sb_printf(b,
            "{\"order_id\":%llu,\"customer_id\":%u,\"status\":\"%s\",\"amount\":%u.%02u,"
            "\"currency\":\"%s\",\"items\":%u,\"created_at\":\"%s\",\"updated_at\":\"%s\","
            "\"country\":\"%s\",\"note\":",
            (unsigned long long)id, o->customer, STATUS[o->status], o->cents / 100, o->cents % 100,
            CURRENCY[o->currency], o->items, created, updated, COUNTRY[o->country]);
  const char *note = NOTE[o->note];
  if (note) sb_append_json_string(b, note, strlen(note));
  else sb_appendz(b, "null");
  sb_appendz(b, "}\n");
}

/* The row's canonical text (canon.h): columns sorted by name. */
static void canonical(strbuf *b, uint64_t id, const order *o) {
  char created[20], updated[20], amount[24];
  fmt_time(created, o->created);
  fmt_time(updated, o->updated);
  int n = snprintf(amount, sizeof amount, "%u.%02u", o->cents / 100, o->cents % 100);
  amount[canon_number(amount, (size_t)n)] = '\0';
  const char *note = NOTE[o->note];
  sb_printf(b,
            "amount=%s\x1f" "country=%s\x1f" "created_at=%s\x1f" "currency=%s\x1f"
            "customer_id=%u\x1f" "items=%u\x1f" "note=%s\x1f" "order_id=%llu\x1f"
            "status=%s\x1f" "updated_at=%s",
            amount, COUNTRY[o->country], created, CURRENCY[o->currency], o->customer, o->items,
            note ? note : "\\N", (unsigned long long)id, STATUS[o->status], updated);
}

int main(int argc, char **argv) {
  uint64_t orders = 1000000, seed = 42;
  double p_update = 0.12, p_delete = 0.03;
  const char *out_path = NULL, *expected_path = NULL;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--orders")) orders = strtoull(argv[i + 1], NULL, 10);
    else if (!strcmp(argv[i], "--seed")) seed = strtoull(argv[i + 1], NULL, 10);
    else if (!strcmp(argv[i], "--update-ratio")) p_update = atof(argv[i + 1]);
    else if (!strcmp(argv[i], "--delete-ratio")) p_delete = atof(argv[i + 1]);
    else if (!strcmp(argv[i], "--out")) out_path = argv[i + 1];
    else if (!strcmp(argv[i], "--expected")) expected_path = argv[i + 1];
    else {
      fprintf(stderr, "sr-load-gen: unknown option %s\n", argv[i]);
      return 2;
    }
  }
  if (!out_path || !expected_path || orders == 0 || orders > 100000000) {
    fprintf(stderr, "usage: sr-load-gen [--orders N] [--seed S] [--update-ratio R] "
                    "[--delete-ratio R] --out FILE --expected FILE\n");
    return 2;
  }
  FILE *out = fopen(out_path, "w");
  if (!out) {
    perror(out_path);
    return 1;
  }
  setvbuf(out, NULL, _IOFBF, 1 << 20);
  rng_state = seed;
  order *o = calloc(orders + 1, sizeof *o);
  uint64_t *live = malloc((orders + 1) * sizeof *live), n_live = 0;
  uint64_t *pos = malloc((orders + 1) * sizeof *pos);
  if (!o || !live || !pos) {
    fputs("sr-load-gen: out of memory\n", stderr);
    return 1;
  }
  uint64_t next_id = 1, lines = 0, upserts = 0, deletes = 0;
  uint32_t clock = BASE_TIME;
  strbuf b = {0};
  while (next_id <= orders) {
    clock += below(4);
    double r = unit();
    b.len = 0;
    if (r < p_update && n_live) {
      uint64_t id = live[below((uint32_t)n_live)];
      order *x = &o[id];
      if (x->status < 3) x->status++;
      if (unit() < 0.2) x->cents = 500 + below(99500);
      x->updated = clock;
      render(&b, id, x);
      upserts++;
    } else if (r < p_update + p_delete && n_live) {
      uint64_t i = below((uint32_t)n_live), id = live[i], last = live[--n_live];
      live[i] = last;
      pos[last] = i;
      o[id].alive = 0;
      sb_printf(&b, "{\"order_id\":%llu,\"__op\":1}\n", (unsigned long long)id);
      deletes++;
    } else {
      uint64_t id = next_id++;
      order *x = &o[id];
      *x = (order){1 + below(200000), 500 + below(99500), clock, clock, 0, (uint8_t)below(COUNT(CURRENCY)),
                   (uint8_t)(1 + below(10)), (uint8_t)below(COUNT(COUNTRY)), (uint8_t)below(COUNT(NOTE)), 1};
      pos[id] = n_live;
      live[n_live++] = id;
      render(&b, id, x);
      upserts++;
    }
    fwrite(b.p, 1, b.len, out);
    lines++;
  }
  if (fclose(out) != 0) {
    perror(out_path);
    return 1;
  }
  uint64_t rows = 0, sum = 0;
  for (uint64_t id = 1; id <= orders; id++) {
    if (!o[id].alive) continue;
    b.len = 0;
    canonical(&b, id, &o[id]);
    sum += canon_row_hash(b.p, b.len);
    rows++;
  }
  FILE *e = fopen(expected_path, "w");
  if (!e) {
    perror(expected_path);
    return 1;
  }
  fprintf(e,
          "{\"rows\":%llu,\"checksum\":\"%016llx\",\"input_rows\":%llu,\"upserts\":%llu,"
          "\"deletes\":%llu}\n",
          (unsigned long long)rows, (unsigned long long)sum, (unsigned long long)lines,
          (unsigned long long)upserts, (unsigned long long)deletes);
  fclose(e);
  fprintf(stderr,
          "sr-load-gen: %llu rows (%llu upserts, %llu deletes) -> %s; expected table: %llu rows, "
          "checksum %016llx\n",
          (unsigned long long)lines, (unsigned long long)upserts, (unsigned long long)deletes,
          out_path, (unsigned long long)rows, (unsigned long long)sum);
  sb_free(&b);
  free(o);
  free(live);
  free(pos);
  return 0;
}
