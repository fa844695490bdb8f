// Separate instances of the package's WASM modules for tests that need to look at their linear memory
// (M.HEAPU8) or their output lines. loadCore() keeps its modules private on purpose: no public API exposes a heap.
// The wallet part (npm/dist/wallet.wasm) is what core.wallet runs on the main thread (docs/architecture.md#parts);
// the main part (npm/dist/convene.wasm) holds no wallet code; the events part (npm/dist/events.wasm) is core.events
// and core.meetings; the recurrence part (npm/dist/recurrence.wasm) is core.recurrence, core.series, core.notices and
// core.bluesky.
import { readFile } from 'node:fs/promises';
import { webcrypto } from 'node:crypto';
import createConveneModule from '../../../npm/dist/convene.mjs';
import createWalletModule from '../../../npm/dist/wallet.mjs';
import createEventsModule from '../../../npm/dist/events.mjs';
import createRecurrenceModule from '../../../npm/dist/recurrence.mjs';
import { makeWallet } from '../../../npm/src/wallet.js';

function moduleArgs(file, lines) {
  const word = new Uint32Array(1);
  return readFile(new URL(`../../../npm/dist/${file}`, import.meta.url)).then((wasmBinary) => ({
    wasmBinary,
    getRandomValue() {
      webcrypto.getRandomValues(word);
      return word[0];
    },
    print: (s) => lines.push(s),
    printErr: (s) => lines.push(s),
  }));
}

/** A fresh instance of the wallet part, with core.wallet's surface over it. */
export async function freshWalletModule() {
  const lines = [];
  const M = await createWalletModule(await moduleArgs('wallet.wasm', lines));
  return { M, wallet: makeWallet(M), lines, heap: () => M.HEAPU8 };
}

/** A fresh instance of the main part (what loadCore() always loads). */
export async function freshMainModule() {
  const lines = [];
  const M = await createConveneModule(await moduleArgs('convene.wasm', lines));
  return { M, lines, heap: () => M.HEAPU8 };
}

/** A fresh instance of the recurrence part (core.recurrence, core.series, core.notices, core.bluesky). */
export async function freshRecurrenceModule() {
  const lines = [];
  const M = await createRecurrenceModule(await moduleArgs('recurrence.wasm', lines));
  return { M, lines, heap: () => M.HEAPU8 };
}

/** A fresh instance of the events part (core.events, core.meetings). */
export async function freshEventsModule() {
  const lines = [];
  const M = await createEventsModule(await moduleArgs('events.wasm', lines));
  return { M, lines, heap: () => M.HEAPU8 };
}

/** Offsets at which `needle` occurs in `haystack` (both Uint8Array). */
export function findAll(haystack, needle) {
  const found = [];
  const first = needle[0];
  for (let i = haystack.indexOf(first); i !== -1 && i <= haystack.length - needle.length; i = haystack.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) found.push(i);
  }
  return found;
}

export const hexToBytes = (hex) => Uint8Array.from(Buffer.from(hex.replace(/^0x/, ''), 'hex'));
export const bytesToHex = (b) => `0x${Buffer.from(b).toString('hex')}`;
