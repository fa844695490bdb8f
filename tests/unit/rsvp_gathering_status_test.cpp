// An RSVP's status follows its gathering as read (issue 12, defect 5): a gathering can be marked
// cancelled (same key, so its RSVPs stay attached; no room or join link), and
// `sessions::compute_status` with the RSVP's gathering takes the gathering's time and cancellation.
#include <doctest/doctest.h>

#include "core/catalogue.h"
#include "core/entities/gathering.h"
#include "core/sessions/confirm.h"
#include "core/sessions/status.h"
#include "test_support.h"

using namespace convene;
using convene::testing::attrs_of;
using convene::testing::ctx_at;
using convene::testing::expect_error;

namespace {
const char* kOrganizer = "0x1111111111111111111111111111111111111111";
const char* kAttendee = "0x2222222222222222222222222222222222222222";
const char* kStranger = "0x3333333333333333333333333333333333333333";

convene::testing::CountingRandom& rnd() {
  static convene::testing::CountingRandom r;
  return r;
}
entities::EntityDraft gathering(const char* date, Json extra = Json::object()) {
  Json in = {{"organizerWallet", kOrganizer}, {"community", "Rust"}, {"title", "Rust night"}, {"sessionDate", date}, {"duration", 90}};
  in.update(extra);
  return catalogue::build_entity("virtual_gathering", in, ctx_at("2026-03-01T00:00:00Z", &rnd()));
}
}  // namespace

TEST_CASE("virtual_gathering: status 'cancelled' keeps the gathering without room, join link or token") {
  Json live = gathering("2026-03-02T18:00:00Z").to_json();
  CHECK_FALSE(attrs_of(live).contains("status"));
  CHECK(attrs_of(live).contains("videoJoinUrl"));
  Json cancelled = gathering("2026-03-02T18:00:00Z", {{"status", "cancelled"}, {"videoRoomName", "gathering-0123456789abcdef0123456789abcdef"}}).to_json();
  Json a = attrs_of(cancelled);
  CHECK(a["status"] == "cancelled");
  CHECK_FALSE(a.contains("videoJoinUrl"));
  CHECK_FALSE(a.contains("videoRoomName"));
  Json p = Json::parse(cancelled["payload"].get<std::string>());
  CHECK(p["status"] == "cancelled");
  CHECK_FALSE(p.contains("videoJoinUrl"));
  CHECK(catalogue::parse_entity(convene::testing::stored(gathering("2026-03-02T18:00:00Z"), "0xg", kOrganizer))["status"] == "scheduled");
  expect_error([] { gathering("2026-03-02T18:00:00Z", {{"status", "postponed"}}); }, "INVALID_INPUT", "input.status");
}

TEST_CASE("sessions.status with the RSVP's gathering: its time and its cancellation decide") {
  Json g = convene::testing::stored(gathering("2026-03-02T18:00:00Z"), "0xg", kOrganizer);
  Json rsvp = convene::testing::stored(
      catalogue::build_entity("gathering_rsvp", {{"gathering", g}, {"attendeeWallet", kAttendee}}, ctx_at("2026-03-01T00:00:00Z", &rnd())), "0xr",
      kAttendee);
  Json conf_in = {{"session", rsvp}, {"by", kAttendee}};
  Json conf = convene::testing::stored(*sessions::plan_confirmation(Input(conf_in, ""), ctx_at("2026-03-01T00:00:00Z", &rnd())).confirmation,
                                       "0xc", kAttendee);
  auto status = [&](const Json& as_read, const char* now) {
    Json in = {{"session", rsvp}, {"confirmations", Json::array({conf})}, {"gathering", as_read}};
    return sessions::compute_status(sessions::read_session_evidence(Input(in, "")), parse_iso8601(now, ""));
  };
  CHECK(status(g, "2026-03-01T00:00:00Z").state == sessions::State::Scheduled);
  CHECK(status(g, "2026-03-02T18:30:00Z").state == sessions::State::InProgress);

  // Moved a day later: not in progress at the old time; in progress at the new one.
  Json moved = convene::testing::updated(gathering("2026-03-03T18:00:00Z"), g);
  auto s = status(moved, "2026-03-02T18:30:00Z");
  CHECK(s.state == sessions::State::Scheduled);
  CHECK(format_iso8601(s.starts_at) == "2026-03-03T18:00:00.000Z");
  CHECK(format_iso8601(s.ends_at) == "2026-03-03T19:30:00.000Z");
  CHECK(format_iso8601(s.expires_at) == "2026-03-02T20:30:00.000Z");  // the RSVP entity's own expiry
  CHECK(status(moved, "2026-03-03T18:30:00Z").state == sessions::State::InProgress);

  // Cancelled: the RSVP reads cancelled, before and after the time.
  Json cancelled = convene::testing::updated(gathering("2026-03-02T18:00:00Z", {{"status", "cancelled"}}), g);
  auto c = status(cancelled, "2026-03-01T00:00:00Z");
  CHECK(c.state == sessions::State::Cancelled);
  CHECK(c.reason == std::optional<std::string>("gathering-cancelled"));
  CHECK(status(cancelled, "2026-03-05T00:00:00Z").state == sessions::State::Cancelled);

  // Only the RSVP's own gathering, and only as its organizer signed it.
  expect_error([&] { status(convene::testing::stored(gathering("2026-03-02T18:00:00Z"), "0xother", kOrganizer), "2026-03-01T00:00:00Z"); },
               "INVALID_INPUT", "gathering");
  expect_error([&] { status(convene::testing::stored(gathering("2026-03-02T18:00:00Z"), "0xg", kStranger), "2026-03-01T00:00:00Z"); },
               "UNVERIFIED_ENTITY", "gathering");
  // Without it, the RSVP's own copy decides, as before.
  Json in = {{"session", rsvp}, {"confirmations", Json::array({conf})}};
  CHECK(sessions::compute_status(sessions::read_session_evidence(Input(in, "")), parse_iso8601("2026-03-02T18:30:00Z", "")).state ==
        sessions::State::InProgress);
}
