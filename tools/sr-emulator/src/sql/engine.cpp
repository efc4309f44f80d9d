#include "sql/engine.h"

#include <cctype>

#include "sql/statements.h"

namespace sremu {

SqlError make_error(int http_status, int code, const std::string& sqlstate, const std::string& message) {
  SqlError e;
  e.http_status = http_status;
  e.code = code;
  e.sqlstate = sqlstate;
  e.message = message;
  return e;
}

SqlError syntax_error(const std::string& detail) {
  return make_error(500, 1064, "42000", "Getting syntax error. Detail message: " + detail + ".");
}

SqlError analysis_error(const std::string& detail) {
  return make_error(500, 1064, "HY000", "Getting analyzing error. Detail message: " + detail + ".");
}

TableStore* resolve_table(Emulator& emu, const SqlSession& s, const std::string& table, const std::string& db,
                          SqlError* err) {
  std::string d = db.empty() ? s.db : db;
  if (d.empty()) {
    *err = make_error(500, 1046, "3D000", "Getting analyzing error. Detail message: No database selected.");
    return nullptr;
  }
  if (emu.catalog.db(d) == nullptr) {
    *err = analysis_error("Unknown database '" + d + "'");
    return nullptr;
  }
  TableStore* t = emu.catalog.table(d, table);
  if (t == nullptr) *err = analysis_error("Unknown table '" + d + "." + table + "'");
  return t;
}

bool like_match(const std::string& text, const std::string& pattern) {
  // Iterative wildcard match with backtracking on the last '%'.
  size_t t = 0, p = 0, star = std::string::npos, mark = 0;
  auto eq = [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  };
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '_' || (pattern[p] != '%' && eq(pattern[p], text[t])))) {
      ++t;
      ++p;
    } else if (p < pattern.size() && pattern[p] == '%') {
      star = p++;
      mark = t;
    } else if (star != std::string::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '%') ++p;
  return p == pattern.size();
}

std::optional<SqlError> run_sql(Emulator& emu, SqlSession& session, const std::string& query, SqlResult* out) {
  *out = SqlResult();
  std::vector<Tok> toks;
  std::string err;
  if (!tokenize(query, &toks, &err)) return syntax_error(err);
  while (!toks.empty() && toks.back().kind == Tok::kPunct && toks.back().text == ";") toks.pop_back();
  if (toks.empty()) return make_error(400, 1065, "42000", "Query was empty");
  for (const Tok& t : toks) {
    if (t.kind == Tok::kPunct && t.text == ";") {
      return syntax_error("multiple statements in one query are not supported");
    }
  }
  Cursor c{toks};
  if (c.kw("SELECT")) return run_select(emu, session, c, out);
  if (c.kw("SHOW")) return run_show(emu, session, c, out);
  if (c.kw("DESC") || c.kw("DESCRIBE")) return run_desc(emu, session, c, out);
  if (c.kw("SET")) return run_set(emu, session, c, out);
  if (c.kw("CREATE")) return run_create(emu, session, c, out);
  if (c.kw("DROP")) return run_drop(emu, session, c, out);
  if (c.kw("USE")) {
    std::string db;
    if (!c.ident(&db) || !c.done()) return syntax_error("USE needs one database name");
    std::lock_guard<std::mutex> lock(emu.mu);
    if (upper(db) != "INFORMATION_SCHEMA" && emu.catalog.db(db) == nullptr) {
      return make_error(500, 1049, "42000", "Unknown database '" + db + "'");
    }
    session.db = db;
    return std::nullopt;
  }
  // Transaction control: StarRocks accepts these outside an explicit transaction as no-ops.
  if (c.kw("BEGIN") || c.kw("COMMIT") || c.kw("ROLLBACK") || (c.kw("START") && c.kw("TRANSACTION"))) {
    c.kw("WORK");
    if (c.done()) return std::nullopt;
  }
  return syntax_error("Unexpected input '" + toks[0].text +
                      "', the emulator answers SELECT, SHOW, DESC, SET, USE, CREATE DATABASE|TABLE and DROP TABLE only");
}

}  // namespace sremu
