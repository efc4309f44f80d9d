// SHOW DATABASES | [FULL] TABLES | [FULL] COLUMNS | CREATE TABLE | VARIABLES | WARNINGS | ERRORS |
// STATUS | COLLATION | CHARSET, and DESC: the result shapes of StarRocks' ShowExecutor.
#include <algorithm>

#include "core/json_util.h"
#include "sql/schema_types.h"
#include "sql/statements.h"

namespace sremu {
namespace {

const char* kVc = "varchar(20)";

std::string q(const std::string& v) { return json_quote(v); }

// [LIKE 'pattern'] or [WHERE <col> = 'v'] after a SHOW; sets *pattern ("" = no filter).
SqlOutcome show_filter(Cursor& c, std::string* pattern) {
  pattern->clear();
  if (c.kw("LIKE")) {
    if (!c.literal(pattern)) return syntax_error("expected a pattern after LIKE");
  } else if (c.kw("WHERE")) {
    std::string col;
    if (!c.ident(&col) || !c.punct("=") || !c.literal(pattern)) return syntax_error("the emulator supports WHERE <col> = 'v' only");
  }
  if (!c.done()) return syntax_error("Unexpected input '" + c.near() + "'");
  return std::nullopt;
}

SqlOutcome describe(Emulator& emu, SqlSession& s, const std::string& table, const std::string& db, SqlResult* out) {
  std::lock_guard<std::mutex> lock(emu.mu);
  SqlError err;
  TableStore* t = resolve_table(emu, s, table, db, &err);
  if (t == nullptr) return err;
  out->shape = SqlResult::kShow;
  out->meta = {{"Field", kVc}, {"Type", kVc}, {"Null", kVc}, {"Key", kVc}, {"Default", kVc}, {"Extra", kVc}};
  for (const Column& col : t->schema.columns) {
    std::string type = col.type.kind == TypeKind::kString ? "varchar(65533)" : lower(col.type.text);
    std::string extra = (!col.key && t->schema.keys_type == "AGG_KEYS") ? "REPLACE" : "";
    out->rows.push_back({q(col.name), q(type), q(col.nullable ? "YES" : "NO"), q(col.key ? "true" : "false"),
                         col.default_value ? q(*col.default_value) : "null", q(extra)});
  }
  return std::nullopt;
}

}  // namespace

SqlOutcome run_desc(Emulator& emu, SqlSession& s, Cursor& c, SqlResult* out) {
  std::string table, db;
  if (!c.qualified(&table, &db) || !c.done()) return syntax_error("bad DESC");
  return describe(emu, s, table, db, out);
}

SqlOutcome run_show(Emulator& emu, SqlSession& s, Cursor& c, SqlResult* out) {
  out->shape = SqlResult::kShow;
  bool full = c.kw("FULL");
  if (!full) {
    if (c.kw("GLOBAL") || c.kw("SESSION") || c.kw("LOCAL")) {
      if (!c.is_kw("VARIABLES") && !c.is_kw("STATUS")) return syntax_error("expected VARIABLES or STATUS");
    }
  }
  std::string pattern;
  if (c.kw("DATABASES") || c.kw("SCHEMAS")) {
    if (auto e = show_filter(c, &pattern)) return e;
    out->meta = {{"Database", kVc}};
    std::vector<std::string> names{"information_schema"};
    std::lock_guard<std::mutex> lock(emu.mu);
    for (auto& d : emu.catalog.databases()) names.push_back(d.first);
    std::sort(names.begin(), names.end());
    for (const auto& n : names) {
      if (pattern.empty() || like_match(n, pattern)) out->rows.push_back({q(n)});
    }
    return std::nullopt;
  }
  if (c.kw("TABLES")) {
    std::string db = s.db;
    if (c.kw("FROM") || c.kw("IN")) {
      if (!c.ident(&db)) return syntax_error("expected a database name");
    }
    if (auto e = show_filter(c, &pattern)) return e;
    if (db.empty()) return make_error(500, 1046, "3D000", "No database selected");
    std::lock_guard<std::mutex> lock(emu.mu);
    Database* d = emu.catalog.db(db);
    if (d == nullptr) return make_error(500, 1049, "42000", "Unknown database '" + db + "'");
    out->meta = {{"Tables_in_" + db, kVc}};
    if (full) out->meta.push_back({"Table_type", kVc});
    for (auto& kv : d->tables) {
      if (!pattern.empty() && !like_match(kv.first, pattern)) continue;
      out->rows.push_back({q(kv.first)});
      if (full) out->rows.back().push_back(q("BASE TABLE"));
    }
    return std::nullopt;
  }
  if (c.kw("COLUMNS") || c.kw("FIELDS")) {
    std::string table, db;
    if (!(c.kw("FROM") || c.kw("IN")) || !c.qualified(&table, &db)) return syntax_error("expected FROM <table>");
    if (c.kw("FROM") || c.kw("IN")) {
      if (!c.ident(&db)) return syntax_error("expected a database name");
    }
    if (!c.done()) return syntax_error("Unexpected input '" + c.near() + "'");
    return describe(emu, s, table, db, out);
  }
  if (!full && c.kw("CREATE")) {
    std::string table, db;
    if (!c.kw("TABLE") || !c.qualified(&table, &db) || !c.done()) return syntax_error("bad SHOW CREATE TABLE");
    std::lock_guard<std::mutex> lock(emu.mu);
    SqlError err;
    TableStore* t = resolve_table(emu, s, table, db, &err);
    if (t == nullptr) return err;
    out->meta = {{"Table", kVc}, {"Create Table", "varchar(30)"}};
    out->rows.push_back({q(t->schema.name), q(show_create_table(t->schema, t->key_idx))});
    return std::nullopt;
  }
  if (c.kw("VARIABLES")) {
    if (auto e = show_filter(c, &pattern)) return e;
    out->meta = {{"Variable_name", kVc}, {"Value", kVc}};
    std::lock_guard<std::mutex> lock(emu.mu);
    for (const auto& kv : default_variables(emu)) {
      if (!pattern.empty() && !like_match(kv.first, pattern)) continue;
      out->rows.push_back({q(kv.first), q(variable_value(emu, s, kv.first).value_or(kv.second))});
    }
    return std::nullopt;
  }
  if (c.kw("STATUS")) {
    if (auto e = show_filter(c, &pattern)) return e;
    out->meta = {{"Variable_name", kVc}, {"Value", kVc}};
    return std::nullopt;
  }
  if (c.kw("WARNINGS") || c.kw("ERRORS")) {
    if (c.kw("LIMIT")) {
      std::string n;
      c.literal(&n);
    }
    if (!c.done()) return syntax_error("Unexpected input '" + c.near() + "'");
    out->meta = {{"Level", kVc}, {"Code", "int(11)"}, {"Message", kVc}};
    return std::nullopt;
  }
  if (c.kw("COLLATION")) {
    if (auto e = show_filter(c, &pattern)) return e;
    out->meta = {{"Collation", kVc}, {"Charset", kVc}, {"Id", "bigint(20)"}, {"Default", kVc}, {"Compiled", kVc},
                 {"Sortlen", "bigint(20)"}};
    out->rows.push_back({q("utf8_general_ci"), q("utf8"), "33", q("Yes"), q("Yes"), "1"});
    return std::nullopt;
  }
  if (c.kw("CHARSET") || (c.kw("CHARACTER") && c.kw("SET"))) {
    if (auto e = show_filter(c, &pattern)) return e;
    out->meta = {{"Charset", kVc}, {"Description", kVc}, {"Default collation", kVc}, {"Maxlen", "bigint(20)"}};
    out->rows.push_back({q("utf8"), q("UTF-8 Unicode"), q("utf8_general_ci"), "3"});
    return std::nullopt;
  }
  return syntax_error("Unexpected input '" + c.near() +
                      "', the emulator answers SHOW DATABASES, TABLES, COLUMNS, CREATE TABLE, VARIABLES, WARNINGS, "
                      "ERRORS, STATUS, COLLATION and CHARSET");
}

}  // namespace sremu
