#include "budget.h"

namespace srs {

bool Budget::try_acquire(uint64_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!fits(bytes)) return false;
  used_ += bytes;
  return true;
}

Status Budget::acquire(uint64_t bytes, std::chrono::steady_clock::time_point deadline,
                       const std::atomic<bool>* cancelled) {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    if (cancelled && cancelled->load()) {
      return Status::Error(SR_SINK_E_CANCELLED, "cancelled while waiting for memory");
    }
    if (fits(bytes)) {
      used_ += bytes;
      return Status::OK();
    }
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && !fits(bytes)) {
      if (cancelled && cancelled->load()) continue;
      return Status::Error(SR_SINK_E_TIMEOUT,
                           "memory budget of " + std::to_string(capacity_) +
                               " bytes is full (memory_budget_bytes); waited for " +
                               std::to_string(bytes) + " bytes until write_timeout_ms passed",
                           SR_SINK_ERROR_F_RETRYABLE);
    }
  }
}

void Budget::take(uint64_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  used_ += bytes;
}

void Budget::release(uint64_t bytes) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    // Never more than was counted (holders give back exactly what they took); the clamp only
    // keeps an accounting bug from wrapping the counter and blocking every writer for good.
    used_ -= bytes <= used_ ? bytes : used_;
  }
  cv_.notify_all();
}

void Budget::wake() {
  // Taking the lock orders the caller's flag store before the waiters' re-check.
  { std::lock_guard<std::mutex> lock(mu_); }
  cv_.notify_all();
}

uint64_t Budget::used() const {
  std::lock_guard<std::mutex> lock(mu_);
  return used_;
}

}  // namespace srs
