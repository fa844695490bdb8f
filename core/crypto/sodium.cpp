#include "core/crypto/sodium.h"

#include <sodium.h>

#include "core/error.h"
#include "core/random.h"

namespace convene::crypto {

void ensure_sodium() {
  static const int rc = sodium_init();  // 0 = initialised now, 1 = already; -1 = failure
  if (rc < 0) throw Error(code::kInternal, "", "libsodium failed to initialise (no randomness source?)");
}

std::array<std::uint8_t, 32> sha256(std::string_view data) {
  ensure_sodium();
  std::array<std::uint8_t, 32> out{};
  crypto_hash_sha256(out.data(), reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return out;
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (auto b : bytes) {
    s.push_back(kDigits[b >> 4]);
    s.push_back(kDigits[b & 15]);
  }
  return s;
}

}  // namespace convene::crypto

namespace convene {
void SodiumRandom::fill(std::span<std::uint8_t> out) {
  crypto::ensure_sodium();
  // Whole 32-bit words of randombytes_random(), 4 bytes each: libsodium 1.0.18's Emscripten
  // build makes randombytes_buf() call the host (Module.getRandomValue) once per byte and
  // keep 8 of the word's 32 bits. Natively randombytes_random() is the same CSPRNG.
  for (std::size_t i = 0; i < out.size(); i += 4) {
    const std::uint32_t w = randombytes_random();
    for (std::size_t k = 0; k < 4 && i + k < out.size(); ++k) out[i + k] = static_cast<std::uint8_t>(w >> (8 * k));
  }
}
}  // namespace convene
