// C side of the cgo binding (see shim.h).
#include "shim.h"

#include <string.h>

#include "_cgo_export.h"

static void log_trampoline(void *user_data, int32_t level, const char *message) {
  srsinkGoLog((uintptr_t)user_data, level, (char *)message);
}

static int32_t credentials_trampoline(void *user_data, const char *table, int32_t after_auth_failure,
                                      char *user, char *password) {
  return srsinkGoCredentials((uintptr_t)user_data, (char *)table, after_auth_failure, user, password);
}

static void release_trampoline(void *user_data) { srsinkGoRelease((uintptr_t)user_data); }

static int32_t rejected_row_trampoline(void *user_data, const sr_sink_rejected_row *row) {
  return srsinkGoRejectedRow((uintptr_t)user_data, (sr_sink_rejected_row *)row);
}

static sr_sink_vtable vt;

int32_t srsink_load_vtable(uint32_t host_abi_version, uint32_t *abi_version, uint32_t *filled) {
  memset(&vt, 0, sizeof vt);
  int32_t rc = sr_sink_get_vtable(host_abi_version, &vt, sizeof vt);
  *abi_version = vt.abi_version;
  *filled = vt.struct_size;
  return rc;
}

int srsink_has_1_1_slot(int index) {
  /* A 1.0 library fills a shorter table (struct_size) and zeroes the rest (NULL slots). */
  size_t end;
  const void *fn;
  switch (index) {
    case 0: end = offsetof(sr_sink_vtable, connector_register) + sizeof vt.connector_register;
            fn = (const void *)vt.connector_register; break;
    case 1: end = offsetof(sr_sink_vtable, commit_token) + sizeof vt.commit_token;
            fn = (const void *)vt.commit_token; break;
    case 2: end = offsetof(sr_sink_vtable, token_inspect) + sizeof vt.token_inspect;
            fn = (const void *)vt.token_inspect; break;
    default: return 0;
  }
  return vt.struct_size >= end && fn != NULL;
}

int32_t srsink_connector_new(int32_t log_level, uintptr_t log_handle, sr_sink_connector **out,
                             sr_sink_error *err) {
  sr_sink_host host;
  memset(&host, 0, sizeof host);
  host.struct_size = sizeof host;
  host.log_level = log_level;
  if (log_handle != 0) {
    host.log = log_trampoline;
    host.log_user_data = (void *)log_handle;
  }
  return sr_sink_connector_new(&host, out, err);
}

int32_t srsink_add_sink(sr_sink_connector *c, const char *glob, const char *options,
                        uintptr_t creds_handle, sr_sink_error *err) {
  sr_sink_credentials creds;
  memset(&creds, 0, sizeof creds);
  creds.struct_size = sizeof creds;
  creds.get = credentials_trampoline;
  creds.user_data = (void *)creds_handle;
  creds.release = release_trampoline;
  return sr_sink_connector_add_sink(c, glob, options, &creds, err);
}

int32_t srsink_open(sr_sink_connector *c, const char *table, const char *const *columns,
                    uint32_t n_columns, const char *instance_id, const uint8_t *token,
                    size_t token_len, sr_sink **out, sr_sink_error *err) {
  sr_sink_open_params p;
  memset(&p, 0, sizeof p);
  p.struct_size = sizeof p;
  p.table = table;
  p.columns = columns;
  p.n_columns = n_columns;
  p.instance_id = instance_id;
  p.restore_token = token;
  p.restore_token_len = token_len;
  return sr_sink_open(c, &p, out, err);
}

int32_t srsink_write(sr_sink *s, const char *buf, const size_t *ends, const uint8_t *ops,
                     size_t n, sr_sink_error *err) {
  sr_sink_slice *rows = NULL;
  if (n > 0) {
    rows = (sr_sink_slice *)malloc(n * sizeof *rows);
    if (!rows) {
      if (err) {
        memset(err, 0, sizeof *err);
        err->struct_size = sizeof *err;
        err->code = SR_SINK_E_NO_MEMORY;
        strcpy(err->message, "out of memory building the batch");
      }
      return SR_SINK_E_NO_MEMORY;
    }
    size_t start = 0;
    for (size_t i = 0; i < n; ++i) {
      rows[i].data = buf + start;
      rows[i].len = ends[i] - start;
      start = ends[i];
    }
  }
  sr_sink_batch batch;
  memset(&batch, 0, sizeof batch);
  batch.struct_size = sizeof batch;
  batch.n_rows = n;
  batch.rows = rows;
  batch.ops = ops;
  int32_t rc = sr_sink_write(s, &batch, err);
  free(rows);
  return rc;
}

void srsink_token_release(sr_sink_token *token) {
  if (token && token->release) token->release(token);
}

int32_t srsink_register(sr_sink_connector *c, const char *glob, const char *options,
                        uintptr_t creds_handle, uintptr_t rows_handle, sr_sink_error *err) {
  sr_sink_credentials creds;
  memset(&creds, 0, sizeof creds);
  creds.struct_size = sizeof creds;
  creds.get = credentials_trampoline;
  creds.user_data = (void *)creds_handle;
  creds.release = release_trampoline;
  sr_sink_rejected_rows rows;
  memset(&rows, 0, sizeof rows);
  rows.struct_size = sizeof rows;
  rows.on_row = rejected_row_trampoline;
  rows.user_data = (void *)rows_handle;
  rows.release = release_trampoline;
  sr_sink_registration reg;
  memset(&reg, 0, sizeof reg);
  reg.struct_size = sizeof reg;
  reg.glob = glob;
  reg.options_json = options;
  reg.credentials = &creds;
  reg.rejected_rows = &rows;
  return vt.connector_register(c, &reg, err);
}

int32_t srsink_commit_token(sr_sink_connector *c, const uint8_t *token, size_t token_len,
                            sr_sink_error *err) {
  return vt.commit_token(c, token, token_len, err);
}

int32_t srsink_token_inspect(const uint8_t *token, size_t token_len, sr_sink_token_info *out,
                             sr_sink_error *err) {
  return vt.token_inspect(token, token_len, out, err);
}

int srsink_has_write_arrow(void) {
  size_t end = offsetof(sr_sink_vtable, write_arrow) + sizeof vt.write_arrow;
  return vt.struct_size >= end && vt.write_arrow != NULL;
}

int32_t srsink_write_arrow(sr_sink *s, void *schema, void *array, const uint8_t *ops,
                           sr_sink_error *err) {
  return vt.write_arrow(s, (struct ArrowSchema *)schema, (struct ArrowArray *)array, ops, err);
}

void srsink_release_arrow(void *schema, void *array) {
  struct ArrowSchema *sc = (struct ArrowSchema *)schema;
  struct ArrowArray *ar = (struct ArrowArray *)array;
  if (sc && sc->release) {
    sc->release(sc);
    sc->release = NULL;
  }
  if (ar && ar->release) {
    ar->release(ar);
    ar->release = NULL;
  }
}

int64_t srsink_arrow_length(const void *array) {
  return ((const struct ArrowArray *)array)->length;
}
