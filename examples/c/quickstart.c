/* Quick start: load rows exactly once into shop.orders (a Primary Key table), surviving restarts.
 * Build: cc quickstart.c $(pkg-config --cflags --libs sr_sink)
 * Run:   SR_URL=http://fe:8030 SR_USER=loader SR_PASSWORD=... ./a.out quickstart.state
 * Every run restores the token stored by the last one, writes three rows and commits them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sr_sink.h>

static int32_t creds(void *ud, const char *table, int32_t after_401, char *user, char *password) {
  (void)ud; (void)table; (void)after_401;
  const char *u = getenv("SR_USER"), *p = getenv("SR_PASSWORD");
  snprintf(user, SR_SINK_CREDENTIAL_USER_MAX, "%s", u ? u : "root");
  snprintf(password, SR_SINK_CREDENTIAL_PASSWORD_MAX, "%s", p ? p : "");
  return 0;
}

static int fail(const char *what, int32_t rc, const sr_sink_error *err) {
  fprintf(stderr, "%s: %s: %s\n", what, sr_sink_status_name(rc), err->message);
  return 1;
}

/* The state file holds "<checkpoint id>\n<token bytes>". */
static char *load_state(const char *path, long long *ckpt, size_t *len) {
  FILE *f = fopen(path, "rb");
  *ckpt = 0, *len = 0;
  if (!f) return NULL; /* first run */
  static char buf[1 << 16];
  if (fscanf(f, "%lld\n", ckpt) != 1) *ckpt = 0;
  *len = fread(buf, 1, sizeof buf, f);
  fclose(f);
  return *len ? buf : NULL;
}

/* Durably: write a temporary file, fsync it, rename it over the old state. */
static int store_state(const char *path, long long ckpt, const uint8_t *tok, size_t len) {
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "wb");
  if (!f) return -1;
  int ok = fprintf(f, "%lld\n", ckpt) > 0 && fwrite(tok, 1, len, f) == len && fflush(f) == 0 &&
           fsync(fileno(f)) == 0;
  if (fclose(f) != 0 || !ok) return -1;
  return rename(tmp, path);
}

int main(int argc, char **argv) {
  const char *url = getenv("SR_URL"), *state = argc > 1 ? argv[1] : "quickstart.state";
  if (!url) return fprintf(stderr, "set SR_URL to the FE, e.g. http://127.0.0.1:8030\n"), 2;
  char options[512];
  snprintf(options, sizeof options,
           "{\"http_url\":\"%s\",\"execution_mode\":\"on_checkpoint\"}", url);

  sr_sink_error err = {.struct_size = sizeof err};
  sr_sink_connector *conn = NULL;
  int32_t rc = sr_sink_connector_new(NULL, &conn, &err);
  if (rc != SR_SINK_OK) return fail("connector", rc, &err);
  sr_sink_credentials cr = {.struct_size = sizeof cr, .get = creds};
  rc = sr_sink_connector_add_sink(conn, "shop.*", options, &cr, &err);
  if (rc != SR_SINK_OK) return sr_sink_connector_free(conn), fail("add_sink", rc, &err);

  long long ckpt;
  size_t token_len;
  const char *token = load_state(state, &ckpt, &token_len);
  const char *cols[] = {"id", "name", "amount"};
  sr_sink_open_params p = {.struct_size = sizeof p, .table = "shop.orders", .columns = cols,
                           .n_columns = 3, .instance_id = "examples/c-quickstart/0",
                           .restore_token = (const uint8_t *)token,
                           .restore_token_len = token_len};
  sr_sink *sink = NULL;
  rc = sr_sink_open(conn, &p, &sink, &err); /* commits what the token names, rolls back the rest */
  if (rc != SR_SINK_OK) return sr_sink_connector_free(conn), fail("open", rc, &err);

  char r1[128], r2[128];
  snprintf(r1, sizeof r1, "{\"id\":%lld,\"name\":\"a\",\"amount\":\"1.50\"}", 2 * ckpt + 1);
  snprintf(r2, sizeof r2, "{\"id\":%lld,\"name\":\"b\",\"amount\":\"2.00\"}", 2 * ckpt + 2);
  const char *r3 = "{\"id\":0}";
  sr_sink_slice rows[] = {{r1, strlen(r1)}, {r2, strlen(r2)}, {r3, strlen(r3)}};
  uint8_t ops[] = {SR_SINK_OP_UPSERT, SR_SINK_OP_UPSERT, SR_SINK_OP_DELETE};
  sr_sink_batch b = {.struct_size = sizeof b, .n_rows = 3, .rows = rows, .ops = ops};
  rc = sr_sink_write(sink, &b, &err);
  if (rc != SR_SINK_OK) goto out;

  sr_sink_token tok = {.struct_size = sizeof tok};
  rc = sr_sink_on_checkpoint(sink, ckpt + 1, &tok, &err); /* prepared, not yet visible */
  if (rc != SR_SINK_OK) goto out;                         /* on error tok.release is NULL */
  int stored = store_state(state, ckpt + 1, tok.data, tok.len);
  tok.release(&tok);
  if (stored != 0) {
    fprintf(stderr, "cannot store %s; the next run rolls checkpoint %lld back\n", state, ckpt + 1);
    rc = SR_SINK_E_INTERNAL;
    goto out;
  }
  rc = sr_sink_commit(sink, ckpt + 1, &err); /* durable at the host: now visible */
  if (rc == SR_SINK_OK) printf("checkpoint %lld committed\n", ckpt + 1);
out:
  if (rc != SR_SINK_OK) fail("load", rc, &err);
  sr_sink_error close_err = {.struct_size = sizeof close_err};
  int32_t crc = sr_sink_close(sink, &close_err);
  if (crc != SR_SINK_OK && rc == SR_SINK_OK) rc = crc, fail("close", crc, &close_err);
  sr_sink_connector_free(conn);
  return rc == SR_SINK_OK ? 0 : 1;
}
