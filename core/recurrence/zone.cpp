#include "core/recurrence/zone.h"

#include "core/error.h"

namespace convene::recurrence {

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
  const date::local_info li = tz_->get_info(t);
  // unique: first is the only one; nonexistent: first is the span before the gap;
  // ambiguous: first is the earlier span. In every case the policy is `first`.
  const auto off = li.first.offset;
  if (li.result == date::local_info::unique) {
    const auto day = std::chrono::seconds{86400};
    const auto begin = li.first.begin == date::sys_seconds::min() ? LocalTime::min()
                                                                  : LocalTime{li.first.begin.time_since_epoch() + off + day};
    const auto end = li.first.end == date::sys_seconds::max() ? LocalTime::max()
                                                              : LocalTime{li.first.end.time_since_epoch() + off - day};
    if (begin <= t && t < end) lo_ = begin, hi_ = end, offset_ = off;
  }
  return Instant{t.time_since_epoch() - off};
}

LocalTime Zone::to_local(Instant t) const {
  if (!tz_) return LocalTime{t.time_since_epoch()};
  return LocalTime{t.time_since_epoch() + tz_->get_info(t).offset};
}

}  // namespace convene::recurrence
