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
  /// answers; cctz lists its transitions for 400 years, and later wall times are read
  /// whole 400-year Gregorian cycles earlier (same dates and weekdays), so far-future
  /// lookups stay O(log n) and their offset spans are cached like near ones.
  Instant to_instant(LocalTime t) const;
  /// Instant -> wall time.
  LocalTime to_local(Instant t) const;
  bool is_utc() const { return !named_; }

 private:
  absl::time_internal::cctz::time_zone tz_;  // UTC unless named_
  bool named_ = false;
  // Wall times from fold_from_ on are answered 400-year cycles earlier, in [fold_from_ - cycle, fold_from_):
  // the 400 whole years of cctz's list of the zone's footer-rule transitions, where spans can be cached
  // (zone.cpp). LocalTime::max() when the zone has no such list.
  LocalTime fold_from_{LocalTime::max()};
  // Local-time range [lo, hi) inside which every wall time exists once, with `offset`.
  mutable LocalTime lo_{LocalTime::max()}, hi_{LocalTime::min()};
  mutable std::chrono::seconds offset_{0};

  /// The instant of wall time t, caching its offset span (not below `floor`) when t is unique.
  Instant lookup(LocalTime t, LocalTime floor) const;
};

}  // namespace convene::recurrence
