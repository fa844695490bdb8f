// convene/core/time.h — absolute time at the API edge.
//
// The core works on absolute instants (`UtcTime`: UTC, millisecond precision,
// Unix epoch). Civil (wall-clock) time with zones belongs to recurrence/.
// The clock is always a parameter: nothing in core/ reads the system clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace convene {

using Millis = std::chrono::milliseconds;
/// An absolute instant: milliseconds since 1970-01-01T00:00:00Z (leap seconds ignored, as in JS).
using UtcTime = std::chrono::sys_time<Millis>;

/// Parses an ISO 8601 / RFC 3339 date-time with an explicit offset:
/// `YYYY-MM-DDTHH:MM[:SS[.fraction]](Z|±HH:MM|±HHMM)`; 't', 'z' and a space
/// separator are accepted. A bare date `YYYY-MM-DD` is taken as midnight UTC
/// (what `new Date('YYYY-MM-DD')` does). Fractions beyond milliseconds are truncated.
/// Throws `Error{INVALID_DATE, field}` for anything else, including a missing
/// offset on a date-time (it would be ambiguous) and out-of-range components.
UtcTime parse_iso8601(std::string_view text, std::string_view field);

/// Formats as `YYYY-MM-DDTHH:MM:SS.mmmZ` (what JS `Date#toISOString` prints).
std::string format_iso8601(UtcTime t);
/// format_iso8601() appended to `out` (no string of its own: for writers of long texts).
void append_iso8601(std::string& out, UtcTime t);

/// Epoch milliseconds -> instant. Throws INVALID_DATE (naming `field`) for
/// NaN, infinities, or values outside ±8.64e15 (the JS Date range).
UtcTime from_epoch_ms(double ms, std::string_view field);

/// Instant -> epoch milliseconds.
inline std::int64_t to_epoch_ms(UtcTime t) { return t.time_since_epoch().count(); }

}  // namespace convene
