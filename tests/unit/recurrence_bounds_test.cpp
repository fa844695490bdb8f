// `core.recurrence.expand` takes its own output form as a bound (issue 12, defect 12): for a floating
// or DATE set the instances are written without an offset, so paging with the last instance needs
// bounds in that form; a zoned or UTC set still needs an offset.
#include <doctest/doctest.h>

#include "core/recurrence/expand.h"
#include "core/recurrence/json.h"
#include "core/recurrence/parse.h"
#include "test_support.h"

using namespace convene;
using convene::testing::expect_error;

TEST_CASE("expand options: floating and DATE sets take bounds in their own output form") {
  using recurrence::ValueKind;
  auto floating = recurrence::parse_recurrence_set("DTSTART:20260302T090000\nRRULE:FREQ=DAILY;COUNT=10");
  auto opt = recurrence::expand_options_from_json(Json{{"after", "2026-03-05T09:00:00"}, {"limit", 2}}, ValueKind::Floating);
  auto page = recurrence::expand(floating, opt);
  REQUIRE(page.size() == 2);
  CHECK(recurrence::format_occurrence(page[0], ValueKind::Floating) == "2026-03-05T09:00:00");
  auto date_opt = recurrence::expand_options_from_json(Json{{"before", "2026-03-09"}}, ValueKind::Date);
  CHECK(date_opt.before == recurrence::Instant{std::chrono::seconds{1773014400}});  // 2026-03-09T00:00:00Z
  // With a zone, a wall time alone is ambiguous: still INVALID_DATE.
  expect_error([] { recurrence::expand_options_from_json(Json{{"after", "2026-03-05T09:00:00"}}, ValueKind::Zoned); }, "INVALID_DATE",
               "options.after");
  expect_error([] { recurrence::expand_options_from_json(Json{{"after", "2026-03-05T09:00:00"}}, ValueKind::Utc); }, "INVALID_DATE",
               "options.after");
}
