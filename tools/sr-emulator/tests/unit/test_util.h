// Helpers shared by the data-layer tests: table builders and row rendering.
#pragma once
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "data/data.h"

namespace sremu::test {

inline Column col(const std::string& name, const std::string& type, bool key = false, bool nullable = true,
                  std::optional<std::string> def = std::nullopt) {
  Column c;
  c.name = name;
  std::string err;
  auto t = parse_type(type, &err);
  EXPECT_TRUE(t.has_value()) << type << ": " << err;
  if (t) c.type = *t;
  c.key = key;
  c.nullable = nullable;
  c.default_value = std::move(def);
  return c;
}

inline TableSchema table(const std::string& keys_type, std::vector<Column> cols, const std::string& name = "t1") {
  TableSchema t;
  t.db = "db1";
  t.name = name;
  t.keys_type = keys_type;
  t.columns = std::move(cols);
  return t;
}

// PK table: id BIGINT key NOT NULL, name VARCHAR(10), score DECIMAL(12,2).
inline TableSchema pk_table() {
  return table("PRIMARY_KEYS", {col("id", "BIGINT", true, false), col("name", "VARCHAR(10)"),
                                col("score", "DECIMAL(12,2)")});
}

// Renders a row as "v1|v2|v3" (+ "#del" for deletes) for compact assertions.
inline std::string render(const Row& r) {
  std::string s;
  for (size_t i = 0; i < r.values.size(); ++i) {
    if (i) s += "|";
    s += r.present.empty() || r.present[i] ? r.values[i] : "<absent>";
  }
  if (r.op == 1) s += "#del";
  return s;
}

inline std::vector<std::string> render(const ParsedLoad& p) {
  std::vector<std::string> v;
  for (const Row& r : p.rows) v.push_back(render(r));
  return v;
}

inline LoadParams params(const TableSchema& t, const Headers& h, bool txn = false) {
  LoadParams p;
  auto err = parse_load_params(t, h, txn, &p);
  EXPECT_FALSE(err.has_value()) << *err;
  return p;
}

inline ParsedLoad load(const TableSchema& t, const Headers& h, std::string_view body) {
  return parse_body(t, params(t, h), body);
}

}  // namespace sremu::test
