// Glob matching of "db.table" names. Iterative with a single backtrack point for the last `*`:
// O(len(pattern) * len(text)) worst case, no recursion (patterns come from users).
#include "glob.h"

#include <string>

namespace srs {
namespace {

// A bracket expression starting at pattern[i] == '['. Sets *end to the index after its ']' and
// returns false if it is unterminated. A ']' right after '[' or '[!' is a literal member.
bool class_end(std::string_view p, size_t i, size_t* end) {
  size_t j = i + 1;
  if (j < p.size() && p[j] == '!') ++j;
  if (j < p.size() && p[j] == ']') ++j;
  while (j < p.size() && p[j] != ']') ++j;
  if (j >= p.size()) return false;
  *end = j + 1;
  return true;
}

// Whether `c` is in the (terminated) bracket expression p[i, end).
bool class_matches(std::string_view p, size_t i, size_t end, char c) {
  size_t j = i + 1;
  const size_t last = end - 1;  // the closing ']'
  bool negate = false;
  if (p[j] == '!') {
    negate = true;
    ++j;
  }
  bool in = false;
  while (j < last) {
    unsigned char lo = static_cast<unsigned char>(p[j]);
    if (j + 2 < last && p[j + 1] == '-') {
      unsigned char hi = static_cast<unsigned char>(p[j + 2]);
      if (lo <= static_cast<unsigned char>(c) && static_cast<unsigned char>(c) <= hi) in = true;
      j += 3;
    } else {
      if (static_cast<unsigned char>(c) == lo) in = true;
      ++j;
    }
  }
  return in != negate;
}

}  // namespace

Status validate_glob(std::string_view pattern) {
  if (pattern.empty()) return Status::Error(SR_SINK_E_CONFIG, "glob is empty; use \"*\" to match every table");
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '[') continue;
    size_t end;
    if (!class_end(pattern, i, &end)) {
      return Status::Error(SR_SINK_E_CONFIG, "glob `" + std::string(pattern) +
                                                 "` has an unterminated '[' at position " +
                                                 std::to_string(i));
    }
    // A reversed range ("[z-a]") would silently match nothing: almost certainly a typo.
    size_t j = i + 1;
    if (pattern[j] == '!') ++j;
    const size_t last = end - 1;
    while (j < last) {
      if (j + 2 < last && pattern[j + 1] == '-') {
        if (static_cast<unsigned char>(pattern[j]) > static_cast<unsigned char>(pattern[j + 2])) {
          return Status::Error(SR_SINK_E_CONFIG, "glob `" + std::string(pattern) + "` has a reversed range `" +
                                                     std::string(pattern.substr(j, 3)) + "`");
        }
        j += 3;
      } else {
        ++j;
      }
    }
    i = end - 1;
  }
  return Status::OK();
}

bool glob_match(std::string_view p, std::string_view t) {
  size_t pi = 0, ti = 0;
  // Where to resume after the last '*': pattern index after it, and the text index it covers up to.
  size_t star_p = std::string_view::npos, star_t = 0;
  while (ti < t.size()) {
    if (pi < p.size()) {
      char pc = p[pi];
      if (pc == '*') {
        star_p = ++pi;
        star_t = ti;
        continue;
      }
      if (pc == '?') {
        ++pi;
        ++ti;
        continue;
      }
      if (pc == '[') {
        size_t end;
        if (class_end(p, pi, &end)) {
          if (class_matches(p, pi, end, t[ti])) {
            pi = end;
            ++ti;
            continue;
          }
        } else if (t[ti] == '[') {  // unterminated: a literal '[' (validate_glob refuses it)
          ++pi;
          ++ti;
          continue;
        }
      } else if (pc == t[ti]) {
        ++pi;
        ++ti;
        continue;
      }
    }
    // Mismatch: let the last '*' swallow one more character, or fail.
    if (star_p == std::string_view::npos) return false;
    pi = star_p;
    ti = ++star_t;
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

}  // namespace srs
