#include "sql/schema_types.h"

#include "core/json_util.h"

namespace sremu {

std::string primitive_name(const Type& t) {
  switch (t.kind) {
    case TypeKind::kTinyInt: return "TINYINT";
    case TypeKind::kSmallInt: return "SMALLINT";
    case TypeKind::kInt: return "INT";
    case TypeKind::kBigInt: return "BIGINT";
    case TypeKind::kLargeInt: return "LARGEINT";
    case TypeKind::kFloat: return "FLOAT";
    case TypeKind::kDouble: return "DOUBLE";
    case TypeKind::kDecimal:
      return t.precision <= 9 ? "DECIMAL32" : t.precision <= 18 ? "DECIMAL64" : t.precision <= 38 ? "DECIMAL128" : "DECIMAL256";
    case TypeKind::kBoolean: return "BOOLEAN";
    case TypeKind::kChar: return "CHAR";
    case TypeKind::kVarchar:
    case TypeKind::kString: return "VARCHAR";
    case TypeKind::kDate: return "DATE";
    case TypeKind::kDateTime: return "DATETIME";
    case TypeKind::kJson: return "JSON";
    case TypeKind::kVarbinary: return "VARBINARY";
    case TypeKind::kArray:
    case TypeKind::kMap:
    case TypeKind::kStruct: return "INVALID_TYPE";  // complex types have no primitive type
  }
  return "INVALID_TYPE";
}

namespace {

int type_size(const Type& t) {
  switch (t.kind) {
    case TypeKind::kTinyInt: case TypeKind::kBoolean: return 1;
    case TypeKind::kSmallInt: return 2;
    case TypeKind::kInt: case TypeKind::kFloat: case TypeKind::kDate: return 4;
    case TypeKind::kBigInt: case TypeKind::kDouble: case TypeKind::kDateTime: return 8;
    case TypeKind::kLargeInt: return 16;
    case TypeKind::kDecimal: return t.precision <= 9 ? 4 : t.precision <= 18 ? 8 : t.precision <= 38 ? 16 : 32;
    default: return 16;
  }
}

}  // namespace

std::string v2_type_json(const Type& t) {
  JsonObject o;
  switch (t.kind) {
    case TypeKind::kArray:
      return o.str("name", "ARRAY").raw("itemType", v2_type_json(t.children.at(0))).done();
    case TypeKind::kMap:
      return o.str("name", "MAP").raw("keyType", v2_type_json(t.children.at(0)))
          .raw("valueType", v2_type_json(t.children.at(1))).done();
    case TypeKind::kStruct: {
      std::string fields = "[";
      for (size_t i = 0; i < t.children.size(); ++i) {
        if (i) fields += ",";
        fields += JsonObject().str("name", i < t.field_names.size() ? t.field_names[i] : "")
                      .raw("type", v2_type_json(t.children[i])).done();
      }
      return o.str("name", "STRUCT").raw("fields", fields + "]").done();
    }
    default: break;
  }
  std::string name = primitive_name(t);
  o.str("name", name).num("typeSize", type_size(t)).num("columnSize", column_size(t) < 0 ? 0 : column_size(t));
  o.num("precision", t.kind == TypeKind::kDecimal ? t.precision : 0).num("scale", t.kind == TypeKind::kDecimal ? t.scale : 0);
  return o.done();
}

std::string mysql_data_type(const Type& t) {
  switch (t.kind) {
    case TypeKind::kTinyInt: return "tinyint";
    case TypeKind::kSmallInt: return "smallint";
    case TypeKind::kInt: return "int";
    case TypeKind::kBigInt: return "bigint";
    case TypeKind::kLargeInt: return "bigint unsigned";
    case TypeKind::kFloat: return "float";
    case TypeKind::kDouble: return "double";
    case TypeKind::kDecimal: return "decimal";
    case TypeKind::kBoolean: return "tinyint";
    case TypeKind::kChar: return "char";
    case TypeKind::kVarchar: case TypeKind::kString: return "varchar";
    case TypeKind::kDate: return "date";
    case TypeKind::kDateTime: return "datetime";
    case TypeKind::kJson: return "json";
    case TypeKind::kVarbinary: return "varbinary";
    case TypeKind::kArray: return "array";
    case TypeKind::kMap: return "map";
    case TypeKind::kStruct: return "struct";
  }
  return "unknown";
}

std::string mysql_column_type(const Type& t) {
  switch (t.kind) {
    case TypeKind::kTinyInt: return "tinyint(4)";
    case TypeKind::kSmallInt: return "smallint(6)";
    case TypeKind::kInt: return "int(11)";
    case TypeKind::kBigInt: return "bigint(20)";
    case TypeKind::kLargeInt: return "bigint(20) unsigned";
    case TypeKind::kFloat: return "float";
    case TypeKind::kDouble: return "double";
    case TypeKind::kDecimal: return "decimal(" + std::to_string(t.precision) + "," + std::to_string(t.scale) + ")";
    case TypeKind::kBoolean: return "tinyint(1)";
    case TypeKind::kChar: return "char(" + std::to_string(t.length) + ")";
    case TypeKind::kVarchar: case TypeKind::kString: return "varchar(" + std::to_string(t.length) + ")";
    case TypeKind::kDate: return "date";
    case TypeKind::kDateTime: return "datetime";
    case TypeKind::kJson: return "json";
    case TypeKind::kVarbinary: return t.length > 0 ? "varbinary(" + std::to_string(t.length) + ")" : "varbinary";
    case TypeKind::kArray: return "array<" + mysql_column_type(t.children.at(0)) + ">";
    case TypeKind::kMap:
      return "map<" + mysql_column_type(t.children.at(0)) + "," + mysql_column_type(t.children.at(1)) + ">";
    case TypeKind::kStruct: {
      std::string s = "struct<";
      for (size_t i = 0; i < t.children.size(); ++i) {
        if (i) s += ", ";
        s += (i < t.field_names.size() ? t.field_names[i] : "") + " " + mysql_column_type(t.children[i]);
      }
      return s + ">";
    }
  }
  return "unknown";
}

int64_t column_size(const Type& t) {
  switch (t.kind) {
    case TypeKind::kTinyInt: return 3;
    case TypeKind::kSmallInt: return 5;
    case TypeKind::kInt: return 10;
    case TypeKind::kBigInt: return 19;
    case TypeKind::kLargeInt: return 39;
    case TypeKind::kFloat: return 12;
    case TypeKind::kDouble: return 22;
    case TypeKind::kDecimal: return t.precision;
    case TypeKind::kBoolean: return 1;
    case TypeKind::kChar: case TypeKind::kVarchar: case TypeKind::kString: return t.length;
    case TypeKind::kDate: return 10;
    case TypeKind::kDateTime: return 19;
    case TypeKind::kVarbinary: return t.length > 0 ? t.length : -1;
    default: return -1;
  }
}

int64_t decimal_digits(const Type& t) {
  switch (t.kind) {
    case TypeKind::kTinyInt: case TypeKind::kSmallInt: case TypeKind::kInt: case TypeKind::kBigInt:
    case TypeKind::kLargeInt: return 0;
    case TypeKind::kDecimal: return t.scale;
    case TypeKind::kFloat: return 7;
    case TypeKind::kDouble: return 15;
    default: return -1;
  }
}

std::string column_key(const std::string& keys_type) {
  if (keys_type == "PRIMARY_KEYS") return "PRI";
  if (keys_type == "UNIQUE_KEYS") return "UNI";
  if (keys_type == "AGG_KEYS") return "AGG";
  return "DUP";
}

std::string key_clause(const std::string& keys_type) {
  if (keys_type == "PRIMARY_KEYS") return "PRIMARY KEY";
  if (keys_type == "UNIQUE_KEYS") return "UNIQUE KEY";
  if (keys_type == "AGG_KEYS") return "AGGREGATE KEY";
  return "DUPLICATE KEY";
}

std::string show_create_table(const TableSchema& s, const std::vector<int>& key_idx) {
  std::string out = "CREATE TABLE `" + s.name + "` (\n";
  for (size_t i = 0; i < s.columns.size(); ++i) {
    const Column& c = s.columns[i];
    out += "  `" + c.name + "` " + mysql_column_type(c.type) + (c.nullable ? " NULL" : " NOT NULL");
    if (c.default_value) out += " DEFAULT \"" + *c.default_value + "\"";
    if (s.keys_type == "AGG_KEYS" && !c.key) out += " REPLACE";
    out += " COMMENT \"\"";
    out += i + 1 < s.columns.size() ? ",\n" : "\n";
  }
  std::string keys;
  for (size_t i = 0; i < key_idx.size(); ++i) keys += (i ? ", `" : "`") + s.columns[key_idx[i]].name + "`";
  out += ") ENGINE=OLAP \n" + key_clause(s.keys_type) + "(" + keys + ")\nDISTRIBUTED BY HASH(" + keys +
         ")\nPROPERTIES (\n\"compression\" = \"LZ4\",\n\"replication_num\" = \"1\"\n);";
  return out;
}

}  // namespace sremu
