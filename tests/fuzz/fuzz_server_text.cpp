// What the library parses of StarRocks' other answers: the error log behind a load's ErrorURL
// (rejected rows) and the HTTP SQL API's NDJSON replies (table discovery, label listing). Never a
// crash; every error-log line gives a reason.
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
    for (const auto& r : srs::parse_error_log(text)) {
      FUZZ_CHECK(!r.reason.empty() || !r.row.empty(), "an empty error-log row from `%s`", fuzz::show(text).c_str());
    }
  } else {
    const srs::SqlAnswer a = srs::parse_sql_answer(text);
    for (const auto& row : a.rows) (void)row.size();
  }
  return 0;
}
