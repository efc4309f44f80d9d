// Version and build information strings (static, valid for the life of the process).
#pragma once
#include "sr_sink.h"

namespace srs {
const char* version_string();
const char* build_info();  // compiler, build type, libcurl version
}  // namespace srs
