/* Every exported function given NULL handles, NULL out-pointers, bad struct sizes and bad
 * values returns the status its comment in sr_sink.h documents, fills sr_sink_error, and never
 * crashes. Links the library like a pkg-config host. No network is needed: nothing here gets
 * as far as contacting StarRocks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sr_sink.h"

static const char *kOptions = "{\"http_url\":\"http://127.0.0.1:9\",\"execution_mode\":\"on_watermark\"}";

static sr_sink_error fresh_error(void) {
  sr_sink_error e;
  memset(&e, 0x5A, sizeof e); /* garbage the library must overwrite */
  e.struct_size = sizeof e;
  return e;
}

/* The call failed with `want`: the error struct says so, with a message. */
static void assert_error(int32_t rc, int32_t want, const sr_sink_error *e) {
  assert_int_equal(rc, want);
  assert_int_equal(e->code, want);
  assert_true(memchr(e->message, '\0', sizeof e->message) != NULL);
  assert_true(e->message[0] != '\0');
  assert_true(memchr(e->label, '\0', sizeof e->label) != NULL);
}

static int32_t creds_get(void *ud, const char *table, int32_t after_auth_failure, char *user,
                         char *password) {
  (void)ud;
  (void)table;
  (void)after_auth_failure;
  strcpy(user, "root");
  password[0] = '\0';
  return 0;
}

static int g_released;
static void creds_release(void *ud) {
  (void)ud;
  ++g_released;
}

static sr_sink_credentials creds(void) {
  sr_sink_credentials c;
  memset(&c, 0, sizeof c);
  c.struct_size = sizeof c;
  c.get = creds_get;
  c.release = creds_release;
  return c;
}

static sr_sink_connector *new_connector(void) {
  sr_sink_connector *c = NULL;
  assert_int_equal(sr_sink_connector_new(NULL, &c, NULL), SR_SINK_OK);
  assert_non_null(c);
  return c;
}

/* ---- static information ---- */

static void versions_are_reported(void **state) {
  (void)state;
  assert_int_equal(sr_sink_abi_version(), SR_SINK_ABI_VERSION);
  assert_string_equal(sr_sink_version_string(), SR_SINK_PROJECT_VERSION); /* CMake project() */
  assert_non_null(sr_sink_build_info());
  assert_true(strlen(sr_sink_build_info()) > 0);
}

#define NAME(code) {code, #code}
static void status_names_are_the_macro_names(void **state) {
  (void)state;
  static const struct {
    int32_t code;
    const char *name;
  } names[] = {
      NAME(SR_SINK_OK),           NAME(SR_SINK_E_INVALID_ARGUMENT), NAME(SR_SINK_E_CONFIG),
      NAME(SR_SINK_E_NO_ROUTE),   NAME(SR_SINK_E_SCHEMA),           NAME(SR_SINK_E_DATA),
      NAME(SR_SINK_E_AUTH),       NAME(SR_SINK_E_NETWORK),          NAME(SR_SINK_E_TIMEOUT),
      NAME(SR_SINK_E_LOAD),       NAME(SR_SINK_E_TXN),              NAME(SR_SINK_E_STATE),
      NAME(SR_SINK_E_NOT_SUPPORTED), NAME(SR_SINK_E_RETRY_LATER),   NAME(SR_SINK_E_CANCELLED),
      NAME(SR_SINK_E_RECOVERY),   NAME(SR_SINK_E_VERSION),          NAME(SR_SINK_E_NO_MEMORY),
      NAME(SR_SINK_E_INTERNAL),
  };
  for (size_t i = 0; i < sizeof names / sizeof names[0]; ++i) {
    assert_string_equal(sr_sink_status_name(names[i].code), names[i].name);
  }
}

static void unknown_status_code_has_the_unknown_name(void **state) {
  (void)state;
  assert_string_equal(sr_sink_status_name(19), "SR_SINK_E_UNKNOWN");
  assert_string_equal(sr_sink_status_name(-1), "SR_SINK_E_UNKNOWN");
  assert_string_equal(sr_sink_status_name(INT32_MAX), "SR_SINK_E_UNKNOWN");
  assert_string_equal(sr_sink_status_name(INT32_MIN), "SR_SINK_E_UNKNOWN");
}

/* ---- connector_new ---- */

static void connector_new_needs_an_out_pointer(void **state) {
  (void)state;
  sr_sink_error e = fresh_error();
  assert_error(sr_sink_connector_new(NULL, NULL, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
}

static void connector_new_refuses_a_bad_host_struct_size(void **state) {
  (void)state;
  sr_sink_host host;
  memset(&host, 0, sizeof host);
  sr_sink_connector *c = NULL;
  sr_sink_error e = fresh_error();
  host.struct_size = 0;
  assert_error(sr_sink_connector_new(&host, &c, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
  assert_null(c);
  host.struct_size = 3;
  e = fresh_error();
  assert_error(sr_sink_connector_new(&host, &c, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
  assert_null(c);
}

static void connector_new_accepts_a_larger_host_struct(void **state) {
  (void)state;
  struct {
    sr_sink_host h;
    uint64_t later_fields[4];
  } host;
  memset(&host, 0, sizeof host);
  host.h.struct_size = sizeof host;
  sr_sink_connector *c = NULL;
  sr_sink_error e = fresh_error();
  assert_int_equal(sr_sink_connector_new(&host.h, &c, &e), SR_SINK_OK);
  sr_sink_connector_free(c);
}

static void error_struct_is_reset_on_ok(void **state) {
  (void)state;
  sr_sink_error e = fresh_error();
  sr_sink_connector *c = NULL;
  sr_sink_host host;
  memset(&host, 0, sizeof host);
  host.struct_size = sizeof host;
  assert_int_equal(sr_sink_connector_new(&host, &c, &e), SR_SINK_OK);
  assert_int_equal(e.struct_size, sizeof e);
  assert_int_equal(e.code, 0);
  assert_int_equal(e.flags, 0);
  assert_int_equal(e.http_status, 0);
  assert_string_equal(e.label, "");
  assert_string_equal(e.message, "");
  sr_sink_connector_free(c);
}

static void error_struct_is_written_only_up_to_its_struct_size(void **state) {
  (void)state;
  sr_sink_error e = fresh_error();
  e.struct_size = (uint32_t)offsetof(sr_sink_error, label); /* an "older" error struct */
  assert_int_equal(sr_sink_connector_new(NULL, NULL, &e), SR_SINK_E_INVALID_ARGUMENT);
  assert_int_equal(e.code, SR_SINK_E_INVALID_ARGUMENT);
  for (size_t i = 0; i < sizeof e.label; ++i) assert_int_equal((unsigned char)e.label[i], 0x5A);
  for (size_t i = 0; i < sizeof e.message; ++i) assert_int_equal((unsigned char)e.message[i], 0x5A);
  e = fresh_error();
  e.struct_size = 0; /* nothing fits */
  assert_int_equal(sr_sink_connector_new(NULL, NULL, &e), SR_SINK_E_INVALID_ARGUMENT);
  assert_int_equal(e.code, 0x5A5A5A5A);
}

static void null_error_pointer_is_allowed(void **state) {
  (void)state;
  assert_int_equal(sr_sink_connector_new(NULL, NULL, NULL), SR_SINK_E_INVALID_ARGUMENT);
}

static void connector_free_of_null_is_a_noop(void **state) {
  (void)state;
  sr_sink_connector_free(NULL);
}

/* ---- connector_add_sink ---- */

static void add_sink_refuses_null_arguments(void **state) {
  (void)state;
  sr_sink_connector *c = new_connector();
  sr_sink_credentials cr = creds();
  sr_sink_error e = fresh_error();
  g_released = 0;
  assert_error(sr_sink_connector_add_sink(NULL, "*", kOptions, &cr, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
  e = fresh_error();
  assert_error(sr_sink_connector_add_sink(c, NULL, kOptions, &cr, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
  e = fresh_error();
  assert_error(sr_sink_connector_add_sink(c, "*", NULL, &cr, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
  e = fresh_error();
  assert_error(sr_sink_connector_add_sink(c, "*", kOptions, NULL, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
  e = fresh_error();
  cr.get = NULL;
  assert_error(sr_sink_connector_add_sink(c, "*", kOptions, &cr, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
  /* "credentials->release is called ... immediately if this call fails": never more than once
   * per call. */
  assert_true(g_released <= 4);
  sr_sink_connector_free(c);
}

static void add_sink_refuses_a_bad_credentials_struct_size(void **state) {
  (void)state;
  sr_sink_connector *c = new_connector();
  sr_sink_credentials cr = creds();
  cr.struct_size = 4;
  sr_sink_error e = fresh_error();
  assert_error(sr_sink_connector_add_sink(c, "*", kOptions, &cr, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
  sr_sink_connector_free(c);
}

static void add_sink_names_an_unknown_option_key(void **state) {
  (void)state;
  sr_sink_connector *c = new_connector();
  sr_sink_credentials cr = creds();
  sr_sink_error e = fresh_error();
  g_released = 0;
  assert_error(sr_sink_connector_add_sink(c, "*", "{\"http_url\":\"http://fe:8030\",\"bogus_key\":1}",
                                          &cr, &e),
               SR_SINK_E_CONFIG, &e);
  assert_non_null(strstr(e.message, "bogus_key"));
  assert_int_equal(g_released, 1); /* released at once because the call failed */
  sr_sink_connector_free(c);
  assert_int_equal(g_released, 1);
}

static void add_sink_refuses_invalid_json_and_bad_values(void **state) {
  (void)state;
  sr_sink_connector *c = new_connector();
  sr_sink_credentials cr = creds();
  sr_sink_error e = fresh_error();
  assert_error(sr_sink_connector_add_sink(c, "*", "{not json", &cr, &e), SR_SINK_E_CONFIG, &e);
  e = fresh_error();
  assert_error(sr_sink_connector_add_sink(c, "*", "{}", &cr, &e), SR_SINK_E_CONFIG, &e);
  assert_non_null(strstr(e.message, "http_url"));
  e = fresh_error();
  assert_error(sr_sink_connector_add_sink(c, "*", "{\"http_url\":\"http://fe\",\"max_retries\":-1}", &cr, &e),
               SR_SINK_E_CONFIG, &e);
  assert_non_null(strstr(e.message, "max_retries"));
  e = fresh_error();
  assert_error(sr_sink_connector_add_sink(c, "*", "{\"http_url\":\"http://root:Secr3tPw@fe\"}", &cr, &e),
               SR_SINK_E_CONFIG, &e);
  assert_null(strstr(e.message, "Secr3tPw"));
  sr_sink_connector_free(c);
}

static void add_sink_refuses_a_bad_glob(void **state) {
  (void)state;
  sr_sink_connector *c = new_connector();
  sr_sink_credentials cr = creds();
  sr_sink_error e = fresh_error();
  g_released = 0;
  assert_error(sr_sink_connector_add_sink(c, "shop.[abc", kOptions, &cr, &e), SR_SINK_E_CONFIG, &e);
  assert_int_equal(g_released, 1);
  e = fresh_error();
  assert_error(sr_sink_connector_add_sink(c, "", kOptions, &cr, &e), SR_SINK_E_CONFIG, &e);
  sr_sink_connector_free(c);
}

static void credentials_are_released_once_when_the_connector_is_freed(void **state) {
  (void)state;
  sr_sink_connector *c = new_connector();
  sr_sink_credentials cr = creds();
  sr_sink_error e = fresh_error();
  g_released = 0;
  assert_int_equal(sr_sink_connector_add_sink(c, "shop.*", kOptions, &cr, &e), SR_SINK_OK);
  assert_int_equal(e.code, 0);
  assert_int_equal(g_released, 0);
  sr_sink_connector_free(c);
  assert_int_equal(g_released, 1);
}

/* ---- open ---- */

static sr_sink_open_params params(const char *table) {
  static const char *const cols[] = {"id", "name"};
  sr_sink_open_params p;
  memset(&p, 0, sizeof p);
  p.struct_size = sizeof p;
  p.table = table;
  p.columns = cols;
  p.n_columns = 2;
  p.instance_id = "abi-test/0";
  return p;
}

static void open_refuses_null_arguments(void **state) {
  (void)state;
  sr_sink_connector *c = new_connector();
  sr_sink_open_params p = params("shop.orders");
  sr_sink *s = NULL;
  sr_sink_error e = fresh_error();
  assert_error(sr_sink_open(NULL, &p, &s, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
  e = fresh_error();
  assert_error(sr_sink_open(c, NULL, &s, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
  e = fresh_error();
  assert_error(sr_sink_open(c, &p, NULL, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
  e = fresh_error();
  p.table = NULL;
  assert_error(sr_sink_open(c, &p, &s, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
  p = params("shop.orders");
  p.columns = NULL;
  e = fresh_error();
  assert_error(sr_sink_open(c, &p, &s, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
  p = params("shop.orders");
  p.struct_size = 8;
  e = fresh_error();
  assert_error(sr_sink_open(c, &p, &s, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
  /* 1.1 fields: key_columns NULL with a count, a NULL name, reserved0 set. */
  p = params("shop.orders");
  p.n_key_columns = 1;
  e = fresh_error();
  assert_error(sr_sink_open(c, &p, &s, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
  assert_non_null(strstr(e.message, "key_columns"));
  const char *no_name[] = {NULL};
  p.key_columns = no_name;
  e = fresh_error();
  assert_error(sr_sink_open(c, &p, &s, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
  assert_non_null(strstr(e.message, "key_columns[0]"));
  p = params("shop.orders");
  p.reserved0 = 1;
  e = fresh_error();
  assert_error(sr_sink_open(c, &p, &s, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
  assert_null(s);
  sr_sink_connector_free(c);
}

static void open_without_a_matching_glob_is_no_route(void **state) {
  (void)state;
  sr_sink_connector *c = new_connector();
  sr_sink_open_params p = params("shop.orders");
  sr_sink *s = NULL;
  sr_sink_error e = fresh_error();
  assert_error(sr_sink_open(c, &p, &s, &e), SR_SINK_E_NO_ROUTE, &e);
  assert_non_null(strstr(e.message, "shop.orders"));
  sr_sink_credentials cr = creds();
  assert_int_equal(sr_sink_connector_add_sink(c, "other.*", kOptions, &cr, NULL), SR_SINK_OK);
  e = fresh_error();
  assert_error(sr_sink_open(c, &p, &s, &e), SR_SINK_E_NO_ROUTE, &e);
  assert_null(s);
  sr_sink_connector_free(c);
}

/* ---- sink calls on a NULL handle ---- */

static void stale_release(sr_sink_token *t) { (void)t; }

static void sink_calls_refuse_a_null_sink(void **state) {
  (void)state;
  sr_sink_error e = fresh_error();
  sr_sink_batch b;
  memset(&b, 0, sizeof b);
  b.struct_size = sizeof b;
  assert_error(sr_sink_write(NULL, &b, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
  e = fresh_error();
  assert_error(sr_sink_on_watermark(NULL, 1, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
  sr_sink_token t;
  memset(&t, 0, sizeof t);
  t.struct_size = sizeof t;
  t.release = stale_release; /* whatever the host left there */
  e = fresh_error();
  assert_error(sr_sink_on_checkpoint(NULL, 1, &t, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
  assert_null(t.release); /* "on error token->release is NULL" */
  e = fresh_error();
  assert_error(sr_sink_commit(NULL, 1, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
  e = fresh_error();
  assert_error(sr_sink_abort(NULL, 1, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
  sr_sink_stats st;
  memset(&st, 0, sizeof st);
  st.struct_size = sizeof st;
  e = fresh_error();
  assert_error(sr_sink_get_stats(NULL, &st, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
}

static void cancel_and_close_of_null_are_harmless(void **state) {
  (void)state;
  sr_sink_cancel(NULL);
  sr_sink_error e = fresh_error();
  assert_int_equal(sr_sink_close(NULL, &e), SR_SINK_OK);
  assert_int_equal(e.code, 0);
  assert_string_equal(e.message, "");
}

/* ---- commit tokens (since 1.1) ---- */

static const char kWatermarkToken[] = "{\"v\":1,\"mode\":\"on_watermark\",\"checkpoint_id\":9,\"txns\":[]}";
static const char kCheckpointToken[] =
    "{\"v\":2,\"mode\":\"on_checkpoint\",\"db\":\"d\",\"table\":\"t\",\"instance_id\":\"i\","
    "\"prefix\":\"p\",\"checkpoint_id\":4,\"label_id\":1,"
    "\"txns\":[{\"checkpoint_id\":3,\"label\":\"p-t-i-0\"},{\"checkpoint_id\":4,\"label\":\"p-t-i-1\"}]}";

static const uint8_t *bytes(const char *s) { return (const uint8_t *)s; }

static void commit_token_refuses_null_arguments(void **state) {
  (void)state;
  sr_sink_connector *c = new_connector();
  sr_sink_error e = fresh_error();
  assert_error(sr_sink_commit_token(NULL, bytes(kWatermarkToken), strlen(kWatermarkToken), &e),
               SR_SINK_E_INVALID_ARGUMENT, &e);
  e = fresh_error();
  assert_error(sr_sink_commit_token(c, NULL, 5, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
  e = fresh_error();
  assert_error(sr_sink_commit_token(c, bytes(kWatermarkToken), 0, &e), SR_SINK_E_INVALID_ARGUMENT,
               &e);
  assert_int_equal(sr_sink_commit_token(c, NULL, 0, NULL), SR_SINK_E_INVALID_ARGUMENT);
  sr_sink_connector_free(c);
}

static void commit_token_refuses_a_malformed_token_as_recovery(void **state) {
  (void)state;
  sr_sink_connector *c = new_connector();
  sr_sink_error e = fresh_error();
  assert_error(sr_sink_commit_token(c, bytes("{\"v\":1}"), 7, &e), SR_SINK_E_RECOVERY, &e);
  e = fresh_error();
  assert_error(sr_sink_commit_token(c, bytes("not json"), 8, &e), SR_SINK_E_RECOVERY, &e);
  sr_sink_connector_free(c);
}

static void commit_token_of_nothing_to_commit_is_ok_at_once(void **state) {
  (void)state;
  sr_sink_connector *c = new_connector(); /* no registration, no server: nothing is sent */
  sr_sink_error e = fresh_error();
  assert_int_equal(sr_sink_commit_token(c, bytes(kWatermarkToken), strlen(kWatermarkToken), &e),
                   SR_SINK_OK);
  assert_int_equal(e.code, SR_SINK_OK);
  sr_sink_connector_free(c);
}

static void commit_token_without_a_matching_registration_is_no_route(void **state) {
  (void)state;
  sr_sink_connector *c = new_connector();
  sr_sink_credentials cr = creds();
  assert_int_equal(sr_sink_connector_add_sink(c, "other.*", kOptions, &cr, NULL), SR_SINK_OK);
  sr_sink_error e = fresh_error();
  assert_error(sr_sink_commit_token(c, bytes(kCheckpointToken), strlen(kCheckpointToken), &e),
               SR_SINK_E_NO_ROUTE, &e);
  assert_non_null(strstr(e.message, "d.t"));
  sr_sink_connector_free(c);
}

static void token_inspect_refuses_null_arguments_and_a_small_struct(void **state) {
  (void)state;
  sr_sink_token_info info;
  memset(&info, 0, sizeof info);
  info.struct_size = sizeof info;
  sr_sink_error e = fresh_error();
  assert_error(sr_sink_token_inspect(NULL, 3, &info, &e), SR_SINK_E_INVALID_ARGUMENT, &e);
  e = fresh_error();
  assert_error(sr_sink_token_inspect(bytes(kWatermarkToken), 0, &info, &e),
               SR_SINK_E_INVALID_ARGUMENT, &e);
  e = fresh_error();
  assert_error(sr_sink_token_inspect(bytes(kWatermarkToken), strlen(kWatermarkToken), NULL, &e),
               SR_SINK_E_INVALID_ARGUMENT, &e);
  info.struct_size = 8;
  e = fresh_error();
  assert_error(sr_sink_token_inspect(bytes(kWatermarkToken), strlen(kWatermarkToken), &info, &e),
               SR_SINK_E_INVALID_ARGUMENT, &e);
  assert_non_null(strstr(e.message, "struct_size"));
}

static void token_inspect_reports_mode_checkpoint_and_transactions(void **state) {
  (void)state;
  sr_sink_token_info info;
  memset(&info, 0x5A, sizeof info);
  info.struct_size = sizeof info;
  sr_sink_error e = fresh_error();
  assert_int_equal(
      sr_sink_token_inspect(bytes(kCheckpointToken), strlen(kCheckpointToken), &info, &e),
      SR_SINK_OK);
  assert_int_equal(info.struct_size, sizeof info);
  assert_int_equal(info.execution_mode, SR_SINK_MODE_ON_CHECKPOINT);
  assert_int_equal(info.checkpoint_id, 4);
  assert_int_equal(info.n_transactions, 2);
  assert_int_equal(info.reserved0, 0);
  assert_int_equal(sr_sink_token_inspect(bytes(kWatermarkToken), strlen(kWatermarkToken), &info,
                                         NULL),
                   SR_SINK_OK);
  assert_int_equal(info.execution_mode, SR_SINK_MODE_ON_WATERMARK);
  assert_int_equal(info.checkpoint_id, 9);
  assert_int_equal(info.n_transactions, 0);
  e = fresh_error();
  assert_error(sr_sink_token_inspect(bytes("{\"v\":7}"), 7, &info, &e), SR_SINK_E_RECOVERY, &e);
}

static void vtable_has_the_token_functions(void **state) {
  (void)state;
  sr_sink_vtable v;
  assert_int_equal(sr_sink_get_vtable(SR_SINK_ABI_VERSION, &v, sizeof v), SR_SINK_OK);
  assert_ptr_equal(v.commit_token, sr_sink_commit_token);
  assert_ptr_equal(v.token_inspect, sr_sink_token_inspect);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(versions_are_reported),
      cmocka_unit_test(status_names_are_the_macro_names),
      cmocka_unit_test(unknown_status_code_has_the_unknown_name),
      cmocka_unit_test(connector_new_needs_an_out_pointer),
      cmocka_unit_test(connector_new_refuses_a_bad_host_struct_size),
      cmocka_unit_test(connector_new_accepts_a_larger_host_struct),
      cmocka_unit_test(error_struct_is_reset_on_ok),
      cmocka_unit_test(error_struct_is_written_only_up_to_its_struct_size),
      cmocka_unit_test(null_error_pointer_is_allowed),
      cmocka_unit_test(connector_free_of_null_is_a_noop),
      cmocka_unit_test(add_sink_refuses_null_arguments),
      cmocka_unit_test(add_sink_refuses_a_bad_credentials_struct_size),
      cmocka_unit_test(add_sink_names_an_unknown_option_key),
      cmocka_unit_test(add_sink_refuses_invalid_json_and_bad_values),
      cmocka_unit_test(add_sink_refuses_a_bad_glob),
      cmocka_unit_test(credentials_are_released_once_when_the_connector_is_freed),
      cmocka_unit_test(open_refuses_null_arguments),
      cmocka_unit_test(open_without_a_matching_glob_is_no_route),
      cmocka_unit_test(sink_calls_refuse_a_null_sink),
      cmocka_unit_test(cancel_and_close_of_null_are_harmless),
      cmocka_unit_test(commit_token_refuses_null_arguments),
      cmocka_unit_test(commit_token_refuses_a_malformed_token_as_recovery),
      cmocka_unit_test(commit_token_of_nothing_to_commit_is_ok_at_once),
      cmocka_unit_test(commit_token_without_a_matching_registration_is_no_route),
      cmocka_unit_test(token_inspect_refuses_null_arguments_and_a_small_struct),
      cmocka_unit_test(token_inspect_reports_mode_checkpoint_and_transactions),
      cmocka_unit_test(vtable_has_the_token_functions),
  };
  return cmocka_run_group_tests_name("sr_sink ABI arguments", tests, NULL, NULL);
}
