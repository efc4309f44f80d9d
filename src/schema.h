// Table discovery over HTTP (spec §5.5) and the checks sr_sink_open makes against it.
#pragma once
#include <atomic>
#include <string>
#include <vector>

#include "status.h"

namespace srs {

class HttpClient;
struct Options;

struct TableColumn {
  std::string name;
  bool is_key = false;
  // The top-level type name upper-cased ("VARCHAR", "JSON", "ARRAY", "DECIMAL128"...), "" when
  // the server did not say. CSV bodies need it: a JSON column reads a field as JSON text, a
  // VARCHAR column as the string itself.
  std::string type;
};

struct TableInfo {
  std::string keys_type;  // PRIMARY_KEYS, DUP_KEYS, UNIQUE_KEYS, AGG_KEYS
  std::vector<TableColumn> columns;
  std::string source;     // which endpoint answered ("v2 schema API", "HTTP SQL API")
};

// 1. GET /api/v2/catalogs/default_catalog/databases/{db}/tables/{t}/schema
// 2. else the HTTP SQL API: information_schema.tables_config and .columns
// 3. else /api/{db}/{t}/_schema, which cannot tell the keys type: SR_SINK_E_SCHEMA saying so.
// A missing database or table is SR_SINK_E_SCHEMA naming it. Transport failures are retried
// (max_retries, retry_backoff_ms).
Result<TableInfo> discover_table(HttpClient& http, const Options& options, const std::string& db,
                                 const std::string& table, const std::atomic<bool>* cancelled);

// Primary Key table; every key column written; every written column exists; no duplicates and no
// "__op". SR_SINK_E_SCHEMA naming table and column.
Status check_table(const TableInfo& info, const std::string& db, const std::string& table,
                   const std::vector<std::string>& written);

}  // namespace srs
