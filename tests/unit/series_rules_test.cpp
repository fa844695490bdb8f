// What a series may be written with (issue 12): rules too dense for meetings and rules without any
// occurrence are refused with typed errors; exceptions are validated like the template.
#include <doctest/doctest.h>

#include "core/catalogue.h"
#include "core/series/occurrences.h"
#include "core/series/plan.h"
#include "test_support.h"

using namespace convene;
using convene::testing::ctx_at;
using convene::testing::expect_error;

namespace {
const char* kOrganizer = "0x1111111111111111111111111111111111111111";

entities::EntityDraft build_series(const std::string& ical, std::int64_t duration = 60) {
  convene::testing::CountingRandom r;
  Json in = {{"organizerWallet", kOrganizer}, {"community", "Rules"}, {"title", "Rules"}, {"duration", duration}, {"recurrence", ical}};
  return catalogue::build_entity("event_series", in, ctx_at("2026-02-20T00:00:00Z", &r));
}
}  // namespace

TEST_CASE("event_series: a rule too dense for meetings is refused, naming the rule part") {
  // The case: every minute, 40,320 gatherings per 28 days.
  expect_error([] { build_series("DTSTART:20260302T190000Z\nRRULE:FREQ=MINUTELY"); }, "RECURRENCE_TOO_DENSE", "input.recurrence.RRULE.FREQ");
  // Occurrences closer than their duration: 09:00 and 10:00 for 90 minutes.
  expect_error([] { build_series("DTSTART;TZID=Europe/Berlin:20260302T090000\nRRULE:FREQ=DAILY;BYHOUR=9,10", 90); },
               "RECURRENCE_TOO_DENSE", "input.recurrence.RRULE.BYHOUR");
  // More than 100 per 28 days: every 6 hours is 112.
  expect_error([] { build_series("DTSTART:20260302T000000Z\nRRULE:FREQ=HOURLY;INTERVAL=6"); }, "RECURRENCE_TOO_DENSE",
               "input.recurrence.RRULE.INTERVAL");
  // An RDATE inside another occurrence.
  expect_error([] { build_series("DTSTART:20260302T190000Z\nRRULE:FREQ=WEEKLY;COUNT=4\nRDATE:20260309T193000Z", 60); },
               "RECURRENCE_TOO_DENSE", "input.recurrence.RDATE");
  // A rule whose first occurrence comes long after DTSTART is checked from that occurrence on.
  expect_error([] { build_series("DTSTART:20260302T190000Z\nRRULE:FREQ=DAILY;BYMONTH=2;BYHOUR=9,10", 90); }, "RECURRENCE_TOO_DENSE",
               "input.recurrence.RRULE.BYHOUR");
  // Accepted: every 8 hours (84 per 28 days); a daily meeting; back-to-back hours.
  CHECK_NOTHROW(build_series("DTSTART:20260302T000000Z\nRRULE:FREQ=HOURLY;INTERVAL=8"));
  CHECK_NOTHROW(build_series("DTSTART;TZID=America/New_York:20260302T090000\nRRULE:FREQ=DAILY", 120));
  CHECK_NOTHROW(build_series("DTSTART:20260302T090000Z\nRRULE:FREQ=DAILY;BYHOUR=9,10;COUNT=20", 60));
}

TEST_CASE("event_series: a rule with no occurrence is refused; INTERVAL=0 is INVALID_RRULE") {
  expect_error([] { build_series("DTSTART:20260302T190000Z\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"); }, "EMPTY_RECURRENCE", "input.recurrence");
  expect_error([] { build_series("DTSTART:20260302T190000Z\nRRULE:FREQ=WEEKLY;COUNT=2\nEXDATE:20260302T190000Z,20260309T190000Z"); },
               "EMPTY_RECURRENCE", "input.recurrence");
  expect_error([] { build_series("DTSTART:20260302T190000Z\nRRULE:FREQ=DAILY;UNTIL=20260301T000000Z"); }, "EMPTY_RECURRENCE", "input.recurrence");
  expect_error([] { build_series("DTSTART:20260302T190000Z\nRRULE:FREQ=WEEKLY;INTERVAL=0"); }, "INVALID_RRULE", "RRULE.INTERVAL");
  // Only RDATEs left is still a series.
  CHECK_NOTHROW(build_series("DTSTART:20260302T190000Z\nRRULE:FREQ=DAILY;UNTIL=20260301T000000Z\nRDATE:20260310T190000Z"));
}

TEST_CASE("event_series_exception: a modified occurrence's changes are checked like the template") {
  convene::testing::CountingRandom r;
  Json series = convene::testing::stored(build_series("DTSTART:20260302T190000Z\nRRULE:FREQ=WEEKLY;COUNT=4"), "0xs", kOrganizer);
  auto build = [&](Json changes) {
    Json in = {{"series", series}, {"recurrenceId", "2026-03-09T19:00:00Z"}, {"kind", "modified"}, {"changes", changes}};
    return catalogue::build_entity("event_series_exception", in, ctx_at("2026-02-20T00:00:00Z", &r));
  };
  expect_error([&] { build({{"title", ""}}); }, "MISSING_FIELD", "input.changes.title");
  expect_error([&] { build({{"title", "   "}}); }, "MISSING_FIELD", "input.changes.title");
  expect_error([&] { build({{"title", "say \"hi\""}}); }, "INVALID_ATTRIBUTE_VALUE", "input.changes.title");
  expect_error([&] { build({{"duration", 0}}); }, "INVALID_DURATION", "input.changes.duration");
  expect_error([&] { build({{"description", 5}}); }, "INVALID_TYPE", "input.changes.description");
  CHECK_NOTHROW(build({{"title", "Special"}, {"description", ""}}));
}
