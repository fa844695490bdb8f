// convene/core/recurrence/infer.h — a rule from a list of start times.
//
// For events imported one by one from platforms without recurrence (docs/domain.md#bluesky):
// given the starts of a series, find the simplest RRULE that reproduces them, in
// this order: DAILY, WEEKLY (BYDAY = the weekdays seen), MONTHLY by day of month,
// MONTHLY by n-th (or last) weekday, YEARLY; INTERVAL is the largest step that
// fits. A rule that yields exactly the starts is written with COUNT; one that
// yields them plus a few missing ones (at most a quarter, e.g. cancelled
// meetings) is written with UNTIL and EXDATEs. Every candidate is checked by
// expanding it, so what is returned always reproduces the input.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "core/recurrence/rule.h"

namespace convene::recurrence {

/// `starts`: instants (any order, duplicates ignored; at least 2 distinct).
/// `tzid`: the zone whose wall clock the series follows ("" = UTC); all starts must
/// share one wall-clock time of day there. Returns nullopt when no rule fits.
/// Throws UNKNOWN_TIME_ZONE (field `options.tzid`).
std::optional<RecurrenceSet> infer_rule(std::vector<Instant> starts, std::string_view tzid);

}  // namespace convene::recurrence
