#include "core/wallet/signer.h"

#include <optional>

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include "core/error.h"

namespace convene::wallet {

namespace {

/// `hex` (optionally 0x-prefixed) as exactly N bytes, or nullopt when it is not 2N hex digits.
template <std::size_t N>
std::optional<std::array<std::uint8_t, N>> hex_bytes(std::string_view hex) {
  if (hex.size() >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) hex.remove_prefix(2);
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (hex.size() != 2 * N) return std::nullopt;
  std::array<std::uint8_t, N> out{};
  for (std::size_t i = 0; i < N; ++i) {
    const int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<std::uint8_t>((hi << 4) | lo);
  }
  return out;
}

}  // namespace

std::array<std::uint8_t, kDigestBytes> parse_digest_hex(std::string_view hex, std::string_view field) {
  auto out = hex_bytes<kDigestBytes>(hex);
  if (!out) {
    throw Error(code::kInvalidInput, std::string(field),
                std::string(field) + " must be a 32-byte digest as 64 hex digits (optionally 0x-prefixed)");
  }
  return *out;
}

Signature parse_signature_hex(std::string_view hex, std::string_view field) {
  auto parsed = hex_bytes<65>(hex);
  if (!parsed) {
    throw Error(code::kInvalidInput, std::string(field),
                std::string(field) + " must be a 65-byte signature r || s || v as 130 hex digits (optionally 0x-prefixed)");
  }
  const auto& bytes = *parsed;
  const int v = bytes[64];
  if (v != 0 && v != 1 && v != 27 && v != 28) {
    throw Error(code::kInvalidInput, std::string(field),
                std::string(field) + " must end in v = 27 or 28 (or a yParity of 0 or 1), got " + std::to_string(v));
  }
  Signature out{};
  std::copy(bytes.begin(), bytes.begin() + 32, out.r.begin());
  std::copy(bytes.begin() + 32, bytes.begin() + 64, out.s.begin());
  out.y_parity = v >= 27 ? v - 27 : v;
  return out;
}

PublicKey recover_public_key(std::span<const std::uint8_t, kDigestBytes> digest, const Signature& sig) {
  std::array<std::uint8_t, 64> rs{};
  std::copy(sig.r.begin(), sig.r.end(), rs.begin());
  std::copy(sig.s.begin(), sig.s.end(), rs.begin() + 32);
  secp256k1_ecdsa_recoverable_signature parsed;
  secp256k1_pubkey point;
  if (sig.y_parity < 0 || sig.y_parity > 1 ||
      secp256k1_ecdsa_recoverable_signature_parse_compact(secp256k1_context_static, &parsed, rs.data(), sig.y_parity) != 1 ||
      secp256k1_ecdsa_recover(secp256k1_context_static, &point, &parsed, digest.data()) != 1) {
    throw Error(code::kInvalidInput, "signature", "signature does not recover a public key (r or s out of range, or no such point)");
  }
  std::array<std::uint8_t, 65> sec1{};
  std::size_t len = sec1.size();
  secp256k1_ec_pubkey_serialize(secp256k1_context_static, sec1.data(), &len, &point, SECP256K1_EC_UNCOMPRESSED);
  PublicKey out{};
  std::copy(sec1.begin() + 1, sec1.end(), out.begin());
  return out;
}

Signer::Signer(std::unique_ptr<PrivateKey> key, Random& blinding) : curve_(blinding), key_(std::move(key)) {
  if (!key_) throw Error(code::kInvalidKey, "privateKey", "privateKey is missing");
  public_key_ = derive_public_key(curve_, *key_);
  scrub_stack();
}

Signer::~Signer() { lock(); }

Signature Signer::sign_digest(std::span<const std::uint8_t, kDigestBytes> digest) const {
  if (!key_) throw Error(code::kLocked, "signer", "the signer is locked; unlock the keystore again to sign");
  secp256k1_ecdsa_recoverable_signature sig;
  // noncefp = NULL: secp256k1_nonce_function_rfc6979 without extra data (RFC 6979 §3.2).
  if (secp256k1_ecdsa_sign_recoverable(curve_.get(), &sig, digest.data(), key_->data(), nullptr, nullptr) != 1) {
    throw Error(code::kInternal, "", "libsecp256k1 could not sign the digest");
  }
  std::array<std::uint8_t, 64> rs{};
  int recid = 0;
  secp256k1_ecdsa_recoverable_signature_serialize_compact(curve_.get(), rs.data(), &recid, &sig);
  if (recid > 1) {
    // R.x >= n: possible in theory (probability ~2^-127), not expressible as an Ethereum yParity.
    throw Error(code::kInternal, "", "signature has recovery id " + std::to_string(recid) + ", not 0 or 1");
  }
  Signature out{};
  std::copy(rs.begin(), rs.begin() + 32, out.r.begin());
  std::copy(rs.begin() + 32, rs.end(), out.s.begin());
  out.y_parity = recid;
  return out;
}

void Signer::lock() noexcept {
  key_.reset();  // ~Secret wipes with sodium_memzero
  scrub_stack();
}

}  // namespace convene::wallet
