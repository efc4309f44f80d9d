// Glob matching of "db.table" names: `*`, `?`, `[abc]`, `[a-z]`, `[!x]`; case-sensitive;
// `*` also matches '.' (so "*" matches every table).
#pragma once
#include <string_view>

#include "status.h"

namespace srs {

// SR_SINK_E_CONFIG for an empty pattern or an unterminated '['.
Status validate_glob(std::string_view pattern);
bool glob_match(std::string_view pattern, std::string_view text);

}  // namespace srs
