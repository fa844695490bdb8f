// convene/core/entities/time_attributes.h — numeric start and end attributes, so the node can filter and
// order by time (docs/domain.md#time-attributes).
//
// A gathering or a session stores its start as `sessionDate` (ISO 8601 text) and its length as
// `duration` (minutes). Arkiv can compare and order only numeric attributes as numbers, so every
// gathering and session also carries `startsAtSec` and `endsAtSec`: Unix seconds (UTC) of its start
// and of its end (start + duration). A page then asks the node for "ends after now, soonest start
// first, one page" instead of reading the whole space.
//
// They are claims like every other attribute (docs/trust.md): a reader derives the true values from
// sessionDate + duration and refuses an entity whose attributes say otherwise (CONFLICTING_FIELDS), so
// a wrong attribute can hide its own entity from a time query but never put a false time on a page.
// Entities written before these attributes existed have neither; readers accept that (the fallback
// in docs/domain.md#time-attributes: such entities are found only by queries without a time filter).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/entities/draft.h"
#include "core/json_input.h"
#include "core/time.h"

namespace convene::entities {

inline constexpr std::string_view kStartsAtSec = "startsAtSec";  ///< Unix seconds, UTC
inline constexpr std::string_view kEndsAtSec = "endsAtSec";      ///< Unix seconds, UTC

/// `t` as an Arkiv numeric attribute value: whole Unix seconds (UTC, floored), clamped to
/// [0, 2^53 - 1] (Arkiv's numeric range, docs/toolchain.md#limits).
std::uint64_t attribute_seconds(UtcTime t);

/// Adds `startsAtSec` = attribute_seconds(starts) and `endsAtSec` = attribute_seconds(ends) to `d`.
void add_time_attributes(EntityDraft& d, UtcTime starts, UtcTime ends);

/// Checks the time attributes of `merged` (an entity's attributes and payload as one object,
/// EntityRecord::merged): each one present must be a number equal to the value add_time_attributes
/// writes for `starts` / `ends`. Absent ones are accepted (entities older than the rule). Throws
/// CONFLICTING_FIELDS naming `field.startsAtSec` / `field.endsAtSec`.
void check_time_attributes(const Json& merged, UtcTime starts, UtcTime ends, std::string_view field);

/// Checks `endsAtSec` alone, for an entity that carries an end but no start of its own (an
/// event_series_exception: the later of its occurrence's original and modified ends,
/// core/series/series.h exception_end). Absent: accepted. Throws CONFLICTING_FIELDS naming
/// `field.endsAtSec`.
void check_end_attribute(const Json& merged, UtcTime ends, std::string_view field);

/// Which meetings a list page shows, by time.
enum class TimeWindow {
  NotEnded,   ///< happening now or upcoming: soonest start first
  Happening,  ///< started and not ended: ending soonest first
  Past,       ///< ended: most recent start first
  EndsLater,  ///< entities with only an end (series exceptions) whose end is later than now: soonest end first
};

/// One comparison the node evaluates on a numeric time attribute: `attribute op value`.
struct TimeBound {
  std::string_view attribute;  ///< kStartsAtSec or kEndsAtSec
  std::string_view op;         ///< ">", ">=", "<" or "<="
  std::uint64_t value;         ///< Unix seconds, UTC
};

/// The node-side query of a time window: comparisons to AND with the page's other predicates, and the
/// attribute to order by. Besides the comparisons that define the window it carries bounds implied by
/// the longest meeting (kMaxDurationMinutes, core/entities/session.h: a meeting not yet ended started at
/// most that long ago), so an ordered page starts and stops at the window on the node's sorted index
/// instead of walking everything before it (docs/domain.md#time-attributes).
struct TimeQuery {
  std::vector<TimeBound> where;
  std::string_view order_by;
  bool descending = false;
};

/// The query of `when` at `now` (UTC; seconds floored as attribute_seconds does). NotEnded: endsAtSec >
/// now, startsAtSec >= now - longest, by startsAtSec ascending. Happening: startsAtSec <= now,
/// startsAtSec >= now - longest, endsAtSec > now, endsAtSec <= now + longest, by endsAtSec ascending.
/// Past: endsAtSec <= now, startsAtSec <= now, by startsAtSec descending. EndsLater: endsAtSec > now, by
/// endsAtSec ascending (no start bound: a series exception has none, and a moved occurrence may end long
/// after its RECURRENCE-ID).
TimeQuery time_query(TimeWindow when, UtcTime now);

/// "notEnded" | "happening" | "past" | "endsLater" -> TimeWindow; INVALID_INPUT naming `field` otherwise.
TimeWindow parse_time_window(std::string_view text, std::string_view field);

}  // namespace convene::entities
