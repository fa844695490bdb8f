// convene/core/entities/slug.h — skill and community slugs (docs/domain.md#skill-slugs).
#pragma once

#include <string>
#include <string_view>

namespace convene::entities {

/// p2pmentor's slug: lowercase, trim, drop every character outside [a-z0-9], whitespace
/// and '-', turn whitespace runs into '-', squeeze repeated '-', trim '-' at both ends.
/// ASCII-only: non-ASCII letters are dropped, as the original regex does.
/// "C++ Programming" -> "c-programming"; "Node.js" -> "nodejs". May return "".
std::string skill_slug(std::string_view name);

}  // namespace convene::entities
