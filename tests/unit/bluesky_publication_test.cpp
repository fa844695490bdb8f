// Publishing a series to Bluesky one occurrence at a time (core/bluesky/publication.h,
// docs/bluesky.md#publishing-state): the current occurrence is created, a published one that changed is
// updated (its createdAt kept), ended ones stay, a publication is the organizer's own evidence.
#include <doctest/doctest.h>

#include "core/bluesky/publication.h"
#include "core/catalogue.h"
#include "core/entities/record.h"
#include "core/series/occurrences.h"
#include "test_support.h"

using namespace convene;
using namespace convene::bluesky;
using convene::testing::ctx_at;
using convene::testing::expect_error;

namespace {
const char* kOrganizer = "0x1111111111111111111111111111111111111111";
const char* kOther = "0x2222222222222222222222222222222222222222";
const char* kDid = "did:plc:organizer";
const char* kPage = "https://convene.example/#/series/0xseries";
// Mondays 19:00 in Berlin, 8 times from 2 March 2026 (CET, then CEST from 29 March).
const char* kWeekly = "DTSTART;TZID=Europe/Berlin:20260302T190000\nRRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=8";

UtcTime at(const char* iso) { return parse_iso8601(iso, "t"); }

struct Fixture {
  convene::testing::CountingRandom r;
  Json series;
  Json exceptions = Json::array();
  Json publications = Json::array();
  int n = 0;

  Fixture() {
    Json in = {{"organizerWallet", kOrganizer}, {"community", "Berlin Rust"}, {"title", "Rust night"}, {"duration", 90}, {"recurrence", kWeekly}};
    series = convene::testing::stored(catalogue::build_entity("event_series", in, ctx_at("2026-02-20T00:00:00Z", &r)), "0xseries", kOrganizer);
  }
  series::SeriesState state() const {
    Json in = {{"series", series}, {"exceptions", exceptions}, {"gatherings", Json::array()}};
    return series::read_series_state(Input(in, ""));
  }
  void except(Json input) {
    input["series"] = series;
    exceptions.push_back(convene::testing::stored(catalogue::build_entity("event_series_exception", input, ctx_at("2026-02-21T00:00:00Z", &r)),
                                                  "0xx" + std::to_string(++n), kOrganizer));
  }
  std::vector<entities::Verified<PublishedRecord>> published() const {
    std::vector<entities::Verified<PublishedRecord>> out;
    for (std::size_t i = 0; i < publications.size(); ++i)
      out.push_back(verify_publication(entities::decode_entity(publications[i], "p"), "p"));
    return out;
  }
  PublicationPlan plan(const char* now) const { return plan_series_publication(state(), published(), at(now), kPage); }
  /// What the steward does after a put: records the publication (a new entity each time here; newest wins).
  void record(const PublishAction& a, const char* cid, const char* signer = kOrganizer) {
    Json in = {{"organizerWallet", kOrganizer}, {"did", kDid}, {"uri", std::string("at://") + kDid + "/community.lexicon.calendar.event/" + a.rkey},
               {"cid", cid}, {"record", a.record}, {"seriesKey", "0xseries"}, {"recurrenceId", format_iso8601(a.occurrence.recurrence_id)}};
    publications.push_back(convene::testing::stored(catalogue::build_entity("bluesky_publication", in, ctx_at("2026-03-01T00:00:00Z", &r)),
                                                    "0xp" + std::to_string(++n), signer));
  }
};
}  // namespace

TEST_CASE("one occurrence at a time: the next one once the previous has ended; nothing to do when nothing changed") {
  Fixture f;
  auto p = f.plan("2026-02-25T12:00:00Z");
  REQUIRE(p.actions.size() == 1);
  const PublishAction& a = p.actions[0];
  CHECK(a.kind == PublishAction::Kind::Create);
  CHECK(format_iso8601(a.occurrence.recurrence_id) == "2026-03-02T18:00:00.000Z");
  CHECK(a.rkey == occurrence_rkey("0xseries", at("2026-03-02T18:00:00Z")));
  CHECK(a.record["status"] == "community.lexicon.calendar.event#scheduled");
  CHECK(a.record["startsAt"] == "2026-03-02T18:00:00.000Z");
  CHECK(a.record["endsAt"] == "2026-03-02T19:30:00.000Z");
  CHECK(a.record["uris"][0]["uri"] == kPage);
  CHECK(a.record["createdAt"] == "2026-02-25T12:00:00.000Z");
  CHECK(a.digest == record_digest(a.record));
  f.record(a, "bafy1");
  CHECK(f.plan("2026-02-26T12:00:00Z").actions.empty());
  CHECK(f.plan("2026-03-02T19:00:00Z").actions.empty());  // still running: nothing new
  auto next = f.plan("2026-03-02T19:30:00Z");               // it has ended: the next one
  REQUIRE(next.actions.size() == 1);
  CHECK(next.actions[0].kind == PublishAction::Kind::Create);
  CHECK(format_iso8601(next.actions[0].occurrence.recurrence_id) == "2026-03-09T18:00:00.000Z");
  CHECK(next.orphaned.empty());
}

TEST_CASE("a published occurrence moved, then cancelled: updated with its CID as swapRecord and its createdAt; the next one published") {
  Fixture f;
  auto first = f.plan("2026-03-03T00:00:00Z");
  REQUIRE(first.actions.size() == 1);
  CHECK(format_iso8601(first.actions[0].occurrence.recurrence_id) == "2026-03-09T18:00:00.000Z");
  f.record(first.actions[0], "bafyA");
  f.except({{"recurrenceId", "2026-03-09T18:00:00Z"}, {"kind", "modified"}, {"changes", {{"sessionDate", "2026-03-10T18:00:00Z"}}}});
  auto moved = f.plan("2026-03-04T00:00:00Z");
  REQUIRE(moved.actions.size() == 1);
  const PublishAction& u = moved.actions[0];
  CHECK(u.kind == PublishAction::Kind::Update);
  CHECK(u.rkey == first.actions[0].rkey);
  REQUIRE(u.previous);
  CHECK(u.previous->cid == "bafyA");
  CHECK(u.record["status"] == "community.lexicon.calendar.event#rescheduled");
  CHECK(u.record["startsAt"] == "2026-03-10T18:00:00.000Z");
  CHECK(u.record["createdAt"] == first.actions[0].record["createdAt"]);
  f.record(u, "bafyB");
  CHECK(f.plan("2026-03-04T00:00:00Z").actions.empty());
  f.except({{"recurrenceId", "2026-03-09T18:00:00Z"}, {"kind", "cancelled"}});
  auto cancelled = f.plan("2026-03-05T00:00:00Z");
  REQUIRE(cancelled.actions.size() == 2);
  CHECK(cancelled.actions[0].kind == PublishAction::Kind::Update);
  CHECK(cancelled.actions[0].record["status"] == "community.lexicon.calendar.event#cancelled");
  CHECK_FALSE(cancelled.actions[0].record.contains("locations"));
  CHECK(cancelled.actions[0].previous->cid == "bafyB");
  CHECK(cancelled.actions[1].kind == PublishAction::Kind::Create);  // the cancelled one is not current: 16 March is
  CHECK(format_iso8601(cancelled.actions[1].occurrence.recurrence_id) == "2026-03-16T18:00:00.000Z");
}

TEST_CASE("publications: the organizer's own evidence; other series passed over; ones the series no longer has reported") {
  Fixture f;
  auto a = f.plan("2026-04-14T00:00:00Z");  // 20 April is the last Monday
  REQUIRE(a.actions.size() == 1);
  CHECK(format_iso8601(a.actions[0].occurrence.recurrence_id) == "2026-04-20T17:00:00.000Z");  // CEST
  f.record(a.actions[0], "bafyZ");
  // Someone else writes a publication in the organizer's name: no evidence.
  f.record(a.actions[0], "bafyForged", kOther);
  CHECK_THROWS_WITH_AS(f.published(), doctest::Contains("signed by"), Error);
  f.publications.erase(f.publications.size() - 1);
  // A publication of an occurrence the series does not produce: reported, left alone.
  PublishAction ghost = a.actions[0];
  ghost.occurrence.recurrence_id = at("2026-04-27T17:00:00Z");
  ghost.rkey = occurrence_rkey("0xseries", ghost.occurrence.recurrence_id);
  f.record(ghost, "bafyG");
  auto p = f.plan("2026-04-21T00:00:00Z");
  CHECK(p.actions.empty());  // the series is over: nothing current
  REQUIRE(p.orphaned.size() == 1);
  CHECK(p.orphaned[0].cid == "bafyG");
}

TEST_CASE("bluesky_publication: the at-uri names the repo and a TID; a subject is required") {
  Fixture f;
  auto a = f.plan("2026-02-25T12:00:00Z").actions.at(0);
  Json in = {{"organizerWallet", kOrganizer}, {"did", kDid}, {"uri", "at://did:plc:someoneelse/community.lexicon.calendar.event/" + a.rkey},
             {"cid", "bafy"}, {"record", a.record}, {"seriesKey", "0xseries"}, {"recurrenceId", "2026-03-02T18:00:00Z"}};
  expect_error([&] { catalogue::build_entity("bluesky_publication", in, ctx_at("2026-03-01T00:00:00Z")); }, "INVALID_INPUT", "input.uri");
  in["uri"] = std::string("at://") + kDid + "/community.lexicon.calendar.event/not-a-tid";
  expect_error([&] { catalogue::build_entity("bluesky_publication", in, ctx_at("2026-03-01T00:00:00Z")); }, "INVALID_INPUT", "input.uri");
  in["uri"] = std::string("at://") + kDid + "/community.lexicon.calendar.event/" + a.rkey;
  in.erase("recurrenceId");
  expect_error([&] { catalogue::build_entity("bluesky_publication", in, ctx_at("2026-03-01T00:00:00Z")); }, "MISSING_FIELD", "input.recurrenceId");
  in.erase("seriesKey");
  expect_error([&] { catalogue::build_entity("bluesky_publication", in, ctx_at("2026-03-01T00:00:00Z")); }, "MISSING_FIELD", "input.gatheringKey");
  in["gatheringKey"] = "0xg";
  auto d = catalogue::build_entity("bluesky_publication", in, ctx_at("2026-03-01T00:00:00Z")).to_json();
  CHECK(d["payload"].get<std::string>().find("\"digest\":\"" + record_digest(a.record) + "\"") != std::string::npos);
}
