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
