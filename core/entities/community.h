// convene/core/entities/community.h — a community as people typed it, and the slug lists filter by
// (docs/domain.md#skill-slugs).
#pragma once

#include <cstddef>
#include <string>

#include "core/json_input.h"

namespace convene::entities {

/// Longest community name kept, in bytes (UTF-8) after trimming.
inline constexpr std::size_t kMaxCommunityNameBytes = 100;

/// A community: `slug` (skill_slug of the name; what attributes hold and queries match) and `name`
/// (the words typed, trimmed; what pages show).
struct Community {
  std::string slug;
  std::string name;
};

/// Reads a builder's community: `community` (the name as typed, or a slug) and, optionally,
/// `communityName` (the name, when `community` is already a slug: a series' occurrences and cancelled
/// gatherings carry both). The slug is always skill_slug(`community`); the name is `communityName` when
/// given, else `community`, trimmed of ASCII whitespace. Throws MISSING_FIELD / INVALID_TYPE for
/// `community`, INVALID_INPUT naming `community` when it has no letters or digits, or naming the name's
/// field when it is longer than kMaxCommunityNameBytes.
Community read_community(const Input& in);

}  // namespace convene::entities
