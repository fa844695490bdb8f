#include <doctest/doctest.h>

#include "core/recurrence/describe.h"
#include "core/recurrence/parse.h"

using namespace convene::recurrence;

namespace {
Description of(const char* ical) { return describe(parse_recurrence_set(ical)); }
}  // namespace

TEST_CASE("describe: the rules people write, in their words") {
  CHECK(of("DTSTART;TZID=Europe/Berlin:20270107T190000\nRRULE:FREQ=WEEKLY;COUNT=8;BYDAY=TH").text ==
        "every Thursday at 19:00 (Europe/Berlin time), 8 times");
  CHECK(of("DTSTART;TZID=Europe/Berlin:20270107T190000\nRRULE:FREQ=WEEKLY;COUNT=8").text ==
        "every Thursday at 19:00 (Europe/Berlin time), 8 times");
  CHECK(of("DTSTART:20270104T183000Z\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20270331T235959Z").text ==
        "every 2 weeks on Monday and Wednesday at 18:30 (UTC), until Wednesday 31 March 2027");
  CHECK(of("DTSTART;TZID=America/New_York:20270101T190000\nRRULE:FREQ=MONTHLY;BYDAY=-1FR").text ==
        "every month on the last Friday at 19:00 (America/New_York time)");
  CHECK(of("DTSTART;TZID=America/New_York:20270101T190000\nRRULE:FREQ=MONTHLY;BYDAY=2TU").text ==
        "every month on the 2nd Tuesday at 19:00 (America/New_York time)");
  CHECK(of("DTSTART:20270131T090000Z\nRRULE:FREQ=MONTHLY;BYMONTHDAY=-1").text == "every month on the last day at 09:00 (UTC)");
  CHECK(of("DTSTART:20270115T090000Z\nRRULE:FREQ=MONTHLY").text == "every month on the 15th at 09:00 (UTC)");
  CHECK(of("DTSTART:20270303T090000Z\nRRULE:FREQ=YEARLY").text == "every year on 3 March at 09:00 (UTC)");
  CHECK(of("DTSTART:20270303T090000Z\nRRULE:FREQ=DAILY;INTERVAL=3;COUNT=1").text == "every 3 days at 09:00 (UTC), once");
  CHECK(of("DTSTART;TZID=Europe/Berlin:20270304T190000").text == "once on Thursday 4 March 2027 at 19:00 (Europe/Berlin time)");
  CHECK(of("DTSTART;TZID=Europe/Berlin:20270107T190000\nRRULE:FREQ=WEEKLY;BYDAY=TH\nEXDATE;TZID=Europe/Berlin:20270114T190000\n"
           "RDATE;TZID=Europe/Berlin:20270116T190000")
            .text == "every Thursday at 19:00 (Europe/Berlin time), except 1 date, plus 1 more date");
  CHECK(of("DTSTART:20270101T090000Z\nRRULE:FREQ=DAILY;BYHOUR=9,17;BYMINUTE=0").text == "every day at 09:00 and 17:00 (UTC)");
}

TEST_CASE("describe: UNTIL in the series' zone, not in UTC") {
  // 2027-03-31T23:30Z is already 1 April in Berlin (CEST, UTC+2).
  CHECK(of("DTSTART;TZID=Europe/Berlin:20270107T190000\nRRULE:FREQ=WEEKLY;UNTIL=20270331T233000Z").text ==
        "every Thursday at 19:00 (Europe/Berlin time), until Thursday 1 April 2027");
}

TEST_CASE("describe: rules without a plain wording say so") {
  auto d = of("DTSTART:20270101T090000Z\nRRULE:FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO");
  CHECK_FALSE(d.exact);
  CHECK(of("DTSTART:20270101T090000Z\nRRULE:FREQ=WEEKLY").exact);
}
