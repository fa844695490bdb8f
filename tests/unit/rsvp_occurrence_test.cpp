// An RSVP to any future occurrence of a series, materialized or not (issue 12, "Vivification"): it
// names the series and the RECURRENCE-ID, counts once the occurrence has a gathering, and follows the
// occurrence through moves, cancellation and a split (docs/domain.md#occurrence-rsvps).
#include <doctest/doctest.h>

#include "core/catalogue.h"
#include "core/entities/gathering.h"
#include "core/series/plan.h"
#include "core/series/rsvp.h"
#include "core/sessions/confirm.h"
#include "core/sessions/status.h"
#include "test_support.h"

using namespace convene;
using convene::testing::attrs_of;
using convene::testing::ctx_at;
using convene::testing::expect_error;
using convene::testing::stored;

namespace {
const char* kOrganizer = "0x1111111111111111111111111111111111111111";
const char* kAttendee = "0x2222222222222222222222222222222222222222";
const char* kStranger = "0x3333333333333333333333333333333333333333";
const char* kMarch = "2026-03-01T00:00:00Z";
// Mondays 19:00 Berlin from 2 March 2026 (18:00 UTC until the end of March).
const char* kMondays = "DTSTART;TZID=Europe/Berlin:20260302T190000\nRRULE:FREQ=WEEKLY;BYDAY=MO";

convene::testing::CountingRandom& rnd() {
  static convene::testing::CountingRandom r;
  return r;
}
entities::BuildContext at(const char* now) { return ctx_at(now, &rnd()); }
Json series_entity(const char* key) {
  Json in = {{"organizerWallet", kOrganizer}, {"community", "Rust"}, {"title", "Rust night"}, {"duration", 90}, {"recurrence", kMondays}};
  return stored(catalogue::build_entity("event_series", in, at(kMarch)), key, kOrganizer);
}
Json occurrence_rsvp(const Json& series, const char* rid, Json extra = Json::object(), const char* signer = kAttendee) {
  Json in = {{"series", series}, {"recurrenceId", rid}, {"attendeeWallet", kAttendee}};
  in.update(extra);
  return stored(catalogue::build_entity("gathering_rsvp", in, at(kMarch)), std::string("0xr-") + rid, signer);
}
/// The gatherings a materialization from `now` over `days` writes, stored as `<prefix><i>`.
std::vector<Json> materialize(const Json& series, int days, const char* prefix, Json exceptions = Json::array()) {
  Json in = {{"series", series}, {"exceptions", exceptions}};
  auto plan = series::plan_materialization(series::read_series_state(Input(in, "")), std::chrono::hours{24 * days}, at(kMarch));
  std::vector<Json> out;
  for (std::size_t i = 0; i < plan.create.size(); ++i) out.push_back(stored(plan.create[i], prefix + std::to_string(i), kOrganizer));
  return out;
}
Json summary(const Json& rsvps, const Json& gatherings, const Json& series = Json()) {
  auto links = series::split_links(series.is_null() ? nullptr : &series);
  return entities::rsvp_summary(&rsvps, entities::Wallet::parse(kAttendee, "viewer"), &gatherings, &links);
}
}  // namespace

TEST_CASE("occurrence RSVP: names the series and the RECURRENCE-ID, with the occurrence's time; refused for a date the series does not produce") {
  Json s = series_entity("0xs");
  Json later = occurrence_rsvp(s, "2026-04-27T17:00:00Z");  // far beyond any window: not materialized
  Json a = attrs_of(later);
  CHECK(a["type"] == "session");
  CHECK(a["skill"] == "virtual_gathering_rsvp");
  CHECK(a["seriesKey"] == "0xs");
  CHECK(a["recurrenceId"] == "2026-04-27T17:00:00.000Z");
  CHECK(a["mentorWallet"] == kOrganizer);
  CHECK(a["learnerWallet"] == kAttendee);
  CHECK(a["sessionDate"] == "2026-04-27T17:00:00.000Z");
  CHECK_FALSE(a.contains("gatheringKey"));
  Json p = Json::parse(later["payload"].get<std::string>());
  CHECK(p["seriesKey"] == "0xs");
  CHECK(p["recurrenceId"] == "2026-04-27T17:00:00.000Z");
  CHECK(p["duration"] == 90);
  CHECK(catalogue::parse_entity(later)["isGatheringRsvp"] == true);

  expect_error([&] { occurrence_rsvp(s, "2026-04-28T17:00:00Z"); }, "NOT_AN_OCCURRENCE", "input.recurrenceId");
  // A cancelled date takes no new RSVP.
  Json x = stored(catalogue::build_entity("event_series_exception", {{"series", s}, {"recurrenceId", "2026-04-27T17:00:00Z"}, {"kind", "cancelled"}}, at(kMarch)),
                  "0xx", kOrganizer);
  expect_error([&] { occurrence_rsvp(s, "2026-04-27T17:00:00Z", {{"exceptions", Json::array({x})}}); }, "INVALID_INPUT", "input.recurrenceId");
  // A moved date: the RSVP copies the moved time.
  Json moved = stored(catalogue::build_entity("event_series_exception",
                                             {{"series", s}, {"recurrenceId", "2026-04-27T17:00:00Z"}, {"kind", "modified"}, {"changes", {{"sessionDate", "2026-04-28T17:00:00Z"}}}},
                                             at(kMarch)),
                      "0xm", kOrganizer);
  CHECK(attrs_of(occurrence_rsvp(s, "2026-04-27T17:00:00Z", {{"exceptions", Json::array({moved})}}))["sessionDate"] == "2026-04-28T17:00:00.000Z");
  // A materialized date: the RSVP names its gathering too (readers that know only gatheringKey count it).
  auto gs = materialize(s, 10, "0xg");
  Json now_rsvp = occurrence_rsvp(s, "2026-03-09T18:00:00Z", {{"gatherings", gs}});
  CHECK(attrs_of(now_rsvp)["gatheringKey"] == "0xg1");
  CHECK(attrs_of(now_rsvp)["recurrenceId"] == "2026-03-09T18:00:00.000Z");
  // One RSVP per attendee and occurrence.
  expect_error([&] { occurrence_rsvp(s, "2026-04-27T17:00:00Z", {{"existingRsvps", Json::array({later})}}); }, "ALREADY_RSVPED", "input.attendeeWallet");
  expect_error([&] { occurrence_rsvp(s, "2026-03-09T18:00:00Z", {{"gatherings", gs}, {"existingRsvps", Json::array({now_rsvp})}}); }, "ALREADY_RSVPED",
               "input.attendeeWallet");
}

TEST_CASE("occurrence RSVP: counts once its occurrence has a gathering, under that gathering; a stranger's forgery or a bad recurrenceId is no evidence") {
  Json s = series_entity("0xs2");
  Json rsvp = occurrence_rsvp(s, "2026-03-23T18:00:00Z");
  Json early = summary(Json::array({rsvp}), Json::array());
  CHECK(early["counts"].empty());  // not materialized: not counted yet
  CHECK(early["viewerOccurrenceRsvps"].contains("0xs2 2026-03-23T18:00:00.000Z"));
  auto gs = materialize(s, 28, "0xh");  // 03-02 .. 03-23
  REQUIRE(gs.size() == 4);
  Json later = summary(Json::array({rsvp}), Json(gs));
  CHECK(later["counts"]["0xh3"] == 1);
  CHECK(later["viewerRsvps"].contains("0xh3"));
  CHECK(later["viewerRsvps"]["0xh3"]["recurrenceId"] == "2026-03-23T18:00:00.000Z");
  CHECK_FALSE(later["viewerOccurrenceRsvps"].contains("0xs2 2026-03-23T18:00:00.000Z"));
  // A gathering of another organizer claiming the series is not the occurrence's gathering.
  Json other = stored(catalogue::build_entity("virtual_gathering",
                                             {{"organizerWallet", kStranger}, {"community", "Rust"}, {"title", "x"}, {"sessionDate", "2026-03-23T18:00:00Z"},
                                              {"seriesKey", "0xs2"}, {"recurrenceId", "2026-03-23T18:00:00Z"}},
                                             at(kMarch)),
                      "0xforged", kStranger);
  CHECK_FALSE(summary(Json::array({rsvp}), Json::array({other}))["counts"].contains("0xforged"));
  // Signed by someone else than the attendee: ignored. A recurrenceId that is no instant: malformed.
  Json forged = occurrence_rsvp(s, "2026-03-30T17:00:00Z", Json::object(), kStranger);
  CHECK(summary(Json::array({forged}), Json(gs))["ignored"]["unverified"] == 1);
  Json bad = rsvp;
  for (auto& attr : bad["attributes"])
    if (attr["key"] == "recurrenceId") attr["value"] = "next monday";
  CHECK(summary(Json::array({bad}), Json(gs))["ignored"]["total"] == 1);
  Json half = rsvp;  // seriesKey without recurrenceId
  for (auto it = half["attributes"].begin(); it != half["attributes"].end(); ++it)
    if ((*it)["key"] == "recurrenceId") {
      half["attributes"].erase(it);
      break;
    }
  Json hp = Json::parse(half["payload"].get<std::string>());
  hp.erase("recurrenceId");
  half["payload"] = hp.dump();
  CHECK(summary(Json::array({half}), Json(gs))["ignored"]["malformed"] == 1);
}

TEST_CASE("occurrence RSVP: its status follows the occurrence's gathering through a move and a cancellation") {
  Json s = series_entity("0xs3");
  Json rsvp = occurrence_rsvp(s, "2026-03-23T18:00:00Z");
  Json conf_in = {{"session", rsvp}, {"by", kAttendee}};
  Json conf = stored(*sessions::plan_confirmation(Input(conf_in, ""), at(kMarch)).confirmation, "0xc3", kAttendee);
  auto gs = materialize(s, 28, "0xk");
  auto status = [&](const Json& g, const char* now) {
    Json in = {{"session", rsvp}, {"confirmations", Json::array({conf})}, {"gathering", g}};
    return sessions::compute_status(sessions::read_session_evidence(Input(in, "")), parse_iso8601(now, ""));
  };
  CHECK(status(gs[3], kMarch).state == sessions::State::Scheduled);
  // Cancelled: the gathering is retired under its key; the RSVP reads cancelled.
  Json x = stored(catalogue::build_entity("event_series_exception", {{"series", s}, {"recurrenceId", "2026-03-23T18:00:00Z"}, {"kind", "cancelled"}}, at(kMarch)),
                  "0xx3", kOrganizer);
  Json in = {{"series", s}, {"exceptions", Json::array({x})}, {"gatherings", gs}};
  auto plan = series::plan_materialization(series::read_series_state(Input(in, "")), std::chrono::hours{24 * 28}, at(kMarch));
  REQUIRE(plan.cancel.size() == 1);
  Json retired = convene::testing::updated(plan.cancel[0].draft, gs[3]);
  CHECK(status(retired, kMarch).state == sessions::State::Cancelled);
  // Another occurrence's gathering is not this RSVP's.
  expect_error([&] { status(gs[2], kMarch); }, "INVALID_INPUT", "gathering");
}

TEST_CASE("occurrence RSVP: a split's new series names the old one (splitFrom); an RSVP to a later date follows it there") {
  Json s = series_entity("0xold");
  Json rsvp = occurrence_rsvp(s, "2026-04-20T17:00:00Z");  // after the split point, not materialized
  Json in = {{"series", s}};
  Json changes = {{"title", "Rust night v2"}};
  auto split = series::plan_split(series::read_series_state(Input(in, "")), parse_iso8601("2026-03-20T00:00:00Z", ""), Input(changes, "changes"), at(kMarch));
  CHECK(attrs_of(split.new_series.to_json())["splitFrom"] == "0xold");
  Json next = stored(split.new_series, "0xnew", kOrganizer);
  CHECK(catalogue::parse_entity(next)["splitFrom"] == "0xold");
  // The new series materializes the date later (its own seriesKey): the RSVP counts there when the
  // reader is given both series, which link the two.
  Json nin = {{"series", next}};
  auto plan = series::plan_materialization(series::read_series_state(Input(nin, "")), std::chrono::hours{24 * 60}, at(kMarch));
  std::vector<Json> gs;
  for (std::size_t i = 0; i < plan.create.size(); ++i) gs.push_back(stored(plan.create[i], "0xn" + std::to_string(i), kOrganizer));
  std::string key;
  for (const auto& g : gs)
    if (attrs_of(g)["recurrenceId"] == "2026-04-20T17:00:00.000Z") key = g["key"];
  REQUIRE_FALSE(key.empty());
  CHECK(summary(Json::array({rsvp}), Json(gs), Json::array({s, next}))["counts"][key] == 1);
  CHECK_FALSE(summary(Json::array({rsvp}), Json(gs))["counts"].contains(key));  // without the series, no link
  // A splitFrom naming a series of another organizer links nothing.
  Json foreign_in = {{"organizerWallet", kStranger}, {"community", "Rust"}, {"title", "Other"}, {"recurrence", kMondays}};
  Json foreign = stored(catalogue::build_entity("event_series", foreign_in, at(kMarch)), "0xold", kStranger);
  CHECK_FALSE(summary(Json::array({rsvp}), Json(gs), Json::array({foreign, next}))["counts"].contains(key));
}
