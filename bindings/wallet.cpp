// Embind: core.wallet.* (docs/wallet.md, docs/domain.md#package-surface).
//
// Secrets (passphrases, an imported or exported key) cross as Uint8Array and are
// copied straight between the JS array and a wiped-on-destruction buffer
// (`typed_memory_view(...).set(...)`): never through an Embind std::string,
// whose temporary heap copy would be freed without being wiped. Unlocked keys
// stay here, in a table of Signers addressed by a numeric handle; JS holds only
// the handle. Every function body runs in guard_json / guard_val.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstdint>
#include <memory>
#include <unordered_map>

#include "bindings/guard.h"
#include "core/crypto/sodium.h"
#include "core/wallet/keystore.h"
#include "core/wallet/signer.h"

using namespace convene;
using emscripten::val;

namespace {

std::unordered_map<std::uint32_t, std::unique_ptr<wallet::Signer>>& signers() {
  static std::unordered_map<std::uint32_t, std::unique_ptr<wallet::Signer>> table;
  return table;
}
std::uint32_t next_handle = 1;

// Copies a JS Uint8Array (checked by npm/src/wallet.js) into a SecretBuffer.
wallet::SecretBuffer secret_from(const val& bytes) {
  const auto n = bytes["length"].as<std::size_t>();
  wallet::SecretBuffer out(n);
  if (n != 0) val(emscripten::typed_memory_view(n, out.data())).call<void>("set", bytes);
  return out;
}

Json public_key_json(const wallet::PublicKey& pub) { return "0x04" + crypto::to_hex(pub); }

Json sealed(const wallet::PrivateKey& key, const wallet::Curve& curve, const val& passphrase, std::uint32_t opslimit,
            std::uint32_t memlimit_kib) {
  const auto pub = wallet::derive_public_key(curve, key);
  const auto pass = secret_from(passphrase);
  SodiumRandom rnd;
  std::string ks = wallet::seal_keystore(key, pub, pass.span(), {opslimit, memlimit_kib}, rnd);
  wallet::scrub_stack();
  return Json{{"publicKey", public_key_json(pub)}, {"keystore", std::move(ks)}};
}

std::string create(val passphrase, std::uint32_t opslimit, std::uint32_t memlimit_kib) {
  return bindings::guard_json([&] {
    SodiumRandom rnd;
    wallet::Curve curve(rnd);
    auto key = wallet::generate_private_key(rnd);
    return sealed(*key, curve, passphrase, opslimit, memlimit_kib);
  });
}

std::string import_key(val key_bytes, val passphrase, std::uint32_t opslimit, std::uint32_t memlimit_kib) {
  return bindings::guard_json([&] {
    SodiumRandom rnd;
    wallet::Curve curve(rnd);
    std::unique_ptr<wallet::PrivateKey> key;
    {
      const auto raw = secret_from(key_bytes);
      key = wallet::import_private_key(raw.span());
    }
    return sealed(*key, curve, passphrase, opslimit, memlimit_kib);
  });
}

std::string inspect(std::string keystore) {
  return bindings::guard_json([&] {
    const auto info = wallet::inspect_keystore(keystore);
    return Json{{"version", info.version},
                {"publicKey", public_key_json(info.public_key)},
                {"kdf", {{"algorithm", "argon2id13"}, {"opslimit", info.kdf.opslimit}, {"memlimitKiB", info.kdf.memlimit_kib}}}};
  });
}

std::string unlock(std::string keystore, val passphrase) {
  return bindings::guard_json([&] {
    SodiumRandom rnd;
    std::unique_ptr<wallet::Signer> signer;
    {
      wallet::Curve curve(rnd);
      const auto pass = secret_from(passphrase);
      signer = std::make_unique<wallet::Signer>(wallet::open_keystore(keystore, pass.span(), curve), rnd);
    }
    wallet::scrub_stack();
    const std::uint32_t handle = next_handle++;
    Json out{{"handle", handle}, {"publicKey", public_key_json(signer->public_key())}};
    signers().emplace(handle, std::move(signer));
    return out;
  });
}

std::string sign_digest(std::uint32_t handle, std::string digest_hex) {
  return bindings::guard_json([&] {
    const auto digest = wallet::parse_digest_hex(digest_hex, "digest");
    const auto it = signers().find(handle);
    if (it == signers().end()) {
      throw Error(code::kLocked, "signer", "the signer is locked; unlock the keystore again to sign");
    }
    const auto sig = it->second->sign_digest(digest);
    return Json{{"r", "0x" + crypto::to_hex(sig.r)}, {"s", "0x" + crypto::to_hex(sig.s)}, {"yParity", sig.y_parity}};
  });
}

/// `digest_hex` (32 bytes as hex) and `signature_hex` (r || s || v, 65 bytes as hex) -> "0x04" || x || y of the
/// key that made the signature (wallet::recover_public_key). Errors: INVALID_INPUT (`digest`, `signature`).
std::string recover_public_key(std::string digest_hex, std::string signature_hex) {
  return bindings::guard_json([&] {
    const auto digest = wallet::parse_digest_hex(digest_hex, "digest");
    const auto sig = wallet::parse_signature_hex(signature_hex, "signature");
    return public_key_json(wallet::recover_public_key(digest, sig));
  });
}

std::string lock(std::uint32_t handle) {
  return bindings::guard_json([&] {
    const auto it = signers().find(handle);
    const bool was_unlocked = it != signers().end();
    if (was_unlocked) signers().erase(it);  // ~Signer wipes the key and scrubs the stack
    return Json(was_unlocked);
  });
}

std::string change_passphrase(std::string keystore, val old_passphrase, val new_passphrase, std::uint32_t opslimit,
                              std::uint32_t memlimit_kib) {
  return bindings::guard_json([&] {
    SodiumRandom rnd;
    wallet::Curve curve(rnd);
    std::unique_ptr<wallet::PrivateKey> key;
    {
      const auto pass = secret_from(old_passphrase);
      key = wallet::open_keystore(keystore, pass.span(), curve);
    }
    Json out = sealed(*key, curve, new_passphrase, opslimit, memlimit_kib);
    key.reset();
    wallet::scrub_stack();
    return out;
  });
}

// The only call that hands the raw key to JavaScript: a new Uint8Array (a copy in JS memory).
val export_key(std::string keystore, val passphrase) {
  return bindings::guard_val([&] {
    SodiumRandom rnd;
    wallet::Curve curve(rnd);
    std::unique_ptr<wallet::PrivateKey> key;
    {
      const auto pass = secret_from(passphrase);
      key = wallet::open_keystore(keystore, pass.span(), curve);
    }
    val out = val::global("Uint8Array").new_(emscripten::typed_memory_view(key->size(), key->data()));
    key.reset();
    wallet::scrub_stack();
    return out;
  });
}

std::string default_kdf() {
  return bindings::guard_json([&] {
    return Json{{"opslimit", wallet::kDefaultKdf.opslimit}, {"memlimitKiB", wallet::kDefaultKdf.memlimit_kib}};
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(convene_wallet) {
  emscripten::function("wallet_create", &create);
  emscripten::function("wallet_importKey", &import_key);
  emscripten::function("wallet_inspect", &inspect);
  emscripten::function("wallet_unlock", &unlock);
  emscripten::function("wallet_signDigest", &sign_digest);
  emscripten::function("wallet_lock", &lock);
  emscripten::function("wallet_recoverPublicKey", &recover_public_key);
  emscripten::function("wallet_changePassphrase", &change_passphrase);
  emscripten::function("wallet_exportKey", &export_key);
  emscripten::function("wallet_defaultKdf", &default_kdf);
}
