// The policies of docs/recurrence.md#policies and the engine's bounds, on real zones from the embedded IANA data.
#include <doctest/doctest.h>

#include <fstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/recurrence/expand.h"
#include "core/recurrence/parse.h"
#include "core/recurrence/zone.h"

using namespace convene;
using namespace convene::recurrence;

namespace {

std::vector<std::string> utc(std::string_view ical, ExpandOptions opt = {}) {
  std::vector<std::string> out;
  for (const auto& o : expand(parse_recurrence_set(ical), opt))
    out.push_back(format_extended(LocalTime{o.instant.time_since_epoch()}, false) + "Z");
  return out;
}

Instant at(std::string_view basic_utc) {
  return Instant{parse_date_time(basic_utc, "", false, "test").local.time_since_epoch()};
}

std::string error_code(std::string_view ical, ExpandOptions opt = {}) {
  try {
    expand(parse_recurrence_set(ical), opt);
  } catch (const Error& e) {
    return e.code() + " " + e.field();
  }
  return "no error";
}

}  // namespace

TEST_CASE("the embedded tz database is Debian's tzdata.zi release") {
  std::ifstream in("/usr/share/zoneinfo/tzdata.zi");
  std::string hash, word, version;
  in >> hash >> word >> version;  // "# version 2026f"
  REQUIRE(word == "version");
  CHECK(tzdata_version() == version);
}

TEST_CASE("DST gap: a wall time that does not exist is shifted forward by the gap (RFC 5545 §3.3.5)") {
  // New York, 2024-03-10 02:00 EST -> 03:00 EDT. 02:30 is read with EST: 07:30Z = 03:30 EDT.
  CHECK(utc("DTSTART;TZID=America/New_York:20240309T023000\nRRULE:FREQ=DAILY;COUNT=3") ==
        std::vector<std::string>{"2024-03-09T07:30:00Z", "2024-03-10T07:30:00Z", "2024-03-11T06:30:00Z"});
  // Lord Howe moves by 30 minutes (+10:30 -> +11) at 02:00 on 2024-10-06: 02:15 -> 02:45 +11.
  CHECK(utc("DTSTART;TZID=Australia/Lord_Howe:20241005T021500\nRRULE:FREQ=DAILY;COUNT=3") ==
        std::vector<std::string>{"2024-10-04T15:45:00Z", "2024-10-05T15:45:00Z", "2024-10-06T15:15:00Z"});
  // Southern hemisphere: Sydney springs forward on 2024-10-06 02:00 (+10 -> +11).
  CHECK(utc("DTSTART;TZID=Australia/Sydney:20240929T023000\nRRULE:FREQ=WEEKLY;COUNT=2") ==
        std::vector<std::string>{"2024-09-28T16:30:00Z", "2024-10-05T16:30:00Z"});
}

TEST_CASE("DST overlap: a wall time that occurs twice takes the earlier instant") {
  // New York 2024-11-03: 01:30 happens at 05:30Z (EDT) and 06:30Z (EST).
  CHECK(utc("DTSTART;TZID=America/New_York:20241102T013000\nRRULE:FREQ=DAILY;COUNT=3") ==
        std::vector<std::string>{"2024-11-02T05:30:00Z", "2024-11-03T05:30:00Z", "2024-11-04T06:30:00Z"});
  // Berlin 2024-10-27 02:30 happens twice: CEST first (00:30Z).
  CHECK(utc("DTSTART;TZID=Europe/Berlin:20241027T023000\nRRULE:FREQ=DAILY;COUNT=1") ==
        std::vector<std::string>{"2024-10-27T00:30:00Z"});
}

TEST_CASE("a zone that changed its offset: Samoa skipped 2011-12-30 entirely") {
  // Pacific/Apia jumped from -10 to +14 at the end of 2011-12-29; 12-30 10:00 is in a
  // 24-hour gap, shifted forward to the same instant as 12-31 10:00: one instant, kept once.
  CHECK(utc("DTSTART;TZID=Pacific/Apia:20111229T100000\nRRULE:FREQ=DAILY;COUNT=3") ==
        std::vector<std::string>{"2011-12-29T20:00:00Z", "2011-12-30T20:00:00Z"});
  // Moscow was +4 all year 2013, +3 from 2014-10-26.
  CHECK(utc("DTSTART;TZID=Europe/Moscow:20140101T120000\nRRULE:FREQ=YEARLY;COUNT=2;BYMONTH=1,12") ==
        std::vector<std::string>{"2014-01-01T08:00:00Z", "2014-12-01T09:00:00Z"});
}

TEST_CASE("UNTIL is inclusive; UTC UNTIL bounds instants of a zoned rule; DATE UNTIL keeps its whole day") {
  CHECK(utc("DTSTART;TZID=Europe/Berlin:20240101T090000\nRRULE:FREQ=DAILY;UNTIL=20240103T080000Z").size() == 3);
  CHECK(utc("DTSTART;TZID=Europe/Berlin:20240101T090000\nRRULE:FREQ=DAILY;UNTIL=20240103T075959Z").size() == 2);
  // Google Calendar exports: DATE UNTIL with a DATE-TIME DTSTART includes that day.
  CHECK(utc("DTSTART:20240101T090000Z\nRRULE:FREQ=DAILY;UNTIL=20240103").size() == 3);
  CHECK(utc("DTSTART;TZID=America/Los_Angeles:20240101T220000\nrrule:freq=daily;until=20240103;").size() == 3);
}

TEST_CASE("EXDATE removes exact instants only, never the same day") {
  const std::string base = "DTSTART;TZID=Europe/Berlin:20240101T090000\nRRULE:FREQ=DAILY;COUNT=3\n";
  CHECK(utc(base + "EXDATE;TZID=Europe/Berlin:20240102T100000").size() == 3);  // same day, other time
  CHECK(utc(base + "EXDATE;VALUE=DATE:20240102").size() == 3);                 // a DATE is midnight
  CHECK(utc(base + "EXDATE;TZID=Europe/Berlin:20240102T090000") ==
        std::vector<std::string>{"2024-01-01T08:00:00Z", "2024-01-03T08:00:00Z"});
  CHECK(utc(base + "EXDATE:20240102T080000Z").size() == 2);                        // same instant in UTC
  CHECK(utc(base + "EXDATE;TZID=America/New_York:20240102T030000").size() == 2);  // same instant, other zone
  // COUNT counts before EXDATE removes (RFC 5545 §3.8.5.1).
  CHECK(utc(base + "EXDATE;TZID=Europe/Berlin:20240101T090000,20240103T090000") ==
        std::vector<std::string>{"2024-01-02T08:00:00Z"});
}

TEST_CASE("RDATE adds instances, merged in order without duplicates") {
  CHECK(utc("DTSTART:20240101T090000Z\nRRULE:FREQ=WEEKLY;COUNT=2\nRDATE:20240103T090000Z,20240108T090000Z") ==
        std::vector<std::string>{"2024-01-01T09:00:00Z", "2024-01-03T09:00:00Z", "2024-01-08T09:00:00Z"});
  CHECK(utc("DTSTART:20240101T090000Z\nRDATE:20240105T090000Z") ==
        std::vector<std::string>{"2024-01-01T09:00:00Z", "2024-01-05T09:00:00Z"});
}

TEST_CASE("DTSTART inclusion: by default only when the rule produces it; the option makes it the first, counted") {
  const std::string ical = "DTSTART:20240101T090000Z\nRRULE:FREQ=WEEKLY;BYDAY=FR;COUNT=3";  // a Monday
  CHECK(utc(ical) ==
        std::vector<std::string>{"2024-01-05T09:00:00Z", "2024-01-12T09:00:00Z", "2024-01-19T09:00:00Z"});
  ExpandOptions opt;
  opt.include_dtstart = true;
  CHECK(utc(ical, opt) ==
        std::vector<std::string>{"2024-01-01T09:00:00Z", "2024-01-05T09:00:00Z", "2024-01-12T09:00:00Z"});
  // When DTSTART matches, the option changes nothing.
  CHECK(utc("DTSTART:20240105T090000Z\nRRULE:FREQ=WEEKLY;BYDAY=FR;COUNT=2", opt).size() == 2);
}

TEST_CASE("RFC 7529 SKIP: monthly on the 31st can mean the last day of the month") {
  CHECK(utc("DTSTART:20240131T100000Z\nRRULE:RSCALE=GREGORIAN;FREQ=MONTHLY;SKIP=BACKWARD;COUNT=3") ==
        std::vector<std::string>{"2024-01-31T10:00:00Z", "2024-02-29T10:00:00Z", "2024-03-31T10:00:00Z"});
  CHECK(utc("DTSTART:20240131T100000Z\nRRULE:FREQ=MONTHLY;COUNT=3").back() == "2024-05-31T10:00:00Z");  // OMIT
}

TEST_CASE("bounds: unbounded requests, impossible rules, window and limit") {
  CHECK(error_code("DTSTART:20240101T090000Z\nRRULE:FREQ=DAILY") == "UNBOUNDED_RECURRENCE options.before");
  ExpandOptions lim;
  lim.limit = 5;
  CHECK(utc("DTSTART:20240101T090000Z\nRRULE:FREQ=DAILY", lim).size() == 5);
  // Feb 30 never exists: the rule ends (year 9999) with nothing, without hanging.
  CHECK(utc("DTSTART:20240101T090000Z\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", lim).empty());
  // Sub-daily and impossible: whole filtered days are skipped, so it ends (empty) by year 9999;
  // with a smaller work budget the same rule ends with a clear error instead.
  CHECK(utc("DTSTART:20240101T090000Z\nRRULE:FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30", lim).empty());
  ExpandOptions small = lim;
  small.work_budget = 100'000;
  CHECK(error_code("DTSTART:20240101T090000Z\nRRULE:FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30", small) ==
        "RECURRENCE_TOO_SPARSE RRULE");
  // An unreachable BYHOUR with an INTERVAL is known to produce nothing.
  CHECK(utc("DTSTART:20240101T090000Z\nRRULE:FREQ=HOURLY;INTERVAL=2;BYHOUR=10", lim).empty());
  ExpandOptions window;
  window.after = at("20240103T090000Z");
  window.before = at("20240105T090000Z");
  CHECK(utc("DTSTART:20240101T090000Z\nRRULE:FREQ=DAILY", window) ==
        std::vector<std::string>{"2024-01-03T09:00:00Z", "2024-01-04T09:00:00Z", "2024-01-05T09:00:00Z"});
  ExpandOptions huge;
  huge.before = at("21000101T000000Z");
  CHECK(error_code("DTSTART:20240101T000000Z\nRRULE:FREQ=MINUTELY", huge) == "UNBOUNDED_RECURRENCE options.limit");
}

TEST_CASE("seek: a window 200 years after DTSTART costs a few periods, and matches a full replay") {
  const char* rules[] = {
      "DTSTART;TZID=Europe/Berlin:20240101T090000\nRRULE:FREQ=DAILY;INTERVAL=3",
      "DTSTART;TZID=America/New_York:20240103T183000\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE,FR;WKST=SU",
      "DTSTART:20240131T090000Z\nRRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
      "DTSTART:20240229T090000\nRRULE:FREQ=YEARLY;INTERVAL=4",
      "DTSTART:20240101T001500Z\nRRULE:FREQ=HOURLY;INTERVAL=7;BYHOUR=1,8,15",
      "DTSTART:20240101\nRRULE:FREQ=YEARLY;BYWEEKNO=1,-1;BYDAY=TH",
  };
  for (const char* ical : rules) {
    INFO(std::string(ical));
    ExpandOptions far;
    far.after = at("22240201T000000Z");
    far.before = at("22250301T000000Z");
    ExpandOptions cheap = far;
    cheap.work_budget = 20'000;  // a replay of 200 years would need far more
    const auto seeked = utc(ical, cheap);
    CHECK(!seeked.empty());
    ExpandOptions replay;
    replay.before = far.before;
    std::vector<std::string> expected;
    for (const auto& s : utc(ical, replay))
      if (s >= "2224-02-01T00:00:00Z") expected.push_back(s);
    CHECK(seeked == expected);
  }
}

TEST_CASE("TZID errors name the property") {
  CHECK(error_code("DTSTART;TZID=Mars/Olympus:20240101T090000\nRRULE:FREQ=DAILY;COUNT=2") ==
        "UNKNOWN_TIME_ZONE DTSTART");
  CHECK(error_code("DTSTART:20240101T090000Z\nRRULE:FREQ=DAILY;COUNT=2\nEXDATE;TZID=Nowhere:20240102T090000") ==
        "UNKNOWN_TIME_ZONE EXDATE");
  // Links resolve (US/Eastern -> America/New_York).
  CHECK(utc("DTSTART;TZID=US/Eastern:20240101T090000\nRRULE:FREQ=DAILY;COUNT=1") ==
        std::vector<std::string>{"2024-01-01T14:00:00Z"});
}

TEST_CASE("far-future 400-year folding gives the same instants as date/tz's direct answer") {
  for (const char* name : {"America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Africa/Casablanca",
                           "America/Santiago"}) {
    INFO(std::string(name));
    const Zone zone(name, "test");
    const date::time_zone* tz = date::locate_zone(name);
    for (int year : {2650, 3001, 4567, 9998})
      for (int month : {1, 3, 4, 10, 11})
        for (int day : {1, 8, 15, 25, 31})
          for (int hour : {0, 1, 2, 3, 12}) {
            if (day > days_in_month(year, month)) continue;
            const LocalTime t = from_civil(Civil{year, month, day, hour, 30, 0});
            const Instant direct{t.time_since_epoch() - tz->get_info(t).first.offset};
            CHECK(zone.to_instant(t) == direct);
            CHECK(zone.to_local(direct) == LocalTime{direct.time_since_epoch() + tz->get_info(direct).offset});
          }
  }
}
