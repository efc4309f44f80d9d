/*
 * bench_host — a C host driving libsr_sink through its C ABI, for the benchmark.
 *
 *   bench_host --url http://127.0.0.1:PORT --rows F.rows --ops F.ops
 *              [--mode on_watermark|on_checkpoint] [--batch-rows 1000] [--interval-mb 256]
 *              [--budget-mb 0] [--total-mb 0] [--compression NAME] [--latency N] [--dry-run 1]
 *
 * Throughput mode: reads the rows (NDJSON, already JSON as a host engine would have them) and
 * their ops with plain read() into one small reusable buffer — not mmap, so the input file never
 * counts towards the peak RSS being measured — and hands them to sr_sink_write in batches of
 * --batch-rows. Every --interval-mb of input it calls on_watermark, or on_checkpoint + commit.
 * --total-mb > file size loops over the file (the 4 GiB memory run). --budget-mb sets
 * memory_budget_bytes (0 = library default).
 *
 * --dry-run 1 reads and splits the input exactly the same way but never calls sr_sink_write: the
 * host's own share of the CPU and wall time.
 *
 * Latency mode (--latency N): N batches of --batch-rows rows, each followed by on_watermark;
 * reports the median and p99 of the time per watermark (write + on_watermark).
 *
 * Prints one JSON line: rows, bytes, wall/CPU seconds, peak RSS, the library's stats. If the
 * library does not know the `compression` option it prints {"unavailable": "..."} and exits 3.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "sr_sink.h"

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long vm_hwm_kb(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kb = -1;
  if (!f) return -1;
  while (fgets(line, sizeof line, f)) {
    if (!strncmp(line, "VmHWM:", 6)) kb = strtol(line + 6, NULL, 10);
  }
  fclose(f);
  return kb;
}

static int32_t creds(void *ud, const char *table, int32_t after_failure, char *user, char *pw) {
  (void)ud;
  (void)table;
  (void)after_failure;
  strcpy(user, "root");
  pw[0] = '\0';
  return 0;
}

static void log_fn(void *ud, int32_t level, const char *msg) {
  (void)ud;
  if (level <= SR_SINK_LOG_WARN) fprintf(stderr, "bench_host: sr_sink: %s\n", msg);
}

static void die(const char *what, int32_t rc, const sr_sink_error *err) {
  fprintf(stderr, "bench_host: %s failed: %s: %s\n", what, sr_sink_status_name(rc),
          err ? err->message : "");
  exit(1);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* The input: rows file read through one reusable buffer, ops file through stdio. */
typedef struct {
  const char *rows_path, *ops_path;
  int fd;
  FILE *ops;
  char *buf;
  size_t cap, start, end; /* unread bytes are buf[start, end) */
  int eof;
} input;

static void input_open(input *in) {
  in->fd = open(in->rows_path, O_RDONLY);
  in->ops = fopen(in->ops_path, "rb");
  if (in->fd < 0 || !in->ops) {
    fprintf(stderr, "bench_host: cannot open %s / %s: %s\n", in->rows_path, in->ops_path,
            strerror(errno));
    exit(1);
  }
  posix_fadvise(in->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  in->start = in->end = 0;
  in->eof = 0;
}

static void input_close(input *in) {
  close(in->fd);
  fclose(in->ops);
}

/* Fills up to max_rows slices (pointing into the buffer, valid until the next call) and their
 * ops. Returns the number of rows; 0 at the end of the file. */
static size_t input_next(input *in, sr_sink_slice *rows, uint8_t *ops, size_t max_rows,
                         uint64_t *bytes) {
  /* Keep at least half a buffer of unread data so a batch never straddles a refill. */
  if (!in->eof && in->end - in->start < in->cap / 2) {
    memmove(in->buf, in->buf + in->start, in->end - in->start);
    in->end -= in->start;
    in->start = 0;
    while (in->end < in->cap) {
      ssize_t n = read(in->fd, in->buf + in->end, in->cap - in->end);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        perror("bench_host: read rows");
        exit(1);
      }
      if (n == 0) {
        in->eof = 1;
        break;
      }
      in->end += (size_t)n;
    }
  }
  size_t n = 0;
  while (n < max_rows && in->start < in->end) {
    char *p = in->buf + in->start;
    char *nl = memchr(p, '\n', in->end - in->start);
    if (!nl) break; /* the buffer holds far more than one batch; a partial line waits */
    rows[n].data = p;
    rows[n].len = (size_t)(nl - p);
    *bytes += rows[n].len + 1;
    in->start += rows[n].len + 1;
    n++;
  }
  if (n && fread(ops, 1, n, in->ops) != n) {
    fprintf(stderr, "bench_host: %s is shorter than the rows\n", in->ops_path);
    exit(1);
  }
  return n;
}

/* Ends an epoch: watermark, or checkpoint + commit (the token is not kept: no recovery here). */
static void end_epoch(sr_sink *sink, int checkpoint, int64_t epoch) {
  sr_sink_error err;
  memset(&err, 0, sizeof err);
  err.struct_size = sizeof err;
  int32_t rc;
  if (checkpoint) {
    sr_sink_token tok;
    memset(&tok, 0, sizeof tok);
    tok.struct_size = sizeof tok;
    rc = sr_sink_on_checkpoint(sink, epoch, &tok, &err);
    if (rc) die("sr_sink_on_checkpoint", rc, &err);
    tok.release(&tok);
    rc = sr_sink_commit(sink, epoch, &err);
    if (rc) die("sr_sink_commit", rc, &err);
  } else {
    rc = sr_sink_on_watermark(sink, epoch, &err);
    if (rc) die("sr_sink_on_watermark", rc, &err);
  }
}

int main(int argc, char **argv) {
  const char *url = NULL, *mode = "on_watermark", *compression = NULL;
  input in = {0};
  size_t batch_rows = 1000;
  double interval_mb = 256, budget_mb = 0, total_mb = 0;
  long latency_n = 0;
  int dry_run = 0; /* read and split the input only: the host's own share of the cost */
  for (int i = 1; i + 1 < argc; i += 2) {
    const char *k = argv[i], *v = argv[i + 1];
    if (!strcmp(k, "--url")) url = v;
    else if (!strcmp(k, "--rows")) in.rows_path = v;
    else if (!strcmp(k, "--ops")) in.ops_path = v;
    else if (!strcmp(k, "--mode")) mode = v;
    else if (!strcmp(k, "--batch-rows")) batch_rows = strtoull(v, NULL, 10);
    else if (!strcmp(k, "--interval-mb")) interval_mb = atof(v);
    else if (!strcmp(k, "--budget-mb")) budget_mb = atof(v);
    else if (!strcmp(k, "--total-mb")) total_mb = atof(v);
    else if (!strcmp(k, "--compression")) compression = v;
    else if (!strcmp(k, "--latency")) latency_n = atol(v);
    else if (!strcmp(k, "--dry-run")) dry_run = atoi(v);
    else {
      fprintf(stderr, "bench_host: unknown argument %s\n", k);
      return 2;
    }
  }
  if (!url || !in.rows_path || !in.ops_path || !batch_rows) {
    fprintf(stderr, "usage: bench_host --url URL --rows F.rows --ops F.ops [options]\n");
    return 2;
  }
  const int checkpoint = !strcmp(mode, "on_checkpoint");

  sr_sink_error err;
  memset(&err, 0, sizeof err);
  err.struct_size = sizeof err;
  sr_sink_host host = {sizeof host, SR_SINK_LOG_WARN, log_fn, NULL};
  sr_sink_connector *conn;
  int32_t rc = sr_sink_connector_new(&host, &conn, &err);
  if (rc) die("sr_sink_connector_new", rc, &err);

  char opts[1024];
  int n = snprintf(opts, sizeof opts, "{\"http_url\":\"%s\",\"execution_mode\":\"%s\"", url, mode);
  if (budget_mb > 0) {
    n += snprintf(opts + n, sizeof opts - n, ",\"memory_budget_bytes\":%llu",
                  (unsigned long long)(budget_mb * 1048576.0));
  }
  if (compression) n += snprintf(opts + n, sizeof opts - n, ",\"compression\":\"%s\"", compression);
  snprintf(opts + n, sizeof opts - n, "}");
  sr_sink_credentials cr = {sizeof cr, 0, creds, NULL, NULL};
  rc = sr_sink_connector_add_sink(conn, "*", opts, &cr, &err);
  if (rc == SR_SINK_E_CONFIG && compression && strstr(err.message, "compression")) {
    printf("{\"unavailable\":\"%s\"}\n", err.message);
    sr_sink_connector_free(conn);
    return 3;
  }
  if (rc) die("sr_sink_connector_add_sink", rc, &err);

  static const char *const cols[] = {"id", "customer", "name", "amount", "ts", "flag"};
  sr_sink_open_params op;
  memset(&op, 0, sizeof op);
  op.struct_size = sizeof op;
  op.table = "bench.orders";
  op.columns = cols;
  op.n_columns = 6;
  /* A fresh instance per run: a fresh start of an instance whose later checkpoints are already
   * VISIBLE is refused (correctly) by recovery, and every run here is a fresh start. */
  char instance[64];
  snprintf(instance, sizeof instance, "bench/host/%ld-%ld", (long)getpid(), (long)time(NULL));
  op.instance_id = instance;
  sr_sink *sink;
  rc = sr_sink_open(conn, &op, &sink, &err);
  if (rc) die("sr_sink_open", rc, &err);

  in.cap = 4u << 20;
  in.buf = malloc(in.cap);
  sr_sink_slice *rows = malloc(batch_rows * sizeof *rows);
  uint8_t *ops = malloc(batch_rows);
  double *lat = latency_n > 0 ? malloc((size_t)latency_n * sizeof *lat) : NULL;
  if (!in.buf || !rows || !ops || (latency_n > 0 && !lat)) return 1;

  uint64_t input_bytes = 0, total_rows = 0, next_mark = (uint64_t)(interval_mb * 1048576.0);
  const uint64_t total_bytes = (uint64_t)(total_mb * 1048576.0);
  int64_t epoch = 0;
  long n_lat = 0;
  double write_s = 0, epoch_s = 0; /* time inside sr_sink_write / inside watermarks+checkpoints */
  double t0 = now_s();
  input_open(&in);
  for (;;) {
    size_t got = input_next(&in, rows, ops, batch_rows, &input_bytes);
    if (got == 0) {
      /* End of the file: loop for --total-mb, else done. */
      if (total_bytes && input_bytes < total_bytes && total_rows) {
        input_close(&in);
        input_open(&in);
        continue;
      }
      break;
    }
    sr_sink_batch b = {sizeof b, 0, got, rows, ops};
    double tb = now_s();
    if (dry_run) {
      total_rows += got;
      continue;
    }
    rc = sr_sink_write(sink, &b, &err);
    if (rc) die("sr_sink_write", rc, &err);
    write_s += now_s() - tb;
    total_rows += got;
    if (latency_n > 0) {
      rc = sr_sink_on_watermark(sink, ++epoch, &err);
      if (rc) die("sr_sink_on_watermark", rc, &err);
      lat[n_lat++] = now_s() - tb;
      if (n_lat == latency_n) break;
      continue;
    }
    if (interval_mb > 0 && input_bytes >= next_mark) {
      next_mark += (uint64_t)(interval_mb * 1048576.0);
      ++epoch;
      double te = now_s();
      end_epoch(sink, checkpoint, epoch);
      epoch_s += now_s() - te;
    }
    if (total_bytes && input_bytes >= total_bytes) break;
  }
  input_close(&in);
  /* The final epoch: everything visible before the clock stops. */
  if (latency_n == 0 && !dry_run) {
    double te = now_s();
    ++epoch;
    end_epoch(sink, checkpoint, epoch);
    epoch_s += now_s() - te;
  }
  double wall = now_s() - t0;

  sr_sink_stats st;
  memset(&st, 0, sizeof st);
  st.struct_size = sizeof st;
  sr_sink_get_stats(sink, &st, &err);
  rc = sr_sink_close(sink, &err);
  if (rc) die("sr_sink_close", rc, &err);
  sr_sink_connector_free(conn);

  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  printf("{\"mode\":\"%s\",\"compression\":\"%s\",\"rows\":%llu,\"input_bytes\":%llu,"
         "\"bytes_written\":%llu,\"bytes_sent\":%llu,\"rows_loaded\":%llu,\"loads\":%llu,"
         "\"retries\":%llu,\"epochs\":%lld,\"wall_s\":%.4f,\"write_s\":%.4f,\"epoch_s\":%.4f,\"user_s\":%.4f,\"sys_s\":%.4f,"
         "\"maxrss_kb\":%ld,\"vmhwm_kb\":%ld",
         mode, compression ? compression : "none", (unsigned long long)total_rows,
         (unsigned long long)input_bytes, (unsigned long long)st.bytes_written,
         (unsigned long long)st.bytes_sent, (unsigned long long)st.rows_loaded,
         (unsigned long long)st.loads, (unsigned long long)st.retries, (long long)epoch, wall,
         write_s, epoch_s,
         (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
         (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6, ru.ru_maxrss, vm_hwm_kb());
  if (n_lat > 0) {
    qsort(lat, (size_t)n_lat, sizeof *lat, cmp_double);
    long p99 = (long)(0.99 * (double)(n_lat - 1) + 0.5);
    printf(",\"latency\":{\"n\":%ld,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f}", n_lat,
           lat[n_lat / 2] * 1e3, lat[p99] * 1e3, lat[n_lat - 1] * 1e3);
  }
  printf("}\n");
  free(lat);
  free(ops);
  free(rows);
  free(in.buf);
  return 0;
}
