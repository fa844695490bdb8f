// The batching policy under a fake clock (issue #4: every rule has a case here).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/error.h"
#include "core/events/batcher.h"
#include "core/events/normalize.h"
#include "events_test_support.h"

using namespace convene;
using namespace convene::events;
using events::testing::at;

namespace {

struct Harness {
  Batcher b;
  UuidV7Generator ids;
  testing::CountingRandom id_random;
  testing::ConstantRandom jitter{0};  // u = 0: backoff is exactly d/2
  int n = 0;

  explicit Harness(BatcherConfig c = {}) : b(c) {}

  /// Pushes a distinct event (participant.joined with a counter) at `ms`.
  PushResult push(std::int64_t ms, std::string meeting = "m1", Json payload = nullptr) {
    if (payload.is_null()) payload = {{"id", "p" + std::to_string(n)}, {"displayName", "n" + std::to_string(n)}};
    ++n;
    auto rec = normalize("participantJoined", payload, {meeting, std::nullopt}, at(ms), ids, id_random);
    return b.push(rec, at(ms));
  }
  PushResult push_named(std::int64_t ms, std::string_view name, Json payload, std::string meeting = "m1") {
    auto rec = normalize(name, payload, {meeting, "me"}, at(ms), ids, id_random);
    return b.push(rec, at(ms));
  }
};

std::int64_t ms_of(const std::optional<UtcTime>& t) { return t ? to_epoch_ms(*t) - to_epoch_ms(at(0)) : -1; }

std::vector<std::string> body_ids(const std::string& body) {
  std::vector<std::string> out;
  const Json parsed = Json::parse(body);
  for (const auto& r : parsed["events"]) out.push_back(r["eventId"]);
  return out;
}

}  // namespace

TEST_CASE("flushes at exactly flushAt (5) events, oldest first") {
  Harness h;
  std::vector<std::string> pushed;
  for (int i = 0; i < 4; ++i) {
    auto r = h.push(i * 10);
    pushed.push_back(r.event_id);
    CHECK_FALSE(r.decisions.send);
  }
  auto fifth = h.push(40);
  pushed.push_back(fifth.event_id);
  REQUIRE(fifth.decisions.send);
  CHECK(fifth.news);
  CHECK(fifth.decisions.send->event_ids == pushed);
  CHECK(body_ids(fifth.decisions.send->body) == pushed);
  CHECK(h.b.in_flight() == 5);
  CHECK_FALSE(fifth.decisions.wake_at);  // waiting for the delivery result, no timer
}

TEST_CASE("the interval is a fixed timer from the oldest unsent event, not a debounce") {
  Harness h;
  auto first = h.push(0);
  CHECK(first.news);
  CHECK(ms_of(first.decisions.wake_at) == 2000);
  auto second = h.push(1500);
  CHECK_FALSE(second.news);  // the deadline does not move
  CHECK(ms_of(second.decisions.wake_at) == 2000);
  h.push(1900);
  CHECK_FALSE(h.b.tick(at(1999)).send);
  auto d = h.b.tick(at(2000));
  REQUIRE(d.send);
  CHECK(d.send->event_ids.size() == 3);
}

TEST_CASE("after a delivery the next deadline is the remaining oldest event's own") {
  Harness h;
  for (int i = 0; i < 5; ++i) h.push(0);  // batch 1 in flight
  h.push(100);                            // waits behind it
  auto d = h.b.delivered(1, 200, std::nullopt, at(300), h.jitter);
  CHECK_FALSE(d.send);
  CHECK(ms_of(d.wake_at) == 2100);
  CHECK(h.b.tick(at(2100)).send);
}

TEST_CASE("flushes early when the unsent batch nears the byte cap; a batch body never exceeds it") {
  BatcherConfig c;
  c.flush_at = 1000;
  Harness h(c);
  // Each record ~4.5 KB (text cap 4096 + envelope).
  Json big = {{"from", "p"}, {"message", std::string(4096, 'x')}};
  int sent_at = -1;
  for (int i = 0; i < 20 && sent_at < 0; ++i) {
    big["nick"] = "n" + std::to_string(i);
    auto r = h.push_named(i, "incomingMessage", big);
    if (r.decisions.send) {
      sent_at = i;
      const auto& body = r.decisions.send->body;
      const std::size_t one = body.size() / r.decisions.send->event_ids.size();
      CHECK(body.size() >= c.flush_bytes);      // reached the early-flush threshold...
      CHECK(body.size() - one < c.flush_bytes);  // ...with this very event
      CHECK(body.size() <= c.max_batch_bytes);
    }
  }
  CHECK(sent_at > 0);  // well before flushAt (1000) or the timer
  // A backlog (after failures) is cut into bodies under max_batch_bytes.
  BatcherConfig c2;
  c2.flush_at = 1000;
  c2.flush_bytes = c2.max_batch_bytes;
  Harness h2(c2);
  for (int i = 0; i < 30; ++i) {
    big["nick"] = "n" + std::to_string(i);
    auto r = h2.push_named(0, "incomingMessage", big);
    if (r.decisions.send) CHECK(r.decisions.send->body.size() <= c2.max_batch_bytes);
  }
}

TEST_CASE("one batch in flight at a time") {
  Harness h;
  for (int i = 0; i < 5; ++i) h.push(0);
  for (int i = 0; i < 7; ++i) CHECK_FALSE(h.push(10).decisions.send);
  CHECK_FALSE(h.b.tick(at(5000)).send);  // deadline long past, still one in flight
  auto d = h.b.delivered(1, 200, std::nullopt, at(5000), h.jitter);
  REQUIRE(d.send);
  CHECK(d.send->event_ids.size() == 7);
  CHECK(h.b.pending() == 7);
}

TEST_CASE("a failed batch goes back to the front and is retried before newer events") {
  Harness h;
  std::vector<std::string> first;
  for (int i = 0; i < 5; ++i) first.push_back(h.push(0).event_id);
  auto later = h.push(10).event_id;
  auto d = h.b.delivered(1, 503, std::nullopt, at(100), h.jitter);
  CHECK_FALSE(d.send);
  CHECK(ms_of(d.wake_at) == 600);  // 1st failure, u=0: 1000/2
  CHECK_FALSE(h.b.tick(at(599)).send);
  auto retry = h.b.tick(at(600));
  REQUIRE(retry.send);
  std::vector<std::string> expected = first;
  expected.push_back(later);
  CHECK(retry.send->event_ids == expected);
  CHECK(retry.send->id == 2);
}

TEST_CASE("backoff doubles per consecutive failure, with jitter, capped at 60 s") {
  Harness h;
  for (int i = 0; i < 5; ++i) h.push(0);
  std::int64_t now = 0;
  std::vector<std::int64_t> waits;
  for (int attempt = 1; attempt <= 9; ++attempt) {
    auto d = h.b.delivered(static_cast<std::uint64_t>(attempt), 0, std::nullopt, at(now), h.jitter);
    waits.push_back(ms_of(d.wake_at) - now);
    now = ms_of(d.wake_at);
    REQUIRE(h.b.tick(at(now)).send);
  }
  CHECK(waits == std::vector<std::int64_t>{500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000});
  // Full jitter range: u -> 1 gives d; never above the 60 s cap.
  CHECK(h.b.backoff(1, 0.999999).count() == 999);
  CHECK(h.b.backoff(7, 0.999999).count() == 59999);
  CHECK(h.b.backoff(30, 1.0).count() == 60000);
  CHECK(h.b.backoff(300, 0.5).count() == 45000);
  // A success resets the schedule.
  h.b.delivered(10, 200, std::nullopt, at(now), h.jitter);
  for (int i = 0; i < 5; ++i) h.push(now);
  auto d = h.b.delivered(11, 500, std::nullopt, at(now), h.jitter);
  CHECK(ms_of(d.wake_at) - now == 500);
}

TEST_CASE("Retry-After is honoured when longer than the backoff (429 and 503)") {
  Harness h;
  for (int i = 0; i < 5; ++i) h.push(0);
  auto d = h.b.delivered(1, 429, 10.0, at(0), h.jitter);
  CHECK(ms_of(d.wake_at) == 10000);
  CHECK_FALSE(h.b.tick(at(9999)).send);
  REQUIRE(h.b.tick(at(10000)).send);
  auto d2 = h.b.delivered(2, 503, 0.2, at(10000), h.jitter);  // shorter than backoff (1000 ms): backoff wins
  CHECK(ms_of(d2.wake_at) == 11000);
  REQUIRE(h.b.tick(at(11000)).send);
  auto d3 = h.b.delivered(3, 503, 1e9, at(11000), h.jitter);  // absurd values are capped (1 h)
  CHECK(ms_of(d3.wake_at) == 11000 + 3600 * 1000);
}

TEST_CASE("4xx other than 408/429 gives up and reports the events; 408 and 429 retry") {
  Harness h;
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(h.push(0).event_id);
  auto d = h.b.delivered(1, 400, std::nullopt, at(10), h.jitter);
  REQUIRE(d.rejected.size() == 1);
  CHECK(d.rejected[0].status == 400);
  REQUIRE(d.rejected[0].records.size() == 5);
  CHECK(Json::parse(d.rejected[0].records[0])["eventId"] == ids[0]);
  CHECK(h.b.pending() == 0);
  CHECK_FALSE(d.wake_at);
  for (int status : {408, 429}) {
    Harness r;
    for (int i = 0; i < 5; ++i) r.push(0);
    auto dd = r.b.delivered(1, status, std::nullopt, at(0), r.jitter);
    CHECK(dd.rejected.empty());
    CHECK(r.b.pending() == 5);
    CHECK(r.b.consecutive_failures() == 1);
  }
  for (int status : {401, 403, 404, 413, 422}) {
    Harness r;
    for (int i = 0; i < 5; ++i) r.push(0);
    CHECK(r.b.delivered(1, status, std::nullopt, at(0), r.jitter).rejected.size() == 1);
  }
}

TEST_CASE("the queue is bounded: the oldest unsent events are dropped and counted") {
  BatcherConfig c;
  c.flush_at = 1000;
  c.flush_interval = Millis(3600000);
  c.max_queue = 10;
  Harness h(c);
  std::vector<std::string> ids;
  std::uint64_t dropped = 0;
  for (int i = 0; i < 15; ++i) {
    auto r = h.push(i);
    ids.push_back(r.event_id);
    dropped += r.decisions.dropped;
    if (i >= 10) CHECK(r.news);
  }
  CHECK(dropped == 5);
  CHECK(h.b.dropped_total() == 5);
  CHECK(h.b.pending() == 10);
  auto f = h.b.flush(at(20));
  REQUIRE(f.send);
  CHECK(f.send->event_ids == std::vector<std::string>(ids.begin() + 5, ids.end()));
}

TEST_CASE("in-flight events are never dropped by the queue cap") {
  BatcherConfig c;
  c.max_queue = 5;
  Harness h(c);
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(h.push(0).event_id);  // all in flight
  auto r = h.push(1);
  CHECK(r.decisions.dropped == 1);  // the newcomer could not be queued
  auto d = h.b.delivered(1, 200, std::nullopt, at(2), h.jitter);
  CHECK(h.b.pending() == 0);
}

TEST_CASE("duplicates: the same event pushed twice, and Jitsi's second videoConferenceLeft") {
  Harness h;
  Json p = {{"id", "p1"}, {"displayName", "Ada"}};
  auto a = h.push(0, "m1", p);
  auto b = h.push(300, "m1", p);
  CHECK(b.duplicate);
  CHECK(b.event_id == a.event_id);
  CHECK(h.b.pending() == 1);
  CHECK_FALSE(h.push(1301, "m1", p).duplicate);  // outside the 1 s window: a new event
  CHECK_FALSE(h.push(1400, "m2", p).duplicate);  // another meeting
  auto left1 = h.push_named(2000, "videoConferenceLeft", {{"roomName", "r"}});
  auto left2 = h.push_named(9000, "videoConferenceLeft", {{"roomName", "r"}});
  CHECK_FALSE(left1.duplicate);
  CHECK(left2.duplicate);
  CHECK(left2.event_id == left1.event_id);
  h.push_named(10000, "videoConferenceJoined", {{"roomName", "r"}, {"id", "me"}});
  CHECK_FALSE(h.push_named(20000, "videoConferenceLeft", {{"roomName", "r"}}).duplicate);
}

TEST_CASE("transcription chunks are deduplicated by messageID, keeping the final one") {
  BatcherConfig c;
  c.flush_at = 100;
  Harness h(c);
  auto chunk = [](std::string mid, std::string stable, std::string final_text) {
    return Json{{"data",
                 {{"messageID", mid}, {"participant", {{"id", "s"}, {"name", "S"}}}, {"stable", stable},
                  {"final", final_text}}}};
  };
  h.push_named(0, "transcriptionChunkReceived", chunk("m-1", "hel", ""));
  h.push(1);
  h.push_named(2, "transcriptionChunkReceived", chunk("m-1", "hello wor", ""));
  auto fin = h.push_named(3, "transcriptionChunkReceived", chunk("m-1", "", "hello world"));
  auto late = h.push_named(4, "transcriptionChunkReceived", chunk("m-1", "hello wo", ""));
  CHECK(late.duplicate);
  CHECK(late.event_id == fin.event_id);
  CHECK(h.b.pending() == 2);
  auto d = h.b.flush(at(5));
  REQUIRE(d.send);
  auto events = Json::parse(d.send->body)["events"];
  CHECK(events[0]["type"] == "participant.joined");
  CHECK(events[1]["payload"]["final"] == "hello world");
  CHECK(events[1]["eventId"] == fin.event_id);
}

TEST_CASE("flush() sends now, even during a backoff, and reports completion; stops at a failure") {
  Harness h;
  h.push(0);
  h.push(1);
  auto d = h.b.flush(at(2));
  REQUIRE(d.send);
  CHECK_FALSE(d.flush_done);
  auto done = h.b.delivered(1, 200, std::nullopt, at(3), h.jitter);
  CHECK(done.flush_done);
  h.push(10);
  h.b.flush(at(11));
  auto failed = h.b.delivered(2, 500, std::nullopt, at(12), h.jitter);
  CHECK(failed.flush_done);
  CHECK(h.b.pending() == 1);
  CHECK_FALSE(h.b.tick(at(13)).send);  // backing off (until 12 + 500)...
  auto now = h.b.flush(at(13));        // ...but an explicit flush retries at once
  REQUIRE(now.send);
  auto again = h.b.delivered(now.send->id, 503, std::nullopt, at(14), h.jitter);
  CHECK(ms_of(again.wake_at) == 14 + 1000);  // 2nd consecutive failure: the count was kept
  CHECK(Harness().b.flush(at(0)).flush_done);  // nothing queued
}

TEST_CASE("snapshot/restore carries unsent events to the next page load, without duplicates") {
  Harness a;
  std::vector<std::string> ids;
  for (int i = 0; i < 7; ++i) ids.push_back(a.push(i).event_id);  // 5 in flight, 2 unsent
  std::string snap = a.b.snapshot();
  CHECK(Json::parse(snap).size() == 7);

  Harness b;
  auto own = b.push(100).event_id;
  Decisions d;
  CHECK(b.b.restore(snap, at(100), &d) == 7);
  CHECK(b.b.restore(snap, at(100)) == 0);  // same ids: nothing added
  REQUIRE(d.send);                        // restored events are due at once
  std::vector<std::string> expected = ids;  // restored first, in their order, then this page's own
  expected.push_back(own);
  CHECK(d.send->event_ids == expected);
  CHECK(b.b.pending() == 8);
  CHECK(b.b.restore("[1, {\"eventId\": 5}, {}]", at(101)) == 0);
  CHECK_THROWS_AS(b.b.restore("{not json", at(101)), Error);
}

TEST_CASE("pagehide: peek_front/forget_front hand the queue to a beacon in chunks") {
  Harness h;
  for (int i = 0; i < 7; ++i) h.push(i);  // 5 in flight
  auto chunk = h.b.peek_front(64 * 1024);
  CHECK(chunk.event_ids.size() == 7);
  CHECK(h.b.pending() == 7);
  auto small = h.b.peek_front(600);
  CHECK(small.event_ids.size() >= 1);
  CHECK(small.event_ids.size() < 7);
  CHECK((small.body.size() <= 600 || small.event_ids.size() == 1));
  // Successive bodies: the events after the ones already handed over, oldest first.
  std::vector<std::string> all = chunk.event_ids, taken;
  for (std::size_t skip = 0; skip < 7;) {
    auto next = h.b.peek_front(600, skip);
    REQUIRE_FALSE(next.event_ids.empty());
    CHECK(body_ids(next.body) == next.event_ids);
    taken.insert(taken.end(), next.event_ids.begin(), next.event_ids.end());
    skip += next.event_ids.size();
  }
  CHECK(taken == all);
  CHECK(h.b.peek_front(64 * 1024, 7).event_ids.empty());
  CHECK(h.b.peek_front(64 * 1024, 100).body.empty());
  CHECK(h.b.pending() == 7);
  h.b.forget_front(7, at(10));
  CHECK(h.b.pending() == 0);
  CHECK(h.b.delivered(1, 200, std::nullopt, at(11), h.jitter).send == std::nullopt);  // stale result ignored
  CHECK(h.b.pending() == 0);
}

TEST_CASE("invalid configs are refused with the option's name") {
  BatcherConfig c;
  c.flush_at = 0;
  try {
    Batcher b(c);
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK(e.field() == "options.flushAt");
  }
  BatcherConfig d;
  d.backoff_max = Millis(1);
  CHECK_THROWS_AS(Batcher{d}, Error);
}
