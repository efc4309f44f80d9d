/* Argument checks of the per-sink functions on a real, open sink: NULL batch/token/stats,
 * bad struct sizes, malformed rows, bad ops, non-increasing checkpoint ids, schema errors at open.
 * The sink talks to a real sr-emulator process (argv[1]) on 127.0.0.1 with port 0. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "sr_sink.h"

static const char *g_emulator;
static char g_dir[] = "/tmp/sr_sink_abi_XXXXXX";
static pid_t g_pid = -1;
static int g_fe_port;
static sr_sink_connector *g_conn;

static const char *kCatalog =
    "{\"databases\":{\"shop\":{\"tables\":{\"orders\":{\"keys_type\":\"PRIMARY_KEYS\",\"columns\":["
    "{\"name\":\"id\",\"type\":\"BIGINT\",\"key\":true,\"nullable\":false},"
    "{\"name\":\"name\",\"type\":\"VARCHAR(64)\"}]},"
    "\"logs\":{\"keys_type\":\"DUP_KEYS\",\"columns\":["
    "{\"name\":\"id\",\"type\":\"BIGINT\",\"key\":true},{\"name\":\"msg\",\"type\":\"VARCHAR(64)\"}]}}}}}";

static int32_t creds_get(void *ud, const char *table, int32_t after_auth_failure, char *user,
                         char *password) {
  (void)ud;
  (void)table;
  (void)after_auth_failure;
  strcpy(user, "root");
  password[0] = '\0';
  return 0;
}

static sr_sink_error fresh_error(void) {
  sr_sink_error e;
  memset(&e, 0x5A, sizeof e);
  e.struct_size = sizeof e;
  return e;
}

static void assert_error(int32_t rc, int32_t want, const sr_sink_error *e) {
  if (rc != want) fprintf(stderr, "got %d (%s): %s\n", rc, sr_sink_status_name(rc), e->message);
  assert_int_equal(rc, want);
  assert_int_equal(e->code, want);
  assert_true(memchr(e->message, '\0', sizeof e->message) != NULL);
  assert_true(e->message[0] != '\0');
}

/* Starts the emulator and reads its one JSON line with the ports. */
static int start_emulator(void **state) {
  (void)state;
  if (!mkdtemp(g_dir)) return -1;
  char catalog[256];
  snprintf(catalog, sizeof catalog, "%s/catalog.json", g_dir);
  FILE *f = fopen(catalog, "w");
  if (!f) return -1;
  fputs(kCatalog, f);
  fclose(f);
  int out[2];
  if (pipe(out) != 0) return -1;
  g_pid = fork();
  if (g_pid < 0) return -1;
  if (g_pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    execl(g_emulator, g_emulator, "--fe-port", "0", "--be-port", "0", "--bind", "127.0.0.1",
          "--catalog", catalog, (char *)NULL);
    _exit(127);
  }
  close(out[1]);
  FILE *in = fdopen(out[0], "r");
  char line[512];
  if (!in || !fgets(line, sizeof line, in)) {
    fprintf(stderr, "sr-emulator printed no ready line\n");
    return -1;
  }
  fclose(in); /* the emulator keeps running; it only ever writes the one line */
  const char *p = strstr(line, "\"fe_port\":");
  if (!p || sscanf(p + strlen("\"fe_port\":"), "%d", &g_fe_port) != 1) {
    fprintf(stderr, "unexpected ready line: %s\n", line);
    return -1;
  }
  char options[256];
  snprintf(options, sizeof options,
           "{\"http_url\":\"http://127.0.0.1:%d\",\"execution_mode\":\"on_watermark\",\"max_retries\":0}",
           g_fe_port);
  sr_sink_credentials cr;
  memset(&cr, 0, sizeof cr);
  cr.struct_size = sizeof cr;
  cr.get = creds_get;
  sr_sink_error e = fresh_error();
  if (sr_sink_connector_new(NULL, &g_conn, &e) != SR_SINK_OK ||
      sr_sink_connector_add_sink(g_conn, "shop.*", options, &cr, &e) != SR_SINK_OK) {
    fprintf(stderr, "connector setup: %s\n", e.message);
    return -1;
  }
  return 0;
}

static int stop_emulator(void **state) {
  (void)state;
  sr_sink_connector_free(g_conn);
  if (g_pid > 0) {
    kill(g_pid, SIGTERM);
    waitpid(g_pid, NULL, 0);
  }
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
  return system(cmd) == 0 ? 0 : -1;
}

static sr_sink *open_orders(void) {
  static const char *const cols[] = {"id", "name"};
  sr_sink_open_params p;
  memset(&p, 0, sizeof p);
  p.struct_size = sizeof p;
  p.table = "shop.orders";
  p.columns = cols;
  p.n_columns = 2;
  sr_sink *s = NULL;
  sr_sink_error e = fresh_error();
  int32_t rc = sr_sink_open(g_conn, &p, &s, &e);
  if (rc != SR_SINK_OK) fprintf(stderr, "open: %s: %s\n", sr_sink_status_name(rc), e.message);
  assert_int_equal(rc, SR_SINK_OK);
  assert_non_null(s);
  return s;
}

static int32_t write_rows(sr_sink *s, const char *const *rows, const uint8_t *ops, size_t n, sr_sink_error *e) {
  sr_sink_slice slices[8];
  for (size_t i = 0; i < n; ++i) {
    slices[i].data = rows[i];
    slices[i].len = strlen(rows[i]);
  }
  sr_sink_batch b;
  memset(&b, 0, sizeof b);
  b.struct_size = sizeof b;
  b.n_rows = n;
  b.rows = slices;
  b.ops = ops;
  return sr_sink_write(s, &b, e);
}

static void open_of_a_missing_table_is_a_schema_error(void **state) {
  (void)state;
  static const char *const cols[] = {"id"};
  sr_sink_open_params p;
  memset(&p, 0, sizeof p);
  p.struct_size = sizeof p;
  p.table = "shop.nope";
  p.columns = cols;
  p.n_columns = 1;
  sr_sink *s = NULL;
  sr_sink_error e = fresh_error();
  assert_error(sr_sink_open(g_conn, &p, &s, &e), SR_SINK_E_SCHEMA, &e);
  assert_non_null(strstr(e.message, "shop.nope"));
  assert_null(s);
}

static void open_of_a_non_primary_key_table_is_a_schema_error(void **state) {
  (void)state;
  static const char *const cols[] = {"id", "msg"};
  sr_sink_open_params p;
  memset(&p, 0, sizeof p);
  p.struct_size = sizeof p;
  p.table = "shop.logs";
  p.columns = cols;
  p.n_columns = 2;
  sr_sink *s = NULL;
  sr_sink_error e = fresh_error();
  assert_error(sr_sink_open(g_conn, &p, &s, &e), SR_SINK_E_SCHEMA, &e);
  assert_non_null(strstr(e.message, "shop.logs"));
}

static void open_with_an_unknown_column_names_it(void **state) {
  (void)state;
  static const char *const cols[] = {"id", "colour"};
  sr_sink_open_params p;
  memset(&p, 0, sizeof p);
  p.struct_size = sizeof p;
  p.table = "shop.orders";
  p.columns = cols;
  p.n_columns = 2;
  sr_sink *s = NULL;
  sr_sink_error e = fresh_error();
  assert_error(sr_sink_open(g_conn, &p, &s, &e), SR_SINK_E_SCHEMA, &e);
  assert_non_null(strstr(e.message, "colour"));
}

static void open_without_the_key_column_names_it(void **state) {
  (void)state;
  static const char *const cols[] = {"name"};
  sr_sink_open_params p;
  memset(&p, 0, sizeof p);
  p.struct_size = sizeof p;
  p.table = "shop.orders";
  p.columns = cols;
  p.n_columns = 1;
  sr_sink *s = NULL;
  sr_sink_error e = fresh_error();
  assert_error(sr_sink_open(g_conn, &p, &s, &e), SR_SINK_E_SCHEMA, &e);
  assert_non_null(strstr(e.message, "id"));
}

static void write_refuses_a_null_or_malformed_batch(void **state) {
  (void)state;
  sr_sink *s = open_orders();
  sr_sink_error e = fresh_error();
  assert_error(sr_sink_write(s, NULL, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
  sr_sink_batch b;
  memset(&b, 0, sizeof b);
  b.struct_size = 4;
  b.n_rows = 0;
  e = fresh_error();
  assert_error(sr_sink_write(s, &b, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
  b.struct_size = sizeof b;
  b.n_rows = 3;
  b.rows = NULL;
  e = fresh_error();
  assert_error(sr_sink_write(s, &b, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
  sr_sink_slice rows[2] = {{"{\"id\":1}", 8}, {NULL, 5}}; /* a row without bytes */
  b.n_rows = 2;
  b.rows = rows;
  e = fresh_error();
  assert_error(sr_sink_write(s, &b, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
  assert_non_null(strstr(e.message, "row 1"));
  assert_int_equal(sr_sink_close(s, NULL), SR_SINK_OK);
}

static void write_names_the_row_that_is_not_a_json_object(void **state) {
  (void)state;
  sr_sink *s = open_orders();
  const char *rows[] = {"{\"id\":1,\"name\":\"a\"}", "{\"id\":2,", "{\"id\":3}"};
  sr_sink_error e = fresh_error();
  assert_error(write_rows(s, rows, NULL, 3, &e), SR_SINK_E_DATA, &e);
  assert_non_null(strstr(e.message, "row 1")); /* the index of the bad row */
  assert_true(e.flags & SR_SINK_ERROR_F_DATA);
  const char *arr[] = {"[1,2]"};
  e = fresh_error();
  assert_error(write_rows(s, arr, NULL, 1, &e), SR_SINK_E_DATA, &e);
  const char *op[] = {"{\"id\":1,\"__op\":1}"};
  e = fresh_error();
  assert_error(write_rows(s, op, NULL, 1, &e), SR_SINK_E_DATA, &e);
  assert_non_null(strstr(e.message, "__op"));
  /* Nothing of a refused batch was taken. */
  sr_sink_stats st;
  memset(&st, 0, sizeof st);
  st.struct_size = sizeof st;
  assert_int_equal(sr_sink_get_stats(s, &st, NULL), SR_SINK_OK);
  assert_int_equal(st.rows_written, 0);
  assert_int_equal(sr_sink_close(s, NULL), SR_SINK_OK);
}

static void write_refuses_an_unknown_op(void **state) {
  (void)state;
  sr_sink *s = open_orders();
  const char *rows[] = {"{\"id\":1}", "{\"id\":2}"};
  const uint8_t ops[] = {SR_SINK_OP_DELETE, 2};
  sr_sink_error e = fresh_error();
  assert_error(write_rows(s, rows, ops, 2, &e), SR_SINK_E_DATA, &e);
  assert_non_null(strstr(e.message, "row 1"));
  assert_int_equal(sr_sink_close(s, NULL), SR_SINK_OK);
}

static void valid_rows_are_accepted_and_counted(void **state) {
  (void)state;
  sr_sink *s = open_orders();
  const char *rows[] = {"{\"id\":1,\"name\":\"a\"}", " {\"id\":2} "};
  const uint8_t ops[] = {SR_SINK_OP_UPSERT, SR_SINK_OP_DELETE};
  sr_sink_error e = fresh_error();
  assert_int_equal(write_rows(s, rows, ops, 2, &e), SR_SINK_OK);
  assert_int_equal(e.code, 0);
  sr_sink_stats st;
  memset(&st, 0, sizeof st);
  st.struct_size = sizeof st;
  assert_int_equal(sr_sink_get_stats(s, &st, NULL), SR_SINK_OK);
  assert_int_equal(st.rows_written, 2);
  assert_int_equal(st.rows_deleted, 1);
  assert_int_equal(sr_sink_close(s, NULL), SR_SINK_OK);
}

static void get_stats_refuses_null_out_and_writes_only_what_fits(void **state) {
  (void)state;
  sr_sink *s = open_orders();
  sr_sink_error e = fresh_error();
  assert_error(sr_sink_get_stats(s, NULL, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
  struct {
    sr_sink_stats st;
    unsigned char guard[32];
  } small;
  memset(&small, 0xEE, sizeof small);
  small.st.struct_size = (uint32_t)offsetof(sr_sink_stats, rows_deleted); /* an older, shorter struct */
  assert_int_equal(sr_sink_get_stats(s, &small.st, NULL), SR_SINK_OK);
  assert_int_equal(small.st.rows_written, 0);
  const unsigned char *rest = (const unsigned char *)&small.st.rows_deleted;
  for (size_t i = 0; i < sizeof small - offsetof(sr_sink_stats, rows_deleted); ++i) {
    assert_int_equal(rest[i], 0xEE);
  }
  assert_int_equal(sr_sink_close(s, NULL), SR_SINK_OK);
}

static void on_checkpoint_refuses_a_null_token_and_non_increasing_ids(void **state) {
  (void)state;
  sr_sink *s = open_orders();
  sr_sink_error e = fresh_error();
  assert_error(sr_sink_on_checkpoint(s, 1, NULL, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
  sr_sink_token t;
  memset(&t, 0, sizeof t);
  t.struct_size = sizeof t;
  e = fresh_error();
  int32_t rc = sr_sink_on_checkpoint(s, 5, &t, &e);
  if (rc != SR_SINK_OK) fprintf(stderr, "on_checkpoint: %s\n", e.message);
  assert_int_equal(rc, SR_SINK_OK);
  assert_non_null(t.release);
  t.release(&t);
  assert_null(t.release);
  for (int64_t id = 5; id >= 4; --id) {
    memset(&t, 0, sizeof t);
    t.struct_size = sizeof t;
    e = fresh_error();
    assert_error(sr_sink_on_checkpoint(s, id, &t, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
    assert_null(t.release);
  }
  assert_int_equal(sr_sink_close(s, NULL), SR_SINK_OK);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s /path/to/sr-emulator\n", argv[0]);
    return 2;
  }
  g_emulator = argv[1];
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(open_of_a_missing_table_is_a_schema_error),
      cmocka_unit_test(open_of_a_non_primary_key_table_is_a_schema_error),
      cmocka_unit_test(open_with_an_unknown_column_names_it),
      cmocka_unit_test(open_without_the_key_column_names_it),
      cmocka_unit_test(write_refuses_a_null_or_malformed_batch),
      cmocka_unit_test(write_names_the_row_that_is_not_a_json_object),
      cmocka_unit_test(write_refuses_an_unknown_op),
      cmocka_unit_test(valid_rows_are_accepted_and_counted),
      cmocka_unit_test(get_stats_refuses_null_out_and_writes_only_what_fits),
      cmocka_unit_test(on_checkpoint_refuses_a_null_token_and_non_increasing_ids),
  };
  return cmocka_run_group_tests_name("sr_sink per-sink arguments", tests, start_emulator, stop_emulator);
}
