// Series proposed from imported calendar events (core/bluesky/infer_series.h, docs/bluesky.md#import):
// generated weekly, biweekly and monthly-by-weekday sets in Europe/Berlin (crossing DST), with gaps and
// noise, shuffled; how many are recovered exactly is printed and must be nearly all.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <set>
#include <string>

#include <date/date.h>

#include "core/bluesky/infer_series.h"
#include "core/error.h"
#include "core/recurrence/expand.h"
#include "core/recurrence/parse.h"
#include "core/recurrence/zone.h"

using namespace convene;
using namespace convene::bluesky;
using convene::recurrence::LocalTime;

namespace {

const recurrence::Zone& berlin() {
  static const recurrence::Zone z("Europe/Berlin", "tzid");
  return z;
}

ImportedEvent event(std::string uri, std::string organizer, std::string name, LocalTime local) {
  ImportedEvent e;
  e.uri = std::move(uri);
  e.organizer = std::move(organizer);
  e.event.name = std::move(name);
  e.event.created_at = UtcTime{Millis{0}};
  e.event.starts_at = std::chrono::time_point_cast<Millis>(berlin().to_instant(local));
  return e;
}

enum class Kind { Weekly, Biweekly, MonthlyByWeekday };

/// Local 19:00 starts of `n` occurrences of `kind` from 2026-01-06 (a Tuesday).
std::vector<LocalTime> pattern(Kind kind, int n) {
  using namespace date;
  std::vector<LocalTime> out;
  const local_days first{2026_y / January / 6};
  for (int k = 0; k < n; ++k) {
    local_days d;
    if (kind == Kind::Weekly) d = first + days{7 * k};
    else if (kind == Kind::Biweekly) d = first + days{14 * k};
    else {
      const year_month ym = year_month{2026_y, January} + months{k};
      d = local_days{year_month_weekday{ym.year(), ym.month(), Tuesday[2]}};
    }
    out.push_back(LocalTime{d} + std::chrono::hours{19});
  }
  return out;
}

/// The starts (UTC seconds) the proposal's rule yields.
std::set<std::int64_t> instances(const SeriesProposal& p) {
  recurrence::ExpandOptions o;
  o.limit = 200;
  std::set<std::int64_t> out;
  for (const auto& occ : recurrence::expand(p.rule, o)) out.insert(occ.instant.time_since_epoch().count());
  return out;
}

}  // namespace

TEST_CASE("names group by letters only: numbering, case and punctuation are set aside") {
  CHECK(series_name_key("Rust Meetup #12") == "rust meetup");
  CHECK(series_name_key("rust meetup 13 ") == "rust meetup");
  CHECK(series_name_key("  Café: Jitsi!") == "caf\xc3\xa9 jitsi");
  CHECK(series_name_key("2026") == "");
}

TEST_CASE("a weekly meetup with a gap, a re-post and an off-day event: the rule, the EXDATE, the rest left out") {
  std::vector<ImportedEvent> events;
  const auto starts = pattern(Kind::Weekly, 8);
  for (std::size_t k = 0; k < starts.size(); ++k)
    if (k != 3) events.push_back(event("at://a/e/" + std::to_string(k), "did:plc:org", "Rust meetup #" + std::to_string(k + 1), starts[k]));
  events.push_back(event("at://a/e/repost", "did:plc:org", "Rust Meetup", starts[5]));      // the same start again
  events.push_back(event("at://a/e/off", "did:plc:org", "Rust meetup", starts[2] + date::days{2}));  // a Thursday
  events.push_back(event("at://a/e/late", "did:plc:org", "Rust meetup", starts[4] + std::chrono::hours{1}));  // 20:00: another group
  events.push_back(event("at://b/e/1", "did:plc:other", "Rust meetup", starts[0]));         // another organizer
  const auto proposals = propose_series(events, "Europe/Berlin");
  REQUIRE(proposals.size() == 1);
  const SeriesProposal& p = proposals[0];
  CHECK(p.organizer == "did:plc:org");
  CHECK(p.name == "Rust meetup #1");
  CHECK(recurrence::format_rrule(*p.rule.rrule).find("FREQ=WEEKLY") != std::string::npos);
  CHECK(p.rule.dtstart.tzid == "Europe/Berlin");
  CHECK(p.gaps == 1);
  CHECK(p.uris.size() == 7);
  CHECK(std::set<std::string>(p.left_out.begin(), p.left_out.end()) == std::set<std::string>{"at://a/e/repost", "at://a/e/off"});
  CHECK(p.confidence == doctest::Approx(7.0 / 9.0));
}

TEST_CASE("cancelled events, events without a start and groups below the minimum propose nothing") {
  std::vector<ImportedEvent> events;
  const auto starts = pattern(Kind::Weekly, 4);
  for (std::size_t k = 0; k < starts.size(); ++k) {
    auto e = event("at://a/e/" + std::to_string(k), "did:plc:org", "Weekly", starts[k]);
    if (k < 2) e.event.status = EventStatus::Cancelled;
    events.push_back(e);
  }
  auto undated = events.back();
  undated.event.starts_at.reset();
  events.push_back(undated);
  CHECK(propose_series(events, "Europe/Berlin").empty());
  CHECK(propose_series(events, "Europe/Berlin", 2).size() == 1);
  CHECK_THROWS_AS(propose_series(events, "Mars/Olympus"), Error);
}

TEST_CASE("generated weekly, biweekly and monthly-by-weekday sets with gaps and noise are recovered") {
  std::mt19937 rng(20261201);
  int cases = 0, exact = 0;
  for (Kind kind : {Kind::Weekly, Kind::Biweekly, Kind::MonthlyByWeekday}) {
    for (int c = 0; c < 20; ++c) {
      const int n = 8 + static_cast<int>(rng() % 9);  // 8..16 occurrences
      const auto starts = pattern(kind, n);
      // Up to n/6 gaps, never the first or last (a series is known from its first to its last event).
      std::set<int> gaps;
      for (int g = 0, want = static_cast<int>(rng() % (n / 6 + 1)); g < want; ++g) gaps.insert(1 + static_cast<int>(rng() % (n - 2)));
      std::vector<ImportedEvent> events;
      std::set<std::string> truth;
      for (int k = 0; k < n; ++k) {
        if (gaps.count(k)) continue;
        const std::string uri = "at://org/e/" + std::to_string(k);
        truth.insert(uri);
        events.push_back(event(uri, "did:plc:org", "Study group " + std::to_string(k + 1), starts[k]));
      }
      // Noise: one same-name event on another day at the same time, one at another time, other organizers' events.
      events.push_back(event("at://org/noise/day", "did:plc:org", "Study group", starts[static_cast<std::size_t>(rng() % n)] + date::days{1 + static_cast<int>(rng() % 5)}));
      events.push_back(event("at://org/noise/time", "did:plc:org", "Study group", starts[0] + std::chrono::minutes{30}));
      for (int k = 0; k < 3; ++k)
        events.push_back(event("at://x/e/" + std::to_string(k), "did:plc:x" + std::to_string(k), "Something else", starts[0] + date::days{k * 3}));
      std::shuffle(events.begin(), events.end(), rng);
      ++cases;
      const auto proposals = propose_series(events, "Europe/Berlin");
      if (proposals.size() != 1) continue;
      const SeriesProposal& p = proposals[0];
      const std::set<std::string> got(p.uris.begin(), p.uris.end());
      // Exact: the events covered are the pattern's, and the rule yields exactly their starts.
      std::set<std::int64_t> want;
      for (const auto& e : events)
        if (truth.count(e.uri)) want.insert(std::chrono::duration_cast<std::chrono::seconds>(e.event.starts_at->time_since_epoch()).count());
      if (got == truth && instances(p) == want) ++exact;
    }
  }
  std::printf("series inference: %d of %d generated sets recovered exactly (weekly, biweekly, monthly by weekday; gaps and noise)\n", exact, cases);
  CHECK(exact >= cases * 9 / 10);
}
