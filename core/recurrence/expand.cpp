#include "core/recurrence/expand.h"

#include <algorithm>

#include "core/error.h"
#include "core/recurrence/rrule_iterator.h"
#include "core/recurrence/zone.h"

namespace convene::recurrence {
namespace {

constexpr std::chrono::seconds kDay{86400};

/// Places DATE / DATE-TIME values on the time line relative to DTSTART's zone.
class Placer {
 public:
  explicit Placer(const DateTimeValue& dtstart)
      : zoned_(dtstart.kind == ValueKind::Zoned),
        tzid_(dtstart.tzid),
        zone_(zoned_ ? Zone(dtstart.tzid, "DTSTART") : Zone()) {}

  const Zone& zone() const { return zone_; }
  bool zoned() const { return zoned_; }

  /// The instant of a value; floating/DATE values take DTSTART's zone (UTC if none).
  Instant instant(const DateTimeValue& v, std::string_view field) {
    switch (v.kind) {
      case ValueKind::Utc: return Instant{v.local.time_since_epoch()};
      case ValueKind::Zoned:
        if (v.tzid == tzid_) return zone_.to_instant(v.local);
        return Zone(v.tzid, field).to_instant(v.local);
      default: return zone_.to_instant(v.local);
    }
  }
  /// Wall time in DTSTART's zone of an instant.
  LocalTime local(Instant t) const { return zone_.to_local(t); }

 private:
  bool zoned_;
  std::string tzid_;
  Zone zone_;
};

}  // namespace

std::vector<Occurrence> expand(const RecurrenceSet& set, const ExpandOptions& opt) {
  Placer place(set.dtstart);
  const bool date_only = set.dtstart.kind == ValueKind::Date;
  const RRule* rule = set.rrule ? &*set.rrule : nullptr;
  if (rule && !rule->count && !rule->until && !opt.before && !opt.limit)
    throw Error(code::kUnboundedRecurrence, "options.before",
                "options.before: the RRULE has no COUNT or UNTIL, so pass `before` or `limit` to bound the expansion");
  const std::size_t cap = std::min(opt.limit.value_or(kMaxOccurrences), kMaxOccurrences);
  if (cap == 0) return {};

  std::vector<Instant> excluded;
  for (const auto& v : set.exdates) excluded.push_back(place.instant(v, "EXDATE"));
  std::sort(excluded.begin(), excluded.end());
  auto is_excluded = [&](Instant t) { return std::binary_search(excluded.begin(), excluded.end(), t); };
  auto in_window = [&](Instant t) { return (!opt.after || t >= *opt.after) && (!opt.before || t <= *opt.before); };

  std::vector<Occurrence> out;
  const Occurrence start{place.instant(set.dtstart, "DTSTART"), set.dtstart.local};
  auto add_dtstart = [&] {
    if (in_window(start.instant) && !is_excluded(start.instant)) out.push_back(start);
  };

  if (!rule) {
    add_dtstart();
  } else {
    WorkBudget budget{opt.work_budget};
    // UNTIL as a wall-time bound for the iterator plus, for zoned sets, an exact instant.
    std::optional<LocalTime> until_local;
    std::optional<Instant> until_instant;
    if (rule->until) {
      const DateTimeValue& u = *rule->until;
      LocalTime wall = u.local;
      if (u.kind == ValueKind::Date && !date_only) wall += kDay - std::chrono::seconds{1};  // whole day
      if (place.zoned()) {
        until_instant = u.kind == ValueKind::Utc ? Instant{u.local.time_since_epoch()} : place.zone().to_instant(wall);
        until_local = place.local(*until_instant) + kDay;  // coarse; the instant decides
      } else {
        until_local = wall;
      }
    }
    std::optional<std::int64_t> count = rule->count;
    if (opt.include_dtstart) {
      RRuleIterator first(*rule, set.dtstart.local, date_only, until_local, 1, budget);
      auto f = first.next();
      if (!f || *f != set.dtstart.local) {
        add_dtstart();
        if (count) --*count;
      }
    }
    if (!count || *count > 0) {
      RRuleIterator it(*rule, set.dtstart.local, date_only, until_local, count, budget);
      if (opt.after) it.seek(place.local(*opt.after) - kDay);
      const std::optional<LocalTime> stop =
          opt.before ? std::optional<LocalTime>(place.local(*opt.before) + kDay) : std::nullopt;
      std::size_t kept = 0;
      while (auto l = it.next()) {
        if (stop && *l > *stop) break;
        const Instant t = place.zone().to_instant(*l);
        if (until_instant && t > *until_instant) break;
        if (!in_window(t) || is_excluded(t)) continue;
        out.push_back({t, *l});
        if (++kept > cap) break;  // one more than the cap tells "too many"
      }
    }
  }
  for (const auto& v : set.rdates) {
    const Instant t = place.instant(v, "RDATE");
    if (in_window(t) && !is_excluded(t)) out.push_back({t, place.local(t)});
  }
  const auto by_instant = [](const Occurrence& a, const Occurrence& b) { return a.instant < b.instant; };
  if (!std::is_sorted(out.begin(), out.end(), by_instant)) std::stable_sort(out.begin(), out.end(), by_instant);
  out.erase(std::unique(out.begin(), out.end(),
                        [](const Occurrence& a, const Occurrence& b) { return a.instant == b.instant; }),
            out.end());
  if (out.size() > cap) {
    if (!opt.limit || *opt.limit > kMaxOccurrences)
      throw Error(code::kUnboundedRecurrence, "options.limit",
                  "options.limit: the window holds more than " + std::to_string(kMaxOccurrences) +
                      " instances; pass a smaller `limit` or `before`");
    out.resize(cap);
  }
  return out;
}

}  // namespace convene::recurrence
