#!/usr/bin/env python3
"""Generates the C++ source that embeds the IANA time zone database in the recurrence part.

Usage: gen_tzif_source.py <tzdata.zi> <out.cpp> [--since YEAR]

Input: zic's one-file form of the database (Debian's /usr/share/zoneinfo/tzdata.zi); its `# version` line names
the release. The zones are compiled with zic (Debian's libc-bin) into TZif files (RFC 8536), the binary form
cctz reads (docs/recurrence.md#time-zone-data):

- `-b slim`: no 32-bit data block, no transitions a zone's TZ footer string (its rule for all later times)
  already gives;
- `--since YEAR` passes `-r @<start of YEAR-1, UTC>`: transitions before that are dropped. Instants from YEAR on
  get the same answers as the full data (a year of margin for local times near New Year; checked by
  scripts/check_tzdata_trim.py); earlier ones are unspecified.

Debian bookworm's zic (glibc 2.36) drops transitions in slim output for a few zones (2025b: America/Ojinaga
in 2022, Asia/Gaza and Asia/Hebron). Each zone's slim file is therefore checked against the same zone compiled
with `-b fat` (`zdump -v`, from YEAR to 2100); where they differ, the zone keeps the fat file's 64-bit data and
footer, behind the slim file's empty 32-bit block (RFC 8536 section 3.1: version 2+ readers skip it).

Each distinct file is embedded packed (pack_tzif below; core/recurrence/tzif_pack.h reads it back): the same
bytes, except that the 64-bit transition times become variable-length differences. Those times are most of a
file and, as 8-byte big-endian integers, gzip poorly (2025b: 158,914 bytes, 28.9 KB gzipped as TZif; 96,685 bytes,
11.1 KB gzipped packed).

Output: one C++ file defining convene::recurrence::tzdb_embedded::{version(), zone_count(), name_at(i), packed(name)}
(core/recurrence/tzdb_embedded.h): every zone and link's packed file once per distinct content, and a table of
every name, sorted by byte value for binary search.
"""
import calendar
import os
import struct
import subprocess
import sys
import tempfile


def version_of(path):
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("# version "):
                return line.split()[2]
            if not line.startswith("#"):
                break
    raise SystemExit(f"gen_tzif_source: no '# version' line in {path}")


def zic_args(since, form="slim"):
    """The zic options of the embedded data (shared with check_tzdata_trim.py)."""
    args = ["-b", form]
    if since:
        args += ["-r", "@%d" % calendar.timegm((int(since) - 1, 1, 1, 0, 0, 0))]
    return args


def read_zones(out_dir):
    zones = {}
    for root, _, files in os.walk(out_dir):
        for f in files:
            path = os.path.join(root, f)
            with open(path, "rb") as fh:
                data = fh.read()
            if data[:4] == b"TZif":
                zones[os.path.relpath(path, out_dir)] = data
    return zones


def zdump_by_zone(out_dir, names, since):
    """zdump -v lines per zone name, from YEAR (or 1970) to 2100."""
    res = subprocess.run(["zdump", "-v", "-c", f"{since or 1970},2100"] + [os.path.join(out_dir, n) for n in names],
                         check=True, capture_output=True, text=True)
    by = {}
    for line in res.stdout.split("\n"):
        if line:
            name = line.split(" ", 1)[0][len(out_dir) + 1:]
            by.setdefault(name, []).append(line[len(out_dir) + 1:])
    return by


def v1_block_end(data):
    """Offset of the version 2+ header: the end of the 32-bit header and data block (RFC 8536 section 3)."""
    isut, isstd, leap, time, typ, char = struct.unpack(">6l", data[20:44])
    return 44 + time * 5 + typ * 6 + char + leap * 8 + isstd + isut


def compile_zones(zi, work, since):
    slim_dir, fat_dir = os.path.join(work, "slim"), os.path.join(work, "fat")
    subprocess.run(["zic", "-d", slim_dir] + zic_args(since) + [zi], check=True)
    subprocess.run(["zic", "-d", fat_dir] + zic_args(since, "fat") + [zi], check=True)
    slim, fat = read_zones(slim_dir), read_zones(fat_dir)
    names = sorted(slim)
    a, b = zdump_by_zone(slim_dir, names, since), zdump_by_zone(fat_dir, names, since)
    kept_fat = [n for n in names if a.get(n) != b.get(n)]
    for n in kept_fat:
        slim[n] = slim[n][:v1_block_end(slim[n])] + fat[n][v1_block_end(fat[n]):]
    return slim, kept_fat


def footer(data):
    """A TZif file's footer: the POSIX TZ string between its last two newlines (RFC 8536 section 3.3)."""
    return data[data.rstrip(b"\n").rfind(b"\n"):]


def varint(n):
    """n >= 0 as LEB128: 7 bits per byte, low bits first, the high bit set on every byte but the last."""
    out = bytearray()
    while True:
        low, n = n & 0x7F, n >> 7
        out.append(low | (0x80 if n else 0))
        if not n:
            return bytes(out)


def zigzag(n):
    """A signed 64-bit integer as an unsigned one, small magnitudes small: 0, -1, 1, -2 -> 0, 1, 2, 3."""
    return (n << 1) ^ (n >> 63)


def pack_tzif(data):
    """A TZif file (version 2+) in the embedded form that core/recurrence/tzif_pack.h unpacks.

    Everything is kept byte for byte (the 32-bit block, the version 2+ header, the types, abbreviations, leap and
    indicator arrays, the footer) except the version 2+ block's transition times: each is written as its
    difference from the previous one (the first from 0), zigzag-encoded, shifted left one bit, as a LEB128 varint.
    The bit shifted in says the unit: 0 for whole minutes (the difference divided by 60), 1 for seconds. A
    difference whose code would not fit 64 bits fails the build."""
    v1 = v1_block_end(data)
    time = struct.unpack(">l", data[v1 + 32:v1 + 36])[0]
    start = v1 + 44
    times = struct.unpack(">%dq" % time, data[start:start + 8 * time])
    out, prev = bytearray(data[:start]), 0
    for t in times:
        delta, prev = t - prev, t
        code = zigzag(delta // 60) << 1 if delta % 60 == 0 else zigzag(delta) << 1 | 1
        if not 0 <= code < 1 << 64:
            raise SystemExit(f"gen_tzif_source: transition difference {delta} s does not pack into 64 bits")
        out += varint(code)
    out += data[start + 8 * time:]
    return bytes(out)


def c_string(data):
    """Bytes as C string literal pieces of at most 100 octal-escaped bytes per line."""
    lines = []
    for i in range(0, len(data), 100):
        lines.append('"' + "".join("\\%03o" % b for b in data[i:i + 100]) + '"')
    return "\n".join(lines)


def main(argv):
    if len(argv) not in (3, 5) or (len(argv) == 5 and argv[3] != "--since"):
        raise SystemExit(__doc__)
    zi, out = argv[1], argv[2]
    since = argv[4] if len(argv) == 5 and argv[4] else None
    version = version_of(zi)
    with tempfile.TemporaryDirectory() as work:
        zones, kept_fat = compile_zones(zi, work, since)
    # Distinct files in the order of their footer rule (then of their first name): zones that share a rule
    # have similar transitions, and gzip finds them within its 32 KiB window (2025b, as TZif: 30.6 -> 28.9 KB
    # gzipped; packed: 11.1 against 11.2 KB by name).
    first = {}
    for name in sorted(zones, key=lambda n: n.encode()):
        first.setdefault(zones[name], name)
    blobs = sorted(first, key=lambda d: (footer(d), first[d].encode()))
    packed = {data: pack_tzif(data) for data in blobs}
    at, offset = {}, 0
    for data in blobs:
        at[data] = offset
        offset += len(packed[data])
    table = [(name, at[zones[name]], len(packed[zones[name]])) for name in sorted(zones, key=lambda n: n.encode())]
    blob = b"".join(packed[data] for data in blobs)
    body = [
        "// Generated by scripts/gen_tzif_source.py from %s: do not edit." % os.path.basename(zi),
        "// IANA tz database %s, %d names, %d distinct TZif files, %d bytes packed (%d as TZif)%s." % (
            version, len(table), len(blobs), len(blob), sum(map(len, blobs)), ", from %s on" % since if since else ""),
        "// Kept from zic -b fat (the slim file differed): %s." % (", ".join(kept_fat) or "none"),
        '#include "core/recurrence/tzdb_embedded.h"',
        "#include <algorithm>",
        "#include <cstdint>",
        "namespace convene::recurrence::tzdb_embedded {",
        "namespace {",
        "struct Entry { const char* name; std::uint32_t offset, size; };",
        "constexpr char kBytes[] =",
        c_string(blob) + ";",
        "constexpr Entry kZones[] = {",
    ]
    body += ['  {"%s", %d, %d},' % (n, o, s) for n, o, s in table]
    body += [
        "};",
        "}  // namespace",
        'std::string_view version() { return "%s"; }' % version,
        "std::size_t zone_count() { return sizeof kZones / sizeof kZones[0]; }",
        "std::string_view name_at(std::size_t i) { return i < zone_count() ? kZones[i].name : std::string_view(); }",
        "std::string_view packed(std::string_view name) {",
        "  const Entry* end = kZones + zone_count();",
        "  const Entry* e = std::lower_bound(kZones, end, name,",
        "                                    [](const Entry& z, std::string_view n) { return std::string_view(z.name) < n; });",
        "  if (e == end || std::string_view(e->name) != name) return {};",
        "  return std::string_view(kBytes + e->offset, e->size);",
        "}",
        "}  // namespace convene::recurrence::tzdb_embedded",
        "",
    ]
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("\n".join(body))


if __name__ == "__main__":
    main(sys.argv)
