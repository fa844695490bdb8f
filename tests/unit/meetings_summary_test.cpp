// The meeting fold (core/meetings/summary.h, docs/meetings.md): every rule has a case here, and
// the result is checked not to depend on the order or repetition of the records.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/meetings/folds.h"
#include "core/meetings/summary.h"
#include "events_test_support.h"
#include "generated_cases.h"
#include "test_support.h"

using namespace convene;
using namespace convene::meetings;
using events::testing::at;

using convene::testing::error_code_of;

namespace {

/// Records as normalize() writes them, with readable eventIds.
struct Log {
  Json records = Json::array();
  int n = 0;
  Json& add(std::string type, std::int64_t ms, std::optional<std::string> participant, Json payload = Json::object(),
            std::string meeting = "m1") {
    char id[16];
    std::snprintf(id, sizeof id, "e%05d", n++);
    Json r = {{"eventId", id}, {"type", std::move(type)}, {"timestamp", format_iso8601(at(ms))},
              {"meetingId", std::move(meeting)}, {"payload", std::move(payload)}};
    if (participant) r["participantId"] = *participant;
    records.push_back(std::move(r));
    return records.back();
  }
};

std::string iso(std::int64_t ms) { return format_iso8601(at(ms)); }

const Json& person(const Json& meeting, const std::string& id) {
  for (const auto& p : meeting["participants"])
    if (p["id"] == id) return p;
  FAIL("no participant " << id);
  static Json none;
  return none;
}

Json intervals(std::initializer_list<std::pair<std::int64_t, std::int64_t>> ivs) {
  Json out = Json::array();
  for (auto [from, to] : ivs) out.push_back({{"joinedAt", iso(from)}, {"leftAt", to < 0 ? Json(nullptr) : Json(iso(to))}});
  return out;
}

}  // namespace

TEST_CASE("meetings: two clients of one meeting give one meeting, one participant per person, start and end") {
  Log log;
  // Ada's client (local participant "ada") and Bob's client ("bob") both record.
  log.add("conference.joined", 0, "ada", {{"displayName", "Ada"}, {"roomName", "r"}});
  log.add("conference.joined", 1000, "bob", {{"displayName", "Bob"}, {"roomName", "r"}});
  log.add("participant.joined", 1000, "ada", {{"displayName", "Ada"}});   // Bob's client lists Ada on joining
  log.add("participant.joined", 1020, "bob", {{"displayName", "Bob"}});   // Ada's client sees Bob join
  log.add("conference.left", 61000, "bob", {{"roomName", "r"}});          // Bob's own client
  log.add("participant.left", 61050, "bob");                              // Ada's client sees it too
  log.add("conference.left", 62000, "ada", {{"roomName", "r"}});
  const Json out = summarize_json(log.records);
  REQUIRE(out["meetings"].size() == 1);
  const Json& m = out["meetings"][0];
  CHECK(m["meetingId"] == "m1");
  CHECK(m["startedAt"] == iso(0));
  CHECK(m["endedAt"] == iso(62000));
  CHECK(m["asOf"] == iso(62000));
  REQUIRE(m["participants"].size() == 2);
  CHECK(m["participants"][0]["id"] == "ada");  // by first join
  CHECK(person(m, "ada")["intervals"] == intervals({{0, 62000}}));
  CHECK(person(m, "bob")["intervals"] == intervals({{1000, 61000}}));
  CHECK(person(m, "ada")["presenceSeconds"] == 62.0);
  CHECK(person(m, "bob")["presenceSeconds"] == 60.0);
  CHECK(person(m, "bob")["displayName"] == "Bob");
  CHECK(person(m, "bob")["role"] == nullptr);
  CHECK(out["ignored"] == Json{{"malformed", 0}, {"conflicting", 0}, {"total", 0}});
}

TEST_CASE("meetings: a rejoin is a new interval; a leave and a join at one instant continue one stay") {
  Log log;
  log.add("participant.joined", 0, "ada");
  log.add("participant.left", 10000, "ada");
  log.add("participant.joined", 20000, "ada");
  log.add("participant.left", 30000, "ada");
  log.add("participant.left", 30500, "ada");  // another client's report of the same leave
  log.add("participant.joined", 30500, "bob");
  log.add("participant.left", 40000, "bob");
  log.add("participant.joined", 40000, "bob");  // reconnected within the same millisecond
  log.add("participant.left", 50000, "bob");
  log.add("participant.left", 55000, "carol");  // a leave without a join: no interval
  const Json m = summarize_json(log.records)["meetings"][0];
  CHECK(person(m, "ada")["intervals"] == intervals({{0, 10000}, {20000, 30000}}));
  CHECK(person(m, "ada")["presenceSeconds"] == 20.0);
  CHECK(person(m, "bob")["intervals"] == intervals({{30500, 50000}}));
  CHECK(person(m, "carol")["intervals"] == Json::array());
  CHECK(m["participants"].back()["id"] == "carol");  // never seen joining: listed last
  CHECK(m["endedAt"] == iso(50000));
}

TEST_CASE("meetings: live while someone is present; open intervals count up to asOf") {
  Log log;
  log.add("participant.joined", 0, "ada");
  log.add("participant.joined", 1000, "bob");
  log.add("audio.mute.changed", 2000, "ada", {{"muted", true}});
  log.add("ui.tile.view.changed", 4000, std::nullopt, {{"enabled", true}});  // nobody's, but the log reaches 4 s
  const Json m = summarize_json(log.records)["meetings"][0];
  CHECK(m["startedAt"] == iso(0));
  CHECK(m["endedAt"] == nullptr);
  CHECK(m["asOf"] == iso(4000));
  CHECK(person(m, "ada")["intervals"] == intervals({{0, -1}}));
  CHECK(person(m, "ada")["presenceSeconds"] == 4.0);
  CHECK(person(m, "ada")["mutedSeconds"] == 2.0);
  CHECK(person(m, "ada")["lastSeenAt"] == iso(2000));
  CHECK(person(m, "bob")["presenceSeconds"] == 3.0);
}

TEST_CASE("meetings: a client that vanished without a leave ends at its last sign of life, not never") {
  Log log;
  log.add("conference.joined", 0, "ada");
  log.add("participant.joined", 1000, "bob");
  log.add("audio.mute.changed", 30000, "ada", {{"muted", true}});  // Ada's last record: then her tab crashed
  log.add("conference.left", 90000, "bob");                        // Bob left without having seen her go
  Json m = summarize_json(log.records)["meetings"][0];
  CHECK(person(m, "ada")["intervals"] == intervals({{0, 30000}}));
  CHECK(person(m, "ada")["presenceSeconds"] == 30.0);
  CHECK(person(m, "ada")["mutedSeconds"] == 0.0);  // muted at the very end of her stay
  CHECK(m["endedAt"] == iso(90000));

  // Someone still there at her last sign of life would have seen her leave: she is present (silent).
  log.add("participant.joined", 500, "carol");
  m = summarize_json(log.records)["meetings"][0];
  CHECK(person(m, "ada")["intervals"] == intervals({{0, -1}}));
  CHECK(m["endedAt"] == nullptr);
  // Carol leaves too: everyone who was there with Ada has gone, so has she.
  log.add("participant.left", 95000, "carol");
  m = summarize_json(log.records)["meetings"][0];
  CHECK(person(m, "ada")["intervals"] == intervals({{0, 30000}}));
  CHECK(m["endedAt"] == iso(95000));

  // Alone, nothing tells silent from vanished: the stay is open.
  Log alone;
  alone.add("conference.joined", 0, "ada");
  alone.add("audio.mute.changed", 5000, "ada", {{"muted", false}});
  m = summarize_json(alone.records)["meetings"][0];
  CHECK(person(m, "ada")["intervals"] == intervals({{0, -1}}));
  CHECK(m["endedAt"] == nullptr);
}

TEST_CASE("meetings: display name (latest wins), role, speaking, screen share and muted time") {
  Log log;
  log.add("participant.joined", 0, "ada", {{"displayName", "Ada"}});
  log.add("participant.joined", 0, "bob", {{"displayName", "Bob"}});
  log.add("participant.role.changed", 100, "ada", {{"role", "moderator"}});
  // Dominant speaker changes, each reported by two clients 10 ms apart.
  for (auto [ms, who] : {std::pair{1000, "ada"}, {4000, "bob"}, {6000, "ada"}}) {
    log.add("dominant.speaker.changed", ms, who);
    log.add("dominant.speaker.changed", ms + 10, who);
  }
  log.add("screen.share.started", 2000, "ada", {{"on", true}});
  log.add("screen.share.stopped", 3000, "ada", {{"on", false}});
  log.add("participant.display.name.changed", 5000, "ada", {{"displayName", "Ada L."}});
  log.add("content.sharing.participants.changed", 7000, "ada", {{"participantIds", {"bob"}}});
  log.add("content.sharing.participants.changed", 9000, "ada", {{"participantIds", Json::array()}});
  log.add("audio.mute.changed", 8000, "ada", {{"muted", true}});
  log.add("audio.mute.changed", 9000, "ada", {{"muted", false}});
  log.add("participant.muted", 2000, "bob", {{"isMuted", true}, {"mediaType", "audio"}});
  log.add("participant.muted", 2500, "ada", {{"isMuted", true}, {"mediaType", "video"}});  // camera: not muted time
  log.add("participant.left", 10000, "ada");
  log.add("participant.left", 10000, "bob");
  const Json m = summarize_json(log.records)["meetings"][0];
  const Json& ada = person(m, "ada");
  const Json& bob = person(m, "bob");
  CHECK(ada["displayName"] == "Ada L.");
  CHECK(ada["role"] == "moderator");
  CHECK(bob["role"] == nullptr);
  CHECK(ada["speakingSeconds"] == 7.0);  // 1-4 s and 6-10 s
  CHECK(bob["speakingSeconds"] == 2.0);  // 4-6 s
  CHECK(ada["screenShareSeconds"] == 1.0);
  CHECK(bob["screenShareSeconds"] == 2.0);
  CHECK(ada["mutedSeconds"] == 1.0);
  CHECK(bob["mutedSeconds"] == 8.0);  // muted until he left
  CHECK(m["endedAt"] == iso(10000));
}

TEST_CASE("meetings: states are counted inside stays only and start off at each join") {
  Log log;
  log.add("participant.joined", 0, "ada");
  log.add("audio.mute.changed", 1000, "ada", {{"muted", true}});
  log.add("dominant.speaker.changed", 1500, "ada");
  log.add("participant.left", 2000, "ada");
  log.add("participant.joined", 5000, "ada");  // rejoins unmuted, not speaking (no new event says otherwise)
  log.add("participant.left", 6000, "ada");
  log.add("participant.joined", 6000, "bob");
  log.add("dominant.speaker.changed", 6500, "bob");
  log.add("dominant.speaker.changed", 7000, "ada");  // ada is gone: her speaking time stays, bob's ends
  log.add("participant.left", 8000, "bob");
  const Json m = summarize_json(log.records)["meetings"][0];
  CHECK(person(m, "ada")["mutedSeconds"] == 1.0);
  CHECK(person(m, "ada")["speakingSeconds"] == 0.5);
  CHECK(person(m, "bob")["speakingSeconds"] == 0.5);
  CHECK(m["endedAt"] == iso(8000));
}

TEST_CASE("meetings: after the end, and a meeting that fills again") {
  Log log;
  log.add("participant.joined", 0, "ada");
  log.add("participant.left", 1000, "ada");
  log.add("ui.toolbar.button.clicked", 3000, "ada", {{"key", "hangup"}});  // after the end: a sign of life only
  Json m = summarize_json(log.records)["meetings"][0];
  CHECK(m["endedAt"] == iso(1000));
  CHECK(m["asOf"] == iso(3000));
  CHECK(person(m, "ada")["presenceSeconds"] == 1.0);
  log.add("participant.joined", 5000, "bob");
  m = summarize_json(log.records)["meetings"][0];
  CHECK(m["startedAt"] == iso(0));
  CHECK(m["endedAt"] == nullptr);
  log.add("participant.left", 6000, "bob");
  m = summarize_json(log.records)["meetings"][0];
  CHECK(m["endedAt"] == iso(6000));
}

TEST_CASE("meetings: several meetings, in meetingId order; records without joins") {
  Log log;
  log.add("participant.joined", 0, "ada", Json::object(), "room-b");
  log.add("participant.joined", 0, "ada", Json::object(), "room-a");
  log.add("audio.mute.changed", 0, "zed", {{"muted", true}}, "room-c");
  const Json out = summarize_json(log.records);
  REQUIRE(out["meetings"].size() == 3);
  CHECK(out["meetings"][0]["meetingId"] == "room-a");
  CHECK(out["meetings"][1]["meetingId"] == "room-b");
  const Json& c = out["meetings"][2];
  CHECK(c["startedAt"] == nullptr);
  CHECK(c["endedAt"] == nullptr);
  CHECK(person(c, "zed")["intervals"] == Json::array());
  CHECK(person(c, "zed")["mutedSeconds"] == 0.0);
}

TEST_CASE("meetings: bad records are skipped and counted; only a non-array argument throws") {
  Log log;
  log.add("participant.joined", 0, "ada");
  Json good = log.records[0];
  Json bad = Json::array({
      1, "text", nullptr, Json::array(), Json::object(),
      Json{{"eventId", "x1"}, {"type", "participant.joined"}, {"meetingId", "m1"}},                  // no timestamp
      Json{{"eventId", "x2"}, {"type", "participant.joined"}, {"meetingId", "m1"}, {"timestamp", "soon"}},
      Json{{"eventId", "x3"}, {"type", "participant.joined"}, {"meetingId", ""}, {"timestamp", iso(0)}},
      Json{{"eventId", 7}, {"type", "participant.joined"}, {"meetingId", "m1"}, {"timestamp", iso(0)}},
      Json{{"eventId", "x4"}, {"type", "participant.joined"}, {"meetingId", "m1"}, {"timestamp", iso(0)}, {"payload", "p"}},
      Json{{"eventId", "x5"}, {"type", "participant.joined"}, {"meetingId", "m1"}, {"timestamp", iso(0)}, {"participantId", 5}},
      Json{{"eventId", "x6"}, {"type", "participant.joined"}, {"meetingId", std::string(300, 'm')}, {"timestamp", iso(0)}},
      Json{{"eventId", "x7"}, {"type", "participant.joined"}, {"meetingId", "m1"}, {"timestamp", 1767225600000LL}},
  });
  Json deep = Json::object();
  Json* cur = &deep;
  for (int i = 0; i < 40; ++i) cur = &((*cur)["d"] = Json::object());
  bad.push_back({{"eventId", "x8"}, {"type", "log"}, {"meetingId", "m1"}, {"timestamp", iso(0)}, {"payload", deep}});
  Json input = bad;
  input.push_back(good);
  // The same eventId with different content: one is kept (the smaller), the other counted.
  Json other = good;
  other["timestamp"] = iso(5000);
  input.push_back(other);
  input.push_back(good);  // a repeat: not counted
  const Json out = summarize_json(input);
  CHECK(out["ignored"]["malformed"] == bad.size());
  CHECK(out["ignored"]["conflicting"] == 1);
  CHECK(out["ignored"]["total"] == bad.size() + 1);
  REQUIRE(out["meetings"].size() == 1);
  CHECK(person(out["meetings"][0], "ada")["intervals"] == intervals({{0, -1}}));  // the earlier instant sorts first
  try {
    summarize_json(Json{{"records", Json::array()}});
    FAIL("accepted an object");
  } catch (const Error& e) {
    CHECK(e.code() == "INVALID_TYPE");
    CHECK(e.field() == "records");
  }
  CHECK(summarize_json(Json::array()) == Json{{"meetings", Json::array()}, {"ignored", {{"malformed", 0}, {"conflicting", 0}, {"total", 0}}}});
}

namespace {

/// A random log: several meetings, participants joining, leaving, rejoining and vanishing, every
/// kind of event the fold reads (and some it does not), each reported by one to three clients a
/// few milliseconds apart, on a coarse clock so that many records share an instant.
Json random_log(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto below = [&](std::uint64_t n) { return static_cast<std::int64_t>(rng() % n); };
  Log log;
  const char* types[] = {"participant.joined", "participant.left", "conference.joined", "conference.left",
                         "participant.kicked", "dominant.speaker.changed", "screen.share.started",
                         "screen.share.stopped", "audio.mute.changed", "participant.muted",
                         "participant.role.changed", "participant.display.name.changed",
                         "content.sharing.participants.changed", "ui.tile.view.changed", "x.app.note"};
  const std::vector<std::string> people = {"ada", "bob", "carol", "dan", "eve"};
  const int meetings = 1 + static_cast<int>(below(3));
  for (int mi = 0; mi < meetings; ++mi) {
    const std::string meeting = "meeting-" + std::to_string(mi);
    const int n = 5 + static_cast<int>(below(60));
    for (int i = 0; i < n; ++i) {
      const std::string type = types[below(std::size(types))];
      const std::int64_t ms = below(40) * 250;
      std::optional<std::string> who;
      if (below(10) != 0) who = people[below(people.size())];
      Json payload = Json::object();
      if (type == "audio.mute.changed") payload["muted"] = below(2) == 0;
      if (type == "participant.muted") {
        payload["isMuted"] = below(2) == 0;
        payload["mediaType"] = below(3) == 0 ? "video" : "audio";
      }
      if (type == "participant.role.changed") payload["role"] = below(2) == 0 ? "moderator" : "participant";
      if (type == "participant.display.name.changed" || type == "participant.joined")
        payload["displayName"] = "name-" + std::to_string(below(4));
      if (type == "content.sharing.participants.changed") {
        payload["participantIds"] = Json::array();
        for (const auto& p : people)
          if (below(4) == 0) payload["participantIds"].push_back(p);
      }
      const int clients = 1 + static_cast<int>(below(3));
      for (int c = 0; c < clients; ++c) log.add(type, ms + below(3) * 5, who, payload, meeting);
    }
    // Most meetings end: everyone leaves but some, who vanish without a trace.
    if (below(4) != 0)
      for (const auto& p : people)
        if (below(4) != 0) log.add(below(2) ? "participant.left" : "conference.left", 10000 + below(8) * 250, p, Json::object(), meeting);
  }
  // A few records claim an eventId already used, with other content.
  const std::size_t size = log.records.size();
  for (int i = 0; i < 3; ++i) {
    Json copy = log.records[below(size)];
    copy["timestamp"] = iso(below(40) * 250);
    log.records.push_back(copy);
  }
  return log.records;
}

}  // namespace

TEST_CASE("meetings: the same summary whatever the order and repetition of the records (300 seeds)") {
  std::size_t records = 0, meetings = 0, participants = 0, vanished_or_open = 0;
  const int seeds = property::generated_cases(300);
  for (std::uint64_t seed = 1; seed <= static_cast<std::uint64_t>(seeds); ++seed) {
    const Json log = random_log(seed);
    const Json expected = summarize_json(log);
    records += log.size();
    meetings += expected["meetings"].size();
    for (const auto& m : expected["meetings"]) {
      participants += m["participants"].size();
      vanished_or_open += m["endedAt"].is_null();
    }
    std::mt19937_64 rng(seed * 7919);
    std::vector<Json> items(log.begin(), log.end());
    for (int round = 0; round < 3; ++round) {
      std::shuffle(items.begin(), items.end(), rng);
      const Json shuffled(items);
      const Json got = summarize_json(shuffled);
      REQUIRE_MESSAGE(got == expected, "seed " << seed << " round " << round);
      // Repeated records: some once more, some many times.
      std::vector<Json> repeated = items;
      for (std::size_t i = 0; i < items.size(); ++i)
        for (std::uint64_t k = rng() % 4; k > 0; --k) repeated.push_back(items[rng() % items.size()]);
      std::shuffle(repeated.begin(), repeated.end(), rng);
      const Json again = summarize_json(Json(repeated));
      REQUIRE_MESSAGE(again["meetings"] == expected["meetings"], "seed " << seed << " round " << round << " (repeated)");
    }
  }
  MESSAGE(records, " records, ", meetings, " meetings, ", participants, " participants, ", vanished_or_open,
          " meetings still open");
  CHECK(meetings > static_cast<std::size_t>(seeds));
}

namespace {


/// The meetings of a summarize_json() result by meetingId.
std::map<std::string, Json> by_id(const Json& meetings) {
  std::map<std::string, Json> out;
  for (const Json& m : meetings) out[m["meetingId"].get<std::string>()] = m;
  return out;
}

}  // namespace

TEST_CASE("MeetingFolds: after every batch, each held meeting equals summarize() of everything added, whatever the order, repetition and batching (300 seeds)") {
  const int seeds = property::generated_cases(300);
  std::size_t batches = 0;
  for (std::uint64_t seed = 1; seed <= static_cast<std::uint64_t>(seeds); ++seed) {
    const Json log = random_log(seed);
    const auto expected = by_id(summarize_json(log)["meetings"]);
    std::mt19937_64 rng(seed * 104729);
    for (int round = 0; round < 2; ++round) {
      // Deliveries: every record, a third of them again, shuffled, in batches of 1 to 30.
      std::vector<Json> deliveries(log.begin(), log.end());
      for (std::size_t i = 0; i < log.size(); ++i)
        if (rng() % 3 == 0) deliveries.push_back(log[rng() % log.size()]);
      std::shuffle(deliveries.begin(), deliveries.end(), rng);
      MeetingFolds folds;
      Json so_far = Json::array();
      std::map<std::string, Json> current;
      for (std::size_t k = 0; k < deliveries.size();) {
        const std::size_t n = std::min<std::size_t>(1 + rng() % 30, deliveries.size() - k);
        Json batch = Json::array();
        for (std::size_t i = k; i < k + n; ++i) {
          batch.push_back(deliveries[i]);
          so_far.push_back(deliveries[i]);
        }
        k += n;
        ++batches;
        const Json change = folds.add_json(batch);
        const auto want = by_id(summarize_json(so_far)["meetings"]);
        for (const Json& m : change["meetings"]) current[m["meetingId"].get<std::string>()] = m;
        for (const Json& id : change["removed"]) current.erase(id.get<std::string>());
        REQUIRE_MESSAGE(current == want, "seed " << seed << " round " << round << " after " << k << " records");
        std::size_t held = 0;
        for (const auto& [id, m] : want) {
          CHECK(to_json(folds.summary(id)) == m);
          held += folds.count(id);
        }
        CHECK(held == folds.size());
      }
      CHECK(current == expected);
      // Forgetting a meeting and adding its records again (a rebuild from the log) gives the same summary.
      if (!expected.empty()) {
        const std::string id = expected.begin()->first;
        folds.forget(id);
        CHECK(folds.count(id) == 0);
        Json again = Json::array();
        for (const Json& r : log)
          if (r["meetingId"] == id) again.push_back(r);
        const Json change = folds.add_json(again);
        REQUIRE(change["meetings"].size() == 1);
        CHECK(change["meetings"][0] == expected.at(id));
      }
    }
  }
  MESSAGE(batches, " batches");
}

TEST_CASE("MeetingFolds: only touched meetings are folded again; repeats change nothing; an eventId conflict across meetings") {
  Log log;
  log.add("participant.joined", 0, "ada", {{"displayName", "Ada"}}, "m1");
  log.add("participant.joined", 1000, "bob", Json::object(), "m2");
  MeetingFolds folds;
  Json first = folds.add_json(log.records);
  CHECK(first["meetings"].size() == 2);
  CHECK(first["ignored"]["total"] == 0);
  // The same records again: nothing changed.
  Json again = folds.add_json(log.records);
  CHECK(again["meetings"].empty());
  CHECK(again["removed"].empty());
  // A record of m2 only.
  Json more = Json::array({log.add("participant.left", 5000, "bob", Json::object(), "m2")});
  Json change = folds.add_json(more);
  REQUIRE(change["meetings"].size() == 1);
  CHECK(change["meetings"][0]["meetingId"] == "m2");
  CHECK(change["meetings"][0]["endedAt"] == iso(5000));
  // e00000 (m1's only record) claimed by an earlier record of m3: the smaller content wins, m1 is left empty.
  Json rival = log.records[0];
  rival["meetingId"] = "m3";
  rival["timestamp"] = iso(-1000);
  change = folds.add_json(Json::array({rival}));
  CHECK(change["meetings"].size() == 1);
  CHECK(change["meetings"][0]["meetingId"] == "m3");
  CHECK(change["removed"] == Json::array({"m1"}));
  CHECK(change["ignored"]["conflicting"] == 1);
  CHECK(folds.count("m1") == 0);
  CHECK(error_code_of([&] { folds.summary("m1"); }) == "INVALID_INPUT");
  Json all = log.records;
  all.push_back(rival);
  CHECK(by_id(summarize_json(all)["meetings"]).count("m1") == 0);
  // The original again loses: nothing changes.
  change = folds.add_json(Json::array({log.records[0]}));
  CHECK(change["meetings"].empty());
  CHECK(change["ignored"]["conflicting"] == 1);
  // Not records: skipped and counted; not an array: INVALID_TYPE.
  change = folds.add_json(Json::array({1, "x", Json::object()}));
  CHECK(change["ignored"]["malformed"] == 3);
  CHECK(error_code_of([&] { folds.add_json(Json::object()); }) == "INVALID_TYPE");
  CHECK(folds.size() == 3);
}

TEST_CASE("check_json: each record's instant, or the error summarize() would skip it for") {
  Log log;
  log.add("participant.joined", 1500, "ada");
  Json records = log.records;
  records.push_back(Json{{"eventId", "x"}, {"type", "t"}, {"meetingId", "m"}, {"timestamp", "yesterday"}});
  records.push_back(42);
  records.push_back(Json{{"eventId", std::string(300, 'e')}, {"type", "t"}, {"meetingId", "m"}, {"timestamp", iso(0)}});
  const Json out = check_json(records);
  REQUIRE(out.size() == 4);
  CHECK(out[0] == Json{{"at", iso(1500)}});
  CHECK(out[1]["error"]["code"] == "INVALID_DATE");
  CHECK(out[1]["error"]["field"] == "records[1].timestamp");
  CHECK(out[2]["error"]["field"].get<std::string>().rfind("records[2]", 0) == 0);
  CHECK(out[3].contains("error"));
  // Exactly the records summarize() accepts.
  CHECK(summarize_json(records)["ignored"]["malformed"] == 3);
  CHECK(error_code_of([] { check_json(Json::object()); }) == "INVALID_TYPE");
}

TEST_CASE("MeetingFolds::add_new_json: the log's rule (first record of an eventId stays), checked in the same pass") {
  Log log;
  log.add("participant.joined", 0, "ada", {{"displayName", "Ada"}});
  log.add("participant.joined", 1000, "bob");
  MeetingFolds folds;
  Json first = folds.add_new_json(Json::array({log.records[0]}));
  CHECK(first["entries"] == Json::array({Json{{"at", iso(0)}, {"added", true}}}));
  // Held e00000 with other (smaller) content is not added and replaces nothing; a duplicate in the call neither;
  // a bad entry gets its error.
  Json rival = log.records[0];
  rival["timestamp"] = iso(-5000);
  Json again = folds.add_new_json(Json::array({rival, log.records[1], log.records[1], 7}));
  REQUIRE(again["entries"].size() == 4);
  CHECK(again["entries"][0]["added"] == false);
  CHECK(again["entries"][1]["added"] == true);
  CHECK(again["entries"][2]["added"] == false);
  CHECK(again["entries"][3].contains("error"));
  CHECK(again["ignored"]["malformed"] == 1);
  REQUIRE(again["meetings"].size() == 1);
  // The fold of the log as it would be stored: the first two records.
  CHECK(again["meetings"][0] == summarize_json(log.records)["meetings"][0]);
  CHECK(folds.count("m1") == 2);
  CHECK(error_code_of([&] { folds.add_new_json(Json::object()); }) == "INVALID_TYPE");
}
