// The materialized window through a series' life (issue 12): orphans and duplicates retired, moves
// followed past the horizon, cancellation that keeps the gathering, extensions, next by start time,
// one bad occurrence reported instead of failing the plan, transactions under Arkiv's cap.
#include <doctest/doctest.h>

#include <set>


#include "core/entities/arkiv_limits.h"
#include "core/catalogue.h"
#include "core/series/next_many.h"
#include "core/series/occurrences.h"
#include "core/series/plan.h"
#include "core/sessions/confirm.h"
#include "core/sessions/status.h"
#include "test_support.h"

using namespace convene;
using namespace convene::series;
using convene::testing::attrs_of;
using convene::testing::ctx_at;
using convene::testing::expect_error;

namespace {
const char* kOrganizer = "0x1111111111111111111111111111111111111111";
const char* kAttendee = "0x2222222222222222222222222222222222222222";
const char* kStranger = "0x3333333333333333333333333333333333333333";
// Mondays 19:00 in Berlin (18:00Z in winter, 17:00Z from 2026-03-29), no end.
const std::string kMondays = "DTSTART;TZID=Europe/Berlin:20260302T190000\nRRULE:FREQ=WEEKLY;BYDAY=MO";
const char* kMarch = "2026-03-01T00:00:00Z";

convene::testing::CountingRandom& rnd() {
  static convene::testing::CountingRandom r;
  return r;
}
entities::BuildContext at(const char* now) { return ctx_at(now, &rnd()); }

Json stored(const entities::EntityDraft& d, const std::string& key, const char* signer = kOrganizer) {
  return convene::testing::stored(d, key, signer);
}
Json series_entity(const std::string& key, const std::string& ical, Json extra = Json::object()) {
  Json in = {{"organizerWallet", kOrganizer}, {"community", "Berlin Rust"}, {"title", "Rust night"}, {"duration", 90}, {"recurrence", ical}};
  in.update(extra);
  return stored(catalogue::build_entity("event_series", in, at("2026-02-20T00:00:00Z")), key);
}
Json exception(const Json& series, const char* rid, const char* kind, const std::string& key, Json changes = nullptr) {
  Json in = {{"series", series}, {"recurrenceId", rid}, {"kind", kind}};
  if (!changes.is_null()) in["changes"] = changes;
  return stored(catalogue::build_entity("event_series_exception", in, at("2026-02-20T00:00:00Z")), key);
}
SeriesState state(const Json& series, Json exceptions = Json::array(), Json gatherings = Json::array()) {
  Json in = {{"series", series}, {"exceptions", exceptions}, {"gatherings", gatherings}};
  return read_series_state(Input(in, ""));
}
std::chrono::hours days(int n) { return std::chrono::hours{24 * n}; }
Json payload_of(const entities::EntityDraft& d) { return Json::parse(d.to_json()["payload"].get<std::string>()); }
Json attrs(const entities::EntityDraft& d) { return attrs_of(d.to_json()); }
/// The gatherings of a first materialization, stored as `prefix0`, `prefix1`, ...
Json materialize(const Json& series, const std::string& prefix, int horizon_days) {
  Json out = Json::array();
  auto plan = plan_materialization(state(series), days(horizon_days), at(kMarch));
  for (std::size_t i = 0; i < plan.create.size(); ++i) out.push_back(stored(plan.create[i], prefix + std::to_string(i)));
  return out;
}
}  // namespace

TEST_CASE("materialization retires gatherings the series no longer produces; duplicates follow their occurrence") {
  Json v1 = series_entity("0xorph", kMondays + ";COUNT=8");
  Json gs = materialize(v1, "0xog", 20);  // 03-02, 03-09, 03-16
  REQUIRE(gs.size() == 3);
  auto first = plan_materialization(state(v1), days(20), at(kMarch));
  Json dup = stored(first.create[2], "0xogdup");  // a concurrent run wrote 03-16 again
  Json in = {{"organizerWallet", kOrganizer}, {"community", "Berlin Rust"}, {"title", "Rust night"}, {"duration", 90},
             {"recurrence", kMondays + ";COUNT=8\nEXDATE;TZID=Europe/Berlin:20260309T190000"}};
  Json v2 = convene::testing::updated(catalogue::build_entity("event_series", in, at("2026-02-21T00:00:00Z")), v1);
  Json all = gs;
  all.push_back(dup);
  auto plan = plan_materialization(state(v2, Json::array(), all), days(20), at(kMarch));
  CHECK(plan.create.empty());
  CHECK(plan.update.empty());
  REQUIRE(plan.cancel.size() == 1);
  CHECK(plan.cancel[0].entity_key == "0xog1");
  CHECK(plan.cancel[0].reason == "orphaned");
  CHECK(attrs(plan.cancel[0].draft)["status"] == "cancelled");
  CHECK(attrs(plan.cancel[0].draft)["sessionDate"] == "2026-03-09T18:00:00.000Z");
  CHECK_FALSE(attrs(plan.cancel[0].draft).contains("videoJoinUrl"));
  CHECK_FALSE(payload_of(plan.cancel[0].draft).contains("videoRoomName"));
  // Once the retirement is written, nothing is left to do.
  Json retired = Json::array({gs[0], convene::testing::updated(plan.cancel[0].draft, gs[1]), gs[2], dup});
  auto again = plan_materialization(state(v2, Json::array(), retired), days(20), at(kMarch));
  CHECK(again.create.empty());
  CHECK(again.update.empty());
  CHECK(again.cancel.empty());
  // The occurrence's gathering is the one created last; updating the other does not change that.
  auto listed = list_occurrences(state(v2, Json::array(), retired), std::nullopt, std::nullopt, 2);  // 03-02, 03-16
  REQUIRE(listed[1].gathering_key.has_value());
  CHECK(*listed[1].gathering_key == "0xogdup");
  // Both gatherings of 03-16 follow it when it moves (their RSVPs read the new time).
  Json move = exception(v2, "2026-03-16T18:00:00Z", "modified", "0xogx", {{"sessionDate", "2026-03-17T18:00:00Z"}});
  auto moved = plan_materialization(state(v2, Json::array({move}), retired), days(20), at(kMarch));
  std::map<std::string, std::string> dates;
  for (const auto& u : moved.update) dates[u.entity_key] = *u.draft.find("sessionDate");
  CHECK(dates == std::map<std::string, std::string>{{"0xog2", "2026-03-17T18:00:00.000Z"}, {"0xogdup", "2026-03-17T18:00:00.000Z"}});
  Json later = convene::testing::updated(moved.update[0].draft, moved.update[0].entity_key == "0xog2" ? gs[2] : dup);
  Json still = Json::array({gs[0], retired[1], gs[2], dup, later});
  CHECK(list_occurrences(state(v2, Json::array({move}), still), std::nullopt, std::nullopt, 2)[1].gathering_key == std::optional<std::string>("0xogdup"));
}

TEST_CASE("materialization: an occurrence moved beyond the horizon is updated, one moved into it is created") {
  Json s = series_entity("0xmove", kMondays + ";COUNT=8");
  Json gs = materialize(s, "0xmg", 10);  // 03-02, 03-09
  REQUIRE(gs.size() == 2);
  Json away = exception(s, "2026-03-09T18:00:00Z", "modified", "0xmx", {{"sessionDate", "2026-05-01T17:00:00Z"}});
  auto p = plan_materialization(state(s, Json::array({away}), gs), days(10), at(kMarch));
  REQUIRE(p.update.size() == 1);
  CHECK(p.update[0].entity_key == "0xmg1");
  CHECK(p.update[0].draft.find("sessionDate") == "2026-05-01T17:00:00.000Z");
  CHECK(p.update[0].draft.find("videoRoomName") == attrs_of(gs[1])["videoRoomName"]);
  Json closer = exception(s, "2026-04-20T17:00:00Z", "modified", "0xmy", {{"sessionDate", "2026-03-05T18:00:00Z"}});
  auto q = plan_materialization(state(s, Json::array({away, closer}), gs), days(10), at(kMarch));
  REQUIRE(q.create.size() == 1);
  CHECK(q.create[0].find("recurrenceId") == "2026-04-20T17:00:00.000Z");
  CHECK(q.create[0].find("sessionDate") == "2026-03-05T18:00:00.000Z");
}

TEST_CASE("cancelling keeps the gathering marked cancelled without a join link; reinstating restores it under the same key") {
  Json s = series_entity("0xcancel", kMondays + ";COUNT=8");
  Json gs = materialize(s, "0xcg", 5);  // 03-02
  REQUIRE(gs.size() == 1);
  Json cancel = exception(s, "2026-03-02T18:00:00Z", "cancelled", "0xcx1");
  auto p = plan_materialization(state(s, Json::array({cancel}), gs), days(5), at(kMarch));
  CHECK(p.create.empty());
  CHECK(p.update.empty());
  REQUIRE(p.cancel.size() == 1);
  CHECK(p.cancel[0].entity_key == "0xcg0");
  CHECK(p.cancel[0].reason == "cancelled");
  Json a = attrs(p.cancel[0].draft);
  CHECK(a["status"] == "cancelled");
  CHECK(a["sessionDate"] == "2026-03-02T18:00:00.000Z");
  CHECK(a["title"] == "Rust night");
  CHECK_FALSE(a.contains("videoJoinUrl"));
  CHECK_FALSE(a.contains("videoRoomName"));
  CHECK(payload_of(p.cancel[0].draft)["status"] == "cancelled");
  Json cancelled = convene::testing::updated(p.cancel[0].draft, gs[0]);
  auto idle = plan_materialization(state(s, Json::array({cancel}), Json::array({cancelled})), days(5), at(kMarch));
  CHECK(idle.cancel.empty());
  CHECK(idle.update.empty());
  CHECK(idle.create.empty());
  auto listed = list_occurrences(state(s, Json::array({cancel}), Json::array({cancelled})), std::nullopt, std::nullopt, 1);
  CHECK(listed[0].state == "cancelled");
  CHECK(*listed[0].gathering_key == "0xcg0");
  CHECK_FALSE(listed[0].video_join_url.has_value());

  Json reinstate = exception(s, "2026-03-02T18:00:00Z", "reinstated", "0xcx2");
  auto r = plan_materialization(state(s, Json::array({cancel, reinstate}), Json::array({cancelled})), days(5), at(kMarch));
  CHECK(r.create.empty());
  CHECK(r.cancel.empty());
  REQUIRE(r.update.size() == 1);
  CHECK(r.update[0].entity_key == "0xcg0");
  CHECK_FALSE(r.update[0].draft.find("status") == std::optional<std::string>("cancelled"));
  CHECK(r.update[0].draft.find("videoJoinUrl").value_or("").find("https://meet.jit.si/gathering-") == 0);
}

TEST_CASE("an RSVP's status follows its gathering as read: cancelled, moved; only its own gathering, signed by its organizer") {
  Json s = series_entity("0xrsvp", kMondays + ";COUNT=8");
  Json g = materialize(s, "0xrg", 5)[0];  // 03-02 18:00Z, 90 min
  Json rsvp = stored(catalogue::build_entity("gathering_rsvp", {{"gathering", g}, {"attendeeWallet", kAttendee}}, at(kMarch)), "0xr", kAttendee);
  Json conf_in = {{"session", rsvp}, {"by", kAttendee}};
  auto plan = sessions::plan_confirmation(Input(conf_in, ""), at(kMarch));
  REQUIRE(plan.confirmation.has_value());
  Json conf = stored(*plan.confirmation, "0xrc", kAttendee);
  auto status = [&](const Json& gathering, const char* now) {
    Json in = {{"session", rsvp}, {"confirmations", Json::array({conf})}, {"gathering", gathering}};
    return sessions::compute_status(sessions::read_session_evidence(Input(in, "")), parse_iso8601(now, ""));
  };
  CHECK(status(g, kMarch).state == sessions::State::Scheduled);

  Json cancel = exception(s, "2026-03-02T18:00:00Z", "cancelled", "0xrx1");
  auto p = plan_materialization(state(s, Json::array({cancel}), Json::array({g})), days(5), at(kMarch));
  REQUIRE(p.cancel.size() == 1);
  Json cancelled = convene::testing::updated(p.cancel[0].draft, g);
  auto st = status(cancelled, kMarch);
  CHECK(st.state == sessions::State::Cancelled);
  CHECK(st.reason == std::optional<std::string>("gathering-cancelled"));

  Json move = exception(s, "2026-03-02T18:00:00Z", "modified", "0xrx2", {{"sessionDate", "2026-03-03T18:00:00Z"}});
  auto m = plan_materialization(state(s, Json::array({move}), Json::array({g})), days(5), at(kMarch));
  REQUIRE(m.update.size() == 1);
  Json moved = convene::testing::updated(m.update[0].draft, g);
  auto during_old_slot = status(moved, "2026-03-02T18:30:00Z");
  CHECK(during_old_slot.state == sessions::State::Scheduled);  // not in progress: the meeting moved
  CHECK(format_iso8601(during_old_slot.starts_at) == "2026-03-03T18:00:00.000Z");
  CHECK(format_iso8601(during_old_slot.ends_at) == "2026-03-03T19:30:00.000Z");
  CHECK(status(moved, "2026-03-03T18:30:00Z").state == sessions::State::InProgress);

  expect_error([&] { status(stored(m.update[0].draft, "0xother"), kMarch); }, "INVALID_INPUT", "gathering");
  expect_error([&] { status(stored(m.update[0].draft, "0xrg0", kStranger), kMarch); }, "UNVERIFIED_ENTITY", "gathering");
}

TEST_CASE("materialization plans the extension a series needs, from its expiry as read") {
  Json s = series_entity("0xext", kMondays);  // unbounded: written for one year
  std::int64_t block = s["createdAtBlock"].get<std::int64_t>();
  s["expiresAtBlock"] = block + 1000;  // 2,000 s left
  auto p = plan_materialization(state(s), days(10), at(kMarch), block);
  REQUIRE(p.extend.size() == 1);
  CHECK(p.extend[0].entity_key == "0xext");
  CHECK(p.extend[0].expires_in == 31'536'000 - 2'000);
  bool in_tx = false;
  for (const auto& t : p.transactions) in_tx = in_tx || t.extend == std::vector<std::size_t>{0};
  CHECK(in_tx);
  // Extended: a year left, nothing more for now; still nothing a month later.
  s["expiresAtBlock"] = block + 31'536'000 / 2;
  CHECK(plan_materialization(state(s), days(10), at(kMarch), block).extend.empty());
  CHECK(plan_materialization(state(s), days(10), at("2026-03-25T00:00:00Z"), block + 24 * 1800 * 24).extend.empty());
  // Without the current block the plan says what it could not check.
  auto blind = plan_materialization(state(s), days(10), at(kMarch));
  CHECK(blind.extend.empty());
  bool named = false;
  for (const auto& x : blind.problems) named = named || (x.code == "MISSING_FIELD" && x.field == "currentBlock");
  CHECK(named);
  // A bounded series is written to outlive its last occurrence by a year: nothing to plan.
  Json bounded = series_entity("0xbounded", kMondays + ";COUNT=8");
  auto b = plan_materialization(state(bounded), days(10), at(kMarch));
  CHECK(b.extend.empty());
  CHECK(b.problems.empty());
}

TEST_CASE("next: by start time, seeing occurrences moved from far back or far ahead") {
  Json s = series_entity("0xnext", kMondays);
  Json later = exception(s, "2026-03-09T18:00:00Z", "modified", "0xn1", {{"sessionDate", "2026-03-20T18:00:00Z"}});
  auto n1 = next_occurrence(state(s, Json::array({later})), parse_iso8601("2026-03-08T00:00:00Z", ""));
  REQUIRE(n1.has_value());
  CHECK(format_iso8601(n1->starts_at) == "2026-03-16T18:00:00.000Z");
  Json from_back = exception(s, "2026-03-02T18:00:00Z", "modified", "0xn2", {{"sessionDate", "2026-04-01T09:00:00Z"}});
  auto n2 = next_occurrence(state(s, Json::array({from_back})), parse_iso8601("2026-03-31T00:00:00Z", ""));
  REQUIRE(n2.has_value());
  CHECK(format_iso8601(n2->starts_at) == "2026-04-01T09:00:00.000Z");
  Json from_ahead = exception(s, "2027-01-04T18:00:00Z", "modified", "0xn3", {{"sessionDate", "2026-03-31T20:00:00Z"}});
  auto n3 = next_occurrence(state(s, Json::array({from_back, from_ahead})), parse_iso8601("2026-03-31T00:00:00Z", ""));
  REQUIRE(n3.has_value());
  CHECK(format_iso8601(n3->starts_at) == "2026-03-31T20:00:00.000Z");
  CHECK(format_iso8601(n3->recurrence_id) == "2027-01-04T18:00:00.000Z");
  // Cancelled ones are passed over, however many come first.
  auto coming = list_occurrences(state(s), parse_iso8601("2026-03-29T00:00:00Z", ""), std::nullopt, 601);
  Json cancels = Json::array();
  for (std::size_t i = 0; i < 600; ++i)
    cancels.push_back(exception(s, format_iso8601(coming[i].recurrence_id).c_str(), "cancelled", "0xc" + std::to_string(i)));
  auto n4 = next_occurrence(state(s, cancels), parse_iso8601("2026-03-29T00:00:00Z", ""));
  REQUIRE(n4.has_value());
  CHECK(n4->recurrence_id == coming[600].recurrence_id);
}

TEST_CASE("a stored exception that is not valid is skipped and counted; an occurrence that cannot be planned is reported") {
  Json s = series_entity("0xbad", kMondays + ";COUNT=8");
  Json good = exception(s, "2026-03-09T18:00:00Z", "modified", "0xbx", {{"title", "Special"}});
  Json payload = Json::parse(good["payload"].get<std::string>());
  payload["changes"]["title"] = "";
  Json bad = good;
  bad["payload"] = payload.dump();
  auto st = state(s, Json::array({bad}));
  CHECK(st.ignored.malformed == 1);
  auto p = plan_materialization(st, days(20), at(kMarch));
  CHECK(p.create.size() == 3);
  CHECK(p.problems.empty());

  // A stored series whose title no gathering can carry: each occurrence reported, the plan returned.
  Json broken = series_entity("0xbroken", kMondays + ";COUNT=8");
  Json bp = Json::parse(broken["payload"].get<std::string>());
  bp["title"] = "Rust \"night\"";
  broken["payload"] = bp.dump();
  for (auto& a : broken["attributes"])
    if (a["key"] == "title") a["value"] = "Rust \"night\"";
  auto q = plan_materialization(state(broken), days(20), at(kMarch));
  CHECK(q.create.empty());
  REQUIRE(q.problems.size() == 3);
  CHECK(q.problems[0].recurrence_id == "2026-03-02T18:00:00.000Z");
  CHECK(q.problems[0].code == "INVALID_ATTRIBUTE_VALUE");
  CHECK(q.problems[2].recurrence_id == "2026-03-16T18:00:00.000Z");
}

TEST_CASE("plans are cut into transactions under Arkiv's 128 KB and 1000 operations") {
  Json s = series_entity("0xbig", "DTSTART:20260302T090000Z\nRRULE:FREQ=DAILY;BYHOUR=9,21",
                         {{"duration", 60}, {"description", std::string(12000, 'x')}});
  auto p = plan_materialization(state(s), days(28), at(kMarch));
  REQUIRE(p.create.size() > 40);
  REQUIRE(p.transactions.size() > 1);
  std::vector<int> seen(p.create.size(), 0);
  for (const auto& t : p.transactions) {
    std::size_t bytes = entities::kTransactionOverheadBytes;
    for (std::size_t i : t.create) {
      ++seen[i];
      Json d = p.create[i].to_json();
      bytes += d["payload"].get<std::string>().size();
      for (const auto& a : d["attributes"]) bytes += a["key"].get<std::string>().size() + a["value"].dump().size();
    }
    CHECK(bytes < entities::kMaxTransactionBytes);
    CHECK(t.create.size() + t.update.size() + t.cancel.size() + t.extend.size() <= 1000);
  }
  CHECK(std::all_of(seen.begin(), seen.end(), [](int n) { return n == 1; }));
  // A small plan is one transaction.
  auto small = plan_materialization(state(series_entity("0xsmall", kMondays)), days(20), at(kMarch));
  REQUIRE(small.transactions.size() == 1);
  CHECK(small.transactions[0].create == std::vector<std::size_t>{0, 1, 2});
}

TEST_CASE("nextMany: every series of a page in one call, exceptions and gatherings mixed, same answer as next") {
  const Json a = series_entity("0xpa", kMondays);
  const Json b = series_entity("0xpb", "DTSTART;TZID=America/New_York:20260305T180000\nRRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=6");
  const Json moved = exception(a, "2026-03-09T18:00:00Z", "modified", "0xpx1", {{"sessionDate", "2026-03-20T18:00:00Z"}});
  const Json cancelled = exception(b, "2026-03-12T22:00:00Z", "cancelled", "0xpx2");
  const Json stray = exception(series_entity("0xpc", kMondays), "2026-03-09T18:00:00Z", "cancelled", "0xpx3");
  const Json gb = materialize(b, "0xpgb", 30);
  const Json ga = materialize(a, "0xpga", 30);
  Json gatherings = gb;
  for (const auto& g : ga) gatherings.push_back(g);
  // A series signed by someone else than its organizer is no evidence.
  Json forged = series_entity("0xpf", kMondays);
  forged["creator"] = forged["owner"] = "0x9999999999999999999999999999999999999999";
  // And an entry that is not an entity at all.
  const Json list = Json::array({b, forged, "not an entity", a});
  const UtcTime now = parse_iso8601("2026-03-08T00:00:00Z", "");
  Json in = {{"series", list}, {"exceptions", Json::array({stray, moved, cancelled})}, {"gatherings", gatherings}};
  Json out = next_occurrences(Input(in, ""), now);

  REQUIRE(out["items"].size() == 2);
  CHECK(out["items"][0]["seriesKey"] == "0xpb");
  CHECK(out["items"][1]["seriesKey"] == "0xpa");
  CHECK(out["unmatched"] == 1);  // the exception of a series not on the page
  CHECK(out["ignored"]["unverified"] == 1);
  CHECK(out["ignored"]["malformed"] == 1);
  auto expect = [&](const Json& s, Json exceptions, Json gs) {
    auto n = next_occurrence(state(s, std::move(exceptions), std::move(gs)), now);
    return n ? n->to_json(*state(s).series) : Json();
  };
  CHECK(out["items"][0]["next"] == expect(b, Json::array({cancelled}), gb));
  CHECK(out["items"][1]["next"] == expect(a, Json::array({moved}), ga));
  CHECK(out["items"][1]["next"]["startsAt"] == "2026-03-16T18:00:00.000Z");  // the 9th moved to the 20th
  // Not arrays: typed errors naming the argument.
  Json bad = {{"series", Json::array({a})}, {"gatherings", "x"}};
  convene::testing::expect_error([&] { next_occurrences(Input(bad, ""), now); }, "INVALID_TYPE", "gatherings");
}

TEST_CASE("materialization with the RSVPs read: a duplicate nobody RSVP'd to is retired and stays retired; one with RSVPs follows") {
  Json s = series_entity("0xdupr", kMondays + ";COUNT=8");
  Json gs = materialize(s, "0xdg", 20);  // 03-02, 03-09, 03-16: the occurrences' own (created first here)
  REQUIRE(gs.size() == 3);
  // A concurrent run wrote 03-09 and 03-16 again, later on the chain: those become the occurrences' own,
  // the first run's two are the duplicates.
  auto second = plan_materialization(state(s), days(20), at(kMarch));
  Json d1 = stored(second.create[1], "0xdg1b");
  Json d2 = stored(second.create[2], "0xdg2b");
  Json all = gs;
  all.push_back(d1);
  all.push_back(d2);
  // Someone RSVP'd to the first run's 03-16 (a duplicate now); nobody to its 03-09.
  Json gathering = catalogue::parse_entity(gs[2]);
  const char* kAttendee = "0x4444444444444444444444444444444444444444";
  Json rsvp = convene::testing::stored(catalogue::build_entity("gathering_rsvp", {{"gathering", gathering}, {"attendeeWallet", kAttendee}}, at(kMarch)), "0xr1", kAttendee);
  auto with_rsvps = [&](Json gatherings, Json exceptions = Json::array()) {
    Json in = {{"series", s}, {"exceptions", exceptions}, {"gatherings", gatherings}, {"rsvps", Json::array({rsvp})}};
    return read_series_state(Input(in, ""));
  };
  auto plan = plan_materialization(with_rsvps(all), days(20), at(kMarch));
  CHECK(plan.create.empty());
  CHECK(plan.update.empty());
  REQUIRE(plan.cancel.size() == 1);
  CHECK(plan.cancel[0].entity_key == "0xdg1");
  CHECK(plan.cancel[0].reason == "duplicate");
  // Written: nothing more to do, and the retired duplicate is not restored.
  Json retired = Json::array({gs[0], convene::testing::updated(plan.cancel[0].draft, gs[1]), gs[2], d1, d2});
  auto again = plan_materialization(with_rsvps(retired), days(20), at(kMarch));
  CHECK(again.create.empty());
  CHECK(again.update.empty());
  CHECK(again.cancel.empty());
  // The RSVP'd duplicate follows its occurrence when it moves; the retired one does not come back.
  Json move = exception(s, "2026-03-16T18:00:00Z", "modified", "0xdgx", {{"sessionDate", "2026-03-17T18:00:00Z"}});
  auto moved = plan_materialization(with_rsvps(retired, Json::array({move})), days(20), at(kMarch));
  std::set<std::string> keys;
  for (const auto& u : moved.update) keys.insert(u.entity_key);
  CHECK(keys == std::set<std::string>{"0xdg2", "0xdg2b"});
  // Without the RSVPs read, every duplicate follows (the rule before RSVPs were known).
  auto blind = plan_materialization(state(s, Json::array(), all), days(20), at(kMarch));
  CHECK(blind.cancel.empty());
}
