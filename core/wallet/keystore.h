// convene/core/wallet/keystore.h — the encrypted key file (docs/wallet.md).
//
// A keystore is a private key sealed under a passphrase, as text the app may
// store anywhere (IndexedDB, a file): standard base64 (RFC 4648 §4, with
// padding) of the binary blob below. Version 1, all integers big-endian:
//
//   offset size  field
//        0    4  magic "CVKS"
//        4    1  version = 1
//        5    1  kdf = 1 (Argon2id v1.3, libsodium crypto_pwhash_ALG_ARGON2ID13)
//        6    4  opslimit (Argon2 passes, t)
//       10    4  memlimit in KiB (Argon2 memory, m)
//       14   16  salt (random)
//       30   24  nonce (random, XChaCha20-Poly1305-IETF)
//       54   64  public key x || y (fixes the address: keccak-256 of these bytes)
//      118   48  ciphertext (32) + Poly1305 tag (16) of the private key;
//                associated data = bytes [0, 118): magic, version, KDF
//                parameters, salt, nonce and public key (so also the address)
//      166   32  checksum = BLAKE2b-256 (crypto_generichash) of bytes [0, 166)
//   total 198 bytes -> 264 base64 characters.
//
// Every version keeps the checksum as its last 32 bytes, so any changed,
// missing or extra byte is recognised as damage before anything else is read
// and before the passphrase is tried (a wrong passphrase and a damaged file are
// different errors; a damaged cost field never makes us run Argon2 with it).
// The checksum is not a security measure (anyone can recompute it); the AEAD
// tag is. Errors:
//   CORRUPT_KEYSTORE     not base64, wrong length, bad checksum or magic, KDF
//                        parameters outside kMin/kMax below, or a sealed key that
//                        does not match the stored public key (field `keystore`)
//   UNSUPPORTED_KEYSTORE an intact blob of another version or KDF (field `keystore`)
//   BAD_PASSPHRASE       the tag does not verify under the key derived from the
//                        passphrase (field `passphrase`)
//   INVALID_INPUT        passphrase empty or longer than kMaxPassphraseBytes, or KDF
//                        parameters out of range when sealing (field `passphrase` / `kdf.*`)
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/random.h"
#include "core/wallet/keys.h"

namespace convene::wallet {

/// Argon2id cost parameters, recorded in every keystore.
struct KdfParams {
  std::uint32_t opslimit;      ///< passes over memory (Argon2 t); at least 1
  std::uint32_t memlimit_kib;  ///< memory in KiB (Argon2 m); the KDF uses memlimit_kib * 1024 bytes
  bool operator==(const KdfParams&) const = default;
};

/// Defaults for keystores made in a browser: Argon2id with 64 MiB and 6 passes,
/// about 0.4-0.6 s per unlock in WASM on the 2-core development machine
/// (measured by bench/wallet.bench.js; see docs/wallet.md). Memory stays at
/// 64 MiB because a WASM heap never shrinks after it grows; the passes buy the
/// time. (OWASP's floor for Argon2id is 19 MiB x 2 passes; libsodium's
/// "interactive" preset is 64 MiB x 2.)
inline constexpr KdfParams kDefaultKdf{6, 64 * 1024};
/// Bounds accepted when sealing and when opening. The upper bounds keep a
/// hostile keystore from making the browser allocate gigabytes or loop for minutes.
inline constexpr KdfParams kMinKdf{1, 8};                // libsodium: opslimit >= 1, memlimit >= 8 KiB
inline constexpr KdfParams kMaxKdf{64, 1024 * 1024};     // 64 passes, 1 GiB
/// Longest passphrase accepted, in UTF-8 bytes.
inline constexpr std::size_t kMaxPassphraseBytes = 65536;

inline constexpr std::uint8_t kKeystoreVersion = 1;
inline constexpr std::size_t kKeystoreV1Bytes = 198;

/// What a keystore says about itself without the passphrase.
struct KeystoreInfo {
  int version;
  KdfParams kdf;
  PublicKey public_key;
};

/// Throws INVALID_INPUT naming `kdf.opslimit` / `kdf.memlimitKiB` unless within [kMinKdf, kMaxKdf].
void validate_kdf(const KdfParams& kdf);

/// Seals `key` (whose public key is `public_key`) under `passphrase` (UTF-8
/// bytes, 1..kMaxPassphraseBytes) with fresh salt and nonce from `random`.
/// Returns the base64 keystore. Runs Argon2id once (the slow part).
std::string seal_keystore(const PrivateKey& key, const PublicKey& public_key,
                          std::span<const std::uint8_t> passphrase, const KdfParams& kdf, Random& random);

/// Reads version, KDF parameters and public key, checking integrity only
/// (no passphrase, no Argon2). Throws CORRUPT_KEYSTORE / UNSUPPORTED_KEYSTORE.
KeystoreInfo inspect_keystore(std::string_view keystore);

/// Opens the keystore: inspect_keystore, Argon2id, XChaCha20-Poly1305 open,
/// then checks that the key's public key (computed with `curve`) is the stored one.
/// Throws CORRUPT_KEYSTORE, UNSUPPORTED_KEYSTORE, BAD_PASSPHRASE.
std::unique_ptr<PrivateKey> open_keystore(std::string_view keystore, std::span<const std::uint8_t> passphrase,
                                          const Curve& curve);

}  // namespace convene::wallet
