// convene/core/crypto/sodium.h — the libsodium pieces the core uses outside the wallet.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace convene::crypto {

/// Calls sodium_init() once per process (idempotent, thread-safe). Every core
/// function that uses libsodium calls it first; callers never need to.
void ensure_sodium();

/// SHA-256 of `data` (FIPS 180-4), via libsodium `crypto_hash_sha256`.
std::array<std::uint8_t, 32> sha256(std::string_view data);

/// Lowercase hex of `bytes` (two characters per byte, no prefix).
std::string to_hex(std::span<const std::uint8_t> bytes);

}  // namespace convene::crypto
