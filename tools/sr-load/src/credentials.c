#define _GNU_SOURCE
#include "credentials.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sr_sink.h"

/* Reads the password into dst (cap bytes incl. NUL), without a trailing newline. */
static int read_password(const credentials *c, char *dst, size_t cap, char *err, size_t err_len) {
  if (c->password_env) {
    const char *v = getenv(c->password_env);
    if (!v) {
      snprintf(err, err_len, "environment variable %s (--password-env) is not set",
               c->password_env);
      return -1;
    }
    if (strlen(v) >= cap) {
      snprintf(err, err_len, "the password in %s is too long", c->password_env);
      return -1;
    }
    strcpy(dst, v);
    return 0;
  }
  int fd = open(c->password_file, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    snprintf(err, err_len, "password file %s: %s", c->password_file, strerror(errno));
    return -1;
  }
  size_t n = 0;
  for (;;) {
    ssize_t got = read(fd, dst + n, cap - 1 - n);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    n += (size_t)got;
    if (n == cap - 1) break;
  }
  close(fd);
  dst[n] = '\0';
  while (n > 0 && (dst[n - 1] == '\n' || dst[n - 1] == '\r')) dst[--n] = '\0';
  return 0;
}

int credentials_check(const credentials *c, char *err, size_t err_len) {
  char pw[SR_SINK_CREDENTIAL_PASSWORD_MAX];
  int rc = read_password(c, pw, sizeof pw, err, err_len);
  explicit_bzero(pw, sizeof pw);
  if (rc == 0 && strlen(c->user) >= SR_SINK_CREDENTIAL_USER_MAX) {
    snprintf(err, err_len, "--user is too long");
    rc = -1;
  }
  return rc;
}

int32_t credentials_get(void *user_data, const char *table, int32_t after_auth_failure,
                        char *user, char *password) {
  (void)table;
  (void)after_auth_failure; /* re-reading the source is all a rotation needs */
  const credentials *c = user_data;
  char err[256];
  snprintf(user, SR_SINK_CREDENTIAL_USER_MAX, "%s", c->user);
  return read_password(c, password, SR_SINK_CREDENTIAL_PASSWORD_MAX, err, sizeof err) == 0 ? 0
                                                                                          : 1;
}
