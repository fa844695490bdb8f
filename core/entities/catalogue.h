// convene/core/entities/catalogue.h — the domain core's entity types, by name (docs/domain.md#catalogue).
//
// The domain core (the package's main part: docs/architecture.md#parts) builds and parses sessions,
// their companions, gatherings and gathering RSVPs. The types whose rules need recurrence and the
// time-zone database — series, their exceptions and follows, RSVPs to an occurrence of a series,
// Bluesky publications and account links — are built by the whole catalogue (core/catalogue.h),
// which the recurrence part's module links. Here they throw PART_NOT_LOADED, so a page that did not
// load that part gets a typed answer instead of a wrong one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/entities/draft.h"
#include "core/json_input.h"

namespace convene::entities {

/// The type names `build_entity` builds: session, session_confirmation, session_rejection,
/// session_jitsi, session_payment_submission, session_payment_validation, session_txhash,
/// virtual_gathering, virtual_gathering_txhash, gathering_rsvp (a `session`: docs/domain.md#gathering-rsvps;
/// to a gathering, not to an occurrence of a series).
std::vector<std::string> entity_types();

/// The type names only the whole catalogue builds (core/catalogue.h): event_series,
/// event_series_exception, event_series_follow, bluesky_publication, bluesky_account_link.
const std::vector<std::string>& recurrence_part_types();

/// Builds the entity `type` from `input` (a JSON object read as `input`).
/// Throws PART_NOT_LOADED (field `type`) for a type of recurrence_part_types(), and (field
/// `input.series`) for a gathering_rsvp to an occurrence of a series (`series` without `gathering`);
/// UNKNOWN_ENTITY_TYPE (field `type`) for any other name; or the builder's own errors.
EntityDraft build_entity(std::string_view type, const Json& input, const BuildContext& ctx);

/// The RSVP builder the domain catalogue uses for gathering_rsvp: build_gathering_rsvp, or
/// PART_NOT_LOADED (field `input.series`) for an RSVP to an occurrence of a series.
EntityDraft build_domain_rsvp(const Input& in, const BuildContext& ctx);

/// Parses an entity as the SDK returns it (see flatten_entity) into a typed plain object,
/// dispatching on its `type` attribute. Types without a dedicated parser are returned
/// flattened; an event_series throws PART_NOT_LOADED (field `entity.type`): its parser reads the
/// rule (core/catalogue.h). Throws MISSING_FIELD (`entity.type`) when there is no type.
Json parse_entity(const Json& entity);

/// parse_entity on an entity already flattened (flatten_entity, field `entity`): for callers that
/// read its type first (the whole catalogue, core/catalogue.h). Same errors.
Json parse_flat_entity(Json flat);

}  // namespace convene::entities
