// createWalletWorker: core.wallet's surface, run in a Worker (docs/wallet.md#the-wallet-worker).
//
// Argon2id (create, unlock, changePassphrase, export) then runs off the page's thread, so the page never
// freezes, and an unlocked key lives only in the Worker's own WASM instance (npm/src/wallet/worker.js): the
// page holds a signer handle. The signer has the same shape as core.wallet.unlock's (`address`, `publicKey`,
// `locked`, `signDigest`, `lock`), except that `signDigest` resolves asynchronously; `toViemAccount`
// (`@convene/core/viem`) takes either. With `{ shared: true }`, where the browser has SharedWorker, every page of
// the origin that asks for it talks to one Worker: a wallet unlocked in one tab is unlocked in all, with one
// idle timer (docs/wallet.md#sharing-one-unlocked-wallet-between-tabs).
import { ConveneError } from '../errors.js';

const isNode = typeof process !== 'undefined' && process.versions != null && process.versions.node != null;

/** A Worker over the host's API: `post(msg)`, `onMessage(fn)`, `onGone(fn(reason))`, `terminate()`. */
async function startWorker({ test, shared }) {
  const url = new URL('./worker.js', import.meta.url);
  if (isNode) {
    const name = 'node:worker_threads';
    const { Worker } = await import(/* @vite-ignore */ name);
    // Not the parent's --input-type / --eval flags: a Worker started from `node --input-type=module -e` inherits
    // them and refuses to load a file.
    const execArgv = process.execArgv.filter((a) => !/^--(input-type|eval|print)\b|^-[ep]$/.test(a));
    const w = new Worker(url, { workerData: { test: Boolean(test) }, execArgv });
    return {
      shared: false,
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
  if (shared && typeof SharedWorker === 'function') {
    // One Worker per origin and name: every page that asks for 'convene-wallet' gets a port to the same one.
    // Written as `new SharedWorker(new URL(...), { type: 'module' })` so that bundlers emit it.
    const sw = test
      ? new SharedWorker(url, { type: 'module', name: 'convene-wallet-test' })
      : new SharedWorker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'convene-wallet' });
    const port = sw.port;
    return {
      shared: true,
      busy: () => {},
      post: (m) => port.postMessage(m),
      onMessage: (fn) => {
        port.addEventListener('message', (e) => fn(e.data));
        port.start();
      },
      onGone: (fn) => {
        sw.addEventListener('error', (e) => fn(e?.message || 'the wallet SharedWorker failed'));
        port.addEventListener('messageerror', () => fn('a message from the wallet SharedWorker could not be read'));
      },
      // Only this page's connection: the SharedWorker keeps serving the other pages (it ends with the last one).
      terminate: () => port.close(),
    };
  }
  // Written as `new Worker(new URL(...), { type: 'module' })` so that bundlers (Vite, webpack 5) emit the Worker.
  const w = test ? new Worker(url, { type: 'module' }) : new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  return {
    shared: false,
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

/** The least time between two `touch` messages of one signer (activity events come many a second). */
const TOUCH_EVERY_MS = 1000;

/** How long a Worker may take to say it is ready (fetching and compiling its module) before it counts as gone. */
const DEFAULT_START_TIMEOUT_MS = 60_000;

/** How often a page asks the Worker whether it is alive (`{ ping }`), while it has calls in flight or holds keys. */
const DEFAULT_HEARTBEAT_MS = 5_000;

/**
 * How long a started Worker may stay silent (no answer to a call or a ping) before it counts as gone. A Worker
 * running Argon2id answers nothing until it is done, so this is far above the default parameters' 0.4-1 s.
 */
const DEFAULT_GONE_AFTER_MS = 60_000;

/** A positive number of milliseconds from `options`, or its default. */
function delayOption(options, name, fallback) {
  const v = options[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) {
    throw new ConveneError('INVALID_INPUT', `options.${name} must be a positive number of milliseconds, got ${String(v)}`, `options.${name}`);
  }
  return v;
}

/**
 * Starts the wallet Worker (or connects to the shared one) and resolves once its WASM instance is ready.
 * @param {{ test?: boolean, shared?: boolean, startTimeoutMs?: number, heartbeatMs?: number, goneAfterMs?: number }} [options]
 *   `test`: enables the Worker's test operations (`scan`, `freeze`: key-hygiene and failure tests only); `shared`: a
 *   SharedWorker shared by every page of the origin that asks for one, where the browser has SharedWorker (else,
 *   and in Node, a dedicated Worker: the result's `shared` says which); `startTimeoutMs`: how long the Worker may
 *   take to be ready (default 60,000 ms); `heartbeatMs` / `goneAfterMs`: while calls are in flight or keys are held,
 *   the page pings the Worker every `heartbeatMs` (default 5,000) and counts it as gone after `goneAfterMs`
 *   (default 60,000, more than heartbeatMs) of pings without any message from it — a crashed SharedWorker sends no
 *   error event to its pages (docs/wallet.md#the-wallet-worker). All in milliseconds.
 * @returns {Promise<WalletWorker>} see npm/types/wallet.d.ts `WalletWorker`
 * @throws ConveneError NO_WORKER where the page cannot start a Worker; WALLET_WORKER_GONE if it fails to start;
 *   INVALID_INPUT (`options.startTimeoutMs` / `options.heartbeatMs` / `options.goneAfterMs`) for a delay that is
 *   not a positive number, or a heartbeatMs not below goneAfterMs
 */
export async function createWalletWorker(options = {}) {
  const timeoutMs = delayOption(options, 'startTimeoutMs', DEFAULT_START_TIMEOUT_MS);
  const heartbeatMs = delayOption(options, 'heartbeatMs', DEFAULT_HEARTBEAT_MS);
  const goneAfterMs = delayOption(options, 'goneAfterMs', DEFAULT_GONE_AFTER_MS);
  if (heartbeatMs >= goneAfterMs) {
    throw new ConveneError('INVALID_INPUT', `options.heartbeatMs (${heartbeatMs}) must be less than options.goneAfterMs (${goneAfterMs})`, 'options.heartbeatMs');
  }
  const host = await startWorker(options);
  const pending = new Map();
  /** handle -> { signer, markLocked }: one signer object per unlocked key, so that every page event reaches it. */
  const live = new Map();
  const lockListeners = new Set();
  const unlockListeners = new Set();
  let nextId = 1;
  let gone = null;
  let readyResolve;
  let readyReject;
  const ready = new Promise((resolve, reject) => {
    readyResolve = resolve;
    readyReject = reject;
  });

  /** A key of this Worker was locked (by any page, by its idle timer, or because the Worker is gone). */
  function lockedHere(handle, address, reason) {
    const entry = live.get(handle);
    if (!entry) return;
    live.delete(handle);
    entry.markLocked();
    for (const fn of lockListeners) fn({ address, reason });
  }

  /**
   * The heartbeat's count: pings sent since the Worker was last heard from (any message resets it), and when the
   * first of them was sent. The Worker is gone only when both say so (see beat), so a page that was itself paused
   * (a long task, a debugger, a sleeping laptop, a throttled background tab) never takes its own pause for the
   * Worker's silence.
   */
  let unanswered = 0;
  let silentSince = 0;
  let beat = null;
  let pings = 0;
  const pingsForGone = Math.max(2, Math.ceil(goneAfterMs / heartbeatMs));

  host.onMessage((msg) => {
    if (gone) return undefined; // messages queued before the Worker was terminated
    unanswered = 0;
    if (msg && msg.pong !== undefined) return undefined;
    if (msg && msg.ready === false) return goneWith(msg.error?.message || 'it could not start');
    if (msg && msg.ready) return readyResolve();
    if (msg && msg.event === 'locked') return lockedHere(msg.handle, msg.address, msg.reason);
    if (msg && msg.event === 'idle') return live.get(msg.handle)?.setIdleMs(msg.idleMs);
    if (msg && msg.event === 'unlocked') {
      const signer = makeSigner(msg);
      for (const fn of unlockListeners) fn(signer);
      return undefined;
    }
    const p = pending.get(msg?.id);
    if (!p) return undefined;
    pending.delete(msg.id);
    if (!pending.size) host.busy(false);
    if (msg.ok) p.resolve(msg.value);
    else p.reject(new ConveneError(msg.error.code, msg.error.message, msg.error.field || ''));
    return undefined;
  });
  function goneWith(reason) {
    if (gone) return;
    gone = reason;
    clearInterval(beat);
    const err = () => new ConveneError('WALLET_WORKER_GONE', `the wallet Worker is gone (${reason}); unlock the wallet again`, '');
    readyReject(err());
    for (const p of pending.values()) p.reject(err());
    pending.clear();
    for (const [handle, entry] of [...live]) lockedHere(handle, entry.signer.address, 'gone');
    // Stopped, whatever made it gone: a frozen dedicated Worker would spin on (and keep Node running), a shared
    // one keeps this page's port. terminate() again later is harmless.
    host.busy(false);
    Promise.resolve().then(() => host.terminate()).catch(() => {});
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
  const timer = setTimeout(() => goneWith(`it was not ready after ${timeoutMs} ms`), timeoutMs);
  try {
    await ready;
  } catch (err) {
    await host.terminate();
    throw err;
  } finally {
    clearTimeout(timer);
  }
  host.busy(false);
  // The heartbeat, while something waits on the Worker (a call) or lives in it (a key this page holds): a ping at
  // every tick; gone after `pingsForGone` pings in a row without any message, the first sent at least goneAfterMs
  // ago. Never keeps Node running.
  beat = setInterval(() => {
    if (!pending.size && !live.size) {
      unanswered = 0;
      return;
    }
    if (unanswered === 0) silentSince = Date.now();
    if (unanswered >= pingsForGone && Date.now() - silentSince >= goneAfterMs) {
      goneWith(`no answer for ${goneAfterMs} ms`);
      return;
    }
    unanswered++;
    host.post({ ping: ++pings });
  }, heartbeatMs);
  beat.unref?.();
  let defaultKdf;
  try {
    defaultKdf = Object.freeze(await call('defaultKdf'));
  } catch (err) {
    goneWith(`it could not answer: ${err.message}`);
    throw err;
  }

  /** The page's handle on an unlocked key of the Worker: one per key (`handle`), made on first sight. */
  function makeSigner({ handle, address, publicKey, idleMs }) {
    const known = live.get(handle);
    if (known) return known.signer;
    let locked = false;
    let idle = idleMs ?? 0;
    let lastTouch = 0;
    const signer = Object.freeze({
      /** EIP-55 checksummed address. */
      address,
      /** Uncompressed public key, 0x04 || x || y. */
      publicKey,
      /** True once it is locked (here, in another page, by its idle timer) and once the Worker is gone. */
      get locked() { return locked || gone !== null; },
      /** The Worker-held idle delay in milliseconds (0: none): see `touch`. */
      get idleMs() { return idle; },
      /**
       * Signs a 32-byte digest in the Worker (RFC 6979, low s, recovery bit).
       * @param {string} digest 0x + 64 hex digits
       * @returns {Promise<{ r: `0x${string}`, s: `0x${string}`, yParity: 0 | 1 }>}
       * @throws ConveneError LOCKED once locked or once the Worker is gone; INVALID_INPUT (`digest`)
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
      /** Activity on this page: the Worker's idle delay starts again (at most one message a second; no-op once locked). */
      touch() {
        const now = Date.now();
        if (locked || gone || now - lastTouch < TOUCH_EVERY_MS) return;
        lastTouch = now;
        call('touch', handle).catch(() => {});
      },
      /**
       * A new Worker-held idle delay, counted from now, for every page that holds this key.
       * @param {number} ms whole milliseconds; 0: no idle lock
       * @throws ConveneError INVALID_INPUT (`idleMs`); LOCKED once locked
       */
      async setIdle(ms) {
        if (locked) throw new ConveneError('LOCKED', 'this signer is locked: unlock the wallet again', '');
        await call('setIdle', handle, ms); // every page's signer of this key hears of it (`idle` event)
      },
      /** Wipes the key in the Worker, for every page; later signDigest calls reject with LOCKED. Idempotent; `locked` is true at once. */
      async lock() {
        if (locked) return;
        locked = true;
        if (!gone) await call('lock', handle).catch(() => {});
      },
    });
    live.set(handle, { signer, markLocked: () => { locked = true; }, setIdleMs: (ms) => { idle = ms; } });
    return signer;
  }

  return Object.freeze({
    /** Argon2id parameters used when none are given: `{ opslimit, memlimitKiB }`. */
    defaultKdf,
    /** True when this is the SharedWorker every page of the origin shares; false for a dedicated Worker. */
    shared: host.shared,
    /** As core.wallet.create, in the Worker. @returns {Promise<{ address: string, keystore: string }>} */
    create: (passphrase, opts) => call('create', passphrase, opts),
    /** As core.wallet.importKey, in the Worker (a Uint8Array key is transferred as a copy; zero-fill yours). */
    importKey: (privateKey, passphrase, opts) => call('importKey', privateKey, passphrase, opts),
    /** As core.wallet.inspect, in the Worker (async here). */
    inspect: (keystore) => call('inspect', keystore),
    /**
     * Opens the keystore in the Worker. `opts.idleMs` (whole milliseconds, default 0 = none): the Worker locks the
     * key after that long without a `touch` from any page.
     * @returns {Promise<WorkerSigner>}
     */
    unlock: async (keystore, passphrase, opts) => makeSigner(await call('unlock', keystore, passphrase, opts && { idleMs: opts.idleMs })),
    /** The keys unlocked in the Worker now, by this page or another one sharing it. @returns {Promise<WorkerSigner[]>} */
    unlocked: async () => (await call('unlocked')).map(makeSigner),
    /** Calls `fn({ address, reason })` whenever a key this page holds is locked: 'manual', 'idle' or 'gone'. @returns unsubscribe */
    onLock(fn) {
      lockListeners.add(fn);
      return () => lockListeners.delete(fn);
    },
    /** Calls `fn(signer)` whenever a key is unlocked in the Worker, by this page or another one. @returns unsubscribe */
    onUnlock(fn) {
      unlockListeners.add(fn);
      return () => unlockListeners.delete(fn);
    },
    /** As core.wallet.changePassphrase, in the Worker. */
    changePassphrase: (keystore, oldPassphrase, newPassphrase, opts) => call('changePassphrase', keystore, oldPassphrase, newPassphrase, opts),
    /** As core.wallet.exportKey, in the Worker: the one call whose result carries the key to the page. */
    exportKey: (keystore, passphrase) => call('exportKey', keystore, passphrase),
    /** Tests only (`{ test: true }`): how many times `bytes` occur in the Worker's WASM memory. */
    scanMemory: (bytes) => call('scan', bytes),
    /**
     * Tests only (`{ test: true }`): the Worker spins for ever, answering nothing — what a crashed or frozen Worker
     * looks like from a page. The returned call rejects with WALLET_WORKER_GONE after `goneAfterMs`.
     */
    freezeForTests: () => call('freeze'),
    /**
     * Stops the Worker: every signer this page holds is locked here, later calls reject with WALLET_WORKER_GONE.
     * A shared Worker only loses this page: its keys stay unlocked for the other pages (it ends with the last one).
     */
    async terminate() {
      goneWith('terminated');
      await host.terminate();
    },
  });
}
