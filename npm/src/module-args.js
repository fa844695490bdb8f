// The arguments every Emscripten module of the package is created with (the core's, npm/src/loader.js, and the
// wallet Worker's, npm/src/wallet/worker.js): where randomness comes from and how the .wasm bytes are found.
const isNode = typeof process !== 'undefined' && process.versions != null && process.versions.node != null;

async function webCrypto() {
  if (globalThis.crypto && typeof globalThis.crypto.getRandomValues === 'function') return globalThis.crypto;
  // Node 18 without the global: node:crypto's webcrypto. The specifier is hidden from bundlers.
  const name = 'node:crypto';
  return (await import(/* @vite-ignore */ name)).webcrypto;
}

/**
 * @param {URL} wasmUrl the module's .wasm, as `new URL('…/x.wasm', import.meta.url)` in the caller (so bundlers
 *   see the asset)
 * @param {{ wasmBinary?: Uint8Array|ArrayBuffer, wasmUrl?: string, onLog?: (line: string) => void }} [options]
 *   `wasmBinary`: the bytes (skips fetching); `wasmUrl`: where a browser fetches them from instead.
 * @returns {Promise<object>} the Emscripten module arguments
 */
export async function moduleArgs(wasmUrl, options = {}) {
  const cryptoImpl = await webCrypto();
  const word = new Uint32Array(1);
  const args = {
    // libsodium's randombytes asks the host for 32-bit words (docs/toolchain.md#libsodium).
    getRandomValue() {
      cryptoImpl.getRandomValues(word);
      return word[0];
    },
    print: () => {},
    printErr: (s) => options.onLog?.(s),
  };
  if (options.wasmBinary) {
    args.wasmBinary = options.wasmBinary;
  } else if (isNode) {
    // Emscripten 3.1.6's own Node loader breaks on Node 20's fetch: hand it the bytes.
    const fsName = 'node:fs/promises';
    const { readFile } = await import(/* @vite-ignore */ fsName);
    args.wasmBinary = await readFile(wasmUrl);
  } else {
    args.locateFile = (path) => (path.endsWith('.wasm') ? (options.wasmUrl ?? wasmUrl.href) : path);
  }
  return args;
}
