// Deduplication at push (core/events/dedup.h, docs/events.md#delivery-policy): only a repeat of the
// immediately preceding event of the same meeting and participant, same type, equal payload in full,
// within the window, is a duplicate. Real changes inside the window are kept (issue #13).
#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "core/events/batcher.h"
#include "core/events/dedup.h"
#include "core/events/normalize.h"
#include "events_test_support.h"

using namespace convene;
using namespace convene::events;
using events::testing::at;

namespace {

struct Pusher {
  Batcher b;
  UuidV7Generator ids;
  testing::CountingRandom random;

  Pusher() : b(config()) {}
  static BatcherConfig config() {
    BatcherConfig c;
    c.flush_at = 1000;  // nothing leaves the queue during a test: pending() counts what was kept
    c.flush_interval = Millis(3600000);
    return c;
  }
  PushResult push(std::int64_t ms, std::string_view name, const Json& payload, EventContext ctx = {"m1", "me"}) {
    return b.push(normalize(name, payload, ctx, at(ms), ids, random), at(ms));
  }
};

}  // namespace

TEST_CASE("dedup: mute -> unmute -> mute within a second keeps all three") {
  Pusher p;
  auto mute = p.push(0, "audioMuteStatusChanged", {{"muted", true}});
  auto unmute = p.push(200, "audioMuteStatusChanged", {{"muted", false}});
  auto mute_again = p.push(400, "audioMuteStatusChanged", {{"muted", true}});
  CHECK_FALSE(mute.duplicate);
  CHECK_FALSE(unmute.duplicate);
  CHECK_FALSE(mute_again.duplicate);
  CHECK(mute_again.event_id != mute.event_id);
  CHECK(p.b.pending() == 3);
  // The log ends muted, as the person is.
  const Json queued = Json::parse(p.b.snapshot());
  REQUIRE(queued.size() == 3);
  CHECK(queued[2]["payload"]["muted"] == true);
}

TEST_CASE("dedup: join -> leave -> rejoin within a second keeps the rejoin") {
  Pusher p;
  const Json joined = {{"id", "p1"}, {"displayName", "Ada"}};
  auto join = p.push(0, "participantJoined", joined);
  auto leave = p.push(300, "participantLeft", {{"id", "p1"}});
  auto rejoin = p.push(600, "participantJoined", joined);
  CHECK_FALSE(join.duplicate);
  CHECK_FALSE(leave.duplicate);
  CHECK_FALSE(rejoin.duplicate);
  CHECK(p.b.pending() == 3);
  // The local user's own conference too: joined, left, joined again.
  auto cj = p.push(700, "videoConferenceJoined", {{"id", "me"}, {"roomName", "r"}});
  auto cl = p.push(800, "videoConferenceLeft", {{"roomName", "r"}});
  auto cj2 = p.push(900, "videoConferenceJoined", {{"id", "me"}, {"roomName", "r"}});
  CHECK_FALSE(cj.duplicate);
  CHECK_FALSE(cl.duplicate);
  CHECK_FALSE(cj2.duplicate);
  CHECK(p.b.pending() == 6);
}

TEST_CASE("dedup: the same event pushed twice in a row (a double subscription) is one event") {
  Pusher p;
  // Two listeners on one IFrame API: every event arrives twice, back to back.
  std::int64_t ms = 0;
  for (bool muted : {true, false, true}) {
    ms += 10;
    auto first = p.push(ms, "audioMuteStatusChanged", {{"muted", muted}});
    auto second = p.push(ms, "audioMuteStatusChanged", {{"muted", muted}});
    CHECK_FALSE(first.duplicate);
    CHECK(second.duplicate);
    CHECK(second.event_id == first.event_id);
  }
  CHECK(p.b.pending() == 3);
  // Interleaved participants keep their own "preceding event".
  auto a1 = p.push(30, "participantJoined", {{"id", "a"}});
  auto b1 = p.push(30, "participantJoined", {{"id", "b"}});
  auto a2 = p.push(31, "participantJoined", {{"id", "a"}});
  CHECK_FALSE(a1.duplicate);
  CHECK_FALSE(b1.duplicate);
  CHECK(a2.duplicate);
  CHECK(a2.event_id == a1.event_id);
  // Outside the window a repeat is a new event; another meeting is never a repeat.
  auto late = p.push(30 + 1001, "participantJoined", {{"id", "a"}});
  CHECK_FALSE(late.duplicate);
  CHECK_FALSE(p.push(1100, "participantJoined", {{"id", "a"}}, {"m2", "me"}).duplicate);
  // Jitsi's second videoConferenceLeft keeps its own rule: a duplicate whatever the delay.
  auto left = p.push(2000, "videoConferenceLeft", {{"roomName", "r"}});
  auto left_again = p.push(9000, "videoConferenceLeft", {{"roomName", "r"}});
  CHECK_FALSE(left.duplicate);
  CHECK(left_again.duplicate);
  CHECK(left_again.event_id == left.event_id);
}

TEST_CASE("dedup: a 64-bit hash collision cannot merge different payloads") {
  // Two subjects whose records have equal FNV-1a 64 fingerprints (type, meeting, participant and
  // payload text, as the old Deduplicator hashed them; found with a Brent cycle search). Different
  // payloads are different events.
  const std::string a = "8Ptutin3WjI", b = "daxn16LMPCK";  // fingerprint 0x8d7c79ea1f53c910
  auto fingerprint = [](const std::string& subject) {
    const std::string text = std::string("conference.subject.changed\x1fm-collide\x1fp1\x1f") + "{\"subject\":\"" +
                             subject + "\"}";
    std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a 64
    for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ULL;
    return h;
  };
  REQUIRE(a != b);
  REQUIRE(fingerprint(a) == fingerprint(b));
  Pusher p;
  auto first = p.push(0, "subjectChange", {{"subject", a}}, {"m-collide", "p1"});
  auto second = p.push(10, "subjectChange", {{"subject", b}}, {"m-collide", "p1"});
  CHECK_FALSE(first.duplicate);
  CHECK_FALSE(second.duplicate);
  CHECK(second.event_id != first.event_id);
  CHECK(p.b.pending() == 2);
  // The Deduplicator alone, with records built by hand.
  Deduplicator d;
  auto record = [](std::string id, std::int64_t ms) {
    EventRecord r;
    r.event_id = std::move(id);
    r.type = "conference.subject.changed";
    r.timestamp = at(ms);
    r.meeting_id = "m-collide";
    r.participant_id = "p1";
    return r;
  };
  CHECK_FALSE(d.check(record("id-1", 0), "{\"subject\":\"" + a + "\"}", at(0)));
  CHECK_FALSE(d.check(record("id-2", 1), "{\"subject\":\"" + b + "\"}", at(1)));
  // Equal in full, pushed again at once: the earlier event.
  CHECK(d.check(record("id-3", 2), "{\"subject\":\"" + b + "\"}", at(2)) == "id-2");
}
