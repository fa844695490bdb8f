// The domain core's catalogue and the whole one (docs/architecture.md#parts, issue #17): the domain
// core builds sessions and gatherings without recurrence or the time-zone database; the types that
// need them answer PART_NOT_LOADED there, and the whole catalogue (the recurrence part's) builds them.
// Series heads (organizer, splitFrom) are read without parsing the rule.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/catalogue.h"
#include "core/entities/catalogue.h"
#include "core/entities/gathering.h"
#include "core/entities/record.h"
#include "core/series/head.h"
#include "test_support.h"

using namespace convene;
using convene::testing::ctx_at;
using convene::testing::expect_error;
using convene::testing::signed_by;
using convene::testing::stored;

namespace {
const char* kOrganizer = "0x1111111111111111111111111111111111111111";
const char* kAttendee = "0x2222222222222222222222222222222222222222";
const char* kNow = "2026-03-01T00:00:00Z";
const char* kMondays = "DTSTART;TZID=Europe/Berlin:20260302T190000\nRRULE:FREQ=WEEKLY;BYDAY=MO";

Json series_input() {
  return {{"organizerWallet", kOrganizer}, {"community", "Rust"}, {"title", "Rust night"}, {"duration", 90}, {"recurrence", kMondays}};
}
}  // namespace

TEST_CASE("domain catalogue: the recurrence part's types answer PART_NOT_LOADED naming the field") {
  for (const auto& t : entities::recurrence_part_types())
    expect_error([&] { entities::build_entity(t, series_input(), ctx_at(kNow)); }, "PART_NOT_LOADED", "type");
  expect_error([&] { entities::build_entity("nope", series_input(), ctx_at(kNow)); }, "UNKNOWN_ENTITY_TYPE", "type");
  const Json occurrence = {{"series", stored(catalogue::build_entity("event_series", series_input(), ctx_at(kNow)), "0xs", kOrganizer)},
                           {"recurrenceId", "2026-03-09T18:00:00Z"},
                           {"attendeeWallet", kAttendee}};
  expect_error([&] { entities::build_entity("gathering_rsvp", occurrence, ctx_at(kNow)); }, "PART_NOT_LOADED", "input.series");
  // The whole catalogue builds the same input.
  CHECK(catalogue::build_entity("gathering_rsvp", occurrence, ctx_at(kNow)).to_json()["attributes"].is_array());
}

TEST_CASE("domain catalogue: parsing an event_series is the recurrence part's; other types parse as before") {
  const Json s = stored(catalogue::build_entity("event_series", series_input(), ctx_at(kNow)), "0xs", kOrganizer);
  expect_error([&] { entities::parse_entity(s); }, "PART_NOT_LOADED", "entity.type");
  CHECK(catalogue::parse_entity(s)["tzid"] == "Europe/Berlin");
}

TEST_CASE("whole catalogue: every type, the domain's and the recurrence part's, once and sorted") {
  auto all = catalogue::entity_types();
  CHECK(std::is_sorted(all.begin(), all.end()));
  CHECK(std::adjacent_find(all.begin(), all.end()) == all.end());
  for (const auto& t : entities::entity_types()) CHECK(std::count(all.begin(), all.end(), t) == 1);
  for (const auto& t : entities::recurrence_part_types()) CHECK(std::count(all.begin(), all.end(), t) == 1);
  CHECK(all.size() == entities::entity_types().size() + entities::recurrence_part_types().size());
}

TEST_CASE("series head: organizer and splitFrom as signed, the rule not parsed") {
  Json s = stored(catalogue::build_entity("event_series", series_input(), ctx_at(kNow)), "0xs", kOrganizer);
  auto h = series::verify_series_head(entities::decode_entity(s, "series[0]"), "series[0]");
  CHECK(h->key == "0xs");
  CHECK(h->organizer.str() == kOrganizer);
  CHECK(h->split_from.empty());
  // A rule no parser takes: the head still reads (the rule is checked where the series is expanded).
  Json bad = s;
  for (auto& a : bad["attributes"])
    if (a["key"] == "recurrence") a["value"] = "RRULE:FREQ=SOMETIMES";
  Json payload = bad["payload"].is_string() ? Json::parse(bad["payload"].get<std::string>()) : bad["payload"];
  REQUIRE(payload.contains("recurrence"));
  payload["recurrence"] = "RRULE:FREQ=SOMETIMES";
  bad["payload"] = bad["payload"].is_string() ? Json(payload.dump()) : payload;
  CHECK_THROWS(catalogue::parse_entity(bad));
  CHECK(series::verify_series_head(entities::decode_entity(bad, "s"), "s")->organizer.str() == kOrganizer);
  // Signed by someone else: no evidence.
  Json forged = signed_by(s, kAttendee);
  expect_error([&] { series::verify_series_head(entities::decode_entity(forged, "s"), "s"); }, "UNVERIFIED_ENTITY", "s");
  // Attributes and payload disagree on the organizer: no evidence either.
  Json conflicting = s;
  Json claimed = conflicting["payload"].is_string() ? Json::parse(conflicting["payload"].get<std::string>()) : conflicting["payload"];
  claimed["organizerWallet"] = kAttendee;
  conflicting["payload"] = conflicting["payload"].is_string() ? Json(claimed.dump()) : claimed;
  expect_error([&] { series::verify_series_head(entities::decode_entity(conflicting, "s"), "s"); }, "CONFLICTING_FIELDS", "s.organizerWallet");
  // No recurrence at all: not a series.
  Json none = {{"key", "0xn"}, {"attributes", Json::array({{{"key", "type"}, {"value", "event_series"}}, {{"key", "organizerWallet"}, {"value", kOrganizer}}})}};
  expect_error([&] { series::verify_series_head(entities::decode_entity(signed_by(none, kOrganizer), "s"), "s"); }, "MISSING_FIELD", "s.recurrence");
}
