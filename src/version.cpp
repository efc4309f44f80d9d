// Library version and build information (sr_sink_version_string, sr_sink_build_info).
#include "version.h"

#include <mutex>
#include <string>

#include "http.h"

#ifndef SR_SINK_VERSION_STRING
#define SR_SINK_VERSION_STRING "0.0.0"
#endif
#ifndef SR_SINK_BUILD_TYPE
#define SR_SINK_BUILD_TYPE "unknown"
#endif

namespace srs {

const char* version_string() { return SR_SINK_VERSION_STRING; }

const char* build_info() {
  static std::once_flag once;
  static std::string info;
  std::call_once(once, [] {
    info = std::string("sr_sink ") + SR_SINK_VERSION_STRING + "; ABI " +
           std::to_string(SR_SINK_ABI_VERSION_MAJOR) + "." + std::to_string(SR_SINK_ABI_VERSION_MINOR) +
           "; " +
#if defined(__clang__)
           "clang " __clang_version__
#elif defined(__GNUC__)
           "gcc " __VERSION__
#else
           "unknown compiler"
#endif
           + "; build " SR_SINK_BUILD_TYPE "; C++ " + std::to_string(__cplusplus) + "; " +
           http_library_version();
  });
  return info.c_str();
}

}  // namespace srs
