/* The state sr-load's parts share: one process, one load, one sink. Kept in a single global
 * (A) because the signal thread and the library's callbacks need to reach it. */
#ifndef SR_LOAD_APP_H
#define SR_LOAD_APP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "args.h"
#include "credentials.h"
#include "progress.h"
#include "reader.h"
#include "rows.h"
#include "sr_sink.h"
#include "state.h"
#include "strbuf.h"

enum { EXIT_LOAD = 1, EXIT_USAGE = 2, EXIT_INTERRUPTED = 130 };
enum { INPUT_EMPTY = -1 }; /* open_input: a CSV input without even a header */
enum { BATCH_ROWS = 4096, BATCH_BYTES = 4 << 20 };

/* A place in the input: the resume position a state file holds. */
typedef struct input_pos {
  uint64_t file_index, offset, line;
} input_pos;

/* Rows collected for one sr_sink_write call. */
typedef struct batch {
  strbuf data;
  size_t *off, *len;
  size_t *file;    /* input index and line of each row: the library names a row it refuses */
  uint64_t *line;  /* by its index in the batch, the operator needs file:line */
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
  int opening;             /* in sr_sink_open, which cannot be cancelled (guarded by sink_mu) */
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

extern app A;

/* messages.c: one "sr-load: ..." line on stderr (above the progress bar); return `code`. */
int fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The library's error as one line: "<what>: SR_SINK_E_x (label L): message". Returns the exit
 * code (EXIT_INTERRUPTED for a call cancelled by Ctrl-C). */
int lib_fail(int32_t rc, const sr_sink_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
const char *input_name(size_t i);
void describe_epoch(char *dst, size_t cap);
void init_err(sr_sink_error *e);
void on_library_log(void *user_data, int32_t level, const char *message);
/* After Ctrl-C/SIGTERM: what is committed, what happened to the open transaction (`close_rc`,
 * `close_err`: how closing the sink went) and where the rerun continues. */
void say_interrupted(int32_t close_rc, const sr_sink_error *close_err);
/* The same when Ctrl-C comes during sr_sink_open, after which sr-load exits at once. */
void say_interrupted_opening(void);

/* signals.c */
void start_signal_thread(void);

/* config.c */
int build_options(strbuf *o);
char **split_columns(const char *list);
size_t strv_len(char *const *v);
void random_hex(char *dst, size_t n_bytes);

/* epoch.c: reading, batching, checkpoints. */
int open_input(size_t i, uint64_t offset, uint64_t line);
void close_input(void);
int next_record(const char **p, size_t *n, uint64_t *line, char *err, size_t err_len);
int process_record(const char *p, size_t n, uint64_t line);
int flush_batch(void);
int checkpoint(int done);
/* The state file with the current reading position; save_state_at with another one. */
int save_state(int64_t id, const uint8_t *token, size_t token_len, int done);
int save_state_at(const input_pos *pos, int64_t id, const uint8_t *token, size_t token_len,
                  int done);
input_pos reading_position(void);

/* session.c: the state file's fit, the connector and the sink. */
int check_resume(void);
uint64_t remaining_bytes(void);
int connect_sink(void);
int close_sink(void);
/* Closes without printing: the library's status (the rollback of the open transaction). */
int32_t close_sink_status(sr_sink_error *err);

/* summary.c */
void summary(const sr_sink_stats *s, double elapsed);

#endif
