#include "core/recurrence/civil.h"

#include <cstdio>

namespace convene::recurrence {

Civil to_civil(LocalTime t) {
  const std::int64_t secs = t.time_since_epoch().count();
  std::int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  const std::int64_t sod = secs - days * 86400;
  const date::year_month_day ymd{date::local_days{date::days{days}}};
  return Civil{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
               static_cast<int>(static_cast<unsigned>(ymd.day())), static_cast<int>(sod / 3600),
               static_cast<int>(sod / 60 % 60), static_cast<int>(sod % 60)};
}

LocalTime from_civil(const Civil& c) {
  return local_from_days(days_from_civil(c.year, static_cast<unsigned>(c.month), static_cast<unsigned>(c.day)),
                         c.hour * 3600 + c.minute * 60 + c.second);
}

std::string format_basic(LocalTime t, bool date_only) {
  const Civil c = to_civil(t);
  char buf[32];
  if (date_only)
    std::snprintf(buf, sizeof buf, "%04d%02d%02d", c.year, c.month, c.day);
  else
    std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d%02d", c.year, c.month, c.day, c.hour, c.minute, c.second);
  return buf;
}

std::string format_extended(LocalTime t, bool date_only) {
  const Civil c = to_civil(t);
  char buf[32];
  if (date_only)
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.year, c.month, c.day);
  else
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", c.year, c.month, c.day, c.hour, c.minute, c.second);
  return buf;
}

}  // namespace convene::recurrence
