/* Ctrl-C and SIGTERM: cancel the sink and wake a blocked read, so the run stops soon and
 * cleanly; a second signal exits at once. */
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
    if (A.opening) {
      /* Nothing to cancel: see connect_sink. The lock stays held, so the open cannot complete
       * into a sink we would then abandon while exiting. */
      say_interrupted_opening();
      _exit(EXIT_INTERRUPTED);
    }
    if (A.sink) A.vt.cancel(A.sink);
    pthread_mutex_unlock(&A.sink_mu);
    if (A.wake_pipe[1] >= 0) {
      ssize_t ignored = write(A.wake_pipe[1], "x", 1);
      (void)ignored;
    }
  }
  return NULL;
}

void start_signal_thread(void) {
  static sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  pthread_t t;
  if (pthread_create(&t, NULL, signal_thread, &set) == 0) pthread_detach(t);
}
