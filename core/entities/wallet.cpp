#include "core/entities/wallet.h"

#include <cctype>

#include "core/error.h"

namespace convene::entities {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool hex_prefixed(std::string_view s, std::size_t digits) {
  if (s.size() != digits + 2 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) return false;
  for (char c : s.substr(2))
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string normalize_wallet(std::string_view text, std::string_view field) {
  auto s = trim(text);
  std::string f(field);
  if (s.empty()) throw Error(code::kMissingField, f, f + " is required (a wallet address)");
  if (!hex_prefixed(s, 40))
    throw Error(code::kInvalidWallet, f,
                f + " must be a wallet address: 0x followed by 40 hex digits; got \"" + std::string(s.substr(0, 50)) + "\"");
  return lower(s);
}

Wallet Wallet::parse(std::string_view text, std::string_view field) { return Wallet(normalize_wallet(text, field)); }

std::optional<Wallet> Wallet::try_parse(std::string_view text) {
  auto s = trim(text);
  if (!hex_prefixed(s, 40)) return std::nullopt;
  return Wallet(lower(s));
}

bool is_wallet(std::string_view text) { return hex_prefixed(trim(text), 40); }

bool same_wallet(std::string_view a, std::string_view b) {
  auto x = trim(a), y = trim(b);
  return hex_prefixed(x, 40) && hex_prefixed(y, 40) && lower(x) == lower(y);
}

std::string normalize_hash32(std::string_view text, std::string_view field) {
  auto s = trim(text);
  std::string f(field);
  if (s.empty()) throw Error(code::kMissingField, f, f + " is required (0x + 64 hex digits)");
  if (!hex_prefixed(s, 64))
    throw Error(code::kInvalidTxHash, f, f + " must be 0x followed by 64 hex digits");
  return lower(s);
}

}  // namespace convene::entities
