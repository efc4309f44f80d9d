/* The state file: what sr-load needs to resume exactly once after a crash or Ctrl-C.
 * A small text file, one "key value" per line (easy to read with grep), replaced atomically
 * (write a temporary file, fsync, rename, fsync the directory) so it always holds one complete
 * checkpoint: the library's commit token and the input position right after that checkpoint's
 * last row. */
#ifndef SR_LOAD_STATE_H
#define SR_LOAD_STATE_H

#include <stddef.h>
#include <stdint.h>

typedef struct load_state {
  char *table, *mode, *format, *instance_id;
  char **columns; size_t n_columns;  /* NULL-terminated */
  char **inputs;  size_t n_inputs;   /* NULL-terminated */
  int64_t checkpoint;                /* last durable checkpoint id, 0 = none */
  uint64_t file_index, offset, line; /* resume position */
  uint64_t rows;                     /* rows up to this checkpoint, all runs */
  uint8_t *token; size_t token_len;  /* commit token (on_checkpoint), may be empty */
  int done;                          /* every input was read to its end */
} load_state;

/* Reads `path`. Returns 1 if read, 0 if it does not exist, -1 with a message on error. */
int state_read(const char *path, load_state *st, char *err, size_t err_len);

/* Atomically replaces `path` with `st`. Returns 0 or -1 with a message. */
int state_write(const char *path, const load_state *st, char *err, size_t err_len);

void state_free(load_state *st);

#endif
