// A wallet made in WASM writes to the local Arkiv node (tools/arkiv-node) through
// the real @arkiv-network/sdk 0.6.8 wallet client, with toViemAccount as its account.
// The node recovers the sender from each signed transaction, so an entity owned by
// the wallet's address proves the signature (and its yParity) is right.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createPublicClient, createWalletClient, http } from '@arkiv-network/sdk';
import { localhost } from '@arkiv-network/sdk/chains';
import { eq } from '@arkiv-network/sdk/query';
import { jsonToPayload } from '@arkiv-network/sdk/utils';
import { recoverTransactionAddress } from 'viem';
import { loadCore } from '../../npm/index.js';
import { toViemAccount } from '../../npm/viem.js';
import { startArkivNode } from '../../tools/arkiv-node/src/index.js';

const cheap = { kdf: { opslimit: 1, memlimitKiB: 64 } };
let dir;
let node;
let chain;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wallet-arkiv-'));
  node = await startArkivNode({ port: 0, statePath: path.join(dir, 'state.json'), blockTimeMs: 50, log: () => {} });
  chain = { ...localhost, rpcUrls: { default: { http: [node.url] } } };
});

after(async () => {
  await node?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('entities written with toViemAccount are accepted and owned by the WASM wallet', async () => {
  const core = await loadCore();
  const { address, keystore } = await core.wallet.create('arkiv passphrase', cheap);
  const signer = await core.wallet.unlock(keystore, 'arkiv passphrase');
  const account = toViemAccount(signer);
  const publicClient = createPublicClient({ chain, transport: http(node.url) });
  const walletClient = createWalletClient({ chain, transport: http(node.url), account });

  const { entityKey, txHash } = await walletClient.createEntity({
    payload: jsonToPayload({ title: 'signed in WASM' }),
    contentType: 'application/json',
    attributes: [{ key: 'type', value: 'wallet_test' }, { key: 'spaceId', value: 'local-dev' }],
    expiresIn: 3600,
  });
  const receipt = await publicClient.getTransactionReceipt({ hash: txHash });
  assert.equal(receipt.status, 'success');
  assert.equal(receipt.from, address.toLowerCase());
  const tx = await publicClient.getTransaction({ hash: txHash });
  assert.equal(tx.from, address.toLowerCase());
  assert.equal(tx.chainId, 1337);

  const entity = await publicClient.getEntity(entityKey);
  assert.equal(entity.owner, address.toLowerCase());
  assert.deepEqual(JSON.parse(new TextDecoder().decode(entity.payload)), { title: 'signed in WASM' });

  // A second write (next nonce) and an update, both signed through the same account.
  const second = await walletClient.createEntity({
    payload: jsonToPayload({ n: 2 }), contentType: 'application/json',
    attributes: [{ key: 'type', value: 'wallet_test' }], expiresIn: 60,
  });
  await walletClient.updateEntity({
    entityKey: second.entityKey, payload: jsonToPayload({ n: 3 }), contentType: 'application/json',
    attributes: [{ key: 'type', value: 'wallet_test' }], expiresIn: 60,
  });
  const { entities } = await publicClient.buildQuery().where(eq('type', 'wallet_test')).ownedBy(address)
    .withPayload(true).withMetadata(true).fetch();
  assert.equal(entities.length, 2);
  assert.ok(entities.every((e) => e.owner === address.toLowerCase()), JSON.stringify(entities.map((e) => e.owner)));
  const updated = entities.find((e) => e.key === second.entityKey);
  assert.deepEqual(JSON.parse(new TextDecoder().decode(updated.payload)), { n: 3 });

  // The raw signed transaction recovers to the wallet's address independently of the node.
  const raw = await account.signTransaction({
    chainId: 1337, type: 'eip1559', nonce: 99, to: '0x00000000000000000000000000000061726b6976',
    gas: 100000n, maxFeePerGas: 2n, maxPriorityFeePerGas: 1n, data: '0x',
  });
  assert.equal(await recoverTransactionAddress({ serializedTransaction: raw }), address);

  signer.lock();
  await assert.rejects(
    walletClient.createEntity({ payload: jsonToPayload({}), contentType: 'application/json', attributes: [], expiresIn: 60 }),
    // The SDK wraps the account's ConveneError (code LOCKED) into its EntityMutationError, keeping the message.
    { name: 'EntityMutationError', message: /the signer is locked/ },
  );
});
