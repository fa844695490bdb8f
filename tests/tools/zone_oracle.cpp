// tests/tools/zone_oracle.cpp — the driver of the zone_oracle test (tests/tools/zone_oracle.py): answers, for
// wall times in IANA zones, what convene::recurrence::Zone gives, so a script can compare every zone with an
// independent reader of the same tzdata release (Python's zoneinfo). docs/recurrence.md#time-zone-data.
//
// stdin, one request per line; stdout, one answer line per request (then a line "." after each T request):
//   T <zone>            -> "<from> <to>" per transition cctz lists from 1969 to 2500: the wall times (local
//                          seconds since 1970-01-01T00:00) just before and at it, in the old and new offset
//   Q <zone> <local>    -> "<fresh> <walked>": the instant (seconds since the epoch, UTC) of that wall time from
//                          a new Zone, and from one Zone per name kept across all Q requests (its span cache)
//   B <zone>            -> the zone's embedded TZif file, unpacked (tzdb_embedded.h), in lowercase hex; for
//                          scripts/check_tzdata_trim.py, which compares it with zic's file byte for byte
// An unknown zone answers "unknown".
#include <iostream>
#include <map>
#include <string>

#include "absl/time/internal/cctz/include/cctz/time_zone.h"
#include "core/error.h"
#include "core/recurrence/tzdb_embedded.h"
#include "core/recurrence/zone.h"

namespace cctz = absl::time_internal::cctz;
using convene::recurrence::Instant;
using convene::recurrence::LocalTime;
using convene::recurrence::Zone;

int main() {
  std::ios::sync_with_stdio(false);
  const cctz::civil_second epoch(1970, 1, 1, 0, 0, 0);
  std::map<std::string, Zone> walked;
  std::string op, name;
  while (std::cin >> op >> name) {
    if (op == "T") {
      cctz::time_zone tz;
      if (cctz::load_time_zone(name, &tz)) {
        cctz::time_zone::civil_transition tr;
        auto at = cctz::convert(cctz::civil_second(1969, 1, 1, 0, 0, 0), cctz::utc_time_zone());
        const auto end = cctz::convert(cctz::civil_second(2500, 1, 1, 0, 0, 0), cctz::utc_time_zone());
        while (at < end && tz.next_transition(at, &tr)) {
          std::cout << (tr.from - epoch) << ' ' << (tr.to - epoch) << '\n';
          at = tz.lookup(tr.to).trans;
        }
      }
      std::cout << ".\n";
    } else if (op == "B") {
      const std::string bytes = convene::recurrence::tzdb_embedded::tzif(name);
      if (bytes.empty()) std::cout << "unknown";
      for (const char c : bytes) std::cout << "0123456789abcdef"[(c >> 4) & 0xF] << "0123456789abcdef"[c & 0xF];
      std::cout << '\n';
    } else {
      long long local = 0;
      std::cin >> local;
      try {
        const LocalTime t{std::chrono::seconds{local}};
        const Instant fresh = Zone(name, "zone").to_instant(t);
        auto it = walked.try_emplace(name, name, "zone").first;
        std::cout << fresh.time_since_epoch().count() << ' ' << it->second.to_instant(t).time_since_epoch().count()
                  << '\n';
      } catch (const convene::Error&) {
        std::cout << "unknown\n";
      }
    }
  }
  return 0;
}
