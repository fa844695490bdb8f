// The wallet Worker (docs/wallet.md#the-wallet-worker): a Worker — a module Worker or a module SharedWorker in
// browsers, `worker_threads` in Node — that owns its own WASM instance built from the wallet's parts only
// (npm/dist/wallet.wasm) and does everything that touches a key: create, import, unlock, sign, lock, change
// the passphrase, export. Pages talk to it through npm/src/wallet/remote.js; unlocked keys live here, in
// the instance's table of unlocked keys, and never in a page's memory. As a SharedWorker it serves every page of
// the origin that connects (docs/wallet.md#sharing-one-unlocked-wallet-between-tabs): one table, one idle timer
// per key, and every page told when a key is unlocked or locked.
//
// Messages in: `{ id, op, args }`; out: `{ id, ok: true, value }` or `{ id, ok: false, error: { code, message,
// field } }` (a ConveneError, rebuilt on the page); to every page: `{ ready, shared }` once, then
// `{ event: 'unlocked', handle, address, publicKey, idleMs }` and `{ event: 'locked', handle, address, reason }`.
// Ops are those of core.wallet plus, by handle, `sign`, `touch`, `setIdle`, `lock`, and `unlocked` (the keys
// unlocked now). `{ ping: n }` is answered `{ pong: n }` (the pages' heartbeat). With the `test` flag (Node
// workerData `{ test: true }`, or `?test` on the Worker URL) two more ops: `scan` counts the occurrences of given
// bytes in this instance's linear memory, for the key-hygiene tests; `freeze` spins for ever, for the failure tests.
import createWalletModule from '../../dist/wallet.mjs';
import { ConveneError } from '../errors.js';
import { createModule, moduleArgs } from '../module-args.js';
import { makeWallet } from '../wallet.js';

const isNode = typeof process !== 'undefined' && process.versions != null && process.versions.node != null;
const isShared = !isNode && typeof SharedWorkerGlobalScope === 'function' && self instanceof SharedWorkerGlobalScope;

/**
 * The pages this Worker serves, as ports `{ post(msg), listen(fn) }`: one for a dedicated Worker (Node's
 * parentPort, or the Worker's own global), one per connecting page for a SharedWorker. `connect(fn)` calls `fn`
 * for each port, those that connected before the WASM instance was ready included (a SharedWorker's `connect`
 * listener is registered before anything is awaited, so no page is missed).
 */
function hostPorts() {
  if (isShared) {
    const early = [];
    let serve = null;
    self.addEventListener('connect', (e) => {
      const p = e.ports[0];
      const port = { post: (msg) => p.postMessage(msg), listen: (fn) => p.addEventListener('message', (ev) => fn(ev.data)), start: () => p.start() };
      if (serve) serve(port);
      else early.push(port);
    });
    return {
      test: new URL(self.location.href).searchParams.has('test'),
      connect(fn) {
        serve = fn;
        early.splice(0).forEach(fn);
      },
    };
  }
  if (isNode) {
    return {
      async resolve() {
        const name = 'node:worker_threads';
        const { parentPort, workerData } = await import(/* @vite-ignore */ name);
        this.test = Boolean(workerData && workerData.test);
        this.port = { post: (msg) => parentPort.postMessage(msg), listen: (fn) => parentPort.on('message', fn) };
      },
      connect(fn) {
        fn(this.port);
      },
    };
  }
  const port = { post: (msg) => self.postMessage(msg), listen: (fn) => self.addEventListener('message', (e) => fn(e.data)) };
  return { test: new URL(self.location.href).searchParams.has('test'), connect: (fn) => fn(port) };
}

/** Offsets of `needle` in `haystack` (Uint8Arrays). */
function count(haystack, needle) {
  let n = 0;
  for (let i = haystack.indexOf(needle[0]); i !== -1 && i <= haystack.length - needle.length; i = haystack.indexOf(needle[0], i + 1)) {
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) n++;
  }
  return n;
}

const host = hostPorts();
await host.resolve?.();
// A failure here is told to every page as `{ ready: false, error }`: a SharedWorker's own errors never reach the
// pages' SharedWorker objects, so without this message they would wait for `ready` for ever.
let M = null;
let wallet = null;
let startError = null;
try {
  M = await createModule(createWalletModule, await moduleArgs(new URL('../../dist/wallet.wasm', import.meta.url)));
  wallet = makeWallet(M);
} catch (err) {
  startError = { code: err?.code || 'WORKER_ERROR', message: `the wallet Worker could not start: ${err?.message || String(err)}`, field: '' };
}
/** Every page served (a SharedWorker's connect as they come; a dedicated Worker's one). */
const ports = new Set();
const broadcast = (msg) => ports.forEach((p) => p.post(msg));

/**
 * handle -> an unlocked key: `{ signer, address, publicKey, idleMs, last, timer }` (its key is in this instance's
 * memory until it is locked). `idleMs` > 0: the Worker locks it after that long without a `touch` from any page
 * (the auto-lock every page of a SharedWorker shares); 0: only an explicit lock.
 */
const unlocked = new Map();
let nextHandle = 1;

const describe = (handle, u) => ({ handle, address: u.address, publicKey: u.publicKey, idleMs: u.idleMs });

/** Locks `handle` (idempotent) and tells every page: `{ event: 'locked', handle, address, reason }`. */
function lockHandle(handle, reason) {
  const u = unlocked.get(handle);
  if (!u) return;
  unlocked.delete(handle);
  clearTimeout(u.timer);
  u.signer.lock();
  broadcast({ event: 'locked', handle, address: u.address, reason });
}

/** Arms the idle timer of `handle` for what is left of its delay; it re-arms itself while pages touch it. */
function arm(handle, u) {
  clearTimeout(u.timer);
  if (!(u.idleMs > 0)) return;
  const check = () => {
    const left = u.last + u.idleMs - Date.now();
    if (left <= 0) lockHandle(handle, 'idle');
    else u.timer = setTimeout(check, left);
  };
  u.timer = setTimeout(check, u.last + u.idleMs - Date.now());
  u.timer?.unref?.(); // Node: an idle timer never keeps the process alive
}

/** The longest idle delay: setTimeout's limit (2^31 - 1 ms, about 24.8 days); a longer one would fire at once. */
const MAX_IDLE_MS = 2 ** 31 - 1;

/** The idle delay an `unlock` / `setIdle` call asked for: a whole number of milliseconds from 0 (none) to MAX_IDLE_MS. */
function idleOf(value, field) {
  if (value === undefined || value === null) return 0;
  if (!Number.isInteger(value) || value < 0 || value > MAX_IDLE_MS) {
    throw new ConveneError('INVALID_INPUT', `${field} must be a whole number of milliseconds from 0 to ${MAX_IDLE_MS}, got ${String(value)}`, field);
  }
  return value;
}

const ops = {
  defaultKdf: () => wallet.defaultKdf,
  create: (passphrase, opts) => wallet.create(passphrase, opts),
  importKey: (privateKey, passphrase, opts) => wallet.importKey(privateKey, passphrase, opts),
  inspect: (keystore) => wallet.inspect(keystore),
  changePassphrase: (keystore, oldPassphrase, newPassphrase, opts) => wallet.changePassphrase(keystore, oldPassphrase, newPassphrase, opts),
  exportKey: (keystore, passphrase) => wallet.exportKey(keystore, passphrase),
  async unlock(keystore, passphrase, opts) {
    const idleMs = idleOf(opts?.idleMs, 'idleMs');
    const signer = await wallet.unlock(keystore, passphrase);
    const handle = nextHandle++;
    const u = { signer, address: signer.address, publicKey: signer.publicKey, idleMs, last: Date.now(), timer: undefined };
    unlocked.set(handle, u);
    arm(handle, u);
    broadcast({ event: 'unlocked', ...describe(handle, u) });
    return describe(handle, u);
  },
  /** The keys unlocked now, by any page: `[{ handle, address, publicKey, idleMs }]`. */
  unlocked: () => [...unlocked].map(([handle, u]) => describe(handle, u)),
  sign(handle, digest) {
    const u = unlocked.get(handle);
    if (!u) throw new ConveneError('LOCKED', 'this signer is locked: unlock the wallet again', '');
    return u.signer.signDigest(digest);
  },
  /** Activity on a page: the idle delay of `handle` starts again. */
  touch(handle) {
    const u = unlocked.get(handle);
    if (u) u.last = Date.now();
    return null;
  },
  /** A new idle delay for `handle` (0: none), counted from now. */
  setIdle(handle, idleMs) {
    const u = unlocked.get(handle);
    if (!u) throw new ConveneError('LOCKED', 'this signer is locked: unlock the wallet again', '');
    u.idleMs = idleOf(idleMs, 'idleMs');
    u.last = Date.now();
    arm(handle, u);
    broadcast({ event: 'idle', handle, idleMs: u.idleMs });
    return null;
  },
  lock(handle) {
    lockHandle(handle, 'manual');
    return null;
  },
  scan(bytes) {
    if (!host.test) throw new ConveneError('UNKNOWN_OP', 'scan is only available to tests', 'op');
    return count(M.HEAPU8, bytes);
  },
  /** Tests only: spins for ever (a Worker that crashed or froze, as its pages see it: no message, no error). */
  freeze() {
    if (!host.test) throw new ConveneError('UNKNOWN_OP', 'freeze is only available to tests', 'op');
    for (;;) {
      // never returns
    }
  },
};

host.connect((port) => {
  if (startError) {
    port.start?.();
    port.post({ ready: false, error: startError });
    return;
  }
  ports.add(port);
  port.listen(async ({ id, op, args, ping }) => {
    // The page's heartbeat (npm/src/wallet/remote.js): answered at once, between operations.
    if (ping !== undefined) {
      port.post({ pong: ping });
      return;
    }
    try {
      const fn = Object.prototype.hasOwnProperty.call(ops, op) ? ops[op] : null;
      if (!fn) throw new ConveneError('UNKNOWN_OP', `the wallet Worker has no operation ${String(op)}`, 'op');
      port.post({ id, ok: true, value: await fn(...(Array.isArray(args) ? args : [])) });
    } catch (err) {
      port.post({ id, ok: false, error: { code: err?.code || 'WORKER_ERROR', message: err?.message || String(err), field: err?.field || '', name: err?.name } });
    }
  });
  port.start?.();
  port.post({ ready: true, shared: isShared });
});
