// normalize_text() (the streaming fast path, payload_scan.h) against normalize() on the
// parsed payload: the same record, byte for byte, on generated and hand-picked payloads;
// and the fast path is really taken for the common events.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/events/field_rules.h"
#include "core/events/jitsi_events.h"
#include "core/events/normalize.h"
#include "core/events/payload_scan.h"
#include "events_payloads_support.h"
#include "events_test_support.h"
#include "generated_cases.h"

using namespace convene;
using namespace convene::events;
using events::testing::at;
using events::testing::payload_for;
using events::testing::XorShift;

namespace {

struct Both {
  EventRecord dom;
  EventRecord fast;
};

Both both(std::string_view name, const std::string& text, const EventContext& ctx = {"meeting-1", "local"}) {
  UuidV7Generator ids_a, ids_b;
  testing::ConstantRandom rand_a(7), rand_b(7);
  const Json parsed = text.empty() ? Json::object() : Json::parse(text);
  return {normalize(name, parsed, ctx, at(5000), ids_a, rand_a), normalize_text(name, text, ctx, at(5000), ids_b, rand_b)};
}

void check_same(std::string_view name, const std::string& text) {
  Both b = both(name, text);
  INFO(name, " ", text);
  CHECK(to_json_text(b.fast) == to_json_text(b.dom));
  CHECK(b.fast.message_id == b.dom.message_id);
  CHECK(b.fast.final_text == b.dom.final_text);
  CHECK(record_payload(b.fast) == record_payload(b.dom));
}

}  // namespace

TEST_CASE("normalize_text equals normalize on the parsed payload: 200 generated payloads per catalogue row") {
  XorShift rng{0x5eed1234abcdULL};
  std::size_t fast = 0, total = 0;
  for (const auto& spec : jitsi_event_catalogue()) {
    for (int i = 0; i < property::generated_cases(200); ++i) {
      const std::string text = payload_for(spec, rng);
      check_same(spec.jitsi, text);
      if (!spec.type_off.empty()) {
        check_same(spec.type, text);
        check_same(spec.type_off, text);
      }
      fast += scan_payload(spec, text).has_value();
      ++total;
    }
  }
  // Not a tautology: most generated payloads keep only scalars, so the fast path must carry them.
  MESSAGE("fast path taken for ", fast, " of ", total, " payloads");
  CHECK(fast * 2 > total);
}

TEST_CASE("normalize_text on hand-picked payloads: escapes, caps, numbers, key order, repeats, odd roots") {
  const std::string long_text(5000, 'x');
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"participantJoined", R"({"id":"p1","displayName":"Ada","formattedDisplayName":"Ada me"})"},
      {"participantJoined", R"({"formattedDisplayName":"B","displayName":"A","id":"p1"})"},  // key order
      {"participantJoined", R"({"id":"p1","id":"p2"})"},                                    // repeated participant key
      {"participantJoined", R"({"id":"","displayName":null})"},                             // empty id: ctx's
      {"participantJoined", "{\"id\":\"" + std::string(300, 'i') + "\"}"},                 // over-long id: ctx's
      {"participantJoined", R"({"id":7,"displayName":"tab\there \"q\" \\ \u0001 \u00e9"})"},
      {"participantJoined", R"({"displayName":{"nested":true}})"},                          // kept object: DOM path
      {"participantJoined", R"({"displayName":[1,2]})"},
      {"participantJoined", R"([1,2,3])"},
      {"participantJoined", R"("text")"},
      {"participantJoined", R"(42)"},
      {"participantJoined", R"(null)"},
      {"participantJoined", ""},
      {"participantJoined", "{}"},
      {"participantMuted", R"({"id":"p","isMuted":true,"mediaType":"video"})"},
      {"participantMuted", R"({"isMuted":1.5e300,"mediaType":-0.0})"},
      {"participantMuted", R"({"isMuted":18446744073709551615,"mediaType":-9223372036854775808})"},
      {"participantMuted", R"({"isMuted":1e2,"mediaType":0.1})"},
      {"incomingMessage", "{\"from\":\"p3\",\"message\":\"" + long_text + "\",\"nick\":\"" + long_text + "\"}"},
      {"transcriptionChunkReceived", R"({"data":{"messageID":"m1","final":"done","participant":{"id":"s","name":"S"}}})"},
      {"transcriptionChunkReceived", R"({"data":{"messageID":"m1","final":"","stable":"so far"}})"},
      {"transcriptionChunkReceived", R"({"data":{"messageID":5,"final":7}})"},
      {"transcriptionChunkReceived", R"({"data":{"messageID":"m1"},"data":{"final":"x"}})"},  // repeated object key
      {"transcriptionChunkReceived", R"({"data":[{"messageID":"m1"}]})"},                     // array on the path
      {"transcriptionChunkReceived", R"({"data":"not an object"})"},
      {"screenSharingStatusChanged", R"({"on":true,"details":{"sourceType":"window"}})"},
      {"screenSharingStatusChanged", R"({"on":"yes"})"},
      {"screenSharingStatusChanged", R"({"on":{"x":1}})"},
      {"recordingStatusChanged", R"({"on":false,"mode":"file","error":null})"},
      {"deviceListChanged", R"({"devices":{"audioInput":[{"deviceId":"d","label":"Mic"}]}})"},  // '*' row
      {"errorOccurred", R"({"error":{"name":"conference.connectionError","message":"m","isFatal":true},"details":{"a":1}})"},
  };
  for (const auto& [name, text] : cases) check_same(name, text);
}

TEST_CASE("the fast path is taken for scalar payloads and declines what only the DOM path gets right") {
  const auto* joined = find_jitsi_event("participantJoined");
  const auto* chunk = find_jitsi_event("transcriptionChunkReceived");
  const auto* devices = find_jitsi_event("deviceListChanged");
  REQUIRE(joined);
  REQUIRE(chunk);
  REQUIRE(devices);
  auto s = scan_payload(*joined, R"({"id":"p1","displayName":"Ada","extra":{"deep":[1,{"id":"no"}]}})");
  REQUIRE(s);
  CHECK(s->payload_text == R"({"displayName":"Ada"})");
  CHECK(s->participant_id == "p1");
  auto c = scan_payload(*chunk, R"({"data":{"messageID":"m9","final":"bye","participant":{"id":"s"}}})");
  REQUIRE(c);
  CHECK(c->message_id == "m9");
  CHECK(c->final_text);
  CHECK(c->participant_id == "s");

  CHECK_FALSE(scan_payload(*joined, R"({"displayName":{"a":1}})"));  // kept object
  CHECK_FALSE(scan_payload(*joined, R"({"id":"a","id":"b"})"));      // repeated key on a path
  CHECK_FALSE(scan_payload(*joined, R"([1])"));                      // not an object
  CHECK_FALSE(scan_payload(*joined, R"({"id":)"));                   // not JSON
  CHECK_FALSE(scan_payload(*joined, R"({"id":"a"} trailing)"));
  CHECK_FALSE(scan_payload(*devices, R"({})"));                      // '*' row
  const std::string big = "{\"displayName\":\"" + std::string(500, 'a') + "\"}";
  CHECK(scan_payload(*joined, big));
}

TEST_CASE("normalize_text reports the DOM path's errors, bad JSON first") {
  UuidV7Generator ids;
  testing::CountingRandom r;
  auto code_of = [&](std::string_view name, std::string_view text, EventContext ctx) {
    try {
      normalize_text(name, text, ctx, at(0), ids, r);
    } catch (const Error& e) {
      return e.code() + "@" + e.field();
    }
    return std::string("no error");
  };
  CHECK(code_of("participantJoined", "{\"id\":", {"m", std::nullopt}) == "INVALID_INPUT@payload");
  CHECK(code_of("noSuchEvent", "{\"id\":", {"m", std::nullopt}) == "INVALID_INPUT@payload");
  CHECK(code_of("no such event", "{}", {"m", std::nullopt}) == "INVALID_EVENT_NAME@name");
  CHECK(code_of("noSuchEvent", "{}", {"m", std::nullopt}) == "no error");  // captured: x.no.such.event
  CHECK(code_of("participantJoined", "{}", {"  ", std::nullopt}) == "MISSING_FIELD@ctx.meetingId");
  CHECK(code_of("participantJoined", "{}", {"m", std::string(300, 'p')}) == "INVALID_INPUT@ctx.participantId");
  CHECK(code_of("participantJoined", "{\"id\":\"x\"}", {"m", std::nullopt}) == "no error");
}
