// convene/core/recurrence/json.h — the JS-facing shapes of core.recurrence (docs/domain.md#package-surface).
//
// One JSON string in, one JSON value out (docs/architecture.md "Crossing the boundary").
//
// Parsed recurrence set (`core.recurrence.parse`), RFC 5545 names in lower case:
//   { dtstart: Value, rrule?: Rule, rdate: Value[], exdate: Value[] }
//   Value = { kind: 'date'|'floating'|'utc'|'zoned', value: '20240105' | '20240105T180000' |
//             '20240105T180000Z', tzid?: 'Europe/Berlin' }          (RFC 5545 §3.3.4/§3.3.5 text)
//   Rule  = { freq: 'WEEKLY', interval: 1, count?: n, until?: Value, bysecond?: [..], byminute?,
//             byhour?, byday?: ['MO','-1FR'], bymonthday?, byyearday?, byweekno?, bymonth?,
//             bysetpos?, wkst?: 'SU', rscale?: 'GREGORIAN', skip?: 'OMIT'|'BACKWARD'|'FORWARD' }
// `recurrence_set_from_json` reads that shape back (serialize), validating it with the
// same parser as text, so its errors are INVALID_RRULE naming the part.
#pragma once

#include "core/json_input.h"
#include "core/recurrence/expand.h"
#include "core/recurrence/rule.h"

namespace convene::recurrence {

Json to_json(const RecurrenceSet& set);
/// Throws INVALID_TYPE / MISSING_FIELD (field `set.<key>`) for a wrong shape, INVALID_RRULE for bad values.
RecurrenceSet recurrence_set_from_json(const Json& j);

/// Expand options from `{ after?, before?, limit?, includeDtstart? }` (field prefix `options`).
/// after/before: ISO 8601 string with offset or epoch ms (inclusive; `after` rounds up and
/// `before` down to whole seconds); for a set whose DTSTART is `dtstart_kind` Floating or Date also
/// the forms its output uses, `YYYY-MM-DDTHH:MM:SS` and `YYYY-MM-DD` (wall time read as UTC, as the
/// instances are), so the last instance of a page bounds the next; limit: integer >= 0.
ExpandOptions expand_options_from_json(const Json& j, ValueKind dtstart_kind = ValueKind::Utc);

/// Output text of one instance (docs/domain.md#package-surface): `YYYY-MM-DDTHH:MM:SSZ` for UTC and zoned sets,
/// `YYYY-MM-DDTHH:MM:SS` for floating, `YYYY-MM-DD` for DATE.
std::string format_occurrence(const Occurrence& o, ValueKind dtstart_kind);

}  // namespace convene::recurrence
