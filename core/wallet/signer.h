// convene/core/wallet/signer.h — an unlocked key that signs digests (docs/wallet.md).
//
// A Signer owns one private key and signs 32-byte digests with ECDSA over
// secp256k1 (SEC 1 §4.1.3) the way Ethereum expects:
//   - nonces are deterministic, RFC 6979 §3.2 with HMAC-SHA256 and no extra
//     entropy (libsecp256k1's default nonce function), so a signature equals
//     the one any other RFC 6979 implementation (viem, @noble/secp256k1) makes;
//   - s is low (s <= n/2, EIP-2; libsecp256k1 always normalizes);
//   - yParity (0 or 1) is the recovery id, the parity of R's y coordinate.
// Hashing (keccak-256 of an RLP transaction, EIP-191 message, EIP-712 data) is
// not done here: the caller passes the digest.
//
// lock() wipes the key (sodium_memzero) and the stack the signing used; every
// later sign_digest throws LOCKED. The key never leaves the Signer.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/random.h"
#include "core/wallet/keys.h"

namespace convene::wallet {

inline constexpr std::size_t kDigestBytes = 32;

/// An Ethereum-style ECDSA signature: r and s as 32-byte big-endian integers
/// (0 < r, s < n; s <= n/2) and the recovery bit.
struct Signature {
  std::array<std::uint8_t, 32> r;
  std::array<std::uint8_t, 32> s;
  int y_parity;  ///< 0 or 1
};

/// Parses a digest given as 64 hex digits with an optional "0x" prefix (either
/// case). Throws INVALID_INPUT naming `field` otherwise.
std::array<std::uint8_t, kDigestBytes> parse_digest_hex(std::string_view hex, std::string_view field);

/// Parses an Ethereum signature r || s || v given as 65 bytes in 130 hex digits (optional "0x",
/// either case); v is 27 or 28 (personal_sign) or 0 or 1 (yParity). Does not check r and s
/// against the curve order (recover_public_key() does). Throws INVALID_INPUT naming `field`.
Signature parse_signature_hex(std::string_view hex, std::string_view field);

/// The public key that made `sig` over `digest`: ECDSA public key recovery (SEC 1 v2 §4.1.6;
/// libsecp256k1's secp256k1_ecdsa_recover with its static context: no secret is involved).
/// Any 0 < r, s < n is accepted, high s too (as viem's recoverPublicKey does): a signature
/// recovers *some* key, so the caller must compare the result (or its address) with the key it
/// expects. Throws INVALID_INPUT (field `signature`) when r or s is 0 or >= n, or when no
/// point has x = r with that parity (nothing recoverable).
PublicKey recover_public_key(std::span<const std::uint8_t, kDigestBytes> digest, const Signature& sig);

class Signer {
 public:
  /// Takes ownership of `key`; `blinding` seeds the side-channel blinding of the
  /// signer's libsecp256k1 context (no effect on the signatures).
  Signer(std::unique_ptr<PrivateKey> key, Random& blinding);
  ~Signer();
  Signer(const Signer&) = delete;
  Signer& operator=(const Signer&) = delete;

  /// x || y of the key's public point; still available after lock().
  const PublicKey& public_key() const { return public_key_; }
  bool locked() const { return key_ == nullptr; }

  /// ECDSA signature of `digest` (RFC 6979 nonce, low s, recovery bit).
  /// Throws LOCKED after lock().
  Signature sign_digest(std::span<const std::uint8_t, kDigestBytes> digest) const;

  /// Wipes the key; idempotent.
  void lock() noexcept;

 private:
  Curve curve_;
  std::unique_ptr<PrivateKey> key_;
  PublicKey public_key_;
};

}  // namespace convene::wallet
