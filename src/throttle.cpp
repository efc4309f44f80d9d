#include "throttle.h"

#include <algorithm>

#include "backoff.h"
#include "log.h"
#include "mode_driver.h"

namespace srs {

using Clock = std::chrono::steady_clock;

Retrier::Retrier(std::string what, std::string label, int64_t base_backoff_ms, int64_t timeout_ms,
                 const std::atomic<bool>* cancelled, SinkCounters* counters, const Logger* log)
    : what_(std::move(what)),
      label_(std::move(label)),
      base_ms_(base_backoff_ms),
      timeout_ms_(timeout_ms),
      cancelled_(cancelled),
      counters_(counters),
      log_(log),
      start_(Clock::now()) {}

Status Retrier::wait(int64_t ms, const std::string& why) {
  if (timeout_ms_ > 0) {
    const int64_t spent =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start_).count();
    if (spent + ms > timeout_ms_) {
      return Status::Error(SR_SINK_E_TIMEOUT,
                           what_ + ": gave up after " + std::to_string(spent) +
                               " ms, the next retry would pass retry_timeout_ms (" +
                               std::to_string(timeout_ms_) + " ms): " + why,
                           SR_SINK_ERROR_F_RETRYABLE)
          .with_label(label_);
    }
  }
  if (!sleep_unless_cancelled(ms, cancelled_)) {
    return Status::Error(SR_SINK_E_CANCELLED, what_ + " cancelled").with_label(label_);
  }
  return Status::OK();
}

Status Retrier::throttled(const std::string& message, const std::string& setting) {
  const bool starts = throttle_waits_ == 0;
  ++throttle_waits_;
  // Push-back lasts until compaction or other loads catch up: the wait doubles per push-back.
  const int64_t ms = std::min(backoff_ms(base_ms_, throttle_waits_), kMaxThrottleWaitMs);
  const std::string why = "StarRocks kept pushing back (" + redact(message) + "; bounded by " +
                          setting + ")";
  if (starts) {
    if (counters_) counters_->throttle_episodes.fetch_add(1, std::memory_order_relaxed);
    if (log_ && log_->enabled(SR_SINK_LOG_WARN)) {
      log_->log(SR_SINK_LOG_WARN,
                "%s: StarRocks pushes back (%s), label %s; waiting it out (up to retry_timeout_ms "
                "%lld ms) instead of spending retries; the bound is %s",
                what_.c_str(), redact(message).c_str(), label_.c_str(), (long long)timeout_ms_,
                setting.c_str());
    }
  } else if (log_ && log_->enabled(SR_SINK_LOG_DEBUG)) {
    log_->log(SR_SINK_LOG_DEBUG, "%s: still pushed back (%s), waiting %lld ms", what_.c_str(),
              redact(message).c_str(), (long long)ms);
  }
  const auto t0 = Clock::now();
  Status st = wait(ms, why);
  if (counters_) {
    counters_->throttle_wait_ms.fetch_add(
        (uint64_t)std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count(),
        std::memory_order_relaxed);
  }
  return st;
}

Status Retrier::retry(int retry, const Status& last, const std::function<void(int64_t)>& before) {
  throttle_waits_ = 0;
  const int64_t ms = backoff_ms(base_ms_, retry);
  if (before) before(ms);
  return wait(ms, last.message());
}

}  // namespace srs
