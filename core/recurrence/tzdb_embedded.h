// convene/core/recurrence/tzdb_embedded.h — the IANA time zone database, compiled in.
//
// The data is Debian's /usr/share/zoneinfo/tzdata.zi (path: CMake variable CONVENE_TZDATA_ZI), compiled at build
// time by zic into TZif files (RFC 8536) and embedded by scripts/gen_tzif_source.py: slim files, without the
// transitions before CONVENE_TZDATA_SINCE - 1, each stored packed (core/recurrence/tzif_pack.h) and unpacked when
// a zone is first loaded (docs/recurrence.md#time-zone-data). Native and WASM builds embed the same bytes, so they
// resolve time zones identically and never read the host's zoneinfo at run time.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/recurrence/tzif_pack.h"

namespace convene::recurrence::tzdb_embedded {

/// The IANA release of the embedded data, e.g. "2025b" (tzdata.zi's `# version` line).
std::string_view version();

/// How many zone and link names the database holds.
std::size_t zone_count();

/// The i-th name in byte order (0 <= i < zone_count()); empty past the end.
std::string_view name_at(std::size_t i);

/// The packed TZif file (tzif_pack.h) of an IANA zone or link name, matched exactly (`Europe/Berlin`,
/// `US/Eastern`); empty when the database has no such name. The bytes live as long as the program.
std::string_view packed(std::string_view name);

/// Whether the database has the zone or link `name`, matched exactly.
inline bool contains(std::string_view name) { return !packed(name).empty(); }

/// The TZif file of `name`, unpacked (a new string each call); empty when the database has no such name.
inline std::string tzif(std::string_view name) { return unpack_tzif(packed(name)); }

}  // namespace convene::recurrence::tzdb_embedded
