// convene/core/recurrence/parse.h — iCalendar text <-> RecurrenceSet (RFC 5545, RFC 7529).
//
// Input is the recurrence part of a component, one property per line:
//   DTSTART;TZID=Europe/Berlin:20240105T180000
//   RRULE:FREQ=WEEKLY;BYDAY=FR;UNTIL=20240628T160000Z
//   RDATE;TZID=Europe/Berlin:20240704T180000,20240711T180000
//   EXDATE;VALUE=DATE:20240301
// Accepted as real feeds write them: CRLF or LF, folded lines (§3.1), lower-case
// names and values, a trailing `;` in RRULE, `X-` rule parts (ignored), quoted
// TZID values, other properties (SUMMARY, BEGIN:VEVENT, ...: ignored), and
// Google's DATE `UNTIL` with a DATE-TIME `DTSTART` (expand.h says how it is read).
//
// Errors (convene::Error):
//   INVALID_RRULE  field `RRULE.<PART>` (e.g. `RRULE.BYDAY`) naming the bad part,
//                  or `DTSTART` / `RDATE` / `EXDATE` / `RRULE` for the property.
//                  RSCALE other than GREGORIAN is refused (RFC 7529 allows a
//                  receiver to refuse calendars it does not support).
//   UNKNOWN_TIME_ZONE is not raised here: TZIDs are resolved by the expander.
#pragma once

#include <string>
#include <string_view>

#include "core/recurrence/rule.h"

namespace convene::recurrence {

/// Parses DTSTART (required, exactly one), at most one RRULE, any RDATE/EXDATE lines.
RecurrenceSet parse_recurrence_set(std::string_view ical);

/// Parses the value of an RRULE property (`FREQ=...;...`), without the `RRULE:` name.
RRule parse_rrule(std::string_view value);

/// Parses one DATE / DATE-TIME value: `20240105`, `20240105T180000`, `20240105T180000Z`.
/// `tzid` (may be empty) makes a DATE-TIME Zoned; `value_date` forces VALUE=DATE.
DateTimeValue parse_date_time(std::string_view text, std::string_view tzid, bool value_date, std::string_view field);

/// Canonical RRULE value: RSCALE first, then FREQ, UNTIL, COUNT, INTERVAL (when not 1),
/// BYSECOND..BYSETPOS in RFC order, WKST (when given), SKIP (when given).
std::string format_rrule(const RRule& rule);

/// Canonical text: DTSTART line, RRULE line, one RDATE and one EXDATE line per value, LF-separated.
/// parse_recurrence_set(format_recurrence_set(s)) == s for every parsed s.
std::string format_recurrence_set(const RecurrenceSet& set);

/// The property line of one value: `NAME;TZID=..:v`, `NAME;VALUE=DATE:v` or `NAME:v`.
std::string format_property(std::string_view name, const DateTimeValue& v);

/// RFC 5545 two-letter weekday (0=MO..6=SU).
std::string_view weekday_name(int weekday);

}  // namespace convene::recurrence
