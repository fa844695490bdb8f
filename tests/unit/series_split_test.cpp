// Splitting a series keeps its occurrences (issue 12, defect 1): for any rule without a changed
// RRULE, the occurrences of the old and the new series together are exactly the original ones.
// RFC 5545: COUNT counts RRULE instances before EXDATE removes any and without RDATEs, so the old
// COUNT is the number of RRULE instances before the split point; the new DTSTART must be an
// RRULE instance (an RDATE there would move the rule to that RDATE's weekday or time of day).
#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>

#include "core/catalogue.h"
#include "core/recurrence/civil.h"
#include "core/recurrence/expand.h"
#include "core/recurrence/parse.h"
#include "core/series/occurrences.h"
#include "core/series/plan.h"
#include "test_support.h"

using namespace convene;
using namespace convene::series;
using convene::testing::ctx_at;

namespace {
const char* kOrganizer = "0x1111111111111111111111111111111111111111";

/// An event_series entity as stored by the organizer, with `ical` as its recurrence text (written
/// directly, so the test exercises the split of any rule a stored series may hold).
Json stored_series(const std::string& ical, std::int64_t duration = 60, const std::string& key = "0xseries") {
  Json payload = {{"organizerWallet", kOrganizer}, {"community", "split"}, {"title", "Split"}, {"description", ""},
                  {"duration", duration}, {"videoProvider", "jitsi"}, {"recurrence", ical}};
  Json attrs = Json::array({Json{{"key", "type"}, {"value", "event_series"}}, Json{{"key", "organizerWallet"}, {"value", kOrganizer}},
                            Json{{"key", "community"}, {"value", "split"}}, Json{{"key", "title"}, {"value", "Split"}}});
  return convene::testing::signed_by(Json{{"key", key}, {"attributes", attrs}, {"payload", payload.dump()}}, kOrganizer);
}

SeriesState state_of(const Json& series) {
  Json in = {{"series", series}};
  return read_series_state(Input(in, ""));
}

std::string recurrence_of(const entities::EntityDraft& d) {
  return Json::parse(d.to_json()["payload"].get<std::string>())["recurrence"].get<std::string>();
}

std::vector<recurrence::Instant> instants(const std::string& ical, recurrence::Instant before) {
  recurrence::ExpandOptions o;
  o.before = before;
  std::vector<recurrence::Instant> out;
  for (const auto& x : recurrence::expand(recurrence::parse_recurrence_set(ical), o)) out.push_back(x.instant);
  return out;
}

std::string iso(recurrence::Instant t) { return format_iso8601(from_rec_instant(t)); }

/// splitmix64: the same sequence on every platform (std distributions are implementation-defined).
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
  bool chance(int percent) { return below(100) < percent; }
};

std::string two(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

std::string basic(const recurrence::Civil& c) {
  return std::to_string(c.year) + two(c.month) + two(c.day) + "T" + two(c.hour) + two(c.minute) + two(c.second);
}

/// One generated rule: DTSTART in a zone (or UTC), an RRULE with COUNT, UNTIL or no end.
std::string generate_rule(Rng& rng, std::string& tzid) {
  static const char* kZones[] = {"UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Pacific/Apia", "Australia/Sydney"};
  static const char* kDays[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
  tzid = kZones[rng.below(6)];
  recurrence::Civil start{2024 + rng.below(3), 1 + rng.below(12), 1 + rng.below(28), rng.below(24), 15 * rng.below(4), 0};
  if (rng.chance(10)) start.day = 29 + rng.below(3), start.month = 1 + 2 * rng.below(4);  // 29..31 in Jan/Mar/May/Jul
  if (rng.chance(10)) start.hour = 2;  // DST gap hour in New York, Berlin, Sydney
  std::string dtstart = tzid == "UTC" ? "DTSTART:" + basic(start) + "Z" : "DTSTART;TZID=" + tzid + ":" + basic(start);
  std::string rule;
  switch (rng.below(8)) {
    case 0: rule = "FREQ=DAILY;INTERVAL=" + std::to_string(1 + rng.below(3)); break;
    case 1: {
      rule = "FREQ=WEEKLY";
      if (rng.chance(40)) rule += ";INTERVAL=2";
      if (rng.chance(70)) {
        std::string days;
        for (int d = 0; d < 7; ++d)
          if (rng.chance(35)) days += (days.empty() ? "" : ",") + std::string(kDays[d]);
        if (!days.empty()) rule += ";BYDAY=" + days;
      }
      if (rng.chance(20)) rule += ";WKST=SU";
      break;
    }
    case 2: {
      rule = "FREQ=MONTHLY";
      int form = rng.below(4);
      if (form == 1) rule += ";BYMONTHDAY=" + std::to_string(rng.chance(30) ? -1 : 1 + rng.below(31));
      if (form == 2) {
        int nth = rng.chance(25) ? -1 : 1 + rng.below(4);
        rule += ";BYDAY=" + std::to_string(nth) + kDays[rng.below(7)];
      }
      if (form == 3) rule += ";BYDAY=MO,TU,WE,TH,FR;BYSETPOS=" + std::string(rng.chance(50) ? "1" : "-1");
      if (rng.chance(30)) rule += ";INTERVAL=" + std::to_string(2 + rng.below(2));
      if (rng.chance(30)) rule += std::string(";RSCALE=GREGORIAN;SKIP=") + (rng.chance(50) ? "BACKWARD" : "FORWARD");
      break;
    }
    case 3: {
      rule = "FREQ=YEARLY";
      if (rng.chance(40)) {
        int a = 1 + rng.below(12), b = 1 + rng.below(12);
        rule += ";BYMONTH=" + std::to_string(a) + "," + std::to_string(b);
      }
      if (rng.chance(30)) rule += std::string(";RSCALE=GREGORIAN;SKIP=") + (rng.chance(50) ? "BACKWARD" : "FORWARD");
      break;
    }
    case 4: {
      int a = rng.below(12), b = 12 + rng.below(12);
      rule = "FREQ=DAILY;BYHOUR=" + std::to_string(a) + "," + std::to_string(b);
      break;
    }
    case 5: rule = "FREQ=HOURLY;INTERVAL=" + std::to_string(5 + rng.below(7)); break;
    case 6: {  // yearly by week number, year day or the n-th weekday of a month
      int form = rng.below(3);
      if (form == 0) rule = "FREQ=YEARLY;BYWEEKNO=" + std::to_string(1 + rng.below(52)) + (rng.chance(50) ? ";BYDAY=TU,TH" : "");
      if (form == 1) rule = "FREQ=YEARLY;BYYEARDAY=" + std::to_string(rng.chance(30) ? -1 : 1 + rng.below(365));
      if (form == 2) {
        int nth = rng.chance(30) ? -1 : 1 + rng.below(4);
        rule = "FREQ=YEARLY;BYMONTH=" + std::to_string(1 + rng.below(12)) + ";BYDAY=" + std::to_string(nth) + kDays[rng.below(7)];
      }
      if (rng.chance(30)) rule += ";INTERVAL=2";
      break;
    }
    default: {  // weekly with BYSETPOS: the first or last of the chosen days each (other) week
      rule = std::string("FREQ=WEEKLY;BYDAY=MO,WE,FR;BYSETPOS=") + (rng.chance(50) ? "1" : "-1");
      if (rng.chance(40)) rule += ";INTERVAL=2;WKST=SU";
      break;
    }
  }
  int end = rng.below(3);
  if (end == 0) rule += ";COUNT=" + std::to_string(3 + rng.below(40));
  if (end == 1) {
    recurrence::Civil u = start;
    auto days = recurrence::days_from_civil(u.year, static_cast<unsigned>(u.month), 1) + rng.below(900);
    recurrence::Civil uc = recurrence::to_civil(recurrence::local_from_days(days, 3600 * rng.below(24)));
    rule += ";UNTIL=" + basic(uc) + "Z";
  }
  return dtstart + "\nRRULE:" + rule;
}

/// An EXDATE/RDATE line for instance `o` shifted by `minutes`: in the series' zone (wall time) or
/// as a UTC value, chosen by `zoned`.
std::string value_line(const char* name, const std::string& tzid, const recurrence::Occurrence& o, int minutes, bool zoned) {
  if (zoned && tzid != "UTC")
    return std::string(name) + ";TZID=" + tzid + ":" + recurrence::format_basic(o.local + std::chrono::minutes{minutes}, false);
  recurrence::LocalTime wall{(o.instant + std::chrono::minutes{minutes}).time_since_epoch()};
  return std::string(name) + ":" + recurrence::format_basic(wall, false) + "Z";
}
}  // namespace

TEST_CASE("split: COUNT counts RRULE instances before EXDATE; the new DTSTART is an RRULE instance, not an RDATE") {
  // Mondays 19:00 Berlin, 8 times; 03-09 excluded; an extra Saturday-morning RDATE after the split point.
  const std::string ical =
      "DTSTART;TZID=Europe/Berlin:20260302T190000\nRRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=8\n"
      "RDATE;TZID=Europe/Berlin:20260321T100000\nEXDATE;TZID=Europe/Berlin:20260309T190000";
  convene::testing::CountingRandom r;
  Json changes = Json::object();
  auto s = plan_split(state_of(stored_series(ical)), parse_iso8601("2026-03-20T00:00:00Z", ""), Input(changes, "changes"),
                      ctx_at("2026-03-01T00:00:00Z", &r));
  const auto far = recurrence::Instant{std::chrono::seconds{4102444800}};  // 2100
  auto old_i = instants(recurrence_of(s.old_series), far);
  auto new_i = instants(recurrence_of(s.new_series), far);
  std::vector<std::string> old_iso, new_iso;
  for (auto t : old_i) old_iso.push_back(iso(t));
  for (auto t : new_i) new_iso.push_back(iso(t));
  // 03-02 and 03-16 (03-09 excluded) stay; COUNT=3 counts the excluded one.
  CHECK(old_iso == std::vector<std::string>{"2026-03-02T18:00:00.000Z", "2026-03-16T18:00:00.000Z"});
  CHECK(recurrence_of(s.old_series).find("COUNT=3") != std::string::npos);
  // The RDATE (Saturday 10:00) and the five remaining Mondays at 19:00 local (CEST from 03-29).
  CHECK(new_iso == std::vector<std::string>{"2026-03-21T09:00:00.000Z", "2026-03-23T18:00:00.000Z", "2026-03-30T17:00:00.000Z",
                                            "2026-04-06T17:00:00.000Z", "2026-04-13T17:00:00.000Z", "2026-04-20T17:00:00.000Z"});
  CHECK(recurrence_of(s.new_series).find("DTSTART;TZID=Europe/Berlin:20260323T190000") != std::string::npos);
}

TEST_CASE("split: generated differential — old + new series produce exactly the original occurrences") {
  Rng rng{0x5eed12};
  const int kRules = property::generated_cases(400);
  int checked = 0, refused = 0, failures = 0;
  std::ostringstream report;
  const auto horizon = std::chrono::days{3 * 366};
  for (int i = 0; i < kRules; ++i) {
    std::string tzid;
    std::string ical = generate_rule(rng, tzid);
    recurrence::RecurrenceSet set = recurrence::parse_recurrence_set(ical);
    recurrence::ExpandOptions probe;
    probe.limit = 400;
    std::vector<recurrence::Occurrence> base;
    try {
      base = recurrence::expand(set, probe);
    } catch (const Error&) {
      continue;
    }
    if (base.size() < 2) continue;
    // EXDATEs: some instances (both sides of the split point) and a near miss; RDATEs: extra instants.
    std::string extra;
    int n_ex = rng.below(4), n_rd = rng.below(4);
    auto any = [&]() -> const recurrence::Occurrence& { return base[static_cast<std::size_t>(rng.below(static_cast<int>(base.size())))]; };
    // (each draw in its own statement: argument evaluation order differs between compilers)
    auto line = [&](const char* name, int minutes) {
      const recurrence::Occurrence& o = any();
      bool zoned = rng.chance(50);
      extra += "\n" + value_line(name, tzid, o, minutes, zoned);
    };
    for (int k = 0; k < n_ex; ++k) line("EXDATE", 0);
    if (rng.chance(20)) line("EXDATE", 1);  // a near miss
    for (int k = 0; k < n_rd; ++k) {
      int sign = rng.chance(50) ? 1 : -1;
      line("RDATE", sign * (30 + rng.below(3000)));
    }
    std::string full = ical + extra;
    const auto before = base.front().instant + horizon;
    auto original = instants(full, before);
    if (original.size() < 2) continue;
    // The split point: on an instance, between two, on an excluded instance or on an RDATE.
    std::size_t pick = 1 + static_cast<std::size_t>(rng.below(static_cast<int>(original.size()) - 1));
    recurrence::Instant at_i = original[pick];
    int how = rng.below(4);
    if (how == 1) at_i = original[pick - 1] + (original[pick] - original[pick - 1]) / 2;
    if (how == 2) at_i = any().instant;
    UtcTime at = from_rec_instant(at_i) + (how == 3 ? Millis{500} : Millis{0});
    convene::testing::CountingRandom r;
    Json changes = Json::object();
    Split s;
    try {
      s = plan_split(state_of(stored_series(full)), at, Input(changes, "changes"), ctx_at("2024-01-01T00:00:00Z", &r));
    } catch (const Error& e) {
      if (e.code() == "INVALID_INPUT" && e.field() == "at") {
        ++refused;  // nothing on one side of `at`
        continue;
      }
      ++failures;
      report << "#" << i << " threw " << e.code() << " " << e.what() << "\n" << full << "\nat " << format_iso8601(at) << "\n\n";
      continue;
    }
    ++checked;
    std::vector<recurrence::Instant> old_i, new_i;
    try {
      old_i = instants(recurrence_of(s.old_series), before);
      new_i = instants(recurrence_of(s.new_series), before);
    } catch (const Error& e) {
      if (++failures <= 5)
        report << "#" << i << " at " << format_iso8601(at) << ": a split series does not expand: " << e.what() << "\n" << full << "\n\n";
      continue;
    }
    bool sides = std::all_of(old_i.begin(), old_i.end(), [&](auto t) { return from_rec_instant(t) < at; }) &&
                 std::all_of(new_i.begin(), new_i.end(), [&](auto t) { return from_rec_instant(t) >= at; });
    std::vector<recurrence::Instant> both = old_i;
    both.insert(both.end(), new_i.begin(), new_i.end());
    std::sort(both.begin(), both.end());
    if (!sides || both != original) {
      if (++failures <= 5) {
        report << "#" << i << " at " << format_iso8601(at) << "\n" << full << "\n-- old:\n" << recurrence_of(s.old_series)
               << "\n-- new:\n" << recurrence_of(s.new_series) << "\n";
        std::vector<recurrence::Instant> missing, extra_i;
        std::set_difference(original.begin(), original.end(), both.begin(), both.end(), std::back_inserter(missing));
        std::set_difference(both.begin(), both.end(), original.begin(), original.end(), std::back_inserter(extra_i));
        for (auto t : missing) report << "  missing " << iso(t) << "\n";
        for (auto t : extra_i) report << "  extra   " << iso(t) << "\n";
        report << "\n";
      }
    }
  }
  INFO(report.str());
  MESSAGE("split differential: " << checked << " splits checked, " << refused << " refused (nothing on one side), "
                                 << failures << " failures");
  CHECK(checked >= kRules * 3 / 4);
  CHECK(failures == 0);
}

TEST_CASE("split hands the later exceptions and gatherings to the new series; RSVPs follow their gathering (same key)") {
  convene::testing::CountingRandom r;
  auto ctx = ctx_at("2026-03-01T00:00:00Z", &r);
  Json in = {{"organizerWallet", kOrganizer}, {"community", "Berlin Rust"}, {"title", "Rust night"}, {"duration", 90},
             {"recurrence", "DTSTART;TZID=Europe/Berlin:20260302T190000\nRRULE:FREQ=WEEKLY;BYDAY=MO"}};
  Json s = convene::testing::stored(catalogue::build_entity("event_series", in, ctx), "0xh", kOrganizer);
  auto first = plan_materialization(state_of(s), std::chrono::hours{24 * 20}, ctx);
  REQUIRE(first.create.size() == 3);  // 03-02, 03-09, 03-16
  Json gs = Json::array();
  for (std::size_t i = 0; i < 3; ++i) gs.push_back(convene::testing::stored(first.create[i], "0xhg" + std::to_string(i), kOrganizer));
  auto exception = [&](const char* rid, const char* kind, Json changes, const char* key) {
    Json x = {{"series", s}, {"recurrenceId", rid}, {"kind", kind}};
    if (!changes.is_null()) x["changes"] = changes;
    return convene::testing::stored(catalogue::build_entity("event_series_exception", x, ctx), key, kOrganizer);
  };
  Json early = exception("2026-03-02T18:00:00Z", "cancelled", nullptr, "0xhx0");
  Json special = exception("2026-03-16T18:00:00Z", "modified", {{"title", "Special"}}, "0xhx1");
  Json args = {{"series", s}, {"exceptions", Json::array({early, special})}, {"gatherings", gs}};
  Json changes = {{"title", "Rust night v2"}};
  auto split = plan_split(read_series_state(Input(args, "")), parse_iso8601("2026-03-05T00:00:00Z", ""), Input(changes, "changes"), ctx);
  REQUIRE(split.handoff_gatherings.size() == 2);
  CHECK(split.handoff_gatherings[0].entity_key == "0xhg1");
  CHECK(split.handoff_gatherings[1].entity_key == "0xhg2");
  REQUIRE(split.handoff_exceptions.size() == 1);
  CHECK(split.handoff_exceptions[0].entity_key == "0xhx1");

  Json old_series = convene::testing::updated(split.old_series, s);
  Json new_series = convene::testing::stored(split.new_series, "0xh2", kOrganizer);
  Json hin = {{"series", old_series}, {"exceptions", Json::array({early, special})}, {"gatherings", gs}};
  auto old_state = read_series_state(Input(hin, ""));
  auto h = plan_handoff(old_state, verify_series(entities::decode_entity(new_series, "newSeries"), "newSeries"), ctx);
  REQUIRE(h.update.size() == 3);
  std::map<std::string, entities::EntityDraft> by_key;
  for (const auto& u : h.update) by_key.emplace(u.entity_key, u.draft);
  REQUIRE(by_key.count("0xhg1"));
  REQUIRE(by_key.count("0xhg2"));
  REQUIRE(by_key.count("0xhx1"));
  for (const auto& [k, d] : by_key) CHECK(d.find("seriesKey") == "0xh2");
  CHECK(by_key.at("0xhg1").find("title") == "Rust night v2");
  CHECK(by_key.at("0xhg2").find("title") == "Special");
  CHECK(by_key.at("0xhg2").find("videoRoomName") == convene::testing::attrs_of(gs[2])["videoRoomName"]);
  CHECK(by_key.at("0xhx1").find("recurrenceId") == "2026-03-16T18:00:00.000Z");

  Json g1 = convene::testing::updated(by_key.at("0xhg1"), gs[1]);
  Json g2 = convene::testing::updated(by_key.at("0xhg2"), gs[2]);
  Json x1 = convene::testing::updated(by_key.at("0xhx1"), special);
  Json all = Json::array({gs[0], g1, g2});
  Json oin = {{"series", old_series}, {"exceptions", Json::array({early, x1})}, {"gatherings", all}};
  auto old_plan = plan_materialization(read_series_state(Input(oin, "")), std::chrono::hours{24 * 20}, ctx);
  CHECK(old_plan.create.empty());
  CHECK(old_plan.update.empty());
  REQUIRE(old_plan.cancel.size() == 1);
  CHECK(old_plan.cancel[0].entity_key == "0xhg0");
  Json nin = {{"series", new_series}, {"exceptions", Json::array({early, x1})}, {"gatherings", all}};
  auto new_plan = plan_materialization(read_series_state(Input(nin, "")), std::chrono::hours{24 * 20}, ctx);
  CHECK(new_plan.create.empty());
  CHECK(new_plan.update.empty());
  CHECK(new_plan.cancel.empty());
  // Handing over again is a no-op for what already moved.
  Json again_in = {{"series", old_series}, {"exceptions", Json::array({early, x1})}, {"gatherings", all}};
  auto again = plan_handoff(read_series_state(Input(again_in, "")), verify_series(entities::decode_entity(new_series, "newSeries"), "newSeries"), ctx);
  CHECK(again.update.empty());
  // Another organizer's series cannot take them.
  const char* stranger = "0x3333333333333333333333333333333333333333";
  Json foreign_in = in;
  foreign_in["organizerWallet"] = stranger;
  Json foreign = convene::testing::stored(catalogue::build_entity("event_series", foreign_in, ctx), "0xh3", stranger);
  convene::testing::expect_error(
      [&] { plan_handoff(old_state, verify_series(entities::decode_entity(foreign, "newSeries"), "newSeries"), ctx); },
      "INVALID_INPUT", "newSeries");
}
