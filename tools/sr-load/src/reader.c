#define _GNU_SOURCE
#include "reader.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strbuf.h"

enum { INITIAL_BUF = 1 << 20 };

int reader_open(reader *r, const char *path, char *err, size_t err_len) {
  memset(r, 0, sizeof *r);
  r->path = path;
  if (strcmp(path, "-") == 0) {
    r->fd = STDIN_FILENO;
  } else {
    r->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (r->fd < 0) {
      snprintf(err, err_len, "%s: %s", path, strerror(errno));
      return -1;
    }
  }
  struct stat st;
  if (fstat(r->fd, &st) == 0 && S_ISREG(st.st_mode)) r->size = (uint64_t)st.st_size;
  r->cap = INITIAL_BUF;
  r->buf = xmalloc(r->cap);
  r->line = 1;
  r->wake_fd = -1;
  return 0;
}

void reader_close(reader *r) {
  if (r->fd > STDIN_FILENO) close(r->fd);
  free(r->buf);
  r->buf = NULL;
  r->fd = -1;
}

/* Reads more input after the unread bytes, moving them to the front first and growing the
 * buffer when a single record fills it. Returns bytes read, 0 at EOF, -1 on error. */
static ssize_t fill(reader *r, char *err, size_t err_len) {
  if (r->eof) return 0;
  if (r->start > 0) {
    memmove(r->buf, r->buf + r->start, r->end - r->start);
    r->buf_off += r->start;
    r->end -= r->start;
    r->start = 0;
  }
  if (r->end == r->cap) {
    r->cap *= 2;
    r->buf = xrealloc(r->buf, r->cap);
  }
  if (!r->size && (r->before_block || r->wake_fd >= 0)) {
    struct pollfd pfd[2] = {{r->fd, POLLIN, 0}, {r->wake_fd, POLLIN, 0}};
    nfds_t n = r->wake_fd >= 0 ? 2 : 1;
    for (;;) {
      int ready = poll(pfd, n, 0);
      if (ready < 0 && errno == EINTR) continue;
      if (ready != 0) break;
      if (r->before_block && r->before_block(r->before_block_data) != 0) {
        snprintf(err, err_len, "%s: reading stopped", r->path);
        return -1;
      }
      ready = poll(pfd, n, 1000);
      if (ready > 0) break;
    }
    if (n == 2 && pfd[1].revents) {
      snprintf(err, err_len, "%s: interrupted", r->path);
      return -1;
    }
  }
  for (;;) {
    ssize_t got = read(r->fd, r->buf + r->end, r->cap - r->end);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      snprintf(err, err_len, "%s: read failed: %s", r->path, strerror(errno));
      return -1;
    }
    if (got == 0) r->eof = 1;
    r->end += (size_t)got;
    return got;
  }
}

int reader_skip_to(reader *r, uint64_t offset, uint64_t line, char *err, size_t err_len) {
  if (offset <= reader_offset(r)) return 0;
  if (r->size && offset <= r->size && lseek(r->fd, (off_t)offset, SEEK_SET) == (off_t)offset) {
    r->start = r->end = 0;
    r->buf_off = offset;
    r->line = line;
    return 0;
  }
  /* Not seekable (a pipe): read and drop what the previous run already loaded. */
  while (reader_offset(r) < offset) {
    if (r->start == r->end) {
      ssize_t got = fill(r, err, err_len);
      if (got < 0) return -1;
      if (got == 0) {
        snprintf(err, err_len,
                 "%s: input ends at byte %llu, before the resume position %llu in the state file "
                 "(is this the same input?)",
                 r->path, (unsigned long long)reader_offset(r), (unsigned long long)offset);
        return -1;
      }
    }
    uint64_t want = offset - reader_offset(r);
    size_t avail = r->end - r->start;
    r->start += want < avail ? (size_t)want : avail;
  }
  r->line = line;
  return 0;
}

static void take(reader *r, size_t rec_len, size_t consumed, uint64_t newlines, const char **p,
                 size_t *n, uint64_t *line_no) {
  const char *rec = r->buf + r->start;
  while (rec_len > 0 && rec[rec_len - 1] == '\r') rec_len--;
  *p = rec;
  *n = rec_len;
  *line_no = r->line;
  r->line += newlines;
  r->start += consumed;
}

int reader_next_line(reader *r, const char **p, size_t *n, uint64_t *line_no, char *err,
                     size_t err_len) {
  size_t scanned = 0; /* bytes after start already known to hold no newline */
  for (;;) {
    char *nl = memchr(r->buf + r->start + scanned, '\n', r->end - r->start - scanned);
    if (nl) {
      size_t len = (size_t)(nl - (r->buf + r->start));
      take(r, len, len + 1, 1, p, n, line_no);
      return 1;
    }
    scanned = r->end - r->start;
    ssize_t got = fill(r, err, err_len);
    if (got < 0) return -1;
    if (got == 0) {
      if (r->start == r->end) return 0;
      size_t len = r->end - r->start; /* last line without a newline */
      take(r, len, len, 0, p, n, line_no);
      return 1;
    }
  }
}

int reader_next_csv_record(reader *r, const char **p, size_t *n, uint64_t *line_no, char *err,
                           size_t err_len) {
  size_t i = 0; /* scan position relative to start, kept across refills */
  int in_quotes = 0;
  uint64_t newlines = 0;
  for (;;) {
    const char *b = r->buf + r->start;
    size_t avail = r->end - r->start;
    for (; i < avail; i++) {
      char c = b[i];
      if (c == '"') {
        in_quotes = !in_quotes; /* a doubled quote toggles twice: still inside */
      } else if (c == '\n') {
        if (!in_quotes) {
          take(r, i, i + 1, newlines + 1, p, n, line_no);
          return 1;
        }
        newlines++;
      }
    }
    ssize_t got = fill(r, err, err_len);
    if (got < 0) return -1;
    if (got == 0) {
      if (r->start == r->end) return 0;
      if (in_quotes) {
        snprintf(err, err_len, "%s:%llu: unterminated quoted field at the end of the input",
                 r->path, (unsigned long long)r->line);
        return -1;
      }
      size_t len = r->end - r->start;
      take(r, len, len, newlines, p, n, line_no);
      return 1;
    }
  }
}
