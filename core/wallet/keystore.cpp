#include "core/wallet/keystore.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

#include "core/crypto/sodium.h"
#include "core/error.h"

namespace convene::wallet {
namespace {

constexpr std::array<std::uint8_t, 4> kMagic{'C', 'V', 'K', 'S'};
constexpr std::uint8_t kKdfArgon2id13 = 1;
constexpr std::size_t kChecksumBytes = 32;
constexpr std::size_t kMaxKeystoreChars = 4096;  // far above any version we write; bounds decoding work

// v1 layout (see keystore.h).
constexpr std::size_t kOffVersion = 4, kOffKdf = 5, kOffOps = 6, kOffMem = 10, kOffSalt = 14, kOffNonce = 30,
                      kOffPublic = 54, kOffCipher = 118, kOffChecksum = 166;
static_assert(crypto_pwhash_SALTBYTES == kOffNonce - kOffSalt);
static_assert(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES == kOffPublic - kOffNonce);
static_assert(kOffCipher - kOffPublic == kPublicKeyBytes);
static_assert(kOffChecksum - kOffCipher == kPrivateKeyBytes + crypto_aead_xchacha20poly1305_ietf_ABYTES);
static_assert(kOffChecksum + kChecksumBytes == kKeystoreV1Bytes);

using Blob = std::array<std::uint8_t, kKeystoreV1Bytes>;

void put_u32(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 24);
  p[1] = static_cast<std::uint8_t>(v >> 16);
  p[2] = static_cast<std::uint8_t>(v >> 8);
  p[3] = static_cast<std::uint8_t>(v);
}
std::uint32_t get_u32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

[[noreturn]] void corrupt(const std::string& why) {
  throw Error(code::kCorruptKeystore, "keystore", "keystore is damaged: " + why);
}

void validate_passphrase(std::span<const std::uint8_t> passphrase, const char* field) {
  if (passphrase.empty()) throw Error(code::kInvalidInput, field, std::string(field) + " must not be empty");
  if (passphrase.size() > kMaxPassphraseBytes) {
    throw Error(code::kInvalidInput, field,
                std::string(field) + " is longer than " + std::to_string(kMaxPassphraseBytes) + " UTF-8 bytes");
  }
}

std::array<std::uint8_t, kChecksumBytes> checksum(std::span<const std::uint8_t> bytes) {
  std::array<std::uint8_t, kChecksumBytes> out{};
  crypto_generichash(out.data(), out.size(), bytes.data(), bytes.size(), nullptr, 0);
  return out;
}

// Argon2id(passphrase, salt, kdf) -> 32-byte AEAD key.
void derive_key(Secret<crypto_aead_xchacha20poly1305_ietf_KEYBYTES>& out, std::span<const std::uint8_t> passphrase,
                const std::uint8_t* salt, const KdfParams& kdf) {
  if (crypto_pwhash(out.data(), out.size(), reinterpret_cast<const char*>(passphrase.data()), passphrase.size(), salt,
                    kdf.opslimit, static_cast<std::size_t>(kdf.memlimit_kib) * 1024U,
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw Error(code::kInternal, "", "Argon2id could not allocate " + std::to_string(kdf.memlimit_kib) + " KiB");
  }
}

// Decodes and checks integrity; returns the v1 blob.
Blob decode(std::string_view text) {
  if (text.empty()) throw Error(code::kMissingField, "keystore", "keystore must not be empty");
  if (text.size() > kMaxKeystoreChars) corrupt("longer than any keystore (" + std::to_string(text.size()) + " characters)");
  std::vector<std::uint8_t> bin(text.size());
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(bin.data(), bin.size(), text.data(), text.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size()) {
    corrupt("not standard base64");
  }
  bin.resize(len);
  if (len < kMagic.size() + 1 + kChecksumBytes) corrupt("too short (" + std::to_string(len) + " bytes)");
  const auto body = std::span<const std::uint8_t>(bin).first(len - kChecksumBytes);
  const auto sum = checksum(body);
  if (sodium_memcmp(sum.data(), bin.data() + body.size(), kChecksumBytes) != 0) corrupt("checksum mismatch");
  if (!std::equal(kMagic.begin(), kMagic.end(), bin.begin())) corrupt("not a Convene keystore (magic)");
  if (bin[kOffVersion] != kKeystoreVersion) {
    throw Error(code::kUnsupportedKeystore, "keystore",
                "keystore version " + std::to_string(bin[kOffVersion]) + " is not supported (this build reads version 1)");
  }
  if (len != kKeystoreV1Bytes) corrupt("version 1 keystores are 198 bytes, got " + std::to_string(len));
  if (bin[kOffKdf] != kKdfArgon2id13) {
    throw Error(code::kUnsupportedKeystore, "keystore",
                "keystore KDF " + std::to_string(bin[kOffKdf]) + " is not supported (1 = Argon2id v1.3)");
  }
  Blob blob{};
  std::copy(bin.begin(), bin.end(), blob.begin());
  return blob;
}

}  // namespace

void validate_kdf(const KdfParams& kdf) {
  if (kdf.opslimit < kMinKdf.opslimit || kdf.opslimit > kMaxKdf.opslimit) {
    throw Error(code::kInvalidInput, "kdf.opslimit",
                "kdf.opslimit must be between " + std::to_string(kMinKdf.opslimit) + " and " +
                    std::to_string(kMaxKdf.opslimit) + ", got " + std::to_string(kdf.opslimit));
  }
  if (kdf.memlimit_kib < kMinKdf.memlimit_kib || kdf.memlimit_kib > kMaxKdf.memlimit_kib) {
    throw Error(code::kInvalidInput, "kdf.memlimitKiB",
                "kdf.memlimitKiB must be between " + std::to_string(kMinKdf.memlimit_kib) + " and " +
                    std::to_string(kMaxKdf.memlimit_kib) + ", got " + std::to_string(kdf.memlimit_kib));
  }
}

std::string seal_keystore(const PrivateKey& key, const PublicKey& public_key, std::span<const std::uint8_t> passphrase,
                          const KdfParams& kdf, Random& random) {
  crypto::ensure_sodium();
  validate_passphrase(passphrase, "passphrase");
  validate_kdf(kdf);
  Blob blob{};
  std::copy(kMagic.begin(), kMagic.end(), blob.begin());
  blob[kOffVersion] = kKeystoreVersion;
  blob[kOffKdf] = kKdfArgon2id13;
  put_u32(&blob[kOffOps], kdf.opslimit);
  put_u32(&blob[kOffMem], kdf.memlimit_kib);
  random.fill(std::span(blob).subspan(kOffSalt, kOffPublic - kOffSalt));  // salt and nonce
  std::copy(public_key.begin(), public_key.end(), blob.begin() + kOffPublic);

  Secret<crypto_aead_xchacha20poly1305_ietf_KEYBYTES> aead_key;
  derive_key(aead_key, passphrase, &blob[kOffSalt], kdf);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(&blob[kOffCipher], &clen, key.data(), key.size(), blob.data(), kOffCipher,
                                             nullptr, &blob[kOffNonce], aead_key.data());
  const auto sum = checksum(std::span(blob).first(kOffChecksum));
  std::copy(sum.begin(), sum.end(), blob.begin() + kOffChecksum);

  std::string text(sodium_base64_ENCODED_LEN(blob.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(text.data(), text.size(), blob.data(), blob.size(), sodium_base64_VARIANT_ORIGINAL);
  text.resize(std::strlen(text.c_str()));
  return text;
}

namespace {
KeystoreInfo read_info(const Blob& blob) {
  KeystoreInfo info{kKeystoreVersion, {get_u32(&blob[kOffOps]), get_u32(&blob[kOffMem])}, {}};
  std::copy(blob.begin() + kOffPublic, blob.begin() + kOffCipher, info.public_key.begin());
  try {
    validate_kdf(info.kdf);
  } catch (const Error& e) {
    corrupt(std::string("its KDF parameters are out of range: ") + e.what());
  }
  return info;
}
}  // namespace

KeystoreInfo inspect_keystore(std::string_view keystore) {
  crypto::ensure_sodium();
  return read_info(decode(keystore));
}

std::unique_ptr<PrivateKey> open_keystore(std::string_view keystore, std::span<const std::uint8_t> passphrase,
                                          const Curve& curve) {
  crypto::ensure_sodium();
  const Blob blob = decode(keystore);
  const KeystoreInfo info = read_info(blob);
  if (passphrase.size() > kMaxPassphraseBytes) {
    throw Error(code::kBadPassphrase, "passphrase", "passphrase is wrong (longer than any accepted passphrase)");
  }
  Secret<crypto_aead_xchacha20poly1305_ietf_KEYBYTES> aead_key;
  derive_key(aead_key, passphrase, &blob[kOffSalt], info.kdf);
  auto key = std::make_unique<PrivateKey>();
  unsigned long long mlen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(key->data(), &mlen, nullptr, &blob[kOffCipher],
                                                 kOffChecksum - kOffCipher, blob.data(), kOffCipher, &blob[kOffNonce],
                                                 aead_key.data()) != 0) {
    throw Error(code::kBadPassphrase, "passphrase", "passphrase is wrong for this keystore");
  }
  if (!is_valid_private_key(key->span()) || derive_public_key(curve, *key) != info.public_key) {
    corrupt("the sealed key does not belong to the stored public key");
  }
  return key;
}

}  // namespace convene::wallet
