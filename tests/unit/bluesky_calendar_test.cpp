// ATProto calendar records (core/bluesky/calendar.h): built and read against the lexicons in lexicons/,
// deterministic record keys, RSVP counts (docs/bluesky.md).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <string>

#include "core/bluesky/calendar.h"
#include "core/error.h"
#include "test_support.h"

using namespace convene;
using namespace convene::bluesky;

namespace {

UtcTime at(const char* iso) { return parse_iso8601(iso, "t"); }

CalendarEvent sample() {
  CalendarEvent e;
  e.name = "Rust study group";
  e.description = "Weekly, on Jitsi";
  e.created_at = at("2026-11-30T10:00:00Z");
  e.starts_at = at("2026-12-03T18:00:00Z");
  e.ends_at = at("2026-12-03T19:00:00Z");
  e.locations.push_back({"https://meet.jit.si/mg-abc", "Jitsi"});
  e.uris.push_back({"https://convene.example/#/series/0xabc", "The whole series"});
  return e;
}

std::string code_of(const Error& e) { return std::string(e.code()); }

}  // namespace

TEST_CASE("bluesky: a gathering becomes a community.lexicon.calendar.event record and reads back the same") {
  const Json r = event_record(sample());
  CHECK(r["$type"] == "community.lexicon.calendar.event");
  CHECK(r["createdAt"] == "2026-11-30T10:00:00.000Z");
  CHECK(r["startsAt"] == "2026-12-03T18:00:00.000Z");
  CHECK(r["mode"] == "community.lexicon.calendar.event#virtual");
  CHECK(r["status"] == "community.lexicon.calendar.event#scheduled");
  CHECK(r["locations"][0]["$type"] == "community.lexicon.calendar.event#uri");
  CHECK(r["uris"][0].find("$type") == r["uris"][0].end());
  const CalendarEvent back = parse_event_record(r, "record");
  CHECK(back.name == "Rust study group");
  CHECK(back.starts_at == sample().starts_at);
  CHECK(back.ends_at == sample().ends_at);
  CHECK(back.mode == EventMode::Virtual);
  CHECK(back.locations.size() == 1);
  CHECK(back.uris[0].name == "The whole series");
  CHECK(event_record(back) == r);
}

TEST_CASE("bluesky: moved and cancelled occurrences carry their state as the lexicon's status tokens") {
  CalendarEvent e = sample();
  e.status = EventStatus::Rescheduled;
  CHECK(event_record(e)["status"] == "community.lexicon.calendar.event#rescheduled");
  e.status = EventStatus::Cancelled;
  e.locations.clear();  // a cancelled meeting has no join link
  const Json r = event_record(e);
  CHECK(r["status"] == "community.lexicon.calendar.event#cancelled");
  CHECK(r.find("locations") == r.end());
  CHECK(parse_event_record(r, "record").status == EventStatus::Cancelled);
}

TEST_CASE("bluesky: invalid event records are refused with the field named, in both directions") {
  CalendarEvent e = sample();
  e.name.clear();
  CHECK_THROWS_WITH_AS(event_record(e), doctest::Contains("event.name"), Error);
  e = sample();
  e.ends_at = e.starts_at;
  try {
    event_record(e);
    FAIL("an end not after the start was accepted");
  } catch (const Error& err) {
    CHECK(code_of(err) == "INVALID_DATE");
    CHECK(err.field() == "event.endsAt");
  }
  e = sample();
  e.locations[0].uri = "meet.jit.si/no-scheme";
  try {
    event_record(e);
    FAIL("a relative URI was accepted");
  } catch (const Error& err) {
    CHECK(code_of(err) == "INVALID_URL");
    CHECK(err.field() == "event.locations.0.uri");
  }

  const Json good = event_record(sample());
  struct Case {
    const char* what;
    Json record;
    const char* field;
  };
  Json no_name = good;
  no_name.erase("name");
  Json no_created = good;
  no_created.erase("createdAt");
  Json bare_date = good;
  bare_date["startsAt"] = "2026-12-03";
  Json no_offset = good;
  no_offset["startsAt"] = "2026-12-03T18:00:00";
  Json bad_uri = good;
  bad_uri["uris"][0]["uri"] = "not a uri";
  Json number_name = good;
  number_name["name"] = 7;
  for (const Case& c : {Case{"no name", no_name, "r.name"}, Case{"no createdAt", no_created, "r.createdAt"},
                        Case{"bare date", bare_date, "r.startsAt"}, Case{"no offset", no_offset, "r.startsAt"},
                        Case{"bad uri", bad_uri, "r.uris.0.uri"}, Case{"number name", number_name, "r.name"}}) {
    CAPTURE(c.what);
    try {
      parse_event_record(c.record, "r");
      FAIL("accepted");
    } catch (const Error& err) {
      CHECK(err.field() == c.field);
    }
  }
  CHECK_THROWS_AS(parse_event_record(Json::array(), "r"), Error);
}

TEST_CASE("bluesky: records written by other apps read with the lexicon's defaults; foreign locations are skipped") {
  Json r = Json::parse(R"({"$type":"community.lexicon.calendar.event","name":"Meetup","createdAt":"2026-01-01T00:00:00+01:00",
    "status":"community.lexicon.calendar.event#somethingNew","locations":[{"$type":"community.lexicon.location.address","country":"DE"},
    {"$type":"community.lexicon.calendar.event#uri","uri":"https://example.org/room"}]})");
  const CalendarEvent e = parse_event_record(r, "r");
  CHECK(e.status == EventStatus::Scheduled);
  CHECK(e.mode == EventMode::InPerson);
  CHECK(e.created_at == at("2025-12-31T23:00:00Z"));
  REQUIRE(e.locations.size() == 1);
  CHECK(e.locations[0].uri == "https://example.org/room");
}

TEST_CASE("bluesky: record keys are TIDs fixed by (series, RECURRENCE-ID) or gathering, ordered by time") {
  const UtcTime rid = at("2026-12-03T18:00:00Z");
  const std::string k = occurrence_rkey("0xseries", rid);
  CHECK(is_tid(k));
  CHECK(k == occurrence_rkey("0xseries", rid));                        // a retry, another device
  CHECK(k != occurrence_rkey("0xother", rid));                         // another series, same instant
  CHECK(k != occurrence_rkey("0xseries", at("2026-12-10T18:00:00Z")));  // another occurrence
  CHECK(k != gathering_rkey("0xseries", rid));                          // another scope
  CHECK(tid_micros(k) / 1'000'000 == to_epoch_ms(rid) / 1000);         // the time part is the occurrence's second
  CHECK(occurrence_rkey("0xseries", rid) < occurrence_rkey("0xseries", at("2026-12-10T18:00:00Z")));
  // Distinct for many occurrences of many series at the same instant.
  std::set<std::string> keys;
  for (int s = 0; s < 300; ++s) keys.insert(occurrence_rkey("0xseries" + std::to_string(s), rid));
  CHECK(keys.size() == 300);
  // The TID syntax: 13 base32-sortable characters, the first of the lower half.
  CHECK(is_tid("3jzfcijpj2z2a"));  // an example TID from the ATProto specification
  CHECK_FALSE(is_tid("3jzfcijpj2z2"));
  CHECK_FALSE(is_tid("zjzfcijpj2z2a"));
  CHECK_FALSE(is_tid("3jzfcijpj2z2A"));
  CHECK(deterministic_tid("s", "i", at("1970-01-01T00:00:00Z")).size() == 13);
  const std::int64_t year2023 = tid_micros("3jzfcijpj2z2a") / 1'000'000;
  CHECK(year2023 > to_epoch_ms(at("2022-01-01T00:00:00Z")) / 1000);
  CHECK(year2023 < to_epoch_ms(at("2024-01-01T00:00:00Z")) / 1000);
}

TEST_CASE("bluesky: RSVPs count once per DID, the newest (by TID) wins; other subjects and bad records are not counted") {
  const std::string event = "at://did:plc:org/community.lexicon.calendar.event/3lbcdefghijk2";
  const auto rsvp = [&](const char* status, const std::string& subject = "") {
    Json j = {{"$type", "community.lexicon.calendar.rsvp"},
              {"subject", {{"uri", subject.empty() ? event : subject}, {"cid", "bafyreib2rxk3rybk3aobmv5cjuql3bm2twh4jo5uxgf5eze3x2eswdtc7u"}}}};
    if (status) j["status"] = std::string("community.lexicon.calendar.rsvp#") + status;
    return j;
  };
  const UtcTime t0 = at("2026-12-01T10:00:00Z");
  const UtcTime t1 = at("2026-12-01T11:00:00Z");
  std::vector<Rsvp> all;
  all.push_back(parse_rsvp_record(rsvp("going"), "did:plc:a", deterministic_tid("x", "a0", t0), "r"));
  all.push_back(parse_rsvp_record(rsvp("notgoing"), "did:plc:a", deterministic_tid("x", "a1", t1), "r"));  // newer: a is not going
  all.push_back(parse_rsvp_record(rsvp(nullptr), "did:plc:b", deterministic_tid("x", "b0", t0), "r"));      // absent = going
  all.push_back(parse_rsvp_record(rsvp("interested"), "did:plc:c", deterministic_tid("x", "c0", t0), "r"));
  all.push_back(parse_rsvp_record(rsvp("going", "at://did:plc:org/community.lexicon.calendar.event/other"), "did:plc:d",
                                  deterministic_tid("x", "d0", t0), "r"));
  RsvpCounts c = count_rsvps(all, event);
  CHECK(c.going == 1);
  CHECK(c.interested == 1);
  CHECK(c.not_going == 1);
  std::reverse(all.begin(), all.end());  // order does not matter
  c = count_rsvps(all, event);
  CHECK(c.going == 1);
  CHECK(c.not_going == 1);

  CHECK_THROWS_AS(parse_rsvp_record(rsvp("maybe"), "did:plc:a", deterministic_tid("x", "a", t0), "r"), Error);
  CHECK_THROWS_AS(parse_rsvp_record(rsvp("going", "https://not-an-at-uri"), "did:plc:a", deterministic_tid("x", "a", t0), "r"), Error);
  CHECK_THROWS_AS(parse_rsvp_record(rsvp("going"), "did:plc:a", "not-a-tid", "r"), Error);
  Json no_subject = rsvp("going");
  no_subject.erase("subject");
  try {
    parse_rsvp_record(no_subject, "did:plc:a", deterministic_tid("x", "a", t0), "r");
    FAIL("accepted");
  } catch (const Error& err) {
    CHECK(err.field() == "r.subject");
  }
}

namespace {

Json read_lexicon(const char* rel) {
  const std::string path = std::string(CONVENE_SOURCE_DIR) + "/lexicons/" + rel;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  REQUIRE_MESSAGE(f != nullptr, path);
  std::string text;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
  std::fclose(f);
  return Json::parse(text);
}

// The subset of lexicon validation these two schemas need: every member declared, required members
// present, strings where strings are declared, known tokens, nested `#uri` objects.
void check_against(const Json& lexicon, const Json& def, const Json& value, const std::string& at) {
  CAPTURE(at);
  REQUIRE(value.is_object());
  for (const auto& req : def.value("required", Json::array())) CHECK_MESSAGE(value.contains(req.get<std::string>()), req);
  const Json& props = def["properties"];
  for (auto member = value.begin(); member != value.end(); ++member) {
    const std::string k = member.key();  // (no structured binding: clang 14 cannot capture one in doctest's lambdas)
    const Json& v = member.value();
    if (k == "$type") continue;
    REQUIRE_MESSAGE(props.contains(k), "undeclared member " << k);
    const Json& p = props[k];
    const std::string type = p["type"];
    if (type == "string") {
      CHECK(v.is_string());
      if (p.value("format", "") == "datetime") CHECK_NOTHROW(parse_iso8601(v.get<std::string>(), k));
    } else if (type == "boolean") {
      CHECK(v.is_boolean());
    } else if (type == "ref") {
      const std::string ref = p["ref"];
      const Json& target = lexicon["defs"][ref.substr(ref.find('#') + 1)];
      if (target["type"] == "string") {
        const auto& known = target["knownValues"];
        CHECK_MESSAGE(std::find(known.begin(), known.end(), v) != known.end(), v.dump());
      } else {
        check_against(lexicon, target, v, at + "." + k);
      }
    } else if (type == "array") {
      REQUIRE(v.is_array());
      for (const auto& item : v) {
        const Json& items = p["items"];
        std::string ref = items["type"] == "union" ? item.at("$type").get<std::string>() : items["ref"].get<std::string>();
        if (items["type"] == "union") {
          const auto& refs = items["refs"];
          CHECK(std::find(refs.begin(), refs.end(), ref) != refs.end());
        }
        REQUIRE(ref.rfind("community.lexicon.calendar.event#", 0) == 0);  // the only kind Convene writes
        check_against(lexicon, lexicon["defs"][ref.substr(ref.find('#') + 1)], item, at + "." + k);
      }
    } else {
      FAIL("a lexicon type this check does not know: " << type);
    }
  }
}

}  // namespace

TEST_CASE("bluesky: every event record the core writes passes the lexicon kept in lexicons/") {
  const Json lexicon = read_lexicon("community/lexicon/calendar/event.json");
  REQUIRE(lexicon["id"] == "community.lexicon.calendar.event");
  CalendarEvent e = sample();
  for (EventStatus s : {EventStatus::Planned, EventStatus::Scheduled, EventStatus::Rescheduled, EventStatus::Cancelled,
                        EventStatus::Postponed}) {
    for (EventMode m : {EventMode::Virtual, EventMode::InPerson, EventMode::Hybrid}) {
      e.status = s;
      e.mode = m;
      check_against(lexicon, lexicon["defs"]["main"]["record"], event_record(e), "event");
    }
  }
  const Json rsvp_lexicon = read_lexicon("community/lexicon/calendar/rsvp.json");
  const auto& known = rsvp_lexicon["defs"]["main"]["record"]["properties"]["status"]["knownValues"];
  for (RsvpStatus s : {RsvpStatus::Interested, RsvpStatus::Going, RsvpStatus::NotGoing})
    CHECK(std::find(known.begin(), known.end(), rsvp_token(s)) != known.end());
}
