// The Stream Load `columns` header both load paths send (plain loads in stream_load.cpp and
// transaction loads in txn_ops_http.cpp): the written columns, then `__op`.
#pragma once
#include <string>
#include <vector>

namespace srs {

// "`id`,`order`,`a b`,__op": each column backquoted (a backquote inside is doubled). The FE parses
// the header as SQL column references, so a column named like a keyword (`select`, `order`) or
// holding a space or a comma fails unquoted. `__op` is StarRocks' own pseudo column.
std::string load_columns_header(const std::vector<std::string>& columns);

}  // namespace srs
