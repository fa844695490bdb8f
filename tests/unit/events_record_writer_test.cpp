// RecordWriter (record_writer.h): the bulk writer must write exactly the records of
// normalize_text() + to_json_text(), one event at a time and as one array, while
// reusing its caches across meetings, participants and instants; and reject bad input
// without writing anything.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/events/jitsi_events.h"
#include "core/events/normalize.h"
#include "core/events/record_writer.h"
#include "events_payloads_support.h"
#include "events_test_support.h"
#include "generated_cases.h"

using namespace convene;
using namespace convene::events;
using events::testing::at;
using events::testing::payload_for;
using events::testing::XorShift;

namespace {

// The contexts the tests cycle through: the writer caches the meeting's JSON text.
const EventContext kContexts[] = {
    {"meeting-1", std::string("local")},
    {"meeting-2", std::nullopt},
    {"meeting \"quoted\" \\ 3", std::string("me\tyou")},
    {"meeting-1", std::nullopt},
};

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code() + "@" + e.field();
  }
  return "no error";
}

struct Event {
  std::string name;
  std::string payload;  // JSON text; "" = no payload
};

// A random batch: catalogue rows with generated payloads, now and then no payload or a non-object.
std::vector<Event> batch(XorShift& rng, std::size_t n) {
  const auto rows = jitsi_event_catalogue();
  std::vector<Event> out;
  for (std::size_t i = 0; i < n; ++i) {
    const JitsiEventSpec& spec = rows[rng.below(rows.size())];
    std::string name(rng.below(4) == 0 ? spec.type : spec.jitsi);
    switch (rng.below(12)) {
      case 0: out.push_back({name, ""}); break;
      case 1: out.push_back({name, rng.below(2) ? "[1,{\"id\":\"x\"}]" : "\"text\""}); break;
      default: out.push_back({name, payload_for(spec, rng)});
    }
  }
  return out;
}

}  // namespace

TEST_CASE("RecordWriter::append writes to_json_text(normalize_text(...)) byte for byte") {
  XorShift rng{0xfeedULL};
  RecordWriter writer;
  UuidV7Generator ids_a, ids_b;
  testing::CountingRandom rand_a, rand_b;
  std::string out = "prefix:";
  std::string expected = "prefix:";
  std::size_t n = 0;
  for (const auto& spec : jitsi_event_catalogue()) {
    for (int i = 0; i < property::generated_cases(60); ++i, ++n) {
      const std::string text = payload_for(spec, rng);
      const EventContext& ctx = kContexts[n % std::size(kContexts)];
      const UtcTime now = at(static_cast<std::int64_t>(n / 3));  // three events per instant
      const std::string_view name = i % 3 == 0 && !spec.type_off.empty() ? spec.type_off : spec.jitsi;
      expected += to_json_text(normalize_text(name, text, ctx, now, ids_a, rand_a));
      writer.append(out, name, text, ctx, now, ids_b, rand_b);
      REQUIRE_MESSAGE(out == expected, name, " ", text);
    }
  }
  CHECK(n == property::generated_cases(60) * jitsi_event_catalogue().size());
}

TEST_CASE("RecordWriter::append_array equals the records of append(), one by one") {
  XorShift rng{0xa11a7ULL};
  RecordWriter bulk, single;
  UuidV7Generator ids_a, ids_b;
  testing::CountingRandom rand_a, rand_b;
  std::size_t events = 0, declined_rows = 0;
  for (int round = 0; round < property::generated_cases(300); ++round) {
    const std::vector<Event> evs = batch(rng, rng.below(round % 10 == 0 ? 3 : 40));
    const EventContext& ctx = kContexts[static_cast<std::size_t>(round) % std::size(kContexts)];
    const UtcTime now = at(round / 2);
    std::vector<std::string_view> names;
    std::string array = "[";
    std::string expected = "[";
    for (std::size_t i = 0; i < evs.size(); ++i) {
      names.push_back(evs[i].name);
      if (i) array += rng.below(5) == 0 ? " , " : ",";
      array += evs[i].payload.empty() ? "null" : evs[i].payload;
      if (i) expected += ',';
      single.append(expected, evs[i].name, evs[i].payload, ctx, now, ids_a, rand_a);
      declined_rows += spec_rules(*find_jitsi_event(evs[i].name)).whole_payload;
    }
    array += rng.below(5) == 0 ? "]\n" : "]";
    expected += ']';
    std::string out;
    bulk.append_array(out, names, array, ctx, now, ids_b, rand_b);
    REQUIRE_MESSAGE(out == expected, array);
    CHECK(Json::parse(out).size() == evs.size());
    events += evs.size();
  }
  MESSAGE(events, " events in 300 arrays, ", declined_rows, " of '*' rows (DOM path inside the array)");
  CHECK(declined_rows > 0);
}

TEST_CASE("RecordWriter::append_array rejects bad input, names the field, writes nothing, and keeps working") {
  RecordWriter w;
  UuidV7Generator ids;
  testing::CountingRandom r;
  const EventContext ctx{"m", std::nullopt};
  std::string out = "kept";
  auto run = [&](std::vector<std::string_view> names, std::string_view payloads, EventContext c = {"m", std::nullopt}) {
    return error_of([&] { w.append_array(out, names, payloads, c, at(0), ids, r); });
  };
  CHECK(run({"participantJoined", "no pe", "participantLeft"}, "[{},{},{}]") == "INVALID_EVENT_NAME@events.1.name");
  CHECK(run({"participantJoined"}, "[{},{}]") == "INVALID_INPUT@payloads");
  CHECK(run({"participantJoined", "participantLeft"}, "[{}]") == "INVALID_INPUT@payloads");
  CHECK(run({}, "[{}]") == "INVALID_INPUT@payloads");
  CHECK(run({"participantJoined"}, "[{\"id\":") == "INVALID_INPUT@payloads");
  CHECK(run({"participantJoined"}, "{\"id\":\"a\"}") == "INVALID_TYPE@payloads");
  CHECK(run({"participantJoined"}, "[{\"id\":\"\\udc00\"}]") == "INVALID_INPUT@payloads");       // lone surrogate
  CHECK(run({"deviceListChanged"}, "[{\"x\":[\"\\udc00\"]}]") == "INVALID_INPUT@payloads");      // ...in a skipped part
  CHECK(run({"participantJoined"}, "[{}] x") == "INVALID_INPUT@payloads");
  CHECK(run({"participantJoined"}, "[{}]", {" ", std::nullopt}) == "MISSING_FIELD@ctx.meetingId");
  CHECK(out == "kept");
  CHECK(run({}, "[]") == "no error");
  CHECK(run({"participantJoined", "dominantSpeakerChanged"}, "[{\"id\":\"a\"},{\"id\":\"b\"}]") == "no error");
  const Json written = Json::parse(out.substr(4 + 2));  // "kept" + "[]"
  REQUIRE(written.size() == 2);
  CHECK(written[0]["type"] == "participant.joined");
  CHECK(written[1]["participantId"] == "b");
}

TEST_CASE("RecordWriter::append_array into a TextBuffer: the same records, and the buffer keeps its size on error") {
  RecordWriter w, ref;
  UuidV7Generator ids_a, ids_b;
  testing::CountingRandom r_a, r_b;
  const EventContext ctx{"m", std::string("local")};
  const std::string_view names[] = {"participantJoined", "participantMuted"};
  const std::string payloads = R"([{"id":"a","displayName":"Ada"},{"id":"b","isMuted":true,"mediaType":"audio"}])";
  const KnownEvent known[] = {{names[0], find_jitsi_event(names[0])}, {names[1], find_jitsi_event(names[1])}};
  TextBuffer buf;
  buf.append("kept");
  UuidV7Generator ids_err;  // an error may have drawn ids for the elements before the fault
  testing::CountingRandom r_err;
  CHECK(error_of([&] { w.append_array(buf, known, "[{},{},{}]", ctx, at(0), ids_err, r_err); }) ==
        "INVALID_INPUT@payloads");
  CHECK(error_of([&] { w.append_array(buf, known, R"([{"id":"a"},{"id":"\udc00"}])", ctx, at(0), ids_err, r_err); }) ==
        "INVALID_INPUT@payloads");
  CHECK(buf.view() == "kept");
  w.append_array(buf, known, payloads, ctx, at(5), ids_a, r_a);
  std::string expected = "kept";
  ref.append_array(expected, names, payloads, ctx, at(5), ids_b, r_b);
  CHECK(buf.view() == expected);
}

TEST_CASE("TextBuffer: extend makes room in place, growth keeps the bytes, clear keeps the capacity") {
  TextBuffer b;
  CHECK(b.size() == 0);
  CHECK(b.view().empty());
  std::string expected;
  for (int i = 0; i < 2000; ++i) {  // crosses several growths
    const std::string piece = std::to_string(i) + ";";
    char* p = b.extend(piece.size());
    for (char c : piece) *p++ = c;
    b.push_back('|');
    b.append("ab");
    expected += piece + "|ab";
  }
  CHECK(b.view() == expected);
  b.truncate(5);
  CHECK(b.view() == expected.substr(0, 5));
  b.truncate(100);  // never lengthens
  CHECK(b.size() == 5);
  const char* at_start = b.data();
  b.clear();
  b.append(std::string(1000, 'x'));
  CHECK(b.data() == at_start);  // no reallocation below the capacity reached before
  CHECK(b.view() == std::string(1000, 'x'));
}

TEST_CASE("RecordWriter::append_array leaves text with a NUL byte to the DOM reader, as append() does") {
  // nlohmann's reader (the definition) ends the input at a NUL; the in-place fast reader
  // must not be the one deciding.
  RecordWriter w;
  UuidV7Generator ids_a, ids_b;
  testing::CountingRandom r_a, r_b;
  const EventContext ctx{"m", std::nullopt};
  std::string bulk, single = "[";
  const std::string_view names[] = {"participantJoined"};
  w.append_array(bulk, names, std::string_view("[{\"id\":\"a\"}]\0 ignored", 21), ctx, at(0), ids_a, r_a);
  w.append(single, "participantJoined", std::string_view("{\"id\":\"a\"}\0 ignored", 19), ctx, at(0), ids_b, r_b);
  single += ']';
  CHECK(bulk == single);
  CHECK(Json::parse(bulk)[0]["participantId"] == "a");
}

TEST_CASE("RecordWriter keeps the timestamp and meeting caches right when they change") {
  RecordWriter w;
  UuidV7Generator ids;
  testing::CountingRandom r;
  std::string out;
  w.append(out, "dominantSpeakerChanged", "{\"id\":\"a\"}", {"m1", std::nullopt}, at(0), ids, r);
  out += '\n';
  w.append(out, "dominantSpeakerChanged", "{\"id\":\"a\"}", {"m2", std::nullopt}, at(1), ids, r);
  out += '\n';
  w.append(out, "dominantSpeakerChanged", "{\"id\":\"a\"}", {"m1", std::nullopt}, at(0), ids, r);
  const auto first = Json::parse(out.substr(0, out.find('\n')));
  const auto second = Json::parse(out.substr(out.find('\n') + 1, out.rfind('\n') - out.find('\n') - 1));
  const auto third = Json::parse(out.substr(out.rfind('\n') + 1));
  CHECK(first["meetingId"] == "m1");
  CHECK(first["timestamp"] == "2026-01-01T00:00:00.000Z");
  CHECK(second["meetingId"] == "m2");
  CHECK(second["timestamp"] == "2026-01-01T00:00:00.001Z");
  CHECK(third["meetingId"] == "m1");
  CHECK(third["timestamp"] == "2026-01-01T00:00:00.000Z");
}

TEST_CASE("deeply nested payloads go to the DOM path in both forms, without deep recursion") {
  // The fast reader recurses once per open container; past 48 levels the handlers stop it.
  RecordWriter w;
  UuidV7Generator ids_a, ids_b, ids_c;
  testing::CountingRandom r_a, r_b, r_c;
  const EventContext ctx{"m", std::nullopt};
  for (const std::size_t depth : {47u, 48u, 49u, 5000u}) {
    const std::string deep = std::string(depth, '[') + std::string(depth, ']');
    const std::string payload = "{\"id\":\"p\",\"displayName\":\"Ada\",\"noise\":" + deep + "}";
    const std::string expected = to_json_text(normalize_text("participantJoined", payload, ctx, at(1), ids_a, r_a));
    std::string single, bulk;
    w.append(single, "participantJoined", payload, ctx, at(1), ids_b, r_b);
    const std::string_view names[] = {"participantJoined", "participantLeft"};
    w.append_array(bulk, names, "[" + payload + "," + deep + "]", ctx, at(1), ids_c, r_c);
    CHECK(single == expected);
    const Json records = Json::parse(bulk);
    REQUIRE(records.size() == 2);
    CHECK(records[0]["payload"] == Json::parse(expected)["payload"]);
    CHECK(records[1]["payload"] == Json::object());  // a non-object payload keeps nothing
  }
}

TEST_CASE("RecordWriter: names outside the catalogue, alone and inside arrays, as normalize() writes them") {
  RecordWriter w;
  UuidV7Generator ids_a, ids_b;
  testing::CountingRandom rand_a, rand_b;
  const EventContext ctx{"m", "me"};
  const std::vector<std::string_view> names = {"participantJoined", "someFutureEvent", "participantLeft", "appNote"};
  const std::vector<std::string> payloads = {"{\"id\":\"p1\",\"displayName\":\"Ada\"}", "{\"k\":[1,{\"z\":true}]}",
                                             "{\"id\":\"p1\"}", "null"};
  std::string single = "[";
  std::string array = "[";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) single += ',', array += ',';
    w.append(single, names[i], payloads[i] == "null" ? "" : payloads[i], ctx, at(5), ids_a, rand_a);
    array += payloads[i];
  }
  single += ']';
  array += ']';
  std::string out;
  w.append_array(out, names, array, ctx, at(5), ids_b, rand_b);
  CHECK(out == single);
  const Json records = Json::parse(out);
  CHECK(records[1]["type"] == "x.some.future.event");
  CHECK(records[1]["participantId"] == "me");
  CHECK(records[1]["payload"] == Json{{"k", Json::array({1, {{"z", true}}})}});
  CHECK(records[3]["type"] == "x.app.note");
  CHECK(records[3]["payload"] == Json::object());
}
