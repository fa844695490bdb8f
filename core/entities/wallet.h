// convene/core/entities/wallet.h — Ethereum addresses and hashes as Arkiv stores them.
//
// Wallet addresses are stored lowercase, always, and compared case-insensitively
// (docs/domain.md#entities-on-arkiv; p2pmentor lowercases every wallet attribute). EIP-55 mixed-case
// (checksummed) input is accepted and lowercased; its checksum is not verified
// here (that needs keccak-256, which the JS layer has).
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace convene::entities {

/// An Ethereum address as Convene holds it: `0x` + 40 lowercase hex digits.
///
/// Only `parse` and `try_parse` make one, so a `Wallet` is always a valid, normalized
/// address and two wallets compare equal exactly when they are the same account
/// (addresses compare case-insensitively: docs/domain.md#entities-on-arkiv). EIP-55
/// mixed case is accepted and lowercased; its checksum is not verified here.
class Wallet {
 public:
  /// `0x` + 40 hex digits (any case, surrounding whitespace trimmed) -> Wallet.
  /// Throws MISSING_FIELD (empty) or INVALID_WALLET naming `field`.
  static Wallet parse(std::string_view text, std::string_view field);
  /// The same, without throwing: nullopt for anything that is not an address.
  static std::optional<Wallet> try_parse(std::string_view text);

  /// The lowercase text, `0x` + 40 hex digits.
  const std::string& str() const noexcept { return text_; }

  friend bool operator==(const Wallet&, const Wallet&) = default;
  friend std::strong_ordering operator<=>(const Wallet&, const Wallet&) = default;

 private:
  explicit Wallet(std::string lower) : text_(std::move(lower)) {}
  std::string text_;
};

/// `0x` + 40 hex digits (any case) -> lowercase. Surrounding whitespace is trimmed.
/// Throws INVALID_WALLET naming `field` otherwise (MISSING_FIELD when empty).
std::string normalize_wallet(std::string_view text, std::string_view field);

/// True when `text` (trimmed) is `0x` + 40 hex digits, in any case.
bool is_wallet(std::string_view text);

/// True when both are valid addresses that differ at most in case.
bool same_wallet(std::string_view a, std::string_view b);

/// `0x` + 64 hex digits (a transaction hash or entity key) -> lowercase.
/// Throws INVALID_TX_HASH naming `field` otherwise.
std::string normalize_hash32(std::string_view text, std::string_view field);

}  // namespace convene::entities
