#!/usr/bin/env python3
"""Checks that the trimmed time-zone data gen_tzdata_source.py embeds (--since YEAR) gives the same answers as the
full data from YEAR on (docs/recurrence.md#time-zone-data).

Usage: check_tzdata_trim.py <tzdata.zi> <YEAR>

Both forms are compiled with zic (Debian's libc-bin) and every zone and link of the full data is dumped with
`zdump -v -c YEAR,2038`: each transition's UTC instant, local time, abbreviation, DST flag and UTC offset. The two
dumps must be equal. Exits 1 naming the first zone that differs, 0 with a count when all agree.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_tzdata_source import expand, trim  # noqa: E402


def names(text):
    out = []
    for line in text.split("\n"):
        f = line.split("\t")
        if f[0] == "Zone":
            out.append(f[1])
        elif f[0] == "Link":
            out.append(f[2])
    return out


def dump(text, work, label, zones, year):
    src = os.path.join(work, label + ".zic")
    out = os.path.join(work, label)
    with open(src, "w", encoding="utf-8") as fh:
        fh.write(text)
    subprocess.run(["zic", "-d", out, src], check=True)
    res = subprocess.run(["zdump", "-v", "-c", f"{year},2038"] + [os.path.join(out, z) for z in zones],
                         check=True, capture_output=True, text=True)
    return res.stdout.replace(out + "/", "")


def main():
    src, year = sys.argv[1], int(sys.argv[2])
    with open(src, encoding="utf-8") as fh:
        full, version = expand(fh)
    trimmed = trim(full, year)
    zones = names(full)
    with tempfile.TemporaryDirectory() as work:
        a = dump(full, work, "full", zones, year).split("\n")
        b = dump(trimmed, work, "trimmed", zones, year).split("\n")
    if a != b:
        for x, y in zip(a, b):
            if x != y:
                print(f"check_tzdata_trim: differs from {year} on:\n  full:    {x}\n  trimmed: {y}")
                break
        else:
            print(f"check_tzdata_trim: {len(a)} lines of the full data's dump against {len(b)}")
        return 1
    print(f"check_tzdata_trim: tzdata {version}, {len(zones)} zones and links: the data trimmed to {year} on gives the "
          f"same {len(a)} zdump lines ({year}-2038) as the full data ({len(full)} -> {len(trimmed)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
