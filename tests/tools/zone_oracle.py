#!/usr/bin/env python3
"""The zone_oracle test: convene::recurrence::Zone (cctz over the embedded TZif data) against Python's zoneinfo
(the host's compiled files of the same Debian tzdata release), in every zone and link of the database
(docs/recurrence.md#time-zone-data).

Usage: zone_oracle.py <zone_oracle driver> <tzdata.zi> [seed]

Wall times asked in every zone, each of a new Zone and of one Zone per name walked through them all (its span
cache), as zoneinfo's fold=0 reads them (a time in a gap with the offset before it, a time in an overlap as the
earlier instant: the policy of docs/recurrence.md#policies):
- around every transition cctz lists from 1969 to 2500 (one second and one hour either side of both of its wall
  times), and the same wall times 400 and 7,600 years later (the footer rule's cycle, past cctz's list);
- random wall times from 1970 to 2400 and from 2400 to 9999.
Prints the count and the first mismatches; exits 1 on any mismatch.
"""
import datetime
import random
import subprocess
import sys
from zoneinfo import ZoneInfo

EPOCH = datetime.datetime(1970, 1, 1)
CYCLE = 146097 * 86400


def sec(y):
    return int((datetime.datetime(y, 1, 1) - EPOCH).total_seconds())


def names_of(zi):
    out = []
    with open(zi, encoding="utf-8") as fh:
        for line in fh:
            f = line.split()
            if f and f[0] == "Z":
                out.append(f[1])
            elif f and f[0] == "L":
                out.append(f[2])
    return sorted(out)


def main():
    driver, zi = sys.argv[1], sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    names = names_of(zi)
    res = subprocess.run([driver], input="".join(f"T {n}\n" for n in names), capture_output=True, text=True,
                         check=True).stdout.split("\n")
    transitions, it = {}, iter(res)
    for n in names:
        transitions[n] = []
        for line in it:
            if line == ".":
                break
            transitions[n].append(tuple(int(x) for x in line.split()))
    lo, mid, hi = sec(1970), sec(2400), sec(9999) + 364 * 86400
    queries = []
    for n in names:
        q = set(rng.randrange(lo, mid) for _ in range(100)) | set(rng.randrange(mid, hi) for _ in range(100))
        for f, t in transitions[n]:
            for base in (f, t):
                for d in (-3600, -1, 0, 1, 3600):
                    for shift in (0, CYCLE, 19 * CYCLE):
                        p = base + d + shift
                        if (shift == 0 or base > sec(2030)) and lo <= p <= hi:
                            q.add(p)
        order = sorted(q)
        if rng.random() < 0.5:
            rng.shuffle(order)
        queries += [(n, p) for p in order]
    out = subprocess.run([driver], input="".join(f"Q {n} {p}\n" for n, p in queries), capture_output=True,
                         text=True, check=True).stdout.split("\n")
    bad, zones = [], {}
    for (n, p), line in zip(queries, out):
        z = zones.get(n) or zones.setdefault(n, ZoneInfo(n))
        wall = EPOCH + datetime.timedelta(seconds=p)
        want = p - int(wall.replace(tzinfo=z).utcoffset().total_seconds())
        got = line.split()
        if got != [str(want), str(want)]:
            bad.append(f"{n} {wall.isoformat()}: zoneinfo {want}, Zone (fresh walked) {line}")
    if len(out) - 1 != len(queries):
        bad.append(f"the driver answered {len(out) - 1} of {len(queries)} queries")
    if bad:
        print(f"zone_oracle: {len(bad)} of {len(queries)} wall times differ; first ones:")
        print("\n".join(bad[:20]))
        return 1
    print(f"zone_oracle: {len(names)} zones and links, {len(queries)} wall times (transitions 1969-2500, the same "
          f"+400 and +7,600 years, random 1970-9999): Zone agrees with zoneinfo, fresh and walked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
