// convene/core/entities/record.h — an entity read from Arkiv, decoded once at the edge of the core.
//
// Every reader starts here. `decode_entity` takes an entity as the SDK returns it
// (`{key, attributes: [{key, value}], payload, owner, creator, lastModifiedAtBlock, ...}`, the JS
// layer having turned payload bytes into text and BigInts into numbers) or as
// `core.entities.parse` returns it (one flat object with the same metadata fields), checks it
// against the limits below, and keeps attributes, payload and provenance apart. Nothing here
// decides whether the entity is evidence of anything: that is the signer check (verified.h).
//
// Limits (docs/trust.md, "Hostile input"): a payload of at most 128 KiB (Arkiv's transaction
// cap, arkiv_limits.h), nested at most 32 levels, no string value over 16 KiB, attribute values
// strings or numbers only, no attribute or payload field named like a metadata field.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/entities/arkiv_limits.h"
#include "core/entities/provenance.h"
#include "core/json_input.h"

namespace convene::entities {

inline constexpr std::size_t kMaxEntityPayloadBytes = kMaxTransactionBytes;  ///< 131,072
inline constexpr int kMaxEntityNesting = 32;                                  ///< levels of [ and {
inline constexpr std::size_t kMaxEntityStringBytes = 16 * 1024;               ///< per string value

/// One entity, decoded but not yet trusted.
struct EntityRecord {
  std::string key;                  ///< entityKey; "" when the object carried none
  Json attributes = Json::object(); ///< attribute key -> value (string or number)
  Json payload = Json::object();    ///< the payload's JSON object ({} when read without payload)
  bool flat = false;                ///< given as a parsed object: attributes and payload already merged
  Provenance provenance;

  /// The `type` attribute (or, for a flat object, its `type` field), if it is a string.
  std::optional<std::string> type() const;

  /// Attributes and payload merged into one object, as readers see the entity. A field present in
  /// both must carry the same value: scalars compare by their text (attribute "true" equals payload
  /// true, "60" equals 60), addresses case-insensitively. Otherwise throws CONFLICTING_FIELDS naming
  /// `field.<name>`: the core never reads a value other than the one a query matched.
  Json merged(std::string_view field) const;
};

/// Decodes one entity (see the header comment). Throws MALFORMED_ENTITY naming `field` or a
/// sub-field for anything outside the limits or not shaped like an entity, CONFLICTING_FIELDS when
/// one attribute key appears twice with different values.
EntityRecord decode_entity(const Json& entity, std::string_view field);

/// True when `text` opens more than `max_depth` nested arrays/objects (strings are skipped).
/// Linear, no recursion: safe on any input.
bool json_nesting_exceeds(std::string_view text, int max_depth);

/// The same for an already-parsed value: recursion stops as soon as `max_depth` is passed, so the
/// stack stays bounded by `max_depth` whatever the value.
bool json_value_nesting_exceeds(const Json& value, int max_depth);

}  // namespace convene::entities
