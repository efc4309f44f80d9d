// Retry backoff that sr_sink_cancel can interrupt.
#pragma once
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <random>
#include <thread>

namespace srs {

// Sleeps `ms` unless *cancelled becomes true first (checked every 10 ms: a cancel must not wait
// for a long backoff). Returns false if cancelled.
inline bool sleep_unless_cancelled(int64_t ms, const std::atomic<bool>* cancelled) {
  auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  for (;;) {
    if (cancelled && cancelled->load()) return false;
    auto now = std::chrono::steady_clock::now();
    if (now >= end) return true;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        end - now, std::chrono::milliseconds(10)));
  }
}

// A random duration in [ms/2, ms]: retries of many sinks (or many hosts) that failed together
// do not come back together.
inline int64_t jittered_ms(int64_t ms) {
  if (ms <= 1) return ms;
  thread_local std::minstd_rand rng{std::random_device{}()};
  return ms / 2 + static_cast<int64_t>(rng() % static_cast<uint64_t>(ms - ms / 2 + 1));
}

// retry_backoff_ms doubled per retry (retry 1 → base), capped at 30 s, jittered.
inline int64_t backoff_ms(int64_t base, int retry) {
  int64_t d = std::max<int64_t>(base, 0);
  for (int i = 1; i < retry && d < 30000; ++i) d *= 2;
  return jittered_ms(std::min<int64_t>(d, 30000));
}

}  // namespace srs
