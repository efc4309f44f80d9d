/* The credentials callback sr-load registers. The password is read from an environment
 * variable or a file at every request (so it can rotate while a long load runs) and is never
 * printed: errors name the variable or the file, not its content. */
#ifndef SR_LOAD_CREDENTIALS_H
#define SR_LOAD_CREDENTIALS_H

#include <stddef.h>
#include <stdint.h>

typedef struct credentials {
  const char *user;
  const char *password_env;  /* exactly one of these two */
  const char *password_file;
} credentials;

/* Checks up front that the password source is readable. Returns 0 or -1 with a message. */
int credentials_check(const credentials *c, char *err, size_t err_len);

/* sr_sink_host_credentials_fn. */
int32_t credentials_get(void *user_data, const char *table, int32_t after_auth_failure,
                        char *user, char *password);

#endif
