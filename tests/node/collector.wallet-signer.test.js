// The app's signer for collector batches (web/src/wallets.js `batchSigner`): signs with the active wallet while it is
// unlocked, in a form the collector verifies; refuses (WALLET_LOCKED) once it is locked, so httpSink's send fails and
// the batcher keeps the batch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recoverMessageAddress } from 'viem';
import { batchMessage, loadCore, signBatch } from '@convene/core';
import { createWallets } from '../../web/src/wallets.js';

test('wallets.batchSigner signs batches as the active wallet, and not once it is locked', async () => {
  globalThis.requestAnimationFrame ??= (fn) => setTimeout(fn, 0);
  const core = await loadCore();
  const saved = new Map();
  // As createKeystoreStore keeps them: by lower-case address.
  const store = { list: async () => [...saved.values()], save: async (s) => saved.set(s.address.toLowerCase(), { ...s, address: s.address.toLowerCase() }), remove: async (a) => saved.delete(a) };
  const items = new Map();
  const storage = { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => items.set(k, String(v)), removeItem: (k) => items.delete(k) };
  const wallets = await createWallets({ core, store, storage, kdf: { opslimit: 1, memlimitKiB: 8 } });
  const address = await wallets.create('Ann', 'correct horse');
  const signer = wallets.batchSigner;
  assert.equal(signer.address.toLowerCase(), address);
  const body = '{"events":[]}';
  const { signature, signedAt } = signBatch(signer, body);
  assert.equal((await recoverMessageAddress({ message: batchMessage(body, signedAt), signature })).toLowerCase(), address);
  wallets.lock();
  assert.throws(() => signBatch(signer, body), (e) => e.code === 'WALLET_LOCKED');
  await wallets.unlock('correct horse');
  assert.ok(signBatch(signer, body).signature.startsWith('0x'));
  wallets.lock();
});
