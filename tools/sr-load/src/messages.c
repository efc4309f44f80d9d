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
 * its error-level log lines are shown only with --verbose. So are its warnings once we were
 * interrupted: they are the cancellation's own echoes (a request cut short, "rollback of L
 * failed: cancelled by sr_sink_cancel" while closing retries it), and say_interrupted reports
 * the outcome that matters, from sr_sink_close's result. */
void on_library_log(void *user_data, int32_t level, const char *message) {
  (void)user_data;
  if (level <= SR_SINK_LOG_ERROR && !A.a.verbose) return;
  if (level == SR_SINK_LOG_WARN && atomic_load(&A.stop) && !A.a.verbose) return;
  static const char *names[] = {"", "error", "warning", "info", "debug"};
  progress_message(&A.prog, "sr-load: libsr_sink %s: %s", names[level >= 1 && level <= 4 ? level : 0],
                   message);
}

/* Where the rerun continues: "file:line" of the state file's position. */
static void resume_at(char *dst, size_t cap) {
  size_t fi = (size_t)A.st.file_index;
  if (fi < A.a.n_inputs && !A.st.done)
    snprintf(dst, cap, "%s:%llu", input_name(fi), (unsigned long long)A.st.line);
  else
    snprintf(dst, cap, "the end of the input");
}

void say_interrupted(int32_t close_rc, const sr_sink_error *close_err) {
  int on_ckpt = strcmp(A.a.mode, "on_checkpoint") == 0;
  int64_t last = A.a.state_file ? A.st.checkpoint : A.ckpt;
  char at[4200];
  resume_at(at, sizeof at);
  if (on_ckpt && A.a.state_file && A.st.checkpoint > A.ckpt) {
    /* The state file holds the token of a checkpoint whose commit was cut short. */
    progress_message(&A.prog,
                     "sr-load: interrupted while committing checkpoint %lld; its token is in the "
                     "state file %s, so rerunning the same command finishes that commit and "
                     "continues at %s",
                     (long long)A.st.checkpoint, A.a.state_file, at);
    return;
  }
  char done[200], after[1400];
  if (last > 0) {
    snprintf(done, sizeof done, "checkpoint %lld is the last %s", (long long)last,
             on_ckpt ? "committed" : "loaded");
    snprintf(after, sizeof after, "after it");
  } else {
    snprintf(done, sizeof done, "no checkpoint was %s yet", on_ckpt ? "committed" : "loaded");
    snprintf(after, sizeof after, "so far");
  }
  char rest[2800];
  if (!on_ckpt)
    snprintf(rest, sizeof rest,
             "; rows read %s may be loaded in part (loading them again converges on a Primary "
             "Key table)",
             after);
  else if (close_rc == SR_SINK_OK)
    snprintf(rest, sizeof rest, " and rows sent %s were rolled back", after);
  else
    snprintf(rest, sizeof rest,
             " and rows sent %s are not committed; their transaction could not be rolled back "
             "now (%s: %s): the rerun rolls it back, StarRocks also aborts it after "
             "load_timeout_s",
             after, A.vt.status_name(close_rc), close_err->message);
  if (A.a.state_file)
    progress_message(&A.prog,
                     "sr-load: interrupted; %s%s. Rerun the same command to continue at %s "
                     "(state file %s)",
                     done, rest, at, A.a.state_file);
  else
    progress_message(&A.prog,
                     "sr-load: interrupted; %s%s. Without --state-file a rerun starts from the "
                     "beginning",
                     done, rest);
}

void say_interrupted_opening(void) {
  if (!A.a.state_file) {
    progress_message(&A.prog, "sr-load: interrupted while opening %s; nothing was loaded",
                     A.a.table);
    return;
  }
  char at[4200];
  resume_at(at, sizeof at);
  progress_message(&A.prog,
                   "sr-load: interrupted while opening %s; no row of this run was sent. Rerun the "
                   "same command to continue at %s (state file %s)",
                   A.a.table, at, A.a.state_file);
}
