// convene/core/recurrence/rule.h — the recurrence set as values (RFC 5545 §3.3.10, §3.8.5; RFC 7529).
//
// A `RecurrenceSet` is what an iCalendar component says about when it occurs:
// DTSTART, at most one RRULE, any number of RDATE and EXDATE values. Parsing
// and serializing live in parse.h, expansion in expand.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/recurrence/civil.h"

namespace convene::recurrence {

/// RFC 5545 FREQ, coarsest first (the order matters: "finer than" comparisons).
enum class Freq { Yearly, Monthly, Weekly, Daily, Hourly, Minutely, Secondly };

/// RFC 7529 SKIP: what to do with a date the rule names but the calendar lacks (Feb 30).
enum class Skip { Omit, Backward, Forward };

/// The four forms of an RFC 5545 DATE / DATE-TIME value (§3.3.4, §3.3.5).
enum class ValueKind {
  Date,      ///< `VALUE=DATE:20240131` — a calendar day, no time
  Floating,  ///< `20240131T090000` — wall time in whatever zone the reader is in
  Utc,       ///< `20240131T090000Z`
  Zoned,     ///< `TZID=Europe/Berlin:20240131T090000` — wall time in an IANA zone
};

/// A DTSTART / RDATE / EXDATE / UNTIL value. `local` is the wall-clock reading as
/// written (for Utc, the UTC reading; for Date, midnight); `tzid` only for Zoned.
struct DateTimeValue {
  ValueKind kind = ValueKind::Floating;
  LocalTime local{};
  std::string tzid;
  bool operator==(const DateTimeValue&) const = default;
};

/// BYDAY entry: weekday (0=MO..6=SU) with an optional ordinal (`-1FR`: last Friday; 0 = every).
struct WeekdayNum {
  int weekday = 0;
  int ordinal = 0;
  bool operator==(const WeekdayNum&) const = default;
};

/// An RRULE (RFC 5545 §3.3.10) with RFC 7529's RSCALE/SKIP. Absent BYxxx parts are empty.
/// Defaults that depend on DTSTART (e.g. WEEKLY without BYDAY means DTSTART's weekday)
/// are applied by the expander, not stored, so serialize(parse(x)) keeps the rule as written.
struct RRule {
  Freq freq = Freq::Yearly;
  int interval = 1;
  std::optional<std::int64_t> count;
  std::optional<DateTimeValue> until;  ///< inclusive (RFC 5545 §3.3.10)
  std::vector<int> bysecond, byminute, byhour;
  std::vector<WeekdayNum> byday;
  std::vector<int> bymonthday, byyearday, byweekno, bymonth, bysetpos;
  std::optional<int> wkst;             ///< 0=MO..6=SU; absent means MO
  std::optional<std::string> rscale;   ///< only "GREGORIAN" is accepted
  std::optional<Skip> skip;            ///< absent means OMIT
  bool operator==(const RRule&) const = default;
};

/// DTSTART + RRULE + RDATE + EXDATE of one component.
struct RecurrenceSet {
  DateTimeValue dtstart;
  std::optional<RRule> rrule;
  std::vector<DateTimeValue> rdates, exdates;
  bool operator==(const RecurrenceSet&) const = default;
};

}  // namespace convene::recurrence
