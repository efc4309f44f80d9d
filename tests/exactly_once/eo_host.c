/*
 * eo_host: a minimal stream-engine host for the exactly-once crash tests, written against the
 * public C ABI only. It writes a deterministic stream of rows into one table, takes a checkpoint
 * every --ckpt-rows rows, stores the commit token durably (write + fsync + rename) BEFORE calling
 * sr_sink_commit, and resumes from its state file after a restart, replaying the rows after the
 * restored checkpoint. --crash POINT:N makes it raise(SIGKILL) at a named point:
 *   write:N         after writing row N (mid-epoch)
 *   prepared:N      after sr_sink_on_checkpoint(N) returned, before its token is stored
 *   stored:N        after checkpoint N's token is durable, before sr_sink_commit
 *   committed:N     after sr_sink_commit(N)
 *   open:0          after sr_sink_open (recovery) returned
 * --pause POINT:N stops at the same points instead: it prints "paused POINT:N" and waits for a
 * line on stdin (the driver inspects StarRocks meanwhile).
 * --cancel-after-ms N: a thread calls sr_sink_cancel N ms after the open (unless the host is
 * closing by then), as a host cancels a sink from another thread at any moment (chaos soak).
 * A test driver can also kill it from outside; it prints one line per step on stdout:
 *   "open ckpt=<restored> next_row=<n>", "prepared <id>", "stored <id>", "committing <id>",
 *   "committed <id>", "done rows=<n>", or "error <STATUS_NAME> <message>" (exit 2).
 *
 * Row i (0-based): key = key_base + (i * 7) % keys, op = delete when i % 5 == 4, else upsert
 * {"id":key,"val":"v<i>,\"|\t\n\\N'","n":i}. The driver computes the expected table the same way.
 *
 * State file: line 1 "<checkpoint_id> <next_row>", then the token bytes.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sr_sink.h"

typedef struct {
  const char *url, *table, *instance, *state_path, *prefix;
  long rows, batch, ckpt_rows, ckpt_step, commit_every, keys, key_base, batch_max_rows;
  char crash_point[32], pause_point[32];
  long crash_at, pause_at;
} config;

static void say(const char *fmt, long v) {
  printf(fmt, v);
  printf("\n");
  fflush(stdout);
}

static void crash_if(const config *c, const char *point, long n) {
  if (c->crash_point[0] && strcmp(c->crash_point, point) == 0 && c->crash_at == n) {
    printf("crash %s:%ld\n", point, n);
    fflush(stdout);
    raise(SIGKILL);
  }
  if (c->pause_point[0] && strcmp(c->pause_point, point) == 0 && c->pause_at == n) {
    printf("paused %s:%ld\n", point, n);
    fflush(stdout);
    int ch;
    while ((ch = getchar()) != EOF && ch != '\n') {
    }
  }
}

/* "point:N" → point and N. */
static void parse_point(const char *spec, char *point, size_t cap, long *n) {
  if (!spec || !*spec) return;
  const char *colon = strchr(spec, ':');
  size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
  if (len >= cap) len = cap - 1;
  memcpy(point, spec, len);
  point[len] = '\0';
  *n = colon ? atol(colon + 1) : 0;
}

static sr_sink_connector *g_conn;
static sr_sink *g_sink;

/* --cancel-after-ms: the canceller thread; stopped (and joined) before the sink is closed, since
 * sr_sink_cancel must not race with sr_sink_close. */
static pthread_mutex_t g_cancel_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cancel_cv = PTHREAD_COND_INITIALIZER;
static int g_cancel_stop, g_cancel_started;
static long g_cancel_ms;
static pthread_t g_cancel_thread;

static void *canceller(void *arg) {
  (void)arg;
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += g_cancel_ms / 1000;
  deadline.tv_nsec += (g_cancel_ms % 1000) * 1000000L;
  if (deadline.tv_nsec >= 1000000000L) { deadline.tv_sec++; deadline.tv_nsec -= 1000000000L; }
  pthread_mutex_lock(&g_cancel_mu);
  while (!g_cancel_stop && pthread_cond_timedwait(&g_cancel_cv, &g_cancel_mu, &deadline) != ETIMEDOUT) {
  }
  if (!g_cancel_stop) {
    printf("cancelling\n");
    fflush(stdout);
    sr_sink_cancel(g_sink);
  }
  pthread_mutex_unlock(&g_cancel_mu);
  return NULL;
}

static void stop_canceller(void) {
  if (!g_cancel_started) return;
  pthread_mutex_lock(&g_cancel_mu);
  g_cancel_stop = 1;
  pthread_cond_signal(&g_cancel_cv);
  pthread_mutex_unlock(&g_cancel_mu);
  pthread_join(g_cancel_thread, NULL);
  g_cancel_started = 0;
}

/* Reports the error, then closes like a host that gives up (prepared txns stay for recovery). */
static int fail(const char *what, int32_t rc, const sr_sink_error *err) {
  printf("error %s %s: %s\n", sr_sink_status_name(rc), what, err->message);
  fflush(stdout);
  stop_canceller();
  if (g_sink) sr_sink_close(g_sink, NULL);
  sr_sink_connector_free(g_conn);
  return 2;
}

static int32_t creds(void *ud, const char *table, int32_t again, char *user, char *password) {
  (void)ud; (void)table; (void)again;
  strcpy(user, "root");
  password[0] = '\0';
  return 0;
}

static void on_log(void *ud, int32_t level, const char *msg) {
  (void)ud;
  fprintf(stderr, "[sr_sink %d] %s\n", (int)level, msg);
}

/* Durable write: temp file, fsync, rename over the old state, fsync the directory. */
static int store_state(const char *path, long ckpt, long next_row, const uint8_t *tok, size_t n) {
  char tmp[4096], dir[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "wb");
  if (!f) return -1;
  fprintf(f, "%ld %ld\n", ckpt, next_row);
  if (fwrite(tok, 1, n, f) != n || fflush(f) != 0 || fsync(fileno(f)) != 0) {
    fclose(f);
    return -1;
  }
  fclose(f);
  if (rename(tmp, path) != 0) return -1;
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  if (slash) *slash = '\0'; else strcpy(dir, ".");
  int dfd = open(dir, O_RDONLY);
  if (dfd >= 0) { fsync(dfd); close(dfd); }
  return 0;
}

/* Returns 0 with *tok malloc'ed (maybe NULL) when there is a state file, 1 when there is none. */
static int load_state(const char *path, long *ckpt, long *next_row, uint8_t **tok, size_t *n) {
  FILE *f = fopen(path, "rb");
  *tok = NULL; *n = 0; *ckpt = 0; *next_row = 0;
  if (!f) return 1;
  if (fscanf(f, "%ld %ld", ckpt, next_row) != 2 || fgetc(f) != '\n') { fclose(f); return -1; }
  size_t cap = 1 << 16;
  *tok = malloc(cap);
  size_t r;
  while ((r = fread(*tok + *n, 1, cap - *n, f)) > 0) {
    *n += r;
    if (*n == cap) { cap *= 2; *tok = realloc(*tok, cap); }
  }
  fclose(f);
  return 0;
}

static const char *arg(int argc, char **argv, const char *name, const char *dflt) {
  for (int i = 1; i + 1 < argc; i++) if (strcmp(argv[i], name) == 0) return argv[i + 1];
  return dflt;
}

int main(int argc, char **argv) {
  config c;
  memset(&c, 0, sizeof c);
  c.url = arg(argc, argv, "--url", NULL);
  c.table = arg(argc, argv, "--table", "eo.t");
  c.instance = arg(argc, argv, "--instance", "host0");
  c.state_path = arg(argc, argv, "--state", NULL);
  c.prefix = arg(argc, argv, "--prefix", "eo");
  c.rows = atol(arg(argc, argv, "--rows", "200"));
  c.batch = atol(arg(argc, argv, "--batch", "7"));
  c.ckpt_rows = atol(arg(argc, argv, "--ckpt-rows", "40"));
  c.ckpt_step = atol(arg(argc, argv, "--ckpt-step", "1"));
  c.commit_every = atol(arg(argc, argv, "--commit-every", "1"));
  c.keys = atol(arg(argc, argv, "--keys", "50"));
  c.key_base = atol(arg(argc, argv, "--key-base", "0"));
  c.batch_max_rows = atol(arg(argc, argv, "--batch-max-rows", "15"));
  parse_point(arg(argc, argv, "--crash", getenv("EO_HOST_CRASH")), c.crash_point,
              sizeof c.crash_point, &c.crash_at);
  parse_point(arg(argc, argv, "--pause", NULL), c.pause_point, sizeof c.pause_point, &c.pause_at);
  g_cancel_ms = atol(arg(argc, argv, "--cancel-after-ms", "-1"));
  if (!c.url || !c.state_path) {
    fprintf(stderr, "usage: eo_host --url URL --state FILE [--table db.t] [--instance ID] ...\n");
    return 64;
  }

  sr_sink_error err;
  memset(&err, 0, sizeof err);
  err.struct_size = sizeof err;
  sr_sink_host host = {sizeof host, SR_SINK_LOG_INFO, on_log, NULL};
  sr_sink_connector *conn = NULL;
  int32_t rc = sr_sink_connector_new(&host, &conn, &err);
  if (rc) return fail("connector_new", rc, &err);
  g_conn = conn;
  char opts[2048];
  snprintf(opts, sizeof opts,
           "{\"http_url\":\"%s\",\"execution_mode\":\"on_checkpoint\",\"label_prefix\":\"%s\","
           "\"batch_max_rows\":%ld,\"retry_backoff_ms\":20,\"request_timeout_ms\":20000,"
           "\"format\":\"%s\"}",
           c.url, c.prefix, c.batch_max_rows,
           getenv("SRTEST_FORMAT") ? getenv("SRTEST_FORMAT") : "json");
  sr_sink_credentials cr = {sizeof cr, 0, creds, NULL, NULL};
  rc = sr_sink_connector_add_sink(conn, "*", opts, &cr, &err);
  if (rc) return fail("add_sink", rc, &err);

  long ckpt = 0, next_row = 0;
  uint8_t *tok = NULL;
  size_t tok_len = 0;
  if (load_state(c.state_path, &ckpt, &next_row, &tok, &tok_len) < 0) {
    printf("error bad state file %s\n", c.state_path);
    sr_sink_connector_free(conn);
    return 2;
  }
  const char *cols[] = {"id", "val", "n"};
  sr_sink_open_params op;
  memset(&op, 0, sizeof op);
  op.struct_size = sizeof op;
  op.table = c.table;
  op.columns = cols;
  op.n_columns = 3;
  op.instance_id = c.instance;
  op.restore_token = tok;
  op.restore_token_len = tok_len;
  sr_sink *sink = NULL;
  rc = sr_sink_open(conn, &op, &sink, &err);
  free(tok);
  if (rc) return fail("open", rc, &err);
  g_sink = sink;
  printf("open ckpt=%ld next_row=%ld\n", ckpt, next_row);
  fflush(stdout);
  crash_if(&c, "open", 0);
  if (g_cancel_ms >= 0 && pthread_create(&g_cancel_thread, NULL, canceller, NULL) == 0) g_cancel_started = 1;

  char bufs[64][128];
  sr_sink_slice rows[64];
  uint8_t ops[64];
  long since_ckpt = 0, ckpts_since_commit = 0;
  for (long i = next_row; i < c.rows;) {
    long n = 0;
    while (n < c.batch && n < 64 && i + n < c.rows && since_ckpt + n < c.ckpt_rows) {
      long r = i + n, key = c.key_base + (r * 7) % c.keys;
      ops[n] = (r % 5 == 4) ? SR_SINK_OP_DELETE : SR_SINK_OP_UPSERT;
      /* The value carries what could split a CSV row or read as NULL: separator, quote,
       * escape byte, tab, line break, \N (eo_harness.stream decodes the same). */
      int len = snprintf(bufs[n], sizeof bufs[n],
                         "{\"id\":%ld,\"val\":\"v%ld,\\\"|\\t\\n\\\\N'\",\"n\":%ld}", key, r, r);
      rows[n].data = bufs[n];
      rows[n].len = (size_t)len;
      n++;
    }
    sr_sink_batch b = {sizeof b, 0, (size_t)n, rows, ops};
    rc = sr_sink_write(sink, &b, &err);
    if (rc) return fail("write", rc, &err);
    for (long k = 0; k < n; k++) crash_if(&c, "write", i + k);
    i += n;
    since_ckpt += n;
    if (since_ckpt == c.ckpt_rows || i == c.rows) {
      long id = ckpt + c.ckpt_step;
      sr_sink_token t;
      memset(&t, 0, sizeof t);
      t.struct_size = sizeof t;
      rc = sr_sink_on_checkpoint(sink, id, &t, &err);
      if (rc) return fail("on_checkpoint", rc, &err);
      say("prepared %ld", id);
      crash_if(&c, "prepared", id);
      if (store_state(c.state_path, id, i, t.data, t.len) != 0) {
        printf("error storing state: %s\n", strerror(errno));
        t.release(&t);
        stop_canceller();
        sr_sink_close(sink, NULL);
        sr_sink_connector_free(conn);
        return 2;
      }
      t.release(&t);
      ckpt = id;
      since_ckpt = 0;
      say("stored %ld", id);
      crash_if(&c, "stored", id);
      if (++ckpts_since_commit >= c.commit_every || i == c.rows) {
        say("committing %ld", id);
        rc = sr_sink_commit(sink, id, &err);
        if (rc) return fail("commit", rc, &err);
        ckpts_since_commit = 0;
        say("committed %ld", id);
        crash_if(&c, "committed", id);
      }
    }
  }
  stop_canceller();
  g_sink = NULL;
  rc = sr_sink_close(sink, &err);
  if (rc) return fail("close", rc, &err);
  sr_sink_connector_free(conn);
  say("done rows=%ld", c.rows);
  return 0;
}
