// createWalletWorker: core.wallet's surface, run in a dedicated Worker (docs/wallet.md#the-wallet-worker).
//
// Argon2id (create, unlock, changePassphrase, export) then runs off the page's thread, so the page never
// freezes, and an unlocked key lives only in the Worker's own WASM instance (npm/src/wallet/worker.js): the
// page holds a signer handle. The signer has the same shape as core.wallet.unlock's (`address`, `publicKey`,
// `locked`, `signDigest`, `lock`), except that `signDigest` resolves asynchronously; `toViemAccount`
// (`@convene/core/viem`) takes either.
import { ConveneError } from '../errors.js';

const isNode = typeof process !== 'undefined' && process.versions != null && process.versions.node != null;

/** A Worker over the host's API: `post(msg)`, `onMessage(fn)`, `onGone(fn(reason))`, `terminate()`. */
async function startWorker({ test }) {
  const url = new URL('./worker.js', import.meta.url);
  if (isNode) {
    const name = 'node:worker_threads';
    const { Worker } = await import(/* @vite-ignore */ name);
    // Not the parent's --input-type / --eval flags: a Worker started from `node --input-type=module -e` inherits
    // them and refuses to load a file.
    const execArgv = process.execArgv.filter((a) => !/^--(input-type|eval|print)\b|^-[ep]$/.test(a));
    const w = new Worker(url, { workerData: { test: Boolean(test) }, execArgv });
    return {
      // An idle Worker does not keep Node running; one with a call in flight does.
      busy: (yes) => (yes ? w.ref() : w.unref()),
      post: (m) => w.postMessage(m),
      onMessage: (fn) => w.on('message', fn),
      onGone: (fn) => {
        w.on('error', (e) => fn(e?.message || String(e)));
        w.on('exit', (c) => fn(`the wallet Worker exited (code ${c})`));
      },
      terminate: () => w.terminate(),
    };
  }
  if (typeof Worker !== 'function') {
    throw new ConveneError('NO_WORKER', 'this page cannot start a Worker: the wallet Worker needs Worker support (or use core.wallet on the main thread explicitly)', '');
  }
  if (test) url.searchParams.set('test', '');
  // Written as `new Worker(new URL(...), { type: 'module' })` so that bundlers (Vite, webpack 5) emit the Worker.
  const w = test ? new Worker(url, { type: 'module' }) : new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  return {
    busy: () => {},
    post: (m) => w.postMessage(m),
    onMessage: (fn) => w.addEventListener('message', (e) => fn(e.data)),
    onGone: (fn) => {
      w.addEventListener('error', (e) => fn(e?.message || 'the wallet Worker failed'));
      w.addEventListener('messageerror', () => fn('a message from the wallet Worker could not be read'));
    },
    terminate: () => w.terminate(),
  };
}

/**
 * Starts the wallet Worker and resolves once its WASM instance is ready.
 * @param {{ test?: boolean }} [options] `test`: enables the Worker's `scan` operation (key-hygiene tests only).
 * @returns {Promise<WalletWorker>} see npm/types/wallet.d.ts `WalletWorker`
 * @throws ConveneError NO_WORKER where the page cannot start a Worker; WALLET_WORKER_GONE if it fails to start
 */
export async function createWalletWorker(options = {}) {
  const host = await startWorker(options);
  const pending = new Map();
  /** Every signer handed out, so that a Worker that is gone locks them all. */
  const live = new Set();
  let nextId = 1;
  let gone = null;
  let readyResolve;
  let readyReject;
  const ready = new Promise((resolve, reject) => {
    readyResolve = resolve;
    readyReject = reject;
  });

  host.onMessage((msg) => {
    if (msg && msg.ready) return readyResolve();
    const p = pending.get(msg?.id);
    if (!p) return;
    pending.delete(msg.id);
    if (!pending.size) host.busy(false);
    if (msg.ok) p.resolve(msg.value);
    else p.reject(new ConveneError(msg.error.code, msg.error.message, msg.error.field || ''));
  });
  function goneWith(reason) {
    if (gone) return;
    gone = reason;
    const err = () => new ConveneError('WALLET_WORKER_GONE', `the wallet Worker is gone (${reason}); unlock the wallet again`, '');
    readyReject(err());
    for (const p of pending.values()) p.reject(err());
    pending.clear();
    for (const s of live) s.markLocked();
    live.clear();
  }
  host.onGone(goneWith);

  function call(op, ...args) {
    if (gone) return Promise.reject(new ConveneError('WALLET_WORKER_GONE', `the wallet Worker is gone (${gone})`, ''));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      if (!pending.size) host.busy(true);
      pending.set(id, { resolve, reject });
      host.post({ id, op, args });
    });
  }

  host.busy(true);
  await ready;
  host.busy(false);
  const defaultKdf = Object.freeze(await call('defaultKdf'));

  function makeSigner({ handle, address, publicKey }) {
    let locked = false;
    const entry = { markLocked: () => { locked = true; } };
    live.add(entry);
    return Object.freeze({
      /** EIP-55 checksummed address. */
      address,
      /** Uncompressed public key, 0x04 || x || y. */
      publicKey,
      /** True after lock(), and once the Worker is gone. */
      get locked() { return locked; },
      /**
       * Signs a 32-byte digest in the Worker (RFC 6979, low s, recovery bit).
       * @param {string} digest 0x + 64 hex digits
       * @returns {Promise<{ r: `0x${string}`, s: `0x${string}`, yParity: 0 | 1 }>}
       * @throws ConveneError LOCKED after lock() or once the Worker is gone; INVALID_INPUT (`digest`)
       */
      async signDigest(digest) {
        if (locked) throw new ConveneError('LOCKED', 'this signer is locked: unlock the wallet again', '');
        try {
          return await call('sign', handle, digest);
        } catch (err) {
          if (err.code === 'WALLET_WORKER_GONE') throw new ConveneError('LOCKED', `this signer is locked: ${err.message}`, '');
          throw err;
        }
      },
      /** Wipes the key in the Worker; later signDigest calls reject with LOCKED. Idempotent; `locked` is true at once. */
      async lock() {
        if (locked) return;
        locked = true;
        live.delete(entry);
        if (!gone) await call('lock', handle).catch(() => {});
      },
    });
  }

  return Object.freeze({
    /** Argon2id parameters used when none are given: `{ opslimit, memlimitKiB }`. */
    defaultKdf,
    /** As core.wallet.create, in the Worker. @returns {Promise<{ address: string, keystore: string }>} */
    create: (passphrase, opts) => call('create', passphrase, opts),
    /** As core.wallet.importKey, in the Worker (a Uint8Array key is transferred as a copy; zero-fill yours). */
    importKey: (privateKey, passphrase, opts) => call('importKey', privateKey, passphrase, opts),
    /** As core.wallet.inspect, in the Worker (async here). */
    inspect: (keystore) => call('inspect', keystore),
    /** Opens the keystore in the Worker. @returns {Promise<WorkerSigner>} */
    unlock: async (keystore, passphrase) => makeSigner(await call('unlock', keystore, passphrase)),
    /** As core.wallet.changePassphrase, in the Worker. */
    changePassphrase: (keystore, oldPassphrase, newPassphrase, opts) => call('changePassphrase', keystore, oldPassphrase, newPassphrase, opts),
    /** As core.wallet.exportKey, in the Worker: the one call whose result carries the key to the page. */
    exportKey: (keystore, passphrase) => call('exportKey', keystore, passphrase),
    /** Tests only (`{ test: true }`): how many times `bytes` occur in the Worker's WASM memory. */
    scanMemory: (bytes) => call('scan', bytes),
    /** Stops the Worker: every signer it holds is locked, later calls reject with WALLET_WORKER_GONE. */
    async terminate() {
      goneWith('terminated');
      await host.terminate();
    },
  });
}
