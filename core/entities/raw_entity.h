// convene/core/entities/raw_entity.h — an entity as one flat object: attributes and payload merged.
#pragma once

#include <string_view>

#include "core/json_input.h"

namespace convene::entities {

/// Decodes `entity` (see record.h: as the SDK returns it, or already flat as `parse` returns it)
/// and merges attributes and payload into one object with `key` and the metadata fields
/// (`creator`, `owner`, `lastModifiedAtBlock`, ...; provenance.h). Used where the caller's own
/// input names an entity (a builder's `session` or `gathering`), not to decide on trust.
/// Throws MALFORMED_ENTITY / CONFLICTING_FIELDS naming `field` or a sub-field.
Json flatten_entity(const Json& entity, std::string_view field);

}  // namespace convene::entities
