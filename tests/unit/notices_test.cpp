// Notices for followers and attendees (core/series/notices.h, docs/notices.md): a series lives
// through a move, a cancellation, a template change and new materializations between two reads;
// each wallet hears of what concerns it, muted follows and forged entities give nothing.
#include <doctest/doctest.h>

#include "core/catalogue.h"
#include "core/series/notices.h"
#include "core/series/occurrences.h"
#include "core/series/plan.h"
#include "test_support.h"

using namespace convene;
using namespace convene::series;
using convene::testing::ctx_at;
using convene::testing::expect_error;
using convene::testing::updated;

namespace {
const char* kOrganizer = "0x1111111111111111111111111111111111111111";
const char* kFollower = "0x4444444444444444444444444444444444444444";
const char* kMuted = "0x5555555555555555555555555555555555555555";
const char* kAttendee = "0x2222222222222222222222222222222222222222";
const char* kStranger = "0x3333333333333333333333333333333333333333";
// Mondays 19:00 in Berlin (18:00Z until 2026-03-29), eight of them.
const std::string kMondays = "DTSTART;TZID=Europe/Berlin:20260302T190000\nRRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=8";
const char* kNow = "2026-03-01T12:00:00Z";
constexpr std::uint64_t kCurrentBlock = 1'000'000;

convene::testing::CountingRandom& rnd() {
  static convene::testing::CountingRandom r;
  return r;
}
entities::BuildContext at(const char* now = kNow) { return ctx_at(now, &rnd()); }
Json stored(const entities::EntityDraft& d, const std::string& key, const char* signer = kOrganizer) {
  return convene::testing::stored(d, key, signer);
}
SeriesState state(const Json& series, Json exceptions = Json::array(), Json gatherings = Json::array()) {
  Json in = {{"series", series}, {"exceptions", exceptions}, {"gatherings", gatherings}};
  return read_series_state(Input(in, ""));
}
Json exception(const Json& series, const char* rid, const char* kind, const std::string& key, Json changes = nullptr,
               const char* signer = kOrganizer) {
  Json in = {{"series", series}, {"recurrenceId", rid}, {"kind", kind}};
  if (!changes.is_null()) in["changes"] = changes;
  return stored(catalogue::build_entity("event_series_exception", in, at("2026-02-20T00:00:00Z")), key, signer);
}
Json follow(const Json& series, const char* wallet, bool notifications, const std::string& key, const char* signer = nullptr) {
  Json in = {{"series", series}, {"followerWallet", wallet}, {"notifications", notifications}};
  return stored(catalogue::build_entity("event_series_follow", in, at()), key, signer ? signer : wallet);
}
Json rsvp(const Json& gathering, const char* wallet, const std::string& key, const char* signer = nullptr) {
  Json in = {{"gathering", catalogue::parse_entity(gathering)}, {"attendeeWallet", wallet}};
  return stored(catalogue::build_entity("gathering_rsvp", in, at()), key, signer ? signer : wallet);
}
Json read(Json series, Json exceptions, Json gatherings) {
  return Json{{"series", std::move(series)}, {"exceptions", std::move(exceptions)}, {"gatherings", std::move(gatherings)}};
}
Json notices_of(const char* wallet, const Json& follows, const Json& rsvps, const Json& before, const Json& after,
                std::uint64_t current = kCurrentBlock, const char* now = kNow) {
  Json in = {{"wallet", wallet}, {"follows", follows}, {"rsvps", rsvps}, {"before", before}, {"after", after}, {"currentBlock", current}};
  return notices_json(compute_notices(Input(in, ""), parse_iso8601(now, "")));
}
std::vector<std::string> kinds(const Json& out) {
  std::vector<std::string> k;
  for (const auto& n : out["notices"]) k.push_back(n["kind"].get<std::string>());
  std::sort(k.begin(), k.end());
  return k;
}
const Json* find_kind(const Json& out, const char* kind) {
  for (const auto& n : out["notices"])
    if (n["kind"] == kind) return &n;
  return nullptr;
}

/// The organizer's series through one week of edits, with every entity as the chain holds it.
struct World {
  Json series, g0, g1;        // before: the series, the gatherings of 03-02 and 03-09
  Json move, cancel;          // exceptions: 03-09 moved to 03-10, 03-02 cancelled
  Json series2, g0c, g1m, g2;  // after: template changed from 03-16, 03-02 retired, 03-09 moved, 03-16 created
  Json follows, rsvps;
  Json before, after;
};

World world() {
  World w;
  Json in = {{"organizerWallet", kOrganizer}, {"community", "Berlin Rust"}, {"title", "Rust night"}, {"duration", 90}, {"recurrence", kMondays}};
  w.series = stored(catalogue::build_entity("event_series", in, at("2026-02-20T00:00:00Z")), "0xs");
  auto first = plan_materialization(state(w.series), std::chrono::hours{24 * 10}, at());
  REQUIRE(first.create.size() == 2);
  w.g0 = stored(first.create[0], "0xg0");
  w.g1 = stored(first.create[1], "0xg1");
  w.follows = Json::array({follow(w.series, kFollower, true, "0xf1"), follow(w.series, kMuted, false, "0xf2")});
  w.rsvps = Json::array({rsvp(w.g0, kAttendee, "0xr0"), rsvp(w.g1, kAttendee, "0xr1")});
  w.before = read(Json::array({w.series}), Json::array(), Json::array({w.g0, w.g1}));

  // The organizer moves 03-09 to 03-10, cancels 03-02, materializes.
  w.move = exception(w.series, "2026-03-09T18:00:00Z", "modified", "0xx1", {{"sessionDate", "2026-03-10T18:00:00Z"}});
  w.cancel = exception(w.series, "2026-03-02T18:00:00Z", "cancelled", "0xx2");
  const Json xs = Json::array({w.move, w.cancel});
  auto p = plan_materialization(state(w.series, xs, Json::array({w.g0, w.g1})), std::chrono::hours{24 * 10}, at());
  REQUIRE(p.cancel.size() == 1);
  REQUIRE(p.update.size() == 1);
  w.g0c = updated(p.cancel[0].draft, w.g0);
  w.g1m = updated(p.update[0].draft, w.g1);
  // The template changes from 03-16 on; the window grows by one week.
  Json changes = {{"title", "Rust evening"}};
  auto prop = plan_propagation(state(w.series, xs, Json::array({w.g0c, w.g1m})), parse_iso8601("2026-03-16T00:00:00Z", ""),
                               Input(changes, "changes"), at());
  w.series2 = updated(prop.series, w.series);
  auto more = plan_materialization(state(w.series2, xs, Json::array({w.g0c, w.g1m})), std::chrono::hours{24 * 17}, at());
  REQUIRE(more.create.size() == 1);
  w.g2 = stored(more.create[0], "0xg2");
  w.after = read(Json::array({w.series2}), xs, Json::array({w.g0c, w.g1m, w.g2}));
  return w;
}
}  // namespace

TEST_CASE("notices: the attendee hears of their occurrences' move and cancellation, the follower of the series") {
  World w = world();
  Json mine = notices_of(kAttendee, Json::array(), w.rsvps, w.before, w.after);
  CHECK(kinds(mine) == std::vector<std::string>{"occurrenceCancelled", "occurrenceMoved"});
  const Json* moved = find_kind(mine, "occurrenceMoved");
  REQUIRE(moved);
  CHECK((*moved)["from"] == "2026-03-09T18:00:00.000Z");
  CHECK((*moved)["to"] == "2026-03-10T18:00:00.000Z");
  CHECK((*moved)["gatheringKey"] == "0xg1");
  CHECK((*moved)["seriesKey"] == "0xs");
  CHECK((*moved)["recurrenceId"] == "2026-03-09T18:00:00.000Z");
  CHECK((*moved)["block"] == w.move["lastModifiedAtBlock"]);
  // `at` is the block's time: now - (current - block) * 2 s.
  const auto behind = static_cast<std::int64_t>(kCurrentBlock - w.move["lastModifiedAtBlock"].get<std::uint64_t>());
  CHECK((*moved)["at"] == format_iso8601(parse_iso8601(kNow, "") - std::chrono::seconds{2 * behind}));
  const Json* cancelled = find_kind(mine, "occurrenceCancelled");
  REQUIRE(cancelled);
  CHECK((*cancelled)["from"] == "2026-03-02T18:00:00.000Z");
  CHECK((*cancelled)["gatheringKey"] == "0xg0");
  CHECK((*cancelled)["id"].get<std::string>().size() == 32);
  CHECK((*cancelled)["id"] != (*moved)["id"]);

  Json theirs = notices_of(kFollower, w.follows, Json::array(), w.before, w.after);
  CHECK(kinds(theirs) == std::vector<std::string>{"occurrenceScheduled", "templateChanged"});
  const Json* tmpl = find_kind(theirs, "templateChanged");
  REQUIRE(tmpl);
  CHECK((*tmpl)["changes"] == Json{{"title", "Rust evening"}});
  CHECK((*tmpl)["effectiveFrom"] == "2026-03-16T18:00:00.000Z");  // the first occurrence it applies to
  CHECK((*tmpl)["title"] == "Rust evening");
  const Json* scheduled = find_kind(theirs, "occurrenceScheduled");
  REQUIRE(scheduled);
  CHECK((*scheduled)["gatheringKey"] == "0xg2");
  CHECK((*scheduled)["to"] == "2026-03-16T18:00:00.000Z");
  CHECK((*scheduled)["title"] == "Rust evening");
  // Newest first.
  CHECK(theirs["notices"][0]["at"] >= theirs["notices"][1]["at"]);

  // A muted follow gives nothing; neither does a wallet that follows and attends nothing.
  CHECK(notices_of(kMuted, w.follows, Json::array(), w.before, w.after)["notices"].empty());
  CHECK(notices_of(kStranger, w.follows, w.rsvps, w.before, w.after)["notices"].empty());
  // Nothing changed: nothing to say.
  CHECK(notices_of(kAttendee, w.follows, w.rsvps, w.after, w.after)["notices"].empty());
}

TEST_CASE("notices: ids are stable across later reads and earlier points; news older than the RSVP or follow is none") {
  World w = world();
  Json first = notices_of(kAttendee, Json::array(), w.rsvps, w.before, w.after);
  // Read again later (the chain moved on): same ids.
  Json later = notices_of(kAttendee, Json::array(), w.rsvps, w.before, w.after, kCurrentBlock + 500, "2026-03-01T12:16:40Z");
  REQUIRE(later["notices"].size() == first["notices"].size());
  std::set<std::string> a, b;
  for (const auto& n : first["notices"]) a.insert(n["id"].get<std::string>());
  for (const auto& n : later["notices"]) b.insert(n["id"].get<std::string>());
  CHECK(a == b);
  // From a point after the exceptions were written but before materialization ran: the same move,
  // the same id (the exception carries it, not the gathering's update).
  Json mid = read(Json::array({w.series}), Json::array({w.move, w.cancel}), Json::array({w.g0, w.g1}));
  Json from_mid = notices_of(kAttendee, Json::array(), w.rsvps, w.before, mid);
  REQUIRE(find_kind(from_mid, "occurrenceMoved"));
  CHECK((*find_kind(from_mid, "occurrenceMoved"))["id"] == (*find_kind(first, "occurrenceMoved"))["id"]);
  // Once the exceptions are read, materialization changes nothing the attendee hears.
  CHECK(notices_of(kAttendee, Json::array(), w.rsvps, mid, w.after)["notices"].empty());

  // The earlier read predates the gathering (the attendee RSVP'd after it): the RSVP's own copy of
  // the time stands for what they knew, so the move and the cancellation are still news.
  Json empty_before = read(Json::array(), Json::array(), Json::array());
  CHECK(kinds(notices_of(kAttendee, Json::array(), w.rsvps, empty_before, w.after)) ==
        std::vector<std::string>{"occurrenceCancelled", "occurrenceMoved"});
  CHECK((*find_kind(notices_of(kAttendee, Json::array(), w.rsvps, empty_before, w.after), "occurrenceMoved"))["from"] ==
        "2026-03-09T18:00:00.000Z");

  // An RSVP written after the move already knew of it.
  Json late_rsvp = Json::array({rsvp(w.g1m, kAttendee, "0xr9")});
  CHECK(notices_of(kAttendee, Json::array(), late_rsvp, w.before, w.after)["notices"].empty());
  // In one block, the order of transactions decides (docs/trust.md#versions): an RSVP written in the
  // move's block by an earlier transaction hears of it, one by a later transaction does not.
  Json same_block = rsvp(w.g1, kAttendee, "0xr8");
  same_block["createdAtBlock"] = same_block["lastModifiedAtBlock"] = w.move["lastModifiedAtBlock"];
  same_block["transactionIndexInBlock"] = 1;
  Json move_later = w.move;
  move_later["transactionIndexInBlock"] = 2;
  Json after_later = w.after;
  after_later["exceptions"] = Json::array({move_later, w.cancel});
  CHECK(kinds(notices_of(kAttendee, Json::array(), Json::array({same_block}), w.before, after_later)) == std::vector<std::string>{"occurrenceMoved"});
  CHECK(notices_of(kAttendee, Json::array(), Json::array({same_block}), w.before, w.after)["notices"].empty());

  // A follow written after the changes likewise.
  Json late_follow = Json::array({follow(w.series, kFollower, true, "0xf9")});
  CHECK(notices_of(kFollower, late_follow, Json::array(), w.before, w.after)["notices"].empty());
}

TEST_CASE("notices: forged entities (wrong signer) give no notice and are counted") {
  World w = world();
  // A stranger's exception cancelling 03-09, a stranger's "update" of the series, a stranger's
  // gathering claiming the series, an RSVP and a follow in the attendee's name signed by the stranger.
  Json forged_cancel = exception(w.series2, "2026-03-09T18:00:00Z", "cancelled", "0xbad1", nullptr, kStranger);
  Json forged_series = w.series2;
  forged_series["creator"] = forged_series["owner"] = kStranger;
  forged_series["lastModifiedAtBlock"] = kCurrentBlock - 1;
  Json forged_gathering = w.g2;
  forged_gathering["key"] = "0xbadg";
  forged_gathering["creator"] = forged_gathering["owner"] = kStranger;
  Json after = w.after;
  after["exceptions"].push_back(forged_cancel);
  after["series"].push_back(forged_series);
  after["gatherings"].push_back(forged_gathering);
  Json honest = notices_of(kAttendee, Json::array(), w.rsvps, w.before, w.after);
  Json out = notices_of(kAttendee, Json::array(), w.rsvps, w.before, after);
  CHECK(out["notices"] == honest["notices"]);
  CHECK(out["ignored"]["unverified"] == 3);

  // A follow and an RSVP in the attendee's name signed by someone else: no notices, counted.
  Json forged_follow = Json::array({follow(w.series, kAttendee, true, "0xbadf", kStranger)});
  Json forged_rsvp = Json::array({rsvp(w.g1, kAttendee, "0xbadr", kStranger)});
  Json none = notices_of(kAttendee, forged_follow, forged_rsvp, w.before, w.after);
  CHECK(none["notices"].empty());
  CHECK(none["ignored"]["unverified"] == 2);

  // The organizer's gathering of 03-09 replaced by a stranger's version under the same key: the
  // stranger's version is no evidence, so the move still reads from the organizer's.
  Json swapped = w.after;
  Json fake_move = w.g1m;
  fake_move["creator"] = fake_move["owner"] = kStranger;
  swapped["gatherings"] = Json::array({w.g0c, fake_move, w.g2});
  Json partial = notices_of(kAttendee, Json::array(), w.rsvps, w.before, swapped);
  CHECK(kinds(partial) == std::vector<std::string>{"occurrenceCancelled"});
}

TEST_CASE("notices: reinstatement, join link, rule change, split and a series that is gone") {
  World w = world();
  // Reinstating 03-02: a reinstated exception, then materialization restores g0 with a new room.
  Json reinstate = exception(w.series2, "2026-03-02T18:00:00Z", "reinstated", "0xx3");
  Json xs = Json::array({w.move, w.cancel, reinstate});
  auto p = plan_materialization(state(w.series2, xs, Json::array({w.g0c, w.g1m, w.g2})), std::chrono::hours{24 * 17}, at());
  REQUIRE(p.update.size() == 1);
  Json g0r = updated(p.update[0].draft, w.g0c);
  Json after = read(Json::array({w.series2}), xs, Json::array({g0r, w.g1m, w.g2}));
  Json out = notices_of(kAttendee, Json::array(), w.rsvps, w.after, after);
  CHECK(kinds(out) == std::vector<std::string>{"occurrenceReinstated"});
  CHECK(out["notices"][0]["to"] == "2026-03-02T18:00:00.000Z");

  // The join link of a live occurrence changed (a standalone gathering given a new room).
  Json gi = {{"organizerWallet", kOrganizer}, {"title", "Meetup"}, {"community", "Rust"}, {"sessionDate", "2026-03-05T18:00:00Z"}, {"videoRoomName", "gathering-aaaa"}};
  Json g = stored(catalogue::build_entity("virtual_gathering", gi, at()), "0xsg");
  Json r = Json::array({rsvp(g, kAttendee, "0xsr")});
  gi["videoRoomName"] = "gathering-bbbb";
  Json g2 = updated(catalogue::build_entity("virtual_gathering", gi, at()), g);
  Json link = notices_of(kAttendee, Json::array(), r, read(Json::array(), Json::array(), Json::array({g})),
                         read(Json::array(), Json::array(), Json::array({g2})));
  CHECK(kinds(link) == std::vector<std::string>{"joinLinkChanged"});
  CHECK(link["notices"][0]["fromUrl"] == "https://meet.jit.si/gathering-aaaa");
  CHECK(link["notices"][0]["toUrl"] == "https://meet.jit.si/gathering-bbbb");
  CHECK_FALSE(link["notices"][0].contains("seriesKey"));

  // A rule change (an EXDATE) and a series split with its handoff.
  Json rule_in = {{"organizerWallet", kOrganizer}, {"community", "Berlin Rust"}, {"title", "Rust night"}, {"duration", 90},
                  {"recurrence", kMondays + "\nEXDATE;TZID=Europe/Berlin:20260420T190000"}};
  Json ruled = updated(catalogue::build_entity("event_series", rule_in, at()), w.series);
  Json ruled_after = read(Json::array({ruled}), Json::array(), Json::array({w.g0, w.g1}));
  CHECK(kinds(notices_of(kFollower, w.follows, Json::array(), w.before, ruled_after)) == std::vector<std::string>{"ruleChanged"});

  const SeriesState st = state(w.series2, Json::array({w.move, w.cancel}), Json::array({w.g0c, w.g1m, w.g2}));
  auto split = plan_split(st, parse_iso8601("2026-03-16T00:00:00Z", ""), Input(Json::object(), "changes"), at());
  Json old_series = updated(split.old_series, w.series2);
  Json new_series = stored(split.new_series, "0xs2");
  auto handoff = plan_handoff(state(old_series, Json::array({w.move, w.cancel}), Json::array({w.g0c, w.g1m, w.g2})),
                              series::verify_series(entities::decode_entity(new_series, "n"), "n"), at());
  Json handed = Json::array({w.g0c, w.g1m});
  for (const auto& u : handoff.update)
    if (u.entity_key == "0xg2") handed.push_back(updated(u.draft, w.g2));
  REQUIRE(handed.size() == 3);
  Json split_after = read(Json::array({old_series}), Json::array({w.move, w.cancel}), handed);
  Json s = notices_of(kFollower, w.follows, Json::array(), w.after, split_after);
  CHECK(kinds(s) == std::vector<std::string>{"seriesSplit"});
  CHECK(s["notices"][0]["newSeriesKey"] == "0xs2");

  // The series is no longer there to read: it ended.
  Json gone = notices_of(kFollower, w.follows, Json::array(), w.after, read(Json::array(), Json::array(), Json::array()));
  CHECK(kinds(gone) == std::vector<std::string>{"seriesEnded"});
}

TEST_CASE("notices: bad arguments are errors naming the field") {
  World w = world();
  auto call = [&](Json in) { compute_notices(Input(in, ""), parse_iso8601(kNow, "")); };
  Json ok = {{"wallet", kAttendee}, {"before", w.before}, {"after", w.after}, {"currentBlock", kCurrentBlock}};
  CHECK_NOTHROW(call(ok));
  Json x = ok;
  x["wallet"] = "nope";
  expect_error([&] { call(x); }, "INVALID_WALLET", "wallet");
  x = ok;
  x.erase("before");
  expect_error([&] { call(x); }, "MISSING_FIELD", "before");
  x = ok;
  x["after"] = "later";
  expect_error([&] { call(x); }, "INVALID_TYPE", "after");
  x = ok;
  x["after"]["gatherings"] = 3;
  expect_error([&] { call(x); }, "INVALID_TYPE", "after.gatherings");
  x = ok;
  x["follows"] = Json::object();
  expect_error([&] { call(x); }, "INVALID_TYPE", "follows");
  x = ok;
  x.erase("currentBlock");
  expect_error([&] { call(x); }, "MISSING_FIELD", "currentBlock");
  // A malformed entity in a list is skipped and counted, never an error.
  x = ok;
  x["rsvps"] = Json::array({Json{{"key", "0xr"}, {"attributes", "nope"}}, 7});
  CHECK(notices_json(compute_notices(Input(x, ""), parse_iso8601(kNow, "")))["ignored"]["malformed"] == 2);
}

TEST_CASE("notices: an RSVP to a date that had no gathering yet hears of its move and cancellation, not of its materialization") {
  Json in = {{"organizerWallet", kOrganizer}, {"community", "Berlin Rust"}, {"title", "Rust night"}, {"duration", 90}, {"recurrence", kMondays}};
  const Json series = stored(catalogue::build_entity("event_series", in, at("2026-02-20T00:00:00Z")), "0xs");
  auto occurrence_rsvp = [&](const char* rid, const std::string& key, const char* signer = kAttendee) {
    Json r = {{"series", series}, {"recurrenceId", rid}, {"attendeeWallet", kAttendee}};
    return stored(catalogue::build_entity("gathering_rsvp", r, at()), key, signer);
  };
  const Json r23 = occurrence_rsvp("2026-03-23T18:00:00Z", "0xr23");
  const Json r30 = occurrence_rsvp("2026-03-30T17:00:00Z", "0xr30");
  REQUIRE(!r23["attributes"].dump().empty());
  const Json before = read(Json::array({series}), Json::array(), Json::array());
  // The organizer moves 03-23 to 03-24 and cancels 03-30, neither materialized.
  const Json move = exception(series, "2026-03-23T18:00:00Z", "modified", "0xx23", {{"sessionDate", "2026-03-24T18:00:00Z"}});
  const Json cancel = exception(series, "2026-03-30T17:00:00Z", "cancelled", "0xx30");
  const Json xs = Json::array({move, cancel});
  const Json after = read(Json::array({series}), xs, Json::array());
  Json mine = notices_of(kAttendee, Json::array(), Json::array({r23, r30}), before, after);
  CHECK(kinds(mine) == std::vector<std::string>{"occurrenceCancelled", "occurrenceMoved"});
  const Json* moved = find_kind(mine, "occurrenceMoved");
  REQUIRE(moved);
  CHECK((*moved)["from"] == "2026-03-23T18:00:00.000Z");
  CHECK((*moved)["to"] == "2026-03-24T18:00:00.000Z");
  CHECK((*moved)["seriesKey"] == "0xs");
  CHECK(!moved->contains("gatheringKey"));
  const Json* cancelled = find_kind(mine, "occurrenceCancelled");
  REQUIRE(cancelled);
  CHECK((*cancelled)["from"] == "2026-03-30T17:00:00.000Z");

  // Later the moved date is materialized: its gathering is no news (no move, no "join link changed").
  auto p = plan_materialization(state(series, xs), std::chrono::hours{24 * 30}, at());
  Json gs = Json::array();
  for (std::size_t i = 0; i < p.create.size(); ++i) gs.push_back(stored(p.create[i], "0xm" + std::to_string(i)));
  const Json later = read(Json::array({series}), xs, gs);
  CHECK(notices_of(kAttendee, Json::array(), Json::array({r23, r30}), after, later)["notices"].empty());
  // Then it moves again, now as a gathering: the attendee hears it, with the gathering named.
  const Json move2 = updated(catalogue::build_entity("event_series_exception",
                                                    Json{{"series", series}, {"recurrenceId", "2026-03-23T18:00:00Z"}, {"kind", "modified"},
                                                         {"changes", {{"sessionDate", "2026-03-25T18:00:00Z"}}}},
                                                    at()),
                             move);
  const Json later2 = read(Json::array({series}), Json::array({move2, cancel}), gs);
  Json again = notices_of(kAttendee, Json::array(), Json::array({r23, r30}), later, later2);
  REQUIRE(kinds(again) == std::vector<std::string>{"occurrenceMoved"});
  CHECK(again["notices"][0]["to"] == "2026-03-25T18:00:00.000Z");
  CHECK(again["notices"][0].contains("gatheringKey"));
  // A forged occurrence RSVP (signed by someone else) gives nothing.
  CHECK(notices_of(kAttendee, Json::array(), Json::array({occurrence_rsvp("2026-03-23T18:00:00Z", "0xforged", kStranger)}), before, after)["notices"].empty());
}
