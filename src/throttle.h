// Waiting out StarRocks' push-back, and the total retry deadline of one operation (option
// retry_timeout_ms). One Retrier per operation (a load, a transaction step): it starts the
// clock, and every wait of the operation goes through it, so no operation retries past its
// deadline, whatever mix of failures it meets.
//
// Push-back (LoadReply::throttled: "too many versions", the running-transaction limit, 429/503)
// is not a failure of the request: the same request succeeds once StarRocks caught up. Such
// waits do not spend max_retries; they grow (jittered, up to kMaxThrottleWaitMs) until the
// deadline. One run of consecutive push-backs is an episode: counted in the sink's stats
// (throttle_episodes, throttle_wait_ms) and logged once, at its start, with the label and the
// StarRocks setting that bounds it.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "status.h"

namespace srs {

class Logger;
struct SinkCounters;

class Retrier {
 public:
  static constexpr int64_t kMaxThrottleWaitMs = 30000;

  // `what` names the operation in messages ("load L into db.t"); `timeout_ms` 0 = no deadline.
  Retrier(std::string what, std::string label, int64_t base_backoff_ms, int64_t timeout_ms,
          const std::atomic<bool>* cancelled, SinkCounters* counters, const Logger* log);

  // StarRocks pushed back with `message`; `setting` bounds it. Waits, then OK. Past the deadline:
  // SR_SINK_E_TIMEOUT (retryable) naming the push-back, the setting and retry_timeout_ms.
  // SR_SINK_E_CANCELLED if cancelled while waiting.
  Status throttled(const std::string& message, const std::string& setting);
  // An ordinary retry number `retry` (1-based) after `last` failed: waits backoff_ms(base, retry)
  // (jittered). Ends a push-back episode. Past the deadline: SR_SINK_E_TIMEOUT naming
  // retry_timeout_ms and `last`.
  // `before` (if given) is told the wait before it starts (the caller's log line).
  Status retry(int retry, const Status& last, const std::function<void(int64_t)>& before = nullptr);

 private:
  Status wait(int64_t ms, const std::string& why);

  std::string what_, label_;
  int64_t base_ms_, timeout_ms_;
  const std::atomic<bool>* cancelled_;
  SinkCounters* counters_;
  const Logger* log_;
  std::chrono::steady_clock::time_point start_;
  int throttle_waits_ = 0;  // in the current episode; 0 = none
};

}  // namespace srs
