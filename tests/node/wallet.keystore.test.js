// core.wallet keystores through the package: round trip, wrong passphrase, every
// single-byte tamper, truncation, extension, unknown versions, passphrase edge
// cases, changePassphrase, exportKey; bad input leaves the module usable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blake2b } from '@noble/hashes/blake2.js';
import { loadCore } from '../../npm/index.js';

const cheap = { kdf: { opslimit: 1, memlimitKiB: 64 } };
const core = await loadCore();
const KEY = '0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318';

const decode = (ks) => Uint8Array.from(Buffer.from(ks, 'base64'));
const encode = (b) => Buffer.from(b).toString('base64');
/** Recomputes the trailing BLAKE2b-256 checksum (docs/wallet.md), as a forger or a future version would. */
function reseal(bytes) {
  const out = Uint8Array.from(bytes);
  out.set(blake2b(out.subarray(0, out.length - 32), { dkLen: 32 }), out.length - 32);
  return encode(out);
}

test('round trip: importKey, inspect, unlock, exportKey', async () => {
  const { address, keystore } = await core.wallet.importKey(KEY, 'correct horse battery staple', cheap);
  assert.equal(keystore.length, 264);
  assert.equal(reseal(decode(keystore)), keystore, 'checksum is BLAKE2b-256 of the preceding bytes');
  const info = core.wallet.inspect(keystore);
  assert.deepEqual(info.kdf, { algorithm: 'argon2id13', opslimit: 1, memlimitKiB: 64 });
  assert.equal(info.version, 1);
  assert.equal(info.address, address);
  const signer = await core.wallet.unlock(keystore, 'correct horse battery staple');
  assert.equal(signer.address, address);
  signer.lock();
  assert.equal(await core.wallet.exportKey(keystore, 'correct horse battery staple'), KEY);
});

test('create makes a fresh key each time with the default KDF unless told otherwise', async () => {
  assert.deepEqual({ ...core.wallet.defaultKdf }, { opslimit: 6, memlimitKiB: 65536 });
  const a = await core.wallet.create('pw', cheap);
  const b = await core.wallet.create('pw', cheap);
  assert.notEqual(a.address, b.address);
  assert.match(a.address, /^0x[0-9a-fA-F]{40}$/);
  assert.notEqual(await core.wallet.exportKey(a.keystore, 'pw'), await core.wallet.exportKey(b.keystore, 'pw'));
  const partial = await core.wallet.create('pw', { kdf: { opslimit: 2, memlimitKiB: 32 } });
  assert.deepEqual(core.wallet.inspect(partial.keystore).kdf, { algorithm: 'argon2id13', opslimit: 2, memlimitKiB: 32 });
});

test('a wrong passphrase is BAD_PASSPHRASE', async () => {
  const { keystore } = await core.wallet.importKey(KEY, 'right', cheap);
  for (const wrong of ['wrong', 'Right', 'right ', '', 'r']) {
    await assert.rejects(core.wallet.unlock(keystore, wrong), { name: 'ConveneError', code: 'BAD_PASSPHRASE', field: 'passphrase' });
    await assert.rejects(core.wallet.exportKey(keystore, wrong), { code: 'BAD_PASSPHRASE' });
  }
});

test('every single-byte tamper of the blob is CORRUPT_KEYSTORE, before Argon2id runs', async () => {
  const { keystore } = await core.wallet.importKey(KEY, 'pw', cheap);
  const blob = decode(keystore);
  assert.equal(blob.length, 198);
  for (let i = 0; i < blob.length; i++) {
    for (const flip of [0x01, 0xff]) {
      const t = Uint8Array.from(blob);
      t[i] ^= flip;
      assert.throws(() => core.wallet.inspect(encode(t)), { code: 'CORRUPT_KEYSTORE', field: 'keystore' }, `byte ${i}`);
    }
  }
  // And every single-character change of the text.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < keystore.length; i++) {
    const c = alphabet[(alphabet.indexOf(keystore[i]) + 1) % 64];
    assert.throws(() => core.wallet.inspect(keystore.slice(0, i) + c + keystore.slice(i + 1)), { code: 'CORRUPT_KEYSTORE' }, `char ${i}`);
  }
  // unlock reports the same error with the right passphrase.
  const t = Uint8Array.from(blob);
  t[120] ^= 1;
  await assert.rejects(core.wallet.unlock(encode(t), 'pw'), { code: 'CORRUPT_KEYSTORE' });
});

test('truncated and oversized keystores are CORRUPT_KEYSTORE; empty is MISSING_FIELD', async () => {
  const { keystore } = await core.wallet.importKey(KEY, 'pw', cheap);
  const blob = decode(keystore);
  for (const n of [1, 10, 36, 37, 100, 197]) {
    assert.throws(() => core.wallet.inspect(encode(blob.subarray(0, n))), { code: 'CORRUPT_KEYSTORE' }, `length ${n}`);
  }
  const longer = new Uint8Array(199);
  longer.set(blob);
  assert.throws(() => core.wallet.inspect(encode(longer)), { code: 'CORRUPT_KEYSTORE' });
  assert.throws(() => core.wallet.inspect(keystore + keystore), { code: 'CORRUPT_KEYSTORE' });
  assert.throws(() => core.wallet.inspect('A'.repeat(1 << 20)), { code: 'CORRUPT_KEYSTORE' });
  assert.throws(() => core.wallet.inspect(keystore.slice(0, -1)), { code: 'CORRUPT_KEYSTORE' });
  assert.throws(() => core.wallet.inspect(`${keystore}\n`), { code: 'CORRUPT_KEYSTORE' });
  assert.throws(() => core.wallet.inspect(''), { code: 'MISSING_FIELD', field: 'keystore' });
  await assert.rejects(core.wallet.unlock(keystore.slice(0, 200), 'pw'), { code: 'CORRUPT_KEYSTORE' });
});

test('an intact keystore of another version or KDF is UNSUPPORTED_KEYSTORE', async () => {
  const { keystore } = await core.wallet.importKey(KEY, 'pw', cheap);
  const blob = decode(keystore);
  for (const version of [0, 2, 99, 255]) {
    const t = Uint8Array.from(blob);
    t[4] = version;
    assert.throws(() => core.wallet.inspect(reseal(t)), { code: 'UNSUPPORTED_KEYSTORE' });
    await assert.rejects(core.wallet.unlock(reseal(t), 'pw'), { code: 'UNSUPPORTED_KEYSTORE' });
    const bigger = new Uint8Array(400);
    bigger.set(t.subarray(0, 166));
    assert.throws(() => core.wallet.inspect(reseal(bigger)), { code: 'UNSUPPORTED_KEYSTORE' });
  }
  const kdf = Uint8Array.from(blob);
  kdf[5] = 7;
  assert.throws(() => core.wallet.inspect(reseal(kdf)), { code: 'UNSUPPORTED_KEYSTORE' });
  // A forged header with a valid checksum fails the AEAD tag (the header is its associated data).
  const forged = Uint8Array.from(blob);
  forged[60] ^= 1;
  await assert.rejects(core.wallet.unlock(reseal(forged), 'pw'), { code: 'BAD_PASSPHRASE' });
  // Hostile cost parameters are refused without running Argon2id.
  const huge = Uint8Array.from(blob);
  huge.set([0xff, 0xff, 0xff, 0xff], 10);
  assert.throws(() => core.wallet.inspect(reseal(huge)), { code: 'CORRUPT_KEYSTORE' });
});

test('passphrases: empty refused when sealing, 65,536 UTF-8 bytes accepted, longer refused, NFKC-normalized', async () => {
  await assert.rejects(core.wallet.create('', cheap), { code: 'INVALID_INPUT', field: 'passphrase' });
  await assert.rejects(core.wallet.importKey(KEY, '', cheap), { code: 'INVALID_INPUT', field: 'passphrase' });
  const longest = 'é'.repeat(32768);  // 2 bytes each in UTF-8
  const { keystore } = await core.wallet.importKey(KEY, longest, cheap);
  assert.equal(await core.wallet.exportKey(keystore, longest), KEY);
  await assert.rejects(core.wallet.unlock(keystore, `${longest}x`), { code: 'BAD_PASSPHRASE' });
  await assert.rejects(core.wallet.create(`${longest}x`, cheap), { code: 'INVALID_INPUT', field: 'passphrase' });
  // U+FB01 LATIN SMALL LIGATURE FI and "fi"; composed and decomposed é.
  const lig = await core.wallet.importKey(KEY, 'ﬁne café', cheap);
  const signer = await core.wallet.unlock(lig.keystore, 'fine cafe\u0301');
  signer.lock();
});

test('changePassphrase re-seals the same key; the old passphrase stops working', async () => {
  const first = await core.wallet.importKey(KEY, 'old', cheap);
  const second = await core.wallet.changePassphrase(first.keystore, 'old', 'new', { kdf: { opslimit: 2, memlimitKiB: 128 } });
  assert.equal(second.address, first.address);
  assert.notEqual(second.keystore, first.keystore);
  assert.deepEqual(core.wallet.inspect(second.keystore).kdf, { algorithm: 'argon2id13', opslimit: 2, memlimitKiB: 128 });
  await assert.rejects(core.wallet.unlock(second.keystore, 'old'), { code: 'BAD_PASSPHRASE' });
  assert.equal(await core.wallet.exportKey(second.keystore, 'new'), KEY);
  await assert.rejects(core.wallet.changePassphrase(first.keystore, 'wrong', 'new', cheap), { code: 'BAD_PASSPHRASE', field: 'passphrase' });
  await assert.rejects(core.wallet.changePassphrase(first.keystore, 'old', '', cheap), { code: 'INVALID_INPUT', field: 'passphrase' });
  const third = await core.wallet.changePassphrase(second.keystore, 'new', 'newer', cheap);
  assert.equal(third.address, first.address);
});

test('bad input is a ConveneError with a code and a field, and the module stays usable', async () => {
  const n = '0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141';
  await assert.rejects(core.wallet.importKey(n, 'pw', cheap), { code: 'INVALID_KEY', field: 'privateKey' });
  await assert.rejects(core.wallet.importKey(`0x${'00'.repeat(32)}`, 'pw', cheap), { code: 'INVALID_KEY' });
  await assert.rejects(core.wallet.importKey('0x1234', 'pw', cheap), { code: 'INVALID_KEY' });
  await assert.rejects(core.wallet.importKey(new Uint8Array(31).fill(1), 'pw', cheap), { code: 'INVALID_KEY' });
  await assert.rejects(core.wallet.importKey(12n, 'pw', cheap), { code: 'INVALID_TYPE', field: 'privateKey' });
  await assert.rejects(core.wallet.create(undefined), { code: 'INVALID_TYPE', field: 'passphrase' });
  await assert.rejects(core.wallet.create('pw', { kdf: { opslimit: 0 } }), { code: 'INVALID_INPUT', field: 'kdf.opslimit' });
  await assert.rejects(core.wallet.create('pw', { kdf: { memlimitKiB: 4 } }), { code: 'INVALID_INPUT', field: 'kdf.memlimitKiB' });
  await assert.rejects(core.wallet.create('pw', { kdf: { opslimit: 1.5 } }), { code: 'INVALID_INPUT', field: 'kdf.opslimit' });
  await assert.rejects(core.wallet.create('pw', { kdf: 'fast' }), { code: 'INVALID_TYPE', field: 'options.kdf' });
  await assert.rejects(core.wallet.unlock(42, 'pw'), { code: 'INVALID_TYPE', field: 'keystore' });
  assert.throws(() => core.wallet.inspect(null), { code: 'INVALID_TYPE' });

  const bytes = new Uint8Array(32);
  bytes[31] = 9;
  const { keystore } = await core.wallet.importKey(bytes, 'pw', cheap);
  assert.ok(bytes.every((b) => b === 0), 'an imported Uint8Array is zero-filled');
  const signer = await core.wallet.unlock(keystore, 'pw');
  assert.throws(() => signer.signDigest('0x12'), { code: 'INVALID_INPUT', field: 'digest' });
  assert.throws(() => signer.signDigest(`0x${'zz'.repeat(32)}`), { code: 'INVALID_INPUT', field: 'digest' });
  assert.throws(() => signer.signDigest(new Uint8Array(32)), { code: 'INVALID_TYPE', field: 'digest' });
  const digest = `0x${'ab'.repeat(32)}`;
  const before = signer.signDigest(digest);
  assert.equal(signer.locked, false);
  signer.lock();
  assert.equal(signer.locked, true);
  assert.throws(() => signer.signDigest(digest), { code: 'LOCKED' });
  signer.lock();
  // Still usable after all of the above.
  const again = await core.wallet.unlock(keystore, 'pw');
  assert.deepEqual(again.signDigest(digest), before);
  again.lock();
  assert.equal(core.jitsi.roomName('test-session-key'), 'mg-test-session-key-6841b27545a1131e');
});
