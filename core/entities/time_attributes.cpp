#include "core/entities/time_attributes.h"

#include <chrono>
#include <string>

#include "core/entities/session.h"
#include "core/error.h"

namespace convene::entities {

namespace {
constexpr std::int64_t kMaxAttributeNumber = (std::int64_t{1} << 53) - 1;

void check_one(const Json& merged, std::string_view key, std::uint64_t expected, std::string_view field,
               std::string_view of = "the entity's own sessionDate and duration") {
  auto it = merged.find(std::string(key));
  if (it == merged.end()) return;
  const std::string where = std::string(field) + "." + std::string(key);
  if (!it->is_number_unsigned() || it->get<std::uint64_t>() != expected)
    throw Error(code::kConflictingFields, where,
                where + " must be " + std::to_string(expected) + " (Unix seconds of " + std::string(of) + ")");
}
}  // namespace

std::uint64_t attribute_seconds(UtcTime t) {
  const auto s = std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
  if (s < 0) return 0;
  return static_cast<std::uint64_t>(s > kMaxAttributeNumber ? kMaxAttributeNumber : s);
}

void add_time_attributes(EntityDraft& d, UtcTime starts, UtcTime ends) {
  d.attr_number(std::string(kStartsAtSec), attribute_seconds(starts));
  d.attr_number(std::string(kEndsAtSec), attribute_seconds(ends));
}

void check_time_attributes(const Json& merged, UtcTime starts, UtcTime ends, std::string_view field) {
  check_one(merged, kStartsAtSec, attribute_seconds(starts), field);
  check_one(merged, kEndsAtSec, attribute_seconds(ends), field);
}

void check_end_attribute(const Json& merged, UtcTime ends, std::string_view field) {
  check_one(merged, kEndsAtSec, attribute_seconds(ends), field, "the later of the occurrence's original and modified ends");
}

TimeQuery time_query(TimeWindow when, UtcTime now) {
  const std::uint64_t t = attribute_seconds(now);
  const std::uint64_t longest = static_cast<std::uint64_t>(kMaxDurationMinutes) * 60;
  const std::uint64_t earliest = t > longest ? t - longest : 0;
  switch (when) {
    case TimeWindow::NotEnded:
      return {{{kEndsAtSec, ">", t}, {kStartsAtSec, ">=", earliest}}, kStartsAtSec, false};
    case TimeWindow::Happening:
      return {{{kStartsAtSec, "<=", t}, {kStartsAtSec, ">=", earliest}, {kEndsAtSec, ">", t}, {kEndsAtSec, "<=", t + longest}},
              kEndsAtSec,
              false};
    case TimeWindow::Past:
      return {{{kEndsAtSec, "<=", t}, {kStartsAtSec, "<=", t}}, kStartsAtSec, true};
    case TimeWindow::EndsLater:
      return {{{kEndsAtSec, ">", t}}, kEndsAtSec, false};
  }
  return {};
}

TimeWindow parse_time_window(std::string_view text, std::string_view field) {
  if (text == "notEnded") return TimeWindow::NotEnded;
  if (text == "happening") return TimeWindow::Happening;
  if (text == "past") return TimeWindow::Past;
  if (text == "endsLater") return TimeWindow::EndsLater;
  throw Error(code::kInvalidInput, std::string(field), std::string(field) + " must be 'notEnded', 'happening', 'past' or 'endsLater'");
}

}  // namespace convene::entities
