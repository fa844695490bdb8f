#include "core/entities/provenance.h"

#include <array>
#include <string>

#include "core/error.h"

namespace convene::entities {
namespace {

constexpr std::array<std::string_view, 9> kMetadataFields = {
    "key", "entityKey", "creator", "owner", "createdAtBlock", "lastModifiedAtBlock",
    "transactionIndexInBlock", "operationIndexInTransaction", "expiresAtBlock"};

[[noreturn]] void malformed(const std::string& f, const std::string& what) {
  throw Error(code::kMalformedEntity, f, f + " " + what);
}

std::optional<std::uint64_t> read_index(const Json& e, std::string_view name, std::string_view field) {
  auto it = e.find(name);
  if (it == e.end() || it->is_null()) return std::nullopt;
  std::string f = std::string(field) + "." + std::string(name);
  if (it->is_number_unsigned()) return it->get<std::uint64_t>();
  if (it->is_number_integer()) {
    auto v = it->get<std::int64_t>();
    if (v < 0) malformed(f, "must not be negative");
    return static_cast<std::uint64_t>(v);
  }
  if (it->is_number_float()) {
    double d = it->get<double>();
    if (d < 0 || d > 9007199254740991.0 || d != static_cast<double>(static_cast<std::uint64_t>(d)))
      malformed(f, "must be a whole number");
    return static_cast<std::uint64_t>(d);
  }
  if (it->is_string()) {
    const auto& s = it->get_ref<const std::string&>();
    bool hex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    std::string_view digits = hex ? std::string_view(s).substr(2) : std::string_view(s);
    if (digits.empty() || digits.size() > (hex ? 16u : 19u)) malformed(f, "must be a block number or index");
    std::uint64_t v = 0;
    for (char c : digits) {
      int d = c >= '0' && c <= '9' ? c - '0' : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10 : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) malformed(f, "must be a block number or index");
      v = v * (hex ? 16 : 10) + static_cast<std::uint64_t>(d);
    }
    return v;
  }
  malformed(f, "must be a number, got " + json_type_name(*it));
}

std::optional<Wallet> read_address(const Json& e, std::string_view name, std::string_view field) {
  auto it = e.find(name);
  if (it == e.end() || it->is_null()) return std::nullopt;
  std::string f = std::string(field) + "." + std::string(name);
  if (!it->is_string()) malformed(f, "must be an address, got " + json_type_name(*it));
  auto w = Wallet::try_parse(it->get_ref<const std::string&>());
  if (!w) malformed(f, "must be an address (0x + 40 hex digits)");
  return w;
}

}  // namespace

std::optional<Wallet> Provenance::signer() const {
  if (!creator || !owner || *creator != *owner) return std::nullopt;
  return creator;
}

void Provenance::write_to(Json& flat) const {
  if (creator) flat["creator"] = creator->str();
  if (owner) flat["owner"] = owner->str();
  if (created_at_block) flat["createdAtBlock"] = *created_at_block;
  if (position) {
    flat["lastModifiedAtBlock"] = position->block;
    flat["transactionIndexInBlock"] = position->tx_index;
    flat["operationIndexInTransaction"] = position->op_index;
  }
  if (expires_at_block) flat["expiresAtBlock"] = *expires_at_block;
}

bool is_metadata_field(std::string_view name) {
  for (auto f : kMetadataFields)
    if (f == name) return true;
  return false;
}

Provenance read_provenance(const Json& e, std::string_view field) {
  Provenance p;
  p.creator = read_address(e, "creator", field);
  p.owner = read_address(e, "owner", field);
  p.created_at_block = read_index(e, "createdAtBlock", field);
  p.expires_at_block = read_index(e, "expiresAtBlock", field);
  auto block = read_index(e, "lastModifiedAtBlock", field);
  if (block) {
    p.position = ChainPosition{*block, read_index(e, "transactionIndexInBlock", field).value_or(0),
                               read_index(e, "operationIndexInTransaction", field).value_or(0)};
  }
  return p;
}

}  // namespace convene::entities
