// Rows → Stream Load body: NDJSON, each object with "__op" appended.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "status.h"

namespace srs {

// Checks that `row` is exactly one syntactically valid JSON object (surrounding whitespace
// allowed) without a top-level "__op" key. No allocation. On failure returns false and sets
// *why to a short reason ("expected '{'", "unterminated string at byte 17", ...).
bool validate_json_object(std::string_view row, std::string* why);
// The same, and on success sets *line_break (if not null) to whether the row holds a raw '\n' or
// '\r' (which a valid row can only have in whitespace outside strings). Rows without one can be
// encoded without the scan that turns them into spaces.
// `padded`: the row is followed by kFastPadding readable bytes (json_fast.h), which lets the SIMD
// fast path read its last block in place.
bool validate_json_object(std::string_view row, std::string* why, bool* line_break,
                          bool padded = false);
// The same decision by the byte-by-byte recogniser alone, without the SIMD fast path
// (json_fast.h) that validate_json_object tries first. It explains every rejection; tests use it
// as the reference the fast path is checked against.
bool validate_json_object_reference(std::string_view row, std::string* why, bool* line_break);

// The top-level keys of a row as the reference recogniser met them (offsets into the row): the
// key's text between its quotes, whether it holds an escape, and where its value starts. The
// caller provides room for `cap`; later keys are not recorded, and `more` says so.
struct TopLevelKeys {
  struct Key {
    size_t text, len, value;
    bool escaped;
  };
  Key* at;
  size_t cap;
  size_t n;
  bool more;
};
// validate_json_object_reference that also records the row's top-level keys (when it returns true;
// *keys is reset first).
bool validate_json_object_reference(std::string_view row, std::string* why, bool* line_break,
                                    TopLevelKeys* keys);

// Writes the row as one NDJSON line with "__op":op added to dst, which has room for
// row.size() + 16 bytes; returns the line's length. dst may be row.data() (encoding in place).
// `row` must have been validated; `line_break` as for append_row_with_op.
size_t encode_row_with_op(char* dst, std::string_view row, int op, bool line_break);

// Appends the row to `out` as one NDJSON line with "__op":op added:
// `{"id":1}` → `{"id":1,"__op":0}\n`, `{}` → `{"__op":1}\n`. `row` must have been validated.
// `line_break` false (the validator said the row has no raw '\n'/'\r') skips the scan that turns
// them into spaces; true is always correct.
void append_row_with_op(std::string* out, std::string_view row, int op, bool line_break = true);

}  // namespace srs
