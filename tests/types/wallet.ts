// Type-checks core.wallet and toViemAccount as a TypeScript user would use them (compiled, never executed).
import { toViemAccount } from '@convene/core/viem';
import { loadCore, ConveneError, type Signer, type SealedWallet, type KeystoreInfo } from '@convene/core';
import { createWalletClient, http, type LocalAccount } from 'viem';

async function walletDemo(): Promise<void> {
  const core = await loadCore();
  const sealed: SealedWallet = await core.wallet.create('correct horse', { kdf: { opslimit: 1 } });
  const info: KeystoreInfo = core.wallet.inspect(sealed.keystore);
  const signer: Signer = await core.wallet.unlock(sealed.keystore, 'correct horse');
  const { r, s, yParity } = signer.signDigest(`0x${'00'.repeat(32)}`);
  const parity: 0 | 1 = yParity;
  const account: LocalAccount<'custom'> = toViemAccount(signer);
  const client = createWalletClient({ account, transport: http('http://127.0.0.1:8545') });
  const moved: SealedWallet = await core.wallet.changePassphrase(sealed.keystore, 'correct horse', 'battery staple');
  const key: `0x${string}` = await core.wallet.exportKey(moved.keystore, 'battery staple');
  await core.wallet.importKey(key, 'again');
  signer.lock();
  const locked: boolean = signer.locked;
  try {
    // @ts-expect-error: the digest is a hex string, not bytes
    signer.signDigest(new Uint8Array(32));
  } catch (e) {
    if (e instanceof ConveneError && e.code === 'LOCKED') console.log(e.field);
  }
  const recovered: `0x${string}` = core.wallet.recoverSigner(`0x${'00'.repeat(32)}`, `0x${'11'.repeat(65)}`).address;
  void [info.address, info.kdf.memlimitKiB, r, s, parity, client, locked, recovered];
}
void walletDemo;

import { createKeystoreStore, createAutoLock, type KeystoreStore, type AutoLock } from '@convene/core';
async function storeDemo(signer: Signer, sealed: SealedWallet): Promise<void> {
  const store: KeystoreStore = createKeystoreStore({ dbName: 'convene-wallet' });
  await store.save(sealed);
  const ks: string | null = await store.load();
  const auto: AutoLock = createAutoLock(signer, { idleMs: 60_000, lockWhenHidden: true, onLock: (reason) => console.log(reason) });
  auto.touch();
  void [ks, auto.deadline];
}
void storeDemo;

import { httpSink, signBatch, batchDigest, batchMessage, SIGNER_HEADER, type Sink, type HttpSinkOptions } from '@convene/core';
function signedSinkDemo(signer: Signer): void {
  // An unlocked core.wallet signer signs collector batches (docs/events.md#signed-batches).
  const options: HttpSinkOptions = { signer, timeoutMs: 5000, onPartial: (results) => console.log(results.length) };
  const sink: Sink = httpSink('http://127.0.0.1:8546/api/meetings/events', options);
  const { signature, signedAt } = signBatch(signer, '{"events":[]}');
  const digest: `0x${string}` = batchDigest('{"events":[]}', signedAt);
  const bytes: string = batchMessage('{"events":[]}', signedAt);
  const header: 'convene-signer' = SIGNER_HEADER;
  // @ts-expect-error: a signer must sign digests
  httpSink('http://x', { signer: { address: '0x' } });
  void [sink, signature, digest, bytes, header];
}
void signedSinkDemo;

import { createWalletWorker, type WalletWorker, type WorkerSigner } from '@convene/core';
import { toViemAccount as toViem } from '@convene/core/viem';

export async function inTheWorker(keystore: string): Promise<`0x${string}`> {
  const w: WalletWorker = await createWalletWorker();
  const signer: WorkerSigner = await w.unlock(keystore, 'correct horse');
  const sig = await signer.signDigest(`0x${'00'.repeat(32)}`);
  // @ts-expect-error signDigest resolves asynchronously in the Worker
  const notYet: string = signer.signDigest(`0x${'00'.repeat(32)}`).r;
  void notYet;
  const account = toViem(signer);
  await signer.lock();
  await w.terminate();
  return account.address ?? sig.r;
}

import { DEFAULT_ACTIVITY_EVENTS, type WorkerLockReason } from '@convene/core';

/** The shared Worker: tabs adopt keys unlocked elsewhere, follow locks, and keep one idle timer. */
export async function sharedBetweenTabs(keystore: string): Promise<number> {
  const w = await createWalletWorker({ shared: true, heartbeatMs: 5_000, goneAfterMs: 120_000 });
  // @ts-expect-error delays are numbers of milliseconds
  await createWalletWorker({ goneAfterMs: '2 minutes' });
  const isShared: boolean = w.shared;
  const reasons: WorkerLockReason[] = [];
  const stop = w.onLock(({ address, reason }) => {
    const a: `0x${string}` = address;
    void a;
    reasons.push(reason);
  });
  w.onUnlock((s: WorkerSigner) => s.touch());
  const signer = await w.unlock(keystore, 'correct horse', { idleMs: 5 * 60_000 });
  const idle: number = signer.idleMs;
  await signer.setIdle(60_000);
  // @ts-expect-error idleMs is a number of milliseconds, not a string of minutes
  await w.unlock(keystore, 'correct horse', { idleMs: '5' });
  const held: WorkerSigner[] = await w.unlocked();
  const events: readonly string[] = DEFAULT_ACTIVITY_EVENTS;
  stop();
  await w.terminate();
  return Number(isShared) + idle + held.length + events.length + reasons.length;
}
