// Logging to the host's callback, with secrets redacted.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "sr_sink.h"

namespace srs {

class Logger {
 public:
  Logger() = default;
  Logger(sr_sink_host_log_fn fn, void* user_data, int32_t level)
      : fn_(fn), user_data_(user_data), level_(level ? level : SR_SINK_LOG_INFO) {}
  bool enabled(int32_t level) const { return fn_ && level <= level_; }
  // printf-style; the formatted line is passed through redact() before delivery.
  void log(int32_t level, const char* fmt, ...) const __attribute__((format(printf, 3, 4)));

 private:
  sr_sink_host_log_fn fn_ = nullptr;
  void* user_data_ = nullptr;
  int32_t level_ = SR_SINK_LOG_INFO;
};

// Removes credentials from text that may contain them: "Authorization: Basic ..." values,
// "user:password@" in URLs. Used for every log line and error message built from HTTP traffic.
std::string redact(std::string_view text);

}  // namespace srs
