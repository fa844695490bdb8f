// Parsing and serializing iCalendar recurrence (RFC 5545 §3.3.10, §3.8.5; RFC 7529).
#include <doctest/doctest.h>

#include <string>

#include "core/error.h"
#include "core/recurrence/parse.h"

using namespace convene;
using namespace convene::recurrence;

namespace {
std::string field_of(std::string_view ical) {
  try {
    parse_recurrence_set(ical);
  } catch (const Error& e) {
    CHECK(e.code() == "INVALID_RRULE");
    CHECK(std::string(e.what()).find(e.field()) != std::string::npos);  // the message names the part
    return e.field();
  }
  return "accepted";
}
}  // namespace

TEST_CASE("every rule part round-trips through the canonical form") {
  const std::string canonical =
      "DTSTART;TZID=Europe/Berlin:20240105T180000\n"
      "RRULE:RSCALE=GREGORIAN;FREQ=MONTHLY;UNTIL=20251231T230000Z;INTERVAL=2;BYSECOND=0,30;BYMINUTE=5;BYHOUR=18,19;"
      "BYDAY=-1FR,2MO,TU;BYMONTHDAY=1,-1;BYMONTH=1,6;BYSETPOS=1,-2;WKST=SU;SKIP=BACKWARD\n"
      "RDATE;TZID=Europe/Berlin:20240704T180000\n"
      "RDATE;VALUE=DATE:20240801\n"
      "EXDATE:20240301T170000Z";
  const RecurrenceSet set = parse_recurrence_set(canonical);
  CHECK(format_recurrence_set(set) == canonical);
  CHECK(parse_recurrence_set(format_recurrence_set(set)) == set);
  CHECK(set.rrule->byday[0] == WeekdayNum{4, -1});
  CHECK(set.dtstart.kind == ValueKind::Zoned);
  CHECK(set.exdates[0].kind == ValueKind::Utc);
  const RecurrenceSet yearly =
      parse_recurrence_set("DTSTART:20240101\nRRULE:FREQ=YEARLY;COUNT=3;BYYEARDAY=1,-1;BYWEEKNO=1,53;BYDAY=MO");
  CHECK(parse_recurrence_set(format_recurrence_set(yearly)) == yearly);
}

TEST_CASE("tolerates what real feeds contain") {
  // lower case, trailing ';', CRLF, folded line, quoted TZID, comma lists, other properties, X- parts.
  const RecurrenceSet s = parse_recurrence_set(
      "BEGIN:VEVENT\r\nSUMMARY:Standup\r\ndtstart;tzid=\"America/New_York\":20240102t090000\r\n"
      "rrule:freq=weekly;byday=tu,th;\r\n count=4;x-name=1\r\nEXDATE;TZID=America/New_York:20240104T090000,20240109T090000\r\n"
      "END:VEVENT\r\n");
  CHECK(s.dtstart.tzid == "America/New_York");
  CHECK(s.rrule->freq == Freq::Weekly);
  CHECK(*s.rrule->count == 4);
  CHECK(s.rrule->byday.size() == 2);
  CHECK(s.exdates.size() == 2);
  // Google: DATE UNTIL with DATE-TIME DTSTART.
  CHECK(parse_recurrence_set("DTSTART:20240101T090000Z\nRRULE:FREQ=DAILY;UNTIL=20240110").rrule->until->kind ==
        ValueKind::Date);
}

TEST_CASE("malformed rules are INVALID_RRULE naming the part") {
  CHECK(field_of("DTSTART:20240101T090000\nRRULE:FREQ=FORTNIGHTLY") == "RRULE.FREQ");
  CHECK(field_of("DTSTART:20240101T090000\nRRULE:COUNT=3") == "RRULE.FREQ");
  CHECK(field_of("DTSTART:20240101T090000\nRRULE:FREQ=WEEKLY;BYDAY=XX") == "RRULE.BYDAY");
  CHECK(field_of("DTSTART:20240101T090000\nRRULE:FREQ=WEEKLY;BYDAY=2MO") == "RRULE.BYDAY");
  CHECK(field_of("DTSTART:20240101T090000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=32") == "RRULE.BYMONTHDAY");
  CHECK(field_of("DTSTART:20240101T090000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=0") == "RRULE.BYMONTHDAY");
  CHECK(field_of("DTSTART:20240101T090000\nRRULE:FREQ=DAILY;BYHOUR=24") == "RRULE.BYHOUR");
  CHECK(field_of("DTSTART:20240101T090000\nRRULE:FREQ=DAILY;INTERVAL=0") == "RRULE.INTERVAL");
  CHECK(field_of("DTSTART:20240101T090000\nRRULE:FREQ=DAILY;COUNT=-1") == "RRULE.COUNT");
  CHECK(field_of("DTSTART:20240101T090000\nRRULE:FREQ=DAILY;COUNT=2;UNTIL=20240105") == "RRULE.COUNT");
  CHECK(field_of("DTSTART:20240101T090000\nRRULE:FREQ=DAILY;UNTIL=2024-01-05") == "RRULE.UNTIL");
  CHECK(field_of("DTSTART:20240101T090000\nRRULE:FREQ=DAILY;FREQ=WEEKLY") == "RRULE.FREQ");
  CHECK(field_of("DTSTART:20240101T090000\nRRULE:FREQ=DAILY;BYFOO=1") == "RRULE.BYFOO");
  CHECK(field_of("DTSTART:20240101T090000\nRRULE:FREQ=WEEKLY;BYWEEKNO=1") == "RRULE.BYWEEKNO");
  CHECK(field_of("DTSTART:20240101T090000\nRRULE:FREQ=DAILY;BYSETPOS=1") == "RRULE.BYSETPOS");
  CHECK(field_of("DTSTART:20240101T090000\nRRULE:RSCALE=HEBREW;FREQ=YEARLY") == "RRULE.RSCALE");
  CHECK(field_of("DTSTART:20240101T090000\nRRULE:FREQ=MONTHLY;SKIP=SIDEWAYS") == "RRULE.SKIP");
  CHECK(field_of("DTSTART:20240230T090000\nRRULE:FREQ=DAILY") == "DTSTART");
  CHECK(field_of("RRULE:FREQ=DAILY") == "DTSTART");
  CHECK(field_of("DTSTART:20240101T090000\nRDATE;VALUE=PERIOD:20240101T090000Z/PT1H") == "RDATE");
  CHECK(field_of("DTSTART:20240101T090000\nRRULE:FREQ=DAILY\nRRULE:FREQ=WEEKLY") == "RRULE");
  // Found by tests/fuzz: a DQUOTE inside a parameter value (RFC 5545 §3.1 forbids it).
  CHECK(field_of("DTSTART;TZID=\"a\"\"b\":20240101T090000") == "DTSTART");
}

TEST_CASE("a TZID with ';', ':' or ',' is written quoted and parses back (found by tests/fuzz)") {
  const RecurrenceSet s = parse_recurrence_set("DTSTART;TZID=\"Odd;Zone:Name\":20240101T090000");
  CHECK(s.dtstart.tzid == "Odd;Zone:Name");
  CHECK(format_recurrence_set(s) == "DTSTART;TZID=\"Odd;Zone:Name\":20240101T090000");
  CHECK(parse_recurrence_set(format_recurrence_set(s)) == s);
}
