#include <doctest/doctest.h>

#include "core/entities/session.h"
#include "core/sessions/confirm.h"
#include "core/sessions/status.h"
#include "test_support.h"

using namespace convene;
using namespace convene::entities;
using convene::testing::expect_error;

namespace {
const std::string kMentor = "0x1111111111111111111111111111111111111111";
const std::string kLearner = "0x2222222222222222222222222222222222222222";
const std::string kStranger = "0x3333333333333333333333333333333333333333";

using convene::testing::signed_by;

/// A session the learner requested (signed by the learner), as `parse` returns it.
Json session(std::string status = "pending") {
  return signed_by(Json{{"key", "0xs"}, {"mentorWallet", kMentor}, {"learnerWallet", kLearner}, {"skill", "go"},
                        {"sessionDate", "2026-01-20T18:00:00Z"}, {"duration", 60}, {"status", status}},
                   kLearner);
}
/// A confirmation / rejection naming `wallet`, signed by `wallet` itself.
Json by(const char* field, const std::string& wallet, const char* key = "0xs", const char* at = "2026-01-19T00:00:00Z") {
  return signed_by(Json{{"sessionKey", key}, {field, wallet}, {"createdAt", at}}, wallet);
}
sessions::Status compute(const Json& s, const Json& confirmations, const Json& rejections, const char* now) {
  Json in = {{"session", s}, {"confirmations", confirmations}, {"rejections", rejections}};
  return sessions::compute_status(sessions::read_session_evidence(Input(in, "")), parse_iso8601(now, "now"));
}
std::string status_at(const Json& s, const Json& confirmations, const Json& rejections, const char* now) {
  return std::string(sessions::to_string(compute(s, confirmations, rejections, now).state));
}
}  // namespace

TEST_CASE("status table: confirmations, time boundaries") {
  Json both = Json::array({by("confirmedBy", kMentor), by("confirmedBy", kLearner)});
  Json one = Json::array({by("confirmedBy", kMentor)});
  Json none = Json::array();
  // unconfirmed: pending before sessionDate, expired from sessionDate on
  CHECK(status_at(session(), none, none, "2026-01-20T17:59:59.999Z") == "pending");
  CHECK(status_at(session(), one, none, "2026-01-20T17:59:59.999Z") == "pending");
  CHECK(status_at(session(), one, none, "2026-01-20T18:00:00Z") == "expired");
  // confirmed: scheduled / in-progress [start, end) / completed
  CHECK(status_at(session(), both, none, "2026-01-20T17:59:59.999Z") == "scheduled");
  CHECK(status_at(session(), both, none, "2026-01-20T18:00:00Z") == "in-progress");
  CHECK(status_at(session(), both, none, "2026-01-20T18:59:59.999Z") == "in-progress");
  CHECK(status_at(session(), both, none, "2026-01-20T19:00:00Z") == "completed");
}

TEST_CASE("status table: rejection wins, even after confirmation; non-participants and other sessions ignored") {
  Json both = Json::array({by("confirmedBy", kMentor), by("confirmedBy", kLearner)});
  Json rej = Json::array({by("rejectedBy", kLearner)});
  auto st = compute(session(), both, rej, "2026-01-20T18:30:00Z");
  CHECK(st.state == sessions::State::Cancelled);
  CHECK(st.reason == "declined");
  CHECK(st.by->str() == kLearner);
  CHECK(status_at(session(), both, Json::array({by("rejectedBy", kStranger)}), "2026-01-20T17:00:00Z") == "scheduled");
  CHECK(status_at(session(), both, Json::array({by("rejectedBy", kLearner, "0xother")}), "2026-01-20T17:00:00Z") == "scheduled");
  // A stranger's confirmation does not stand in for the learner's.
  CHECK(status_at(session(), Json::array({by("confirmedBy", kMentor), by("confirmedBy", kStranger)}), Json::array(),
                  "2026-01-20T17:00:00Z") == "pending");
  // Duplicate confirmations by one wallet are one confirmation.
  CHECK(status_at(session(), Json::array({by("confirmedBy", kMentor), by("confirmedBy", kMentor)}), Json::array(),
                  "2026-01-20T17:00:00Z") == "pending");
  // Checksummed (mixed-case) wallets compare case-insensitively.
  Json s = signed_by(session(), "0xabcdef0123456789abcdef0123456789abcdef01");
  s["learnerWallet"] = "0xabcdef0123456789abcdef0123456789abcdef01";
  Json mixed = Json::array({by("confirmedBy", kMentor), by("confirmedBy", "0xAbCdEf0123456789aBcDeF0123456789AbCdEf01")});
  CHECK(status_at(s, mixed, Json::array(), "2026-01-20T17:00:00Z") == "scheduled");
}

TEST_CASE("status table: stored cancelled/completed honoured; RSVPs need only the attendee") {
  CHECK(status_at(session("cancelled"), Json::array(), Json::array(), "2026-01-20T10:00:00Z") == "cancelled");
  CHECK(status_at(session("completed"), Json::array(), Json::array(), "2026-01-20T10:00:00Z") == "completed");
  Json rsvp = session();
  rsvp["skill"] = "virtual_gathering_rsvp";
  rsvp["gatheringKey"] = "0xg";
  CHECK(status_at(rsvp, Json::array({by("confirmedBy", kLearner)}), Json::array(), "2026-01-20T10:00:00Z") == "scheduled");
  CHECK(status_at(rsvp, Json::array({by("confirmedBy", kMentor)}), Json::array(), "2026-01-20T10:00:00Z") == "pending");
  // p2pmentor's later variant: mentor == learner == attendee, stored 'scheduled'.
  Json later = session("scheduled");
  later["mentorWallet"] = kLearner;
  CHECK(status_at(later, Json::array(), Json::array(), "2026-01-20T10:00:00Z") == "scheduled");
  CHECK(status_at(later, Json::array(), Json::array(), "2026-01-20T18:10:00Z") == "in-progress");
}

TEST_CASE("confirmation plan: no-op on a repeat, session_jitsi exactly on the completing confirmation") {
  BuildContext ctx;
  ctx.now = parse_iso8601("2026-01-20T10:00:00Z", "");
  Json in = {{"session", session()}, {"by", kMentor}, {"confirmations", Json::array()}};
  auto first = sessions::plan_confirmation(Input(in, "input"), ctx);
  CHECK(first.confirmation.has_value());
  CHECK_FALSE(first.jitsi.has_value());
  in["confirmations"] = Json::array({by("confirmedBy", kMentor)});
  auto repeat = sessions::plan_confirmation(Input(in, "input"), ctx);
  CHECK(repeat.already_confirmed);
  CHECK_FALSE(repeat.confirmation.has_value());
  CHECK_FALSE(repeat.jitsi.has_value());
  in["by"] = kLearner;
  auto second = sessions::plan_confirmation(Input(in, "input"), ctx);
  CHECK(second.confirmation.has_value());
  REQUIRE(second.jitsi.has_value());
  CHECK(second.jitsi->find("type") == "session_jitsi");
  in["jitsi"] = Json::array({signed_by(Json{{"sessionKey", "0xs"}, {"videoRoomName", "mg-0xs-1"}, {"videoJoinUrl", "https://meet.jit.si/mg-0xs-1"}}, kMentor)});
  CHECK_FALSE(sessions::plan_confirmation(Input(in, "input"), ctx).jitsi.has_value());
  in["by"] = kStranger;
  expect_error([&] { sessions::plan_confirmation(Input(in, "input"), ctx); }, "NOT_PARTICIPANT", "input.by");
}
