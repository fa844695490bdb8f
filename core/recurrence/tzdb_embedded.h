// convene/core/recurrence/tzdb_embedded.h — the IANA time zone database, compiled in.
//
// The data is Debian's /usr/share/zoneinfo/tzdata.zi (path: CMake variable
// CONVENE_TZDATA_ZI), expanded at build time by scripts/gen_tzdata_source.py into
// the long zic source form that Howard Hinnant's date/tz.cpp parses. Native and
// WASM builds embed the same bytes, so they resolve time zones identically and
// never read the host's zoneinfo at run time.
#pragma once

#include <string_view>

namespace convene::recurrence::tzdb_embedded {

/// The whole database as zic source text (`Rule`, `Zone`, `Link` lines).
std::string_view zic_source();

/// The IANA release of the embedded data, e.g. "2026f".
std::string_view version();

}  // namespace convene::recurrence::tzdb_embedded
