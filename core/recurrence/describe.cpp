#include "core/recurrence/describe.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "core/recurrence/civil.h"
#include "core/recurrence/zone.h"

namespace convene::recurrence {
namespace {

constexpr std::array<const char*, 7> kWeekdays = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
constexpr std::array<const char*, 12> kMonths = {"January", "February", "March",     "April",   "May",      "June",
                                                 "July",    "August",   "September", "October", "November", "December"};

std::string ordinal(int n) {
  if (n == -1) return "last";
  if (n == -2) return "second to last";
  if (n < 0) return ordinal(-n) + " to last";
  const char* suffix = (n % 100 >= 11 && n % 100 <= 13) ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
  return std::to_string(n) + suffix;
}

/// "a", "a and b", "a, b and c".
template <class F>
std::string join(std::size_t n, F&& item) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) out += i + 1 == n ? " and " : ", ";
    out += item(i);
  }
  return out;
}

std::string clock(int hour, int minute) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", hour, minute);
  return buf;
}

std::string day_text(const Civil& c) {
  std::int64_t days = days_from_civil(c.year, static_cast<unsigned>(c.month), static_cast<unsigned>(c.day));
  return std::string(kWeekdays[static_cast<std::size_t>(weekday_of(days))]) + " " + std::to_string(c.day) + " " +
         kMonths[static_cast<std::size_t>(c.month - 1)] + " " + std::to_string(c.year);
}

std::string zone_text(const DateTimeValue& v) {
  if (v.kind == ValueKind::Zoned) return " (" + v.tzid + " time)";
  if (v.kind == ValueKind::Utc) return " (UTC)";
  return "";
}

/// "every Thursday", "every 2 weeks on Monday and Wednesday", "every month on the 2nd Tuesday", ...
std::string cadence(const RRule& r, const Civil& start, bool& exact) {
  const int n = r.interval;
  auto every = [&](const char* one, const char* many) { return n == 1 ? std::string("every ") + one : "every " + std::to_string(n) + " " + many; };
  auto weekdays = [&](const std::vector<WeekdayNum>& days) {
    return join(days.size(), [&](std::size_t i) {
      const WeekdayNum& d = days[i];
      std::string name = kWeekdays[static_cast<std::size_t>(d.weekday)];
      return d.ordinal ? "the " + ordinal(d.ordinal) + " " + name : name;
    });
  };
  const int start_weekday = weekday_of(days_from_civil(start.year, static_cast<unsigned>(start.month), static_cast<unsigned>(start.day)));
  switch (r.freq) {
    case Freq::Secondly: exact = false; return every("second", "seconds");
    case Freq::Minutely: return every("minute", "minutes");
    case Freq::Hourly: return every("hour", "hours");
    case Freq::Daily:
      if (!r.byday.empty()) return every("day", "days") + " on " + weekdays(r.byday);
      return every("day", "days");
    case Freq::Weekly: {
      std::vector<WeekdayNum> days = r.byday;
      if (days.empty()) days.push_back({start_weekday, 0});
      if (n == 1) return "every " + weekdays(days);
      return every("week", "weeks") + " on " + weekdays(days);
    }
    case Freq::Monthly: {
      std::string base = every("month", "months");
      if (!r.bymonthday.empty())
        return base + " on the " + join(r.bymonthday.size(), [&](std::size_t i) {
                 int d = r.bymonthday[i];
                 return d == -1 ? std::string("last day") : d < 0 ? ordinal(d) + " day" : ordinal(d);
               });
      if (!r.byday.empty()) {
        if (r.bysetpos.size() == 1 && std::all_of(r.byday.begin(), r.byday.end(), [](const WeekdayNum& d) { return d.ordinal == 0; }))
          return base + " on the " + ordinal(r.bysetpos[0]) + " of " + weekdays(r.byday);
        if (!r.bysetpos.empty()) exact = false;
        bool all_ordinal = std::all_of(r.byday.begin(), r.byday.end(), [](const WeekdayNum& d) { return d.ordinal != 0; });
        return base + " on " + (all_ordinal ? "" : "every ") + weekdays(r.byday);
      }
      return base + " on the " + ordinal(start.day);
    }
    case Freq::Yearly: {
      std::string base = every("year", "years");
      if (r.bymonth.size() > 1 || !r.byyearday.empty() || !r.byweekno.empty()) exact = false;
      int month = r.bymonth.size() == 1 ? r.bymonth[0] : start.month;
      if (!r.byday.empty()) return base + " on " + weekdays(r.byday) + " in " + kMonths[static_cast<std::size_t>(month - 1)];
      int day = r.bymonthday.size() == 1 ? r.bymonthday[0] : start.day;
      return base + " on " + (day < 0 ? "the " + ordinal(day) + " day of" : std::to_string(day)) + " " + kMonths[static_cast<std::size_t>(month - 1)];
    }
  }
  return "";
}

}  // namespace

Description describe(const RecurrenceSet& set) {
  Description d;
  const Civil start = to_civil(set.dtstart.local);
  const bool date_only = set.dtstart.kind == ValueKind::Date;
  const std::string at = date_only ? "" : " at " + clock(start.hour, start.minute);
  if (!set.rrule) {
    d.text = "once on " + day_text(start) + at + zone_text(set.dtstart);
  } else {
    const RRule& r = *set.rrule;
    d.text = cadence(r, start, d.exact);
    if (!r.bysecond.empty() || !r.byweekno.empty() || !r.byyearday.empty()) d.exact = false;
    if (r.freq == Freq::Monthly && !r.bymonth.empty()) {
      d.text += " in " + join(r.bymonth.size(), [&](std::size_t i) { return std::string(kMonths[static_cast<std::size_t>(r.bymonth[i] - 1)]); });
    }
    const bool sub_daily = r.freq == Freq::Hourly || r.freq == Freq::Minutely || r.freq == Freq::Secondly;
    if (!date_only && !sub_daily) {
      if (r.byhour.size() > 1 || r.byminute.size() > 1) {
        std::vector<int> hours = r.byhour.empty() ? std::vector<int>{start.hour} : r.byhour;
        std::vector<int> minutes = r.byminute.empty() ? std::vector<int>{start.minute} : r.byminute;
        d.text += " at " + join(hours.size() * minutes.size(), [&](std::size_t i) { return clock(hours[i / minutes.size()], minutes[i % minutes.size()]); });
      } else {
        d.text += " at " + clock(r.byhour.empty() ? start.hour : r.byhour[0], r.byminute.empty() ? start.minute : r.byminute[0]);
      }
    }
    d.text += zone_text(set.dtstart);
    if (sub_daily) d.text += ", from " + day_text(start) + at;
    if (r.count) d.text += *r.count == 1 ? ", once" : ", " + std::to_string(*r.count) + " times";
    if (r.until) {
      LocalTime until = r.until->local;
      if (r.until->kind == ValueKind::Utc && set.dtstart.kind == ValueKind::Zoned)
        until = Zone(set.dtstart.tzid, "DTSTART").to_local(Instant{r.until->local.time_since_epoch()});
      d.text += ", until " + day_text(to_civil(until));
    }
  }
  if (!set.exdates.empty()) d.text += ", except " + std::to_string(set.exdates.size()) + (set.exdates.size() == 1 ? " date" : " dates");
  if (!set.rdates.empty()) d.text += ", plus " + std::to_string(set.rdates.size()) + (set.rdates.size() == 1 ? " more date" : " more dates");
  return d;
}

}  // namespace convene::recurrence
