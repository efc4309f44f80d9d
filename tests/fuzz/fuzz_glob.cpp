// Glob matching of "db.table" names against a reference: a memoised recursive matcher written
// from glob.h's description (`*` any run including '.', `?` one character, `[abc]`, `[a-z]`,
// `[!x]`, a ']' right after '[' or '[!' is a member).
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "fuzz_input.h"
#include "glob.h"

namespace {
struct Ref {
  std::string_view p, t;
  std::vector<signed char> memo;
  bool cls(size_t i, size_t* end, unsigned char c) const {
    size_t j = i + 1;
    bool neg = false;
    if (j < p.size() && p[j] == '!') neg = true, ++j;
    size_t first = j;
    if (j < p.size() && p[j] == ']') ++j;
    while (j < p.size() && p[j] != ']') ++j;
    *end = j + 1;
    bool in = false;
    for (size_t k = first; k < j;) {
      if (k + 2 < j && p[k + 1] == '-') {
        if (static_cast<unsigned char>(p[k]) <= c && c <= static_cast<unsigned char>(p[k + 2])) in = true;
        k += 3;
      } else {
        if (static_cast<unsigned char>(p[k]) == c) in = true;
        ++k;
      }
    }
    return in != neg;
  }
  bool m(size_t i, size_t k) {
    signed char& v = memo[i * (t.size() + 1) + k];
    if (v >= 0) return v;
    bool r;
    if (i == p.size()) {
      r = k == t.size();
    } else if (p[i] == '*') {
      r = m(i + 1, k) || (k < t.size() && m(i, k + 1));
    } else if (k == t.size()) {
      r = false;
    } else if (p[i] == '?') {
      r = m(i + 1, k + 1);
    } else if (p[i] == '[') {
      size_t end;
      r = cls(i, &end, static_cast<unsigned char>(t[k])) && m(end, k + 1);
    } else {
      r = p[i] == t[k] && m(i + 1, k + 1);
    }
    v = r;
    return r;
  }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::Input in(data, size);
  const std::string_view pattern = in.part();
  const std::string_view text = in.rest();
  if (pattern.size() > 300 || text.size() > 300) return 0;
  if (!srs::validate_glob(pattern).ok()) return 0;
  Ref ref{pattern, text, std::vector<signed char>((pattern.size() + 1) * (text.size() + 1), -1)};
  const bool want = ref.m(0, 0);
  FUZZ_CHECK(srs::glob_match(pattern, text) == want, "glob `%s` on `%s`: want %d", fuzz::show(pattern).c_str(),
             fuzz::show(text).c_str(), want);
  return 0;
}
