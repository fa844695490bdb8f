// An attendee's RSVP and confirmation outlive their gathering when it moves later (core/sessions/extension.h).
#include <doctest/doctest.h>

#include "core/entities/catalogue.h"
#include "core/sessions/extension.h"
#include "test_support.h"

using namespace convene;
using namespace convene::entities;
using convene::testing::CountingRandom;
using convene::testing::ctx_at;
using convene::testing::expect_error;
using convene::testing::stored;
using convene::testing::updated;

namespace {
const std::string kOrganizer = "0x1111111111111111111111111111111111111111";
const std::string kAttendee = "0x2222222222222222222222222222222222222222";
const char* kNow = "2026-03-01T12:00:00Z";

Json gathering_input(const char* date) {
  return {{"organizerWallet", kOrganizer}, {"title", "Meetup"}, {"community", "Rust"}, {"sessionDate", date}, {"duration", 60}};
}

/// `e` with `expiresAtBlock` as the SDK reads it with metadata.
Json expiring(Json e, std::uint64_t block) {
  e["expiresAtBlock"] = block;
  return e;
}
}  // namespace

TEST_CASE("RSVP extension: a gathering moved three days later extends the attendee's RSVP and confirmation by three days") {
  CountingRandom r;
  const Json before = stored(build_entity("virtual_gathering", gathering_input("2026-03-05T18:00:00Z"), ctx_at(kNow, &r)), "0xg", kOrganizer);
  const Json rsvp_draft_in = {{"gathering", parse_entity(before)}, {"attendeeWallet", kAttendee}};
  const EntityDraft rsvp_draft = build_entity("gathering_rsvp", rsvp_draft_in, ctx_at(kNow));
  // The RSVP expires at 03-05 18:00 + 60 min + 1 h = 03-05 20:00, i.e. 4 days 8 h after now: block 1000 + 172,800 / 2.
  const std::uint64_t current = 1000, rsvp_expiry_block = current + (4 * 86400 + 8 * 3600) / 2;
  const Json rsvp = expiring(stored(rsvp_draft, "0xr", kAttendee), rsvp_expiry_block);
  Json confirmation = expiring(convene::testing::signed_by(Json{{"key", "0xc"}, {"attributes", Json::array({{{"key", "type"}, {"value", "session_confirmation"}}, {{"key", "sessionKey"}, {"value", "0xr"}}, {{"key", "confirmedBy"}, {"value", kAttendee}}})}, {"payload", Json{{"sessionKey", "0xr"}, {"confirmedBy", kAttendee}}.dump()}}, kAttendee), rsvp_expiry_block);
  // The organizer's own confirmation (a participant, but not the attendee): not the attendee's to extend.
  Json theirs = expiring(convene::testing::signed_by(Json{{"key", "0xo"}, {"attributes", Json::array({{{"key", "type"}, {"value", "session_confirmation"}}, {{"key", "sessionKey"}, {"value", "0xr"}}, {{"key", "confirmedBy"}, {"value", kOrganizer}}})}, {"payload", Json{{"sessionKey", "0xr"}, {"confirmedBy", kOrganizer}}.dump()}}, kOrganizer), rsvp_expiry_block);

  // Moved to 03-08 18:00: the RSVP must live until 03-08 20:00, three days more.
  Json moved_in = gathering_input("2026-03-08T18:00:00Z");
  moved_in["videoRoomName"] = parse_entity(before)["videoRoomName"];
  const Json moved = updated(build_entity("virtual_gathering", moved_in, ctx_at(kNow, &r)), before);
  Json in = {{"session", rsvp}, {"gathering", moved}, {"confirmations", Json::array({confirmation, theirs})}, {"currentBlock", current}};
  Json plan = sessions::plan_rsvp_extension(Input(in, ""), parse_iso8601(kNow, ""));
  REQUIRE(plan["extend"].size() == 2);
  CHECK(plan["extend"][0] == Json{{"entityKey", "0xr"}, {"expiresIn", 3 * 86400}});
  CHECK(plan["extend"][1] == Json{{"entityKey", "0xc"}, {"expiresIn", 3 * 86400}});
  CHECK(plan["unknown"] == 0);

  // Not moved, or moved earlier: nothing to extend. Cancelled: nothing either.
  in["gathering"] = before;
  CHECK(sessions::plan_rsvp_extension(Input(in, ""), parse_iso8601(kNow, ""))["extend"].empty());
  Json cancelled_in = gathering_input("2026-03-08T18:00:00Z");
  cancelled_in["status"] = "cancelled";
  in["gathering"] = updated(build_entity("virtual_gathering", cancelled_in, ctx_at(kNow, &r)), before);
  CHECK(sessions::plan_rsvp_extension(Input(in, ""), parse_iso8601(kNow, ""))["extend"].empty());

  // Read without expiresAtBlock: counted, not guessed.
  in["gathering"] = moved;
  Json bare = rsvp;
  bare.erase("expiresAtBlock");
  in["session"] = bare;
  in["confirmations"] = Json::array();
  Json unknown = sessions::plan_rsvp_extension(Input(in, ""), parse_iso8601(kNow, ""));
  CHECK(unknown["extend"].empty());
  CHECK(unknown["unknown"] == 1);

  // An RSVP signed by someone else than its attendee is no evidence; a malformed one is refused too.
  Json forged = rsvp;
  forged["creator"] = forged["owner"] = kOrganizer;
  in["session"] = forged;
  expect_error([&] { sessions::plan_rsvp_extension(Input(in, ""), parse_iso8601(kNow, "")); }, "UNVERIFIED_ENTITY", "session");
  in["session"] = Json{{"key", "0xr"}, {"attributes", "nope"}};
  CHECK_THROWS_AS(sessions::plan_rsvp_extension(Input(in, ""), parse_iso8601(kNow, "")), Error);

  // Another gathering than the RSVP's, or no current block: typed errors.
  in["session"] = rsvp;
  Json other = stored(build_entity("virtual_gathering", gathering_input("2026-03-09T18:00:00Z"), ctx_at(kNow, &r)), "0xother", kOrganizer);
  in["gathering"] = other;
  expect_error([&] { sessions::plan_rsvp_extension(Input(in, ""), parse_iso8601(kNow, "")); }, "INVALID_INPUT", "gathering");
  in["gathering"] = moved;
  in.erase("currentBlock");
  expect_error([&] { sessions::plan_rsvp_extension(Input(in, ""), parse_iso8601(kNow, "")); }, "MISSING_FIELD", "currentBlock");
}
