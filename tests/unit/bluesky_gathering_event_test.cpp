// A gathering as the calendar event Convene publishes (core/bluesky/gathering_event.h, docs/bluesky.md).
#include <doctest/doctest.h>

#include "core/bluesky/gathering_event.h"
#include "core/entities/catalogue.h"
#include "core/entities/record.h"
#include "test_support.h"

using namespace convene;
using namespace convene::entities;
using namespace convene::bluesky;
using convene::testing::CountingRandom;
using convene::testing::ctx_at;
using convene::testing::stored;

namespace {
const std::string kOrganizer = "0x1111111111111111111111111111111111111111";
const char* kNow = "2026-03-01T12:00:00Z";

Json input(const char* date) {
  return {{"organizerWallet", kOrganizer}, {"title", "Rust meetup"}, {"description", "Bring questions"},
          {"community", "Rust"}, {"sessionDate", date}, {"duration", 90}};
}

Gathering read(const Json& entity) { return *verify_gathering(decode_entity(entity, "gathering"), "gathering"); }
}  // namespace

TEST_CASE("bluesky: a gathering's event carries its title, times, join link and page; its key is fixed by the gathering") {
  CountingRandom r;
  const Json e = stored(build_entity("virtual_gathering", input("2026-03-05T18:00:00Z"), ctx_at(kNow, &r)), "0xg1", kOrganizer);
  const Gathering g = read(e);
  const UtcTime published = parse_iso8601("2026-03-02T09:00:00Z", "t");
  const CalendarEvent ev = gathering_event(g, "https://convene.example/#/gatherings/0xg1", published);
  CHECK(ev.name == "Rust meetup");
  CHECK(ev.description == "Bring questions");
  CHECK(format_iso8601(*ev.starts_at) == "2026-03-05T18:00:00.000Z");
  CHECK(format_iso8601(*ev.ends_at) == "2026-03-05T19:30:00.000Z");
  CHECK(ev.status == EventStatus::Scheduled);
  REQUIRE(ev.locations.size() == 1);
  CHECK(ev.locations[0].uri.rfind("https://meet.jit.si/", 0) == 0);
  CHECK(ev.uris[0].uri == "https://convene.example/#/gatherings/0xg1");
  CHECK(ev.created_at == published);
  CHECK(gathering_event_rkey(g) == gathering_rkey("0xg1", g.date));
  CHECK(is_tid(gathering_event_rkey(g)));
}

TEST_CASE("bluesky: a cancelled gathering is #cancelled without a join link; a moved occurrence is #rescheduled under its occurrence's key") {
  CountingRandom r;
  Json cancelled_in = input("2026-03-05T18:00:00Z");
  cancelled_in["status"] = "cancelled";
  const Gathering c = read(stored(build_entity("virtual_gathering", cancelled_in, ctx_at(kNow, &r)), "0xg2", kOrganizer));
  const CalendarEvent ce = gathering_event(c, "", parse_iso8601(kNow, "t"));
  CHECK(ce.status == EventStatus::Cancelled);
  CHECK(ce.locations.empty());
  CHECK(ce.uris.empty());

  Json moved_in = input("2026-03-06T18:00:00Z");  // the occurrence of 5 March, moved a day later
  moved_in["seriesKey"] = "0xseries";
  moved_in["recurrenceId"] = "2026-03-05T18:00:00Z";
  const Gathering m = read(stored(build_entity("virtual_gathering", moved_in, ctx_at(kNow, &r)), "0xg3", kOrganizer));
  CHECK(gathering_event(m, "https://convene.example/#/series/0xseries", parse_iso8601(kNow, "t")).status == EventStatus::Rescheduled);
  CHECK(gathering_event_rkey(m) == occurrence_rkey("0xseries", parse_iso8601("2026-03-05T18:00:00Z", "t")));

  Json in_place = moved_in;
  in_place["sessionDate"] = "2026-03-05T18:00:00Z";
  const Gathering p = read(stored(build_entity("virtual_gathering", in_place, ctx_at(kNow, &r)), "0xg4", kOrganizer));
  CHECK(gathering_event(p, "", parse_iso8601(kNow, "t")).status == EventStatus::Scheduled);
  CHECK(gathering_event_rkey(p) == gathering_event_rkey(m));  // the same occurrence, the same record

  CHECK_THROWS_WITH_AS(gathering_event(p, "not a url", parse_iso8601(kNow, "t")), doctest::Contains("event.uris.0.uri"), Error);
}
