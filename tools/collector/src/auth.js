// Who may write: every batch is signed by a wallet (docs/events.md#signed-batches, docs/collector.md#who-may-write).
import { createHash } from 'node:crypto';
import { batchMessage, SIGNATURE_HEADER, SIGNED_AT_HEADER, SIGNER_HEADER } from '@convene/core';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { getAddress } from 'viem';

const utf8 = new TextEncoder();

/** EIP-191 version 0x45 (personal_sign) digest of `message`: keccak-256 of "\x19Ethereum Signed Message:\n" + length + message. */
function personalDigest(message) {
  const bytes = utf8.encode(message);
  const h = keccak_256.create();
  h.update(utf8.encode(`\x19Ethereum Signed Message:\n${bytes.length}`));
  h.update(bytes);
  return `0x${Buffer.from(h.digest()).toString('hex')}`;
}

/**
 * The signature of a request: headers `convene-signer` / `convene-signature` / `convene-signed-at`, or (the
 * unload path: `sendBeacon` sets no headers) the same names as query parameters.
 * @returns {{ claimed: string, signature: string, signedAt: string } | null}
 */
export function signatureOf(req, url) {
  const pick = (name) => req.headers[name] ?? url.searchParams.get(name);
  const claimed = pick(SIGNER_HEADER);
  const signature = pick(SIGNATURE_HEADER);
  const signedAt = pick(SIGNED_AT_HEADER);
  if (!claimed && !signature && !signedAt) return null;
  return { claimed: String(claimed ?? ''), signature: String(signature ?? ''), signedAt: String(signedAt ?? '') };
}

/**
 * Recovers the signer of `body` (the exact bytes received; the signed text is @convene/core's batchMessage) and checks it is the address the request claims
 * (ECDSA recovery of an altered body still yields some address: only the comparison makes a forgery fail).
 * The digest is EIP-191 (personal_sign) of that text, keccak-256 in JS over a short text; the recovery itself is
 * libsecp256k1 in the WASM core (`core.wallet.recoverSigner`).
 * @param {Buffer} body
 * @param {{ claimed: string, signature: string, signedAt: string } | null} sig
 * @param {{ now: number, maxAgeMs: number, allow: Set<string>|null, core: object }} policy allow: checksummed addresses, or null for anyone
 * @returns {Promise<{ ok: true, signer: string } | { ok: false, status: 401|403, error: string }>}
 */
export async function verifyBatch(body, sig, { now, maxAgeMs, allow, core }) {
  if (!sig) return { ok: false, status: 401, error: 'unsigned batch: convene-signer, convene-signature and convene-signed-at are required' };
  if (!/^0x[0-9a-fA-F]{40}$/.test(sig.claimed)) return { ok: false, status: 401, error: 'convene-signer must be an address (0x + 40 hex digits)' };
  if (!/^0x[0-9a-fA-F]{130}$/.test(sig.signature)) return { ok: false, status: 401, error: 'convene-signature must be 65 bytes as 0x + 130 hex digits' };
  if (!/^\d{1,16}$/.test(sig.signedAt)) return { ok: false, status: 401, error: 'convene-signed-at must be epoch milliseconds' };
  const signedAt = Number(sig.signedAt);
  if (Math.abs(now - signedAt) > maxAgeMs) {
    return { ok: false, status: 401, error: `signature made ${Math.round((now - signedAt) / 1000)} s from the collector's clock; at most ${maxAgeMs / 1000} s allowed` };
  }
  let signer;
  try {
    // The package's batchMessage, with the body's SHA-256 computed natively here.
    const message = batchMessage(null, signedAt, createHash('sha256').update(body).digest('hex'));
    signer = core.wallet.recoverSigner(personalDigest(message), sig.signature).address;
  } catch {
    return { ok: false, status: 401, error: 'convene-signature does not verify' };
  }
  if (signer.toLowerCase() !== sig.claimed.toLowerCase()) return { ok: false, status: 401, error: `convene-signature was not made by ${sig.claimed} over this body` };
  if (allow && !allow.has(signer)) return { ok: false, status: 403, error: `${signer} is not allowed to write to this collector` };
  return { ok: true, signer };
}

/** `0xabc..,0xdef..` (CLI / env) -> a Set of checksummed addresses; throws on a malformed one. */
export function parseAllowList(text) {
  if (text == null || String(text).trim() === '') return null;
  return new Set(String(text).split(',').map((a) => a.trim()).filter(Boolean).map((a) => getAddress(a)));
}
