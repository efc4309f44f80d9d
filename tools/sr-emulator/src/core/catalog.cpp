#include "core/catalog.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "core/json_util.h"

namespace sremu {
namespace {

bool is_null(const std::string& v) { return v == "null"; }

// NULL sorts first, like StarRocks' ORDER BY ... ASC.
int compare_cell(const Type& type, const std::string& a, const std::string& b) {
  if (is_null(a) || is_null(b)) return is_null(a) == is_null(b) ? 0 : (is_null(a) ? -1 : 1);
  return compare_values(type, a, b);
}

}  // namespace

bool KeyLess::operator()(const Values& a, const Values& b) const {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    int c = compare_cell(schema->columns[key_idx[i]].type, a[i], b[i]);
    if (c != 0) return c < 0;
  }
  return a.size() < b.size();
}

ApplyCounts apply_rows(TableStore& t, const std::vector<Row>& rows, bool partial_update,
                       const std::string& merge_condition) {
  ApplyCounts counts;
  const bool pk = t.schema.keys_type == "PRIMARY_KEYS";
  const int merge_idx = merge_condition.empty() ? -1 : t.schema.column_index(merge_condition);
  for (const Row& row : rows) {
    // A journal replayed against a changed --catalog may carry rows of another shape: skip them.
    if (row.values.size() != t.schema.columns.size()) continue;
    if (!t.keyed()) {
      t.dup_rows.push_back(row.values);
      ++counts.upserts;
      continue;
    }
    Values key;
    key.reserve(t.key_idx.size());
    for (int i : t.key_idx) key.push_back(row.values[i]);
    auto it = t.rows.find(key);
    if (pk && row.op == 1) {  // `__op` = 1: DELETE (Primary Key tables only, spec §3.3)
      if (it != t.rows.end()) t.rows.erase(it);
      ++counts.deletes;
      continue;
    }
    if (it == t.rows.end()) {
      t.rows.emplace(std::move(key), row.values);
      ++counts.upserts;
      continue;
    }
    Values& old = it->second;
    if (merge_idx >= 0) {
      // Conditional update: only when new >= old (a NULL new value never wins over a value).
      const Type& type = t.schema.columns[merge_idx].type;
      if (compare_cell(type, row.values[merge_idx], old[merge_idx]) < 0) continue;
    }
    for (size_t c = 0; c < old.size() && c < row.values.size(); ++c) {
      bool given = c >= row.present.size() || row.present[c];
      if (partial_update && !given) continue;  // partial update keeps absent columns
      old[c] = row.values[c];
    }
    ++counts.upserts;
  }
  return counts;
}

std::string dump_rows(const TableStore& t) {
  std::string out;
  auto emit = [&](const Values& v) {
    out.push_back('{');
    for (size_t c = 0; c < t.schema.columns.size(); ++c) {
      if (c) out.push_back(',');
      json_quote(t.schema.columns[c].name, &out);
      out.push_back(':');
      out += c < v.size() ? v[c] : "null";
    }
    out += "}\n";
  };
  if (t.keyed()) {
    for (const auto& kv : t.rows) emit(kv.second);
  } else {
    std::vector<const Values*> order;
    for (const auto& r : t.dup_rows) order.push_back(&r);
    KeyLess less = t.rows.key_comp();
    std::stable_sort(order.begin(), order.end(), [&](const Values* a, const Values* b) {
      Values ka, kb;
      for (int i : t.key_idx) {
        ka.push_back((*a)[i]);
        kb.push_back((*b)[i]);
      }
      return less(ka, kb);
    });
    for (const Values* r : order) emit(*r);
  }
  return out;
}

std::string Catalog::table_from_json(const std::string& db, const std::string& name, const cJSON* def,
                                     std::unique_ptr<TableStore>* out) {
  if (db.empty() || name.empty()) return "db and table names must not be empty";
  if (!cJSON_IsObject(def)) return "table definition of " + db + "." + name + " is not a JSON object";
  auto t = std::make_unique<TableStore>();
  t->schema.db = db;
  t->schema.name = name;
  t->schema.keys_type = json_get_string(def, "keys_type").value_or("DUP_KEYS");
  static const std::set<std::string> kTypes{"PRIMARY_KEYS", "DUP_KEYS", "UNIQUE_KEYS", "AGG_KEYS"};
  if (kTypes.count(t->schema.keys_type) == 0) {
    return "keys_type of " + db + "." + name + " must be PRIMARY_KEYS, DUP_KEYS, UNIQUE_KEYS or AGG_KEYS, not '" +
           t->schema.keys_type + "'";
  }
  const cJSON* cols = cJSON_GetObjectItemCaseSensitive(def, "columns");
  if (!cJSON_IsArray(cols) || cJSON_GetArraySize(cols) == 0) return "table " + db + "." + name + " has no columns";
  std::set<std::string> seen;
  bool keys_done = false;
  const cJSON* col = nullptr;
  cJSON_ArrayForEach(col, cols) {
    Column c;
    auto cname = json_get_string(col, "name");
    auto ctype = json_get_string(col, "type");
    if (!cname || cname->empty()) return "a column of " + db + "." + name + " has no name";
    if (!ctype) return "column " + *cname + " of " + db + "." + name + " has no type";
    if (*cname == "__op") return "column name __op is reserved";
    if (!seen.insert(*cname).second) return "duplicate column " + *cname + " in " + db + "." + name;
    std::string err;
    auto type = parse_type(*ctype, &err);
    if (!type) return "column " + *cname + " of " + db + "." + name + ": " + err;
    c.name = *cname;
    c.type = std::move(*type);
    c.key = json_get_bool(col, "key").value_or(false);
    c.nullable = json_get_bool(col, "nullable").value_or(!c.key);
    const cJSON* dv = cJSON_GetObjectItemCaseSensitive(col, "default");
    if (cJSON_IsString(dv)) c.default_value = dv->valuestring;
    else if (dv != nullptr && !cJSON_IsNull(dv)) c.default_value = json_print(dv);
    if (c.key) {
      // StarRocks requires key columns to come first, in key order.
      if (keys_done) return "key column " + c.name + " of " + db + "." + name + " must precede all value columns";
      if (t->schema.keys_type == "PRIMARY_KEYS" && c.nullable) {
        return "primary key column " + c.name + " of " + db + "." + name + " must be NOT NULL";
      }
      t->key_idx.push_back(static_cast<int>(t->schema.columns.size()));
    } else {
      keys_done = true;
    }
    t->schema.columns.push_back(std::move(c));
  }
  if (t->key_idx.empty()) {
    if (t->schema.keys_type != "DUP_KEYS") return "table " + db + "." + name + " of type " + t->schema.keys_type + " needs key columns";
    t->key_idx.push_back(0);  // duplicate tables sort by their first column
  }
  t->rows = std::map<Values, Values, KeyLess>(KeyLess{&t->schema, t->key_idx});
  t->definition = json_print(def);
  *out = std::move(t);
  return {};
}

Database& Catalog::ensure_db(const std::string& name) {
  auto it = dbs_.find(name);
  if (it != dbs_.end()) return it->second;
  Database& d = dbs_[name];
  d.id = next_db_id_++;
  return d;
}

std::string Catalog::create_table(std::unique_ptr<TableStore> t) {
  Database& d = ensure_db(t->schema.db);
  if (d.tables.count(t->schema.name) != 0) return "exists";
  t->id = next_table_id_++;
  // The KeyLess comparator points at the schema, which moves with the unique_ptr target: rebuild it.
  std::string name = t->schema.name;
  t->rows = std::map<Values, Values, KeyLess>(KeyLess{&t->schema, t->key_idx});
  d.tables[name] = std::move(t);
  return {};
}

bool Catalog::drop_table(const std::string& db, const std::string& name) {
  auto it = dbs_.find(db);
  if (it == dbs_.end()) return false;
  return it->second.tables.erase(name) != 0;
}

Database* Catalog::db(const std::string& name) {
  auto it = dbs_.find(name);
  return it == dbs_.end() ? nullptr : &it->second;
}

TableStore* Catalog::table(const std::string& db, const std::string& name) {
  Database* d = this->db(db);
  if (d == nullptr) return nullptr;
  auto it = d->tables.find(name);
  return it == d->tables.end() ? nullptr : it->second.get();
}

std::string Catalog::load_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot read catalog file " + path;
  std::stringstream ss;
  ss << in.rdbuf();
  CJsonDoc doc(cJSON_Parse(ss.str().c_str()));
  if (doc.root == nullptr) return "catalog file " + path + " is not valid JSON";
  const cJSON* dbs = cJSON_GetObjectItemCaseSensitive(doc.root, "databases");
  if (!cJSON_IsObject(dbs)) return "catalog file " + path + " has no \"databases\" object";
  const cJSON* d = nullptr;
  cJSON_ArrayForEach(d, dbs) {
    ensure_db(d->string);
    const cJSON* tables = cJSON_GetObjectItemCaseSensitive(d, "tables");
    const cJSON* t = nullptr;
    cJSON_ArrayForEach(t, tables) {
      std::unique_ptr<TableStore> store;
      std::string err = table_from_json(d->string, t->string, t, &store);
      if (!err.empty()) return "catalog file " + path + ": " + err;
      if (!create_table(std::move(store)).empty()) return "catalog file " + path + ": duplicate table " + t->string;
    }
  }
  return {};
}

}  // namespace sremu
