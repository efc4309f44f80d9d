// The HTTP SQL API pieces of label listing (information_schema.stream_loads): quoting the query's
// literals and reading the NDJSON rows StarRocks answers (spec §5.3).
#pragma once
#include <string>
#include <vector>

#include "status.h"
#include "txn_ops.h"

namespace srs {

// 'text' with ' doubled and \ escaped: a StarRocks SQL string literal.
std::string sql_string(const std::string& text);

// "text" as a JSON string.
std::string json_string(const std::string& text);

// The {"data":["<label>","<state>"]} lines of a SELECT LABEL, STATE answer (connectionId, meta and
// statistics lines are skipped). A body with no meta line is not a SELECT answer:
// SR_SINK_E_NOT_SUPPORTED.
Result<std::vector<ListedLabel>> parse_label_rows(const std::string& body);

}  // namespace srs
