#!/usr/bin/env python3
"""Generates the C++ source that embeds the IANA time zone database in convene_core.

Usage: gen_tzdata_source.py <tzdata.zi> <out.cpp> [--since YEAR]

Input: zic's compact one-file form (Debian's /usr/share/zoneinfo/tzdata.zi), which
abbreviates keywords (R/Z/L), months (Ja, F, ...), weekdays (Su, M, ...), `only`
(o) and `max` (ma), and writes zone continuation lines without indentation.
Output: one C++ file defining convene::recurrence::tzdb_embedded::{zic_source(),
version()}, holding the same data in the long zic form that Howard Hinnant's
date/tz.cpp (3.0.1) parses: `Rule`/`Zone`/`Link`, three-letter months and
weekdays, `only`/`max`/`min`, tab-indented continuation lines. The database
version comes from the `# version` header line.

--since YEAR trims the data to what instants from YEAR on need (docs/recurrence.md#time-zone-data): each zone
loses the eras (lines) that ended before YEAR - 1 (a year of margin: UNTIL is local time), its first remaining
era then reaching back to the beginning of time, and the rule sets no remaining era names go. Rule sets that
are kept are kept whole: the state a zone starts a year in can come from a rule of any earlier year.
scripts/check_tzdata_trim.py checks the result with zic and zdump: the same transitions, offsets and
abbreviations from YEAR to 2037 in every zone as the full data. The version line is unchanged.
"""
import sys

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
FULL_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]
FULL_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]


def by_prefix(word, full, short):
    """zic accepts any unambiguous prefix of a name (zic(8), 'names may be abbreviated')."""
    hits = [s for f, s in zip(full, short) if f.lower().startswith(word.lower())]
    if len(hits) != 1:
        raise SystemExit(f"gen_tzdata_source: ambiguous or unknown name {word!r}")
    return hits[0]


def month(word):
    return by_prefix(word, FULL_MONTHS, MONTHS)


def day_spec(word):
    """ON field: `5`, `lastSu`, `Su>=8`, `Sa<=30`."""
    if word.isdigit():
        return word
    if word.startswith("last"):
        return "last" + by_prefix(word[4:], FULL_DAYS, DAYS)
    for op in (">=", "<="):
        if op in word:
            d, n = word.split(op)
            return by_prefix(d, FULL_DAYS, DAYS) + op + n
    raise SystemExit(f"gen_tzdata_source: bad day {word!r}")


def year_word(word):
    for full in ("only", "maximum", "minimum"):
        if full.startswith(word) and word not in ("m",):
            return {"only": "only", "maximum": "max", "minimum": "min"}[full]
    return word


def until(fields):
    """Zone UNTIL: YEAR [MONTH [DAY [TIME]]]."""
    out = list(fields)
    if len(out) > 1:
        out[1] = month(out[1])
    if len(out) > 2:
        out[2] = day_spec(out[2])
    return out


def expand(lines):
    out, version = [], None
    for raw in lines:
        line = raw.rstrip("\n")
        if line.startswith("# version"):
            version = line.split()[2]
        if not line or line.startswith("#"):
            continue
        f = line.split()
        if f[0] == "R":  # R NAME FROM TO - IN ON AT SAVE LETTER
            f[0] = "Rule"
            f[2], f[3] = year_word(f[2]), year_word(f[3])
            f[5] = month(f[5])
            f[6] = day_spec(f[6])
            out.append("\t".join(f))
        elif f[0] == "Z":  # Z NAME STDOFF RULES FORMAT [UNTIL]
            out.append("\t".join(["Zone"] + f[1:5] + until(f[5:])))
        elif f[0] == "L":  # L TARGET LINK-NAME
            out.append("\t".join(["Link"] + f[1:]))
        else:  # continuation: STDOFF RULES FORMAT [UNTIL]
            out.append("\t" + "\t".join(f[0:3] + until(f[3:])))
    if not version:
        raise SystemExit("gen_tzdata_source: no '# version' line")
    return "\n".join(out) + "\n", version


def until_year(era):
    """The year of a zone era's UNTIL (era: STDOFF RULES FORMAT [UNTIL...]), or None for the last era."""
    return int(era[3]) if len(era) > 3 and era[3] else None


def trim(text, since):
    """`text` (the long zic form expand() writes) without what instants from `since` on do not need."""
    rules, zones, links, current = [], [], [], None
    for line in text.split("\n"):
        if not line:
            continue
        f = line.split("\t")
        if f[0] == "Rule":
            rules.append(f)
        elif f[0] == "Zone":
            current = [f[1], [f[2:]]]
            zones.append(current)
        elif f[0] == "Link":
            links.append(f)
        else:
            current[1].append(f[1:])
    out, used = [], set()
    for name, eras in zones:
        kept = [e for e in eras if until_year(e) is None or until_year(e) >= since - 1]
        for e in kept:
            if not (e[1][0].isdigit() or e[1][0] == "-"):  # a rule set's name, not "-" or a fixed SAVE
                used.add(e[1])
        out.append("\t".join(["Zone", name] + kept[0]))
        out.extend("\t" + "\t".join(e) for e in kept[1:])
    kept_rules = ["\t".join(r) for r in rules if r[1] in used]
    return "\n".join(kept_rules + out + ["\t".join(link) for link in links]) + "\n"


def main():
    args = sys.argv[1:]
    since = None
    if "--since" in args:
        i = args.index("--since")
        since = int(args[i + 1]) if args[i + 1] else None
        del args[i:i + 2]
    src, dst = args[0], args[1]
    with open(src, encoding="utf-8") as fh:
        text, version = expand(fh)
    if since is not None:
        text = trim(text, since)
    # Emit as a sequence of string literals (no single literal gets huge).
    chunks = [text[i:i + 4000] for i in range(0, len(text), 4000)]
    body = "\n".join('R"TZDATA(' + c + ')TZDATA"' for c in chunks)
    with open(dst, "w", encoding="utf-8") as fh:
        fh.write(f"""// GENERATED by scripts/gen_tzdata_source.py from {src} -- do not edit.
#include "core/recurrence/tzdb_embedded.h"

namespace convene::recurrence::tzdb_embedded {{
namespace {{
constexpr char kZicSource[] =
{body};
}}  // namespace
std::string_view zic_source() {{ return {{kZicSource, sizeof(kZicSource) - 1}}; }}
std::string_view version() {{ return "{version}"; }}
}}  // namespace convene::recurrence::tzdb_embedded
""")


if __name__ == "__main__":
    main()
