// Template changes are effective from their date (issue 12, defect 3): the series keeps dated
// template versions, so occurrences before the date keep the old title, description and duration
// in the listing and on their gatherings, however often the window is materialized afterwards.
#include <doctest/doctest.h>

#include "core/catalogue.h"
#include "core/series/occurrences.h"
#include "core/series/plan.h"
#include "test_support.h"

using namespace convene;
using namespace convene::series;
using convene::testing::ctx_at;
using convene::testing::updated;

namespace {
const char* kOrganizer = "0x1111111111111111111111111111111111111111";
const std::string kMondays = "DTSTART;TZID=Europe/Berlin:20260302T190000\nRRULE:FREQ=WEEKLY;BYDAY=MO";

convene::testing::CountingRandom& rnd() {
  static convene::testing::CountingRandom r;
  return r;
}
Json stored(const entities::EntityDraft& d, const std::string& key) { return convene::testing::stored(d, key, kOrganizer); }
SeriesState state(const Json& series, Json gatherings = Json::array(), Json exceptions = Json::array()) {
  Json in = {{"series", series}, {"exceptions", exceptions}, {"gatherings", gatherings}};
  return read_series_state(Input(in, ""));
}
Propagation propagate(const Json& series, const Json& gatherings, const char* from, Json changes) {
  return plan_propagation(state(series, gatherings), parse_iso8601(from, ""), Input(changes, "changes"), ctx_at("2026-03-01T00:00:00Z", &rnd()));
}
std::vector<std::string> titles(const Json& series, std::size_t n) {
  std::vector<std::string> out;
  for (const auto& o : list_occurrences(state(series), std::nullopt, std::nullopt, n))
    out.push_back(o.title + "/" + std::to_string(o.duration_minutes) + "/" + o.description);
  return out;
}
}  // namespace

TEST_CASE("propagation is effective from its date: earlier occurrences and their gatherings keep the old template") {
  Json in = {{"organizerWallet", kOrganizer}, {"community", "Berlin Rust"}, {"title", "Rust night"}, {"duration", 90}, {"recurrence", kMondays}};
  Json s = stored(catalogue::build_entity("event_series", in, ctx_at("2026-02-20T00:00:00Z", &rnd())), "0xtpl");
  auto ctx = ctx_at("2026-03-01T00:00:00Z", &rnd());
  auto first = plan_materialization(state(s), std::chrono::hours{24 * 20}, ctx);
  REQUIRE(first.create.size() == 3);  // 03-02, 03-09, 03-16
  Json gs = Json::array();
  for (std::size_t i = 0; i < 3; ++i) gs.push_back(stored(first.create[i], "0xtg" + std::to_string(i)));

  auto p = propagate(s, gs, "2026-03-09T00:00:00Z", {{"title", "Rust evening"}, {"duration", 60}});
  REQUIRE(p.update.size() == 2);
  CHECK(p.update[0].entity_key == "0xtg1");
  CHECK(p.update[1].entity_key == "0xtg2");
  Json s2 = updated(p.series, s);
  Json gathered = Json::array({gs[0], updated(p.update[0].draft, gs[1]), updated(p.update[1].draft, gs[2])});
  for (int run = 0; run < 3; ++run) {
    auto again = plan_materialization(state(s2, gathered), std::chrono::hours{24 * 20}, ctx);
    CHECK(again.create.empty());
    CHECK(again.update.empty());
    CHECK(again.cancel.empty());
  }
  CHECK(titles(s2, 3) == std::vector<std::string>{"Rust night/90/", "Rust evening/60/", "Rust evening/60/"});
  // The series attributes show the current template.
  CHECK(p.series.find("title") == "Rust evening");

  // A second change from a later date stacks; one from an earlier date replaces both from there on.
  Json s3 = updated(propagate(s2, gathered, "2026-03-16T00:00:00Z", {{"description", "Bring a laptop"}}).series, s2);
  CHECK(titles(s3, 4) == std::vector<std::string>{"Rust night/90/", "Rust evening/60/", "Rust evening/60/Bring a laptop",
                                                  "Rust evening/60/Bring a laptop"});
  Json s4 = updated(propagate(s3, gathered, "2026-03-05T00:00:00Z", {{"title", "Rust club"}}).series, s3);
  CHECK(titles(s4, 4) == std::vector<std::string>{"Rust night/90/", "Rust club/60/Bring a laptop", "Rust club/60/Bring a laptop",
                                                  "Rust club/60/Bring a laptop"});
  // A split keeps each side's templates: the old series ends with the one in force before the split.
  Json none = Json::object();
  auto split = plan_split(state(s4), parse_iso8601("2026-03-12T00:00:00Z", ""), Input(none, "changes"), ctx);
  Json old_s = updated(split.old_series, s4);
  Json new_s = stored(split.new_series, "0xtpl2");
  CHECK(titles(old_s, 2) == std::vector<std::string>{"Rust night/90/", "Rust club/60/Bring a laptop"});
  CHECK(titles(new_s, 1) == std::vector<std::string>{"Rust club/60/Bring a laptop"});
  CHECK(split.old_series.find("title") == "Rust club");
}

TEST_CASE("template history: a series written before it existed reads as one template; a bad history is malformed") {
  Json payload = {{"organizerWallet", kOrganizer}, {"community", "x"}, {"title", "Old"}, {"description", ""}, {"duration", 60},
                  {"videoProvider", "jitsi"}, {"recurrence", kMondays}};
  Json attrs = Json::array({Json{{"key", "type"}, {"value", "event_series"}}, Json{{"key", "organizerWallet"}, {"value", kOrganizer}}});
  Json old = convene::testing::signed_by(Json{{"key", "0xold"}, {"attributes", attrs}, {"payload", payload.dump()}}, kOrganizer);
  CHECK(titles(old, 2) == std::vector<std::string>{"Old/60/", "Old/60/"});
  payload["templateHistory"] = Json::array({Json{{"before", "2026-03-05T00:00:00Z"}, {"title", ""}, {"duration", 60}}});
  Json bad = convene::testing::signed_by(Json{{"key", "0xold"}, {"attributes", attrs}, {"payload", payload.dump()}}, kOrganizer);
  convene::testing::expect_error([&] { state(bad); }, "MISSING_FIELD", "series.templateHistory[0].title");
}
