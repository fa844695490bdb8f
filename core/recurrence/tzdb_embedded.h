// convene/core/recurrence/tzdb_embedded.h — the IANA time zone database, compiled in.
//
// The data is Debian's /usr/share/zoneinfo/tzdata.zi (path: CMake variable CONVENE_TZDATA_ZI), compiled at build
// time by zic into TZif files (RFC 8536) and embedded by scripts/gen_tzif_source.py: slim files, without the
// transitions before CONVENE_TZDATA_SINCE - 1 (docs/recurrence.md#time-zone-data). Native and WASM builds embed
// the same bytes, so they resolve time zones identically and never read the host's zoneinfo at run time.
#pragma once

#include <cstddef>
#include <string_view>

namespace convene::recurrence::tzdb_embedded {

/// The IANA release of the embedded data, e.g. "2025b" (tzdata.zi's `# version` line).
std::string_view version();

/// The TZif bytes of an IANA zone or link name, matched exactly (`Europe/Berlin`, `US/Eastern`); empty when the
/// database has no such name. The bytes live as long as the program.
std::string_view tzif(std::string_view name);

/// How many zone and link names the database holds.
std::size_t zone_count();

}  // namespace convene::recurrence::tzdb_embedded
