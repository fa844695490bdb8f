// core/wallet: keys, signer (RFC 6979 secp256k1 vectors), keystore (round trip, tamper, versions).
#include <doctest/doctest.h>

#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "core/crypto/sodium.h"
#include "core/error.h"
#include "core/wallet/keystore.h"
#include "core/wallet/signer.h"
#include "test_support.h"

using namespace convene;
using namespace convene::wallet;

using convene::testing::error_code_of;

namespace {

// Deterministic bytes 1, 2, 3, ... (a zero first byte would be a weaker test key); production passes SodiumRandom.
struct CountingRandom : convene::testing::CountingRandom {
  CountingRandom() : convene::testing::CountingRandom(1) {}
};


// Always returns the same bytes: used to force the rejection loop of key generation.
struct ScriptedRandom : Random {
  std::vector<std::vector<std::uint8_t>> draws;
  std::size_t i = 0;
  void fill(std::span<std::uint8_t> out) override {
    const auto& d = draws[std::min(i++, draws.size() - 1)];
    std::copy(d.begin(), d.begin() + out.size(), out.begin());
  }
};

std::vector<std::uint8_t> from_hex(std::string_view h) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2) out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
  return out;
}
std::string hex(std::span<const std::uint8_t> b) { return crypto::to_hex(b); }

std::span<const std::uint8_t> bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

const std::string kOne = "0000000000000000000000000000000000000000000000000000000000000001";
const std::string kNMinus1 = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140";
const std::string kN = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
const KdfParams kCheap{1, 8};  // fast Argon2id for tests; production uses kDefaultKdf


}  // namespace

TEST_CASE("private key import accepts exactly 1 <= d < n (SEC 1 §3.2.1)") {
  CHECK(is_valid_private_key(from_hex(kOne)));
  CHECK(is_valid_private_key(from_hex(kNMinus1)));
  CHECK_FALSE(is_valid_private_key(from_hex(kN)));
  CHECK_FALSE(is_valid_private_key(std::vector<std::uint8_t>(32, 0)));
  CHECK_FALSE(is_valid_private_key(std::vector<std::uint8_t>(32, 0xff)));
  CHECK(error_code_of([] { import_private_key(from_hex(kN)); }) == "INVALID_KEY");
  CHECK(error_code_of([] { import_private_key(std::vector<std::uint8_t>(31, 1)); }) == "INVALID_KEY");
  CHECK(error_code_of([] { import_private_key(std::vector<std::uint8_t>(33, 1)); }) == "INVALID_KEY");
  try {
    import_private_key(std::vector<std::uint8_t>(32, 0));
    FAIL("accepted zero");
  } catch (const Error& e) {
    CHECK(e.field() == "privateKey");
    CHECK(std::string(e.what()).find("privateKey") != std::string::npos);
  }
}

TEST_CASE("public key of d = 1 is the generator G (SEC 2 §2.4.1)") {
  CountingRandom r;
  Curve curve(r);
  auto key = import_private_key(from_hex(kOne));
  CHECK(hex(derive_public_key(curve, *key)) ==
        "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
        "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8");
}

TEST_CASE("key generation rejects draws outside [1, n) instead of reducing them") {
  ScriptedRandom r;
  r.draws = {std::vector<std::uint8_t>(32, 0), from_hex(kN), std::vector<std::uint8_t>(32, 0xff), from_hex(kNMinus1)};
  auto key = generate_private_key(r);
  CHECK(hex(key->span()) == kNMinus1);
  CHECK(r.i == 4);

  ScriptedRandom broken;
  broken.draws = {std::vector<std::uint8_t>(32, 0)};
  CHECK(error_code_of([&] { generate_private_key(broken); }) == "INTERNAL");

  SodiumRandom sodium;
  auto a = generate_private_key(sodium), b = generate_private_key(sodium);
  CHECK(is_valid_private_key(a->span()));
  CHECK(hex(a->span()) != hex(b->span()));
}

TEST_CASE("signatures match the published RFC 6979 secp256k1 vectors (low s, recovery id)") {
  // Vectors from the bitcoinjs / Trezor RFC 6979 fixtures (digest = SHA-256 of the message),
  // cross-checked against @noble/secp256k1 3.2.0; the recovery bit from the same run.
  struct Vector {
    std::string key, message, r, s;
    int y_parity;
  };
  const std::vector<Vector> vectors = {
      {kOne, "Satoshi Nakamoto", "934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8",
       "2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5", 1},
      {kOne, "All those moments will be lost in time, like tears in rain. Time to die...",
       "8600dbd41e348fe5c9465ab92d23e3db8b98b873beecd930736488696438cb6b",
       "547fe64427496db33bf66019dacbf0039c04199abb0122918601db38a72cfc21", 0},
      {kNMinus1, "Satoshi Nakamoto", "fd567d121db66e382991534ada77a6bd3106f0a1098c231e47993447cd6af2d0",
       "6b39cd0eb1bc8603e159ef5c20a5c8ad685a45b06ce9bebed3f153d10d93bed5", 0},
      {kNMinus1, "All those moments will be lost in time, like tears in rain. Time to die...",
       "059385ce615b7ab6a0db2a3b83f0566d3bc750e958121635ba497ccb4e3ce801",
       "391bf93814fda99c98014ada8567dd7c067a50ac0a7ef7aa613b87e0eec17eb5", 1},
  };
  for (const auto& v : vectors) {
    CAPTURE(v.message);
    CountingRandom r;
    Signer signer(import_private_key(from_hex(v.key)), r);
    const auto digest = crypto::sha256(v.message);
    const Signature sig = signer.sign_digest(digest);
    CHECK(hex(sig.r) == v.r);
    CHECK(hex(sig.s) == v.s);
    CHECK(sig.y_parity == v.y_parity);
    // Deterministic: the same digest gives the same signature, whatever the blinding.
    CountingRandom other;
    other.next = 200;
    Signer again(import_private_key(from_hex(v.key)), other);
    const Signature sig2 = again.sign_digest(digest);
    CHECK(hex(sig2.r) == v.r);
    CHECK(hex(sig2.s) == v.s);
  }
}

TEST_CASE("signatures over random digests verify, are low-s, and recover the signer's public key") {
  SodiumRandom rnd;
  Signer signer(generate_private_key(rnd), rnd);
  const secp256k1_context* ctx = secp256k1_context_static;
  // n/2, big-endian: s must not exceed it (EIP-2).
  const auto half_n = from_hex("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0");
  for (int i = 0; i < 64; ++i) {
    std::array<std::uint8_t, 32> digest{};
    rnd.fill(digest);
    const Signature sig = signer.sign_digest(digest);
    CHECK((sig.y_parity == 0 || sig.y_parity == 1));
    CHECK(std::lexicographical_compare(sig.s.begin(), sig.s.end(), half_n.begin(), half_n.end()));
    std::array<std::uint8_t, 64> rs{};
    std::copy(sig.r.begin(), sig.r.end(), rs.begin());
    std::copy(sig.s.begin(), sig.s.end(), rs.begin() + 32);
    secp256k1_ecdsa_recoverable_signature rec;
    REQUIRE(secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &rec, rs.data(), sig.y_parity) == 1);
    CountingRandom cr;
    Curve verify_curve(cr);
    secp256k1_pubkey recovered;
    REQUIRE(secp256k1_ecdsa_recover(verify_curve.get(), &recovered, &rec, digest.data()) == 1);
    std::array<std::uint8_t, 65> ser{};
    std::size_t len = ser.size();
    secp256k1_ec_pubkey_serialize(ctx, ser.data(), &len, &recovered, SECP256K1_EC_UNCOMPRESSED);
    CHECK(std::equal(ser.begin() + 1, ser.end(), signer.public_key().begin()));
    secp256k1_ecdsa_signature plain;
    secp256k1_ecdsa_signature_parse_compact(ctx, &plain, rs.data());
    CHECK(secp256k1_ecdsa_verify(ctx, &plain, digest.data(), &recovered) == 1);
  }
}

TEST_CASE("a locked signer refuses to sign and keeps its public key") {
  CountingRandom r;
  Signer signer(import_private_key(from_hex(kOne)), r);
  const auto pub = signer.public_key();
  const auto digest = crypto::sha256("x");
  CHECK_NOTHROW(signer.sign_digest(digest));
  CHECK_FALSE(signer.locked());
  signer.lock();
  CHECK(signer.locked());
  CHECK(signer.public_key() == pub);
  try {
    signer.sign_digest(digest);
    FAIL("signed after lock");
  } catch (const Error& e) {
    CHECK(e.code() == "LOCKED");
  }
  signer.lock();  // idempotent
  CHECK(signer.locked());
}

TEST_CASE("digest hex parsing") {
  const auto d = parse_digest_hex("0x" + std::string(62, '0') + "aB", "digest");
  CHECK(d[31] == 0xab);
  CHECK(parse_digest_hex(std::string(64, 'f'), "digest")[0] == 0xff);
  CHECK(error_code_of([] { parse_digest_hex("0x12", "digest"); }) == "INVALID_INPUT");
  CHECK(error_code_of([] { parse_digest_hex(std::string(63, '0') + "g", "digest"); }) == "INVALID_INPUT");
  CHECK(error_code_of([] { parse_digest_hex(std::string(66, '0'), "digest"); }) == "INVALID_INPUT");
  try {
    parse_digest_hex("", "hash");
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK(e.field() == "hash");
  }
}

TEST_CASE("recover_public_key: the signer's key from r || s || v, high s too; garbage is INVALID_INPUT") {
  SodiumRandom rnd;
  Signer signer(generate_private_key(rnd), rnd);
  const std::string n_hex = kN;
  for (int i = 0; i < 32; ++i) {
    std::array<std::uint8_t, 32> digest{};
    rnd.fill(digest);
    const Signature sig = signer.sign_digest(digest);
    CHECK(recover_public_key(digest, sig) == signer.public_key());
    // As a 65-byte hex text with v = 27 + yParity (personal_sign), and with v = yParity.
    const std::string rs = hex(sig.r) + hex(sig.s);
    char v[3];
    std::snprintf(v, sizeof v, "%02x", 27 + sig.y_parity);
    const Signature parsed = parse_signature_hex("0x" + rs + v, "signature");
    CHECK(parsed.y_parity == sig.y_parity);
    CHECK(recover_public_key(digest, parsed) == signer.public_key());
    std::snprintf(v, sizeof v, "%02x", sig.y_parity);
    CHECK(recover_public_key(digest, parse_signature_hex(rs + v, "signature")) == signer.public_key());
    // Another digest recovers some other key (the caller's comparison is what refuses it).
    std::array<std::uint8_t, 32> other = digest;
    other[0] ^= 1;
    CHECK(recover_public_key(other, sig) != signer.public_key());
    // High s (n - s) with the other parity is the same signature: the same key.
    Signature high = sig;
    const auto n = from_hex(n_hex);
    int borrow = 0;
    for (int k = 31; k >= 0; --k) {
      const int d = n[k] - sig.s[k] - borrow;
      high.s[k] = static_cast<std::uint8_t>(d & 0xff);
      borrow = d < 0 ? 1 : 0;
    }
    high.y_parity = 1 - sig.y_parity;
    CHECK(recover_public_key(digest, high) == signer.public_key());
  }
  const auto digest = crypto::sha256("x");
  Signature zero{};
  CHECK(error_code_of([&] { recover_public_key(digest, zero); }) == "INVALID_INPUT");
  Signature over{};
  const auto n = from_hex(kN);
  std::copy(n.begin(), n.end(), over.r.begin());
  over.s[31] = 1;
  CHECK(error_code_of([&] { recover_public_key(digest, over); }) == "INVALID_INPUT");
  CHECK(error_code_of([] { parse_signature_hex("0x12", "signature"); }) == "INVALID_INPUT");
  CHECK(error_code_of([] { parse_signature_hex(std::string(128, '1') + "1d", "signature"); }) == "INVALID_INPUT");  // v = 29
  CHECK(error_code_of([] { parse_signature_hex(std::string(129, '1') + "g", "signature"); }) == "INVALID_INPUT");
  try {
    parse_signature_hex("", "sig");
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK(e.field() == "sig");
  }
}

TEST_CASE("keystore: seal, inspect and open round trip") {
  SodiumRandom rnd;
  CountingRandom cr;
  Curve curve(cr);
  auto key = import_private_key(from_hex(kOne));
  const auto pub = derive_public_key(curve, *key);
  const std::string ks = seal_keystore(*key, pub, bytes("correct horse"), kCheap, rnd);
  CHECK(ks.size() == 264);
  CHECK(ks.rfind("Q1ZLUwEB", 0) == 0);  // base64 of "CVKS" 0x01 0x01
  const KeystoreInfo info = inspect_keystore(ks);
  CHECK(info.version == 1);
  CHECK(info.kdf == kCheap);
  CHECK(info.public_key == pub);
  auto opened = open_keystore(ks, bytes("correct horse"), curve);
  CHECK(hex(opened->span()) == kOne);
  // Fresh salt and nonce every time.
  CHECK(seal_keystore(*key, pub, bytes("correct horse"), kCheap, rnd) != ks);
}

TEST_CASE("keystore: wrong passphrase is BAD_PASSPHRASE, not CORRUPT_KEYSTORE") {
  SodiumRandom rnd;
  Curve curve(rnd);
  auto key = generate_private_key(rnd);
  const std::string ks = seal_keystore(*key, derive_public_key(curve, *key), bytes("pass-1"), kCheap, rnd);
  for (std::string wrong : {"pass-2", "Pass-1", "pass-1 ", "", "p"}) {
    CAPTURE(wrong);
    try {
      open_keystore(ks, bytes(wrong), curve);
      FAIL("opened with a wrong passphrase");
    } catch (const Error& e) {
      CHECK(e.code() == "BAD_PASSPHRASE");
      CHECK(e.field() == "passphrase");
    }
  }
  CHECK(error_code_of([&] { open_keystore(ks, std::vector<std::uint8_t>(kMaxPassphraseBytes + 1, 'a'), curve); }) ==
        "BAD_PASSPHRASE");
}

TEST_CASE("keystore: every single-byte change, truncation and extension is CORRUPT_KEYSTORE") {
  SodiumRandom rnd;
  Curve curve(rnd);
  auto key = generate_private_key(rnd);
  const std::string ks = seal_keystore(*key, derive_public_key(curve, *key), bytes("pw"), kCheap, rnd);
  std::vector<std::uint8_t> blob(kKeystoreV1Bytes);
  std::size_t len = 0;
  REQUIRE(sodium_base642bin(blob.data(), blob.size(), ks.data(), ks.size(), nullptr, &len, nullptr,
                            sodium_base64_VARIANT_ORIGINAL) == 0);
  REQUIRE(len == kKeystoreV1Bytes);
  auto encode = [](const std::vector<std::uint8_t>& b) {
    std::string t(sodium_base64_ENCODED_LEN(b.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(t.data(), t.size(), b.data(), b.size(), sodium_base64_VARIANT_ORIGINAL);
    t.resize(std::strlen(t.c_str()));
    return t;
  };
  REQUIRE(encode(blob) == ks);
  for (std::size_t i = 0; i < blob.size(); ++i) {
    for (std::uint8_t flip : {0x01, 0x80, 0xff}) {
      auto t = blob;
      t[i] ^= flip;
      CAPTURE(i);
      CHECK(error_code_of([&] { inspect_keystore(encode(t)); }) == "CORRUPT_KEYSTORE");
    }
  }
  // Open (with the right passphrase) also refuses a tampered byte in each region.
  for (std::size_t i : {0u, 4u, 6u, 10u, 20u, 40u, 100u, 130u, 197u}) {
    auto t = blob;
    t[i] ^= 0x01;
    CAPTURE(i);
    CHECK(error_code_of([&] { open_keystore(encode(t), bytes("pw"), curve); }) == "CORRUPT_KEYSTORE");
  }
  for (std::size_t n : {0u, 1u, 36u, 37u, 100u, 197u}) {
    auto t = std::vector<std::uint8_t>(blob.begin(), blob.begin() + n);
    CAPTURE(n);
    CHECK(error_code_of([&] { inspect_keystore(encode(t)); }) == (n == 0 ? "MISSING_FIELD" : "CORRUPT_KEYSTORE"));
  }
  auto longer = blob;
  longer.push_back(0);
  CHECK(error_code_of([&] { inspect_keystore(encode(longer)); }) == "CORRUPT_KEYSTORE");
  CHECK(error_code_of([&] { inspect_keystore(ks + "AAAA"); }) == "CORRUPT_KEYSTORE");
  CHECK(error_code_of([&] { inspect_keystore(std::string(100000, 'A')); }) == "CORRUPT_KEYSTORE");
  CHECK(error_code_of([&] { inspect_keystore(ks.substr(0, 263)); }) == "CORRUPT_KEYSTORE");
  CHECK(error_code_of([&] { inspect_keystore(" " + ks); }) == "CORRUPT_KEYSTORE");
  CHECK(error_code_of([&] { inspect_keystore("not base64 at all!"); }) == "CORRUPT_KEYSTORE");
  // A forger who recomputes the checksum still cannot change the header: it is the AEAD's
  // associated data, so the tag fails (reported as BAD_PASSPHRASE: the two are indistinguishable).
  auto forged = blob;
  forged[54] ^= 0x01;
  crypto_generichash(&forged[166], 32, forged.data(), 166, nullptr, 0);
  CHECK(error_code_of([&] { open_keystore(encode(forged), bytes("pw"), curve); }) == "BAD_PASSPHRASE");
  // A keystore sealed with a public key that is not the key's own opens to CORRUPT_KEYSTORE.
  auto other = generate_private_key(rnd);
  const std::string mismatched = seal_keystore(*key, derive_public_key(curve, *other), bytes("pw"), kCheap, rnd);
  CHECK(error_code_of([&] { open_keystore(mismatched, bytes("pw"), curve); }) == "CORRUPT_KEYSTORE");
}

TEST_CASE("keystore: an intact blob of another version or KDF is UNSUPPORTED_KEYSTORE") {
  SodiumRandom rnd;
  Curve curve(rnd);
  auto key = generate_private_key(rnd);
  const std::string ks = seal_keystore(*key, derive_public_key(curve, *key), bytes("pw"), kCheap, rnd);
  std::vector<std::uint8_t> blob(kKeystoreV1Bytes);
  std::size_t len = 0;
  sodium_base642bin(blob.data(), blob.size(), ks.data(), ks.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL);
  auto reseal = [](std::vector<std::uint8_t> b) {  // recompute the trailing checksum
    crypto_generichash(&b[b.size() - 32], 32, b.data(), b.size() - 32, nullptr, 0);
    std::string t(sodium_base64_ENCODED_LEN(b.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(t.data(), t.size(), b.data(), b.size(), sodium_base64_VARIANT_ORIGINAL);
    t.resize(std::strlen(t.c_str()));
    return t;
  };
  for (std::uint8_t version : {0, 2, 255}) {
    auto t = blob;
    t[4] = version;
    CHECK(error_code_of([&] { inspect_keystore(reseal(t)); }) == "UNSUPPORTED_KEYSTORE");
    t.resize(300);  // a future version may have another length
    CHECK(error_code_of([&] { inspect_keystore(reseal(t)); }) == "UNSUPPORTED_KEYSTORE");
  }
  auto kdf = blob;
  kdf[5] = 2;
  CHECK(error_code_of([&] { inspect_keystore(reseal(kdf)); }) == "UNSUPPORTED_KEYSTORE");
  // Costs outside the accepted range are refused before Argon2 runs (a hostile keystore cannot ask for 4 TiB).
  auto huge = blob;
  huge[10] = 0xff;
  CHECK(error_code_of([&] { open_keystore(reseal(huge), bytes("pw"), curve); }) == "CORRUPT_KEYSTORE");
  auto zero_ops = blob;
  zero_ops[6] = zero_ops[7] = zero_ops[8] = zero_ops[9] = 0;
  CHECK(error_code_of([&] { inspect_keystore(reseal(zero_ops)); }) == "CORRUPT_KEYSTORE");
}

TEST_CASE("keystore: passphrase and KDF parameter limits when sealing") {
  SodiumRandom rnd;
  Curve curve(rnd);
  auto key = generate_private_key(rnd);
  const auto pub = derive_public_key(curve, *key);
  try {
    seal_keystore(*key, pub, bytes(""), kCheap, rnd);
    FAIL("sealed under an empty passphrase");
  } catch (const Error& e) {
    CHECK(e.code() == "INVALID_INPUT");
    CHECK(e.field() == "passphrase");
  }
  const std::vector<std::uint8_t> longest(kMaxPassphraseBytes, 'x');
  const std::string ks = seal_keystore(*key, pub, longest, kCheap, rnd);
  CHECK(hex(open_keystore(ks, longest, curve)->span()) == hex(key->span()));
  CHECK(error_code_of([&] { seal_keystore(*key, pub, std::vector<std::uint8_t>(kMaxPassphraseBytes + 1, 'x'), kCheap, rnd); }) ==
        "INVALID_INPUT");
  // Non-ASCII and NUL bytes are just bytes.
  const std::string odd = std::string("p\0ss\xc3\xa9", 6);
  const std::string ks2 = seal_keystore(*key, pub, bytes(odd), kCheap, rnd);
  CHECK_NOTHROW(open_keystore(ks2, bytes(odd), curve));
  CHECK(error_code_of([&] { open_keystore(ks2, bytes("p"), curve); }) == "BAD_PASSPHRASE");
  try {
    seal_keystore(*key, pub, bytes("pw"), KdfParams{0, 8}, rnd);
    FAIL("accepted opslimit 0");
  } catch (const Error& e) {
    CHECK(e.field() == "kdf.opslimit");
  }
  try {
    seal_keystore(*key, pub, bytes("pw"), KdfParams{1, 4}, rnd);
    FAIL("accepted 4 KiB");
  } catch (const Error& e) {
    CHECK(e.field() == "kdf.memlimitKiB");
  }
}

TEST_CASE("secrets are wiped when destroyed, and scrub_stack zeroes the stack below its caller") {
  alignas(16) unsigned char storage[sizeof(Secret<32>)];
  auto* s = new (storage) Secret<32>();
  std::fill(s->data(), s->data() + 32, 0xab);
  s->~Secret();
  CHECK(std::all_of(storage, storage + 32, [](unsigned char c) { return c == 0; }));
  SecretBuffer b(bytes("secret passphrase"));
  CHECK(b.size() == 17);
  SecretBuffer moved(std::move(b));
  CHECK(moved.size() == 17);
  CHECK(b.size() == 0);
}
