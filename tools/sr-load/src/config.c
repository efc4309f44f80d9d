/* The library options document, the column list and the writer id. */
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

int build_options(strbuf *o) {
  sb_appendz(o, "{\"http_url\":[");
  for (size_t i = 0; i < A.a.n_urls; i++) {
    if (i) sb_appendc(o, ',');
    sb_append_json_string(o, A.a.urls[i], strlen(A.a.urls[i]));
  }
  sb_appendz(o, "],\"execution_mode\":");
  sb_append_json_string(o, A.a.mode, strlen(A.a.mode));
  strbuf props = {0};
  for (size_t i = 0; i < A.a.n_options; i++) {
    const char *kv = A.a.options[i];
    const char *eq = strchr(kv, '=');
    size_t klen = (size_t)(eq - kv);
    const char *v = eq + 1;
    if ((klen == 8 && !strncmp(kv, "http_url", 8)) ||
        (klen == 14 && !strncmp(kv, "execution_mode", 14))) {
      sb_free(&props);
      return fail(EXIT_USAGE, "--option %.*s: use --url / --mode instead", (int)klen, kv);
    }
    if (klen > 11 && !strncmp(kv, "properties.", 11)) {
      sb_appendc(&props, props.len ? ',' : '{');
      sb_append_json_string(&props, kv + 11, klen - 11);
      sb_appendc(&props, ':');
      sb_append_json_string(&props, v, strlen(v));
      continue;
    }
    sb_appendc(o, ',');
    sb_append_json_string(o, kv, klen);
    sb_appendc(o, ':');
    /* A value that is JSON (number, true, an object...) goes in as is, anything else as a string. */
    if (*v && json_is_value(v, strlen(v)) == 0) sb_appendz(o, v);
    else sb_append_json_string(o, v, strlen(v));
  }
  if (props.len) {
    sb_appendz(o, ",\"properties\":");
    sb_append(o, props.p, props.len);
    sb_appendc(o, '}');
  }
  sb_free(&props);
  sb_appendc(o, '}');
  return 0;
}

char **split_columns(const char *list) {
  char **v = NULL;
  size_t n = 0;
  const char *p = list;
  for (;;) {
    const char *comma = strchr(p, ',');
    size_t len = comma ? (size_t)(comma - p) : strlen(p);
    while (len && (*p == ' ')) p++, len--;
    while (len && p[len - 1] == ' ') len--;
    if (len) {
      v = xrealloc(v, (n + 2) * sizeof(char *));
      v[n] = xmalloc(len + 1);
      memcpy(v[n], p, len);
      v[n][len] = '\0';
      v[++n] = NULL;
    }
    if (!comma) break;
    p = comma + 1;
  }
  return v;
}

size_t strv_len(char *const *v) {
  size_t n = 0;
  while (v && v[n]) n++;
  return n;
}

void random_hex(char *dst, size_t n_bytes) {
  unsigned char r[16] = {0};
  int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    ssize_t got = read(fd, r, n_bytes);
    (void)got;
    close(fd);
  }
  for (size_t i = 0; i < n_bytes; i++) sprintf(dst + 2 * i, "%02x", r[i]);
}
