/*
 * format_host — one wire-format path of the library over the orders data, with the data already
 * in memory (a host engine holds its rows or Arrow batches in memory; reading the file is not
 * part of any path):
 *   format_host --url URL --rows F.rows --ops F.ops --path json-json|json-csv|arrow-csv|arrow-json
 *               [--batch-rows 4096] [--max-rows 0]
 * json-json: JSON rows → sr_sink_write → JSON body (the library today);   json-csv: the same rows
 * with option format = csv; arrow-*: the same rows as Arrow record batches (built from the file
 * before the clock starts: id int64, customer int32, name utf8, amount decimal128(12,2),
 * ts timestamp[s], flag bool; a delete carries only its key, the other columns null) →
 * sr_sink_write_arrow, CSV or JSON body.
 * on_watermark mode; one watermark at the end. Prints one JSON line: rows, wall and CPU seconds of
 * the timed part (getrusage deltas), bytes_written (body bytes), rows_loaded.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "sr_sink.h"

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
         ru.ru_stime.tv_usec / 1e6;
}

static int32_t creds(void *ud, const char *table, int32_t after_failure, char *user, char *pw) {
  (void)ud;
  (void)table;
  (void)after_failure;
  strcpy(user, "root");
  pw[0] = '\0';
  return 0;
}

static void die(const char *what, int32_t rc, const sr_sink_error *err) {
  fprintf(stderr, "format_host: %s: %s: %s\n", what, sr_sink_status_name(rc), err->message);
  exit(1);
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    exit(1);
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = malloc((size_t)n + 1);
  if (!b || fread(b, 1, (size_t)n, f) != (size_t)n) {
    perror(path);
    exit(1);
  }
  fclose(f);
  *len = (size_t)n;
  return b;
}

/* ---- Arrow batches of the orders shape ------------------------------------------------------ */

typedef struct {
  int64_t *id;
  int32_t *customer;
  int32_t *name_off;
  char *name_data;
  uint64_t *amount; /* 2 words per value (decimal128, little-endian) */
  int64_t *ts;
  uint8_t *flag, *valid; /* bitmaps */
} columns;

static uint64_t parse_u64(const char **p) {
  uint64_t v = 0;
  while (**p >= '0' && **p <= '9') v = v * 10 + (uint64_t)(*(*p)++ - '0');
  return v;
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = (unsigned)(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int64_t)doe - 719468;
}

/* Parses the rows gen.c writes (fixed key order). */
static void parse_rows(const char *buf, size_t len, size_t n, columns *c) {
  c->id = malloc(n * 8);
  c->customer = malloc(n * 4);
  c->name_off = malloc((n + 1) * 4);
  c->name_data = malloc(len);
  c->amount = malloc(n * 16);
  c->ts = malloc(n * 8);
  c->flag = calloc(n / 8 + 1, 1);
  c->valid = calloc(n / 8 + 1, 1);
  const char *p = buf, *end = buf + len;
  int32_t off = 0;
  c->name_off[0] = 0;
  for (size_t i = 0; i < n && p < end; ++i) {
    p += 6; /* {"id": */
    c->id[i] = (int64_t)parse_u64(&p);
    c->customer[i] = 0;
    c->amount[2 * i] = c->amount[2 * i + 1] = 0;
    c->ts[i] = 0;
    if (*p == ',') {
      c->valid[i / 8] |= (uint8_t)(1u << (i % 8));
      p += 12; /* ,"customer": */
      c->customer[i] = (int32_t)parse_u64(&p);
      p += 10; /* ,"name":" */
      const char *q = memchr(p, '"', (size_t)(end - p));
      memcpy(c->name_data + off, p, (size_t)(q - p));
      off += (int32_t)(q - p);
      p = q + 12; /* ","amount": */
      uint64_t units = parse_u64(&p);
      ++p;
      uint64_t cents = parse_u64(&p);
      c->amount[2 * i] = units * 100 + cents;
      p += 8; /* ,"ts":" */
      int64_t y = (int64_t)parse_u64(&p);
      ++p;
      unsigned mo = (unsigned)parse_u64(&p);
      ++p;
      unsigned d = (unsigned)parse_u64(&p);
      ++p;
      int64_t hh = (int64_t)parse_u64(&p);
      ++p;
      int64_t mi = (int64_t)parse_u64(&p);
      ++p;
      int64_t ss = (int64_t)parse_u64(&p);
      c->ts[i] = days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60 + ss;
      p += 10; /* ","flag": */
      if (*p == 't') c->flag[i / 8] |= (uint8_t)(1u << (i % 8));
    }
    c->name_off[i + 1] = off;
    p = memchr(p, '\n', (size_t)(end - p)) + 1;
  }
}

/* One exported batch: rows [start, start+len) of the columns, as a struct array whose children
 * carry the offset (no copy). The structs live in a slot reused per call. */
typedef struct {
  struct ArrowSchema schema, fields[6];
  struct ArrowSchema *field_ptrs[6];
  struct ArrowArray array, kids[6];
  struct ArrowArray *kid_ptrs[6];
  const void *bufs[6][3];
  const void *root_bufs[1];
} slot;

static void release_schema(struct ArrowSchema *s) { s->release = NULL; }
static void release_array(struct ArrowArray *a) { a->release = NULL; }

static void export_batch(slot *s, const columns *c, int64_t start, int64_t len, int64_t nulls) {
  static const char *names[6] = {"id", "customer", "name", "amount", "ts", "flag"};
  static const char *formats[6] = {"l", "i", "u", "d:12,2", "tss:", "b"};
  memset(s, 0, sizeof *s);
  for (int k = 0; k < 6; ++k) {
    struct ArrowSchema *f = &s->fields[k];
    f->format = formats[k];
    f->name = names[k];
    f->flags = ARROW_FLAG_NULLABLE;
    f->release = release_schema;
    s->field_ptrs[k] = f;
    struct ArrowArray *a = &s->kids[k];
    a->length = len;
    a->offset = start;
    a->null_count = k == 0 ? 0 : nulls;
    a->n_buffers = k == 2 ? 3 : 2;
    s->bufs[k][0] = k == 0 ? NULL : c->valid;
    a->buffers = s->bufs[k];
    a->release = release_array;
    s->kid_ptrs[k] = a;
  }
  s->bufs[0][1] = c->id;
  s->bufs[1][1] = c->customer;
  s->bufs[2][1] = c->name_off;
  s->bufs[2][2] = c->name_data;
  s->bufs[3][1] = c->amount;
  s->bufs[4][1] = c->ts;
  s->bufs[5][1] = c->flag;
  s->schema.format = "+s";
  s->schema.name = "";
  s->schema.n_children = 6;
  s->schema.children = s->field_ptrs;
  s->schema.release = release_schema;
  s->array.length = len;
  s->array.n_buffers = 1;
  s->root_bufs[0] = NULL;
  s->array.buffers = s->root_bufs;
  s->array.n_children = 6;
  s->array.children = s->kid_ptrs;
  s->array.release = release_array;
}

int main(int argc, char **argv) {
  const char *url = NULL, *rows_path = NULL, *ops_path = NULL, *path = NULL;
  size_t batch_rows = 4096, max_rows = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--url")) url = argv[i + 1];
    else if (!strcmp(argv[i], "--rows")) rows_path = argv[i + 1];
    else if (!strcmp(argv[i], "--ops")) ops_path = argv[i + 1];
    else if (!strcmp(argv[i], "--path")) path = argv[i + 1];
    else if (!strcmp(argv[i], "--batch-rows")) batch_rows = strtoull(argv[i + 1], NULL, 10);
    else if (!strcmp(argv[i], "--max-rows")) max_rows = strtoull(argv[i + 1], NULL, 10);
  }
  if (!url || !rows_path || !ops_path || !path) {
    fprintf(stderr, "usage: format_host --url URL --rows F.rows --ops F.ops --path json-json|json-csv|arrow-csv|arrow-json\n");
    return 2;
  }
  const int arrow = !strncmp(path, "arrow", 5);
  const char *format = strstr(path, "-csv") ? "csv" : "json";

  size_t len, n_ops;
  char *buf = read_file(rows_path, &len);
  uint8_t *ops = (uint8_t *)read_file(ops_path, &n_ops);
  size_t n = n_ops;
  if (max_rows && n > max_rows) n = max_rows;
  sr_sink_slice *slices = NULL;
  columns cols;
  memset(&cols, 0, sizeof cols);
  if (arrow) {
    parse_rows(buf, len, n, &cols);
  } else {
    slices = malloc(n * sizeof *slices);
    const char *p = buf;
    for (size_t i = 0; i < n; ++i) {
      const char *e = memchr(p, '\n', (size_t)(buf + len - p));
      slices[i].data = p;
      slices[i].len = (size_t)(e - p);
      p = e + 1;
    }
  }

  sr_sink_error err;
  memset(&err, 0, sizeof err);
  err.struct_size = sizeof err;
  sr_sink_connector *conn;
  int32_t rc = sr_sink_connector_new(NULL, &conn, &err);
  if (rc) die("connector_new", rc, &err);
  char opts[512];
  snprintf(opts, sizeof opts,
           "{\"http_url\":\"%s\",\"execution_mode\":\"on_watermark\",\"format\":\"%s\"}", url, format);
  sr_sink_credentials cr = {sizeof cr, 0, creds, NULL, NULL};
  rc = sr_sink_connector_add_sink(conn, "*", opts, &cr, &err);
  if (rc) die("add_sink", rc, &err);
  static const char *const names[] = {"id", "customer", "name", "amount", "ts", "flag"};
  sr_sink_open_params op;
  memset(&op, 0, sizeof op);
  op.struct_size = sizeof op;
  op.table = "bench.orders";
  op.columns = names;
  op.n_columns = 6;
  sr_sink *sink;
  rc = sr_sink_open(conn, &op, &sink, &err);
  if (rc) die("open", rc, &err);

  static slot s;
  /* Null counts per batch, as an Arrow producer knows them (not timed). */
  int64_t *nulls = calloc(n / batch_rows + 2, sizeof *nulls);
  if (arrow) {
    for (size_t k = 0; k < n; ++k) nulls[k / batch_rows] += !((cols.valid[k / 8] >> (k % 8)) & 1);
  }
  double c0 = cpu_s(), t0 = now_s();
  for (size_t i = 0; i < n; i += batch_rows) {
    size_t m = n - i < batch_rows ? n - i : batch_rows;
    if (arrow) {
      export_batch(&s, &cols, (int64_t)i, (int64_t)m, nulls[i / batch_rows]);
      rc = sr_sink_write_arrow(sink, &s.schema, &s.array, ops + i, &err);
      if (rc) die("write_arrow", rc, &err);
    } else {
      sr_sink_batch b = {sizeof b, 0, m, slices + i, ops + i};
      rc = sr_sink_write(sink, &b, &err);
      if (rc) die("write", rc, &err);
    }
  }
  rc = sr_sink_on_watermark(sink, 1, &err);
  if (rc) die("on_watermark", rc, &err);
  double wall = now_s() - t0, cpu = cpu_s() - c0;

  sr_sink_stats st;
  memset(&st, 0, sizeof st);
  st.struct_size = sizeof st;
  sr_sink_get_stats(sink, &st, &err);
  sr_sink_close(sink, &err);
  sr_sink_connector_free(conn);
  printf("{\"path\":\"%s\",\"rows\":%zu,\"wall_s\":%.4f,\"cpu_s\":%.4f,\"bytes_written\":%llu,"
         "\"rows_loaded\":%llu}\n",
         path, n, wall, cpu, (unsigned long long)st.bytes_written,
         (unsigned long long)st.rows_loaded);
  return 0;
}
