#include "core/entities/arkiv_limits.h"

#include "core/error.h"

namespace convene::entities {

void validate_attribute_key(std::string_view key, std::string_view field) {
  std::string f(field);
  auto fail = [&](const std::string& why) {
    throw Error(code::kInvalidAttributeKey, f, f + " is not a valid Arkiv attribute key (" + why + "): \"" +
                                                   std::string(key.substr(0, 40)) + "\"");
  };
  if (key.empty()) fail("empty");
  if (key.size() > 64) fail("longer than 64 bytes");
  auto letter = [](unsigned char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  if (!letter(static_cast<unsigned char>(key[0]))) fail("must start with a letter or '_'");
  for (unsigned char c : key)
    if (!letter(c) && !(c >= '0' && c <= '9')) fail("only letters, digits and '_' are allowed");
}

void validate_attribute_string(std::string_view value, std::string_view field) {
  std::string f(field);
  for (unsigned char c : value) {
    if (c == '"')
      throw Error(code::kInvalidAttributeValue, f,
                  f + " cannot contain '\"' (Arkiv's query builder does not escape attribute values)");
    if (c < 0x20 || c == 0x7f)
      throw Error(code::kInvalidAttributeValue, f, f + " cannot contain control characters");
  }
}

void check_transaction_size(std::size_t entity_bytes, std::string_view field) {
  if (entity_bytes + kTransactionOverheadBytes > kMaxTransactionBytes) {
    std::string f(field);
    throw Error(code::kPayloadTooLarge, f,
                f + " makes the entity " + std::to_string(entity_bytes) + " bytes; an Arkiv transaction is capped at " +
                    std::to_string(kMaxTransactionBytes) + " bytes");
  }
}

}  // namespace convene::entities
