// convene/core/recurrence/zone.h — wall time <-> instant in an IANA zone (docs/recurrence.md#policies).
//
// Backed by Howard Hinnant's date/tz over the IANA database compiled into the
// binary (tzdb_embedded.h): the host's zoneinfo is never read, native and WASM agree.
#pragma once

#include <string>
#include <string_view>

#include <date/tz.h>

#include "core/recurrence/civil.h"

namespace convene::recurrence {

/// The IANA release compiled in (e.g. "2026f"); loads the database on first use.
std::string tzdata_version();

/// A resolved time zone, or UTC. Cheap to copy; caches the current offset span.
class Zone {
 public:
  /// UTC: local wall time == UTC.
  Zone() = default;
  /// Looks up an IANA name or link (`Europe/Berlin`, `US/Eastern`).
  /// Throws Error{UNKNOWN_TIME_ZONE, field} if the embedded database lacks it.
  Zone(std::string_view tzid, std::string_view field);

  /// Wall time -> instant (RFC 5545 §3.3.5 and docs/recurrence.md#policies):
  ///  - a time in a DST gap (does not exist) is read with the offset in force
  ///    before the gap, i.e. shifted forward by the gap (02:30 -> 03:30 in New York);
  ///  - a time in an overlap (exists twice) takes the first, earlier instant.
  /// Far future: from year 2600 on, times are folded back by whole 400-year Gregorian
  /// cycles into [2200, 2600) (same weekdays and dates; every IANA rule is periodic there,
  /// the last explicit transitions end in the 2080s), which keeps lookups O(log n).
  Instant to_instant(LocalTime t) const;
  /// Instant -> wall time.
  LocalTime to_local(Instant t) const;
  bool is_utc() const { return tz_ == nullptr; }

 private:
  const date::time_zone* tz_ = nullptr;
  // Local-time range [lo, hi) inside which every wall time exists once, with `offset`.
  mutable LocalTime lo_{LocalTime::max()}, hi_{LocalTime::min()};
  mutable std::chrono::seconds offset_{0};

  Instant lookup(LocalTime t) const;
};

}  // namespace convene::recurrence
