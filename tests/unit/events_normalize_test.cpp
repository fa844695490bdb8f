#include <doctest/doctest.h>

#include <set>
#include <string>

#include "core/error.h"
#include "core/events/jitsi_events.h"
#include "core/events/json_text.h"
#include "core/events/normalize.h"
#include "events_payloads_support.h"
#include "events_test_support.h"

using namespace convene;
using namespace convene::events;
using events::testing::at;

namespace {
EventRecord norm(std::string_view name, const Json& payload, EventContext ctx = {"meeting-1", "local1"}) {
  static UuidV7Generator ids;
  static testing::CountingRandom r;
  return normalize(name, payload, ctx, at(1000), ids, r);
}
std::string code_of(auto&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code() + "@" + e.field();
  }
  return "no error";
}
}  // namespace

TEST_CASE("catalogue covers the 72 IFrame API events plus largeVideoChanged, with unique dotted types") {
  auto cat = jitsi_event_catalogue();
  CHECK(cat.size() == 73);
  std::set<std::string_view> names, types;
  for (const auto& s : cat) {
    CHECK_MESSAGE(names.insert(s.jitsi).second, s.jitsi);
    CHECK_MESSAGE(types.insert(s.type).second, s.type);
    if (!s.type_off.empty()) CHECK(types.insert(s.type_off).second);
    for (char c : s.type) CHECK_MESSAGE(((c >= 'a' && c <= 'z') || c == '.' || c == '2'), s.type);
    CHECK(find_jitsi_event(s.jitsi) == &s);
    CHECK(find_jitsi_event(s.type) == &s);
  }
  for (auto name : {"videoConferenceJoined", "participantJoined", "audioMuteStatusChanged", "screenSharingStatusChanged",
                    "dominantSpeakerChanged", "recordingStatusChanged", "transcriptionChunkReceived", "incomingMessage",
                    "errorOccurred", "raiseHandUpdated", "participantKickedOut", "toolbarButtonClicked"})
    CHECK_MESSAGE(names.count(name) == 1, name);
}

TEST_CASE("participantJoined -> participant.joined with the participant id and display names") {
  auto r = norm("participantJoined", {{"id", "abcd1234"}, {"displayName", "Ada"}, {"formattedDisplayName", "Ada (me)"},
                                     {"avatarURL", "x"}});
  CHECK(r.type == "participant.joined");
  CHECK(r.meeting_id == "meeting-1");
  REQUIRE(r.participant_id);
  CHECK(*r.participant_id == "abcd1234");
  CHECK(record_payload(r) == Json{{"displayName", "Ada"}, {"formattedDisplayName", "Ada (me)"}});
  CHECK(r.timestamp == at(1000));
  CHECK(uuid_v7_millis(r.event_id) == to_epoch_ms(at(1000)));
  Json j = to_json(r);
  CHECK(j["timestamp"] == "2026-01-01T00:00:01.000Z");
  CHECK(Json::parse(to_json_text(r)) == j);
}

TEST_CASE("local media events take the participant from ctx; on/off events split into two types") {
  auto mute = norm("audioMuteStatusChanged", {{"muted", true}});
  CHECK(mute.type == "audio.mute.changed");
  CHECK(*mute.participant_id == "local1");
  CHECK(record_payload(mute) == Json{{"muted", true}});
  auto on = norm("screenSharingStatusChanged", {{"on", true}, {"details", {{"sourceType", "screen"}}}});
  CHECK(on.type == "screen.share.started");
  CHECK(record_payload(on) == Json{{"on", true}, {"sourceType", "screen"}});
  CHECK(norm("screenSharingStatusChanged", {{"on", false}}).type == "screen.share.stopped");
  auto rec = norm("recordingStatusChanged", {{"on", true}, {"mode", "file"}, {"error", nullptr}, {"transcription", false}});
  CHECK(rec.type == "recording.started");
  CHECK(record_payload(rec)["mode"] == "file");
  CHECK(norm("transcribingStatusChanged", {{"on", false}}).type == "transcription.stopped");
  CHECK(norm("transcription.started", Json::object()).type == "transcription.started");
  auto speaker = norm("dominantSpeakerChanged", {{"id", "p2"}});
  CHECK(speaker.type == "dominant.speaker.changed");
  CHECK(*speaker.participant_id == "p2");
  auto no_pid = norm("videoMuteStatusChanged", {{"muted", false}}, {"m", std::nullopt});
  CHECK_FALSE(no_pid.participant_id);
}

TEST_CASE("transcription chunks keep messageID, speaker and text") {
  Json p = {{"data",
             {{"messageID", "msg-1"},
              {"language", "en"},
              {"participant", {{"id", "spk"}, {"name", "Grace"}, {"avatarUrl", "u"}}},
              {"final", "hello world"},
              {"stable", ""},
              {"unstable", ""}}}};
  auto r = norm("transcriptionChunkReceived", p);
  CHECK(r.type == "transcription.chunk.received");
  CHECK(*r.participant_id == "spk");
  CHECK(record_payload(r)["messageID"] == "msg-1");
  CHECK(record_payload(r)["participantName"] == "Grace");
  CHECK(record_payload(r)["final"] == "hello world");
  CHECK_FALSE(record_payload(r).contains("avatarUrl"));
}

TEST_CASE("payloads are JSON-safe and size-capped") {
  // 600 x "é" (2 bytes each): cut at 512 bytes without splitting a character.
  std::string accents;
  for (int i = 0; i < 600; ++i) accents += "\xc3\xa9";
  auto r = norm("participantJoined", {{"id", "p"}, {"displayName", accents}});
  CHECK(record_payload(r)["displayName"].get<std::string>().size() == 512);
  CHECK(truncate_utf8("a\xc3\xa9", 2) == "a");
  // Chat text gets the larger text cap.
  auto msg = norm("incomingMessage", {{"from", "p"}, {"message", std::string(5000, 'x')}, {"nick", "n"}});
  CHECK(record_payload(msg)["message"].get<std::string>().size() == kMaxTextBytes);
  // Values the JS layer marked as unserializable are dropped, deep nesting cut.
  Json deep = Json::object();
  Json* cur = &deep;
  for (int i = 0; i < 10; ++i) cur = &((*cur)["d"] = Json::object());
  auto any = norm("proxyConnectionEvent", {{"big", {{"$jsType", "bigint"}}}, {"deep", deep}, {"ok", 1}});
  CHECK_FALSE(record_payload(any).contains("big"));
  CHECK(record_payload(any)["ok"] == 1);
  CHECK(record_payload(any).dump().find("\"d\":{\"d\":{\"d\":{\"d\"") == std::string::npos);
  // Over kMaxPayloadBytes: scalars only, flagged.
  Json wide = Json::object();
  for (int i = 0; i < 40; ++i) wide["k" + std::to_string(i)] = Json::array({std::string(400, 'y'), std::string(400, 'z')});
  wide["note"] = "kept";
  auto big = norm("deviceListChanged", wide);
  CHECK(record_payload(big)["truncated"] == true);
  CHECK(record_payload(big).dump().size() <= kMaxPayloadBytes);
  // Non-object payloads count as {}.
  CHECK(record_payload(norm("participantLeft", Json::array({1, 2}))) == Json::object());
  CHECK(record_payload(norm("participantLeft", "text")) == Json::object());
}

TEST_CASE("normalize_text, which moves the kept values out of the payload it parsed, gives normalize()'s records") {
  std::string accents;
  for (int i = 0; i < 600; ++i) accents += "\xc3\xa9";
  Json deep = Json::object();
  Json* cur = &deep;
  for (int i = 0; i < 10; ++i) cur = &((*cur)["d"] = Json::object());
  Json wide = Json::object();
  for (int i = 0; i < 40; ++i) wide["k" + std::to_string(i)] = Json::array({std::string(400, 'y'), std::string(400, 'z')});
  const std::pair<std::string, Json> cases[] = {
      {"participantJoined", {{"id", "p1"}, {"displayName", accents}, {"formattedDisplayName", "F"}}},
      {"incomingMessage", {{"from", "p"}, {"message", std::string(5000, 'x')}, {"nick", "n"}, {"privateMessage", false}}},
      {"transcriptionChunkReceived",
       {{"data", {{"messageID", "m1"}, {"participant", {{"id", "p2"}, {"name", "Grace"}}}, {"final", "done"}, {"stable", ""}}}}},
      {"errorOccurred", {{"error", {{"name", "E"}, {"message", accents}, {"isFatal", true}}}, {"details", {{"a", Json::array({1, 2})}}}}},
      {"proxyConnectionEvent", {{"big", {{"$jsType", "bigint"}}}, {"deep", deep}, {"ok", 1}, {std::string(80, 'k'), accents}}},
      {"deviceListChanged", wide},
      {"endpointTextMessageReceived", {{"data", {{"senderInfo", {{"id", "p3"}, {"displayName", "D"}}}, {"eventData", {{"x", {{"$jsType", "function"}}}}}}}}},
      {"someFutureEvent", {{"free", accents}, {"n", 1.5}, {"list", Json::array({"a", {{"$jsType", "symbol"}}, nullptr})}}},
      {"participantLeft", Json::array({1, 2})},
  };
  for (const auto& c : cases) {
    const std::string& name = c.first;
    const Json& payload = c.second;
    CAPTURE(name);
    UuidV7Generator ids_a, ids_b;
    testing::CountingRandom ra, rb;
    const EventContext ctx{"meeting-1", "local1"};
    const EventRecord a = normalize(name, payload, ctx, at(1000), ids_a, ra);
    const EventRecord b = normalize_text(name, payload.dump(), ctx, at(1000), ids_b, rb);
    CHECK(to_json_text(a) == to_json_text(b));
    CHECK(record_payload(a) == record_payload(b));
    CHECK(a.payload_text == b.payload_text);
    CHECK(a.message_id == b.message_id);
    CHECK(a.final_text == b.final_text);
  }
}

TEST_CASE("normalize errors name the field") {
  CHECK(code_of([] { norm("no such event", Json::object()); }) == "INVALID_EVENT_NAME@name");
  CHECK(code_of([] { norm("participantLeft", Json::object(), {"", std::nullopt}); }) == "MISSING_FIELD@ctx.meetingId");
  CHECK(code_of([] { norm("participantLeft", Json::object(), {std::string(300, 'm'), std::nullopt}); }) ==
        "INVALID_INPUT@ctx.meetingId");
}

TEST_CASE("names outside the catalogue are captured with a generic mapping, not refused") {
  // An event Jitsi adds later, or an app's own: type derived from the name under `x.`, the whole
  // payload kept with the catalogue's caps, the participant from the context.
  auto r = norm("someFutureEvent", {{"a", 1}, {"nested", {{"b", "x"}}}, {"big", {{"$jsType", "bigint"}}}});
  CHECK(r.type == "x.some.future.event");
  REQUIRE(r.participant_id);
  CHECK(*r.participant_id == "local1");
  CHECK(r.payload == Json{{"a", 1}, {"nested", {{"b", "x"}}}});
  CHECK(uuid_v7_millis(r.event_id) == to_epoch_ms(at(1000)));
  CHECK(norm("someFutureEvent", Json::array({1})).payload == Json::object());
  // The derivation: words split at separators (. _ -) and case changes, lowercased, joined by dots.
  const std::pair<const char*, const char*> derived[] = {
      {"someFutureEvent", "x.some.future.event"}, {"HTTPRequestSent", "x.http.request.sent"},
      {"p2pThing", "x.p2p.thing"},               {"my_app-event.v2", "x.my.app.event.v2"},
      {"A", "x.a"},                              {"xRay", "x.x.ray"},
      {"x.already.derived", "x.already.derived"},  // a derived type maps to itself
      {"chatV2Opened", "x.chat.v2.opened"},       {"a1B2", "x.a1.b2"},
  };
  // (pair members, not structured bindings: clang 14, the WASM and fuzz compiler, cannot capture those)
  for (const auto& d : derived) CHECK_MESSAGE(norm(d.first, Json::object()).type == d.second, d.first);
  for (const auto& d : derived) CHECK_MESSAGE(norm(d.second, Json::object()).type == d.second, d.second);
  // Never a catalogue type: catalogue names still map as before.
  CHECK(norm("participantJoined", {{"id", "p"}}).type == "participant.joined");
  CHECK(norm("participant.joined", {{"id", "p"}}).type == "participant.joined");
  for (const auto& s : jitsi_event_catalogue()) CHECK(s.type.substr(0, 2) != "x.");
  // The same caps as catalogue events.
  std::string accents;
  for (int i = 0; i < 600; ++i) accents += "\xc3\xa9";
  auto capped = norm("appNote", {{"text", accents}, {"list", Json::array({1, 2, 3})}});
  CHECK(capped.payload["text"].get<std::string>().size() == kMaxStringBytes);
  Json wide = Json::object();
  for (int i = 0; i < 40; ++i) wide["k" + std::to_string(i)] = Json::array({std::string(400, 'y'), std::string(400, 'z')});
  auto big = norm("appSnapshot", wide);
  CHECK(big.payload["truncated"] == true);
  CHECK(big.payload.dump().size() <= kMaxPayloadBytes);
  // Names are still validated: a typed error naming the field.
  for (std::string bad : {std::string(""), std::string("9lives"), std::string("has space"), std::string("a..b"),
                          std::string("trailing."), std::string("-lead"), std::string("caf\xc3\xa9"),
                          std::string(65, 'a'), std::string("semi;colon"), std::string("new\nline"),
                          std::string("x."), std::string("x")})
    CHECK_MESSAGE(code_of([&] { norm(bad, Json::object()); }) == (bad == "x" ? "no error" : "INVALID_EVENT_NAME@name"),
                  bad);
  CHECK(code_of([] { norm(std::string(64, 'a'), Json::object()); }) == "no error");
}

TEST_CASE("compact_json writes exactly nlohmann's dump(-1, ' ', false, replace)") {
  // compact_json writes the common kinds itself (json_text.h); every kind, and every escape, must match dump().
  const Json cases[] = {
      Json::object(),
      Json::array(),
      Json::parse(R"({"b":1,"a":[true,false,null,-7,18446744073709551615,0],"c":{"d":"x","e":[]}})"),
      Json::parse(R"({"quote":"a\"b","back":"a\\b","ctl":"\u0001\b\f\n\r\t\u001f","del":"\u007f","utf8":"Zoë 🎉 日本"})"),
      Json::parse(R"({"f":1.5,"g":-0.0,"h":1e300,"i":0.1,"j":123456789.125,"k":-9223372036854775808})"),
      Json::parse(R"({"ké":"v","":"empty key","a\"b":1})"),
      Json(std::string("bad \xC3 utf-8 \xFF")),  // replaced by U+FFFD, as dump(replace) does
      Json::object({{"bad\xE2\x82", "key"}}),
      Json("plain"),
      Json(42),
      Json(nullptr),
  };
  for (const Json& v : cases) {
    const std::string expected = v.dump(-1, ' ', false, Json::error_handler_t::replace);
    CAPTURE(expected);
    CHECK(compact_json(v) == expected);
    CHECK(compact_json(v, 0) == expected);
  }
}

TEST_CASE("a catalogue row's kept payload is written as the text of the object its rules build (200 payloads a row)") {
  // normalize() writes a row's kept payload directly as text (normalize.cpp kept_text). The reference here builds
  // the object as the rules define it — kept[out] = sanitize(value at path) in catalogue order, missing values and
  // JS markers skipped — and serializes it; over kMaxPayloadBytes only the scalars are kept, flagged.
  const auto lookup = [](const Json& root, const std::vector<std::string>& path) -> const Json* {
    const Json* cur = &root;
    for (const auto& key : path) {
      if (!cur->is_object()) return nullptr;
      auto it = cur->find(key);
      if (it == cur->end()) return nullptr;
      cur = &*it;
    }
    return cur;
  };
  const auto marker = [](const Json& v) { return v.is_object() && v.size() == 1 && v.contains("$jsType"); };
  testing::XorShift rng{0x5eed};
  std::size_t rows = 0, oversize = 0;
  for (const auto& spec : jitsi_event_catalogue()) {
    const SpecRules& ps = spec_rules(spec);
    if (ps.whole_payload) continue;
    ++rows;
    for (int n = 0; n < 200; ++n) {
      const std::string text = testing::payload_for(spec, rng);
      CAPTURE(spec.jitsi);
      CAPTURE(text);
      const Json in = Json::parse(text);
      Json kept = Json::object();
      for (const auto& rule : ps.rules) {
        const Json* v = lookup(in, rule.path);
        if (v && !marker(*v)) kept[rule.out] = sanitize(*v, rule.max_string, 1);
      }
      UuidV7Generator ids;
      testing::CountingRandom random;
      const EventRecord r = normalize_text(spec.jitsi, text, EventContext{"m", "l"}, at(1000), ids, random);
      const std::string expected = kept.dump(-1, ' ', false, Json::error_handler_t::replace);
      if (expected.size() <= kMaxPayloadBytes) {
        CHECK(r.payload_text == expected);
      } else {
        ++oversize;
        CHECK(record_payload(r)["truncated"] == true);
      }
      if (r.type == "transcription.chunk.received") {
        const Json p = record_payload(r);
        const auto mid = p.find("messageID");
        CHECK(r.message_id == (mid != p.end() && mid->is_string() ? mid->get<std::string>() : std::string()));
        const auto fin = p.find("final");
        CHECK(r.final_text == (fin != p.end() && fin->is_string() && !fin->get_ref<const std::string&>().empty()));
      }
    }
  }
  CHECK(rows > 60);
  MESSAGE(rows << " rows, " << oversize << " payloads over the cap");

  // A row's kept payload over the cap: a transcription chunk with three texts at their 4096-byte cap.
  const std::string long_text(5000, 'w');
  const Json chunk = {{"data", {{"messageID", "m-1"}, {"final", long_text}, {"stable", long_text}, {"unstable", long_text},
                                {"language", "en"}, {"participant", {{"id", "p9"}, {"name", "Grace"}}}}}};
  UuidV7Generator ids;
  testing::CountingRandom random;
  const EventRecord r = normalize_text("transcriptionChunkReceived", chunk.dump(), EventContext{"m", "l"}, at(1000), ids, random);
  const Json expected = {{"messageID", "m-1"}, {"final", std::string(128, 'w')}, {"stable", std::string(128, 'w')},
                         {"unstable", std::string(128, 'w')}, {"language", "en"}, {"participantName", "Grace"},
                         {"truncated", true}};
  CHECK(record_payload(r) == expected);
  CHECK(r.payload_text == expected.dump());
  CHECK(r.message_id == "m-1");
  CHECK(r.final_text);
}
