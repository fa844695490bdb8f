// convene/core/recurrence/zone.h — wall time <-> instant in an IANA zone (docs/recurrence.md#policies).
//
// Backed by cctz, abseil's time-zone library, reading the IANA database compiled into
// the binary as TZif data (tzdb_embedded.h): the host's zoneinfo is never read, native
// and WASM agree (docs/recurrence.md#time-zone-data).
#pragma once

#include <string>
#include <string_view>

#include "absl/time/internal/cctz/include/cctz/time_zone.h"

#include "core/recurrence/civil.h"

namespace convene::recurrence {

/// The IANA release compiled in (e.g. "2025b").
std::string tzdata_version();

/// A resolved time zone, or UTC. Cheap to copy (a pointer to the zone, which is loaded
/// from the embedded TZif data on first use of its name and kept); caches the current
/// offset span.
class Zone {
 public:
  /// UTC: local wall time == UTC.
  Zone() = default;
  /// Looks up an IANA name or link (`Europe/Berlin`, `US/Eastern`), matched exactly.
  /// Throws Error{UNKNOWN_TIME_ZONE, field} if the embedded database lacks it (cctz's
  /// own names outside the database, such as `Fixed/UTC+01:00` or `libc:...`, included).
  Zone(std::string_view tzid, std::string_view field);

  /// Wall time -> instant (RFC 5545 §3.3.5 and docs/recurrence.md#policies):
  ///  - a time in a DST gap (does not exist) is read with the offset in force
  ///    before the gap, i.e. shifted forward by the gap (02:30 -> 03:30 in New York);
  ///  - a time in an overlap (exists twice) takes the first, earlier instant.
  /// Past a zone's last explicit transition, its TZif footer rule (the POSIX TZ string)
  /// answers; cctz repeats it by whole 400-year Gregorian cycles, so far-future lookups
  /// stay O(log n).
  Instant to_instant(LocalTime t) const;
  /// Instant -> wall time.
  LocalTime to_local(Instant t) const;
  bool is_utc() const { return !named_; }

 private:
  absl::time_internal::cctz::time_zone tz_;  // UTC unless named_
  bool named_ = false;
  // Local-time range [lo, hi) inside which every wall time exists once, with `offset`.
  mutable LocalTime lo_{LocalTime::max()}, hi_{LocalTime::min()};
  mutable std::chrono::seconds offset_{0};

  Instant lookup(LocalTime t) const;
};

}  // namespace convene::recurrence
