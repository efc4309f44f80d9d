#define _GNU_SOURCE
#include "progress.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "args.h"

double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void format_bytes(char *dst, size_t cap, double b) {
  if (b >= 1e9) snprintf(dst, cap, "%.2f GB", b / 1e9);
  else if (b >= 1e6) snprintf(dst, cap, "%.1f MB", b / 1e6);
  else if (b >= 1e3) snprintf(dst, cap, "%.1f kB", b / 1e3);
  else snprintf(dst, cap, "%.0f B", b);
}

static void describe(progress *p, char *dst, size_t cap) {
  double el = now_seconds() - p->start;
  if (el < 1e-3) el = 1e-3;
  uint64_t rows = atomic_load(&p->rows), bytes = atomic_load(&p->bytes);
  int64_t ck = atomic_load(&p->checkpoint);
  static const char *phase[] = {"", " (finishing)", " (committing)"};
  int ph = atomic_load(&p->phase);
  char mb[32], rate[32];
  format_bytes(mb, sizeof mb, (double)bytes);
  format_bytes(rate, sizeof rate, (double)bytes / el);
  snprintf(dst, cap, "%llu rows  %s  %.0f rows/s  %s/s  checkpoint %lld%s",
           (unsigned long long)rows, mb, (double)rows / el, rate, (long long)ck,
           phase[ph >= 0 && ph <= 2 ? ph : 0]);
}

static void draw(progress *p) {
  char text[200];
  describe(p, text, sizeof text);
  if (p->mode == PROGRESS_BAR) {
    char bar[32] = "";
    if (p->total_bytes) {
      double f = (double)atomic_load(&p->bytes) / (double)p->total_bytes;
      if (f > 1) f = 1;
      int fill = (int)(f * 20);
      bar[0] = '[';
      for (int i = 0; i < 20; i++) bar[1 + i] = i < fill ? '#' : '.';
      snprintf(bar + 21, sizeof bar - 21, "] %3d%%  ", (int)(f * 100));
    }
    fprintf(stderr, "\r%s%s\033[K", bar, text);
    p->drawn = 1;
  } else {
    fprintf(stderr, "sr-load: %s\n", text);
  }
  fflush(stderr);
}

static void *run(void *arg) {
  progress *p = arg;
  pthread_mutex_lock(&p->mu);
  while (!p->stop) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    double wait = p->mode == PROGRESS_BAR ? 0.25 : p->interval_s;
    ts.tv_sec += (time_t)wait;
    ts.tv_nsec += (long)((wait - (double)(time_t)wait) * 1e9);
    if (ts.tv_nsec >= 1000000000L) {
      ts.tv_sec++;
      ts.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&p->cv, &p->mu, &ts);
    if (!p->stop) draw(p);
  }
  pthread_mutex_unlock(&p->mu);
  return NULL;
}

void progress_init(progress *p, int mode, double interval_s) {
  memset(p, 0, sizeof *p);
  if (mode == PROGRESS_AUTO) mode = isatty(STDERR_FILENO) ? PROGRESS_BAR : PROGRESS_LOG;
  p->mode = mode;
  p->interval_s = interval_s;
  p->start = now_seconds();
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->cv, NULL);
}

void progress_begin(progress *p, uint64_t total_bytes) {
  p->total_bytes = total_bytes;
  p->start = now_seconds();
  if (p->mode != PROGRESS_NONE && pthread_create(&p->thread, NULL, run, p) == 0) p->running = 1;
}

void progress_stop(progress *p) {
  if (p->running) {
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    p->running = 0;
  }
  if (p->drawn) {
    fputs("\r\033[K", stderr);
    p->drawn = 0;
  }
}

void progress_message(progress *p, const char *fmt, ...) {
  pthread_mutex_lock(&p->mu);
  if (p->drawn) {
    fputs("\r\033[K", stderr);
    p->drawn = 0;
  }
  va_list ap;
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  fflush(stderr);
  pthread_mutex_unlock(&p->mu);
}
