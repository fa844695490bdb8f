#include "core/recurrence/infer.h"

#include <algorithm>
#include <bit>
#include <numeric>

#include "core/recurrence/expand.h"
#include "core/recurrence/zone.h"

namespace convene::recurrence {
namespace {

std::int64_t day_of(LocalTime t) { return date::floor<date::days>(t).time_since_epoch().count(); }

std::int64_t gcd_of_steps(const std::vector<std::int64_t>& idx) {
  std::int64_t g = 0;
  for (std::size_t i = 1; i < idx.size(); ++i) g = std::gcd(g, idx[i] - idx[i - 1]);
  return g;
}

}  // namespace

std::optional<RecurrenceSet> infer_rule(std::vector<Instant> starts, std::string_view tzid) {
  std::sort(starts.begin(), starts.end());
  starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
  if (starts.size() < 2) return std::nullopt;
  const Zone zone = tzid.empty() ? Zone() : Zone(tzid, "options.tzid");
  std::vector<LocalTime> local;
  for (Instant t : starts) local.push_back(zone.to_local(t));
  const auto tod = local[0] - date::floor<date::days>(local[0]);
  for (LocalTime l : local)
    if (l - date::floor<date::days>(l) != tod) return std::nullopt;

  RecurrenceSet base;
  base.dtstart = DateTimeValue{tzid.empty() ? ValueKind::Utc : ValueKind::Zoned, local[0], std::string(tzid)};
  if (base.dtstart.kind == ValueKind::Utc) base.dtstart.local = LocalTime{starts[0].time_since_epoch()};

  std::vector<std::int64_t> days, weeks, months, years;
  std::uint8_t weekdays = 0;
  std::vector<Civil> civil;
  for (LocalTime l : local) {
    const std::int64_t d = day_of(l);
    const Civil c = to_civil(l);
    civil.push_back(c);
    days.push_back(d);
    weeks.push_back((d - weekday_of(d)) / 7);  // weeks starting Monday (WKST=MO)
    months.push_back(c.year * 12LL + c.month - 1);
    years.push_back(c.year);
    weekdays |= static_cast<std::uint8_t>(1u << weekday_of(d));
  }
  auto all_same = [&](auto f) {
    return std::all_of(civil.begin(), civil.end(), [&](const Civil& c) { return f(c) == f(civil[0]); });
  };

  std::vector<RRule> candidates;
  auto interval_of = [](std::int64_t g) { return static_cast<int>(std::max<std::int64_t>(1, std::min<std::int64_t>(g, 1000))); };
  if (gcd_of_steps(days) % 7 != 0) {  // whole weeks read better as WEEKLY
    RRule r;
    r.freq = Freq::Daily;
    r.interval = interval_of(gcd_of_steps(days));
    candidates.push_back(r);
  }
  {
    RRule r;
    r.freq = Freq::Weekly;
    r.interval = interval_of(gcd_of_steps(weeks));
    for (int wd = 0; wd < 7; ++wd)
      if (weekdays & (1u << wd)) r.byday.push_back({wd, 0});
    candidates.push_back(r);
  }
  if (all_same([](const Civil& c) { return c.day; })) {
    RRule r;
    r.freq = Freq::Monthly;
    r.interval = interval_of(gcd_of_steps(months));
    r.bymonthday = {civil[0].day};
    candidates.push_back(r);
  }
  if ((weekdays & (weekdays - 1)) == 0) {  // a single weekday
    const int wd = weekday_of(days[0]);
    auto nth = [](const Civil& c) { return (c.day - 1) / 7 + 1; };
    auto last = [](const Civil& c) { return c.day + 7 > days_in_month(c.year, c.month); };
    RRule r;
    r.freq = Freq::Monthly;
    r.interval = interval_of(gcd_of_steps(months));
    if (all_same(nth) && nth(civil[0]) <= 4) {
      r.byday = {{wd, nth(civil[0])}};
      candidates.push_back(r);
    }
    if (std::all_of(civil.begin(), civil.end(), last)) {
      r.byday = {{wd, -1}};
      candidates.push_back(r);
    }
  }
  if (all_same([](const Civil& c) { return c.month * 100 + c.day; })) {
    RRule r;
    r.freq = Freq::Yearly;
    r.interval = interval_of(gcd_of_steps(years));
    candidates.push_back(r);
  }

  const std::size_t n = starts.size();
  std::optional<RecurrenceSet> with_gaps;
  for (RRule r : candidates) {
    RecurrenceSet set = base;
    // Exact: the rule with COUNT reproduces the list.
    r.count = static_cast<std::int64_t>(n);
    set.rrule = r;
    ExpandOptions opt;
    opt.work_budget = 2'000'000;
    std::vector<Instant> got;
    for (const auto& o : expand(set, opt)) got.push_back(o.instant);
    if (got == starts) return set;
    if (with_gaps) continue;
    // Nearly: the rule up to the last start, minus a few EXDATEs.
    r.count.reset();
    r.until = DateTimeValue{ValueKind::Utc, LocalTime{starts.back().time_since_epoch()}, ""};
    set.rrule = r;
    opt.limit = n + n / 4 + 1;
    got.clear();
    for (const auto& o : expand(set, opt)) got.push_back(o.instant);
    if (got.size() > n + n / 4 || !std::includes(got.begin(), got.end(), starts.begin(), starts.end())) continue;
    for (Instant t : got)
      if (!std::binary_search(starts.begin(), starts.end(), t)) {
        DateTimeValue ex = set.dtstart;
        ex.local = zone.to_local(t);
        if (ex.kind == ValueKind::Utc) ex.local = LocalTime{t.time_since_epoch()};
        set.exdates.push_back(ex);
      }
    with_gaps = set;
  }
  return with_gaps;
}

}  // namespace convene::recurrence
