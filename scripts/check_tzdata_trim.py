#!/usr/bin/env python3
"""Checks that the time-zone data gen_tzif_source.py embeds (--since YEAR: zic -b slim -r @...) gives the same
answers as the full data from YEAR on (docs/recurrence.md#time-zone-data).

Usage: check_tzdata_trim.py <tzdata.zi> <YEAR> [<zone_oracle driver>]

The database is compiled with zic's defaults (Debian's libc-bin), and into the TZif files gen_tzif_source.py
embeds (its compile_zones: slim, trimmed, fat where slim is wrong). Every zone and link is dumped from both with
`zdump -v -c YEAR,2100`: each transition's UTC instant, local time, abbreviation, DST flag and UTC offset; past the
last explicit transition zdump reads the TZif footer's rule, as cctz does. The two dumps must be equal. Exits 1
naming the first line that differs, 0 with a count when all agree.

With the zone_oracle driver (tests/tools/zone_oracle.cpp), it also reads every name's file back from the build's
embedded data (packed by gen_tzif_source.py, unpacked by core/recurrence/tzif_pack.h) and checks it is the file
zic wrote, byte for byte.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_tzif_source import compile_zones, version_of, zic_args  # noqa: E402


def dump(out, zones, year):
    res = subprocess.run(["zdump", "-v", "-c", f"{year},2100"] + [os.path.join(out, z) for z in zones],
                         check=True, capture_output=True, text=True)
    return res.stdout.replace(out + "/", "").split("\n")


def main():
    src, year = sys.argv[1], int(sys.argv[2])
    with tempfile.TemporaryDirectory() as work:
        full_dir = os.path.join(work, "full")
        subprocess.run(["zic", "-d", full_dir, src], check=True)
        zones = sorted(os.path.relpath(os.path.join(r, f), full_dir) for r, _, fs in os.walk(full_dir) for f in fs)
        a = dump(full_dir, zones, year)
        embedded, kept_fat = compile_zones(src, os.path.join(work, "gen"), year)
        out = os.path.join(work, "embedded")
        for name, data in embedded.items():
            os.makedirs(os.path.dirname(os.path.join(out, name)), exist_ok=True)
            with open(os.path.join(out, name), "wb") as fh:
                fh.write(data)
        b = dump(out, zones, year)
    if len(sys.argv) > 3:
        names = sorted(embedded)
        res = subprocess.run([sys.argv[3]], input="".join(f"B {n}\n" for n in names), check=True,
                             capture_output=True, text=True)
        lines = res.stdout.split("\n")[:-1]
        if len(lines) != len(names):
            print(f"check_tzdata_trim: the driver answered {len(lines)} of {len(names)} names")
            return 1
        for name, line in zip(names, lines):
            if line != embedded[name].hex():
                print(f"check_tzdata_trim: {name}: the build's embedded file is not zic's ({len(line) // 2} bytes "
                      f"against {len(embedded[name])})")
                return 1
        print(f"check_tzdata_trim: {len(names)} embedded files unpack to zic's, byte for byte")
    if a != b:
        for x, y in zip(a, b):
            if x != y:
                print(f"check_tzdata_trim: differs from {year} on:\n  full:    {x}\n  trimmed: {y}")
                break
        else:
            print(f"check_tzdata_trim: {len(a)} lines of the full data's dump against {len(b)}")
        return 1
    print(f"check_tzdata_trim: tzdata {version_of(src)}, {len(zones)} zones and links: the embedded TZif data "
          f"(zic {' '.join(zic_args(year))}; fat for {', '.join(kept_fat) or 'none'}) gives the same {len(a)} zdump "
          f"lines ({year}-2100) as the full data")
    return 0


if __name__ == "__main__":
    sys.exit(main())
