/* sr-load's command line. */
#ifndef SR_LOAD_ARGS_H
#define SR_LOAD_ARGS_H

#include <stddef.h>
#include <stdint.h>

enum { PROGRESS_AUTO = 0, PROGRESS_BAR, PROGRESS_LOG, PROGRESS_NONE };

typedef struct args {
  const char **urls; size_t n_urls;
  const char *user;
  const char *password_env, *password_file;
  const char *table;
  const char *mode;           /* "on_checkpoint" | "on_watermark" */
  int format;                 /* FORMAT_*, or -1 = from the first input's extension */
  char csv_delimiter;
  const char *columns;        /* comma list or NULL */
  const char *op_field;
  uint64_t checkpoint_rows;   /* 0 = no row trigger */
  double checkpoint_seconds;  /* 0 = no time trigger */
  const char *state_file;
  const char *instance_id;
  const char **options; size_t n_options;  /* key=value */
  const char *library;
  int progress;
  double progress_interval;
  const char *summary_json;
  int verbose;
  int dry_run;
  const char **inputs; size_t n_inputs;    /* "-" = stdin */
} args;

/* Parses argv. Returns 0 to run, 1 when --help/--version printed, 2 on a usage error (message
 * printed). */
int args_parse(int argc, char **argv, args *a);
void args_free(args *a);

#endif
