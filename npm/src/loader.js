// Loads the WASM module once, in Node (>= 18) or a browser, and builds the core facade.
import createConveneModule from '../dist/convene.mjs';
import { makeEntities } from './entities.js';
import { makeGatherings } from './gatherings.js';
import { makeJitsi } from './jitsi.js';
import { makeSessions } from './sessions.js';
import { makeRecurrence } from './recurrence.js';
import { makeSeries } from './series.js';
import { makeWallet } from './wallet.js';
import { makeEvents } from './events.js';
import { makeMeetings } from './meetings.js';
import { makeBluesky } from './bluesky.js';
import { makeNotices } from './notices.js';

const isNode = typeof process !== 'undefined' && process.versions != null && process.versions.node != null;

let pending = null;

async function webCrypto() {
  if (globalThis.crypto && typeof globalThis.crypto.getRandomValues === 'function') return globalThis.crypto;
  // Node 18 without the global: node:crypto's webcrypto. The specifier is hidden from bundlers.
  const name = 'node:crypto';
  return (await import(/* @vite-ignore */ name)).webcrypto;
}

async function instantiate(options) {
  const cryptoImpl = await webCrypto();
  const word = new Uint32Array(1);
  const moduleArgs = {
    // libsodium's randombytes asks the host for 32-bit words (docs/toolchain.md#libsodium).
    getRandomValue() {
      cryptoImpl.getRandomValues(word);
      return word[0];
    },
    print: () => {},
    printErr: (s) => options.onLog?.(s),
  };
  const wasmUrl = new URL('../dist/convene.wasm', import.meta.url);
  if (options.wasmBinary) {
    moduleArgs.wasmBinary = options.wasmBinary;
  } else if (isNode) {
    // Emscripten 3.1.6's own Node loader breaks on Node 20's fetch: hand it the bytes.
    const fsName = 'node:fs/promises';
    const { readFile } = await import(/* @vite-ignore */ fsName);
    moduleArgs.wasmBinary = await readFile(wasmUrl);
  } else {
    moduleArgs.locateFile = (path) => (path.endsWith('.wasm') ? (options.wasmUrl ?? wasmUrl.href) : path);
  }
  const M = await createConveneModule(moduleArgs);
  return Object.freeze({
    jitsi: makeJitsi(M),
    entities: makeEntities(M),
    sessions: makeSessions(M),
    gatherings: makeGatherings(M),
    recurrence: makeRecurrence(M),
    series: makeSeries(M),
    wallet: makeWallet(M),
    events: makeEvents(M),
    meetings: makeMeetings(M),
    bluesky: makeBluesky(M),
    notices: makeNotices(M),
  });
}

/**
 * Loads the core. Resolves to the same instance on every call (the module is
 * instantiated once per JS realm).
 * @param {{ wasmBinary?: Uint8Array|ArrayBuffer, wasmUrl?: string, onLog?: (line: string) => void }} [options]
 *   `wasmBinary`: the module's bytes (skips fetching); `wasmUrl`: where a browser fetches it from.
 */
export function loadCore(options = {}) {
  if (!pending) {
    pending = instantiate(options).catch((err) => {
      pending = null;
      throw err;
    });
  }
  return pending;
}
