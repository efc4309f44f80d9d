// Schema discovery endpoints (spec §5): legacy `_schema`, v2 table schema, and the HTTP SQL API
// answering the information_schema SELECTs (NDJSON) and SHOW CREATE TABLE / DESC (one object).
#pragma once
#include <memory>
#include <string>

#include "core/emulator.h"
#include "http/http.h"

namespace sremu {

std::unique_ptr<Handler> make_legacy_schema(Emulator& emu, const std::string& db, const std::string& table);
std::unique_ptr<Handler> make_v2_schema(Emulator& emu, const std::string& catalog, const std::string& db,
                                        const std::string& table);
std::unique_ptr<Handler> make_sql_api(Emulator& emu, const std::string& catalog, const std::string& db);

}  // namespace sremu
