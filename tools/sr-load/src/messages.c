/* sr-load's messages: errors as one line each, the library's log. */
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

int fail(int code, const char *fmt, ...) {
  char msg[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  progress_message(&A.prog, "sr-load: %s", msg);
  return code;
}

const char *input_name(size_t i) {
  return strcmp(A.a.inputs[i], "-") == 0 ? "<stdin>" : A.a.inputs[i];
}

/* "checkpoint 3 (a.ndjson:1001 to b.ndjson:17)" */
void describe_epoch(char *dst, size_t cap) {
  snprintf(dst, cap, "checkpoint %lld (%s:%llu to %s:%llu)", (long long)(A.ckpt + 1),
           input_name(A.epoch_from_file), (unsigned long long)A.epoch_from_line,
           input_name(A.fi < A.a.n_inputs ? A.fi : A.a.n_inputs - 1),
           (unsigned long long)A.last_line);
}

int lib_fail(int32_t rc, const sr_sink_error *err, const char *fmt, ...) {
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

void init_err(sr_sink_error *e) {
  memset(e, 0, sizeof *e);
  e->struct_size = sizeof *e;
}

/* The library's errors come back as return values too (and are printed then, as one line), so
 * its error-level log lines are shown only with --verbose. */
void on_library_log(void *user_data, int32_t level, const char *message) {
  (void)user_data;
  if (level <= SR_SINK_LOG_ERROR && !A.a.verbose) return;
  static const char *names[] = {"", "error", "warning", "info", "debug"};
  progress_message(&A.prog, "sr-load: libsr_sink %s: %s", names[level >= 1 && level <= 4 ? level : 0],
                   message);
}
