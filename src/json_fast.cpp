// The choice of the fast path's implementation. Only an AVX2 build exists: with SSE2 alone
// (4 × 16-byte compares per mask) the kernel measured slower than the reference recogniser, so
// CPUs without AVX2 use the reference for every row.
#include "json_fast.h"

namespace srs {

fast_path::Fn fast_path::avx2() {
#if defined(__x86_64__) || defined(__i386__)
  if (kAvx2Kernel && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul")) {
    return kAvx2Kernel;
  }
#endif
  return nullptr;
}

namespace {

struct Choice {
  fast_path::Fn fn;
  const char* name;
};

const Choice& choice() {
  static const Choice c = [] {
    if (fast_path::Fn f = fast_path::avx2()) return Choice{f, "avx2"};
    return Choice{nullptr, "none"};
  }();
  return c;
}

}  // namespace

bool fast_accept_json_object(const char* row, size_t n, bool* line_break) {
  const fast_path::Fn f = choice().fn;
  return f != nullptr && f(row, n, line_break, false, nullptr);
}

bool fast_accept_json_object_padded(const char* row, size_t n, bool* line_break) {
  const fast_path::Fn f = choice().fn;
  return f != nullptr && f(row, n, line_break, true, nullptr);
}

bool fast_accept_json_object_keys(const char* row, size_t n, bool* line_break, KeyBlocks* keys) {
  const fast_path::Fn f = choice().fn;
  return f != nullptr && n <= UINT32_MAX && f(row, n, line_break, true, keys);
}

const char* fast_path_name() { return choice().name; }

}  // namespace srs
