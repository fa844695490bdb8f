// convene/core/entities/raw_entity.h — an entity as the Arkiv SDK returns it, flattened.
#pragma once

#include <string_view>

#include "core/json_input.h"

namespace convene::entities {

/// Flattens an entity read from Arkiv into one object: attributes merged with the
/// payload (payload fields win, as p2pmentor's `{...attributes, ...JSON.parse(payload)}`),
/// plus `key` (the entityKey), `owner` (lowercased) and `expiresAtBlock` when present.
///
/// Tolerates what readers meet in practice:
///  - `attributes` as `[{key, value}]` (SDK 0.6) or as a plain object;
///  - `payload` as JSON text (the JS layer decodes Uint8Array bytes to text), as an
///    already-parsed object, or absent (queries without `withPayload`);
///  - `entityKey` instead of `key`.
/// An object with neither `attributes` nor `payload` is taken as already flat.
/// Throws INVALID_INPUT naming `field.payload` for payload text that is not a JSON
/// object, INVALID_TYPE for a non-object entity.
Json flatten_entity(const Json& entity, std::string_view field);

}  // namespace convene::entities
