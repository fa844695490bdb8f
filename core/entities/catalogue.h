// convene/core/entities/catalogue.h — every entity type the app writes, by name (docs/domain.md#catalogue).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/entities/draft.h"
#include "core/json_input.h"

namespace convene::entities {

/// The type names `build` accepts: session, session_confirmation, session_rejection,
/// session_jitsi, session_payment_submission, session_payment_validation, session_txhash,
/// virtual_gathering, virtual_gathering_txhash, gathering_rsvp (a `session`: docs/domain.md#gathering-rsvps),
/// event_series, event_series_exception, event_series_follow (core/series/), bluesky_publication
/// (core/bluesky/publication.h).
std::vector<std::string> entity_types();

/// Builds the entity `type` from `input` (a JSON object read as `input`).
/// Throws UNKNOWN_ENTITY_TYPE (field `type`) or the builder's own errors.
EntityDraft build_entity(std::string_view type, const Json& input, const BuildContext& ctx);

/// Parses an entity as the SDK returns it (see flatten_entity) into a typed plain object,
/// dispatching on its `type` attribute. Types without a dedicated parser are returned
/// flattened. Throws MISSING_FIELD (`entity.type`) when there is no type.
Json parse_entity(const Json& entity);

}  // namespace convene::entities
