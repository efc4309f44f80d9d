// Internal error values. Every fallible internal function returns Status or Result<T>;
// abi_entry.cpp is the one place that turns them into sr_sink_error.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <variant>

#include "sr_sink.h"

namespace srs {

class Status {
 public:
  Status() = default;
  static Status OK() { return Status(); }
  static Status Error(int32_t code, std::string message, uint32_t flags = 0) {
    Status s;
    s.code_ = code;
    s.message_ = std::move(message);
    s.flags_ = flags;
    return s;
  }
  bool ok() const { return code_ == SR_SINK_OK; }
  int32_t code() const { return code_; }
  uint32_t flags() const { return flags_; }
  const std::string& message() const { return message_; }
  int http_status() const { return http_status_; }
  const std::string& label() const { return label_; }
  bool retryable() const { return flags_ & SR_SINK_ERROR_F_RETRYABLE; }

  Status& with_flags(uint32_t f) { flags_ |= f; return *this; }
  Status& with_http_status(int s) { http_status_ = s; return *this; }
  Status& with_label(std::string l) { label_ = std::move(l); return *this; }
  // Prepends context: "open shop.orders: " + message.
  Status& prefix(const std::string& context) { message_ = context + message_; return *this; }

 private:
  int32_t code_ = SR_SINK_OK;
  uint32_t flags_ = 0;
  int http_status_ = 0;
  std::string label_;
  std::string message_;
};

template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}   // NOLINT: must not be OK
  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

#define SRS_RETURN_IF_ERROR(expr)            \
  do {                                       \
    ::srs::Status _st = (expr);              \
    if (!_st.ok()) return _st;               \
  } while (0)

}  // namespace srs
