// Community names as typed, kept with the slug (core/entities/community.h).
#include <doctest/doctest.h>

#include "core/catalogue.h"
#include "core/entities/catalogue.h"
#include "core/series/occurrences.h"
#include "core/series/plan.h"
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
CountingRandom& rnd() {
  static CountingRandom r;
  return r;
}
}  // namespace

TEST_CASE("community: the slug in attributes, the name as typed in the payload and in parse") {
  Json in = {{"organizerWallet", kOrganizer}, {"title", "Meetup"}, {"community", "  Rust Berlin (C++ friends) "}, {"sessionDate", "2026-03-01T18:00:00Z"}};
  EntityDraft d = catalogue::build_entity("virtual_gathering", in, ctx_at("2026-02-01T00:00:00Z", &rnd()));
  CHECK(attrs_of(d.to_json())["community"] == "rust-berlin-c-friends");
  CHECK(d.payload["communityName"] == "Rust Berlin (C++ friends)");
  Json parsed = catalogue::parse_entity(stored(d, "0xc1", kOrganizer));
  CHECK(parsed["community"] == "rust-berlin-c-friends");
  CHECK(parsed["communityName"] == "Rust Berlin (C++ friends)");

  // Written before names were kept: the slug only, the name empty.
  Json old = stored(d, "0xc2", kOrganizer);
  Json payload = Json::parse(old["payload"].get<std::string>());
  payload.erase("communityName");
  old["payload"] = payload.dump();
  CHECK(catalogue::parse_entity(old)["communityName"] == "");

  // Too long a name, or no letters at all.
  in["community"] = std::string(101, 'x');
  expect_error([&] { catalogue::build_entity("virtual_gathering", in, ctx_at("2026-02-01T00:00:00Z", &rnd())); }, "INVALID_INPUT", "input.community");
  in["community"] = "++";
  expect_error([&] { catalogue::build_entity("virtual_gathering", in, ctx_at("2026-02-01T00:00:00Z", &rnd())); }, "INVALID_INPUT", "input.community");
}

TEST_CASE("community: a series keeps its name and hands it to every occurrence it materializes") {
  Json in = {{"organizerWallet", kOrganizer}, {"community", "Berlin Rust"}, {"title", "Rust night"}, {"duration", 90},
             {"recurrence", "DTSTART;TZID=Europe/Berlin:20260302T190000\nRRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=4"}};
  EntityDraft sd = catalogue::build_entity("event_series", in, ctx_at("2026-02-20T00:00:00Z"));
  CHECK(sd.payload["communityName"] == "Berlin Rust");
  Json series = stored(sd, "0xs1", kOrganizer);
  CHECK(catalogue::parse_entity(series)["communityName"] == "Berlin Rust");
  Json args = {{"series", series}};
  auto st = series::read_series_state(Input(args, ""));
  auto plan = series::plan_materialization(st, std::chrono::hours{24 * 30}, ctx_at("2026-03-01T00:00:00Z", &rnd()));
  REQUIRE(plan.create.size() == 4);
  for (const auto& g : plan.create) {
    CHECK(g.payload["communityName"] == "Berlin Rust");
    CHECK(*g.find("community") == "berlin-rust");
  }
}
