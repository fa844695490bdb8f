#include "core/wallet/keys.h"

#include <secp256k1.h>

#include <algorithm>
#include <string>

#include "core/error.h"

namespace convene::wallet {

Curve::Curve(Random& blinding) : ctx_(secp256k1_context_create(SECP256K1_CONTEXT_NONE)) {
  if (ctx_ == nullptr) throw Error(code::kInternal, "", "libsecp256k1 could not create a context");
  Secret<32> seed;
  blinding.fill(seed.span());
  if (secp256k1_context_randomize(ctx_, seed.data()) != 1) {
    secp256k1_context_destroy(ctx_);
    throw Error(code::kInternal, "", "libsecp256k1 could not blind its context");
  }
}

Curve::~Curve() { secp256k1_context_destroy(ctx_); }

bool is_valid_private_key(std::span<const std::uint8_t> bytes) {
  return bytes.size() == kPrivateKeyBytes && secp256k1_ec_seckey_verify(secp256k1_context_static, bytes.data()) == 1;
}

std::unique_ptr<PrivateKey> generate_private_key(Random& random) {
  auto key = std::make_unique<PrivateKey>();
  // A draw is rejected with probability about 2^-128; the bound only stops a broken source.
  for (int attempt = 0; attempt < 128; ++attempt) {
    random.fill(key->span());
    if (is_valid_private_key(key->span())) return key;
  }
  throw Error(code::kInternal, "", "the random source produced no valid secp256k1 private key in 128 draws");
}

std::unique_ptr<PrivateKey> import_private_key(std::span<const std::uint8_t> bytes) {
  if (bytes.size() != kPrivateKeyBytes) {
    throw Error(code::kInvalidKey, "privateKey",
                "privateKey must be 32 bytes, got " + std::to_string(bytes.size()));
  }
  if (!is_valid_private_key(bytes)) {
    throw Error(code::kInvalidKey, "privateKey",
                "privateKey is not a valid secp256k1 scalar (it must satisfy 1 <= key < n)");
  }
  auto key = std::make_unique<PrivateKey>();
  std::copy(bytes.begin(), bytes.end(), key->data());
  return key;
}

PublicKey derive_public_key(const Curve& curve, const PrivateKey& key) {
  secp256k1_pubkey point;
  if (secp256k1_ec_pubkey_create(curve.get(), &point, key.data()) != 1) {
    throw Error(code::kInvalidKey, "privateKey", "privateKey is not a valid secp256k1 scalar");
  }
  std::array<std::uint8_t, 65> sec1{};
  std::size_t len = sec1.size();
  secp256k1_ec_pubkey_serialize(curve.get(), sec1.data(), &len, &point, SECP256K1_EC_UNCOMPRESSED);
  PublicKey out{};
  std::copy(sec1.begin() + 1, sec1.end(), out.begin());
  return out;
}

}  // namespace convene::wallet
