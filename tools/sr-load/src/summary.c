/* The end-of-run summary (stderr) and --summary-json. */
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

void summary(const sr_sink_stats *s, double elapsed) {
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
