// convene/core/recurrence/tzif_pack.h — the embedded time-zone data's packed form, read back into TZif.
//
// scripts/gen_tzif_source.py embeds each zone's TZif file (RFC 8536) packed: byte for byte the same, except the
// version 2+ data block's transition times, which are written as variable-length differences instead of 8-byte
// big-endian integers (they are most of each file, and gzip barely shrinks them: for tzdata 2025b the embedded
// data is 11.1 KB gzipped packed against 28.9 KB as TZif). docs/recurrence.md#time-zone-data.
//
// The packed form, in order:
//   1. the version 1 header and data block, as in the file (RFC 8536 section 3.1; slim files carry an empty one);
//   2. the version 2+ header, 44 bytes as in the file (its timecnt says how many times follow);
//   3. timecnt transition times, each a LEB128 varint (7 bits a byte, low first, the high bit on every byte but
//      the last) whose lowest bit is the unit (0: minutes, 1: seconds) and whose other bits are the difference
//      from the previous time (from 0 for the first), zigzag-encoded (0, -1, 1, -2 -> 0, 1, 2, 3);
//   4. the rest of the file as it is: transition types, local time types, abbreviations, leap-second records,
//      standard/wall and UT/local indicators, and the footer.
#pragma once

#include <string>
#include <string_view>

namespace convene::recurrence {

/// The TZif file `packed` holds (the form above). Returns an empty string when `packed` is not that form:
/// shorter than its headers say (more transition times than bytes left among them), not starting with "TZif", a
/// version below 2, negative counts, or a varint that is cut off or longer than 64 bits. Pure; allocates only the
/// result, at most 8 bytes per input byte.
std::string unpack_tzif(std::string_view packed);

}  // namespace convene::recurrence
