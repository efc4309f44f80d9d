// How StarRocks spells a column type in each schema surface (spec §5): primitive names for
// `_schema`, the v2 type object, MySQL-style DATA_TYPE/COLUMN_TYPE for information_schema and DESC.
#pragma once
#include <string>

#include "data/data.h"

namespace sremu {

std::string primitive_name(const Type& t);   // INT, VARCHAR, DECIMAL64, INVALID_TYPE (complex)
std::string v2_type_json(const Type& t);     // {"name":"VARCHAR","typeSize":..} / ARRAY itemType / ...
std::string mysql_data_type(const Type& t);  // int, varchar, decimal, array, ...
std::string mysql_column_type(const Type& t);  // int(11), varchar(64), decimal(10,2), array<int(11)>
// COLUMN_SIZE / DECIMAL_DIGITS of information_schema.columns (-1 = NULL).
int64_t column_size(const Type& t);
int64_t decimal_digits(const Type& t);
// information_schema COLUMN_KEY for a key column of a table of `keys_type`.
std::string column_key(const std::string& keys_type);
// The key clause of SHOW CREATE TABLE: PRIMARY KEY, DUPLICATE KEY, UNIQUE KEY, AGGREGATE KEY.
std::string key_clause(const std::string& keys_type);
std::string show_create_table(const TableSchema& s, const std::vector<int>& key_idx);

}  // namespace sremu
