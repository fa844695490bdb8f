// convene/core/entities/reader.h — reading lists of entities from the chain without failing on one.
//
// A list read from Arkiv may hold anything anyone wrote. List readers skip every entity that is
// no evidence and count why (docs/trust.md): `unverified` (no signer metadata, a transferred owner,
// or a signer the rule does not allow), `conflicting` (attributes and payload disagree) and
// `malformed` (not decodable, outside the limits, or missing what its type needs). Only the list
// argument itself being of the wrong type makes a reader throw.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/entities/record.h"
#include "core/error.h"
#include "core/json_input.h"

namespace convene::entities {

/// Why entities of a list were left out, by reason.
struct Ignored {
  std::size_t unverified = 0;
  std::size_t conflicting = 0;
  std::size_t malformed = 0;

  /// Counts one entity left out because reading it threw `e` (by its code: UNVERIFIED_ENTITY,
  /// CONFLICTING_FIELDS, anything else is malformed).
  void count(const Error& e);
  void count_malformed() { ++malformed; }
  std::size_t total() const { return unverified + conflicting + malformed; }
  Ignored& operator+=(const Ignored& o);
  /// {unverified, conflicting, malformed, total}
  Json to_json() const;
};

/// Decodes each entity of `list` (null or absent: none) and calls `read(record, field)` with its
/// field path (`field[i]`). A `convene::Error` (or a JSON type error) thrown by the decoding or by
/// `read` leaves that entity out and is counted in `ignored`. Throws INVALID_TYPE naming `field`
/// when `list` is neither null nor an array.
template <class F>
void for_each_entity(const Json* list, std::string_view field, Ignored& ignored, F&& read) {
  if (!list || list->is_null()) return;
  if (!list->is_array())
    throw Error(code::kInvalidType, std::string(field), std::string(field) + " must be an array of entities, got " + json_type_name(*list));
  for (std::size_t i = 0; i < list->size(); ++i) {
    std::string f = std::string(field) + "[" + std::to_string(i) + "]";
    try {
      read(decode_entity((*list)[i], f), f);
    } catch (const Error& e) {
      ignored.count(e);
    } catch (const Json::exception&) {
      ignored.count_malformed();
    }
  }
}

}  // namespace convene::entities
