// The arguments every Emscripten module of the package is created with (the core's, npm/src/loader.js, and the
// wallet Worker's, npm/src/wallet/worker.js): where randomness comes from and how the .wasm bytes are found.
const isNode = typeof process !== 'undefined' && process.versions != null && process.versions.node != null;

/** Web Crypto: the global, read on first use (in Node, reading `globalThis.crypto` loads its implementation: a few
 *  milliseconds a module that never asks for randomness need not pay), or, in Node 18 without the global,
 *  node:crypto's. */
async function webCrypto() {
  if ('crypto' in globalThis) return () => globalThis.crypto;
  // The specifier is hidden from bundlers: built at run time, so neither a page's bundler nor the constant inlining of
  // scripts/bundle-loader.mjs turns it into a literal import("node:crypto"), which webpack refuses.
  const name = ['node', 'crypto'].join(':');
  const { webcrypto } = await import(/* @vite-ignore */ name);
  return () => webcrypto;
}

/** The .wasm's bytes in Node: node:fs's readFileSync where process.getBuiltinModule gives it synchronously (Node
 *  >= 20.16; the ESM loader has node:fs loaded already), else node:fs/promises. */
async function readNodeFile(url) {
  const fs = process.getBuiltinModule?.('node:fs');
  if (fs) return fs.readFileSync(url);
  const fsName = ['node', 'fs/promises'].join(':'); // hidden as above
  const { readFile } = await import(/* @vite-ignore */ fsName);
  return readFile(url);
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
      cryptoImpl().getRandomValues(word);
      return word[0];
    },
    print: () => {},
    printErr: (s) => options.onLog?.(s),
  };
  if (options.wasmBinary) {
    args.wasmBinary = options.wasmBinary;
  } else if (isNode) {
    // Emscripten 3.1.6's own Node loader breaks on Node 20's fetch: hand it the bytes.
    args.wasmBinary = await readNodeFile(wasmUrl);
  } else {
    args.locateFile = (path) => (path.endsWith('.wasm') ? (options.wasmUrl ?? wasmUrl.href) : path);
  }
  if (isNode && args.wasmBinary) {
    // Compiled here, on V8's background threads, while the caller imports the module's JS glue (createModule
    // instantiates it): the two overlap instead of following each other (bench/size-and-start.bench.js, cold start).
    // Bytes that are not a module reject here.
    Object.defineProperty(args, COMPILED, { value: await WebAssembly.compile(args.wasmBinary) });
  }
  return args;
}

const COMPILED = Symbol('compiled');

/**
 * Creates the Emscripten module `factory` makes from `args` (moduleArgs()'s). Where moduleArgs compiled the bytes
 * (Node), the module is instantiated from that compilation; otherwise Emscripten fetches or compiles them itself.
 * @param {(args: object) => Promise<any>} factory the module's factory (dist/<part>.mjs's default export)
 * @param {object} args
 * @returns {Promise<any>} the module; rejects with the instantiation's error (never waits forever on one)
 */
export function createModule(factory, args) {
  const compiled = args[COMPILED];
  if (!compiled) return factory(args);
  let fail;
  const failed = new Promise((resolve, reject) => {
    fail = reject;
  });
  const created = factory({
    ...args,
    // Emscripten's hook: receive(instance, module) and the exports; a throw here would leave its promise pending,
    // so the error rejects `failed` instead.
    instantiateWasm(imports, receive) {
      try {
        const instance = new WebAssembly.Instance(compiled, imports);
        receive(instance, compiled);
        return instance.exports;
      } catch (err) {
        fail(err);
        return {};
      }
    },
  });
  return Promise.race([created, failed]);
}
