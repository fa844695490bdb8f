// convene/core/recurrence/expand.h — the instances of a recurrence set in a window.
//
// Policies (docs/recurrence.md#policies, with examples):
//  - DTSTART is an instance only when the rule produces it (libical, dateutil,
//    rrule.js; the conformance vectors assume this). `include_dtstart` makes it
//    the first instance always, counted by COUNT (RFC 5545 §3.3.10's reading,
//    as ical.js and Google Calendar do). Without an RRULE, DTSTART is the instance.
//  - Rules run on wall time in DTSTART's zone; each wall time is then placed on
//    the time line by Zone::to_instant (gap: shifted forward by the gap; overlap:
//    the earlier instant).
//  - UNTIL is inclusive. A UTC UNTIL bounds the instants; a floating UNTIL is a wall
//    time in DTSTART's zone; a DATE UNTIL with a DATE-TIME DTSTART (Google Calendar's
//    exports) includes that whole day.
//  - EXDATE removes an instance only at the exact same instant, never "the same day".
//    RDATEs are added; duplicates (by instant) are dropped. COUNT counts RRULE
//    instances before EXDATE removes any (RFC 5545 §3.8.5.1).
//  - Floating and DATE values have no zone: their instant is the wall time read as UTC
//    (a DATE is its midnight), and `after`/`before` compare against that.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/recurrence/civil.h"
#include "core/recurrence/rule.h"

namespace convene::recurrence {

/// Most instances one call returns; a window that holds more needs a `limit`.
inline constexpr std::size_t kMaxOccurrences = 1'000'000;

struct ExpandOptions {
  std::optional<Instant> after;   ///< inclusive lower bound
  std::optional<Instant> before;  ///< inclusive upper bound
  std::optional<std::size_t> limit;
  bool include_dtstart = false;
  /// Work units (periods + candidate days) the call may spend before RECURRENCE_TOO_SPARSE.
  std::int64_t work_budget = 20'000'000;
};

/// One instance: its instant and its wall time in DTSTART's zone (equal for UTC;
/// for floating and DATE sets the instant is the wall time read as UTC).
struct Occurrence {
  Instant instant;
  LocalTime local;
  bool operator==(const Occurrence&) const = default;
};

/// All instances of `set` with after <= instant <= before, ascending, at most `limit`.
/// Throws: UNBOUNDED_RECURRENCE (field `options.before`) when the RRULE has no
/// COUNT/UNTIL and neither `before` nor `limit` is given, or when more than
/// kMaxOccurrences instances would be returned; UNKNOWN_TIME_ZONE (field
/// `DTSTART`/`RDATE`/`EXDATE`); INVALID_RRULE; RECURRENCE_TOO_SPARSE when the
/// rule yields too little for the work budget (see rrule_iterator.h).
/// Work is bounded: no COUNT -> the expansion jumps to `after`; no rule runs past year 9999.
std::vector<Occurrence> expand(const RecurrenceSet& set, const ExpandOptions& options);

}  // namespace convene::recurrence
