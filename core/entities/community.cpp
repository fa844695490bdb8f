#include "core/entities/community.h"

#include <string_view>

#include "core/entities/slug.h"
#include "core/error.h"

namespace convene::entities {

namespace {
std::string trim(std::string_view s) {
  const char* ws = " \t\n\r\f\v";
  const auto b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  return std::string(s.substr(b, s.find_last_not_of(ws) - b + 1));
}
}  // namespace

Community read_community(const Input& in) {
  const std::string typed = in.str("community");
  Community c{skill_slug(typed), {}};
  if (c.slug.empty())
    throw Error(code::kInvalidInput, in.field("community"), in.field("community") + " has no letters or digits to make a slug from");
  const auto given = in.opt_str("communityName");
  const bool separate = given && !trim(*given).empty();
  c.name = trim(separate ? *given : typed);
  const std::string field = in.field(separate ? "communityName" : "community");
  if (c.name.size() > kMaxCommunityNameBytes)
    throw Error(code::kInvalidInput, field, field + " must be at most " + std::to_string(kMaxCommunityNameBytes) + " bytes");
  return c;
}

}  // namespace convene::entities
