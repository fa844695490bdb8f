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

}  // namespace convene::entities
