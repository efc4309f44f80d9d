#include "time_text.h"

#include <cstdio>

namespace srs {
namespace {

// Days since 1970-01-01 → civil date (the era-based algorithm: 400-year cycles of 146097 days).
void civil_from_days(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

void append_fraction(std::string* out, int32_t micros) {
  if (micros == 0) return;
  char buf[8];
  std::snprintf(buf, sizeof buf, ".%06d", micros);
  out->append(buf, 7);
}

}  // namespace

std::optional<int32_t> parse_utc_offset(std::string_view tz) {
  if (tz == "UTC" || tz == "Z" || tz == "+00:00") return 0;
  if (tz.size() != 6 || (tz[0] != '+' && tz[0] != '-') || tz[3] != ':') return std::nullopt;
  auto digit = [&](size_t i) { return tz[i] >= '0' && tz[i] <= '9'; };
  if (!digit(1) || !digit(2) || !digit(4) || !digit(5)) return std::nullopt;
  const int h = (tz[1] - '0') * 10 + (tz[2] - '0'), m = (tz[4] - '0') * 10 + (tz[5] - '0');
  if (h > 14 || m > 59) return std::nullopt;
  const int32_t s = h * 3600 + m * 60;
  return tz[0] == '-' ? -s : s;
}

bool append_date(std::string* out, int64_t days) {
  // Outside these the civil arithmetic could overflow; they are far beyond year 9999 anyway.
  if (days < -800000 || days > 3000000) return false;
  int64_t y;
  unsigned m, d;
  civil_from_days(days, &y, &m, &d);
  if (y < 0 || y > 9999) return false;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(y), m, d);
  out->append(buf, 10);
  return true;
}

bool append_datetime(std::string* out, int64_t seconds, int32_t micros) {
  const int64_t days = floor_div(seconds, 86400);
  const int64_t sod = seconds - days * 86400;
  if (!append_date(out, days)) return false;
  char buf[32];
  std::snprintf(buf, sizeof buf, " %02d:%02d:%02d", static_cast<int>(sod / 3600),
                static_cast<int>(sod / 60 % 60), static_cast<int>(sod % 60));
  out->append(buf, 9);
  append_fraction(out, micros);
  return true;
}

bool append_time_of_day(std::string* out, int64_t micros) {
  if (micros < 0 || micros >= int64_t{86400} * 1000000) return false;
  const int64_t s = micros / 1000000;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", static_cast<int>(s / 3600),
                static_cast<int>(s / 60 % 60), static_cast<int>(s % 60));
  out->append(buf, 8);
  append_fraction(out, static_cast<int32_t>(micros % 1000000));
  return true;
}

}  // namespace srs
