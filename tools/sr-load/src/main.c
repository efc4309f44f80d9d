/* sr-load: files or stdin → StarRocks through libsr_sink (see README.md and epoch.c). */
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
#include "library.h"

app A;


static int run(void) {
  char err[2048];
  int rc;
  if (!A.a.dry_run) {
    if (library_load(A.a.library, &A.vt, A.library_path, sizeof A.library_path, err, sizeof err))
      return fail(EXIT_USAGE, "%s", err);
    if (A.a.verbose)
      progress_message(&A.prog, "sr-load: using libsr_sink %s (ABI %u.%u) from %s",
                       A.vt.version_string(), A.vt.abi_version >> 16, A.vt.abi_version & 0xffff,
                       A.library_path);
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
  /* Where this run's first row starts. Column inference below reads the first NDJSON row before
   * anything is sent; the initial state file must point before it (and before any blank lines
   * inference skipped), or a run that stops before checkpoint 1 makes the rerun skip that row. */
  input_pos start = {first, A.st.offset, A.st.line};
  if (!A.st.done && first < A.a.n_inputs) {
    rc = open_input(first, A.st.offset, A.st.line);
    if (rc > 0) return rc;
    if (rc == INPUT_EMPTY) close_input();
    start = reading_position();
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
    if ((rc = save_state_at(&start, 0, NULL, 0, 0))) return rc;
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
        if (rc > 0) return rc;
        if (rc == INPUT_EMPTY) {
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
    /* Close first: closing rolls back the open transaction, and the message says how that went. */
    sr_sink_error err;
    int32_t closed = close_sink_status(&err);
    say_interrupted(closed, &err);
  } else if (rc && A.sink) {
    /* The run failed with the sink open: closing rolls back its open transaction. When that
     * fails too (the same refused credentials, the same unreachable FE), say who cleans up. */
    sr_sink_error err;
    int32_t closed = close_sink_status(&err);
    if (closed != SR_SINK_OK && strcmp(A.a.mode, "on_checkpoint") == 0)
      progress_message(&A.prog,
                       "sr-load: the open transaction could not be rolled back either (%s); %s",
                       A.vt.status_name(closed),
                       A.a.state_file ? "rerunning the same command rolls it back (StarRocks "
                                        "also aborts it after load_timeout_s)"
                                      : "StarRocks aborts it after load_timeout_s");
    else if (closed != SR_SINK_OK)
      lib_fail(closed, &err, "closing the sink");
  }
  close_sink();
  if (A.rd_open) reader_close(&A.rd);
  row_conv_free(&A.conv);
  sb_free(&A.b.data);
  free(A.b.off);
  free(A.b.len);
  free(A.b.ops);
  free(A.b.file);
  free(A.b.line);
  free(A.b.slices);
  state_free(&A.st);
  args_free(&A.a);
  fflush(stdout);
  return rc;
}
