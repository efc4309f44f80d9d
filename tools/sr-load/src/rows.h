/* Input records → the rows sr_sink_write takes: one JSON object per row plus an op.
 *   NDJSON: the object is passed through byte for byte, minus the op field.
 *   CSV:    the header names the fields; every value becomes a JSON string (StarRocks converts
 *           strings to the column's type, spec §6.1), except an unquoted empty field or \N,
 *           which become null. A quoted empty field ("") is the empty string.
 * The op field (default "__op") is removed from the row: 1, true, "1" or "delete" (any case)
 * make the row a delete; 0, false, null, "0", "upsert", "insert", "update" or no op field make
 * it an upsert; anything else is an error. */
#ifndef SR_LOAD_ROWS_H
#define SR_LOAD_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "json_scan.h"
#include "strbuf.h"

enum { FORMAT_NDJSON = 0, FORMAT_CSV = 1 };

typedef struct csv_field {
  size_t off, len; /* into the converter's scratch buffer */
  int quoted;
} csv_field;

typedef struct row_conv {
  int format;
  const char *op_field;
  const char *const *columns; /* keys a row may carry (the columns given to sr_sink_open) */
  size_t n_columns;
  char delim;                 /* CSV field separator */
  /* CSV header, set by row_conv_set_header */
  char **header;
  char **header_json;         /* "\"name\":" ready to copy */
  size_t n_header;
  long op_index;              /* header position of the op field, -1 if none */
  /* scratch */
  json_members members;
  strbuf scratch;
  csv_field *fields;
  size_t n_fields, cap_fields;
} row_conv;

void row_conv_init(row_conv *c, int format, const char *op_field, char delim);
void row_conv_free(row_conv *c);

/* Splits one CSV record into fields (RFC 4180 quoting, "" is a quote inside a quoted field).
 * Fields are in c->fields, their text in c->scratch. Returns 0 or -1 with a reason. */
int csv_split(row_conv *c, const char *p, size_t n, char *why, size_t why_len);

/* CSV: takes the header record. Fails on empty or duplicate names. */
int row_conv_set_header(row_conv *c, const char *p, size_t n, char *why, size_t why_len);

/* The columns this input carries: CSV header minus the op field; NDJSON: the keys of `first_row`
 * minus the op field. Returns a NULL-terminated array the caller frees with free_strv. */
char **row_conv_infer_columns(row_conv *c, const char *first_row, size_t n, char *why,
                              size_t why_len);
void free_strv(char **v);

/* Sets the keys rows may carry (borrowed). CSV: checks that every header field is among them. */
int row_conv_set_columns(row_conv *c, const char *const *columns, size_t n, char *why,
                         size_t why_len);

/* Converts one record: appends the JSON object to *out, sets *op. Returns 0, 1 for a blank line
 * (nothing appended), -1 with a reason. */
int row_convert(row_conv *c, const char *p, size_t n, strbuf *out, uint8_t *op, char *why,
                size_t why_len);

#endif
