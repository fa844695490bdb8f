// convene/core/catalogue.h — every entity type the app writes, by name (docs/domain.md#catalogue).
//
// The domain core's types (core/entities/catalogue.h) and those whose rules read recurrence and the
// time-zone database: event_series, event_series_exception, event_series_follow (core/series/),
// RSVPs to an occurrence of a series (series::build_occurrence_rsvp), bluesky_publication and
// bluesky_account_link (core/bluesky/). The recurrence part's module builds and parses through this
// catalogue (docs/architecture.md#parts); native code and tests use it for everything.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/entities/draft.h"
#include "core/json_input.h"

namespace convene::catalogue {

/// Every type name `build_entity` accepts, sorted.
std::vector<std::string> entity_types();

/// Builds the entity `type` from `input` (a JSON object read as `input`).
/// Throws UNKNOWN_ENTITY_TYPE (field `type`) or the builder's own errors.
entities::EntityDraft build_entity(std::string_view type, const Json& input, const entities::BuildContext& ctx);

/// Parses an entity as the SDK returns it (see entities::flatten_entity) into a typed plain object,
/// dispatching on its `type` attribute (an event_series through series::parse_series, the rest as
/// entities::parse_entity does). Throws MISSING_FIELD (`entity.type`) when there is no type.
Json parse_entity(const Json& entity);

}  // namespace convene::catalogue
