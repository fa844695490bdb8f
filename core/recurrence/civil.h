// convene/core/recurrence/civil.h — civil (wall-clock) time vs absolute time.
//
// Recurrence rules are evaluated on wall-clock time and only then placed on the
// time line, so the two are distinct types (as in Howard Hinnant's date and
// abseil): a `LocalTime` is a wall-clock reading with no zone
// (date::local_seconds), an `Instant` is a point on the UTC time line
// (date::sys_seconds). Converting between them needs a `Zone` (zone.h).
// Recurrence works in whole seconds (iCalendar has no sub-second values).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <date/date.h>

namespace convene::recurrence {

/// Wall-clock time in some (unnamed) zone, seconds resolution.
using LocalTime = date::local_seconds;
/// Absolute instant, seconds since 1970-01-01T00:00:00Z (leap seconds ignored).
using Instant = date::sys_seconds;

/// Broken-down civil date-time; month 1..12, day 1..31, weekday 0=Monday..6=Sunday.
struct Civil {
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
};

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil).
constexpr std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

/// Weekday of a day number, 0=Monday..6=Sunday (1970-01-01 was a Thursday).
constexpr int weekday_of(std::int64_t days) { return static_cast<int>(((days % 7) + 7 + 3) % 7); }

constexpr bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
constexpr int days_in_month(int y, int m) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

Civil to_civil(LocalTime t);
LocalTime from_civil(const Civil& c);
inline LocalTime local_from_days(std::int64_t days, int sec_of_day = 0) {
  return LocalTime{std::chrono::seconds{days * 86400 + sec_of_day}};
}

/// `YYYYMMDDTHHMMSS` (RFC 5545 §3.3.5 local form) or `YYYYMMDD` when `date_only`.
std::string format_basic(LocalTime t, bool date_only);
/// `YYYY-MM-DDTHH:MM:SS` or `YYYY-MM-DD` (the package's output form, docs/domain.md#package-surface).
std::string format_extended(LocalTime t, bool date_only);

}  // namespace convene::recurrence
