#include "core/entities/draft.h"

#include "core/entities/arkiv_limits.h"
#include "core/error.h"

namespace convene::entities {

void EntityDraft::attr(std::string key, std::string value) {
  validate_attribute_key(key, "attributes." + key);
  validate_attribute_string(value, "input." + key);
  attributes.push_back({std::move(key), std::move(value)});
}

void EntityDraft::attr_number(std::string key, std::uint64_t value) {
  validate_attribute_key(key, "attributes." + key);
  if (value > kMaxNumericAttribute)
    throw Error(code::kInvalidAttributeValue, "input." + key, "input." + key + " exceeds 2^53 - 1");
  attributes.push_back({std::move(key), value});
}

std::optional<std::string> EntityDraft::find(std::string_view key) const {
  for (const auto& a : attributes)
    if (a.key == key && std::holds_alternative<std::string>(a.value)) return std::get<std::string>(a.value);
  return std::nullopt;
}

void EntityDraft::check_size(std::string_view field) const { (void)to_json(field); }

Json EntityDraft::to_json(std::string_view field) const {
  std::string text = payload.dump(-1, ' ', false, Json::error_handler_t::replace);
  std::size_t bytes = text.size();
  Json attrs = Json::array();
  for (const auto& a : attributes) {
    bytes += a.key.size();
    if (const auto* s = std::get_if<std::string>(&a.value)) {
      bytes += s->size();
      attrs.push_back({{"key", a.key}, {"value", *s}});
    } else {
      bytes += 8;
      attrs.push_back({{"key", a.key}, {"value", std::get<std::uint64_t>(a.value)}});
    }
  }
  check_transaction_size(bytes, field);
  return Json{{"payload", std::move(text)}, {"contentType", content_type}, {"attributes", std::move(attrs)},
              {"expiresIn", expires_in}};
}

}  // namespace convene::entities
