#include "time_text.h"

#include <cstring>

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

// Digits by hand (a table of the 100 digit pairs): snprintf dominated the cost of Arrow dates
// and timestamps.
constexpr char kPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";
inline void put2(char* p, unsigned v) { std::memcpy(p, kPairs + 2 * v, 2); }

}  // namespace

char* put_fraction(char* out, int32_t micros) {
  if (micros == 0) return out;
  const unsigned m = static_cast<unsigned>(micros);
  out[0] = '.';
  put2(out + 1, m / 10000);
  put2(out + 3, m / 100 % 100);
  put2(out + 5, m % 100);
  return out + 7;
}

char* put_hms(char* out, uint32_t sod) {
  put2(out, sod / 3600);
  out[2] = ':';
  put2(out + 3, sod / 60 % 60);
  out[5] = ':';
  put2(out + 6, sod % 60);
  return out + 8;
}

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

bool put_date(char* buf, int64_t days) {
  // Outside these the civil arithmetic could overflow; they are far beyond year 9999 anyway.
  if (days < -800000 || days > 3000000) return false;
  int64_t y;
  unsigned m, d;
  civil_from_days(days, &y, &m, &d);
  if (y < 0 || y > 9999) return false;
  put2(buf, static_cast<unsigned>(y / 100));
  put2(buf + 2, static_cast<unsigned>(y % 100));
  buf[4] = '-';
  put2(buf + 5, m);
  buf[7] = '-';
  put2(buf + 8, d);
  return true;
}

bool append_date(std::string* out, int64_t days) {
  char buf[10];
  if (!put_date(buf, days)) return false;
  out->append(buf, 10);
  return true;
}

bool append_datetime(std::string* out, int64_t seconds, int32_t micros) {
  const int64_t days = floor_div(seconds, 86400);
  if (!append_date(out, days)) return false;
  char buf[16];
  buf[0] = ' ';
  char* e = put_hms(buf + 1, static_cast<uint32_t>(seconds - days * 86400));
  e = put_fraction(e, micros);
  out->append(buf, static_cast<size_t>(e - buf));
  return true;
}

bool append_time_of_day(std::string* out, int64_t micros) {
  if (micros < 0 || micros >= int64_t{86400} * 1000000) return false;
  char buf[16];
  char* e = put_hms(buf, static_cast<uint32_t>(micros / 1000000));
  e = put_fraction(e, static_cast<int32_t>(micros % 1000000));
  out->append(buf, static_cast<size_t>(e - buf));
  return true;
}

}  // namespace srs
