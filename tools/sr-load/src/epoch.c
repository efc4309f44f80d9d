/* The load loop: input records → batches for sr_sink_write → checkpoints, used exactly the way
 * a stream engine uses the library, with a state file that makes a rerun after a crash resume
 * exactly once.
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

#include "app.h"

static int on_input_idle(void *unused);

int next_record(const char **p, size_t *n, uint64_t *line, char *err, size_t err_len) {
  if (A.conv.format == FORMAT_CSV) return reader_next_csv_record(&A.rd, p, n, line, err, err_len);
  return reader_next_line(&A.rd, p, n, line, err, err_len);
}

/* Opens input `i` and moves to `offset` (a CSV header is read first, from the top). Returns 0,
 * INPUT_EMPTY for an empty CSV input (no header), or an exit code (> 0: a file that cannot be
 * read or a bad header stops the load; it is never skipped). */
int open_input(size_t i, uint64_t offset, uint64_t line) {
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
    if (r == 0) return INPUT_EMPTY;
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

void close_input(void) {
  if (!A.rd_open) return;
  A.bytes_prev_files += reader_offset(&A.rd) - A.rd_start_offset;
  reader_close(&A.rd);
  A.rd_open = 0;
}

/* ---- writing ------------------------------------------------------------------------------- */

static void batch_add(size_t off, uint8_t op, uint64_t line) {
  batch *b = &A.b;
  if (b->n == b->cap) {
    b->cap = b->cap ? b->cap * 2 : BATCH_ROWS;
    b->off = xrealloc(b->off, b->cap * sizeof *b->off);
    b->len = xrealloc(b->len, b->cap * sizeof *b->len);
    b->file = xrealloc(b->file, b->cap * sizeof *b->file);
    b->line = xrealloc(b->line, b->cap * sizeof *b->line);
    b->ops = xrealloc(b->ops, b->cap);
    b->slices = xrealloc(b->slices, b->cap * sizeof *b->slices);
  }
  b->off[b->n] = off;
  b->len[b->n] = b->data.len - off;
  b->ops[b->n] = op;
  b->file[b->n] = A.fi;
  b->line[b->n] = line;
  b->n++;
}

/* The library refuses a row by its index in the batch ("write db.t: row 2 is not a valid JSON
 * object: ..."; the ABI has no field for it). Says it the way sr-load's own row errors do,
 * "file:line: ...". Returns 0 if the message names no row of this batch. */
static int fail_row_refused(int32_t rc, const sr_sink_error *err, int *code) {
  const char *m = err->message;
  const char *at = strstr(m, ": ");
  if (strncmp(m, "write ", 6) != 0 || !at || strncmp(at, ": row ", 6) != 0) return 0;
  const char *p = at + 6;
  char *end;
  unsigned long long i = strtoull(p, &end, 10);
  if (end == p || *end != ' ' || i >= A.b.n) return 0;
  const char *what = end + 1;
  if (strncmp(what, "is ", 3) == 0) what += 3;
  *code = fail(EXIT_LOAD, "%s:%llu: %s (refused by libsr_sink: %s)", input_name(A.b.file[i]),
               (unsigned long long)A.b.line[i], what, A.vt.status_name(rc));
  return 1;
}

int flush_batch(void) {
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
      int code;
      if (rc == SR_SINK_E_DATA && fail_row_refused(rc, &err, &code)) return code;
      char epoch[1024];
      describe_epoch(epoch, sizeof epoch);
      return lib_fail(rc, &err, "writing the rows of %s", epoch);
    }
  }
  b->n = 0;
  b->data.len = 0;
  return 0;
}


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

/* The position right after the last row read (the next file's start once one is closed). */
input_pos reading_position(void) {
  if (!A.rd_open) return (input_pos){A.fi, 0, 1};
  return (input_pos){A.fi, reader_offset(&A.rd), A.rd.line};
}

int save_state(int64_t id, const uint8_t *token, size_t token_len, int done) {
  input_pos pos = reading_position();
  return save_state_at(&pos, id, token, token_len, done);
}

int save_state_at(const input_pos *pos, int64_t id, const uint8_t *token, size_t token_len,
                  int done) {
  load_state next = A.st;
  next.checkpoint = id;
  next.file_index = pos->file_index;
  next.offset = pos->offset;
  next.line = pos->line;
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
int checkpoint(int done) {
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

int process_record(const char *p, size_t n, uint64_t line) {
  size_t before = A.b.data.len;
  uint8_t op;
  char why[1024];
  int r = row_convert(&A.conv, p, n, &A.b.data, &op, why, sizeof why);
  if (r == 1) return 0; /* blank line */
  if (r < 0) {
    A.b.data.len = before;
    return fail(EXIT_LOAD, "%s:%llu: %s", input_name(A.fi), (unsigned long long)line, why);
  }
  batch_add(before, op, line);
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
