// The HTTP SQL API (spec §5.3): one statement per POST, answered with NDJSON lines — a
// connectionId line, a meta line, one {"data":[...]} line per row, a statistics line. Used by
// table discovery (schema.cpp) and label listing (txn_ops_http.cpp).
#pragma once
#include <string>
#include <vector>

#include "http.h"

namespace srs {

// 'text' with ' doubled and \ escaped: a StarRocks SQL string literal.
std::string sql_string(const std::string& text);

// POST `target` (".../sql") with {"query": query}.
HttpRequest sql_request(const std::string& target, const std::string& query);

struct SqlAnswer {
  bool has_meta = false;  // a result set's meta line was there (a SELECT answer)
  // Each data line's values as text: strings as they are, null as "", others as JSON.
  std::vector<std::vector<std::string>> rows;
};
SqlAnswer parse_sql_answer(const std::string& body);

}  // namespace srs
