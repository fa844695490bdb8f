// core.wallet signatures against viem: known address vector, recoverAddress,
// byte-for-byte equality with privateKeyToAccount (RFC 6979), toViemAccount.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { privateKeyToAccount } from 'viem/accounts';
import {
  keccak256, parseGwei, parseEther, recoverAddress, recoverMessageAddress, recoverTypedDataAddress,
  parseTransaction, recoverTransactionAddress, serializeSignature,
} from 'viem';
import { loadCore } from '../../npm/index.js';
import { toViemAccount } from '../../npm/viem.js';

const cheap = { kdf: { opslimit: 1, memlimitKiB: 64 } };
const core = await loadCore();

async function unlocked(privateKey) {
  const { address, keystore } = await core.wallet.importKey(privateKey, 'pw', cheap);
  return { address, keystore, signer: await core.wallet.unlock(keystore, 'pw') };
}

test('private key 0x…01 gives address 0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf', async () => {
  const key = `0x${'00'.repeat(31)}01`;
  const { address, keystore, signer } = await unlocked(key);
  assert.equal(address, '0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf');
  assert.equal(signer.address, address);
  assert.equal(core.wallet.inspect(keystore).address, address);
  assert.equal(signer.publicKey,
    '0x0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8');
  signer.lock();
});

test('signatures over random digests recover to the address and equal viem privateKeyToAccount byte for byte', async () => {
  for (let k = 0; k < 5; k++) {
    const key = `0x${randomBytes(32).toString('hex')}`;
    const viemAccount = privateKeyToAccount(key);
    const { address, signer } = await unlocked(key);
    assert.equal(address, viemAccount.address);
    for (let i = 0; i < 40; i++) {
      const hash = `0x${randomBytes(32).toString('hex')}`;
      const sig = signer.signDigest(hash);
      assert.match(sig.r, /^0x[0-9a-f]{64}$/);
      assert.match(sig.s, /^0x[0-9a-f]{64}$/);
      assert.ok(sig.yParity === 0 || sig.yParity === 1);
      assert.equal(await recoverAddress({ hash, signature: sig }), address);
      assert.equal(serializeSignature(sig), await viemAccount.sign({ hash }));
    }
    signer.lock();
  }
});

test('toViemAccount signs messages, typed data, transactions and authorizations exactly like privateKeyToAccount', async () => {
  const key = `0x${randomBytes(32).toString('hex')}`;
  const reference = privateKeyToAccount(key);
  const { signer } = await unlocked(key);
  const account = toViemAccount(signer);
  assert.equal(account.address, reference.address);
  assert.equal(account.type, 'local');
  assert.equal(account.source, 'custom');

  for (const message of ['hello', '', { raw: '0xdeadbeef' }, 'ünïcødé ✓']) {
    const sig = await account.signMessage({ message });
    assert.equal(sig, await reference.signMessage({ message }));
    assert.equal(await recoverMessageAddress({ message, signature: sig }), reference.address);
  }

  const typedData = {
    domain: { name: 'Convene', version: '1', chainId: 1337, verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' },
    types: { Session: [{ name: 'mentor', type: 'address' }, { name: 'skill', type: 'string' }, { name: 'at', type: 'uint256' }] },
    primaryType: 'Session',
    message: { mentor: '0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf', skill: 'c-programming', at: 1735689600n },
  };
  const typedSig = await account.signTypedData(typedData);
  assert.equal(typedSig, await reference.signTypedData(typedData));
  assert.equal(await recoverTypedDataAddress({ ...typedData, signature: typedSig }), reference.address);

  const txs = [
    { type: 'eip1559', chainId: 1337, nonce: 7, to: '0x00000000000000000000000000000061726b6976', value: 0n, data: '0x1234',
      gas: 100000n, maxFeePerGas: parseGwei('2'), maxPriorityFeePerGas: parseGwei('1') },
    { type: 'legacy', chainId: 1337, nonce: 0, to: reference.address, value: parseEther('0.5'), gas: 21000n, gasPrice: parseGwei('1') },
    { type: 'legacy', nonce: 1, to: reference.address, value: 1n, gas: 21000n, gasPrice: 1n },  // pre-EIP-155
    { type: 'eip2930', chainId: 60138453033, nonce: 3, to: reference.address, gas: 50000n, gasPrice: parseGwei('3'), accessList: [] },
  ];
  for (const tx of txs) {
    const signed = await account.signTransaction(tx);
    assert.equal(signed, await reference.signTransaction(tx), tx.type);
    assert.equal(await recoverTransactionAddress({ serializedTransaction: signed }), reference.address);
    assert.equal(parseTransaction(signed).nonce, tx.nonce);
  }

  const hash = keccak256('0x01');
  assert.equal(await account.sign({ hash }), await reference.sign({ hash }));
  const auth = { address: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC', chainId: 1337, nonce: 5 };
  assert.deepEqual(await account.signAuthorization(auth), await reference.signAuthorization(auth));

  signer.lock();
  await assert.rejects(account.signMessage({ message: 'after lock' }), { code: 'LOCKED' });
});
