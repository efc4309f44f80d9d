#define _GNU_SOURCE
#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strbuf.h"

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void b64_encode(strbuf *out, const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i += 3) {
    uint32_t v = (uint32_t)p[i] << 16;
    if (i + 1 < n) v |= (uint32_t)p[i + 1] << 8;
    if (i + 2 < n) v |= p[i + 2];
    char q[4] = {B64[v >> 18], B64[(v >> 12) & 63], i + 1 < n ? B64[(v >> 6) & 63] : '=',
                 i + 2 < n ? B64[v & 63] : '='};
    sb_append(out, q, 4);
  }
}

static int b64_decode(const char *s, uint8_t **out, size_t *out_len) {
  size_t n = strlen(s);
  if (n % 4) return -1;
  uint8_t *o = xmalloc(n / 4 * 3 + 1);
  size_t k = 0;
  for (size_t i = 0; i < n; i += 4) {
    uint32_t v = 0;
    int pad = 0;
    for (int j = 0; j < 4; j++) {
      const char *c = strchr(B64, s[i + j]);
      if (s[i + j] == '=' && i + 4 == n && j >= 2) {
        pad++;
        v <<= 6;
        continue;
      }
      if (!c || !s[i + j] || pad) {
        free(o);
        return -1;
      }
      v = (v << 6) | (uint32_t)(c - B64);
    }
    o[k++] = (uint8_t)(v >> 16);
    if (pad < 2) o[k++] = (uint8_t)(v >> 8);
    if (pad < 1) o[k++] = (uint8_t)v;
  }
  *out = o;
  *out_len = k;
  return 0;
}

static void push(char ***v, size_t *n, const char *s) {
  *v = xrealloc(*v, (*n + 2) * sizeof(char *));
  (*v)[(*n)++] = xstrdup(s);
  (*v)[*n] = NULL;
}

void state_free(load_state *st) {
  free(st->table);
  free(st->mode);
  free(st->format);
  free(st->instance_id);
  for (size_t i = 0; i < st->n_columns; i++) free(st->columns[i]);
  free(st->columns);
  for (size_t i = 0; i < st->n_inputs; i++) free(st->inputs[i]);
  free(st->inputs);
  free(st->token);
  memset(st, 0, sizeof *st);
}

int state_read(const char *path, load_state *st, char *err, size_t err_len) {
  memset(st, 0, sizeof *st);
  FILE *f = fopen(path, "re");
  if (!f) {
    if (errno == ENOENT) return 0;
    snprintf(err, err_len, "state file %s: %s", path, strerror(errno));
    return -1;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  int lineno = 0, rc = 1, saw_magic = 0;
  while ((len = getline(&line, &cap, f)) >= 0) {
    lineno++;
    if (len > 0 && line[len - 1] == '\n') line[--len] = '\0';
    char *sp = strchr(line, ' ');
    const char *val = sp ? sp + 1 : "";
    if (sp) *sp = '\0';
    const char *key = line;
    if (lineno == 1) {
      if (strcmp(key, "sr-load-state") != 0 || strcmp(val, "1") != 0) break;
      saw_magic = 1;
    } else if (!strcmp(key, "table")) {
      st->table = xstrdup(val);
    } else if (!strcmp(key, "mode")) {
      st->mode = xstrdup(val);
    } else if (!strcmp(key, "format")) {
      st->format = xstrdup(val);
    } else if (!strcmp(key, "instance_id")) {
      st->instance_id = xstrdup(val);
    } else if (!strcmp(key, "column")) {
      push(&st->columns, &st->n_columns, val);
    } else if (!strcmp(key, "input")) {
      push(&st->inputs, &st->n_inputs, val);
    } else if (!strcmp(key, "checkpoint")) {
      st->checkpoint = strtoll(val, NULL, 10);
    } else if (!strcmp(key, "file_index")) {
      st->file_index = strtoull(val, NULL, 10);
    } else if (!strcmp(key, "offset")) {
      st->offset = strtoull(val, NULL, 10);
    } else if (!strcmp(key, "line")) {
      st->line = strtoull(val, NULL, 10);
    } else if (!strcmp(key, "rows")) {
      st->rows = strtoull(val, NULL, 10);
    } else if (!strcmp(key, "done")) {
      st->done = atoi(val);
    } else if (!strcmp(key, "token")) {
      if (b64_decode(val, &st->token, &st->token_len) != 0) {
        snprintf(err, err_len, "state file %s: line %d: the token is not valid base64", path,
                 lineno);
        rc = -1;
        break;
      }
    }
    /* Unknown keys are ignored so a newer sr-load can add some. */
  }
  free(line);
  fclose(f);
  if (rc == 1 && (!saw_magic || !st->table || !st->mode || !st->instance_id || st->line == 0)) {
    snprintf(err, err_len, "state file %s is not an sr-load state file (or is incomplete)", path);
    rc = -1;
  }
  if (rc != 1) state_free(st);
  return rc;
}

static int write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

int state_write(const char *path, const load_state *st, char *err, size_t err_len) {
  strbuf b = {0};
  sb_printf(&b, "sr-load-state 1\ntable %s\nmode %s\nformat %s\ninstance_id %s\n", st->table,
            st->mode, st->format ? st->format : "ndjson", st->instance_id);
  for (size_t i = 0; i < st->n_columns; i++) sb_printf(&b, "column %s\n", st->columns[i]);
  for (size_t i = 0; i < st->n_inputs; i++) sb_printf(&b, "input %s\n", st->inputs[i]);
  sb_printf(&b, "checkpoint %lld\nfile_index %llu\noffset %llu\nline %llu\nrows %llu\ndone %d\n",
            (long long)st->checkpoint, (unsigned long long)st->file_index,
            (unsigned long long)st->offset, (unsigned long long)st->line,
            (unsigned long long)st->rows, st->done);
  sb_appendz(&b, "token ");
  b64_encode(&b, st->token, st->token_len);
  sb_appendc(&b, '\n');

  strbuf tmp = {0};
  sb_printf(&tmp, "%s.tmp", path);
  int rc = -1;
  int fd = open(sb_cstr(&tmp), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    snprintf(err, err_len, "state file %s: %s", sb_cstr(&tmp), strerror(errno));
    goto out;
  }
  if (write_all(fd, b.p, b.len) != 0 || fsync(fd) != 0) {
    snprintf(err, err_len, "state file %s: write failed: %s", sb_cstr(&tmp), strerror(errno));
    close(fd);
    goto out;
  }
  close(fd);
  if (rename(sb_cstr(&tmp), path) != 0) {
    snprintf(err, err_len, "state file %s: rename failed: %s", path, strerror(errno));
    goto out;
  }
  /* The rename is durable only once the directory entry is. */
  char *dup = xstrdup(path);
  int dfd = open(dirname(dup), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  free(dup);
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  rc = 0;
out:
  sb_free(&b);
  sb_free(&tmp);
  return rc;
}
