#include "core/recurrence/zone.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <vector>

#include "core/error.h"

namespace convene::recurrence {
namespace {

using std::chrono::seconds;
constexpr seconds kCycle{146097LL * 86400};  // 400 Gregorian years, a whole number of weeks
const LocalTime kFoldFrom = from_civil(Civil{2600, 1, 1, 0, 0, 0});

/// A local-time range [lo, hi) where every wall time exists once, with one offset.
struct Range {
  LocalTime lo, hi;
  seconds offset;
};

/// Memo of date/tz answers, shared by all Zone values (date's far-future lookups
/// walk the zone's rules year by year; this makes each span cost that once).
class SpanCache {
 public:
  bool find(const date::time_zone* tz, LocalTime t, Range& out) {
    std::lock_guard<std::mutex> lock(mu_);
    auto& v = ranges_[tz];
    auto it = std::upper_bound(v.begin(), v.end(), t, [](LocalTime x, const Range& r) { return x < r.lo; });
    if (it == v.begin()) return false;
    --it;
    if (t >= it->hi) return false;
    out = *it;
    return true;
  }
  /// The offset date/tz gives at instant `t`, memoized by span [begin, end).
  seconds offset_at(const date::time_zone* tz, date::sys_seconds t) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto& v = sys_[tz];
      auto it = std::upper_bound(v.begin(), v.end(), t, [](date::sys_seconds x, const date::sys_info& i) { return x < i.begin; });
      if (it != v.begin() && t < std::prev(it)->end) return std::prev(it)->offset;
    }
    const date::sys_info info = tz->get_info(t);
    std::lock_guard<std::mutex> lock(mu_);
    auto& v = sys_[tz];
    auto it = std::upper_bound(v.begin(), v.end(), info.begin, [](date::sys_seconds x, const date::sys_info& i) { return x < i.begin; });
    if (it == v.begin() || std::prev(it)->begin != info.begin) v.insert(it, info);
    return info.offset;
  }
  void add(const date::time_zone* tz, const Range& r) {
    std::lock_guard<std::mutex> lock(mu_);
    auto& v = ranges_[tz];
    auto it = std::upper_bound(v.begin(), v.end(), r.lo, [](LocalTime x, const Range& e) { return x < e.lo; });
    if (it != v.begin() && std::prev(it)->lo == r.lo) return;
    v.insert(it, r);
  }

 private:
  std::mutex mu_;
  std::map<const date::time_zone*, std::vector<Range>> ranges_;
  std::map<const date::time_zone*, std::vector<date::sys_info>> sys_;
};

SpanCache& span_cache() {
  static SpanCache cache;
  return cache;
}

}  // namespace

std::string tzdata_version() { return date::get_tzdb().version; }

Zone::Zone(std::string_view tzid, std::string_view field) {
  std::string f(field);
  if (tzid.empty() || tzid.size() > 64)
    throw Error(code::kUnknownTimeZone, f, f + ": '" + std::string(tzid.substr(0, 64)) + "' is not an IANA time zone");
  const auto& db = date::get_tzdb();
  try {
    tz_ = db.locate_zone(tzid);
  } catch (const std::runtime_error&) {
    throw Error(code::kUnknownTimeZone, f,
                f + ": '" + std::string(tzid) + "' is not in the IANA time zone database " + db.version);
  }
}

Instant Zone::to_instant(LocalTime t) const {
  if (!tz_) return Instant{t.time_since_epoch()};
  if (t >= lo_ && t < hi_) return Instant{t.time_since_epoch() - offset_};
  if (t >= kFoldFrom) {
    const auto cycles = (t - (kFoldFrom - kCycle)) / kCycle;  // t - cycles*400y lands in [2200, 2600)
    return lookup(t - cycles * kCycle) + cycles * kCycle;
  }
  return lookup(t);
}

Instant Zone::lookup(LocalTime t) const {
  Range r;
  if (span_cache().find(tz_, t, r)) {
    lo_ = r.lo, hi_ = r.hi, offset_ = r.offset;
    return Instant{t.time_since_epoch() - r.offset};
  }
  const date::local_info li = tz_->get_info(t);
  // unique: first is the only one; nonexistent: first is the span before the gap;
  // ambiguous: first is the earlier span. In every case the policy is `first`.
  const auto off = li.first.offset;
  if (li.result == date::local_info::unique) {
    // The wall times read with this span alone: from where the previous span's wall
    // times end to where the next one's begin (a DST step away from the transitions).
    const auto b = li.first.begin, e = li.first.end;
    const auto prev_off = b > date::sys_days{date::year{-32000} / 1 / 1} ? span_cache().offset_at(tz_, b - seconds{1}) : off;
    const auto next_off = e < date::sys_days{date::year{32000} / 1 / 1} ? span_cache().offset_at(tz_, e) : off;
    const LocalTime begin{b.time_since_epoch() + std::max(off, prev_off)};
    const LocalTime end{e.time_since_epoch() + std::min(off, next_off)};
    if (begin <= t && t < end) {
      lo_ = begin, hi_ = end, offset_ = off;
      span_cache().add(tz_, Range{begin, end, off});
    }
  }
  return Instant{t.time_since_epoch() - off};
}

LocalTime Zone::to_local(Instant t) const {
  if (!tz_) return LocalTime{t.time_since_epoch()};
  const Instant fold_from{kFoldFrom.time_since_epoch()};
  if (t >= fold_from) {
    const auto cycles = (t - (fold_from - kCycle)) / kCycle;
    const Instant folded = t - cycles * kCycle;
    return LocalTime{folded.time_since_epoch() + tz_->get_info(folded).offset + cycles * kCycle};
  }
  return LocalTime{t.time_since_epoch() + tz_->get_info(t).offset};
}

}  // namespace convene::recurrence
