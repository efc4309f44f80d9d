// What the library parses of StarRocks' other answers: the error log behind a load's ErrorURL
// (rejected rows) and the HTTP SQL API's NDJSON replies (table discovery, label listing). Never a
// crash; every non-empty error-log line is one row (none dropped, none made up).
#include <string>

#include "fuzz_check.h"
#include "fuzz_input.h"
#include "rejected_rows.h"
#include "sql_api.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::Input in(data, size);
  const uint8_t which = in.byte();
  const std::string text(in.rest());
  if (which & 1) {
    // Every non-empty line is one rejected row (none dropped, none made up).
    size_t lines = 0;
    for (size_t pos = 0; pos < text.size();) {
      size_t nl = text.find('\n', pos);
      size_t end = nl == std::string::npos ? text.size() : nl;
      size_t len = end - pos;
      if (len > 0 && text[end - 1] == '\r') --len;
      if (len > 0) ++lines;
      pos = end + 1;
    }
    const auto rows = srs::parse_error_log(text);
    FUZZ_CHECK(rows.size() == lines, "%zu rows from %zu lines of `%s`", rows.size(), lines, fuzz::show(text).c_str());
  } else {
    const srs::SqlAnswer a = srs::parse_sql_answer(text);
    for (const auto& row : a.rows) (void)row.size();
  }
  return 0;
}
