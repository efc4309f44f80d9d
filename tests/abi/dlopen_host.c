/* A dlopen() host: loads the library given as argv[1] (the build tree's, or the one installed
 * with `cmake --install`) and negotiates the function table through sr_sink_get_vtable, the
 * only symbol such a host needs. */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sr_sink.h"

typedef int32_t (*get_vtable_fn)(uint32_t host_abi_version, sr_sink_vtable *out, size_t out_size);

static const char *g_library;
static void *g_dl;
static get_vtable_fn g_get;

/* POSIX lets dlsym's object pointer hold a function; copy bytes to stay ISO-clean. */
static get_vtable_fn as_get_vtable(void *sym) {
  get_vtable_fn fn;
  memcpy(&fn, &sym, sizeof fn);
  return fn;
}

static int load(void **state) {
  (void)state;
  g_dl = dlopen(g_library, RTLD_NOW | RTLD_LOCAL);
  if (!g_dl) {
    fprintf(stderr, "dlopen(%s): %s\n", g_library, dlerror());
    return -1;
  }
  void *sym = dlsym(g_dl, "sr_sink_get_vtable");
  if (!sym) {
    fprintf(stderr, "dlsym(sr_sink_get_vtable): %s\n", dlerror());
    return -1;
  }
  g_get = as_get_vtable(sym);
  return 0;
}

static int unload(void **state) {
  (void)state;
  return g_dl ? dlclose(g_dl) : 0;
}

static uint32_t version(uint32_t major, uint32_t minor) { return (major << 16) | minor; }

static void same_major_fills_the_whole_table(void **state) {
  (void)state;
  sr_sink_vtable vt;
  memset(&vt, 0xAB, sizeof vt);
  assert_int_equal(g_get(SR_SINK_ABI_VERSION, &vt, sizeof vt), SR_SINK_OK);
  assert_int_equal(vt.struct_size, sizeof vt);
  assert_int_equal(vt.abi_version >> 16, SR_SINK_ABI_VERSION_MAJOR);
  assert_non_null(vt.abi_version_fn);
  assert_non_null(vt.version_string);
  assert_non_null(vt.build_info);
  assert_non_null(vt.status_name);
  assert_non_null(vt.connector_new);
  assert_non_null(vt.connector_add_sink);
  assert_non_null(vt.connector_free);
  assert_non_null(vt.open);
  assert_non_null(vt.write);
  assert_non_null(vt.on_watermark);
  assert_non_null(vt.on_checkpoint);
  assert_non_null(vt.commit);
  assert_non_null(vt.abort);
  assert_non_null(vt.cancel);
  assert_non_null(vt.close);
  assert_non_null(vt.get_stats);
  assert_int_equal(vt.abi_version_fn(), vt.abi_version);
  assert_string_equal(vt.status_name(SR_SINK_E_VERSION), "SR_SINK_E_VERSION");
  assert_true(strlen(vt.version_string()) > 0);
}

static void slots_are_the_exported_functions(void **state) {
  (void)state;
  sr_sink_vtable vt;
  assert_int_equal(g_get(SR_SINK_ABI_VERSION, &vt, sizeof vt), SR_SINK_OK);
  void *open_sym = dlsym(g_dl, "sr_sink_open");
  void *status_sym = dlsym(g_dl, "sr_sink_status_name");
  assert_non_null(open_sym);
  assert_non_null(status_sym);
  assert_memory_equal(&vt.open, &open_sym, sizeof open_sym);
  assert_memory_equal(&vt.status_name, &status_sym, sizeof status_sym);
}

static void newer_minor_of_the_same_major_is_accepted(void **state) {
  (void)state;
  sr_sink_vtable vt;
  assert_int_equal(g_get(version(SR_SINK_ABI_VERSION_MAJOR, 9), &vt, sizeof vt), SR_SINK_OK);
  assert_int_equal(g_get(version(SR_SINK_ABI_VERSION_MAJOR, 0), &vt, sizeof vt), SR_SINK_OK);
}

static void other_major_is_refused(void **state) {
  (void)state;
  sr_sink_vtable vt;
  assert_int_equal(g_get(version(SR_SINK_ABI_VERSION_MAJOR + 1, 0), &vt, sizeof vt), SR_SINK_E_VERSION);
  assert_int_equal(g_get(version(0, 9), &vt, sizeof vt), SR_SINK_E_VERSION);
  assert_int_equal(g_get(version(0xFFFF, 0), &vt, sizeof vt), SR_SINK_E_VERSION);
}

/* The 1.0 table ends with get_stats, whichever header this host was compiled against. */
#define VTABLE_1_0_SIZE (offsetof(sr_sink_vtable, get_stats) + sizeof(void *))

static void table_smaller_than_1_0_is_refused(void **state) {
  (void)state;
  sr_sink_vtable vt;
  assert_int_equal(g_get(SR_SINK_ABI_VERSION, &vt, VTABLE_1_0_SIZE - sizeof(void *)),
                   SR_SINK_E_INVALID_ARGUMENT);
  assert_int_equal(g_get(SR_SINK_ABI_VERSION, &vt, offsetof(sr_sink_vtable, abi_version_fn)),
                   SR_SINK_E_INVALID_ARGUMENT);
  assert_int_equal(g_get(SR_SINK_ABI_VERSION, &vt, 0), SR_SINK_E_INVALID_ARGUMENT);
  assert_int_equal(g_get(SR_SINK_ABI_VERSION, NULL, sizeof vt), SR_SINK_E_INVALID_ARGUMENT);
}

/* A host built against a later minor has a longer table: slots this library lacks are NULL. */
struct future_table {
  sr_sink_vtable v1_0;
  void (*later_slots[8])(void);
};

static void larger_host_table_gets_the_rest_zeroed(void **state) {
  (void)state;
  struct future_table t;
  memset(&t, 0xAB, sizeof t);
  assert_int_equal(g_get(version(SR_SINK_ABI_VERSION_MAJOR, 7), &t.v1_0, sizeof t), SR_SINK_OK);
  assert_true(t.v1_0.struct_size >= sizeof(sr_sink_vtable));
  assert_true(t.v1_0.struct_size <= sizeof t);
  const unsigned char *bytes = (const unsigned char *)&t;
  for (size_t i = t.v1_0.struct_size; i < sizeof t; ++i) assert_int_equal(bytes[i], 0);
  assert_non_null(t.v1_0.get_stats);
}

/* A host built against an older minor (here: exactly the 1.0 table) gets only what fits. */
struct table_with_guard {
  sr_sink_vtable v1_0;
  unsigned char guard[64];
};

static void exact_1_0_table_gets_only_what_fits(void **state) {
  (void)state;
  struct table_with_guard t;
  memset(&t, 0xCD, sizeof t);
  assert_int_equal(g_get(SR_SINK_ABI_VERSION, &t.v1_0, sizeof t.v1_0), SR_SINK_OK);
  assert_int_equal(t.v1_0.struct_size, sizeof t.v1_0);
  for (size_t i = 0; i < sizeof t.guard; ++i) assert_int_equal(t.guard[i], 0xCD);
  assert_non_null(t.v1_0.get_stats);
}

static void the_table_works(void **state) {
  (void)state;
  sr_sink_vtable vt;
  assert_int_equal(g_get(SR_SINK_ABI_VERSION, &vt, sizeof vt), SR_SINK_OK);
  sr_sink_error err;
  memset(&err, 0, sizeof err);
  err.struct_size = sizeof err;
  sr_sink_connector *c = NULL;
  assert_int_equal(vt.connector_new(NULL, &c, &err), SR_SINK_OK);
  assert_non_null(c);
  sr_sink_credentials cred;
  memset(&cred, 0, sizeof cred);
  cred.struct_size = sizeof cred;
  cred.get = NULL;
  assert_int_equal(vt.connector_add_sink(c, "*", "{\"http_url\":\"http://127.0.0.1:1\"}", &cred, &err),
                   SR_SINK_E_INVALID_ARGUMENT);
  vt.connector_free(c);
}

#if SR_SINK_ABI_VERSION_MINOR >= 1
/* The 1.1 slots, called through the table as a 1.1 host does. */
static void slots_of_1_1_work(void **state) {
  (void)state;
  sr_sink_vtable vt;
  memset(&vt, 0, sizeof vt);
  assert_int_equal(g_get(SR_SINK_ABI_VERSION, &vt, sizeof vt), SR_SINK_OK);
  assert_true(vt.struct_size >= offsetof(sr_sink_vtable, token_inspect) + sizeof(void *));
  assert_non_null(vt.connector_register);
  assert_non_null(vt.commit_token);
  assert_non_null(vt.token_inspect);
  sr_sink_error err;
  memset(&err, 0, sizeof err);
  err.struct_size = sizeof err;
  sr_sink_token_info info;
  memset(&info, 0, sizeof info);
  info.struct_size = sizeof info;
  static const uint8_t garbage[] = "not a token";
  assert_int_equal(vt.token_inspect(garbage, sizeof garbage - 1, &info, &err), SR_SINK_E_RECOVERY);
  sr_sink_connector *c = NULL;
  assert_int_equal(vt.connector_new(NULL, &c, &err), SR_SINK_OK);
  assert_int_equal(vt.connector_register(c, NULL, &err), SR_SINK_E_INVALID_ARGUMENT);
  assert_int_equal(vt.commit_token(c, garbage, sizeof garbage - 1, &err), SR_SINK_E_RECOVERY);
  vt.connector_free(c);
}
#endif

#if SR_SINK_ABI_VERSION_MINOR >= 2
static int g_released;
static void count_schema_release(struct ArrowSchema *s) { ++g_released; s->release = NULL; }
static void count_array_release(struct ArrowArray *a) { ++g_released; a->release = NULL; }
/* The 1.2 slot, called through the table: a NULL sink still takes (releases) both structs. */
static void slots_of_1_2_work(void **state) {
  (void)state;
  sr_sink_vtable vt;
  memset(&vt, 0, sizeof vt);
  assert_int_equal(g_get(SR_SINK_ABI_VERSION, &vt, sizeof vt), SR_SINK_OK);
  assert_true(vt.struct_size >= offsetof(sr_sink_vtable, write_arrow) + sizeof(void *));
  assert_non_null(vt.write_arrow);
  struct ArrowSchema schema;
  struct ArrowArray array;
  memset(&schema, 0, sizeof schema);
  memset(&array, 0, sizeof array);
  schema.format = "+s";
  schema.release = count_schema_release;
  array.release = count_array_release;
  g_released = 0;
  assert_int_equal(vt.write_arrow(NULL, &schema, &array, NULL, NULL), SR_SINK_E_INVALID_ARGUMENT);
  assert_int_equal(g_released, 2);
  assert_null(schema.release);
  assert_null(array.release);
}
#endif

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s /path/to/libsr_sink.so.1\n", argv[0]);
    return 2;
  }
  g_library = argv[1];
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(same_major_fills_the_whole_table),
      cmocka_unit_test(slots_are_the_exported_functions),
      cmocka_unit_test(newer_minor_of_the_same_major_is_accepted),
      cmocka_unit_test(other_major_is_refused),
      cmocka_unit_test(table_smaller_than_1_0_is_refused),
      cmocka_unit_test(larger_host_table_gets_the_rest_zeroed),
      cmocka_unit_test(exact_1_0_table_gets_only_what_fits),
      cmocka_unit_test(the_table_works),
#if SR_SINK_ABI_VERSION_MINOR >= 1
      cmocka_unit_test(slots_of_1_1_work),
#endif
#if SR_SINK_ABI_VERSION_MINOR >= 2
      cmocka_unit_test(slots_of_1_2_work),
#endif
  };
  return cmocka_run_group_tests_name(g_library, tests, load, unload);
}
