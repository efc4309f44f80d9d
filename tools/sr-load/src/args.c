#define _GNU_SOURCE
#include "args.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rows.h"
#include "strbuf.h"

static const char USAGE[] =
    "usage: sr-load --url http://fe:8030 [--url ...] --user U\n"
    "               (--password-env VAR | --password-file F) --table db.table\n"
    "               [--mode on_checkpoint|on_watermark] [--format ndjson|csv]\n"
    "               [--columns a,b,c] [--op-field __op] [--csv-delimiter C]\n"
    "               [--checkpoint-rows N] [--checkpoint-seconds S] [--state-file F]\n"
    "               [--instance-id ID] [--option key=value ...] [--library PATH]\n"
    "               [--progress auto|bar|log|none] [--progress-interval S]\n"
    "               [--summary-json F] [--verbose] [--dry-run] [FILE ... | -]\n"
    "\n"
    "Loads NDJSON or CSV (with a header row) from files or stdin into a StarRocks Primary Key\n"
    "table through libsr_sink. A row whose op field is 1 or \"delete\" is a delete.\n"
    "With --state-file, an interrupted run resumes exactly where its last checkpoint ended\n"
    "(on_checkpoint mode: exactly once). See tools/sr-load/README.md.\n";

static void push(const char ***v, size_t *n, const char *s) {
  *v = xrealloc((void *)*v, (*n + 1) * sizeof(char *));
  (*v)[(*n)++] = s;
}

static int usage_error(const char *fmt, const char *arg) {
  fputs("sr-load: ", stderr);
  fprintf(stderr, fmt, arg);
  fputs("\n(see sr-load --help)\n", stderr);
  return 2;
}

static int parse_u64(const char *s, uint64_t *out) {
  char *end;
  if (!*s || *s == '-') return -1;
  unsigned long long v = strtoull(s, &end, 10);
  if (*end) return -1;
  *out = v;
  return 0;
}

static int parse_seconds(const char *s, double *out) {
  char *end;
  double v = strtod(s, &end);
  if (!*s || *end || v < 0) return -1;
  *out = v;
  return 0;
}

int args_parse(int argc, char **argv, args *a) {
  memset(a, 0, sizeof *a);
  a->mode = "on_checkpoint";
  a->format = -1;
  a->csv_delimiter = ',';
  a->op_field = "__op";
  a->checkpoint_rows = 500000;
  a->checkpoint_seconds = 30;
  a->instance_id = "sr-load";
  a->progress = PROGRESS_AUTO;
  a->progress_interval = 10;

  enum { O_URL = 256, O_USER, O_PWENV, O_PWFILE, O_TABLE, O_MODE, O_FORMAT, O_COLUMNS, O_OPF,
         O_CKROWS, O_CKSECS, O_STATE, O_INSTANCE, O_OPTION, O_LIBRARY, O_PROGRESS, O_PINT,
         O_SUMMARY, O_DELIM, O_DRY, O_VERBOSE, O_HELP, O_VERSION };
  static const struct option longopts[] = {
      {"url", required_argument, 0, O_URL},
      {"user", required_argument, 0, O_USER},
      {"password-env", required_argument, 0, O_PWENV},
      {"password-file", required_argument, 0, O_PWFILE},
      {"table", required_argument, 0, O_TABLE},
      {"mode", required_argument, 0, O_MODE},
      {"format", required_argument, 0, O_FORMAT},
      {"columns", required_argument, 0, O_COLUMNS},
      {"op-field", required_argument, 0, O_OPF},
      {"csv-delimiter", required_argument, 0, O_DELIM},
      {"checkpoint-rows", required_argument, 0, O_CKROWS},
      {"checkpoint-seconds", required_argument, 0, O_CKSECS},
      {"state-file", required_argument, 0, O_STATE},
      {"instance-id", required_argument, 0, O_INSTANCE},
      {"option", required_argument, 0, O_OPTION},
      {"library", required_argument, 0, O_LIBRARY},
      {"progress", required_argument, 0, O_PROGRESS},
      {"progress-interval", required_argument, 0, O_PINT},
      {"summary-json", required_argument, 0, O_SUMMARY},
      {"dry-run", no_argument, 0, O_DRY},
      {"verbose", no_argument, 0, O_VERBOSE},
      {"help", no_argument, 0, O_HELP},
      {"version", no_argument, 0, O_VERSION},
      {0, 0, 0, 0}};
  int c;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "hv", longopts, NULL)) != -1) {
    switch (c) {
      case O_URL: push(&a->urls, &a->n_urls, optarg); break;
      case O_USER: a->user = optarg; break;
      case O_PWENV: a->password_env = optarg; break;
      case O_PWFILE: a->password_file = optarg; break;
      case O_TABLE: a->table = optarg; break;
      case O_MODE:
        if (strcmp(optarg, "on_checkpoint") && strcmp(optarg, "on_watermark"))
          return usage_error("--mode must be on_checkpoint or on_watermark, not `%s`", optarg);
        a->mode = optarg;
        break;
      case O_FORMAT:
        if (!strcmp(optarg, "ndjson") || !strcmp(optarg, "json")) a->format = FORMAT_NDJSON;
        else if (!strcmp(optarg, "csv")) a->format = FORMAT_CSV;
        else return usage_error("--format must be ndjson or csv, not `%s`", optarg);
        break;
      case O_COLUMNS: a->columns = optarg; break;
      case O_OPF:
        if (!*optarg) return usage_error("--op-field must not be empty%s", "");
        a->op_field = optarg;
        break;
      case O_DELIM:
        if (strlen(optarg) == 1) a->csv_delimiter = optarg[0];
        else if (!strcmp(optarg, "\\t") || !strcmp(optarg, "tab")) a->csv_delimiter = '\t';
        else return usage_error("--csv-delimiter must be one character (or \\t), not `%s`", optarg);
        if (a->csv_delimiter == '"' || a->csv_delimiter == '\n')
          return usage_error("--csv-delimiter cannot be `%s`", optarg);
        break;
      case O_CKROWS:
        if (parse_u64(optarg, &a->checkpoint_rows))
          return usage_error("--checkpoint-rows must be a number of rows, not `%s`", optarg);
        break;
      case O_CKSECS:
        if (parse_seconds(optarg, &a->checkpoint_seconds))
          return usage_error("--checkpoint-seconds must be a number of seconds, not `%s`", optarg);
        break;
      case O_STATE: a->state_file = optarg; break;
      case O_INSTANCE:
        if (!*optarg) return usage_error("--instance-id must not be empty%s", "");
        a->instance_id = optarg;
        break;
      case O_OPTION:
        if (!strchr(optarg, '=') || optarg[0] == '=')
          return usage_error("--option must be key=value, not `%s`", optarg);
        push(&a->options, &a->n_options, optarg);
        break;
      case O_LIBRARY: a->library = optarg; break;
      case O_PROGRESS:
        if (!strcmp(optarg, "auto")) a->progress = PROGRESS_AUTO;
        else if (!strcmp(optarg, "bar")) a->progress = PROGRESS_BAR;
        else if (!strcmp(optarg, "log")) a->progress = PROGRESS_LOG;
        else if (!strcmp(optarg, "none")) a->progress = PROGRESS_NONE;
        else return usage_error("--progress must be auto, bar, log or none, not `%s`", optarg);
        break;
      case O_PINT:
        if (parse_seconds(optarg, &a->progress_interval) || a->progress_interval <= 0)
          return usage_error("--progress-interval must be a positive number of seconds, not `%s`",
                             optarg);
        break;
      case O_SUMMARY: a->summary_json = optarg; break;
      case O_DRY: a->dry_run = 1; break;
      case O_VERBOSE: a->verbose = 1; break;
      case 'h':
      case O_HELP: fputs(USAGE, stdout); return 1;
      case 'v':
      case O_VERSION: printf("sr-load %s\n", SR_LOAD_VERSION); return 1;
      default:
        return usage_error("unknown or incomplete option `%s`", argv[optind - 1]);
    }
  }
  for (int i = optind; i < argc; i++) push(&a->inputs, &a->n_inputs, argv[i]);
  if (a->n_inputs == 0) push(&a->inputs, &a->n_inputs, "-");
  size_t stdin_count = 0;
  for (size_t i = 0; i < a->n_inputs; i++) {
    if (!strcmp(a->inputs[i], "-")) stdin_count++;
    if (strchr(a->inputs[i], '\n')) return usage_error("an input file name contains a newline%s", "");
  }
  if (stdin_count > 1) return usage_error("stdin (-) can be given only once%s", "");
  if (!a->table || !strchr(a->table, '.') || a->table[0] == '.' || strchr(a->table, '.')[1] == '\0')
    return usage_error("--table db.table is required%s", "");
  if (a->format < 0) {
    const char *first = a->inputs[0];
    size_t n = strlen(first);
    a->format = (n > 4 && !strcmp(first + n - 4, ".csv")) ? FORMAT_CSV : FORMAT_NDJSON;
  }
  if (a->dry_run) return 0;
  if (a->n_urls == 0) return usage_error("--url is required (the FE's HTTP address, e.g. http://fe:8030)%s", "");
  if (!a->user) return usage_error("--user is required%s", "");
  if (!!a->password_env + !!a->password_file != 1)
    return usage_error("give exactly one of --password-env VAR or --password-file F%s", "");
  return 0;
}

void args_free(args *a) {
  free((void *)a->urls);
  free((void *)a->options);
  free((void *)a->inputs);
}
