// convene/core/series/next_many.h — the next occurrence of every series on a page, in one call
// (docs/domain.md#event-series, "Pages").
//
// A page of series shows each one's next occurrence. Reading and checking each series with its own
// exceptions and gatherings one boundary crossing at a time costs a crossing per series and makes
// the caller sort entities by series; here the caller passes what it read for the page (the series,
// and the exceptions and gatherings of any of them, mixed) and the core groups them by their
// `seriesKey` in one pass, then reads each group exactly as read_series_state does.
#pragma once

#include "core/json_input.h"
#include "core/time.h"

namespace convene::series {

/// `in`: {series: [event_series entities], exceptions?: [event_series_exception entities],
/// gatherings?: [virtual_gathering entities]}, entities as the SDK returns them (with signer
/// metadata) or as `parse` returns them. Each exception or gathering goes to the series its
/// `seriesKey` names and is then checked against that series (docs/trust.md); one naming no series of
/// the list is counted in `unmatched`. A series that is no evidence is left out and counted.
/// Returns {items: [{seriesKey, next: <occurrence as series.next returns it> | null}] in the order of
/// `series`, ignored: {unverified, conflicting, malformed, total} (series, exceptions and gatherings),
/// unmatched: N}. `now` is UTC. Throws INVALID_TYPE naming `series` / `exceptions` / `gatherings` when
/// one is not an array.
Json next_occurrences(const Input& in, UtcTime now);

}  // namespace convene::series
