/* sr-load: files or stdin → StarRocks through libsr_sink, used exactly the way a stream engine
 * uses it (dlopen + vtable, write / checkpoint / commit), with a state file that makes a rerun
 * after a crash resume exactly once.
 *
 * The checkpoint protocol (on_checkpoint mode), in the order that makes it exactly-once:
 *   1. flush the rows of the epoch into sr_sink_write
 *   2. sr_sink_on_checkpoint(id)  → the transaction is PREPARED, we get a commit token
 *   3. write the token and the input position after the epoch's last row to the state file
 *      (write, fsync, rename, fsync dir): from now on the epoch belongs to the checkpoint
 *   4. sr_sink_commit(id)
 * A crash before 3 leaves the previous state: the rerun replays the epoch and the library rolls
 * back the leftover prepared transaction. A crash after 3 leaves the new token: the rerun's
 * sr_sink_open commits it (idempotently) and reading resumes after the epoch. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "credentials.h"
#include "library.h"
#include "progress.h"
#include "reader.h"
#include "rows.h"
#include "sr_sink.h"
#include "state.h"
#include "strbuf.h"

enum { EXIT_LOAD = 1, EXIT_USAGE = 2, EXIT_INTERRUPTED = 130 };
enum { BATCH_ROWS = 4096, BATCH_BYTES = 4 << 20 };

/* Rows collected for one sr_sink_write call. */
typedef struct batch {
  strbuf data;
  size_t *off, *len;
  uint8_t *ops;
  sr_sink_slice *slices;
  size_t n, cap;
} batch;

typedef struct app {
  args a;
  sr_sink_vtable vt;
  char library_path[4096];
  credentials creds;
  sr_sink_connector *conn;
  sr_sink *sink;
  pthread_mutex_t sink_mu; /* the signal thread's cancel must not race with close */
  atomic_int stop;         /* the signal that interrupted us, 0 if none */
  progress prog;

  load_state st; /* the durable state (what the state file holds) */
  int resumed;
  const char *const *columns;
  size_t n_columns;
  row_conv conv;
  batch b;

  /* where reading is */
  size_t fi;
  reader rd;
  int rd_open;
  uint64_t rd_start_offset; /* offset reading of this file started at (bytes before: skipped) */
  uint64_t bytes_prev_files;

  /* the epoch since the last checkpoint */
  int64_t ckpt;
  uint64_t epoch_rows;
  double epoch_start;
  size_t epoch_from_file;
  uint64_t epoch_from_line;
  uint64_t last_line;

  uint64_t rows_run, upserts, deletes, checkpoints_run;
  uint64_t rows_at_start; /* rows loaded by earlier runs (resume) */
  int pending_rc;         /* error of a flush made while waiting for input */
  int wake_pipe[2];       /* written by the signal thread to wake a read blocked on a pipe */
} app;

static app A;

/* ---- messages ------------------------------------------------------------------------------ */

static int fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(int code, const char *fmt, ...) {
  char msg[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  progress_message(&A.prog, "sr-load: %s", msg);
  return code;
}

static const char *input_name(size_t i) {
  return strcmp(A.a.inputs[i], "-") == 0 ? "<stdin>" : A.a.inputs[i];
}

/* "checkpoint 3 (a.ndjson:1001 to b.ndjson:17)" */
static void describe_epoch(char *dst, size_t cap) {
  snprintf(dst, cap, "checkpoint %lld (%s:%llu to %s:%llu)", (long long)(A.ckpt + 1),
           input_name(A.epoch_from_file), (unsigned long long)A.epoch_from_line,
           input_name(A.fi < A.a.n_inputs ? A.fi : A.a.n_inputs - 1),
           (unsigned long long)A.last_line);
}

static int lib_fail(int32_t rc, const sr_sink_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int lib_fail(int32_t rc, const sr_sink_error *err, const char *fmt, ...) {
  char what[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  if (rc == SR_SINK_E_CANCELLED && atomic_load(&A.stop)) return EXIT_INTERRUPTED;
  char label[SR_SINK_ERROR_LABEL_MAX + 16] = "";
  if (err->label[0]) snprintf(label, sizeof label, " (label %s)", err->label);
  progress_message(&A.prog, "sr-load: %s: %s%s: %s", what, A.vt.status_name(rc), label,
                   err->message[0] ? err->message : "(no message)");
  return EXIT_LOAD;
}

static void init_err(sr_sink_error *e) {
  memset(e, 0, sizeof *e);
  e->struct_size = sizeof *e;
}

/* The library's errors come back as return values too (and are printed then, as one line), so
 * its error-level log lines are shown only with --verbose. */
static void on_library_log(void *user_data, int32_t level, const char *message) {
  (void)user_data;
  if (level <= SR_SINK_LOG_ERROR && !A.a.verbose) return;
  static const char *names[] = {"", "error", "warning", "info", "debug"};
  progress_message(&A.prog, "sr-load: libsr_sink %s: %s", names[level >= 1 && level <= 4 ? level : 0],
                   message);
}

/* ---- signals ------------------------------------------------------------------------------- */

/* SIGINT/SIGTERM are blocked in every thread (library threads inherit the mask) and taken here:
 * the first cancels the sink so a blocked call returns; a second exits at once. */
static void *signal_thread(void *arg) {
  sigset_t *set = arg;
  for (;;) {
    int sig;
    if (sigwait(set, &sig) != 0) continue;
    if (atomic_exchange(&A.stop, sig) != 0) {
      static const char msg[] = "\nsr-load: interrupted again, exiting now\n";
      ssize_t ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
      (void)ignored;
      _exit(EXIT_INTERRUPTED);
    }
    pthread_mutex_lock(&A.sink_mu);
    if (A.sink) A.vt.cancel(A.sink);
    pthread_mutex_unlock(&A.sink_mu);
    if (A.wake_pipe[1] >= 0) {
      ssize_t ignored = write(A.wake_pipe[1], "x", 1);
      (void)ignored;
    }
  }
  return NULL;
}

static void start_signal_thread(void) {
  static sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  pthread_t t;
  if (pthread_create(&t, NULL, signal_thread, &set) == 0) pthread_detach(t);
}

/* ---- options and columns ------------------------------------------------------------------- */

static int build_options(strbuf *o) {
  sb_appendz(o, "{\"http_url\":[");
  for (size_t i = 0; i < A.a.n_urls; i++) {
    if (i) sb_appendc(o, ',');
    sb_append_json_string(o, A.a.urls[i], strlen(A.a.urls[i]));
  }
  sb_appendz(o, "],\"execution_mode\":");
  sb_append_json_string(o, A.a.mode, strlen(A.a.mode));
  strbuf props = {0};
  for (size_t i = 0; i < A.a.n_options; i++) {
    const char *kv = A.a.options[i];
    const char *eq = strchr(kv, '=');
    size_t klen = (size_t)(eq - kv);
    const char *v = eq + 1;
    if ((klen == 8 && !strncmp(kv, "http_url", 8)) ||
        (klen == 14 && !strncmp(kv, "execution_mode", 14))) {
      sb_free(&props);
      return fail(EXIT_USAGE, "--option %.*s: use --url / --mode instead", (int)klen, kv);
    }
    if (klen > 11 && !strncmp(kv, "properties.", 11)) {
      sb_appendc(&props, props.len ? ',' : '{');
      sb_append_json_string(&props, kv + 11, klen - 11);
      sb_appendc(&props, ':');
      sb_append_json_string(&props, v, strlen(v));
      continue;
    }
    sb_appendc(o, ',');
    sb_append_json_string(o, kv, klen);
    sb_appendc(o, ':');
    /* A value that is JSON (number, true, an object...) goes in as is, anything else as a string. */
    if (*v && json_is_value(v, strlen(v)) == 0) sb_appendz(o, v);
    else sb_append_json_string(o, v, strlen(v));
  }
  if (props.len) {
    sb_appendz(o, ",\"properties\":");
    sb_append(o, props.p, props.len);
    sb_appendc(o, '}');
  }
  sb_free(&props);
  sb_appendc(o, '}');
  return 0;
}

static char **split_columns(const char *list) {
  char **v = NULL;
  size_t n = 0;
  const char *p = list;
  for (;;) {
    const char *comma = strchr(p, ',');
    size_t len = comma ? (size_t)(comma - p) : strlen(p);
    while (len && (*p == ' ')) p++, len--;
    while (len && p[len - 1] == ' ') len--;
    if (len) {
      v = xrealloc(v, (n + 2) * sizeof(char *));
      v[n] = xmalloc(len + 1);
      memcpy(v[n], p, len);
      v[n][len] = '\0';
      v[++n] = NULL;
    }
    if (!comma) break;
    p = comma + 1;
  }
  return v;
}

static size_t strv_len(char *const *v) {
  size_t n = 0;
  while (v && v[n]) n++;
  return n;
}

static void random_hex(char *dst, size_t n_bytes) {
  unsigned char r[16] = {0};
  int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    ssize_t got = read(fd, r, n_bytes);
    (void)got;
    close(fd);
  }
  for (size_t i = 0; i < n_bytes; i++) sprintf(dst + 2 * i, "%02x", r[i]);
}

/* ---- input --------------------------------------------------------------------------------- */

static int on_input_idle(void *unused);

static int next_record(const char **p, size_t *n, uint64_t *line, char *err, size_t err_len) {
  if (A.conv.format == FORMAT_CSV) return reader_next_csv_record(&A.rd, p, n, line, err, err_len);
  return reader_next_line(&A.rd, p, n, line, err, err_len);
}

/* Opens input `i` and moves to `offset` (a CSV header is read first, from the top). Returns 0,
 * 1 for an empty CSV input (no header), or an exit code. */
static int open_input(size_t i, uint64_t offset, uint64_t line) {
  char err[1024];
  if (reader_open(&A.rd, A.a.inputs[i], err, sizeof err) != 0) return fail(EXIT_LOAD, "%s", err);
  A.rd_open = 1;
  A.fi = i;
  A.rd.before_block = on_input_idle;
  A.rd.wake_fd = A.wake_pipe[0];
  if (A.conv.format == FORMAT_CSV) {
    const char *p;
    size_t n;
    uint64_t hl;
    int r = reader_next_csv_record(&A.rd, &p, &n, &hl, err, sizeof err);
    if (r < 0) return fail(EXIT_LOAD, "%s", err);
    if (r == 0) return 1;
    char why[512];
    if (row_conv_set_header(&A.conv, p, n, why, sizeof why) != 0)
      return fail(EXIT_LOAD, "%s:%llu: bad CSV header: %s", input_name(i), (unsigned long long)hl,
                  why);
    if (A.columns && row_conv_set_columns(&A.conv, A.columns, A.n_columns, why, sizeof why) != 0)
      return fail(EXIT_LOAD, "%s:%llu: %s", input_name(i), (unsigned long long)hl, why);
  }
  if (reader_skip_to(&A.rd, offset, line, err, sizeof err) != 0) return fail(EXIT_LOAD, "%s", err);
  A.rd_start_offset = reader_offset(&A.rd);
  A.last_line = A.rd.line > 1 ? A.rd.line - 1 : 0;
  return 0;
}

static void close_input(void) {
  if (!A.rd_open) return;
  A.bytes_prev_files += reader_offset(&A.rd) - A.rd_start_offset;
  reader_close(&A.rd);
  A.rd_open = 0;
}

/* ---- writing ------------------------------------------------------------------------------- */

static void batch_add(size_t off, uint8_t op) {
  batch *b = &A.b;
  if (b->n == b->cap) {
    b->cap = b->cap ? b->cap * 2 : BATCH_ROWS;
    b->off = xrealloc(b->off, b->cap * sizeof *b->off);
    b->len = xrealloc(b->len, b->cap * sizeof *b->len);
    b->ops = xrealloc(b->ops, b->cap);
    b->slices = xrealloc(b->slices, b->cap * sizeof *b->slices);
  }
  b->off[b->n] = off;
  b->len[b->n] = b->data.len - off;
  b->ops[b->n] = op;
  b->n++;
}

static int flush_batch(void) {
  batch *b = &A.b;
  if (b->n == 0) return 0;
  if (A.a.dry_run) {
    for (size_t i = 0; i < b->n; i++) {
      const char *row = b->data.p + b->off[i];
      size_t len = b->len[i];
      fwrite(row, 1, len - 1, stdout); /* without the closing brace */
      printf("%s\"__op\":%d}\n", len > 2 ? "," : "", b->ops[i]);
    }
  } else {
    for (size_t i = 0; i < b->n; i++) b->slices[i] = (sr_sink_slice){b->data.p + b->off[i], b->len[i]};
    sr_sink_batch bt = {sizeof bt, 0, b->n, b->slices, b->ops};
    sr_sink_error err;
    init_err(&err);
    int32_t rc = A.vt.write(A.sink, &bt, &err);
    if (rc != SR_SINK_OK) {
      char epoch[1024];
      describe_epoch(epoch, sizeof epoch);
      return lib_fail(rc, &err, "writing the rows of %s", epoch);
    }
  }
  b->n = 0;
  b->data.len = 0;
  return 0;
}

static int checkpoint(int done);

/* Input from a pipe is idle: hand what we have to the library now, and take a checkpoint when
 * --checkpoint-seconds has passed (the position is exact: every row read was handed over). */
static int on_input_idle(void *unused) {
  (void)unused;
  if (A.a.dry_run || !A.sink || A.pending_rc) return A.pending_rc;
  if (A.b.n > 0) A.pending_rc = flush_batch();
  if (!A.pending_rc && A.epoch_rows > 0 && A.a.checkpoint_seconds > 0 &&
      now_seconds() - A.epoch_start >= A.a.checkpoint_seconds)
    A.pending_rc = checkpoint(0);
  return A.pending_rc || atomic_load(&A.stop);
}

/* The position right after the last row read. */
static void current_position(uint64_t *fi, uint64_t *off, uint64_t *line) {
  *fi = A.fi;
  *off = reader_offset(&A.rd);
  *line = A.rd.line;
}

static int save_state(int64_t id, const uint8_t *token, size_t token_len, int done) {
  load_state next = A.st;
  next.checkpoint = id;
  if (A.rd_open) {
    current_position(&next.file_index, &next.offset, &next.line);
  } else {
    next.file_index = A.fi;
    next.offset = 0;
    next.line = 1;
  }
  next.rows = A.st.rows + A.epoch_rows;
  next.done = done;
  next.token = (uint8_t *)token;
  next.token_len = token_len;
  char err[1024];
  if (A.a.state_file && state_write(A.a.state_file, &next, err, sizeof err) != 0)
    return fail(EXIT_LOAD, "%s", err);
  /* Keep our copy in step with the file. */
  if (token != A.st.token) {
    free(A.st.token);
    A.st.token = token_len ? memcpy(xmalloc(token_len), token, token_len) : NULL;
    A.st.token_len = token_len;
  }
  A.st.checkpoint = next.checkpoint;
  A.st.file_index = next.file_index;
  A.st.offset = next.offset;
  A.st.line = next.line;
  A.st.rows = next.rows;
  A.st.done = done;
  return 0;
}

/* Ends the epoch: checkpoint, state file, commit (see the top of this file). */
static int checkpoint(int done) {
  int rc = flush_batch();
  if (rc) return rc;
  if (A.a.dry_run) {
    A.epoch_rows = 0;
    return 0;
  }
  int64_t id = A.ckpt + 1;
  atomic_store(&A.prog.phase, PHASE_FINISHING);
  sr_sink_error err;
  init_err(&err);
  char epoch[1024];
  describe_epoch(epoch, sizeof epoch);
  if (strcmp(A.a.mode, "on_checkpoint") == 0) {
    sr_sink_token tok;
    memset(&tok, 0, sizeof tok);
    tok.struct_size = sizeof tok;
    int32_t r = A.vt.on_checkpoint(A.sink, id, &tok, &err);
    if (r != SR_SINK_OK) return lib_fail(r, &err, "finishing %s", epoch);
    rc = save_state(id, tok.data, tok.len, done);
    if (tok.release) tok.release(&tok);
    if (rc) {
      sr_sink_error e2;
      init_err(&e2);
      A.vt.abort(A.sink, id, &e2);
      return rc;
    }
    atomic_store(&A.prog.phase, PHASE_COMMITTING);
    r = A.vt.commit(A.sink, id, &err);
    if (r != SR_SINK_OK) {
      int code = lib_fail(r, &err, "commit of checkpoint %lld", (long long)id);
      if (A.a.state_file && code != EXIT_INTERRUPTED)
        progress_message(&A.prog,
                         "sr-load: the state file %s holds checkpoint %lld; rerun the same "
                         "command to finish its commit",
                         A.a.state_file, (long long)id);
      return code;
    }
  } else {
    int32_t r = A.vt.on_watermark(A.sink, id, &err);
    if (r != SR_SINK_OK) return lib_fail(r, &err, "loading the rows of %s", epoch);
    rc = save_state(id, NULL, 0, done);
    if (rc) return rc;
  }
  A.ckpt = id;
  A.checkpoints_run++;
  atomic_store(&A.prog.checkpoint, id + 1);
  atomic_store(&A.prog.phase, PHASE_READING);
  A.epoch_rows = 0;
  A.epoch_start = now_seconds();
  A.epoch_from_file = A.fi;
  A.epoch_from_line = A.rd_open ? A.rd.line : 1;
  return 0;
}

static int process_record(const char *p, size_t n, uint64_t line) {
  size_t before = A.b.data.len;
  uint8_t op;
  char why[1024];
  int r = row_convert(&A.conv, p, n, &A.b.data, &op, why, sizeof why);
  if (r == 1) return 0; /* blank line */
  if (r < 0) {
    A.b.data.len = before;
    return fail(EXIT_LOAD, "%s:%llu: %s", input_name(A.fi), (unsigned long long)line, why);
  }
  batch_add(before, op);
  if (A.epoch_rows == 0) {
    A.epoch_from_file = A.fi;
    A.epoch_from_line = line;
  }
  A.last_line = line;
  A.epoch_rows++;
  A.rows_run++;
  if (op == SR_SINK_OP_DELETE) A.deletes++;
  else A.upserts++;
  atomic_store(&A.prog.rows, A.rows_run);
  atomic_store(&A.prog.bytes, A.bytes_prev_files + reader_offset(&A.rd) - A.rd_start_offset);
  if (A.b.n >= BATCH_ROWS || A.b.data.len >= BATCH_BYTES) {
    int rc = flush_batch();
    if (rc) return rc;
  }
  int due = A.a.checkpoint_rows && A.epoch_rows >= A.a.checkpoint_rows;
  if (!due && A.a.checkpoint_seconds > 0 && (A.epoch_rows & 1023) == 0)
    due = now_seconds() - A.epoch_start >= A.a.checkpoint_seconds;
  return due ? checkpoint(0) : 0;
}

/* ---- setup --------------------------------------------------------------------------------- */

static int same_strv(char *const *a, const char *const *b, size_t nb) {
  size_t na = strv_len(a);
  if (na != nb) return 0;
  for (size_t i = 0; i < na; i++)
    if (strcmp(a[i], b[i]) != 0) return 0;
  return 1;
}

/* A state file belongs to one load: same table, mode, format and inputs. */
static int check_resume(void) {
  const char *fmt = A.conv.format == FORMAT_CSV ? "csv" : "ndjson";
  const char *sf = A.a.state_file;
  if (strcmp(A.st.table, A.a.table) != 0)
    return fail(EXIT_USAGE, "state file %s belongs to a load into %s, not %s", sf, A.st.table,
                A.a.table);
  if (strcmp(A.st.mode, A.a.mode) != 0)
    return fail(EXIT_USAGE, "state file %s was written in --mode %s; resume with the same mode", sf,
                A.st.mode);
  if (A.st.format && strcmp(A.st.format, fmt) != 0)
    return fail(EXIT_USAGE, "state file %s was written for --format %s", sf, A.st.format);
  if (!same_strv(A.st.inputs, A.a.inputs, A.a.n_inputs))
    return fail(EXIT_USAGE,
                "state file %s was written for other inputs (%zu: %s%s); give the same inputs in "
                "the same order, or use a new state file",
                sf, A.st.n_inputs, A.st.n_inputs ? A.st.inputs[0] : "", A.st.n_inputs > 1 ? ", ..." : "");
  if (A.a.columns) {
    char **cols = split_columns(A.a.columns);
    int same = same_strv(cols, (const char *const *)A.st.columns, A.st.n_columns);
    free_strv(cols);
    if (!same) return fail(EXIT_USAGE, "state file %s was written with other --columns", sf);
  }
  if (A.st.file_index > A.a.n_inputs)
    return fail(EXIT_USAGE, "state file %s names input %llu of %zu", sf,
                (unsigned long long)A.st.file_index + 1, A.a.n_inputs);
  return 0;
}

static uint64_t remaining_bytes(void) {
  uint64_t total = 0;
  for (size_t i = A.st.file_index; i < A.a.n_inputs; i++) {
    struct stat st;
    if (!strcmp(A.a.inputs[i], "-") || stat(A.a.inputs[i], &st) != 0 || !S_ISREG(st.st_mode)) return 0;
    uint64_t size = (uint64_t)st.st_size;
    uint64_t skip = i == A.st.file_index ? A.st.offset : 0;
    total += size > skip ? size - skip : 0;
  }
  return total;
}

static int connect_sink(void) {
  sr_sink_error err;
  init_err(&err);
  sr_sink_host host = {sizeof host, A.a.verbose ? SR_SINK_LOG_INFO : SR_SINK_LOG_WARN,
                       on_library_log, NULL};
  int32_t r = A.vt.connector_new(&host, &A.conn, &err);
  if (r) return lib_fail(r, &err, "creating the connector");
  strbuf opts = {0};
  int rc = build_options(&opts);
  if (rc) return rc;
  sr_sink_credentials cr = {sizeof cr, 0, credentials_get, &A.creds, NULL};
  r = A.vt.connector_add_sink(A.conn, "*", sb_cstr(&opts), &cr, &err);
  sb_free(&opts);
  if (r) return lib_fail(r, &err, "configuring the sink");

  sr_sink_open_params op;
  memset(&op, 0, sizeof op);
  op.struct_size = sizeof op;
  op.table = A.a.table;
  op.columns = A.columns;
  op.n_columns = (uint32_t)A.n_columns;
  op.instance_id = A.st.instance_id;
  if (strcmp(A.a.mode, "on_checkpoint") == 0 && A.st.token_len) {
    op.restore_token = A.st.token;
    op.restore_token_len = A.st.token_len;
  }
  sr_sink *s = NULL;
  r = A.vt.open(A.conn, &op, &s, &err);
  if (r) {
    if (A.st.token_len)
      return lib_fail(r, &err, "opening %s and recovering checkpoint %lld of state file %s",
                      A.a.table, (long long)A.st.checkpoint, A.a.state_file);
    return lib_fail(r, &err, "opening %s", A.a.table);
  }
  pthread_mutex_lock(&A.sink_mu);
  A.sink = s;
  pthread_mutex_unlock(&A.sink_mu);
  return 0;
}

static int close_sink(void) {
  int rc = 0;
  if (A.sink) {
    pthread_mutex_lock(&A.sink_mu);
    sr_sink *s = A.sink;
    A.sink = NULL;
    pthread_mutex_unlock(&A.sink_mu);
    sr_sink_error err;
    init_err(&err);
    int32_t r = A.vt.close(s, &err);
    if (r) rc = lib_fail(r, &err, "closing the sink");
  }
  if (A.conn) A.vt.connector_free(A.conn);
  A.conn = NULL;
  return rc;
}

/* ---- summary ------------------------------------------------------------------------------- */

static void summary(const sr_sink_stats *s, double elapsed) {
  if (elapsed < 1e-3) elapsed = 1e-3;
  uint64_t in_bytes = A.bytes_prev_files + (A.rd_open ? reader_offset(&A.rd) - A.rd_start_offset : 0);
  char in_b[32], sent_b[32], rate_b[32];
  format_bytes(in_b, sizeof in_b, (double)in_bytes);
  format_bytes(sent_b, sizeof sent_b, (double)s->bytes_sent);
  format_bytes(rate_b, sizeof rate_b, (double)in_bytes / elapsed);
  char ckpts[64] = "no new checkpoint";
  if (A.checkpoints_run)
    snprintf(ckpts, sizeof ckpts, "checkpoints %lld..%lld",
             (long long)(A.ckpt - (int64_t)A.checkpoints_run + 1), (long long)A.ckpt);
  progress_message(&A.prog,
                   "sr-load: done: %s (%s), %s\n"
                   "  rows sent      %llu (%llu upserts, %llu deletes)\n"
                   "  rows loaded    %llu\n"
                   "  rows filtered  %llu\n"
                   "  bytes          %s read, %s sent\n"
                   "  elapsed        %.2f s\n"
                   "  throughput     %.0f rows/s, %s/s",
                   A.a.table, A.a.mode, ckpts, (unsigned long long)A.rows_run,
                   (unsigned long long)A.upserts, (unsigned long long)A.deletes,
                   (unsigned long long)s->rows_loaded, (unsigned long long)s->rows_filtered, in_b,
                   sent_b, elapsed, (double)A.rows_run / elapsed, rate_b);
  if (!A.a.summary_json) return;
  FILE *f = fopen(A.a.summary_json, "we");
  if (!f) {
    fail(0, "--summary-json %s: %s", A.a.summary_json, strerror(errno));
    return;
  }
  fprintf(f,
          "{\"table\":\"%s\",\"mode\":\"%s\",\"resumed\":%s,\"rows_skipped\":%llu,"
          "\"rows_sent\":%llu,\"upserts\":%llu,\"deletes\":%llu,\"rows_loaded\":%llu,"
          "\"rows_filtered\":%llu,\"input_bytes\":%llu,\"bytes_sent\":%llu,\"loads\":%llu,"
          "\"checkpoints\":%llu,\"last_checkpoint\":%lld,\"elapsed_s\":%.3f,"
          "\"rows_per_s\":%.1f,\"mb_per_s\":%.2f}\n",
          A.a.table, A.a.mode, A.resumed ? "true" : "false",
          (unsigned long long)A.rows_at_start,
          (unsigned long long)A.rows_run, (unsigned long long)A.upserts,
          (unsigned long long)A.deletes, (unsigned long long)s->rows_loaded,
          (unsigned long long)s->rows_filtered, (unsigned long long)in_bytes,
          (unsigned long long)s->bytes_sent, (unsigned long long)s->loads,
          (unsigned long long)A.checkpoints_run, (long long)A.ckpt, elapsed,
          (double)A.rows_run / elapsed, (double)in_bytes / 1e6 / elapsed);
  fclose(f);
}

/* ---- main ---------------------------------------------------------------------------------- */

static int run(void) {
  char err[2048];
  int rc;
  if (!A.a.dry_run) {
    if (library_load(A.a.library, &A.vt, A.library_path, sizeof A.library_path, err, sizeof err))
      return fail(EXIT_USAGE, "%s", err);
    A.creds = (credentials){A.a.user, A.a.password_env, A.a.password_file};
    if (credentials_check(&A.creds, err, sizeof err)) return fail(EXIT_USAGE, "%s", err);
  }

  /* The durable state: resume from the state file, or start one. */
  if (A.a.state_file) {
    int r = state_read(A.a.state_file, &A.st, err, sizeof err);
    if (r < 0) return fail(EXIT_USAGE, "%s", err);
    A.resumed = r == 1;
  }
  if (A.resumed) {
    if ((rc = check_resume())) return rc;
    A.columns = (const char *const *)A.st.columns;
    A.n_columns = A.st.n_columns;
  } else {
    A.st.table = xstrdup(A.a.table);
    A.st.mode = xstrdup(A.a.mode);
    A.st.format = xstrdup(A.conv.format == FORMAT_CSV ? "csv" : "ndjson");
    /* A fresh load gets fresh transaction labels (a finished earlier load with the same
     * --instance-id must not collide); the state file keeps them stable across resumes. */
    char suffix[17];
    random_hex(suffix, 4);
    strbuf id = {0};
    sb_printf(&id, "%s-%s", A.a.instance_id, suffix);
    A.st.instance_id = xstrdup(sb_cstr(&id));
    sb_free(&id);
    for (size_t i = 0; i < A.a.n_inputs; i++) {
      A.st.inputs = xrealloc(A.st.inputs, (i + 2) * sizeof(char *));
      A.st.inputs[i] = xstrdup(A.a.inputs[i]);
      A.st.inputs[i + 1] = NULL;
    }
    A.st.n_inputs = A.a.n_inputs;
    A.st.line = 1;
    if (A.a.columns) {
      A.st.columns = split_columns(A.a.columns);
      A.st.n_columns = strv_len(A.st.columns);
      if (!A.st.n_columns) return fail(EXIT_USAGE, "--columns is empty");
      A.columns = (const char *const *)A.st.columns;
      A.n_columns = A.st.n_columns;
    }
  }
  A.ckpt = A.st.checkpoint;
  A.rows_at_start = A.st.rows;

  /* Open the first input now: without --columns, its CSV header or first NDJSON row names the
   * columns sr_sink_open needs. */
  const char *pending = NULL;
  size_t pending_len = 0;
  uint64_t pending_line = 0;
  size_t first = (size_t)A.st.file_index;
  if (!A.st.done && first < A.a.n_inputs) {
    rc = open_input(first, A.st.offset, A.st.line);
    if (rc > 1) return rc;
    if (rc == 1) close_input();
    if (!A.columns && rc == 0 && A.conv.format == FORMAT_NDJSON) {
      int r;
      while ((r = next_record(&pending, &pending_len, &pending_line, err, sizeof err)) == 1 &&
             pending_len == 0) {
      }
      if (r < 0) return fail(EXIT_LOAD, "%s", err);
      if (r == 0) pending = NULL;
    }
    if (!A.columns && (pending || A.conv.format == FORMAT_CSV) && A.rd_open) {
      char why[512];
      char **cols = row_conv_infer_columns(&A.conv, pending, pending_len, why, sizeof why);
      if (!cols)
        return fail(EXIT_LOAD, "%s:%llu: %s", input_name(first), (unsigned long long)pending_line,
                    why);
      A.st.columns = cols;
      A.st.n_columns = strv_len(cols);
      A.columns = (const char *const *)cols;
      A.n_columns = A.st.n_columns;
    }
  }
  if (!A.columns) {
    if (A.st.done || A.a.dry_run) {
      static const char *const none[] = {NULL};
      A.columns = none;
    } else {
      return fail(EXIT_LOAD, "the input is empty: nothing names the columns (give --columns)");
    }
  }
  char why[512];
  if (row_conv_set_columns(&A.conv, A.columns, A.n_columns, why, sizeof why) != 0)
    return fail(EXIT_LOAD, "%s: %s", input_name(first), why);

  if (A.a.state_file && !A.resumed) {
    /* Written before the first write, so even a crash before checkpoint 1 resumes with the
     * same labels and the library can roll back what that attempt left prepared. */
    if ((rc = save_state(0, NULL, 0, 0))) return rc;
  }
  if (A.resumed) {
    if (A.st.done)
      progress_message(&A.prog,
                       "sr-load: state file %s: every input was loaded (checkpoint %lld, %llu rows); "
                       "finishing its commit if needed",
                       A.a.state_file, (long long)A.st.checkpoint, (unsigned long long)A.st.rows);
    else
      progress_message(&A.prog,
                       "sr-load: resuming from checkpoint %lld of state file %s: %llu rows already "
                       "loaded, continuing at %s:%llu",
                       (long long)A.st.checkpoint, A.a.state_file, (unsigned long long)A.st.rows,
                       input_name(first), (unsigned long long)A.st.line);
  }

  if (!A.a.dry_run && (rc = connect_sink())) return rc;
  atomic_store(&A.prog.checkpoint, A.ckpt + 1);
  progress_begin(&A.prog, A.st.done ? 0 : remaining_bytes());
  double t0 = now_seconds();
  A.epoch_start = t0;
  A.epoch_from_file = first;
  A.epoch_from_line = A.st.line;

  if (!A.st.done) {
    if (pending && (rc = process_record(pending, pending_len, pending_line))) return rc;
    for (size_t i = first; i < A.a.n_inputs; i++) {
      if (!A.rd_open && i != first) {
        rc = open_input(i, 0, 1);
        if (rc > 1) return rc;
        if (rc == 1) {
          close_input();
          continue;
        }
      }
      if (!A.rd_open) continue;
      const char *p;
      size_t n;
      uint64_t line;
      int r;
      while ((r = next_record(&p, &n, &line, err, sizeof err)) == 1) {
        if (A.pending_rc) return A.pending_rc;
        if (atomic_load(&A.stop)) break;
        if ((rc = process_record(p, n, line))) return rc;
      }
      if (A.pending_rc) return A.pending_rc;
      if (atomic_load(&A.stop)) break;
      if (r < 0) return fail(EXIT_LOAD, "%s", err);
      if (i + 1 < A.a.n_inputs) {
        close_input();
        A.fi = i + 1;
      }
    }
    if (atomic_load(&A.stop)) return EXIT_INTERRUPTED;
    /* The last checkpoint marks the load done, even when it carries no rows. */
    if (A.epoch_rows > 0 || A.a.dry_run) {
      if ((rc = checkpoint(1))) return rc;
    } else if ((rc = save_state(A.ckpt, A.st.token, A.st.token_len, 1))) {
      return rc;
    }
  }
  double elapsed = now_seconds() - t0;
  if (A.a.dry_run) return 0;
  sr_sink_stats stats;
  memset(&stats, 0, sizeof stats);
  stats.struct_size = sizeof stats;
  sr_sink_error e;
  init_err(&e);
  A.vt.get_stats(A.sink, &stats, &e);
  rc = close_sink();
  progress_stop(&A.prog);
  summary(&stats, elapsed);
  return rc;
}

int main(int argc, char **argv) {
  int rc = args_parse(argc, argv, &A.a);
  if (rc == 1) return 0;
  if (rc) return EXIT_USAGE;
  pthread_mutex_init(&A.sink_mu, NULL);
  progress_init(&A.prog, A.a.dry_run ? PROGRESS_NONE : A.a.progress, A.a.progress_interval);
  row_conv_init(&A.conv, A.a.format, A.a.op_field, A.a.csv_delimiter);
  A.wake_pipe[0] = A.wake_pipe[1] = -1;
  if (!A.a.dry_run) {
    if (pipe2(A.wake_pipe, O_CLOEXEC) != 0) A.wake_pipe[0] = A.wake_pipe[1] = -1;
    start_signal_thread();
  }

  rc = run();

  progress_stop(&A.prog);
  if (rc == EXIT_INTERRUPTED || (rc && atomic_load(&A.stop))) {
    rc = EXIT_INTERRUPTED;
    if (A.a.state_file)
      progress_message(&A.prog,
                       "sr-load: interrupted; rerun the same command to resume after checkpoint "
                       "%lld (state file %s)",
                       (long long)A.st.checkpoint, A.a.state_file);
    else
      progress_message(&A.prog,
                       "sr-load: interrupted; rows after checkpoint %lld were not loaded (without "
                       "--state-file a rerun starts from the beginning)",
                       (long long)A.ckpt);
  }
  close_sink();
  if (A.rd_open) reader_close(&A.rd);
  row_conv_free(&A.conv);
  sb_free(&A.b.data);
  free(A.b.off);
  free(A.b.len);
  free(A.b.ops);
  free(A.b.slices);
  state_free(&A.st);
  args_free(&A.a);
  fflush(stdout);
  return rc;
}
