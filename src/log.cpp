// Log delivery and secret redaction. Every line goes through redact() before it reaches the host;
// errors built from HTTP traffic use redact() too.
#include "log.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace srs {
namespace {

constexpr const char kMask[] = "***";

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Case-insensitive search for the lower-case `needle` in `s` from `from`.
size_t ifind(std::string_view s, std::string_view needle, size_t from) {
  if (needle.size() > s.size()) return std::string_view::npos;
  for (size_t i = from; i + needle.size() <= s.size(); ++i) {
    size_t k = 0;
    while (k < needle.size() && lower(s[i + k]) == needle[k]) ++k;
    if (k == needle.size()) return i;
  }
  return std::string_view::npos;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Where a bare (unquoted) secret value ends.
size_t bare_value_end(std::string_view s, size_t i) {
  while (i < s.size() && !is_space(s[i]) && s[i] != '"' && s[i] != '\'' && s[i] != ',' &&
         s[i] != ';' && s[i] != '&' && s[i] != '}' && s[i] != ')') {
    ++i;
  }
  return i;
}

// Where a quoted value that starts after the opening quote `q` ends (at the closing quote, or
// at the end of a truncated text).
size_t quoted_value_end(std::string_view s, size_t i, char q) {
  while (i < s.size() && s[i] != q) i += (s[i] == '\\' && i + 1 < s.size()) ? 2 : 1;
  return i;
}

// Replaces the value that follows each occurrence of `key` (optionally closed by a quote,
// then ':' or '=' and spaces) with the mask. With `scheme_word`, a first word such as "Basic"
// or "Bearer" is kept and the word after it is masked ("Authorization: Basic ***").
std::string mask_after_key(std::string_view in, std::string_view key, bool scheme_word) {
  std::string out;
  size_t copied = 0, pos = 0;
  while ((pos = ifind(in, key, pos)) != std::string_view::npos) {
    size_t i = pos + key.size();
    while (i < in.size() && (in[i] == '"' || in[i] == '\'')) ++i;
    while (i < in.size() && is_space(in[i])) ++i;
    if (i >= in.size() || (in[i] != ':' && in[i] != '=')) {
      pos = pos + 1;
      continue;
    }
    ++i;
    while (i < in.size() && is_space(in[i])) ++i;
    char quote = 0;
    if (i < in.size() && (in[i] == '"' || in[i] == '\'')) quote = in[i++];
    if (scheme_word) {
      size_t w = i;
      while (w < in.size() && ((in[w] >= 'A' && in[w] <= 'Z') || (in[w] >= 'a' && in[w] <= 'z'))) ++w;
      size_t after = w;
      while (after < in.size() && in[after] == ' ') ++after;
      // "Basic <token>": keep the scheme; a lone token (no scheme) is masked whole.
      if (w > i && after > w && after < in.size() && in[after] != quote) i = after;
    }
    size_t end = quote ? quoted_value_end(in, i, quote) : bare_value_end(in, i);
    if (end > i) {
      out.append(in.data() + copied, i - copied);
      out.append(kMask);
      copied = end;
    }
    pos = end > pos ? end : pos + 1;
  }
  out.append(in.data() + copied, in.size() - copied);
  return out;
}

// "scheme://user:password@host" → "scheme://***@host". '@' is searched to the end of the URL
// token (not just the authority), so a password holding '/', '?' or '#' is still caught; the
// price is that an '@' in a path or query masks more than needed.
std::string mask_userinfo(std::string_view in) {
  std::string out;
  size_t copied = 0, pos = 0;
  while ((pos = in.find("://", pos)) != std::string_view::npos) {
    size_t start = pos + 3;
    size_t end = start;
    while (end < in.size() && !is_space(in[end]) && in[end] != '"' && in[end] != '\'' &&
           in[end] != '<' && in[end] != '>' && in[end] != '`') {
      ++end;
    }
    size_t at = in.substr(start, end - start).rfind('@');
    if (at != std::string_view::npos) {
      out.append(in.data() + copied, start - copied);
      out.append(kMask);
      copied = start + at;  // keep the '@'
    }
    pos = end > start ? end : start;
  }
  out.append(in.data() + copied, in.size() - copied);
  return out;
}

}  // namespace

std::string redact(std::string_view text) {
  std::string s = mask_after_key(text, "authorization", /*scheme_word=*/true);
  s = mask_after_key(s, "password", false);
  s = mask_after_key(s, "passwd", false);
  s = mask_after_key(s, "secret", false);
  return mask_userinfo(s);
}

void Logger::log(int32_t level, const char* fmt, ...) const {
  if (!enabled(level)) return;
  char buf[2048];
  va_list ap;
  va_start(ap, fmt);
  va_list ap2;
  va_copy(ap2, ap);
  int n = std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  std::string line;
  if (n < 0) {
    line = "(log formatting failed)";
  } else if (static_cast<size_t>(n) < sizeof buf) {
    line.assign(buf, static_cast<size_t>(n));
  } else {
    // Format fully before redacting: a secret cut in half could escape the patterns.
    line.resize(static_cast<size_t>(n) + 1);
    std::vsnprintf(&line[0], line.size(), fmt, ap2);
    line.resize(static_cast<size_t>(n));
  }
  va_end(ap2);
  line = redact(line);
  // The host gets one line without a trailing newline.
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  fn_(user_data_, level, line.c_str());
}

}  // namespace srs
