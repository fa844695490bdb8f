// A separate instance of the WASM module for tests that need to look at its
// linear memory (M.HEAPU8) or its output lines. loadCore() keeps its Module
// private on purpose: no public API exposes the heap.
import { readFile } from 'node:fs/promises';
import { webcrypto } from 'node:crypto';
import createConveneModule from '../../../npm/dist/convene.mjs';
import { makeWallet } from '../../../npm/src/wallet.js';

export async function freshWalletModule() {
  const lines = [];
  const word = new Uint32Array(1);
  const M = await createConveneModule({
    wasmBinary: await readFile(new URL('../../../npm/dist/convene.wasm', import.meta.url)),
    getRandomValue() {
      webcrypto.getRandomValues(word);
      return word[0];
    },
    print: (s) => lines.push(s),
    printErr: (s) => lines.push(s),
  });
  return { M, wallet: makeWallet(M), lines, heap: () => M.HEAPU8 };
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
