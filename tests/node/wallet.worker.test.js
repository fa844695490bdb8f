// The wallet Worker (docs/wallet.md#the-wallet-worker) in Node's worker_threads: the same operations as
// core.wallet, a signer handle whose signatures recover to its address and match core.wallet's byte for byte
// (RFC 6979), the key absent from the page's WASM memory while unlocked and from the Worker's after lock(),
// several wallets at once, a Worker that is terminated (its signers report LOCKED, nothing hangs), typed errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createWalletWorker, loadCore, ConveneError } from '@convene/core';
import { toViemAccount } from '@convene/core/viem';
import { privateKeyToAccount } from 'viem/accounts';
import { freshEventsModule, freshMainModule, freshRecurrenceModule, freshWalletModule, findAll, hexToBytes } from './helpers/freshModule.js';

const cheap = { kdf: { opslimit: 1, memlimitKiB: 64 } };
const core = await loadCore();

test('create, unlock and sign in the Worker: the signature is core.wallet’s, byte for byte, and recovers to the address', async () => {
  const w = await createWalletWorker();
  try {
    assert.deepEqual(w.defaultKdf, core.wallet.defaultKdf);
    const { address, keystore } = await w.create('pw', cheap);
    assert.equal((await w.inspect(keystore)).address, address);
    const signer = await w.unlock(keystore, 'pw');
    assert.equal(signer.address, address);
    const digest = `0x${'ab'.repeat(32)}`;
    const sig = await signer.signDigest(digest);
    const local = await core.wallet.unlock(keystore, 'pw');
    assert.deepEqual(sig, local.signDigest(digest), 'the same key, the same deterministic signature');
    local.lock();
    const rsv = `${sig.r}${sig.s.slice(2)}${sig.yParity ? '1c' : '1b'}`;
    assert.equal(core.wallet.recoverSigner(digest, rsv).address, address);
    await signer.lock();
    assert.equal(signer.locked, true);
    await assert.rejects(signer.signDigest(digest), (e) => e instanceof ConveneError && e.code === 'LOCKED');
  } finally {
    await w.terminate();
  }
});

test('toViemAccount over a Worker signer signs as viem’s privateKeyToAccount does', async () => {
  const w = await createWalletWorker();
  try {
    const key = `0x${randomBytes(32).toString('hex')}`;
    const { keystore } = await w.importKey(key, 'pw', cheap);
    const account = toViemAccount(await w.unlock(keystore, 'pw'));
    const reference = privateKeyToAccount(key);
    assert.equal(account.address, reference.address);
    assert.equal(await account.signMessage({ message: 'hello Convene' }), await reference.signMessage({ message: 'hello Convene' }));
  } finally {
    await w.terminate();
  }
});

test('the key is never in the page’s WASM memory, and not in the Worker’s after lock()', async () => {
  const main = await freshMainModule(); // the page's own core instance, as loadCore() makes one
  const events = await freshEventsModule(); // its events part (a meeting page)
  const recurrence = await freshRecurrenceModule(); // and its recurrence part (the app loads it at start)
  const page = await freshWalletModule(); // and its wallet part, for a main-thread wallet of its own
  const w = await createWalletWorker({ test: true });
  try {
    const keyHex = `0x${randomBytes(32).toString('hex')}`;
    const key = hexToBytes(keyHex);
    const { keystore } = await w.importKey(keyHex, 'pw', cheap);
    const signer = await w.unlock(keystore, 'pw');
    assert.equal(await w.scanMemory(key), 1, 'the scan works: one copy in the Worker while unlocked');
    for (let i = 0; i < 10; i++) await signer.signDigest(`0x${randomBytes(32).toString('hex')}`);
    // The page uses its own module meanwhile (a wallet of its own, a recovery): its memory never holds the key.
    (await page.wallet.unlock((await page.wallet.create('other', cheap)).keystore, 'other')).lock();
    page.wallet.recoverSigner(`0x${'11'.repeat(32)}`, `0x${'22'.repeat(32)}${'33'.repeat(32)}1b`);
    assert.deepEqual(findAll(page.heap(), key), [], 'not in the page’s wallet part while unlocked and after signing');
    assert.deepEqual(findAll(page.heap(), key.subarray(0, 16)), []);
    main.M.entities_types(); // the main part in use too
    assert.deepEqual(findAll(main.heap(), key), [], 'not in the page’s main module');
    assert.deepEqual(findAll(main.heap(), key.subarray(0, 16)), []);
    recurrence.M.recurrence_tzdataVersion(); // the recurrence part
    assert.deepEqual(findAll(recurrence.heap(), key.subarray(0, 16)), [], 'not in the page’s recurrence part');
    events.M.events_catalogue(); // and the events part
    assert.deepEqual(findAll(events.heap(), key.subarray(0, 16)), [], 'not in the page’s events part');
    await signer.lock();
    assert.equal(await w.scanMemory(key), 0, 'gone from the Worker after lock()');
    assert.equal(await w.scanMemory(key.subarray(16)), 0, 'not even half of it');
  } finally {
    await w.terminate();
  }
});

test('several wallets unlocked at once sign each with its own key; locking one leaves the other', async () => {
  const w = await createWalletWorker();
  try {
    const [a, b] = await Promise.all([w.create('a', cheap), w.create('b', cheap)]);
    const [sa, sb] = await Promise.all([w.unlock(a.keystore, 'a'), w.unlock(b.keystore, 'b')]);
    assert.notEqual(sa.address, sb.address);
    const digest = `0x${'cd'.repeat(32)}`;
    const [ra, rb] = await Promise.all([sa.signDigest(digest), sb.signDigest(digest)]);
    const addr = (sig) => core.wallet.recoverSigner(digest, `${sig.r}${sig.s.slice(2)}${sig.yParity ? '1c' : '1b'}`).address;
    assert.equal(addr(ra), a.address);
    assert.equal(addr(rb), b.address);
    await sa.lock();
    await assert.rejects(sa.signDigest(digest), { code: 'LOCKED' });
    assert.ok((await sb.signDigest(digest)).r);
  } finally {
    await w.terminate();
  }
});

test('a terminated Worker: its signers report LOCKED and calls reject at once, nothing hangs', async () => {
  const w = await createWalletWorker();
  const { keystore } = await w.create('pw', cheap);
  const signer = await w.unlock(keystore, 'pw');
  const inFlight = w.exportKey(keystore, 'pw').then((key) => key, (e) => e); // answered or refused, never left hanging
  await w.terminate();
  const settled = await inFlight;
  assert.ok(typeof settled === 'string' || (settled instanceof ConveneError && settled.code === 'WALLET_WORKER_GONE'), String(settled));
  assert.equal(signer.locked, true);
  await assert.rejects(signer.signDigest(`0x${'01'.repeat(32)}`), { code: 'LOCKED' });
  await assert.rejects(w.create('pw', cheap), { code: 'WALLET_WORKER_GONE' });
  await signer.lock(); // idempotent, no throw
});

test('bad input in the Worker is a ConveneError naming the field; the Worker stays usable', async () => {
  const w = await createWalletWorker();
  try {
    const { keystore } = await w.create('pw', cheap);
    await assert.rejects(w.unlock(keystore, 'wrong'), (e) => e instanceof ConveneError && e.code === 'BAD_PASSPHRASE');
    await assert.rejects(w.unlock('{"not":"a keystore"}', 'pw'), (e) => e instanceof ConveneError && e.field !== undefined);
    await assert.rejects(w.importKey('0x12', 'pw', cheap), { code: 'INVALID_KEY', field: 'privateKey' });
    const signer = await w.unlock(keystore, 'pw');
    await assert.rejects(signer.signDigest('0x12'), { code: 'INVALID_INPUT', field: 'digest' });
    assert.ok((await signer.signDigest(`0x${'01'.repeat(32)}`)).r, 'still usable');
    await assert.rejects(w.scanMemory(Uint8Array.of(1)), { code: 'UNKNOWN_OP' }, 'the scan is for tests only');
  } finally {
    await w.terminate();
  }
});

test('httpSink signs each body with a Worker signer (awaited); on unload, where nothing can be awaited, it beacons nothing', async () => {
  const { httpSink, batchMessage, SIGNER_HEADER, SIGNATURE_HEADER, SIGNED_AT_HEADER } = await import('@convene/core');
  const { hashMessage } = await import('viem');
  const w = await createWalletWorker();
  try {
    const { keystore } = await w.create('pw', cheap);
    const signer = await w.unlock(keystore, 'pw');
    const requests = [];
    const beacons = [];
    const sink = httpSink('http://collector.test/api/meetings/events', {
      signer,
      now: () => 1_767_000_000_000,
      fetch: async (url, init) => {
        requests.push(init);
        return new Response('{}', { status: 200 });
      },
      sendBeacon: (url, data) => beacons.push(url) > 0,
    });
    assert.equal((await sink([{ eventId: 'e1' }])).status, 200);
    const { headers, body } = requests[0];
    assert.equal(headers[SIGNER_HEADER], signer.address);
    assert.equal(headers[SIGNED_AT_HEADER], '1767000000000');
    const recovered = core.wallet.recoverSigner(hashMessage(batchMessage(body, 1_767_000_000_000)), headers[SIGNATURE_HEADER]);
    assert.equal(recovered.address, signer.address, 'the Worker signed this body');
    assert.throws(() => sink.beacon('{"events":[]}'), TypeError, 'an async signer cannot sign on unload: the batcher keeps the events stored');
    assert.deepEqual(beacons, []);
  } finally {
    await w.terminate();
  }
});

test('a Worker started from `node --input-type=module -e` starts (it does not inherit the flags that refuse a file)', async () => {
  const { execFileSync } = await import('node:child_process');
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', `
    const { createWalletWorker } = await import('@convene/core');
    const w = await createWalletWorker();
    process.stdout.write(String(w.defaultKdf.opslimit));
    await w.terminate();`], { encoding: 'utf8', cwd: new URL('../..', import.meta.url).pathname });
  assert.equal(out, String(core.wallet.defaultKdf.opslimit));
});

test('the Worker’s idle lock: a key unlocked with idleMs is locked by the Worker after that long without touch(), and the page is told why', async () => {
  const w = await createWalletWorker();
  const events = [];
  w.onLock((e) => events.push(e));
  try {
    const { keystore, address } = await w.create('pw', cheap);
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    const signer = await w.unlock(keystore, 'pw', { idleMs: 300 });
    assert.equal(signer.idleMs, 300);
    const again = await w.unlock(keystore, 'pw', { idleMs: 1000 });
    await sleep(600);
    assert.equal(signer.locked, true, 'never touched: locked by the Worker 300 ms after unlocking');
    again.touch(); // activity at 600 ms: the 1000 ms delay starts again
    await sleep(600);
    assert.equal(again.locked, false, 'touched 600 ms into a 1000 ms delay: still unlocked at 1200 ms');
    await sleep(1000);
    assert.equal(again.locked, true, 'then idle for 400 ms: locked by the Worker');
    await assert.rejects(signer.signDigest(`0x${'ab'.repeat(32)}`), (e) => e.code === 'LOCKED');
    assert.deepEqual(events.map((e) => [e.address, e.reason]), [[address, 'idle'], [address, 'idle']]);
    assert.deepEqual(await w.unlocked(), [], 'nothing is unlocked in the Worker any more');
    await assert.rejects(w.unlock(keystore, 'pw', { idleMs: -1 }), (e) => e.code === 'INVALID_INPUT' && e.field === 'idleMs');
    await assert.rejects(w.unlock(keystore, 'pw', { idleMs: 2 ** 31 }), (e) => e.code === 'INVALID_INPUT' && e.field === 'idleMs',
      'longer than setTimeout can wait: refused (it would fire at once)');
  } finally {
    await w.terminate();
  }
});

test('unlocked() lists the keys unlocked in the Worker, one signer object per key; a lock reaches every holder; onUnlock / onLock report both', async () => {
  const w = await createWalletWorker();
  const seen = [];
  w.onUnlock((s) => seen.push(['unlocked', s.address]));
  w.onLock((e) => seen.push(['locked', e.address, e.reason]));
  try {
    const a = await w.create('pw', cheap);
    const b = await w.create('pw', cheap);
    const sa = await w.unlock(a.keystore, 'pw');
    const sb = await w.unlock(b.keystore, 'pw', { idleMs: 60_000 });
    const list = await w.unlocked();
    assert.deepEqual(list.map((s) => s.address).sort(), [a.address, b.address].sort());
    assert.ok(list.includes(sa) && list.includes(sb), 'the same signer objects, not copies');
    assert.equal(list.find((s) => s === sb).idleMs, 60_000);
    await sb.setIdle(0);
    assert.equal(sb.idleMs, 0);
    await assert.rejects(sb.setIdle(1.5), (e) => e.code === 'INVALID_INPUT' && e.field === 'idleMs');
    await sa.lock();
    assert.deepEqual((await w.unlocked()).map((s) => s.address), [b.address]);
    assert.deepEqual(seen, [['unlocked', a.address], ['unlocked', b.address], ['locked', a.address, 'manual']]);
    await w.terminate();
    assert.equal(sb.locked, true);
    assert.deepEqual(seen.at(-1), ['locked', b.address, 'gone'], 'a Worker that is gone locks what the page held, and says so');
  } finally {
    await w.terminate();
  }
});

test('a Worker that is not ready in time counts as gone: createWalletWorker rejects with WALLET_WORKER_GONE instead of waiting for ever', async () => {
  await assert.rejects(createWalletWorker({ startTimeoutMs: 1 }), (e) => e instanceof ConveneError && e.code === 'WALLET_WORKER_GONE' && /not ready after 1 ms/.test(e.message));
  const w = await createWalletWorker(); // the next one starts normally
  await w.terminate();
});

test('a Worker that stops answering after it started counts as gone: calls in flight reject with WALLET_WORKER_GONE, its signers turn LOCKED, nothing waits for ever', async () => {
  // freezeForTests (test Workers only) makes the Worker spin for ever: from the page it is what a crashed or frozen
  // SharedWorker looks like (no message, no error event).
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const w = await createWalletWorker({ test: true, heartbeatMs: 50, goneAfterMs: 400 });
  const events = [];
  w.onLock((e) => events.push(e.reason));
  try {
    const { keystore, address } = await w.create('pw', cheap);
    const signer = await w.unlock(keystore, 'pw');
    await sleep(700);
    assert.equal(signer.locked, false, 'a Worker that answers the heartbeat stays alive past goneAfterMs');
    const t = Date.now();
    const hung = w.freezeForTests();
    await assert.rejects(hung, (e) => e instanceof ConveneError && e.code === 'WALLET_WORKER_GONE' && /no answer for 400 ms/.test(e.message));
    assert.ok(Date.now() - t < 5000, `given up after ${Date.now() - t} ms`);
    assert.equal(signer.locked, true);
    await assert.rejects(signer.signDigest(`0x${'ab'.repeat(32)}`), (e) => e.code === 'LOCKED');
    await assert.rejects(w.inspect(keystore), (e) => e.code === 'WALLET_WORKER_GONE');
    assert.deepEqual(events, ['gone']);
    assert.ok(address);
  } finally {
    await w.terminate();
  }
  await assert.rejects(createWalletWorker({ heartbeatMs: 0 }), (e) => e.code === 'INVALID_INPUT' && e.field === 'options.heartbeatMs');
  await assert.rejects(createWalletWorker({ goneAfterMs: -1 }), (e) => e.code === 'INVALID_INPUT' && e.field === 'options.goneAfterMs');
});

test('the heartbeat counts only pings the page really sent: a page paused longer than goneAfterMs keeps a healthy Worker; heartbeatMs must be below goneAfterMs', async () => {
  const w = await createWalletWorker({ heartbeatMs: 50, goneAfterMs: 400 });
  try {
    const { keystore } = await w.create('pw', cheap);
    const signer = await w.unlock(keystore, 'pw');
    const until = Date.now() + 700;
    while (Date.now() < until) {
      // the page's thread busy for 700 ms: no heartbeat tick can run, no pong can be read
    }
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(signer.locked, false, 'the Worker answered the pings sent after the pause');
    assert.ok((await signer.signDigest(`0x${'ab'.repeat(32)}`)).r);
  } finally {
    await w.terminate();
  }
  await assert.rejects(createWalletWorker({ heartbeatMs: 500, goneAfterMs: 100 }), (e) => e.code === 'INVALID_INPUT' && e.field === 'options.heartbeatMs');
});

test('a Worker found gone is stopped: the page\'s process can exit without terminate()', async () => {
  const { execFile } = await import('node:child_process');
  const script = `import { createWalletWorker } from '@convene/core';
const w = await createWalletWorker({ test: true, heartbeatMs: 50, goneAfterMs: 300 });
await w.freezeForTests().catch((e) => console.log(e.code));`;
  const out = await new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { timeout: 20_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
  assert.equal(out.trim(), 'WALLET_WORKER_GONE');
});
