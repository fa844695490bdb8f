// convene/core/random.h — randomness as a parameter.
//
// Core functions that need random bytes take a `Random&`; production code
// passes `SodiumRandom` (libsodium's CSPRNG: getrandom() natively,
// crypto.getRandomValues in WASM through Module.getRandomValue), tests pass a
// deterministic source.
#pragma once

#include <cstdint>
#include <span>

namespace convene {

/// A source of random bytes.
class Random {
 public:
  virtual ~Random() = default;
  /// Fills `out` completely with random bytes.
  virtual void fill(std::span<std::uint8_t> out) = 0;
};

/// libsodium's CSPRNG (`randombytes_random`, 4 bytes a call): cryptographically secure.
/// In WASM each call is one host call to crypto.getRandomValues; `randombytes_buf`
/// would make one per byte (libsodium 1.0.18's Emscripten build).
class SodiumRandom final : public Random {
 public:
  void fill(std::span<std::uint8_t> out) override;
};

}  // namespace convene
