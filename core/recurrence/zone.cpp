#include "core/recurrence/zone.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <utility>

#include "absl/time/internal/cctz/include/cctz/zone_info_source.h"
#include "core/error.h"
#include "core/recurrence/tzdb_embedded.h"

namespace cctz = absl::time_internal::cctz;

namespace {

/// cctz reads a zone's TZif bytes through this stdio-like source: here, the embedded data's file, unpacked.
class EmbeddedTzif final : public cctz::ZoneInfoSource {
 public:
  explicit EmbeddedTzif(std::string bytes) : bytes_(std::move(bytes)), rest_(bytes_) {}
  std::size_t Read(void* ptr, std::size_t size) override {
    size = std::min(size, rest_.size());
    std::memcpy(ptr, rest_.data(), size);
    rest_.remove_prefix(size);
    return size;
  }
  int Skip(std::size_t offset) override {
    if (offset > rest_.size()) return -1;
    rest_.remove_prefix(offset);
    return 0;
  }
  std::string Version() const override { return std::string(convene::recurrence::tzdb_embedded::version()); }

 private:
  std::string bytes_;
  std::string_view rest_;
};

/// Every zone cctz loads comes from the embedded data; the host's files (the fallback) are never read.
std::unique_ptr<cctz::ZoneInfoSource> embedded_source(
    const std::string& name, const std::function<std::unique_ptr<cctz::ZoneInfoSource>(const std::string&)>&) {
  std::string bytes = convene::recurrence::tzdb_embedded::tzif(name);
  if (bytes.empty()) return nullptr;
  return std::make_unique<EmbeddedTzif>(std::move(bytes));
}

}  // namespace

// cctz's hook (zone_info_source.h), overriding its weak default. Inside abseil's inline versioned namespace
// (ABSL_NAMESPACE_BEGIN): a plain `namespace absl::time_internal` would declare an unrelated variable that
// nothing reads, and cctz would silently read the host's files.
namespace absl {
ABSL_NAMESPACE_BEGIN
namespace time_internal::cctz_extension {
ZoneInfoSourceFactory zone_info_source_factory = embedded_source;
}  // namespace time_internal::cctz_extension
ABSL_NAMESPACE_END
}  // namespace absl

namespace convene::recurrence {
namespace {

const cctz::civil_second kEpoch(1970, 1, 1, 0, 0, 0);
constexpr std::chrono::seconds kCycle{146097LL * 86400};  // 400 Gregorian years, a whole number of weeks

cctz::civil_second civil_of(LocalTime t) { return kEpoch + t.time_since_epoch().count(); }
LocalTime local_of(const cctz::civil_second& cs) { return LocalTime{std::chrono::seconds{cs - kEpoch}}; }

}  // namespace

std::string tzdata_version() { return std::string(tzdb_embedded::version()); }

Zone::Zone(std::string_view tzid, std::string_view field) {
  std::string f(field);
  if (tzid.empty() || tzid.size() > 64)
    throw Error(code::kUnknownTimeZone, f, f + ": '" + std::string(tzid.substr(0, 64)) + "' is not an IANA time zone");
  // Only the database's own names: cctz would also take fixed offsets and `libc:` names.
  if (!tzdb_embedded::contains(tzid) || !cctz::load_time_zone(std::string(tzid), &tz_))
    throw Error(code::kUnknownTimeZone, f,
                f + ": '" + std::string(tzid) + "' is not in the IANA time zone database " + tzdata_version());
  named_ = true;
  // cctz extends a zone with a DST footer rule by listing the rule's transitions for the 400 years after the
  // year L0 of its last explicit transition (L0 is 1996-2086 in the embedded data), so a list ending after 2300 is
  // such an extension. Years L0+1 .. L0+400 are footer rule and wholly listed; year L0 is not (before its last
  // explicit transition the zone's older rules apply), so the fold window starts the year after.
  cctz::time_zone::civil_transition last;
  if (tz_.prev_transition(cctz::time_point<cctz::seconds>::max(), &last) && last.to.year() > 2300)
    fold_from_ = local_of(cctz::civil_second(last.to.year() + 1, 1, 1, 0, 0, 0));
}

Instant Zone::to_instant(LocalTime t) const {
  if (!named_) return Instant{t.time_since_epoch()};
  if (t >= lo_ && t < hi_) return Instant{t.time_since_epoch() - offset_};
  if (t >= fold_from_) {
    const auto cycles = (t - (fold_from_ - kCycle)) / kCycle;  // t - cycles * kCycle is in the list's last 400 years
    const Instant at = lookup(t - cycles * kCycle, fold_from_ - kCycle) + cycles * kCycle;
    if (lo_ != LocalTime::max()) lo_ += cycles * kCycle, hi_ += cycles * kCycle;
    return at;
  }
  return lookup(t, LocalTime::min());
}

Instant Zone::lookup(LocalTime t, LocalTime floor) const {
  // unique: pre is the only instant; skipped (a gap): pre reads t with the offset before
  // the gap; repeated (an overlap): pre is the earlier instant. The policy is `pre` in
  // every case (zone.h).
  lo_ = LocalTime::max(), hi_ = LocalTime::min();  // nothing cached unless set below
  const cctz::time_zone::civil_lookup cl = tz_.lookup(civil_of(t));
  const Instant at = cl.pre;
  if (cl.kind == cctz::time_zone::civil_lookup::UNIQUE) {
    // The wall times read with this offset alone: from where the previous transition's
    // ambiguity ends to where the next one's begins. Without a next transition nothing is
    // cached: cctz lists a zone's footer-rule transitions only for 400 years past its last
    // explicit one and answers later times by shifting whole cycles, so "no next transition"
    // may mean "past the list", not "no more changes".
    cctz::time_zone::civil_transition tr;
    if (tz_.next_transition(at, &tr)) {
      const LocalTime hi = local_of(std::min(tr.from, tr.to));
      const LocalTime lo = tz_.prev_transition(at + std::chrono::seconds{1}, &tr)
                               ? local_of(std::max(tr.from, tr.to))
                               : LocalTime::min();
      if (lo <= t && t < hi) {
        lo_ = std::max(lo, floor), hi_ = hi, offset_ = t.time_since_epoch() - at.time_since_epoch();
        return at;
      }
    }
  }
  return at;
}

LocalTime Zone::to_local(Instant t) const {
  if (!named_) return LocalTime{t.time_since_epoch()};
  return local_of(tz_.lookup(t).cs);
}

}  // namespace convene::recurrence
