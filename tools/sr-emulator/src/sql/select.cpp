// SELECT: without FROM (variables, functions, literals: what drivers send at connect time), on
// information_schema tables, and on user tables (single-table reads: WHERE conjunctions of
// comparisons, ORDER BY, LIMIT/OFFSET, COUNT(*)). No joins, grouping or expressions on columns.
#include <algorithm>
#include <ctime>

#include "core/json_util.h"
#include "sql/info_schema.h"
#include "sql/schema_types.h"
#include "sql/statements.h"

namespace sremu {
namespace {

struct Item {
  enum Kind { kStar, kCount, kColumn, kVariable, kFunc, kLiteral } kind = kLiteral;
  std::string name;    // column / variable / function (upper) name, literal text
  std::string alias;
  bool system = true;  // kVariable: @@ (system) or @ (user)
  bool string_literal = false;
  int src = -1;        // kColumn: source column index
};

struct Cond {
  int col = -1;
  std::string op;      // = != < <= > >= ISNULL NOTNULL
  std::string literal;
};

bool is_clause_kw(const Cursor& c) {
  for (const char* k : {"FROM", "WHERE", "ORDER", "LIMIT", "GROUP", "HAVING", "UNION", "INTO", "FOR"}) {
    if (c.is_kw(k)) return true;
  }
  return false;
}

std::string item_label(const Item& it) {
  if (!it.alias.empty()) return it.alias;
  switch (it.kind) {
    case Item::kCount: return "count(*)";
    case Item::kVariable: return (it.system ? "@@" : "@") + it.name;
    case Item::kFunc: return lower(it.name) + "()";
    default: return it.name;
  }
}

SqlOutcome parse_items(Cursor& c, std::vector<Item>* items) {
  do {
    Item it;
    const Tok* t = c.peek();
    if (t == nullptr) return syntax_error("Unexpected end of the SELECT list");
    std::string lit;
    if (c.punct("*")) {
      it.kind = Item::kStar;
    } else if (t->kind == Tok::kVariable) {
      it.kind = Item::kVariable;
      it.name = t->text;
      it.system = t->system;
      ++c.p;
    } else if (t->kind == Tok::kIdent && !t->quoted && c.peek(1) && c.peek(1)->kind == Tok::kPunct &&
               c.peek(1)->text == "(") {
      it.name = upper(t->text);
      c.p += 2;
      if (it.name == "COUNT") {
        std::string arg;
        if (!(c.punct("*") || c.literal(&arg) || c.ident(&arg))) return syntax_error("bad COUNT argument");
        it.kind = Item::kCount;
      } else {
        it.kind = Item::kFunc;
      }
      if (!c.punct(")")) {
        return syntax_error("the emulator evaluates functions without arguments only, near '" + c.near() + "'");
      }
    } else if (c.literal(&lit)) {
      it.kind = Item::kLiteral;
      it.name = lit;
      it.string_literal = t->kind == Tok::kString;
    } else if (t->kind == Tok::kIdent) {
      it.kind = Item::kColumn;
      c.ident(&it.name);
      if (c.punct(".")) {  // t.col: the emulator reads one table, the qualifier is that table
        if (c.punct("*")) {
          it.kind = Item::kStar;
        } else if (!c.ident(&it.name)) {
          return syntax_error("expected a column name after '.'");
        }
      }
    } else {
      return syntax_error("Unexpected input '" + t->text + "' in the SELECT list");
    }
    if (c.kw("AS")) {
      if (!c.ident(&it.alias) && !c.literal(&it.alias)) return syntax_error("expected an alias after AS");
    } else if (c.peek() && (c.peek()->kind == Tok::kIdent || c.peek()->kind == Tok::kString) && !is_clause_kw(c)) {
      it.alias = c.peek()->text;
      ++c.p;
    }
    items->push_back(it);
  } while (c.punct(","));
  return std::nullopt;
}

// A constant item's value: (fragment, column type). Errors for unknown variables/functions.
SqlOutcome eval_constant(Emulator& emu, const SqlSession& s, const Item& it, std::string* value, std::string* type) {
  auto text = [&](const std::string& v) {
    *value = json_quote(v);
    *type = "varchar(65533)";
  };
  auto number = [&](const std::string& v) {
    *value = v;
    *type = "bigint(20)";
  };
  auto is_number = [](const std::string& v) {
    if (v.empty() || v.size() > 18) return false;
    for (size_t i = 0; i < v.size(); ++i) {
      if (!std::isdigit(static_cast<unsigned char>(v[i])) && !(i == 0 && v[i] == '-' && v.size() > 1)) return false;
    }
    return true;
  };
  switch (it.kind) {
    case Item::kVariable: {
      if (!it.system) {
        auto u = s.user_vars.find(lower(it.name));
        if (u == s.user_vars.end()) {
          *value = "null";
          *type = "varchar(65533)";
        } else {
          is_number(u->second) ? number(u->second) : text(u->second);
        }
        return std::nullopt;
      }
      std::string name = lower(it.name);
      for (const char* scope : {"session.", "global.", "local."}) {
        if (name.rfind(scope, 0) == 0) name = name.substr(std::string(scope).size());
      }
      auto v = variable_value(emu, s, name);
      if (!v) return make_error(500, 1193, "HY000", "Unknown system variable '" + name + "'");
      is_number(*v) ? number(*v) : text(*v);
      return std::nullopt;
    }
    case Item::kFunc: {
      const std::string& f = it.name;
      if (f == "CURRENT_VERSION") text(emu.cfg.sr_version);
      else if (f == "VERSION") text(variable_value(emu, s, "version").value_or(""));
      else if (f == "DATABASE" || f == "SCHEMA") {
        if (s.db.empty()) {
          *value = "null";
          *type = "varchar(65533)";
        } else {
          text(s.db);
        }
      } else if (f == "USER" || f == "CURRENT_USER" || f == "SESSION_USER" || f == "SYSTEM_USER") {
        text("'" + s.user + "'@'" + (f == "CURRENT_USER" ? std::string("%") : s.client_host) + "'");
      } else if (f == "CONNECTION_ID") number(std::to_string(s.connection_id));
      else if (f == "LAST_INSERT_ID" || f == "ROW_COUNT" || f == "FOUND_ROWS") number("0");
      else if (f == "NOW" || f == "CURRENT_TIMESTAMP") {
        time_t secs = static_cast<time_t>(emu.now());
        struct tm tm_utc;
        gmtime_r(&secs, &tm_utc);
        char buf[32];
        strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm_utc);
        *value = json_quote(buf);
        *type = "datetime";
      } else {
        return analysis_error("No matching function with signature: " + lower(f) + "()");
      }
      return std::nullopt;
    }
    case Item::kLiteral:
      if (it.string_literal) text(it.name);
      else if (it.name.find('.') != std::string::npos) {
        *value = it.name;
        *type = "decimal(38,9)";
      } else {
        number(it.name);
      }
      return std::nullopt;
    case Item::kCount:
      number("1");
      return std::nullopt;
    default:
      return analysis_error("Column '" + it.name + "' cannot be resolved");
  }
}

// The fragment a literal compares as against a column of `type`.
std::string literal_fragment(const Type& type, const std::string& lit) {
  switch (type.kind) {
    case TypeKind::kTinyInt: case TypeKind::kSmallInt: case TypeKind::kInt: case TypeKind::kBigInt:
    case TypeKind::kLargeInt: case TypeKind::kFloat: case TypeKind::kDouble: case TypeKind::kDecimal:
      return lit;
    case TypeKind::kBoolean:
      return (lit == "1" || upper(lit) == "TRUE") ? "true" : "false";
    default:
      return json_quote(lit);
  }
}

Type type_of_meta(const std::string& meta) {
  Type t;
  t.kind = meta.rfind("bigint", 0) == 0 ? TypeKind::kBigInt : meta == "datetime" ? TypeKind::kDateTime : TypeKind::kVarchar;
  return t;
}

int find_column(const std::vector<SqlColumn>& meta, const std::string& name) {
  for (size_t i = 0; i < meta.size(); ++i) {
    if (upper(meta[i].name) == upper(name)) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

SqlOutcome run_select(Emulator& emu, SqlSession& s, Cursor& c, SqlResult* out) {
  std::vector<Item> items;
  if (auto e = parse_items(c, &items)) return e;
  out->shape = SqlResult::kRows;
  if (!c.kw("FROM")) {
    // Connection-time queries: SELECT @@version_comment LIMIT 1, SELECT @@a AS a, @@b AS b, ...
    if (c.kw("LIMIT")) {
      std::string n;
      if (!c.literal(&n)) return syntax_error("bad LIMIT");
    }
    if (!c.done()) return syntax_error("Unexpected input '" + c.near() + "'");
    std::vector<std::string> row;
    for (const Item& it : items) {
      if (it.kind == Item::kStar) return make_error(500, 1096, "HY000", "No tables used");
      std::string value, type;
      std::lock_guard<std::mutex> lock(emu.mu);
      if (auto e = eval_constant(emu, s, it, &value, &type)) return e;
      out->meta.push_back({item_label(it), type});
      row.push_back(value);
    }
    out->rows.push_back(std::move(row));
    return std::nullopt;
  }

  std::string table, db;
  if (!c.qualified(&table, &db)) return syntax_error("expected a table name after FROM, near '" + c.near() + "'");
  if (c.kw("AS")) {
    std::string alias;
    if (!c.ident(&alias)) return syntax_error("expected a table alias");
  } else if (c.peek() && c.peek()->kind == Tok::kIdent && !is_clause_kw(c)) {
    ++c.p;  // table alias
  }
  if (c.punct(",") || c.is_kw("JOIN") || c.is_kw("INNER") || c.is_kw("LEFT") || c.is_kw("RIGHT") || c.is_kw("CROSS")) {
    return syntax_error("the emulator reads one table per SELECT (no joins)");
  }
  // Parse the rest before taking the lock; columns are resolved once the source is known.
  struct RawCond { std::string col, op, literal; };
  std::vector<RawCond> raw_conds;
  if (c.kw("WHERE")) {
    do {
      RawCond rc;
      if (!c.ident(&rc.col)) return syntax_error("the emulator supports only COL <op> 'value' [AND ...] in WHERE");
      if (c.punct(".") && !c.ident(&rc.col)) return syntax_error("expected a column name after '.'");
      if (c.kw("IS")) {
        rc.op = c.kw("NOT") ? "NOTNULL" : "ISNULL";
        if (!c.kw("NULL")) return syntax_error("expected NULL after IS");
      } else {
        for (const char* op : {"=", "!=", "<>", "<=", ">=", "<", ">"}) {
          if (c.punct(op)) {
            rc.op = std::string(op) == "<>" ? "!=" : op;
            break;
          }
        }
        if (rc.op.empty() || !c.literal(&rc.literal)) {
          return syntax_error("the emulator supports only COL <op> 'value' [AND ...] in WHERE, near '" + c.near() + "'");
        }
      }
      raw_conds.push_back(rc);
    } while (c.kw("AND"));
  }
  if (c.is_kw("GROUP") || c.is_kw("HAVING")) return syntax_error("the emulator does not support GROUP BY or HAVING");
  struct Order { std::string col; bool desc = false; };
  std::vector<Order> orders;
  if (c.kw("ORDER")) {
    if (!c.kw("BY")) return syntax_error("expected BY after ORDER");
    do {
      Order o;
      if (!c.ident(&o.col) && !c.literal(&o.col)) return syntax_error("expected a column name in ORDER BY");
      if (c.punct(".") && !c.ident(&o.col)) return syntax_error("expected a column name after '.'");
      if (c.kw("DESC")) o.desc = true;
      else c.kw("ASC");
      orders.push_back(o);
    } while (c.punct(","));
  }
  int64_t limit = -1, offset = 0;
  if (c.kw("LIMIT")) {
    std::string a, b;
    if (!c.literal(&a) || a.empty() || a[0] == '-') return syntax_error("bad LIMIT");
    limit = std::stoll(a.substr(0, 15));
    if (c.punct(",")) {
      if (!c.literal(&b) || b.empty() || b[0] == '-') return syntax_error("bad LIMIT");
      offset = limit;
      limit = std::stoll(b.substr(0, 15));
    } else if (c.kw("OFFSET")) {
      if (!c.literal(&b) || b.empty() || b[0] == '-') return syntax_error("bad OFFSET");
      offset = std::stoll(b.substr(0, 15));
    }
  }
  if (!c.done()) return syntax_error("Unexpected input '" + c.near() + "'");

  std::lock_guard<std::mutex> lock(emu.mu);
  emu.tick_locked();  // delayed publishes become visible first
  SqlResult src;
  std::vector<Type> types;
  std::string source_db = db.empty() ? s.db : db;
  if (upper(source_db) == "INFORMATION_SCHEMA") {
    if (!info_schema_table(emu, upper(table), &src)) {
      return analysis_error("Unknown table 'information_schema." + table + "'");
    }
    for (const auto& m : src.meta) types.push_back(type_of_meta(m.type));
  } else {
    SqlError err;
    TableStore* t = resolve_table(emu, s, table, db, &err);
    if (t == nullptr) return err;
    for (const Column& col : t->schema.columns) {
      src.meta.push_back({col.name, mysql_column_type(col.type)});
      types.push_back(col.type);
    }
    if (t->keyed()) {
      for (const auto& kv : t->rows) src.rows.push_back(kv.second);
    } else {
      src.rows = t->dup_rows;
      KeyLess less = t->rows.key_comp();
      std::stable_sort(src.rows.begin(), src.rows.end(), [&](const Values& a, const Values& b) {
        Values ka, kb;
        for (int i : t->key_idx) {
          ka.push_back(a[i]);
          kb.push_back(b[i]);
        }
        return less(ka, kb);
      });
    }
  }
  const int64_t scanned = static_cast<int64_t>(src.rows.size());

  // Resolve the select list.
  std::vector<int> picked;       // source column per output column (-1: constant)
  std::vector<std::string> constants;
  bool count = false;
  for (Item& it : items) {
    if (it.kind == Item::kStar) {
      for (size_t i = 0; i < src.meta.size(); ++i) {
        picked.push_back(static_cast<int>(i));
        constants.emplace_back();
        out->meta.push_back(src.meta[i]);
      }
      continue;
    }
    if (it.kind == Item::kColumn) {
      it.src = find_column(src.meta, it.name);
      if (it.src < 0) return analysis_error("Column '" + it.name + "' cannot be resolved");
      picked.push_back(it.src);
      constants.emplace_back();
      out->meta.push_back({it.alias.empty() ? src.meta[it.src].name : it.alias, src.meta[it.src].type});
      continue;
    }
    if (it.kind == Item::kCount) {
      if (items.size() != 1) return syntax_error("the emulator supports COUNT(*) only as the whole SELECT list");
      count = true;
      out->meta.push_back({item_label(it), "bigint(20)"});
      continue;
    }
    std::string value, type;
    if (auto e = eval_constant(emu, s, it, &value, &type)) return e;
    picked.push_back(-1);
    constants.push_back(value);
    out->meta.push_back({item_label(it), type});
  }
  std::vector<Cond> conds;
  for (const RawCond& rc : raw_conds) {
    Cond cd;
    cd.col = find_column(src.meta, rc.col);
    if (cd.col < 0) return analysis_error("Column '" + rc.col + "' cannot be resolved");
    cd.op = rc.op;
    cd.literal = literal_fragment(types[cd.col], rc.literal);
    conds.push_back(cd);
  }
  auto matches = [&](const std::vector<std::string>& row) {
    for (const Cond& cd : conds) {
      const std::string& v = row[cd.col];
      if (cd.op == "ISNULL") { if (v != "null") return false; continue; }
      if (cd.op == "NOTNULL") { if (v == "null") return false; continue; }
      if (v == "null") return false;
      int r = compare_values(types[cd.col], v, cd.literal);
      bool ok = cd.op == "=" ? r == 0 : cd.op == "!=" ? r != 0 : cd.op == "<" ? r < 0 : cd.op == "<=" ? r <= 0
                : cd.op == ">" ? r > 0 : r >= 0;
      if (!ok) return false;
    }
    return true;
  };
  std::vector<const std::vector<std::string>*> rows;
  for (const auto& row : src.rows) {
    if (matches(row)) rows.push_back(&row);
  }
  if (count) {
    if (limit != 0 && offset == 0) out->rows.push_back({std::to_string(rows.size())});
    out->scan_rows = scanned;
    return std::nullopt;
  }
  // ORDER BY: a source column by name, an output alias, or a select-list position.
  std::vector<std::pair<int, bool>> keys;
  for (const Order& o : orders) {
    int col = -1;
    bool numeric = !o.col.empty() && std::all_of(o.col.begin(), o.col.end(), ::isdigit);
    if (numeric) {
      size_t pos = std::stoul(o.col.substr(0, 6));
      if (pos >= 1 && pos <= picked.size()) col = picked[pos - 1];
    } else {
      col = find_column(src.meta, o.col);
      for (size_t k = 0; col < 0 && k < out->meta.size(); ++k) {
        if (upper(out->meta[k].name) == upper(o.col)) col = picked[k];
      }
    }
    if (col < 0) return analysis_error("Column '" + o.col + "' cannot be resolved in ORDER BY");
    keys.emplace_back(col, o.desc);
  }
  if (!keys.empty()) {
    std::stable_sort(rows.begin(), rows.end(), [&](const std::vector<std::string>* a, const std::vector<std::string>* b) {
      for (const auto& k : keys) {
        int r = compare_values(types[k.first], (*a)[k.first], (*b)[k.first]);
        if (r != 0) return k.second ? r > 0 : r < 0;
      }
      return false;
    });
  }
  for (size_t i = static_cast<size_t>(std::min<int64_t>(offset, static_cast<int64_t>(rows.size())));
       i < rows.size() && (limit < 0 || static_cast<int64_t>(out->rows.size()) < limit); ++i) {
    std::vector<std::string> o;
    for (size_t k = 0; k < picked.size(); ++k) o.push_back(picked[k] < 0 ? constants[k] : (*rows[i])[picked[k]]);
    out->rows.push_back(std::move(o));
  }
  return std::nullopt;
}

}  // namespace sremu
