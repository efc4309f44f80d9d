// The emulator's one SQL answerer, shared by the HTTP SQL API (sql_api.cpp) and the MySQL protocol
// query port (mysql/). It understands the statements StarRocks clients send:
//   SELECT on information_schema (tables_config, columns, tables, schemata, stream_loads) and on
//     user tables: `SELECT cols|*|COUNT(*) FROM [db.]t [WHERE c = v [AND ...]] [ORDER BY ...]
//     [LIMIT n [OFFSET m]]`; SELECT without FROM of @@variables, current_version(), version(),
//     database(), user(), connection_id() and literals;
//   SHOW DATABASES | TABLES | [FULL] COLUMNS | CREATE TABLE | VARIABLES | WARNINGS | ERRORS; DESC;
//   SET (session variables, NAMES, user variables), USE, BEGIN/COMMIT/ROLLBACK (no-ops);
//   CREATE DATABASE, CREATE TABLE ... KEY(...) DISTRIBUTED BY HASH(...), DROP TABLE.
// Anything else is a syntax error (1064) with StarRocks' message shape; never a crash.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/emulator.h"

namespace sremu {

struct SqlColumn {
  std::string name;
  std::string type;  // StarRocks' column type text: varchar(65533), bigint(20), int(11), decimal(10,2), datetime
};

struct SqlResult {
  // kOk: no result set (SET, USE, CREATE...). kRows: a SELECT. kShow: SHOW/DESC (the HTTP SQL API
  // answers these as one JSON object instead of NDJSON).
  enum Shape { kOk, kRows, kShow } shape = kOk;
  std::vector<SqlColumn> meta;
  std::vector<std::vector<std::string>> rows;  // values as data.h's canonical JSON fragments; "null" = NULL
  int64_t affected_rows = 0;
  int64_t scan_rows = -1;  // -1: the number of returned rows
};

struct SqlError {
  int http_status = 500;     // the HTTP SQL API's status for it
  int code = 1064;           // MySQL error code
  std::string sqlstate = "42000";
  std::string message;       // StarRocks' text
};

enum class SqlFrontend { kHttp, kMysql };

// Per-connection state: the current database, the user, session variables set with SET.
struct SqlSession {
  SqlFrontend frontend = SqlFrontend::kMysql;
  std::string db;
  std::string user = "root";
  std::string client_host = "127.0.0.1";
  uint32_t connection_id = 0;
  std::map<std::string, std::string> vars;        // lower-case name → value (SET)
  std::map<std::string, std::string> user_vars;   // @name → value
};

// Runs one statement (a trailing ';' is allowed). Returns the error, or nullopt and fills *out.
std::optional<SqlError> run_sql(Emulator& emu, SqlSession& session, const std::string& query, SqlResult* out);

// The system variables the emulator knows, with StarRocks' defaults (lower-case names).
std::map<std::string, std::string> default_variables(const Emulator& emu);
// The value of a variable for this session (session value, else default); nullopt when unknown.
std::optional<std::string> variable_value(const Emulator& emu, const SqlSession& s, const std::string& name);

}  // namespace sremu
