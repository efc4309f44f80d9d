/* Buffered reading of one input (a file or stdin) by records, tracking the byte offset and line
 * number of every record so a checkpoint can name an exact resume position. */
#ifndef SR_LOAD_READER_H
#define SR_LOAD_READER_H

#include <stddef.h>
#include <stdint.h>

typedef struct reader {
  const char *path;   /* as given; "-" is stdin */
  int fd;
  int eof;
  char *buf;
  size_t cap, start, end; /* unread bytes are buf[start..end) */
  uint64_t buf_off;       /* input offset of buf[0] */
  uint64_t line;          /* line number of the next unread byte, 1-based */
  uint64_t size;          /* size of a regular file, 0 if unknown */
  /* Called before a read from a pipe or terminal would block, and about once a second while it
   * stays blocked: a streaming source (stdin fed by another program) should not keep rows
   * already read waiting for more input. Non-zero stops the read (it fails). May be NULL. */
  int (*before_block)(void *user_data);
  void *before_block_data;
  /* When >= 0, a blocking read also waits for this fd to become readable and then fails with
   * "interrupted" (Ctrl-C must not wait for the next line on stdin). */
  int wake_fd;
} reader;

/* Opens `path` ("-" = stdin). On failure returns -1 with a message naming the file in err. */
int reader_open(reader *r, const char *path, char *err, size_t err_len);
void reader_close(reader *r);

/* Offset of the next unread byte. */
static inline uint64_t reader_offset(const reader *r) { return r->buf_off + r->start; }

/* Moves to `offset` (whose line number is `line`): seeks a regular file, reads and discards
 * from a pipe. Fails if the input is shorter than offset. */
int reader_skip_to(reader *r, uint64_t offset, uint64_t line, char *err, size_t err_len);

/* Next line without its "\n" (and a trailing "\r"). Returns 1 and sets *p, *n, *line_no (valid
 * until the next call), 0 at the end, -1 on a read error (message in err). */
int reader_next_line(reader *r, const char **p, size_t *n, uint64_t *line_no, char *err,
                     size_t err_len);

/* Like reader_next_line, but a record is one CSV row: newlines inside double quotes belong to
 * the field (RFC 4180). */
int reader_next_csv_record(reader *r, const char **p, size_t *n, uint64_t *line_no, char *err,
                           size_t err_len);

#endif
