// A function-level size profile of a WASM module for bench/size-and-start.bench.js: the size of every
// function body (from the code section) with its name (from the `--emit-symbol-map` file the build keeps in
// build/wasm/<part>.symbols; a name still mangled is demangled with c++filt when present), the data section's size, and the bytes
// per origin (libsecp256k1, libsodium, nlohmann/json, cctz, date, the core by folder, the bindings, the C/C++
// runtime with the standard library instantiations no core name claims).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  let b;
  do {
    b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return [value, at];
}

/** Sections of a WASM binary: { id, start, size } each, and the count of imported functions. */
function sections(bytes) {
  const out = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, body] = leb(bytes, at + 1);
    out.push({ id, start: body, size });
    at = body + size;
  }
  return out;
}

function importedFunctions(bytes, sec) {
  let [n, at] = leb(bytes, sec.start);
  let funcs = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 2; k++) {
      const [len, p] = leb(bytes, at);
      at = p + len;
    }
    const kind = bytes[at++];
    if (kind === 0) {
      funcs++;
      at = leb(bytes, at)[1];
    } else if (kind === 1) {
      at += 1;
      const flags = bytes[at++];
      at = leb(bytes, at)[1];
      if (flags & 1) at = leb(bytes, at)[1];
    } else if (kind === 2) {
      const flags = bytes[at++];
      at = leb(bytes, at)[1];
      if (flags & 1) at = leb(bytes, at)[1];
    } else if (kind === 3) {
      at += 2;
    } else {
      at = leb(bytes, at + 1)[1]; // tag
    }
  }
  return funcs;
}

function demangle(names) {
  try {
    return execFileSync('c++filt', { input: names.join('\n'), encoding: 'utf8', maxBuffer: 64 << 20 }).split('\n');
  } catch {
    return names;
  }
}

/** Where a function comes from, by its (demangled) name. */
export function origin(name) {
  if (/secp256k1/.test(name)) return 'libsecp256k1';
  if (/\bcctz(_extension)?::/.test(name)) return 'cctz';
  if (/crypto_|sodium|argon2|blake2|chacha|poly1305|randombytes|^fill_(segment|block)|^SHA(256|512)_|^_?sodium/.test(name)) return 'libsodium';
  // bindings/*.cpp keep their functions in anonymous namespaces; the core's live in convene::<folder>.
  if (/^\(anonymous namespace\)::/.test(name)) return 'bindings';
  const m = /^(?:[^(]*\s)?convene::(?:\(anonymous namespace\)::)?([a-z_]+)::/.exec(name);
  if (m) return m[1] === 'bindings' ? 'bindings' : `core/${m[1]}`;
  if (/nlohmann/.test(name)) return 'nlohmann/json';
  if (/\bdate::|arg_ns::/.test(name)) return 'date';
  if (/convene::/.test(name)) return 'core (other)';
  if (/emscripten|embind|emval/.test(name)) return 'embind';
  return 'C++/C runtime';
}

/**
 * @param {string} wasmPath the module
 * @param {string} symbolsPath its `--emit-symbol-map` file (may be absent: names are then indices)
 * @returns {{ code: number, data: number, functions: { name: string, size: number }[], byOrigin: Map<string, number> }}
 */
export function profile(wasmPath, symbolsPath) {
  const bytes = readFileSync(wasmPath);
  const secs = sections(bytes);
  const imp = secs.find((s) => s.id === 2);
  const code = secs.find((s) => s.id === 10);
  const data = secs.find((s) => s.id === 11);
  const base = imp ? importedFunctions(bytes, imp) : 0;
  const names = new Map();
  if (symbolsPath && existsSync(symbolsPath)) {
    for (const line of readFileSync(symbolsPath, 'utf8').split('\n')) {
      const i = line.indexOf(':');
      // Emscripten writes names already demangled, with characters outside [A-Za-z0-9_.$] as \XX (hex).
      if (i > 0) names.set(Number(line.slice(0, i)), line.slice(i + 1).replace(/\\([0-9a-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))));
    }
  }
  const raw = [];
  let [n, at] = leb(bytes, code.start);
  for (let i = 0; i < n; i++) {
    const [size, body] = leb(bytes, at);
    raw.push({ index: base + i, size: size + (body - at) });
    at = body + size;
  }
  const demangled = demangle(raw.map((f) => names.get(f.index) ?? `function ${f.index}`).map((n) => n.replace(/\n/g, ' ')));
  const functions = raw.map((f, i) => ({ name: demangled[i] || `function ${f.index}`, size: f.size })).sort((a, b) => b.size - a.size);
  const byOrigin = new Map();
  for (const f of functions) byOrigin.set(origin(f.name), (byOrigin.get(origin(f.name)) ?? 0) + f.size);
  return { code: code.size, data: data ? data.size : 0, functions, byOrigin };
}
