// The wallet Worker (docs/wallet.md#the-wallet-worker): a dedicated Worker — a module Worker in browsers,
// `worker_threads` in Node — that owns its own WASM instance built from the wallet's parts only
// (npm/dist/wallet.wasm) and does everything that touches a key: create, import, unlock, sign, lock, change
// the passphrase, export. The page talks to it through npm/src/wallet/remote.js; unlocked keys live here, in
// the instance's signer table, and never in the page's memory.
//
// Messages in: `{ id, op, args }`; out: `{ id, ok: true, value }` or `{ id, ok: false, error: { code, message,
// field } }` (a ConveneError, rebuilt on the page). Ops are those of core.wallet plus `sign` / `lock` by signer
// handle. With the `test` flag (Node workerData `{ test: true }`, or `?test` on the Worker URL) one more op,
// `scan`, counts the occurrences of given bytes in this instance's linear memory, for the key-hygiene tests.
import createWalletModule from '../../dist/wallet.mjs';
import { ConveneError } from '../errors.js';
import { moduleArgs } from '../module-args.js';
import { makeWallet } from '../wallet.js';

const isNode = typeof process !== 'undefined' && process.versions != null && process.versions.node != null;

async function hostPort() {
  if (isNode) {
    const name = 'node:worker_threads';
    const { parentPort, workerData } = await import(/* @vite-ignore */ name);
    return {
      test: Boolean(workerData && workerData.test),
      post: (msg) => parentPort.postMessage(msg),
      listen: (fn) => parentPort.on('message', fn),
    };
  }
  return {
    test: new URL(self.location.href).searchParams.has('test'),
    post: (msg) => self.postMessage(msg),
    listen: (fn) => self.addEventListener('message', (e) => fn(e.data)),
  };
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

const port = await hostPort();
const M = await createWalletModule(await moduleArgs(new URL('../../dist/wallet.wasm', import.meta.url)));
const wallet = makeWallet(M);
/** handle -> the signer of an unlocked key (its key is in this instance's memory until lock). */
const signers = new Map();
let nextHandle = 1;

const ops = {
  defaultKdf: () => wallet.defaultKdf,
  create: (passphrase, opts) => wallet.create(passphrase, opts),
  importKey: (privateKey, passphrase, opts) => wallet.importKey(privateKey, passphrase, opts),
  inspect: (keystore) => wallet.inspect(keystore),
  changePassphrase: (keystore, oldPassphrase, newPassphrase, opts) => wallet.changePassphrase(keystore, oldPassphrase, newPassphrase, opts),
  exportKey: (keystore, passphrase) => wallet.exportKey(keystore, passphrase),
  async unlock(keystore, passphrase) {
    const signer = await wallet.unlock(keystore, passphrase);
    const handle = nextHandle++;
    signers.set(handle, signer);
    return { handle, address: signer.address, publicKey: signer.publicKey };
  },
  sign(handle, digest) {
    const signer = signers.get(handle);
    if (!signer) throw new ConveneError('LOCKED', 'this signer is locked: unlock the wallet again', '');
    return signer.signDigest(digest);
  },
  lock(handle) {
    const signer = signers.get(handle);
    signers.delete(handle);
    signer?.lock();
    return null;
  },
  scan(bytes) {
    if (!port.test) throw new ConveneError('UNKNOWN_OP', 'scan is only available to tests', 'op');
    return count(M.HEAPU8, bytes);
  },
};

port.listen(async ({ id, op, args }) => {
  try {
    const fn = Object.prototype.hasOwnProperty.call(ops, op) ? ops[op] : null;
    if (!fn) throw new ConveneError('UNKNOWN_OP', `the wallet Worker has no operation ${String(op)}`, 'op');
    port.post({ id, ok: true, value: await fn(...(Array.isArray(args) ? args : [])) });
  } catch (err) {
    port.post({ id, ok: false, error: { code: err?.code || 'WORKER_ERROR', message: err?.message || String(err), field: err?.field || '', name: err?.name } });
  }
});
port.post({ ready: true });
