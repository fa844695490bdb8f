// Key hygiene: after lock() the key's bytes are nowhere in the module's linear
// memory; no API result or output line carries the key except exportKey.
// Runs on a separate module instance (helpers/freshModule.js) whose HEAPU8 the
// test can read; the package's own instance exposes no heap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { freshWalletModule, findAll, hexToBytes } from './helpers/freshModule.js';

const cheap = { kdf: { opslimit: 1, memlimitKiB: 64 } };

test('while unlocked the key is in WASM memory (the scan works); after lock() it is gone', async () => {
  const { wallet, heap } = await freshWalletModule();
  const keyHex = `0x${randomBytes(32).toString('hex')}`;
  const key = hexToBytes(keyHex);
  const { keystore } = await wallet.importKey(keyHex, 'pw', cheap);
  assert.deepEqual(findAll(heap(), key), [], 'importKey leaves no copy behind');

  const signer = await wallet.unlock(keystore, 'pw');
  assert.equal(findAll(heap(), key).length, 1, 'exactly one copy while unlocked: the Signer’s');
  for (let i = 0; i < 20; i++) signer.signDigest(`0x${randomBytes(32).toString('hex')}`);
  assert.equal(findAll(heap(), key).length, 1, 'signing makes no lasting copies');

  signer.lock();
  const mem = heap();
  assert.deepEqual(findAll(mem, key), [], 'no copy after lock()');
  assert.deepEqual(findAll(mem, key.subarray(0, 16)), [], 'not even the first half');
  assert.deepEqual(findAll(mem, key.subarray(16)), [], 'not even the second half');
  assert.deepEqual(findAll(mem, Uint8Array.from(key).reverse()), [], 'nor little-endian');
});

test('a key made in WASM is likewise gone after lock(), changePassphrase and exportKey', async () => {
  const { wallet, heap } = await freshWalletModule();
  const { keystore } = await wallet.create('pw', cheap);
  const exported = await wallet.exportKey(keystore, 'pw');  // only to learn the key for the scan
  const key = hexToBytes(exported);
  assert.deepEqual(findAll(heap(), key), [], 'create and exportKey leave no copy');
  const { keystore: resealed } = await wallet.changePassphrase(keystore, 'pw', 'pw2', cheap);
  assert.deepEqual(findAll(heap(), key), [], 'changePassphrase leaves no copy');
  const signer = await wallet.unlock(resealed, 'pw2');
  signer.signDigest(`0x${'11'.repeat(32)}`);
  assert.equal(findAll(heap(), key).length, 1);
  signer.lock();
  assert.deepEqual(findAll(heap(), key), []);
});

test('the passphrase bytes are not left in WASM memory either', async () => {
  const { wallet, heap } = await freshWalletModule();
  const passphrase = `passphrase-${randomBytes(16).toString('hex')}`;
  const needle = new TextEncoder().encode(passphrase);
  const { keystore } = await wallet.create(passphrase, cheap);
  const signer = await wallet.unlock(keystore, passphrase);
  signer.lock();
  await assert.rejects(wallet.unlock(keystore, `${passphrase}!`), { code: 'BAD_PASSPHRASE' });
  assert.deepEqual(findAll(heap(), needle), []);
});

test('no API but exportKey returns or prints the key', async () => {
  const { wallet, lines } = await freshWalletModule();
  const keyHex = `0x${randomBytes(32).toString('hex')}`;
  const bare = keyHex.slice(2);
  const seen = [];
  const record = (v) => { seen.push(typeof v === 'string' ? v : JSON.stringify(v, (k, x) => (typeof x === 'bigint' ? x.toString() : x))); return v; };
  const imported = record(await wallet.importKey(keyHex, 'pw', cheap));
  record(wallet.inspect(imported.keystore));
  const signer = await wallet.unlock(imported.keystore, 'pw');
  record({ ...signer, locked: signer.locked, keys: Object.keys(signer) });
  record(signer.signDigest(`0x${'22'.repeat(32)}`));
  record(await wallet.changePassphrase(imported.keystore, 'pw', 'pw2', cheap));
  await wallet.unlock(imported.keystore, 'nope').catch((e) => record({ message: e.message, code: e.code, field: e.field }));
  signer.lock();
  const base64Key = Buffer.from(bare, 'hex').toString('base64').slice(0, 40);
  for (const s of [...seen, ...lines]) {
    assert.ok(!s.toLowerCase().includes(bare), s);
    assert.ok(!s.includes(base64Key), s);
  }
  assert.deepEqual(lines, [], 'the module prints nothing');
  assert.equal(await wallet.exportKey(imported.keystore, 'pw'), keyHex);
});
