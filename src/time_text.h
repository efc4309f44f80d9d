// Dates and times as StarRocks' DATE/DATETIME text ("2024-05-01", "2024-05-01 12:30:00.250000"),
// computed from epoch counts in the proleptic Gregorian calendar without the C library's time
// zone state (thread-safe, no TZ environment).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace srs {

// "UTC", "Z" or "+HH:MM" / "-HH:MM" (hours 0..14, minutes 0..59) → seconds east of UTC.
std::optional<int32_t> parse_utc_offset(std::string_view tz);

// Appends "YYYY-MM-DD" for `days` since 1970-01-01. Years outside 0000..9999 return false
// (DATETIME and DATE hold 0000-01-01 .. 9999-12-31).
bool append_date(std::string* out, int64_t days);
// Appends "YYYY-MM-DD HH:MM:SS" plus ".ffffff" when micros != 0; `seconds` since the epoch,
// 0 <= micros < 1000000.
bool append_datetime(std::string* out, int64_t seconds, int32_t micros);
// Appends "HH:MM:SS[.ffffff]" for a time of day; false outside [0, 86400 s).
bool append_time_of_day(std::string* out, int64_t micros);

// The same texts written to a caller's buffer (the direct CSV path of Arrow batches writes into
// the load buffer): put_date writes exactly 10 bytes ("YYYY-MM-DD") or returns false as
// append_date; put_hms writes "HH:MM:SS" (8 bytes) for 0 <= seconds_of_day < 86400; put_fraction
// writes ".ffffff" when micros != 0. Both return the end of what they wrote.
bool put_date(char* out, int64_t days);
char* put_hms(char* out, uint32_t seconds_of_day);
char* put_fraction(char* out, int32_t micros);

}  // namespace srs
