// The information_schema tables the emulator answers (tables_config, columns, tables, schemata,
// stream_loads), built whole from the catalog and the transaction table; the SQL engine filters,
// orders and projects them. The caller holds Emulator::mu.
#pragma once
#include <string>

#include "core/emulator.h"
#include "sql/engine.h"

namespace sremu {

// Fills *rs (meta + all rows) for information_schema table `name` (upper-case); false if unknown.
bool info_schema_table(Emulator& emu, const std::string& name, SqlResult* rs);

}  // namespace sremu
