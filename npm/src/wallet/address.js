// Ethereum addresses from secp256k1 public keys (keccak-256 from @noble/hashes).
import { keccak_256 } from '@noble/hashes/sha3.js';

const encoder = new TextEncoder();

function hex(bytes) {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

function fromHex(h) {
  const s = h.startsWith('0x') ? h.slice(2) : h;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * The EIP-55 checksummed address of an uncompressed public key: the last 20 bytes of
 * keccak-256 over the 64 coordinate bytes (the `0x04` prefix dropped), then each hex
 * letter upper-cased where the matching nibble of keccak-256(lowercase hex) is >= 8.
 * @param {string} publicKey `0x04` + 128 hex digits
 * @returns {string} `0x` + 40 hex digits, checksummed
 */
export function publicKeyToAddress(publicKey) {
  const key = fromHex(publicKey);
  const lower = hex(keccak_256(key.subarray(1))).slice(-40);
  const check = hex(keccak_256(encoder.encode(lower)));
  let out = '0x';
  for (let i = 0; i < 40; i++) out += parseInt(check[i], 16) >= 8 ? lower[i].toUpperCase() : lower[i];
  return out;
}
