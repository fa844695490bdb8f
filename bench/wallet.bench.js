// Wallet benchmark (issue #5): signatures per second through core.wallet's
// signDigest (libsecp256k1 in WASM, one JS -> WASM call per signature, hex in,
// JSON out) against @noble/secp256k1 in the same Node process, and
// @noble/curves (what viem's privateKeyToAccount uses) for reference; then the
// time of one unlock with the default Argon2id parameters, and with libsodium's
// interactive preset for scale.
//
//   node bench/wallet.bench.js [--seconds=2]
//
// Prints ratios measured in this run; no assertions (a benchmark, not a test).
import * as nobleSecp from '@noble/secp256k1';
import { secp256k1 as nobleCurves } from '@noble/curves/secp256k1.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from 'node:crypto';
import { loadCore } from '../npm/index.js';

const seconds = Number((process.argv.find((a) => a.startsWith('--seconds=')) ?? '--seconds=2').split('=')[1]);
// @noble/secp256k1 3.x needs its sync hashes wired to sign synchronously (its README).
nobleSecp.hashes.hmacSha256 = (k, m) => hmac(sha256, k, m);
nobleSecp.hashes.sha256 = sha256;

function rate(name, fn) {
  for (let i = 0; i < 200; i++) fn(i);  // warm up (JIT, noble's precomputed tables)
  let n = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 50; i++) fn(n++);
  }
  const perSec = n / ((performance.now() - t0) / 1000);
  console.log(`${name.padEnd(44)} ${perSec.toFixed(0).padStart(8)} signatures/s`);
  return perSec;
}

const core = await loadCore();
const keyHex = `0x${randomBytes(32).toString('hex')}`;
const keyBytes = Buffer.from(keyHex.slice(2), 'hex');
const digestsHex = Array.from({ length: 1024 }, () => `0x${randomBytes(32).toString('hex')}`);
const digestsBytes = digestsHex.map((h) => Buffer.from(h.slice(2), 'hex'));

const { keystore } = await core.wallet.importKey(keyHex, 'bench', { kdf: { opslimit: 1, memlimitKiB: 64 } });
const signer = await core.wallet.unlock(keystore, 'bench');
// Same digest, same key: all three must agree (RFC 6979), or the comparison is meaningless.
const ours = signer.signDigest(digestsHex[0]);
const theirs = nobleSecp.sign(digestsBytes[0], keyBytes, { prehash: false, format: 'compact' });
if (Buffer.from(theirs).toString('hex') !== ours.r.slice(2) + ours.s.slice(2)) throw new Error('signatures differ');

console.log(`node ${process.version}, ${seconds} s per measurement`);
const wasm = rate('core.wallet signDigest (libsecp256k1, WASM)', (i) => signer.signDigest(digestsHex[i & 1023]));
const noble = rate('@noble/secp256k1 sign (prehash: false)', (i) => nobleSecp.sign(digestsBytes[i & 1023], keyBytes, { prehash: false }));
const curves = rate('@noble/curves secp256k1.sign (viem)', (i) => nobleCurves.sign(digestsBytes[i & 1023], keyBytes, { prehash: false }));
signer.lock();
console.log(`ratio signDigest / @noble/secp256k1: ${(wasm / noble).toFixed(2)}x (target >= 3x)`);
console.log(`ratio signDigest / @noble/curves:    ${(wasm / curves).toFixed(2)}x`);

async function unlockMs(kdf, runs) {
  const { keystore: ks } = await core.wallet.importKey(keyHex, 'bench', { kdf });
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const s = await core.wallet.unlock(ks, 'bench');
    times.push(performance.now() - t0);
    s.lock();
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(runs / 2)], min: times[0], max: times[runs - 1] };
}
const d = core.wallet.defaultKdf;
const def = await unlockMs(d, 5);
console.log(`unlock, default Argon2id (opslimit ${d.opslimit}, ${d.memlimitKiB / 1024} MiB): median ${def.median.toFixed(0)} ms (min ${def.min.toFixed(0)}, max ${def.max.toFixed(0)}, 5 runs)`);
const inter = await unlockMs({ opslimit: 2, memlimitKiB: 65536 }, 5);
console.log(`unlock, libsodium interactive (opslimit 2, 64 MiB):  median ${inter.median.toFixed(0)} ms`);
