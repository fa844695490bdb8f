#!/usr/bin/env python3
"""Differential cases for core.recurrence: random rules expanded by python-dateutil.

Usage: dateutil_cases.py <count> <seed> [<shard> <shards>]
  -> JSON lines on stdout: {"index", "ical", "options", "expected"}

Deterministic: case i is drawn from its own generator seeded with (seed, i), so <shards>
processes, each taking the indexes i with i % shards == shard, together make exactly the
cases one process makes (the test runs two, one per core). A case dateutil cannot answer
(too slow, or its IndexError with large BYDAY ordinals) is skipped and counted on stderr. python-dateutil's rrule expands each rule on wall-clock
time; zoned wall times are placed on the time line with zoneinfo at fold=0, which is
exactly the engine's policy (gap: the offset before the gap, i.e. shifted forward;
overlap: the earlier instant). Window, EXDATE (exact instants), RDATE, UNTIL for
zoned rules (a UTC instant: stop at the first instance past it) and the limit are
applied here the same way the engine documents them (core/recurrence/expand.h).

Generated rules avoid the engine's documented, intended differences from dateutil
(docs/recurrence.md): BYWEEKNO (libical's week-year periods), BYDAY mixing plain and
ordinal days, BYSETPOS with WEEKLY (whole first week), YEARLY+BYMONTHDAY without
BYMONTH/BYDAY (DTSTART's month), DATE UNTIL with DATE-TIME DTSTART (whole day), and
rule-part combinations RFC 5545 forbids, which the engine rejects.
"""
import json
import random
import signal
import sys
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

ZONES = ["America/New_York", "Europe/Berlin", "Australia/Sydney", "Australia/Lord_Howe",
         "Pacific/Apia", "Europe/Moscow"]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
FREQS = ["YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY"]


class Timeout(Exception):
    pass


def on_alarm(signum, frame):
    raise Timeout()


def basic(dt, date_only):
    return dt.strftime("%Y%m%d") if date_only else dt.strftime("%Y%m%dT%H%M%S")


def sample(rng, lo, hi, k, nonzero=True, signed=False):
    vals = set()
    for _ in range(k):
        v = rng.randint(lo, hi)
        if signed and rng.random() < 0.3:
            v = -v
        if nonzero and v == 0:
            continue
        vals.add(v)
    return sorted(vals)


def make_rule(rng, kind):
    freq = rng.choice(FREQS[:4] if kind == "date" else FREQS)
    parts = [f"FREQ={freq}"]
    if rng.random() < 0.4:
        parts.append(f"INTERVAL={rng.randint(2, 5 if freq != 'MINUTELY' else 90)}")
    has_by = False
    if rng.random() < 0.35:
        parts.append("BYMONTH=" + ",".join(map(str, sample(rng, 1, 12, rng.randint(1, 4)))))
        has_bymonth = True
        has_by = True
    else:
        has_bymonth = False
    byday = False
    if freq != "DAILY" or rng.random() < 0.3:
        if rng.random() < 0.5:
            if freq in ("MONTHLY", "YEARLY") and rng.random() < 0.5:
                n = rng.choice([1, 2, 3, 4, -1, -2]) if freq == "MONTHLY" else rng.choice([1, 2, 10, 20, -1, -5])
                parts.append(f"BYDAY={n}{rng.choice(DAYS)}")
            else:
                parts.append("BYDAY=" + ",".join(rng.sample(DAYS, rng.randint(1, 4))))
            byday = True
            has_by = True
    if freq in ("MONTHLY", "YEARLY", "DAILY") and rng.random() < 0.3:
        parts.append("BYMONTHDAY=" + ",".join(map(str, sample(rng, 1, 31, rng.randint(1, 3), signed=True))))
        has_by = True
        if freq == "YEARLY" and not has_bymonth and not byday:
            parts.append(f"BYMONTH={rng.randint(1, 12)}")
    if freq == "YEARLY" and rng.random() < 0.15:
        parts.append("BYYEARDAY=" + ",".join(map(str, sample(rng, 1, 366, rng.randint(1, 3), signed=True))))
        has_by = True
    if kind != "date":
        if rng.random() < 0.25:
            parts.append("BYHOUR=" + ",".join(map(str, sample(rng, 0, 23, rng.randint(1, 3), nonzero=False))))
            has_by = True
        if rng.random() < 0.2:
            parts.append("BYMINUTE=" + ",".join(map(str, sample(rng, 0, 59, rng.randint(1, 3), nonzero=False))))
            has_by = True
    if has_by and freq in ("MONTHLY", "YEARLY") and rng.random() < 0.3:
        parts.append("BYSETPOS=" + ",".join(map(str, sample(rng, 1, 3, rng.randint(1, 2), signed=True))))
    if rng.random() < 0.2:
        parts.append("WKST=" + rng.choice(DAYS))
    return freq, parts


def dtstart_for(rng, kind, tz):
    # Years around DST rule changes; hours near transitions (01:00-03:59) half of the time.
    d = date(rng.randint(1995, 2035), rng.randint(1, 12), rng.randint(1, 28))
    if rng.random() < 0.3:  # near a DST switch: March/April or October/November
        d = date(rng.randint(2005, 2030), rng.choice([3, 4, 10, 11]), rng.randint(1, 28))
    if kind == "date":
        return datetime(d.year, d.month, d.day)
    hour = rng.randint(1, 3) if rng.random() < 0.5 else rng.randint(0, 23)
    return datetime(d.year, d.month, d.day, hour, rng.choice([0, 15, 30, 45]), 0)


def to_instant(wall, kind, tz):
    if kind == "zoned":
        return wall.replace(tzinfo=ZoneInfo(tz), fold=0).astimezone(timezone.utc).replace(tzinfo=None)
    return wall  # UTC, floating and DATE: the wall time read as UTC


def fmt(inst, kind):
    if kind == "date":
        return inst.strftime("%Y-%m-%d")
    if kind == "floating":
        return inst.strftime("%Y-%m-%dT%H:%M:%S")
    return inst.strftime("%Y-%m-%dT%H:%M:%SZ")


def iso(inst):
    return inst.strftime("%Y-%m-%dT%H:%M:%SZ")


def collect(rule, before, kind, tz, until_inst):
    walls = []
    for wall in rule:
        if before is not None and wall > before + timedelta(days=2):
            break
        inst = to_instant(wall, kind, tz)
        if until_inst is not None and inst > until_inst:
            break
        walls.append((inst, wall))
        if len(walls) > 5000:
            return None  # too many for a differential case
    return walls


def one_case(rng):
    kind = rng.choice(["zoned", "zoned", "zoned", "utc", "floating", "date"])
    tz = rng.choice(ZONES) if kind == "zoned" else None
    freq, parts = make_rule(rng, kind)
    start = dtstart_for(rng, kind, tz)
    date_only = kind == "date"
    step = {"YEARLY": 400, "MONTHLY": 40, "WEEKLY": 10, "DAILY": 2, "HOURLY": 0.2, "MINUTELY": 0.01}[freq]
    bound = rng.choice(["count", "until", "window"])
    until_inst = None
    options = {}
    if bound == "count":
        parts.append(f"COUNT={rng.randint(1, 40)}")
    elif bound == "until":
        until_wall = start + timedelta(days=step * rng.randint(1, 30))
        if kind == "zoned":
            until_inst = to_instant(until_wall, kind, tz)
            parts.append("UNTIL=" + basic(until_inst, False) + "Z")
        elif kind == "utc":
            parts.append("UNTIL=" + basic(until_wall, False) + "Z")
        else:
            parts.append("UNTIL=" + basic(until_wall, date_only))
    rrule_text = ";".join(parts)
    start_inst = to_instant(start, kind, tz)
    if bound == "window" or rng.random() < 0.3:
        a = start_inst + timedelta(days=step * rng.randint(0, 20))
        b = a + timedelta(days=step * rng.randint(1, 30))
        options = {"after": iso(a), "before": iso(b)}
        if rng.random() < 0.3:
            options["limit"] = rng.randint(1, 20)

    # dateutil on wall time; UNTIL of a zoned rule is applied on instants below.
    du_text = rrule_text
    if kind == "zoned" and until_inst is not None:
        du_text = ";".join(p for p in parts if not p.startswith("UNTIL="))
    if kind == "utc":
        du_text = du_text.replace("Z", "")
    try:
        rule = rrulestr("RRULE:" + du_text, dtstart=start)
    except ValueError as e:  # dateutil refuses rules it can tell are empty; the engine yields []
        if "empty" not in str(e):
            raise
        rule = []
    after = datetime.strptime(options["after"], "%Y-%m-%dT%H:%M:%SZ") if "after" in options else None
    before = datetime.strptime(options["before"], "%Y-%m-%dT%H:%M:%SZ") if "before" in options else None
    walls = []
    try:
        walls = collect(rule, before, kind, tz, until_inst)
    except ValueError as e:  # raised lazily for empty MINUTELY/SECONDLY combinations
        if "empty" not in str(e):
            raise
        walls = []
    if walls is None:
        return None
    insts = [i for i, _ in walls]
    # EXDATE: one real instance (exact) and one near miss (same day, other time).
    exdates, rdates = [], []
    if insts and rng.random() < 0.4:
        _, wall = rng.choice(walls)
        exdates.append(wall)
        if not date_only:
            exdates.append(wall + timedelta(minutes=1))
    if rng.random() < 0.3:
        rdates.append(start + timedelta(days=rng.randint(1, 200), hours=0 if date_only else rng.randint(0, 5)))
    ex_insts = {to_instant(w, kind, tz) for w in exdates}
    result = {i for i in insts if i not in ex_insts}
    result |= {to_instant(w, kind, tz) for w in rdates if to_instant(w, kind, tz) not in ex_insts}
    result = sorted(i for i in result if (after is None or i >= after) and (before is None or i <= before))
    if "limit" in options:
        result = result[: options["limit"]]

    prefix = f";TZID={tz}" if kind == "zoned" else ";VALUE=DATE" if date_only else ""
    z = "Z" if kind == "utc" else ""
    lines = [f"DTSTART{prefix}:{basic(start, date_only)}{z}", "RRULE:" + rrule_text]
    for w in exdates:
        lines.append(f"EXDATE{prefix}:{basic(w, date_only)}{z}")
    if rdates:
        lines.append(f"RDATE{prefix}:" + ",".join(basic(w, date_only) + z for w in rdates))
    return {"ical": "\n".join(lines), "options": options, "expected": [fmt(i, kind) for i in result]}


def main():
    count, seed = int(sys.argv[1]), int(sys.argv[2])
    shard, shards = (int(sys.argv[3]), int(sys.argv[4])) if len(sys.argv) > 4 else (0, 1)
    signal.signal(signal.SIGALRM, on_alarm)
    made = skipped = 0
    for index in range(shard, count, shards):
        rng = random.Random(f"{seed}:{index}")
        signal.alarm(2)
        try:
            case = one_case(rng)
        except (Timeout, IndexError):  # IndexError: dateutil's own bug with large BYDAY ordinals
            case = None
        finally:
            signal.alarm(0)
        if case is None:
            skipped += 1
            continue
        print(json.dumps({"index": index, **case}))
        made += 1
    print(f"dateutil_cases: {made} cases, {skipped} skipped (dateutil too slow or too many instances)", file=sys.stderr)


if __name__ == "__main__":
    main()
