// convene/core/wallet/keys.h — secp256k1 private and public keys (docs/wallet.md).
//
// An Ethereum account key is a secp256k1 scalar d with 1 <= d < n (SEC 1 v2
// §3.2.1; n is the group order). Its public key Q = d·G is carried here as the
// 64-byte uncompressed point x || y (big-endian, SEC 1 §2.3.3 without the 0x04
// prefix): exactly the bytes whose keccak-256 ends in the Ethereum address
// (Yellow Paper, Appendix F). The address itself is computed in JavaScript
// (viem's keccak-256); the core never needs it.
//
// Backend: libsecp256k1 (Debian 0.2.0 natively, the same release compiled to
// WASM). Errors: `INVALID_KEY` (field `privateKey`).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>

#include "core/random.h"
#include "core/wallet/secret.h"

struct secp256k1_context_struct;

namespace convene::wallet {

inline constexpr std::size_t kPrivateKeyBytes = 32;
inline constexpr std::size_t kPublicKeyBytes = 64;

/// A private key: 32 big-endian bytes, always a valid scalar (1 <= d < n).
using PrivateKey = Secret<kPrivateKeyBytes>;
/// Uncompressed public key without the 0x04 prefix: x || y, 32 bytes each, big-endian.
using PublicKey = std::array<std::uint8_t, kPublicKeyBytes>;

/// A libsecp256k1 context blinded with 32 random bytes (`secp256k1_context_randomize`,
/// a side-channel counter-measure for d·G). Cheap to make in libsecp256k1 0.2
/// (its tables are static); each Signer owns one. Not copyable.
class Curve {
 public:
  /// Throws INTERNAL if libsecp256k1 cannot allocate the context.
  explicit Curve(Random& blinding);
  ~Curve();
  Curve(const Curve&) = delete;
  Curve& operator=(const Curve&) = delete;
  secp256k1_context_struct* get() const { return ctx_; }

 private:
  secp256k1_context_struct* ctx_;
};

/// True when `bytes` is 32 bytes holding a scalar 1 <= d < n (`secp256k1_ec_seckey_verify`).
bool is_valid_private_key(std::span<const std::uint8_t> bytes);

/// A new private key: 32 bytes from `random` (libsodium's CSPRNG in production),
/// drawn again while they fall outside [1, n) (probability < 2^-127 per draw,
/// rejection sampling as SEC 1 §3.2.1 asks; never reduced mod n, which would bias).
std::unique_ptr<PrivateKey> generate_private_key(Random& random);

/// Imports an existing key. Throws INVALID_KEY (field `privateKey`) unless
/// `bytes` is exactly 32 bytes holding 1 <= d < n. The caller wipes its copy.
std::unique_ptr<PrivateKey> import_private_key(std::span<const std::uint8_t> bytes);

/// Q = d·G as x || y (`secp256k1_ec_pubkey_create` + uncompressed serialization).
PublicKey derive_public_key(const Curve& curve, const PrivateKey& key);

}  // namespace convene::wallet
