// The in-memory catalog (databases → tables) and each table's rows. Primary Key (and Unique)
// tables keep one row per key; Duplicate tables keep every row. Values are data.h's canonical
// JSON fragments. Not thread-safe: the caller holds Emulator::mu.
#pragma once
#include <cjson/cJSON.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "data/data.h"

namespace sremu {

using Values = std::vector<std::string>;

struct KeyLess {
  const TableSchema* schema = nullptr;
  std::vector<int> key_idx;
  bool operator()(const Values& a, const Values& b) const;
};

struct TableStats {
  int64_t upserts = 0, deletes = 0, loads = 0, bytes = 0;
  int64_t discarded_rows = 0;  // --discard: newline count of dropped bodies
};

struct TableStore {
  TableSchema schema;
  int64_t id = 0;
  std::vector<int> key_idx;             // positions of key columns
  std::map<Values, Values, KeyLess> rows;  // key values → full row (keyed tables)
  std::vector<Values> dup_rows;         // DUP_KEYS tables
  TableStats stats;
  std::string definition;               // the JSON definition, for the journal

  bool keyed() const { return schema.keys_type != "DUP_KEYS"; }
  int64_t row_count() const { return keyed() ? static_cast<int64_t>(rows.size()) : static_cast<int64_t>(dup_rows.size()); }
};

struct Database {
  int64_t id = 0;
  std::map<std::string, std::unique_ptr<TableStore>> tables;
};

struct ApplyCounts {
  int64_t upserts = 0, deletes = 0;
};

// Applies loaded rows in body order: `__op` upsert/delete on Primary Key tables, partial update
// keeps the old values of absent columns, merge_condition applies a row only when its value of
// that column is >= the stored one (StarRocks conditional update).
ApplyCounts apply_rows(TableStore& t, const std::vector<Row>& rows, bool partial_update,
                       const std::string& merge_condition);

// NDJSON, one object per row with every column, sorted by key.
std::string dump_rows(const TableStore& t);

class Catalog {
 public:
  // Builds a table from {"keys_type":..,"columns":[..]} ; returns an error text when invalid.
  static std::string table_from_json(const std::string& db, const std::string& name, const cJSON* def,
                                     std::unique_ptr<TableStore>* out);

  std::string create_table(std::unique_ptr<TableStore> t);  // "" or "exists"
  bool drop_table(const std::string& db, const std::string& name);
  Database* db(const std::string& name);
  TableStore* table(const std::string& db, const std::string& name);
  std::map<std::string, Database>& databases() { return dbs_; }
  Database& ensure_db(const std::string& name);

  // {"databases":{"shop":{"tables":{"orders":{...}}}}}
  std::string load_file(const std::string& path);

 private:
  std::map<std::string, Database> dbs_;
  int64_t next_db_id_ = 10001;
  int64_t next_table_id_ = 20001;
};

}  // namespace sremu
