/* Progress reporting on stderr: a live bar on a terminal, periodic log lines otherwise. A
 * thread redraws it so the display keeps moving while a checkpoint or a full memory budget
 * blocks the main loop. The main loop only stores counters. */
#ifndef SR_LOAD_PROGRESS_H
#define SR_LOAD_PROGRESS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

enum { PHASE_READING = 0, PHASE_FINISHING, PHASE_COMMITTING };

typedef struct progress {
  _Atomic uint64_t rows;        /* rows given to the library in this run */
  _Atomic uint64_t bytes;       /* input bytes consumed in this run */
  _Atomic int64_t checkpoint;   /* the checkpoint being built (last durable + 1) */
  _Atomic int phase;            /* PHASE_*: what that checkpoint is doing */
  uint64_t total_bytes;         /* input bytes to read in this run, 0 if unknown (pipes) */
  int mode;                     /* PROGRESS_BAR / PROGRESS_LOG / PROGRESS_NONE */
  double interval_s;
  double start;                 /* monotonic seconds */
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int running, stop, drawn;
} progress;

double now_seconds(void);

/* mode PROGRESS_AUTO picks a bar when stderr is a terminal, log lines otherwise. After init,
 * progress_message works; progress_begin starts the display (and the rate clock). */
void progress_init(progress *p, int mode, double interval_s);
void progress_begin(progress *p, uint64_t total_bytes);
/* Stops the thread and clears the bar. */
void progress_stop(progress *p);
/* Prints a message on its own line (clearing the bar first). */
void progress_message(progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "1.2 MB", "153 MB" */
void format_bytes(char *dst, size_t cap, double bytes);

#endif
