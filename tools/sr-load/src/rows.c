#include "rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sr_sink.h"
#include "utf8.h"

void row_conv_init(row_conv *c, int format, const char *op_field, char delim) {
  memset(c, 0, sizeof *c);
  c->format = format;
  c->op_field = op_field;
  c->delim = delim;
  c->op_index = -1;
}

void free_strv(char **v) {
  if (!v) return;
  for (char **p = v; *p; p++) free(*p);
  free(v);
}

void row_conv_free(row_conv *c) {
  free_strv(c->header);
  free_strv(c->header_json);
  json_members_free(&c->members);
  sb_free(&c->scratch);
  free(c->fields);
}

static int is_blank(const char *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r') return 0;
  return 1;
}

static int word_is(const char *p, size_t n, const char *w) {
  return strlen(w) == n && strncasecmp(p, w, n) == 0;
}

/* Op from plain text (a CSV field or the content of a JSON string). */
static int op_from_text(const char *p, size_t n, uint8_t *op) {
  if (n == 0 || word_is(p, n, "0") || word_is(p, n, "upsert") || word_is(p, n, "insert") ||
      word_is(p, n, "update") || word_is(p, n, "false")) {
    *op = SR_SINK_OP_UPSERT;
    return 0;
  }
  if (word_is(p, n, "1") || word_is(p, n, "delete") || word_is(p, n, "true")) {
    *op = SR_SINK_OP_DELETE;
    return 0;
  }
  return -1;
}

/* Op from a JSON value's text. */
static int op_from_json(const char *p, size_t n, uint8_t *op) {
  if (n >= 2 && p[0] == '"') return op_from_text(p + 1, n - 2, op);
  if (word_is(p, n, "null")) {
    *op = SR_SINK_OP_UPSERT;
    return 0;
  }
  return op_from_text(p, n, op);
}

static int key_is(const char *key, size_t key_len, int escaped, const char *name, char *tmp,
                  size_t tmp_len) {
  if (!escaped) return strlen(name) == key_len && memcmp(key, name, key_len) == 0;
  int m = json_unescape(key, key_len, tmp, tmp_len);
  return m >= 0 && strcmp(tmp, name) == 0;
}

static int is_column(const row_conv *c, const char *key, size_t key_len, int escaped, char *tmp,
                     size_t tmp_len) {
  for (size_t i = 0; i < c->n_columns; i++)
    if (key_is(key, key_len, escaped, c->columns[i], tmp, tmp_len)) return 1;
  return 0;
}

int csv_split(row_conv *c, const char *p, size_t n, char *why, size_t why_len) {
  c->scratch.len = 0;
  sb_reserve(&c->scratch, 0); /* fields point into it: never NULL, even when they are all empty */
  c->n_fields = 0;
  size_t i = 0;
  for (;;) {
    if (c->n_fields == c->cap_fields) {
      c->cap_fields = c->cap_fields ? c->cap_fields * 2 : 32;
      c->fields = xrealloc(c->fields, c->cap_fields * sizeof *c->fields);
    }
    csv_field *f = &c->fields[c->n_fields++];
    f->off = c->scratch.len;
    f->quoted = 0;
    if (i < n && p[i] == '"') {
      f->quoted = 1;
      i++;
      for (;;) {
        if (i >= n) {
          snprintf(why, why_len, "field %zu: unterminated quoted field", c->n_fields);
          return -1;
        }
        if (p[i] == '"') {
          if (i + 1 < n && p[i + 1] == '"') {
            sb_appendc(&c->scratch, '"');
            i += 2;
            continue;
          }
          i++;
          break;
        }
        sb_appendc(&c->scratch, p[i++]);
      }
      if (i < n && p[i] != c->delim) {
        snprintf(why, why_len, "field %zu: unexpected character after a closing quote",
                 c->n_fields);
        return -1;
      }
    } else {
      size_t start = i;
      while (i < n && p[i] != c->delim) i++;
      sb_append(&c->scratch, p + start, i - start);
    }
    f->len = c->scratch.len - f->off;
    if (i >= n) return 0;
    i++; /* the separator: another field follows, possibly empty */
  }
}

/* Field i of the last csv_split must be valid UTF-8 (StarRocks rejects or mangles other
 * bytes); `what` names it in the reason ("field", "header field"). */
static int check_field_utf8(const row_conv *c, size_t i, const char *what, char *why,
                            size_t why_len) {
  const csv_field *f = &c->fields[i];
  size_t bad;
  if (utf8_check(c->scratch.p + f->off, f->len, &bad) == 0) return 0;
  if (c->header && i < c->n_header && strcmp(what, "field") == 0)
    snprintf(why, why_len, "field %zu (`%s`): invalid UTF-8 at byte %zu of the field", i + 1,
             c->header[i], bad + 1);
  else
    snprintf(why, why_len, "%s %zu: invalid UTF-8 at byte %zu of the field", what, i + 1, bad + 1);
  return -1;
}

int row_conv_set_header(row_conv *c, const char *p, size_t n, char *why, size_t why_len) {
  /* Each CSV input has its own header; forget the previous one. */
  free_strv(c->header);
  free_strv(c->header_json);
  c->header = c->header_json = NULL;
  c->n_header = 0;
  c->op_index = -1;
  if (csv_split(c, p, n, why, why_len) != 0) return -1;
  /* The names are checked before they are copied: a name is a column, so it must be text. */
  for (size_t i = 0; i < c->n_fields; i++) {
    if (c->fields[i].len == 0) {
      snprintf(why, why_len, "header field %zu is empty (every column needs a name)", i + 1);
      return -1;
    }
    if (check_field_utf8(c, i, "header field", why, why_len) != 0) return -1;
  }
  c->n_header = c->n_fields;
  c->header = xmalloc((c->n_header + 1) * sizeof(char *));
  c->header_json = xmalloc((c->n_header + 1) * sizeof(char *));
  for (size_t i = 0; i < c->n_header; i++) {
    csv_field *f = &c->fields[i];
    char *name = xmalloc(f->len + 1);
    memcpy(name, c->scratch.p + f->off, f->len);
    name[f->len] = '\0';
    c->header[i] = name;
    strbuf kj = {0};
    sb_append_json_string(&kj, name, strlen(name));
    sb_appendc(&kj, ':');
    c->header_json[i] = xstrdup(sb_cstr(&kj));
    sb_free(&kj);
  }
  c->header[c->n_header] = c->header_json[c->n_header] = NULL;
  for (size_t i = 0; i < c->n_header; i++) {
    for (size_t j = 0; j < i; j++) {
      if (strcmp(c->header[i], c->header[j]) == 0) {
        snprintf(why, why_len, "header names `%s` twice", c->header[i]);
        return -1;
      }
    }
    if (strcmp(c->header[i], c->op_field) == 0) c->op_index = (long)i;
  }
  return 0;
}

char **row_conv_infer_columns(row_conv *c, const char *first_row, size_t n, char *why,
                              size_t why_len) {
  char **out;
  size_t k = 0;
  if (c->format == FORMAT_CSV) {
    out = xmalloc((c->n_header + 1) * sizeof(char *));
    for (size_t i = 0; i < c->n_header; i++)
      if ((long)i != c->op_index) out[k++] = xstrdup(c->header[i]);
  } else {
    char err[200];
    if (json_scan_object(first_row, n, &c->members, err, sizeof err) != 0) {
      snprintf(why, why_len, "the first row is not a JSON object (%s)", err);
      return NULL;
    }
    out = xmalloc((c->members.n + 1) * sizeof(char *));
    for (size_t i = 0; i < c->members.n; i++) {
      json_member *m = &c->members.v[i];
      char *name = xmalloc(m->key_len + 1);
      if (json_unescape(first_row + m->key_off, m->key_len, name, m->key_len + 1) < 0) {
        free(name);
        continue;
      }
      if (strcmp(name, c->op_field) == 0) {
        free(name);
        continue;
      }
      out[k++] = name;
    }
  }
  out[k] = NULL;
  if (k == 0) {
    snprintf(why, why_len, "found no columns in the input; give them with --columns");
    free_strv(out);
    return NULL;
  }
  return out;
}

int row_conv_set_columns(row_conv *c, const char *const *columns, size_t n, char *why,
                         size_t why_len) {
  c->columns = columns;
  c->n_columns = n;
  if (c->format != FORMAT_CSV) return 0;
  for (size_t i = 0; i < c->n_header; i++) {
    if ((long)i == c->op_index) continue;
    int found = 0;
    for (size_t j = 0; j < n && !found; j++) found = strcmp(columns[j], c->header[i]) == 0;
    if (!found) {
      snprintf(why, why_len, "header field `%s` is not among the columns (--columns)",
               c->header[i]);
      return -1;
    }
  }
  return 0;
}

static int convert_ndjson(row_conv *c, const char *p, size_t n, strbuf *out, uint8_t *op,
                          char *why, size_t why_len) {
  char err[200];
  if (json_scan_object(p, n, &c->members, err, sizeof err) != 0) {
    snprintf(why, why_len, "not a valid JSON object: %s", err);
    return -1;
  }
  char tmp[512];
  *op = SR_SINK_OP_UPSERT;
  sb_appendc(out, '{');
  int first = 1;
  for (size_t i = 0; i < c->members.n; i++) {
    json_member *m = &c->members.v[i];
    const char *key = p + m->key_off;
    if (key_is(key, m->key_len, m->key_escaped, c->op_field, tmp, sizeof tmp)) {
      if (op_from_json(p + m->val_off, m->val_len, op) != 0) {
        snprintf(why, why_len, "op field `%s` is %.*s; expected 0/1, \"upsert\" or \"delete\"",
                 c->op_field, (int)(m->val_len > 40 ? 40 : m->val_len), p + m->val_off);
        return -1;
      }
      continue;
    }
    if (!is_column(c, key, m->key_len, m->key_escaped, tmp, sizeof tmp)) {
      char list[256] = "";
      size_t used = 0;
      for (size_t k = 0; k < c->n_columns && used + 1 < sizeof list; k++) {
        int w = snprintf(list + used, sizeof list - used, "%s%s", k ? ", " : "", c->columns[k]);
        if (w > 0) used += (size_t)w;
      }
      snprintf(why, why_len,
               "key `%.*s` is not among the columns (%s); list every column with --columns",
               (int)(m->key_len > 64 ? 64 : m->key_len), key, list);
      return -1;
    }
    if (!first) sb_appendc(out, ',');
    first = 0;
    /* Copy `"key":value` through unchanged (numbers keep their exact text). */
    sb_append(out, key - 1, m->key_len + 2);
    sb_appendc(out, ':');
    sb_append(out, p + m->val_off, m->val_len);
  }
  sb_appendc(out, '}');
  return 0;
}

static int convert_csv(row_conv *c, const char *p, size_t n, strbuf *out, uint8_t *op,
                       char *why, size_t why_len) {
  if (csv_split(c, p, n, why, why_len) != 0) return -1;
  if (c->n_fields != c->n_header) {
    snprintf(why, why_len, "%zu fields, but the header has %zu", c->n_fields, c->n_header);
    return -1;
  }
  *op = SR_SINK_OP_UPSERT;
  sb_appendc(out, '{');
  int first = 1;
  for (size_t i = 0; i < c->n_fields; i++) {
    csv_field *f = &c->fields[i];
    const char *v = c->scratch.p + f->off;
    if (check_field_utf8(c, i, "field", why, why_len) != 0) return -1;
    if ((long)i == c->op_index) {
      if (op_from_text(v, f->len, op) != 0) {
        snprintf(why, why_len, "op field `%s` is \"%.*s\"; expected 0/1, upsert or delete",
                 c->op_field, (int)(f->len > 40 ? 40 : f->len), v);
        return -1;
      }
      continue;
    }
    if (!first) sb_appendc(out, ',');
    first = 0;
    sb_appendz(out, c->header_json[i]);
    if (!f->quoted && (f->len == 0 || (f->len == 2 && v[0] == '\\' && v[1] == 'N')))
      sb_append(out, "null", 4);
    else
      sb_append_json_string(out, v, f->len);
  }
  sb_appendc(out, '}');
  return 0;
}

int row_convert(row_conv *c, const char *p, size_t n, strbuf *out, uint8_t *op, char *why,
                size_t why_len) {
  if (is_blank(p, n)) return 1;
  if (c->format == FORMAT_CSV) return convert_csv(c, p, n, out, op, why, why_len);
  return convert_ndjson(c, p, n, out, op, why, why_len);
}
