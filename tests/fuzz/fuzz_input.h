// Splits a fuzz input into typed pieces (a small FuzzedDataProvider that works without libFuzzer's
// headers): integers from the front, strings separated by a byte the dictionaries know.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace fuzz {

class Input {
 public:
  Input(const uint8_t* data, size_t size) : s_(reinterpret_cast<const char*>(data), size) {}
  bool empty() const { return s_.empty(); }
  uint8_t byte() {
    if (s_.empty()) return 0;
    uint8_t b = static_cast<uint8_t>(s_[0]);
    s_.remove_prefix(1);
    return b;
  }
  uint64_t u64(int bytes = 8) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | byte();
    return v;
  }
  // The text up to the next '\x1f' (unit separator), or the rest.
  std::string_view part() {
    size_t k = s_.find('\x1f');
    std::string_view p = s_.substr(0, k);
    s_.remove_prefix(k == std::string_view::npos ? s_.size() : k + 1);
    return p;
  }
  std::string_view rest() {
    std::string_view r = s_;
    s_ = {};
    return r;
  }

 private:
  std::string_view s_;
};

}  // namespace fuzz
