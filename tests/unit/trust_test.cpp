// The trust rule (docs/trust.md) in the core: forged, transferred, unsigned, conflicting and
// malformed entities change nothing a reader returns, and are counted.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "core/catalogue.h"
#include "core/entities/catalogue.h"
#include "core/entities/gathering.h"
#include "core/entities/reader.h"
#include "core/entities/record.h"
#include "core/events/stored.h"
#include "core/series/occurrences.h"
#include "core/series/plan.h"
#include "core/sessions/confirm.h"
#include "core/sessions/status.h"
#include "test_support.h"

using namespace convene;
using namespace convene::entities;
using convene::testing::ctx_at;
using convene::testing::expect_error;
using convene::testing::signed_by;

namespace {
const std::string kMentor = "0x1111111111111111111111111111111111111111";
const std::string kLearner = "0x2222222222222222222222222222222222222222";
const std::string kMallory = "0x3333333333333333333333333333333333333333";

Json raw(Json attrs, Json payload, const std::string& key) {
  Json a = Json::array();
  for (auto it = attrs.begin(); it != attrs.end(); ++it) a.push_back({{"key", it.key()}, {"value", it.value()}});
  return Json{{"key", key}, {"attributes", a}, {"payload", payload.dump()}};
}
Json session(const std::string& signer = kLearner) {
  return signed_by(raw({{"type", "session"}, {"mentorWallet", kMentor}, {"learnerWallet", kLearner}, {"skill", "go"},
                        {"sessionDate", "2026-01-20T18:00:00.000Z"}, {"status", "pending"}},
                       {{"duration", 60}, {"sessionDate", "2026-01-20T18:00:00.000Z"}}, "0xs"),
                   signer);
}
Json ack(const char* field, const std::string& named, const std::string& signer, std::uint64_t block = 0) {
  return signed_by(raw({{"type", std::string(field) == "confirmedBy" ? "session_confirmation" : "session_rejection"},
                        {"sessionKey", "0xs"}, {field, named}, {"mentorWallet", kMentor}, {"learnerWallet", kLearner}},
                       Json::object(), "0xa" + signer.substr(2, 4) + std::to_string(block)),
                   signer, block);
}
sessions::Status status(const Json& s, const Json& conf, const Json& rej = Json::array()) {
  Json in = {{"session", s}, {"confirmations", conf}, {"rejections", rej}};
  return sessions::compute_status(sessions::read_session_evidence(Input(in, "")), parse_iso8601("2026-01-20T10:00:00Z", ""));
}
}  // namespace

TEST_CASE("trust: a confirmation in the mentor's name signed by another wallet does not schedule") {
  auto genuine = status(session(), Json::array({ack("confirmedBy", kLearner, kLearner), ack("confirmedBy", kMentor, kMentor)}));
  CHECK(genuine.state == sessions::State::Scheduled);
  CHECK(genuine.ignored.total() == 0);
  auto forged = status(session(), Json::array({ack("confirmedBy", kLearner, kLearner), ack("confirmedBy", kMentor, kMallory)}));
  CHECK(forged.state == sessions::State::Pending);
  CHECK_FALSE(forged.confirmed.mentor);
  CHECK(forged.ignored.unverified == 1);
}

TEST_CASE("trust: a rejection in the learner's name by another wallet cancels nothing; a stranger's own is not a participant's") {
  Json both = Json::array({ack("confirmedBy", kLearner, kLearner), ack("confirmedBy", kMentor, kMentor)});
  CHECK(status(session(), both, Json::array({ack("rejectedBy", kLearner, kMallory)})).state == sessions::State::Scheduled);
  auto own = status(session(), both, Json::array({ack("rejectedBy", kMallory, kMallory)}));
  CHECK(own.state == sessions::State::Scheduled);
  CHECK(own.ignored.unverified == 1);
  CHECK(status(session(), both, Json::array({ack("rejectedBy", kLearner, kLearner)})).state == sessions::State::Cancelled);
}

TEST_CASE("trust: transferred ownership and missing metadata are no evidence") {
  Json transferred = ack("confirmedBy", kMentor, kMentor);
  transferred["owner"] = kMallory;
  Json unsigned_ack = ack("confirmedBy", kMentor, kMentor);
  unsigned_ack.erase("creator");
  unsigned_ack.erase("owner");
  auto st = status(session(), Json::array({ack("confirmedBy", kLearner, kLearner), transferred, unsigned_ack}));
  CHECK(st.state == sessions::State::Pending);
  CHECK(st.ignored.unverified == 2);
  // The session itself, as the reader's argument: a typed error naming it.
  Json s = session();
  s.erase("creator");
  expect_error([&] { status(s, Json::array()); }, "UNVERIFIED_ENTITY", "session");
  expect_error([&] { status(session(kMallory), Json::array()); }, "UNVERIFIED_ENTITY", "session");
}

TEST_CASE("trust: attributes and payload must agree") {
  Json c = ack("confirmedBy", kMentor, kMentor);
  c["payload"] = Json{{"confirmedBy", kMallory}}.dump();
  auto st = status(session(), Json::array({ack("confirmedBy", kLearner, kLearner), c}));
  CHECK(st.state == sessions::State::Pending);
  CHECK(st.ignored.conflicting == 1);
  // Same value, other spelling: not a conflict.
  Json same = ack("confirmedBy", kMentor, kMentor);
  same["payload"] = Json{{"confirmedBy", "0x1111111111111111111111111111111111111111"}, {"mentorWallet", kMentor}}.dump();
  CHECK(status(session(), Json::array({ack("confirmedBy", kLearner, kLearner), same})).state == sessions::State::Scheduled);
  // A payload may not claim metadata.
  Json claims = session();
  claims["payload"] = Json{{"creator", kMallory}}.dump();
  expect_error([&] { status(claims, Json::array()); }, "MALFORMED_ENTITY", "session.payload.creator");
}

TEST_CASE("trust: the first rejection is decided by chain position, not createdAt") {
  Json both = Json::array({ack("confirmedBy", kLearner, kLearner), ack("confirmedBy", kMentor, kMentor)});
  Json early = ack("rejectedBy", kMentor, kMentor, 500);
  early["attributes"].push_back({{"key", "createdAt"}, {"value", "2030-01-01T00:00:00.000Z"}});  // a skewed clock
  Json late = ack("rejectedBy", kLearner, kLearner, 501);
  late["attributes"].push_back({{"key", "createdAt"}, {"value", "2020-01-01T00:00:00.000Z"}});
  CHECK(status(session(), both, Json::array({late, early})).by->str() == kMentor);
  // Same block: the transaction index decides, then the operation index.
  Json a = ack("rejectedBy", kMentor, kMentor, 600);
  a["transactionIndexInBlock"] = 2;
  Json b = ack("rejectedBy", kLearner, kLearner, 600);
  b["transactionIndexInBlock"] = 1;
  CHECK(status(session(), both, Json::array({a, b})).by->str() == kLearner);
}

TEST_CASE("trust: planConfirmation and status share one rule (stored-scheduled RSVP variant)") {
  Json rsvp = signed_by(raw({{"type", "session"}, {"mentorWallet", kLearner}, {"learnerWallet", kLearner},
                             {"skill", "virtual_gathering_rsvp"}, {"gatheringKey", "0xg"}, {"status", "scheduled"},
                             {"sessionDate", "2026-01-20T18:00:00.000Z"}},
                            Json::object(), "0xs"),
                        kLearner);
  CHECK(status(rsvp, Json::array()).state == sessions::State::Scheduled);
  Json in = {{"session", rsvp}, {"by", kLearner}};
  auto plan = sessions::plan_confirmation(Input(in, "input"), ctx_at("2026-01-20T10:00:00Z"));
  CHECK(plan.already_confirmed);
  CHECK_FALSE(plan.confirmation.has_value());
  // A forged session_jitsi does not stop the real room from being written.
  Json s = session();
  Json forged_room = signed_by(raw({{"type", "session_jitsi"}, {"sessionKey", "0xs"}},
                                   {{"videoRoomName", "phish"}, {"videoJoinUrl", "https://evil.example/x"}}, "0xj"),
                               kMallory);
  Json in2 = {{"session", s}, {"by", kMentor}, {"confirmations", Json::array({ack("confirmedBy", kLearner, kLearner)})},
              {"jitsi", Json::array({forged_room})}};
  CHECK(sessions::plan_confirmation(Input(in2, "input"), ctx_at("2026-01-20T10:00:00Z")).jitsi.has_value());
}

TEST_CASE("trust: hostile entities never fail a list read") {
  std::string deep(20000, '[');
  deep += std::string(20000, ']');
  Json gatherings = Json::array();
  gatherings.push_back(Json{{"key", "0xdeep"}, {"attributes", Json::array({{{"key", "type"}, {"value", "virtual_gathering"}}})},
                            {"payload", "{\"x\":" + deep + "}"}, {"creator", kMentor}, {"owner", kMentor}});
  gatherings.push_back(Json{{"key", "0xarr"}, {"payload", "[1,2]"}, {"creator", kMentor}, {"owner", kMentor}});
  gatherings.push_back(Json{{"key", "0xbad"}, {"payload", "{not json"}, {"creator", kMentor}, {"owner", kMentor}});
  gatherings.push_back(Json{{"key", "0xbig"}, {"payload", Json{{"title", std::string(20000, 'a')}}.dump()}, {"creator", kMentor}, {"owner", kMentor}});
  gatherings.push_back(42);
  gatherings.push_back(signed_by(raw({{"type", "virtual_gathering"}, {"organizerWallet", kMentor}, {"title", "ok"},
                                      {"sessionDate", "2026-02-01T00:00:00Z"}, {"community", "c"}},
                                     Json::object(), "0xok"),
                                 kMentor));
  Json out = upcoming_gatherings(&gatherings, nullptr, "", parse_iso8601("2026-01-01T00:00:00Z", ""));
  REQUIRE(out["gatherings"].size() == 1);
  CHECK(out["gatherings"][0]["key"] == "0xok");
  CHECK(out["ignored"]["malformed"] == 5);
  CHECK(json_nesting_exceeds(deep, 32));
  CHECK_FALSE(json_nesting_exceeds(R"({"a":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["})", 2));
}

TEST_CASE("trust: RSVPs count only when signed by their attendee; organizer claims must be signed") {
  auto rsvp = [](const std::string& attendee, const std::string& signer) {
    return signed_by(raw({{"type", "session"}, {"mentorWallet", kMentor}, {"learnerWallet", attendee},
                          {"skill", "virtual_gathering_rsvp"}, {"gatheringKey", "0xg"}, {"status", "pending"},
                          {"sessionDate", "2026-02-01T00:00:00.000Z"}},
                         Json::object(), "0xr" + attendee.substr(2, 4) + signer.substr(2, 4)),
                     signer);
  };
  Json list = Json::array({rsvp(kLearner, kLearner), rsvp(kMentor, kMallory), rsvp(kLearner, kMallory)});
  Json summary = rsvp_summary(&list, Wallet::parse(kLearner, "viewer"));
  CHECK(summary["counts"]["0xg"] == 1);
  CHECK(summary["ignored"]["unverified"] == 2);
  CHECK(summary["viewerRsvps"].contains("0xg"));
  Json viewer_forged = Json::array({rsvp(kMentor, kMallory)});
  CHECK_FALSE(rsvp_summary(&viewer_forged, Wallet::parse(kMentor, "viewer"))["viewerRsvps"].contains("0xg"));

  Json claims_other = Json::array({signed_by(raw({{"type", "virtual_gathering"}, {"organizerWallet", kMentor}, {"title", "t"},
                                                  {"sessionDate", "2026-02-01T00:00:00Z"}, {"community", "c"}},
                                                 Json::object(), "0xg"),
                                             kMallory)});
  Json up = upcoming_gatherings(&claims_other, nullptr, "", parse_iso8601("2026-01-01T00:00:00Z", ""));
  CHECK(up["gatherings"].empty());
  CHECK(up["ignored"]["unverified"] == 1);
}

namespace {
const char* kWeekly = "DTSTART;TZID=Europe/Berlin:20260302T190000\nRRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=8";
Json series_entity(const std::string& signer = kMentor) {
  convene::testing::CountingRandom r;
  Json in = {{"organizerWallet", kMentor}, {"community", "Berlin Rust"}, {"title", "Rust night"}, {"recurrence", kWeekly}};
  return convene::testing::stored(catalogue::build_entity("event_series", in, ctx_at("2026-02-20T00:00:00Z", &r)), "0xseries", signer);
}
}  // namespace

TEST_CASE("trust: a series' exceptions and gatherings count only when its organizer signed them") {
  convene::testing::CountingRandom r;
  Json series = series_entity();
  auto ctx = ctx_at("2026-02-20T00:00:00Z", &r);
  auto exception = [&](const std::string& signer) {
    return convene::testing::stored(
        catalogue::build_entity("event_series_exception", {{"series", series}, {"recurrenceId", "2026-03-09T18:00:00Z"}, {"kind", "cancelled"}}, ctx),
        "0xx" + signer.substr(2, 2), signer);
  };
  Json in = {{"series", series}, {"exceptions", Json::array({exception(kMallory)})}};
  auto st = series::read_series_state(Input(in, ""));
  CHECK(st.written.exceptions.empty());
  CHECK(st.ignored.unverified == 1);
  in["exceptions"] = Json::array({exception(kMentor)});
  CHECK(series::read_series_state(Input(in, "")).written.exceptions.size() == 1);

  // Materialize, then a forged gathering for the same occurrence with a later createdAt and a phishing link.
  Json none = {{"series", series}};
  auto plan = series::plan_materialization(series::read_series_state(Input(none, "")), std::chrono::hours{24 * 28}, ctx);
  REQUIRE(!plan.create.empty());
  Json genuine = convene::testing::stored(plan.create[0], "0xg1", kMentor);
  Json forged_payload = Json::parse(plan.create[0].to_json()["payload"].get<std::string>());
  forged_payload["videoJoinUrl"] = "https://evil.example/phish";
  Json forged_attrs = plan.create[0].to_json()["attributes"];
  for (auto& a : forged_attrs) {
    if (a["key"] == "videoJoinUrl") a["value"] = "https://evil.example/phish";
    if (a["key"] == "createdAt") a["value"] = "2099-01-01T00:00:00.000Z";
    if (a["key"] == "organizerWallet") a["value"] = kMallory;
  }
  forged_payload["organizerWallet"] = kMallory;
  forged_payload["createdAt"] = "2099-01-01T00:00:00.000Z";
  Json forged = signed_by(Json{{"key", "0xg2"}, {"attributes", forged_attrs}, {"payload", forged_payload.dump()}}, kMallory);
  Json with = {{"series", series}, {"gatherings", Json::array({genuine, forged})}};
  auto st2 = series::read_series_state(Input(with, ""));
  auto occ = series::list_occurrences(st2, std::nullopt, std::nullopt, 1);
  REQUIRE(occ.size() == 1);
  CHECK(*occ[0].gathering_key == "0xg1");
  CHECK(occ[0].video_join_url->find("evil") == std::string::npos);
  CHECK(st2.ignored.unverified == 1);
  // An unverified series is the caller's argument: a typed error.
  Json bad = {{"series", series_entity(kMallory)}};
  expect_error([&] { series::read_series_state(Input(bad, "")); }, "UNVERIFIED_ENTITY", "series");
}

TEST_CASE("trust: newest exception by chain position, not createdAt") {
  convene::testing::CountingRandom r;
  Json series = series_entity();
  auto at = [&](const char* now) { return ctx_at(now, &r); };
  Json cancel = convene::testing::stored(
      catalogue::build_entity("event_series_exception", {{"series", series}, {"recurrenceId", "2026-03-09T18:00:00Z"}, {"kind", "cancelled"}},
                   at("2030-01-01T00:00:00Z")),  // skewed clock: a createdAt years ahead
      "0xc", kMentor, 700);
  Json reinstate = convene::testing::stored(
      catalogue::build_entity("event_series_exception", {{"series", series}, {"recurrenceId", "2026-03-09T18:00:00Z"}, {"kind", "reinstated"}},
                   at("2026-02-21T00:00:00Z")),
      "0xr", kMentor, 701);
  Json in = {{"series", series}, {"exceptions", Json::array({reinstate, cancel})}};
  auto occ = series::list_occurrences(series::read_series_state(Input(in, "")), parse_iso8601("2026-03-09T18:00:00Z", ""),
                                      parse_iso8601("2026-03-09T18:00:00Z", ""), 1);
  REQUIRE(occ.size() == 1);
  CHECK(occ[0].state == "planned");
}

TEST_CASE("trust: meeting events deduplicate per signer, so one signer's copy never hides another's record") {
  auto event = [](const std::string& signer, const char* name, std::uint64_t block) {
    Json rec = {{"eventId", "0190c6a0-0000-7000-8000-000000000001"}, {"type", "participant.joined"},
                {"timestamp", "2026-01-20T18:00:00.000Z"}, {"meetingId", "m1"}, {"payload", {{"displayName", name}}}};
    return signed_by(Json{{"key", "0xe" + std::to_string(block)},
                          {"attributes", Json::array({{{"key", "type"}, {"value", "meeting_event"}},
                                                      {{"key", "eventId"}, {"value", rec["eventId"]}},
                                                      {{"key", "meetingId"}, {"value", "m1"}}})},
                          {"payload", rec.dump()}},
                     signer, block);
  };
  // Mallory (an allowed attendee) copies Alice's eventId first; Alice's own record must still be there.
  Json list = Json::array({event(kMallory, "Mallory", 800), event(kMentor, "Alice", 801), event(kMentor, "Alice", 802)});
  Json out = events::meeting_events_from_entities(&list, {Wallet::parse(kMentor, "s"), Wallet::parse(kMallory, "s")});
  REQUIRE(out["events"].size() == 2);
  std::set<std::string> signers;
  for (const auto& e : out["events"]) signers.insert(e["signer"].get<std::string>());
  CHECK(signers == std::set<std::string>{kMentor, kMallory});
}

TEST_CASE("gatherings by time: happening until they end, then past; counts before the limit") {
  auto g = [](const char* key, const char* date, int minutes) {
    return signed_by(raw({{"type", "virtual_gathering"}, {"organizerWallet", kMentor}, {"title", key}, {"community", "c"},
                          {"sessionDate", date}, {"duration", minutes}},
                         Json::object(), key),
                     kMentor);
  };
  Json list = Json::array({g("0xpast1", "2026-01-01T08:00:00Z", 60), g("0xpast2", "2026-01-01T09:00:00Z", 60),
                           g("0xnow", "2026-01-01T09:50:00Z", 60), g("0xsoon", "2026-01-01T11:00:00Z", 60),
                           g("0xlater", "2026-01-02T11:00:00Z", 60)});
  const UtcTime now = parse_iso8601("2026-01-01T10:00:00Z", "");
  Json all = list_gatherings(&list, nullptr, "", std::nullopt, 50, now);
  std::vector<std::string> keys;
  for (const auto& x : all["gatherings"]) keys.push_back(x["key"].get<std::string>() + ":" + x["timeState"].get<std::string>());
  CHECK(keys == std::vector<std::string>{"0xnow:happening", "0xsoon:upcoming", "0xlater:upcoming", "0xpast2:past", "0xpast1:past"});
  CHECK(all["counts"] == Json{{"upcoming", 2}, {"happening", 1}, {"past", 2}});
  Json past = list_gatherings(&list, nullptr, "", TimeState::Past, 1, now);
  CHECK(past["gatherings"].size() == 1);
  CHECK(past["gatherings"][0]["key"] == "0xpast2");
  CHECK(past["more"] == true);
  // The last minute of a meeting is still "happening"; its end is "past".
  CHECK(time_state(parse_iso8601("2026-01-01T09:00:00Z", ""), parse_iso8601("2026-01-01T10:00:00Z", ""), now) == TimeState::Past);
  // upcoming() keeps its meaning: not started yet.
  CHECK(upcoming_gatherings(&list, nullptr, "", now)["gatherings"].size() == 2);
}
