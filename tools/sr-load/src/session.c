/* Opening the load: does the state file fit these arguments, connect, open the sink (with
 * the stored token), close. */
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

static int same_strv(char *const *a, const char *const *b, size_t nb) {
  size_t na = strv_len(a);
  if (na != nb) return 0;
  for (size_t i = 0; i < na; i++)
    if (strcmp(a[i], b[i]) != 0) return 0;
  return 1;
}

/* A state file belongs to one load: same table, mode, format and inputs. */
int check_resume(void) {
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

uint64_t remaining_bytes(void) {
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

int connect_sink(void) {
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
  /* sr_sink_open has no cancel (the ABI cancels sinks, and there is none yet), and it may wait
   * for an unreachable FE for a long time: Ctrl-C meanwhile exits at once (signals.c). That is
   * as safe as kill -9, which every point must survive; the rerun redoes the open's recovery. */
  pthread_mutex_lock(&A.sink_mu);
  int stopped = atomic_load(&A.stop);
  A.opening = !stopped;
  pthread_mutex_unlock(&A.sink_mu);
  if (stopped) return EXIT_INTERRUPTED;
  r = A.vt.open(A.conn, &op, &s, &err);
  pthread_mutex_lock(&A.sink_mu);
  A.opening = 0;
  A.sink = s;
  pthread_mutex_unlock(&A.sink_mu);
  if (r) {
    if (A.st.token_len)
      return lib_fail(r, &err, "opening %s and recovering checkpoint %lld of state file %s",
                      A.a.table, (long long)A.st.checkpoint, A.a.state_file);
    return lib_fail(r, &err, "opening %s", A.a.table);
  }
  return 0;
}

int32_t close_sink_status(sr_sink_error *err) {
  int32_t r = SR_SINK_OK;
  init_err(err);
  if (A.sink) {
    pthread_mutex_lock(&A.sink_mu);
    sr_sink *s = A.sink;
    A.sink = NULL;
    pthread_mutex_unlock(&A.sink_mu);
    r = A.vt.close(s, err);
  }
  if (A.conn) A.vt.connector_free(A.conn);
  A.conn = NULL;
  return r;
}

int close_sink(void) {
  sr_sink_error err;
  int32_t r = close_sink_status(&err);
  return r ? lib_fail(r, &err, "closing the sink") : 0;
}
