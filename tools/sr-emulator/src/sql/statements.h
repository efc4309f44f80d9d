// Internal to the SQL engine: the statement handlers behind run_sql (engine.cpp dispatches) and
// the error constructors with StarRocks' message shapes.
#pragma once
#include <optional>
#include <string>

#include "sql/engine.h"
#include "sql/lexer.h"

namespace sremu {

using SqlOutcome = std::optional<SqlError>;

// "Getting syntax error ... Detail message: <detail>." (1064, 42000).
SqlError syntax_error(const std::string& detail);
// "Getting analyzing error. Detail message: <detail>." (1064, HY000).
SqlError analysis_error(const std::string& detail);
SqlError make_error(int http_status, int code, const std::string& sqlstate, const std::string& message);

SqlOutcome run_select(Emulator& emu, SqlSession& s, Cursor& c, SqlResult* out);  // after SELECT
SqlOutcome run_show(Emulator& emu, SqlSession& s, Cursor& c, SqlResult* out);    // after SHOW
SqlOutcome run_desc(Emulator& emu, SqlSession& s, Cursor& c, SqlResult* out);    // after DESC
SqlOutcome run_set(Emulator& emu, SqlSession& s, Cursor& c, SqlResult* out);     // after SET
SqlOutcome run_create(Emulator& emu, SqlSession& s, Cursor& c, SqlResult* out);  // after CREATE
SqlOutcome run_drop(Emulator& emu, SqlSession& s, Cursor& c, SqlResult* out);    // after DROP

// Resolves [db.]table for the session (mu held); on failure returns the error.
TableStore* resolve_table(Emulator& emu, const SqlSession& s, const std::string& table, const std::string& db,
                          SqlError* err);

// SQL LIKE with % and _, case-insensitive (SHOW ... LIKE).
bool like_match(const std::string& text, const std::string& pattern);

}  // namespace sremu
