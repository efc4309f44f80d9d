// A memory budget in bytes, shared by the sinks of one registration (sr_sink_connector_add_sink):
// the registration's memory_budget_bytes bounds the encoded bytes its sinks hold (rows waiting to
// be sent and rows kept for a replay until their load succeeded).
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

#include "status.h"

namespace srs {

class Budget {
 public:
  explicit Budget(uint64_t capacity) : capacity_(capacity) {}

  // Takes `bytes` if they fit. A request larger than the whole budget is granted when nothing is
  // held, so an oversized batch can never wait forever.
  bool try_acquire(uint64_t bytes);
  // Waits until `bytes` fit, `deadline` passes (SR_SINK_E_TIMEOUT) or *cancelled becomes true
  // (SR_SINK_E_CANCELLED; wake() must be called after setting it).
  Status acquire(uint64_t bytes, std::chrono::steady_clock::time_point deadline,
                 const std::atomic<bool>* cancelled);
  // Counts `bytes` that are already in memory, even beyond the capacity: the counter must stay
  // exact, or the budget would later under-count what its holders have.
  void take(uint64_t bytes);
  // Gives back what try_acquire/acquire/take counted.
  void release(uint64_t bytes);
  // Wakes every waiter so it re-checks its cancel flag.
  void wake();

  uint64_t capacity() const { return capacity_; }
  uint64_t used() const;

 private:
  bool fits(uint64_t bytes) const { return used_ + bytes <= capacity_ || used_ == 0; }

  const uint64_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  uint64_t used_ = 0;
};

}  // namespace srs
