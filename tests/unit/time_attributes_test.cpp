// Numeric time attributes (core/entities/time_attributes.h): written by the builders, checked by the readers.
#include <doctest/doctest.h>

#include "core/entities/catalogue.h"
#include "core/entities/gathering.h"
#include "core/entities/record.h"
#include "core/entities/session.h"
#include "core/entities/time_attributes.h"
#include "core/sessions/status.h"
#include "test_support.h"

using namespace convene;
using namespace convene::entities;
using convene::testing::attrs_of;
using convene::testing::CountingRandom;
using convene::testing::ctx_at;
using convene::testing::expect_error;
using convene::testing::stored;

namespace {

const std::string kOrganizer = "0x1111111111111111111111111111111111111111";
const std::string kLearner = "0x2222222222222222222222222222222222222222";

EntityDraft gathering_draft(const char* date = "2026-03-01T18:30:00Z", int minutes = 90) {
  static CountingRandom r;
  Json in = {{"organizerWallet", kOrganizer}, {"title", "Rust hour"}, {"community", "Rust"}, {"sessionDate", date}, {"duration", minutes}};
  return build_entity("virtual_gathering", in, ctx_at("2026-02-01T00:00:00Z", &r));
}

/// `e` (as stored) with attribute `key` set to `value` (added when absent).
Json with_attribute(Json e, const std::string& key, const Json& value) {
  for (auto& a : e["attributes"])
    if (a["key"] == key) {
      a["value"] = value;
      return e;
    }
  e["attributes"].push_back({{"key", key}, {"value", value}});
  return e;
}

Json without_attribute(Json e, const std::string& key) {
  Json kept = Json::array();
  for (const auto& a : e["attributes"])
    if (a["key"] != key) kept.push_back(a);
  e["attributes"] = kept;
  return e;
}

}  // namespace

TEST_CASE("time attributes: gatherings and sessions carry start and end as Unix seconds") {
  // 2026-03-01T18:30:00Z = 1772389800; + 90 minutes = 1772395200.
  Json g = attrs_of(gathering_draft().to_json());
  CHECK(g["startsAtSec"] == 1772389800u);
  CHECK(g["endsAtSec"] == 1772395200u);
  CHECK(g["startsAtSec"].is_number_unsigned());

  Json in = {{"mentorWallet", kOrganizer}, {"learnerWallet", kLearner}, {"skill", "Go"}, {"sessionDate", "2026-03-02T09:00:00.750Z"},
             {"duration", 30}};
  Json s = attrs_of(build_entity("session", in, ctx_at("2026-02-01T00:00:00Z")).to_json());
  CHECK(s["startsAtSec"] == 1772442000u);  // milliseconds are floored
  CHECK(s["endsAtSec"] == 1772443800u);

  CHECK(attribute_seconds(parse_iso8601("1969-12-31T23:59:59Z", "t")) == 0u);
}

TEST_CASE("time attributes: a reader refuses values that disagree with sessionDate and duration") {
  const Json good = stored(gathering_draft(), "0xg1", kOrganizer);
  CHECK(verify_gathering(decode_entity(good, "g"), "g")->date == parse_iso8601("2026-03-01T18:30:00Z", ""));

  // A start an hour later (it would list the gathering in the wrong place, or hide it) or a string value.
  for (const auto& change : std::vector<std::pair<std::string, Json>>{
           {"startsAtSec", 1772389800u + 3600}, {"endsAtSec", 1772395200u - 60}, {"startsAtSec", "1772389800"},
           {"endsAtSec", -1}, {"startsAtSec", 1772389800.5}}) {
    const std::string key = change.first;  // no structured bindings: clang 14 cannot capture them in lambdas
    const Json value = change.second;
    INFO(key << " = " << value.dump());
    const Json bad = with_attribute(good, key, value);
    expect_error([&] { verify_gathering(decode_entity(bad, "g"), "g"); }, "CONFLICTING_FIELDS", "g." + key);
    // A list reader counts it as conflicting and goes on.
    Json list = Json::array({bad, stored(gathering_draft("2026-03-05T10:00:00Z"), "0xg2", kOrganizer)});
    Json out = list_gatherings(&list, nullptr, "", std::nullopt, 10, parse_iso8601("2026-02-01T00:00:00Z", ""));
    CHECK(out["gatherings"].size() == 1);
    CHECK(out["ignored"]["conflicting"] == 1);
  }

  // Entities written before the rule (no time attributes) are read as before.
  const Json old = without_attribute(without_attribute(good, "startsAtSec"), "endsAtSec");
  CHECK(verify_gathering(decode_entity(old, "g"), "g")->duration_minutes == 90);
}

TEST_CASE("time attributes: sessions and RSVPs are checked too") {
  Json in = {{"mentorWallet", kOrganizer}, {"learnerWallet", kLearner}, {"skill", "Go"}, {"sessionDate", "2026-03-02T09:00:00Z"},
             {"duration", 30}};
  const Json good = stored(build_entity("session", in, ctx_at("2026-02-01T00:00:00Z")), "0xs1", kLearner);
  CHECK(verify_session(decode_entity(good, "s"), "s")->duration_minutes == 30);
  const Json bad = with_attribute(good, "endsAtSec", 1772442000u);  // "ends when it starts"
  expect_error([&] { verify_session(decode_entity(bad, "s"), "s"); }, "CONFLICTING_FIELDS", "s.endsAtSec");
}

TEST_CASE("time query: each window's comparisons, the bounds that let the node start at the window, and the order") {
  const UtcTime now = parse_iso8601("2026-03-01T18:30:00.900Z", "");  // 1772389800 s
  const std::uint64_t t = 1772389800, week = 7 * 24 * 3600;
  auto as_text = [](const TimeQuery& q) {
    std::string s;
    for (const auto& b : q.where) s += std::string(b.attribute) + std::string(b.op) + std::to_string(b.value) + " ";
    return s + "by " + std::string(q.order_by) + (q.descending ? " desc" : " asc");
  };
  CHECK(as_text(time_query(TimeWindow::NotEnded, now)) ==
        "endsAtSec>" + std::to_string(t) + " startsAtSec>=" + std::to_string(t - week) + " by startsAtSec asc");
  CHECK(as_text(time_query(TimeWindow::Happening, now)) == "startsAtSec<=" + std::to_string(t) + " startsAtSec>=" + std::to_string(t - week) +
                                                              " endsAtSec>" + std::to_string(t) + " endsAtSec<=" + std::to_string(t + week) +
                                                              " by endsAtSec asc");
  CHECK(as_text(time_query(TimeWindow::Past, now)) == "endsAtSec<=" + std::to_string(t) + " startsAtSec<=" + std::to_string(t) + " by startsAtSec desc");
  CHECK(as_text(time_query(TimeWindow::EndsLater, now)) == "endsAtSec>" + std::to_string(t) + " by endsAtSec asc");
  CHECK(parse_time_window("endsLater", "when") == TimeWindow::EndsLater);
  // The implied bounds never exclude a meeting the window holds: the longest one, started a week ago, still on.
  Json in = {{"organizerWallet", kOrganizer}, {"title", "Long"}, {"community", "c"}, {"sessionDate", "2026-02-22T18:31:00Z"}, {"duration", 7 * 24 * 60}};
  CountingRandom r;
  Json a = attrs_of(build_entity("virtual_gathering", in, ctx_at("2026-02-20T00:00:00Z", &r)).to_json());
  for (const auto& b : time_query(TimeWindow::Happening, now).where) {
    const std::uint64_t v = a[std::string(b.attribute)].get<std::uint64_t>();
    const bool ok = b.op == ">" ? v > b.value : b.op == ">=" ? v >= b.value : b.op == "<" ? v < b.value : v <= b.value;
    CHECK_MESSAGE(ok, b.attribute << b.op << b.value << " fails for " << v);
  }
  expect_error([] { parse_time_window("soon", "when"); }, "INVALID_INPUT", "when");
  CHECK(time_query(TimeWindow::NotEnded, parse_iso8601("1970-01-02T00:00:00Z", "")).where[1].value == 0u);  // no underflow
}
