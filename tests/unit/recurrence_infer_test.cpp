// Inferring a rule from imported start times.
#include <doctest/doctest.h>

#include "core/recurrence/expand.h"
#include "core/recurrence/infer.h"
#include "core/recurrence/parse.h"
#include "core/recurrence/zone.h"

using namespace convene::recurrence;

namespace {
std::vector<Instant> starts_of(std::string_view ical, std::size_t n) {
  ExpandOptions opt;
  opt.limit = n;
  std::vector<Instant> out;
  for (const auto& o : expand(parse_recurrence_set(ical), opt)) out.push_back(o.instant);
  return out;
}
std::string inferred(const std::vector<Instant>& starts, std::string_view tzid) {
  auto set = infer_rule(starts, tzid);
  return set ? format_recurrence_set(*set) : "none";
}
}  // namespace

TEST_CASE("infers weekly-on-weekdays, monthly by day and by n-th weekday, across DST, in the series' zone") {
  // Tuesdays and Thursdays 18:00 in Berlin, across the March DST change.
  auto weekly = starts_of("DTSTART;TZID=Europe/Berlin:20240319T180000\nRRULE:FREQ=WEEKLY;BYDAY=TU,TH", 6);
  CHECK(inferred(weekly, "Europe/Berlin") ==
        "DTSTART;TZID=Europe/Berlin:20240319T180000\nRRULE:FREQ=WEEKLY;COUNT=6;BYDAY=TU,TH");
  auto biweekly = starts_of("DTSTART;TZID=America/New_York:20240101T090000\nRRULE:FREQ=WEEKLY;INTERVAL=2", 4);
  CHECK(inferred(biweekly, "America/New_York") ==
        "DTSTART;TZID=America/New_York:20240101T090000\nRRULE:FREQ=WEEKLY;COUNT=4;INTERVAL=2;BYDAY=MO");
  auto monthday = starts_of("DTSTART:20240115T120000Z\nRRULE:FREQ=MONTHLY", 5);
  CHECK(inferred(monthday, "") == "DTSTART:20240115T120000Z\nRRULE:FREQ=MONTHLY;COUNT=5;BYMONTHDAY=15");
  auto second_tuesday = starts_of("DTSTART;TZID=Australia/Sydney:20240109T190000\nRRULE:FREQ=MONTHLY;BYDAY=2TU", 6);
  CHECK(inferred(second_tuesday, "Australia/Sydney") ==
        "DTSTART;TZID=Australia/Sydney:20240109T190000\nRRULE:FREQ=MONTHLY;COUNT=6;BYDAY=2TU");
  auto last_friday = starts_of("DTSTART:20240126T170000Z\nRRULE:FREQ=MONTHLY;BYDAY=-1FR", 5);
  CHECK(inferred(last_friday, "") == "DTSTART:20240126T170000Z\nRRULE:FREQ=MONTHLY;COUNT=5;BYDAY=-1FR");
}

TEST_CASE("a missing occurrence becomes an EXDATE; irregular lists give no rule") {
  auto weekly = starts_of("DTSTART:20240101T090000Z\nRRULE:FREQ=WEEKLY", 8);
  weekly.erase(weekly.begin() + 3);
  CHECK(inferred(weekly, "") ==
        "DTSTART:20240101T090000Z\nRRULE:FREQ=WEEKLY;UNTIL=20240219T090000Z;BYDAY=MO\nEXDATE:20240122T090000Z");
  std::vector<Instant> irregular{Instant{std::chrono::seconds{0}}, Instant{std::chrono::seconds{86400 * 3}},
                                 Instant{std::chrono::seconds{86400 * 4}}, Instant{std::chrono::seconds{86400 * 11}}};
  CHECK(inferred(irregular, "") == "none");
  std::vector<Instant> other_times{Instant{std::chrono::seconds{0}}, Instant{std::chrono::seconds{86400 + 3600}}};
  CHECK(inferred(other_times, "") == "none");
}
