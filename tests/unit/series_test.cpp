#include <doctest/doctest.h>

#include "core/catalogue.h"
#include "core/series/occurrences.h"
#include "core/series/plan.h"
#include "test_support.h"

using namespace convene;
using namespace convene::series;
using convene::testing::attrs_of;
using convene::testing::ctx_at;
using convene::testing::expect_error;

namespace {
const char* kOrganizer = "0x1111111111111111111111111111111111111111";
const char* kFollower = "0x2222222222222222222222222222222222222222";

/// Stored by the organizer (series, exceptions, gatherings), each in a later block.
Json stored(const entities::EntityDraft& d, const std::string& key, const char* signer = kOrganizer) {
  return convene::testing::stored(d, key, signer);
}
// Mondays 19:00 in Berlin: CET (UTC+1) in winter, CEST (UTC+2) from 2026-03-29.
const char* kWeekly = "DTSTART;TZID=Europe/Berlin:20260302T190000\nRRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=8";

Json series_entity(convene::testing::CountingRandom& r, const char* ical = kWeekly) {
  Json in = {{"organizerWallet", kOrganizer}, {"community", "Berlin Rust"}, {"title", "Rust night"},
             {"duration", 90}, {"recurrence", ical}};
  return stored(catalogue::build_entity("event_series", in, ctx_at("2026-02-20T00:00:00Z", &r)), "0xseries");
}

SeriesState state(const Json& series, Json exceptions = Json::array(), Json gatherings = Json::array()) {
  Json in = {{"series", series}, {"exceptions", exceptions}, {"gatherings", gatherings}};
  return read_series_state(Input(in, ""));
}
}  // namespace

TEST_CASE("event_series entity: attributes, canonical recurrence, bounded expiry") {
  convene::testing::CountingRandom r;
  Json in = {{"organizerWallet", kOrganizer}, {"community", "Berlin Rust"}, {"title", "Rust night"},
             {"duration", 90}, {"recurrence", "dtstart;tzid=Europe/Berlin:20260302T190000\nrrule:freq=weekly;byday=mo;count=8;"}};
  Json d = catalogue::build_entity("event_series", in, ctx_at("2026-02-20T00:00:00Z", &r)).to_json();
  Json a = attrs_of(d);
  CHECK(a["type"] == "event_series");
  CHECK(a["community"] == "berlin-rust");
  CHECK(a["tzid"] == "Europe/Berlin");
  CHECK(a["dtstart"] == "2026-03-02T18:00:00.000Z");
  Json p = Json::parse(d["payload"].get<std::string>());
  CHECK(p["recurrence"].get<std::string>().find("RRULE:FREQ=WEEKLY;COUNT=8;BYDAY=MO") != std::string::npos);
  // last occurrence 2026-04-20 17:00Z + 90 min, then one year
  CHECK(d["expiresIn"].get<std::int64_t>() > 31536000);
  in["recurrence"] = "DTSTART:20260302T190000\nRRULE:FREQ=WEEKLY";
  expect_error([&] { catalogue::build_entity("event_series", in, ctx_at("2026-02-20T00:00:00Z", &r)); }, "INVALID_RRULE", "input.recurrence");
  in["recurrence"] = "DTSTART;TZID=Mars/Olympus:20260302T190000\nRRULE:FREQ=WEEKLY";
  expect_error([&] { catalogue::build_entity("event_series", in, ctx_at("2026-02-20T00:00:00Z", &r)); }, "UNKNOWN_TIME_ZONE", "input.recurrence.DTSTART");
}

TEST_CASE("occurrences follow the zone across DST and carry exceptions and gatherings") {
  convene::testing::CountingRandom r;
  Json series = series_entity(r);
  auto ctx = ctx_at("2026-02-20T00:00:00Z", &r);
  Json cancel = stored(catalogue::build_entity("event_series_exception",
                                              {{"series", series}, {"recurrenceId", "2026-03-09T18:00:00Z"}, {"kind", "cancelled"}}, ctx), "0xx1");
  Json modify = stored(catalogue::build_entity("event_series_exception",
                                              {{"series", series}, {"recurrenceId", "2026-03-30T17:00:00Z"}, {"kind", "modified"},
                                               {"changes", {{"title", "Rust night: async"}, {"sessionDate", "2026-03-31T17:00:00Z"}}}}, ctx), "0xx2");
  auto st = state(series, Json::array({cancel, modify}));
  auto occ = list_occurrences(st, std::nullopt, std::nullopt, std::nullopt);
  REQUIRE(occ.size() == 8);
  CHECK(format_iso8601(occ[0].starts_at) == "2026-03-02T18:00:00.000Z");  // CET
  CHECK(occ[0].local == "2026-03-02T19:00:00");
  CHECK(format_iso8601(occ[4].recurrence_id) == "2026-03-30T17:00:00.000Z");  // CEST: still 19:00 local
  CHECK(occ[1].state == "cancelled");
  CHECK(occ[4].state == "modified");
  CHECK(occ[4].title == "Rust night: async");
  CHECK(format_iso8601(occ[4].starts_at) == "2026-03-31T17:00:00.000Z");
  CHECK(occ[0].state == "planned");
  // newest exception wins: reinstating the cancelled one
  auto later = ctx_at("2026-02-21T00:00:00Z", &r);
  Json reinstate = stored(catalogue::build_entity("event_series_exception",
                                                 {{"series", series}, {"recurrenceId", "2026-03-09T18:00:00Z"}, {"kind", "reinstated"}}, later), "0xx3");
  CHECK(list_occurrences(state(series, Json::array({reinstate, cancel})), std::nullopt, std::nullopt, std::nullopt)[1].state == "planned");
  expect_error([&] { catalogue::build_entity("event_series_exception", {{"series", series}, {"recurrenceId", "2026-03-10T18:00:00Z"}, {"kind", "cancelled"}}, ctx); },
               "NOT_AN_OCCURRENCE", "input.recurrenceId");
}

TEST_CASE("materialization plan: rolling window, cancellations, updates keep the room") {
  convene::testing::CountingRandom r;
  Json series = series_entity(r);
  auto now = ctx_at("2026-03-08T12:00:00Z", &r);
  auto plan = plan_materialization(state(series), std::chrono::hours{24 * 14}, now);
  // window [2026-03-08 12:00, 2026-03-22 12:00]: Mondays 03-09 and 03-16
  REQUIRE(plan.create.size() == 2);
  CHECK(plan.create[0].find("recurrenceId") == "2026-03-09T18:00:00.000Z");
  CHECK(plan.create[0].find("seriesKey") == "0xseries");
  CHECK(plan.create[0].find("title") == "Rust night");

  Json g1 = stored(plan.create[0], "0xg1");
  Json g2 = stored(plan.create[1], "0xg2");
  auto ctx = ctx_at("2026-03-08T12:00:00Z", &r);
  Json cancel = stored(catalogue::build_entity("event_series_exception",
                                              {{"series", series}, {"recurrenceId", "2026-03-16T18:00:00Z"}, {"kind", "cancelled"}}, ctx), "0xx1");
  auto again = plan_materialization(state(series, Json::array({cancel}), Json::array({g1, g2})), std::chrono::hours{24 * 14}, now);
  CHECK(again.create.empty());
  REQUIRE(again.cancel.size() == 1);
  CHECK(again.cancel[0].entity_key == "0xg2");

  // template propagation from 03-16 on updates only later, unmodified, materialized occurrences
  Json changes = {{"title", "Rust evening"}};
  auto prop = plan_propagation(state(series, Json::array(), Json::array({g1, g2})), parse_iso8601("2026-03-16T00:00:00Z", ""),
                               Input(changes, "changes"), now);
  REQUIRE(prop.update.size() == 1);
  CHECK(prop.update[0].entity_key == "0xg2");
  CHECK(prop.update[0].draft.find("title") == "Rust evening");
  CHECK(prop.update[0].draft.find("videoRoomName") == Json::parse(g2["payload"].get<std::string>())["videoRoomName"]);
  CHECK(prop.series.find("title") == "Rust evening");
}

TEST_CASE("split: old series keeps COUNT before, new one starts at the next occurrence with the rest") {
  convene::testing::CountingRandom r;
  Json series = series_entity(r);
  auto ctx = ctx_at("2026-03-01T00:00:00Z", &r);
  Json changes = {{"duration", 60}};
  auto s = plan_split(state(series), parse_iso8601("2026-03-20T00:00:00Z", ""), Input(changes, "changes"), ctx);
  std::string old_rec = Json::parse(s.old_series.to_json()["payload"].get<std::string>())["recurrence"];
  std::string new_rec = Json::parse(s.new_series.to_json()["payload"].get<std::string>())["recurrence"];
  CHECK(old_rec.find("COUNT=3") != std::string::npos);
  CHECK(new_rec.find("DTSTART;TZID=Europe/Berlin:20260323T190000") != std::string::npos);
  CHECK(new_rec.find("COUNT=5") != std::string::npos);
  CHECK(Json::parse(s.new_series.to_json()["payload"].get<std::string>())["duration"] == 60);
  expect_error([&] { plan_split(state(series), parse_iso8601("2026-01-01T00:00:00Z", ""), Input(changes, "changes"), ctx); }, "INVALID_INPUT", "at");
}

TEST_CASE("split of an unbounded rule uses UNTIL; next occurrence skips cancelled ones") {
  convene::testing::CountingRandom r;
  Json series = series_entity(r, "DTSTART;TZID=America/New_York:20260105T090000\nRRULE:FREQ=WEEKLY;BYDAY=MO,WE");
  auto ctx = ctx_at("2026-01-01T00:00:00Z", &r);
  Json changes = Json::object();
  auto s = plan_split(state(series), parse_iso8601("2026-01-10T00:00:00Z", ""), Input(changes, "changes"), ctx);
  std::string old_rec = Json::parse(s.old_series.to_json()["payload"].get<std::string>())["recurrence"];
  CHECK(old_rec.find("UNTIL=20260107T140000Z") != std::string::npos);
  Json cancel = stored(catalogue::build_entity("event_series_exception",
                                              {{"series", series}, {"recurrenceId", "2026-01-12T14:00:00Z"}, {"kind", "cancelled"}}, ctx), "0xx");
  auto next = next_occurrence(state(series, Json::array({cancel})), parse_iso8601("2026-01-10T00:00:00Z", ""));
  REQUIRE(next.has_value());
  CHECK(format_iso8601(next->starts_at) == "2026-01-14T14:00:00.000Z");
}

TEST_CASE("following a series is distinct from attending; a second follow is refused") {
  convene::testing::CountingRandom r;
  Json series = series_entity(r);
  auto ctx = ctx_at("2026-03-01T00:00:00Z", &r);
  Json f = stored(catalogue::build_entity("event_series_follow", {{"series", series}, {"followerWallet", kFollower}}, ctx), "0xf", kFollower);
  CHECK(attrs_of(f)["type"] == "event_series_follow");
  CHECK(attrs_of(f)["seriesKey"] == "0xseries");
  expect_error([&] { catalogue::build_entity("event_series_follow", {{"series", series}, {"followerWallet", kFollower}, {"existingFollows", Json::array({f})}}, ctx); },
               "ALREADY_FOLLOWING", "input.followerWallet");
}

TEST_CASE("an exception carries endsAtSec: the later of its occurrence's original and modified ends, checked on read") {
  convene::testing::CountingRandom r;
  Json series = series_entity(r);  // Mondays 19:00 Berlin, 90 minutes
  auto ctx = ctx_at("2026-02-20T00:00:00Z", &r);
  auto ends_of = [&](Json in) {
    in["series"] = series;
    return attrs_of(catalogue::build_entity("event_series_exception", in, ctx).to_json())["endsAtSec"];
  };
  // 2026-03-09T18:00Z + 90 min = 19:30Z = 1773084600.
  CHECK(ends_of({{"recurrenceId", "2026-03-09T18:00:00Z"}, {"kind", "cancelled"}}) == 1773084600u);
  CHECK(ends_of({{"recurrenceId", "2026-03-09T18:00:00Z"}, {"kind", "reinstated"}}) == 1773084600u);
  // Moved two days later and made 2 h long: 2026-03-11T18:00Z + 120 min = 20:00Z = 1773259200.
  CHECK(ends_of({{"recurrenceId", "2026-03-09T18:00:00Z"}, {"kind", "modified"},
                 {"changes", {{"sessionDate", "2026-03-11T18:00:00Z"}, {"duration", 120}}}}) == 1773259200u);
  // Moved a day earlier: the original end is the later one; a longer meeting at the same start ends later.
  CHECK(ends_of({{"recurrenceId", "2026-03-09T18:00:00Z"}, {"kind", "modified"}, {"changes", {{"sessionDate", "2026-03-08T18:00:00Z"}}}}) ==
        1773084600u);
  CHECK(ends_of({{"recurrenceId", "2026-03-09T18:00:00Z"}, {"kind", "modified"}, {"changes", {{"duration", 180}}}}) == 1773090000u);
  CHECK(ends_of({{"recurrenceId", "2026-03-09T18:00:00Z"}, {"kind", "modified"}, {"changes", {{"title", "Other"}}}}) == 1773084600u);

  // Read back: the attribute as written is accepted, a wrong one is refused naming it, none (older writers) accepted.
  Json moved = stored(catalogue::build_entity("event_series_exception",
                                             {{"series", series}, {"recurrenceId", "2026-03-09T18:00:00Z"}, {"kind", "modified"},
                                              {"changes", {{"sessionDate", "2026-03-11T18:00:00Z"}}}}, ctx), "0xx1");
  CHECK(state(series, Json::array({moved})).written.exceptions.size() == 1);
  Json wrong = moved;
  Json older = moved;
  older["attributes"] = Json::array();
  for (auto& a : moved["attributes"]) {
    if (a["key"] == "endsAtSec") {
      Json w = a;
      w["value"] = 1773084600u;  // the original end: would hide the moved occurrence from "ends later" reads
      wrong["attributes"].clear();
      for (const auto& b : moved["attributes"]) wrong["attributes"].push_back(b["key"] == "endsAtSec" ? w : b);
    } else {
      older["attributes"].push_back(a);
    }
  }
  auto st = state(series, Json::array({wrong}));
  CHECK(st.written.exceptions.empty());
  CHECK(st.ignored.to_json()["conflicting"] == 1);  // CONFLICTING_FIELDS
  CHECK(state(series, Json::array({older})).written.exceptions.size() == 1);
}
