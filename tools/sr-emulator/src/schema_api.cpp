#include "schema_api.h"
namespace sremu {
std::unique_ptr<Handler> make_legacy_schema(Emulator&, const std::string&, const std::string&) { return nullptr; }
std::unique_ptr<Handler> make_v2_schema(Emulator&, const std::string&, const std::string&, const std::string&) { return nullptr; }
std::unique_ptr<Handler> make_sql_api(Emulator&, const std::string&, const std::string&) { return nullptr; }
}
