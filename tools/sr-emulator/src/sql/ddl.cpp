// CREATE DATABASE, CREATE TABLE (the types the catalog knows; key clause, DISTRIBUTED BY,
// PROPERTIES accepted; partitions refused) and DROP TABLE. Tables created here are the same as
// --catalog / admin-created ones and are journaled the same way (survive --data-dir restarts).
#include "core/json_util.h"
#include "sql/statements.h"

namespace sremu {
namespace {

// Reads a column type up to the next ',' / ')' / attribute keyword at depth 0, re-spelled from tokens.
bool read_type(Cursor& c, std::string* type) {
  int depth = 0;
  std::string out;
  bool prev_word = false;
  while (!c.done()) {
    const Tok& t = *c.peek();
    if (depth == 0) {
      if (t.kind == Tok::kPunct && (t.text == "," || t.text == ")")) break;
      if (t.kind == Tok::kIdent && !t.quoted && !out.empty()) {
        std::string u = upper(t.text);
        if (u == "NOT" || u == "NULL" || u == "DEFAULT" || u == "COMMENT" || u == "AUTO_INCREMENT" || u == "KEY" ||
            u == "PRIMARY" || u == "REPLACE" || u == "SUM" || u == "MAX" || u == "MIN" || u == "AS") {
          break;
        }
      }
    }
    if (t.kind == Tok::kPunct && (t.text == "(" || t.text == "<")) ++depth;
    if (t.kind == Tok::kPunct && (t.text == ")" || t.text == ">")) --depth;
    bool word = t.kind == Tok::kIdent || t.kind == Tok::kNumber;
    if (word && prev_word) out.push_back(' ');
    out += t.text;
    prev_word = word;
    ++c.p;
  }
  *type = out;
  return !out.empty() && depth == 0;
}

bool ident_list(Cursor& c, std::vector<std::string>* names) {
  if (!c.punct("(")) return false;
  do {
    std::string n;
    if (!c.ident(&n)) return false;
    names->push_back(n);
  } while (c.punct(","));
  return c.punct(")");
}

SqlOutcome create_database(Emulator& emu, Cursor& c) {
  bool if_not_exists = false;
  if (c.kw("IF")) {
    if (!c.kw("NOT") || !c.kw("EXISTS")) return syntax_error("expected IF NOT EXISTS");
    if_not_exists = true;
  }
  std::string db;
  if (!c.ident(&db)) return syntax_error("expected a database name");
  while (c.kw("PROPERTIES") || c.kw("CHARACTER") || c.kw("SET") || c.kw("DEFAULT")) {  // accepted, ignored
    while (!c.done()) ++c.p;
  }
  if (!c.done()) return syntax_error("Unexpected input '" + c.near() + "'");
  std::lock_guard<std::mutex> lock(emu.mu);
  if (emu.catalog.db(db) != nullptr || upper(db) == "INFORMATION_SCHEMA") {
    if (if_not_exists) return std::nullopt;
    return make_error(500, 1007, "HY000", "Can't create database '" + db + "'; database exists");
  }
  emu.catalog.ensure_db(db);
  emu.journal.append(JsonObject().str("t", "db").str("db", db).done(), true);
  return std::nullopt;
}

SqlOutcome create_table(Emulator& emu, SqlSession& s, Cursor& c) {
  bool if_not_exists = false;
  if (c.kw("IF")) {
    if (!c.kw("NOT") || !c.kw("EXISTS")) return syntax_error("expected IF NOT EXISTS");
    if_not_exists = true;
  }
  std::string table, db;
  if (!c.qualified(&table, &db)) return syntax_error("expected a table name");
  if (db.empty()) db = s.db;
  if (db.empty()) return make_error(500, 1046, "3D000", "No database selected");
  if (!c.punct("(")) return syntax_error("expected '(' and the column list after the table name");
  struct Col { std::string name, type, def; bool has_default = false; int null = -1; };  // null: -1 unset, 0 NOT NULL, 1 NULL
  std::vector<Col> cols;
  do {
    if (c.is_kw("INDEX") || c.is_kw("KEY") || c.is_kw("PRIMARY") || c.is_kw("CONSTRAINT")) {
      return syntax_error("the emulator does not support indexes or constraints in CREATE TABLE");
    }
    Col col;
    if (!c.ident(&col.name)) return syntax_error("expected a column name, near '" + c.near() + "'");
    if (!read_type(c, &col.type)) return syntax_error("expected a type for column " + col.name);
    while (!c.done() && !c.is_kw("__never__")) {
      if (c.kw("NOT")) {
        if (!c.kw("NULL")) return syntax_error("expected NULL after NOT");
        col.null = 0;
      } else if (c.kw("NULL")) {
        col.null = 1;
      } else if (c.kw("DEFAULT")) {
        if (c.kw("CURRENT_TIMESTAMP")) {
          return syntax_error("the emulator does not support DEFAULT CURRENT_TIMESTAMP");
        }
        if (!c.literal(&col.def)) {
          if (c.kw("NULL")) continue;
          return syntax_error("expected a literal after DEFAULT");
        }
        col.has_default = true;
      } else if (c.kw("COMMENT")) {
        std::string ignored;
        if (!c.literal(&ignored)) return syntax_error("expected a string after COMMENT");
      } else if (c.is_kw("AUTO_INCREMENT") || c.is_kw("REPLACE") || c.is_kw("SUM") || c.is_kw("MAX") ||
                 c.is_kw("MIN") || c.is_kw("AS")) {
        return syntax_error("the emulator does not support " + upper(c.near()) + " columns");
      } else {
        break;
      }
    }
    cols.push_back(col);
  } while (c.punct(","));
  if (!c.punct(")")) return syntax_error("expected ')' after the column list, near '" + c.near() + "'");
  if (c.kw("ENGINE")) {
    std::string engine;
    if (!c.punct("=") || !c.ident(&engine) || upper(engine) != "OLAP") return syntax_error("ENGINE must be OLAP");
  }
  std::string keys_type = "DUP_KEYS";
  std::vector<std::string> keys;
  if (c.is_kw("PRIMARY") || c.is_kw("DUPLICATE") || c.is_kw("UNIQUE") || c.is_kw("AGGREGATE")) {
    std::string k = upper(c.peek()->text);
    ++c.p;
    if (!c.kw("KEY") || !ident_list(c, &keys)) return syntax_error("expected " + k + " KEY(<columns>)");
    keys_type = k == "PRIMARY" ? "PRIMARY_KEYS" : k == "UNIQUE" ? "UNIQUE_KEYS" : k == "AGGREGATE" ? "AGG_KEYS" : "DUP_KEYS";
  }
  if (c.kw("COMMENT")) {
    std::string ignored;
    if (!c.literal(&ignored)) return syntax_error("expected a string after COMMENT");
  }
  if (c.is_kw("PARTITION")) return syntax_error("the emulator does not support partitioned tables");
  if (c.kw("DISTRIBUTED")) {
    std::vector<std::string> hash;
    if (!c.kw("BY")) return syntax_error("expected BY after DISTRIBUTED");
    if (c.kw("HASH")) {
      if (!ident_list(c, &hash)) return syntax_error("expected HASH(<columns>)");
    } else if (!c.kw("RANDOM")) {
      return syntax_error("expected HASH(...) or RANDOM after DISTRIBUTED BY");
    }
    if (c.kw("BUCKETS")) {
      std::string n;
      if (!c.literal(&n)) return syntax_error("expected a number after BUCKETS");
    }
  }
  if (c.kw("ORDER")) {
    std::vector<std::string> order;
    if (!c.kw("BY") || !ident_list(c, &order)) return syntax_error("expected ORDER BY (<columns>)");
  }
  if (c.kw("PROPERTIES")) {
    if (!c.punct("(")) return syntax_error("expected '(' after PROPERTIES");
    do {
      std::string k, v;
      if (!c.literal(&k) || !c.punct("=") || !c.literal(&v)) return syntax_error("expected \"key\" = \"value\" in PROPERTIES");
    } while (c.punct(","));
    if (!c.punct(")")) return syntax_error("expected ')' after PROPERTIES");
  }
  if (!c.done()) return syntax_error("Unexpected input '" + c.near() + "'");
  // Key columns must be the first columns, in key order (StarRocks: "Key columns should be a ordered prefix of the schema").
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i >= cols.size() || upper(cols[i].name) != upper(keys[i])) {
      return analysis_error("Key columns should be a ordered prefix of the schema. KeyColumns[" + std::to_string(i) +
                            "] (starts from zero) is " + keys[i] + ", but corresponding column is " +
                            (i < cols.size() ? cols[i].name : std::string("missing")) + " in the previous columns declaration.");
    }
  }
  std::string columns = "[";
  for (size_t i = 0; i < cols.size(); ++i) {
    bool key = i < keys.size();
    JsonObject o;
    o.str("name", cols[i].name).str("type", cols[i].type).boolean("key", key);
    // Primary key columns are NOT NULL in StarRocks; other columns are nullable unless NOT NULL.
    bool nullable = cols[i].null < 0 ? !(key && keys_type == "PRIMARY_KEYS") : cols[i].null == 1;
    o.boolean("nullable", nullable);
    if (cols[i].has_default) o.str("default", cols[i].def);
    columns += (i ? "," : "") + o.done();
  }
  std::string def = JsonObject().str("keys_type", keys_type).raw("columns", columns + "]").done();
  CJsonDoc doc(cJSON_Parse(def.c_str()));
  std::unique_ptr<TableStore> t;
  std::string err = Catalog::table_from_json(db, table, doc.root, &t);
  if (!err.empty()) return analysis_error(err);
  std::lock_guard<std::mutex> lock(emu.mu);
  if (emu.catalog.db(db) == nullptr) return make_error(500, 1049, "42000", "Unknown database '" + db + "'");
  if (emu.catalog.table(db, table) != nullptr) {
    if (if_not_exists) return std::nullopt;
    return make_error(500, 1050, "42S01", "Table '" + table + "' already exists");
  }
  std::string stored = t->definition;
  emu.catalog.create_table(std::move(t));
  emu.journal.append(JsonObject().str("t", "table").str("db", db).str("table", table).raw("def", stored).done(), true);
  return std::nullopt;
}

}  // namespace

SqlOutcome run_create(Emulator& emu, SqlSession& s, Cursor& c, SqlResult* out) {
  out->shape = SqlResult::kOk;
  if (c.kw("DATABASE") || c.kw("SCHEMA")) return create_database(emu, c);
  c.kw("EXTERNAL");  // refused below with the table kinds the emulator lacks
  if (c.kw("TABLE")) return create_table(emu, s, c);
  return syntax_error("the emulator supports CREATE DATABASE and CREATE TABLE only");
}

SqlOutcome run_drop(Emulator& emu, SqlSession& s, Cursor& c, SqlResult* out) {
  out->shape = SqlResult::kOk;
  if (!c.kw("TABLE")) return syntax_error("the emulator supports DROP TABLE only");
  bool if_exists = false;
  if (c.kw("IF")) {
    if (!c.kw("EXISTS")) return syntax_error("expected IF EXISTS");
    if_exists = true;
  }
  std::string table, db;
  if (!c.qualified(&table, &db)) return syntax_error("expected a table name");
  c.kw("FORCE");
  if (!c.done()) return syntax_error("Unexpected input '" + c.near() + "'");
  if (db.empty()) db = s.db;
  if (db.empty()) return make_error(500, 1046, "3D000", "No database selected");
  std::lock_guard<std::mutex> lock(emu.mu);
  if (!emu.catalog.drop_table(db, table)) {
    if (if_exists) return std::nullopt;
    return analysis_error("Unknown table '" + db + "." + table + "'");
  }
  emu.journal.append(JsonObject().str("t", "drop").str("db", db).str("table", table).done(), true);
  return std::nullopt;
}

}  // namespace sremu
