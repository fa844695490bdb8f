#include <doctest/doctest.h>

#include "core/entities/catalogue.h"
#include "core/entities/expiry.h"
#include "core/entities/gathering.h"
#include "core/entities/slug.h"
#include "core/entities/wallet.h"
#include "test_support.h"

using namespace convene;
using namespace convene::entities;
using convene::testing::attrs_of;
using convene::testing::ctx_at;
using convene::testing::expect_error;

namespace {
const char* kMentor = "0x1111111111111111111111111111111111111111";
const char* kLearnerMixed = "0xAbCdEf0123456789aBcDeF0123456789AbCdEf01";
const char* kLearner = "0xabcdef0123456789abcdef0123456789abcdef01";

Json session_input() {
  return Json{{"mentorWallet", kMentor}, {"learnerWallet", kLearnerMixed}, {"skill", "Spanish"},
              {"sessionDate", "2026-01-20T18:00:00Z"}};
}

}  // namespace

TEST_CASE("skill slugs follow p2pmentor") {
  CHECK(skill_slug("C++ Programming") == "c-programming");
  CHECK(skill_slug("Node.js") == "nodejs");
  CHECK(skill_slug("  Machine   Learning -- Basics ") == "machine-learning-basics");
  CHECK(skill_slug("---") == "");
  CHECK(skill_slug("Español B2") == "espaol-b2");
}

TEST_CASE("wallets are validated and lowercased") {
  CHECK(normalize_wallet(kLearnerMixed, "w") == kLearner);
  CHECK(same_wallet(kLearnerMixed, kLearner));
  expect_error([] { normalize_wallet("0x123", "input.mentorWallet"); }, "INVALID_WALLET", "input.mentorWallet");
  expect_error([] { normalize_wallet("", "input.mentorWallet"); }, "MISSING_FIELD", "input.mentorWallet");
  expect_error([] { normalize_wallet("0xZZ11111111111111111111111111111111111111", "x"); }, "INVALID_WALLET", "x");
}

TEST_CASE("session: attribute/payload split, lowercase wallets, defaults and the expiry of docs/domain.md#expiry") {
  auto now = "2026-01-20T12:00:00Z";
  Json d = build_entity("session", session_input(), ctx_at(now)).to_json();
  Json a = attrs_of(d);
  CHECK(a["type"] == "session");
  CHECK(a["learnerWallet"] == kLearner);
  CHECK(a["status"] == "pending");
  CHECK(a["spaceId"] == "local-dev");
  CHECK(a["createdAt"] == "2026-01-20T12:00:00.000Z");
  CHECK(a["sessionDate"] == "2026-01-20T18:00:00.000Z");
  CHECK_FALSE(a.contains("requiresPayment"));
  Json p = Json::parse(d["payload"].get<std::string>());
  CHECK(p["duration"] == 60);
  CHECK(p["requiresPayment"] == false);
  CHECK(p["notes"] == "");
  // 6 h until start + 60 min + 1 h buffer = 8 h
  CHECK(d["expiresIn"] == 8 * 3600);
  CHECK(d["contentType"] == "application/json");
}

TEST_CASE("session: paid sessions carry requiresPayment/paymentAddress/cost as attributes and payload") {
  Json in = session_input();
  in["requiresPayment"] = true;
  expect_error([&] { build_entity("session", in, ctx_at("2026-01-20T12:00:00Z")); }, "MISSING_FIELD", "input.paymentAddress");
  in["paymentAddress"] = kMentor;
  in["cost"] = "0.01";
  Json d = build_entity("session", in, ctx_at("2026-01-20T12:00:00Z")).to_json();
  CHECK(attrs_of(d)["requiresPayment"] == "true");
  CHECK(attrs_of(d)["cost"] == "0.01");
  CHECK(Json::parse(d["payload"].get<std::string>())["requiresPayment"] == true);
}

TEST_CASE("session: bad input names the field") {
  auto now = ctx_at("2026-01-20T12:00:00Z");
  auto with = [](const char* k, Json v) {
    Json in = session_input();
    in[k] = std::move(v);
    return in;
  };
  expect_error([&] { build_entity("session", with("mentorWallet", "0x12"), now); }, "INVALID_WALLET", "input.mentorWallet");
  expect_error([&] { build_entity("session", with("mentorWallet", 12), now); }, "INVALID_TYPE", "input.mentorWallet");
  expect_error([&] { build_entity("session", with("skill", nullptr), now); }, "MISSING_FIELD", "input.skill");
  expect_error([&] { build_entity("session", with("sessionDate", "next tuesday"), now); }, "INVALID_DATE", "input.sessionDate");
  expect_error([&] { build_entity("session", with("duration", 0), now); }, "INVALID_DURATION", "input.duration");
  expect_error([&] { build_entity("session", with("duration", -5), now); }, "INVALID_DURATION", "input.duration");
  expect_error([&] { build_entity("session", with("duration", 1.5), now); }, "INVALID_DURATION", "input.duration");
  expect_error([&] { build_entity("session", with("learnerWallet", kMentor), now); }, "SAME_PARTICIPANT", "input.learnerWallet");
  expect_error([&] { build_entity("session", with("skill", "say \"hi\""), now); }, "INVALID_ATTRIBUTE_VALUE", "input.skill");
  expect_error([&] { build_entity("session", with("notes", std::string(140 * 1024, 'x')), now); }, "PAYLOAD_TOO_LARGE", "input");
  Json bigint = {{"$jsType", "bigint"}};
  expect_error([&] { build_entity("session", with("duration", bigint), now); }, "INVALID_TYPE", "input.duration");
  expect_error([&] { build_entity("nope", session_input(), now); }, "UNKNOWN_ENTITY_TYPE", "type");
}

TEST_CASE("session: a window that has ended is refused; expiresIn floors to whole seconds") {
  // Window [18:00, 19:00): at 19:00 it is over.
  expect_error([] { build_entity("session", session_input(), ctx_at("2026-01-20T19:00:00Z")); }, "SESSION_ENDED",
               "input.sessionDate");
  // In progress (an RSVP may join a running gathering): still stored, expiry counts to end + 1 h.
  Json rsvp = session_input();
  rsvp["skill"] = "virtual_gathering_rsvp";
  rsvp["gatheringKey"] = "0xg";
  Json d = build_entity("session", rsvp, ctx_at("2026-01-20T18:59:59.500Z")).to_json();
  CHECK(d["expiresIn"] == 3600);
  // floor((20:00:00.000 - 18:59:59.999) / 1 s) = 3600
  CHECK(session_expires_in(parse_iso8601("2026-01-20T18:00:00Z", ""), 60, parse_iso8601("2026-01-20T18:59:59.999Z", "")) == 3600);
}

TEST_CASE("expiry math: blocks and back") {
  CHECK(expires_in_blocks(1) == 1);
  CHECK(expires_in_blocks(2) == 1);
  CHECK(expires_in_blocks(3) == 2);
  CHECK(expires_in_blocks(kGatheringTtlSeconds) == 15'768'000);
  auto now = parse_iso8601("2026-01-01T00:00:00Z", "");
  CHECK(format_iso8601(expires_at_from_block(1100, 1000, now)) == "2026-01-01T00:03:20.000Z");
}

TEST_CASE("companions: participants only, shared attributes, session expiry") {
  Json session = session_input();
  session["key"] = "0xsession";
  auto now = ctx_at("2026-01-20T12:00:00Z");
  Json conf = build_entity("session_confirmation", {{"session", session}, {"confirmedBy", kLearnerMixed}}, now).to_json();
  Json a = attrs_of(conf);
  CHECK(a["type"] == "session_confirmation");
  CHECK(a["sessionKey"] == "0xsession");
  CHECK(a["confirmedBy"] == kLearner);
  CHECK(a["mentorWallet"] == kMentor);
  CHECK(conf["expiresIn"] == 8 * 3600);
  expect_error([&] { build_entity("session_confirmation", {{"session", session}, {"confirmedBy", "0x2222222222222222222222222222222222222222"}}, now); },
               "NOT_PARTICIPANT", "input.confirmedBy");
  Json noKey = session_input();
  expect_error([&] { build_entity("session_rejection", {{"session", noKey}, {"rejectedBy", kMentor}}, now); }, "MISSING_FIELD",
               "input.sessionKey");

  Json rej = build_entity("session_rejection", {{"session", session}, {"rejectedBy", kMentor}, {"reason", "busy"}}, now).to_json();
  CHECK(Json::parse(rej["payload"].get<std::string>())["reason"] == "busy");

  Json jitsi = build_entity("session_jitsi", {{"session", session}}, now).to_json();
  Json jp = Json::parse(jitsi["payload"].get<std::string>());
  CHECK(jp["videoProvider"] == "jitsi");
  CHECK(jp["videoRoomName"].get<std::string>().rfind("mg-0xsession-", 0) == 0);
  CHECK(jp["videoJoinUrl"] == "https://meet.jit.si/" + jp["videoRoomName"].get<std::string>());

  std::string tx = "0x" + std::string(64, 'A');
  Json sub = build_entity("session_payment_submission", {{"session", session}, {"paymentTxHash", tx}, {"submittedBy", kLearner}}, now).to_json();
  CHECK(attrs_of(sub)["paymentTxHash"] == "0x" + std::string(64, 'a'));
  expect_error([&] { build_entity("session_payment_submission", {{"session", session}, {"paymentTxHash", tx}, {"submittedBy", kMentor}}, now); },
               "NOT_PARTICIPANT", "input.submittedBy");
  Json val = build_entity("session_payment_validation",
                          {{"session", session}, {"paymentTxHash", tx}, {"validatedBy", kMentor}, {"validated", true}}, now).to_json();
  CHECK(attrs_of(val)["validated"] == "true");
  expect_error([&] { build_entity("session_txhash", {{"session", session}, {"txHash", "0x12"}}, now); }, "INVALID_TX_HASH", "input.txHash");
}

TEST_CASE("virtual gathering: room exists at creation, 1-year TTL, community slug") {
  convene::testing::CountingRandom r;
  auto now = ctx_at("2026-01-10T00:00:00Z", &r);
  Json in = {{"organizerWallet", kLearnerMixed}, {"community", "Spanish Conversation"}, {"title", "Práctica"},
             {"sessionDate", "2026-01-20T18:00:00+01:00"}, {"duration", 90}};
  Json d = build_entity("virtual_gathering", in, now).to_json();
  Json a = attrs_of(d);
  CHECK(d["expiresIn"] == 31536000);
  CHECK(a["organizerWallet"] == kLearner);
  CHECK(a["community"] == "spanish-conversation");
  CHECK(a["duration"] == 90);
  CHECK(a["sessionDate"] == "2026-01-20T17:00:00.000Z");
  CHECK(a["videoRoomName"] == "gathering-000102030405060708090a0b0c0d0e0f");
  CHECK(a["videoJoinUrl"] == "https://meet.jit.si/gathering-000102030405060708090a0b0c0d0e0f");
  Json p = Json::parse(d["payload"].get<std::string>());
  CHECK(p["description"] == "");
  in["videoJwtToken"] = "not-a-jwt";
  expect_error([&] { build_entity("virtual_gathering", in, now); }, "INVALID_JWT", "input.videoJwtToken");
}

TEST_CASE("gathering RSVP is a session (docs/domain.md#gathering-rsvps); a second RSVP by the same attendee is refused") {
  auto now = ctx_at("2026-01-10T00:00:00Z");
  Json gathering = {{"key", "0xg1"}, {"organizerWallet", kMentor}, {"community", "spanish"}, {"title", "Hola"},
                    {"sessionDate", "2026-01-20T18:00:00Z"}, {"duration", 90}};
  Json d = build_entity("gathering_rsvp", {{"gathering", gathering}, {"attendeeWallet", kLearnerMixed}}, now).to_json();
  Json a = attrs_of(d);
  CHECK(a["type"] == "session");
  CHECK(a["skill"] == "virtual_gathering_rsvp");
  CHECK(a["skill_id"] == "0xg1");
  CHECK(a["gatheringKey"] == "0xg1");
  CHECK(a["mentorWallet"] == kMentor);
  CHECK(a["learnerWallet"] == kLearner);
  Json p = Json::parse(d["payload"].get<std::string>());
  CHECK(p["duration"] == 90);
  CHECK(p["gatheringTitle"] == "Hola");

  Json existing = Json::array({convene::testing::signed_by({{"attributes", d["attributes"]}, {"payload", d["payload"]}, {"key", "0xr1"}}, kLearner)});
  expect_error([&] { build_entity("gathering_rsvp", {{"gathering", gathering}, {"attendeeWallet", kLearner}, {"existingRsvps", existing}}, now); },
               "ALREADY_RSVPED", "input.attendeeWallet");
  // Distinct attendees, not raw entities.
  Json twice = Json::array({existing[0], existing[0]});
  CHECK(rsvp_count(&twice, "0xg1") == 1);
  CHECK(rsvp_count(&twice, "0xother") == 0);
}

TEST_CASE("parse tolerates attribute objects, payload text/object, checksummed wallets") {
  Json raw = {{"key", "0xk"},
              {"owner", "0xAbCdEf0123456789aBcDeF0123456789AbCdEf01"},
              {"attributes", {{"type", "session"}, {"mentorWallet", kLearnerMixed}, {"learnerWallet", kMentor},
                              {"sessionDate", "2026-01-20T18:00:00Z"}, {"status", "pending"}}},
              {"payload", R"({"duration":45,"requiresPayment":"false","notes":"hi"})"}};
  Json s = parse_entity(raw);
  CHECK(s["key"] == "0xk");
  CHECK(s["owner"] == kLearner);
  CHECK(s["mentorWallet"] == kLearner);
  CHECK(s["duration"] == 45);
  CHECK(s["requiresPayment"] == false);
  CHECK(s["sessionDate"] == "2026-01-20T18:00:00.000Z");
  raw["payload"] = Json{{"duration", 30}};
  raw["attributes"] = Json::array({{{"key", "type"}, {"value", "session"}}, {{"key", "mentorWallet"}, {"value", kMentor}},
                                   {{"key", "learnerWallet"}, {"value", kLearner}}, {{"key", "sessionDate"}, {"value", "2026-01-20T18:00:00Z"}}});
  CHECK(parse_entity(raw)["duration"] == 30);
  raw["payload"] = "{not json";
  expect_error([&] { parse_entity(raw); }, "MALFORMED_ENTITY", "entity.payload");
  expect_error([&] { parse_entity(Json{{"attributes", Json::array()}}); }, "MISSING_FIELD", "entity.type");
}

TEST_CASE("upcoming gatherings: future only, soonest first, by community; bad entities skipped") {
  auto g = [](const char* key, const char* date, const char* community) {
    return convene::testing::signed_by(Json{{"key", key}, {"type", "virtual_gathering"}, {"organizerWallet", kMentor},
                                            {"community", community}, {"title", key}, {"sessionDate", date}},
                                       kMentor);
  };
  Json list = Json::array({g("late", "2026-03-01T00:00:00Z", "spanish"), g("past", "2025-12-01T00:00:00Z", "spanish"),
                           g("soon", "2026-02-01T00:00:00Z", "spanish"), g("other", "2026-02-15T00:00:00Z", "go"),
                           Json{{"key", "broken"}, {"type", "virtual_gathering"}}});
  Json out = upcoming_gatherings(&list, nullptr, "", parse_iso8601("2026-01-01T00:00:00Z", ""));
  REQUIRE(out["gatherings"].size() == 3);
  CHECK(out["gatherings"][0]["key"] == "soon");
  CHECK(out["gatherings"][1]["key"] == "other");
  CHECK(out["gatherings"][2]["key"] == "late");
  CHECK(out["skipped"] == 1);
  CHECK(upcoming_gatherings(&list, nullptr, "spanish", parse_iso8601("2026-01-01T00:00:00Z", ""))["gatherings"].size() == 2);
}

TEST_CASE("attribute keys follow Arkiv's grammar (ASCII subset)") {
  EntityDraft d;
  expect_error([&] { d.attr("9lives", "x"); }, "INVALID_ATTRIBUTE_KEY", "attributes.9lives");
  expect_error([&] { d.attr("has-dash", "x"); }, "INVALID_ATTRIBUTE_KEY", "attributes.has-dash");
  d.attr("_ok_1", "x");
  expect_error([&] { d.attr_number("n", (std::uint64_t{1} << 53)); }, "INVALID_ATTRIBUTE_VALUE", "input.n");
}

TEST_CASE("a session request must start in the future; an RSVP may join a running gathering") {
  Json in = {{"mentorWallet", kMentor}, {"learnerWallet", kLearner}, {"skill", "Go"}, {"sessionDate", "2026-01-20T18:00:00Z"}, {"duration", 60}};
  expect_error([&] { build_entity("session", in, convene::testing::ctx_at("2026-01-20T18:10:00Z")); }, "STARTS_IN_PAST", "input.sessionDate");
  expect_error([&] { build_entity("session", in, convene::testing::ctx_at("2026-01-20T19:10:00Z")); }, "SESSION_ENDED", "input.sessionDate");
  CHECK_NOTHROW(build_entity("session", in, convene::testing::ctx_at("2026-01-20T17:59:00Z")));
  in["skill"] = "virtual_gathering_rsvp";
  in["gatheringKey"] = "0xg";
  CHECK_NOTHROW(build_entity("session", in, convene::testing::ctx_at("2026-01-20T18:10:00Z")));
}
