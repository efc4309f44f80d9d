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

// Appends the row to `out` as one NDJSON line with "__op":op added:
// `{"id":1}` → `{"id":1,"__op":0}\n`, `{}` → `{"__op":1}\n`. `row` must have been validated.
void append_row_with_op(std::string* out, std::string_view row, int op);

}  // namespace srs
