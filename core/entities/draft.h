// convene/core/entities/draft.h — an entity ready to hand to the Arkiv SDK.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/json_input.h"
#include "core/random.h"
#include "core/time.h"

namespace convene::entities {

/// One Arkiv attribute. Values are strings or integers in [0, 2^53 - 1] (docs/toolchain.md#limits).
struct Attribute {
  std::string key;
  std::variant<std::string, std::uint64_t> value;
};

/// What `createEntity` takes: `{ payload, contentType, attributes, expiresIn }`.
struct EntityDraft {
  Json payload = Json::object();            ///< serialized as UTF-8 JSON bytes
  std::string content_type = "application/json";
  std::vector<Attribute> attributes;        ///< `type` first, then as documented per entity
  std::int64_t expires_in = 0;              ///< whole seconds, >= 1

  /// Adds a string attribute (validated: key grammar, no '"' in the value).
  void attr(std::string key, std::string value);
  /// Adds a numeric attribute (must be <= 2^53 - 1).
  void attr_number(std::string key, std::uint64_t value);
  /// Value of a string attribute, if present.
  std::optional<std::string> find(std::string_view key) const;

  /// Throws PAYLOAD_TOO_LARGE naming `field` when payload + attributes would push the
  /// transaction over Arkiv's 128 KB cap (see arkiv_limits.h).
  void check_size(std::string_view field = "input") const;

  /// Validates the size against Arkiv's transaction cap (PAYLOAD_TOO_LARGE naming
  /// `field`) and returns `{payload: "<json text>", contentType, attributes: [{key, value}], expiresIn}`.
  Json to_json(std::string_view field = "input") const;
};

/// Everything a builder needs besides its input: the clock, the space, randomness.
struct BuildContext {
  UtcTime now;                       ///< the caller's clock
  std::string space_id = "local-dev";  ///< `spaceId` attribute (docs/domain.md#entities-on-arkiv)
  Random* random = nullptr;          ///< for ids made in the core (gathering rooms)
};

}  // namespace convene::entities
