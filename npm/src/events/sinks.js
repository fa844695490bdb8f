// Sinks for the events batcher: where batches go. A sink is a function
// `send(records) -> Promise<{ status, retryAfter? }>` (docs/domain.md#package-surface) and may
// carry `send.beacon(body) -> boolean` for the unload path.
import { sha256 } from '@noble/hashes/sha2.js';
import { keccak_256 } from '@noble/hashes/sha3.js';

const utf8 = new TextEncoder();

/** 90 days in seconds: how long a meeting_event entity lives on Arkiv (issue #4). */
export const MEETING_EVENT_EXPIRES_IN = 90 * 24 * 60 * 60;

/**
 * Parses a Retry-After header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
 * @returns {number|undefined} seconds from `nowMs`, never negative
 */
export function parseRetryAfter(value, nowMs = Date.now()) {
  if (value == null || value === '') return undefined;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - nowMs) / 1000);
}

/** Header names of a signed batch (docs/events.md#signed-batches); the same names are query parameters on the unload path. */
export const SIGNATURE_HEADER = 'convene-signature';
export const SIGNED_AT_HEADER = 'convene-signed-at';
export const SIGNER_HEADER = 'convene-signer';

function hex(bytes) {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/**
 * The text a batch signature covers: three lines naming the scheme, the signing instant (epoch ms: a collector
 * refuses old signatures) and the SHA-256 of the exact body bytes (UTF-8), lower-case hex:
 * `convene-events/1\nsigned-at: <signedAt>\nbody-sha256: <hex>`. A short text rather than the body itself:
 * hashing 60 KB with keccak in JavaScript costs milliseconds on both ends, SHA-256 is native on the collector,
 * and a wallet asked to `personal_sign` it shows something readable.
 * @param {string|Uint8Array|null} body
 * @param {number} signedAt
 * @param {string} [bodySha256] the body's SHA-256 as lower-case hex when the caller has it (a collector hashing natively); body is then unused
 * @returns {string}
 */
export function batchMessage(body, signedAt, bodySha256) {
  const digest = bodySha256 ?? hex(sha256(typeof body === 'string' ? utf8.encode(body) : body));
  return `convene-events/1\nsigned-at: ${signedAt}\nbody-sha256: ${digest}`;
}

/**
 * The digest a wallet signs for a batch: EIP-191 version 0x45 ("personal_sign") of batchMessage(body, signedAt),
 * i.e. keccak-256 of `"\x19Ethereum Signed Message:\n" + length + message`, so viem's
 * `recoverMessageAddress({ message, signature })` (or any wallet's personal_sign) agrees.
 * @returns {`0x${string}`} 0x + 64 hex digits
 */
export function batchDigest(body, signedAt) {
  const message = utf8.encode(batchMessage(body, signedAt));
  const prefix = utf8.encode(`\x19Ethereum Signed Message:\n${message.length}`);
  const h = keccak_256.create();
  h.update(prefix);
  h.update(message);
  return `0x${hex(h.digest())}`;
}

/** r ‖ s ‖ v (65 bytes hex) of a `{ r, s, yParity }`; TypeError for anything else. */
function rsv(sig, what) {
  if (!sig || typeof sig.r !== 'string' || typeof sig.s !== 'string' || (sig.yParity !== 0 && sig.yParity !== 1)) {
    throw new TypeError(`${what}: signer.signDigest must give { r, s, yParity }`);
  }
  const v = (27 + sig.yParity).toString(16);
  return `0x${sig.r.slice(2).padStart(64, '0')}${sig.s.slice(2).padStart(64, '0')}${v}`;
}

/**
 * Signs a batch body with an unlocked signer whose `signDigest` answers synchronously (`core.wallet.unlock`'s).
 * A signer whose signDigest returns a Promise (the wallet Worker's, `createWalletWorker`) throws TypeError: the
 * unload path, which uses this, cannot wait for it; sends use signBatchAsync, which takes either.
 * @returns {{ signature: `0x${string}`, signedAt: number }} signature = r ‖ s ‖ v (65 bytes, v = 27 + yParity)
 */
export function signBatch(signer, body, signedAt = Date.now()) {
  const sig = signer.signDigest(batchDigest(body, signedAt));
  if (sig && typeof sig.then === 'function') {
    sig.catch?.(() => {}); // not awaited: a rejection (a locked signer) is this TypeError's business
    throw new TypeError('signBatch: signer.signDigest must return { r, s, yParity } synchronously (the unload path cannot wait)');
  }
  return { signature: rsv(sig, 'signBatch'), signedAt };
}

/**
 * As signBatch, for any signer: a synchronous `signDigest` or one that resolves (the wallet Worker's).
 * @returns {Promise<{ signature: `0x${string}`, signedAt: number }>}
 */
export async function signBatchAsync(signer, body, signedAt = Date.now()) {
  return { signature: rsv(await signer.signDigest(batchDigest(body, signedAt)), 'signBatchAsync'), signedAt };
}

/**
 * POSTs `{"events":[record,...]}` as JSON to `url` — the body the Meeta prototype's (docs/sources.md#seed-003)
 * `/api/meetings/events` takes. The collector deduplicates on `eventId`.
 *
 * Status semantics the batcher relies on:
 * - 200: every event is stored (or was already stored: a duplicate is a success).
 * - 207: Multi-Status. The batch was processed; the body lists per-event outcomes
 *   `{"results":[{"eventId","status"}]}`. The batch counts as delivered; events whose
 *   own status is not 2xx are passed to `options.onPartial(results)` for the app.
 * - other 2xx: delivered. 408, 429, 5xx, network errors: retried with backoff,
 *   honouring `Retry-After`. Other 4xx: given up and reported (`onRejected`).
 *
 * `send.beacon(body)` sends a prepared body on unload: `navigator.sendBeacon`
 * when available, else `fetch(..., { keepalive: true })`; returns whether the
 * browser accepted it (delivery itself is not confirmed).
 *
 * With `options.signer` (an unlocked `core.wallet` signer, a wallet Worker signer, or anything with `address`
 * and `signDigest(digest) -> {r, s, yParity}` or a Promise of it), every body is signed when it is sent — each
 * retry and each unload body afresh, with the current time (`options.now`, epoch ms): headers `convene-signer` (the
 * address), `convene-signature` (r ‖ s ‖ v, 65 bytes hex) and `convene-signed-at` (epoch ms); the unload
 * path carries the same three as query parameters, since `sendBeacon` cannot set headers (docs/events.md#signed-batches). A signer
 * that throws (locked) fails the send: a network failure, retried; on unload the body is not beaconed. A signer that
 * answers asynchronously cannot sign on unload (nothing can be awaited then): `beacon` throws TypeError and the
 * batcher keeps those events stored for the next load.
 *
 * @param {string} url
 * A request taking longer than `options.timeoutMs` (15 s) is aborted (a network failure: retried).
 *
 * @param {{ fetch?: typeof fetch, headers?: Record<string,string>, timeoutMs?: number, onPartial?: (results: {eventId:string,status:number}[]) => void,
 *           sendBeacon?: (url: string, data: Blob|string) => boolean,
 *           signer?: { address: string, signDigest(digest: string): { r: string, s: string, yParity: number } | Promise<{ r: string, s: string, yParity: number }> }, now?: () => number }} [options]
 */
export function httpSink(url, options = {}) {
  if (typeof url !== 'string' || url === '') throw new TypeError('httpSink: url must be a non-empty string');
  const doFetch = options.fetch ?? globalThis.fetch?.bind(globalThis);
  if (typeof doFetch !== 'function') throw new TypeError('httpSink: no fetch available; pass options.fetch');
  const headers = { 'content-type': 'application/json', ...(options.headers ?? {}) };
  const timeoutMs = options.timeoutMs ?? 15000;
  const signer = options.signer ?? null;
  if (signer !== null && (typeof signer !== 'object' || typeof signer.signDigest !== 'function')) {
    throw new TypeError('httpSink: signer must have signDigest(digest) (core.wallet.unlock)');
  }
  const clock = options.now ?? Date.now;
  const signedHeaders = async (body) => {
    if (!signer) return headers;
    const { signature, signedAt } = await signBatchAsync(signer, body, clock());
    return { ...headers, [SIGNER_HEADER]: signer.address, [SIGNATURE_HEADER]: signature, [SIGNED_AT_HEADER]: String(signedAt) };
  };
  const send = async (records, { signal } = {}) => {
    const signals = [signal, AbortSignal.timeout?.(timeoutMs)].filter(Boolean);
    const combined = signals.length > 1 && AbortSignal.any ? AbortSignal.any(signals) : signals[0];
    const body = JSON.stringify({ events: records });
    const res = await doFetch(url, { method: 'POST', headers: await signedHeaders(body), body, signal: combined });
    const retryAfter = parseRetryAfter(res.headers?.get?.('retry-after'));
    if (res.status === 207 && options.onPartial) {
      try {
        const body = await res.json();
        const failed = (body?.results ?? []).filter((r) => !(r.status >= 200 && r.status < 300));
        if (failed.length) options.onPartial(failed);
      } catch {
        // A 207 without a readable body still means "processed".
      }
    } else {
      res.body?.cancel?.().catch?.(() => {});
    }
    return retryAfter === undefined ? { status: res.status } : { status: res.status, retryAfter };
  };
  send.beacon = (body) => {
    const beacon = options.sendBeacon ?? globalThis.navigator?.sendBeacon?.bind(globalThis.navigator);
    let target = url;
    if (signer) {
      // sendBeacon cannot set headers: the signature travels in the query string.
      const { signature, signedAt } = signBatch(signer, body, clock());
      const sep = url.includes('?') ? '&' : '?';
      target = `${url}${sep}${SIGNER_HEADER}=${signer.address}&${SIGNATURE_HEADER}=${signature}&${SIGNED_AT_HEADER}=${signedAt}`;
    }
    if (beacon) {
      const data = typeof Blob === 'function' ? new Blob([body], { type: 'application/json' }) : body;
      return beacon(target, data);
    }
    doFetch(target, { method: 'POST', headers, body, keepalive: true }).catch(() => {});
    return true;
  };
  return send;
}

function statusOfArkivError(err) {
  // viem errors carry the HTTP status of the RPC response when there was one.
  for (let e = err; e; e = e.cause) {
    if (typeof e.status === 'number') return e.status;
    const name = e.name ?? '';
    if (/InvalidParams|InvalidInput|ExecutionReverted|TransactionRejected|EntityMutationError/.test(name)) return 400;
  }
  return 0;
}

/**
 * Writes each record as one `meeting_event` entity on Arkiv, all of a batch in
 * one `mutateEntities` transaction (docs/toolchain.md#limits: up to 1000 operations, 128 KB
 * per transaction; a batch body is capped at 60 KB so it fits).
 *
 * Entity: payload = the record's JSON (contentType application/json);
 * attributes `type`='meeting_event', `meetingId`, `eventType`, `eventId`,
 * `participantId` (when known), `spaceId`, `createdAt` (= the record's timestamp,
 * ISO 8601 UTC); `expiresIn` = 7,776,000 s (90 days). Readers deduplicate by
 * `eventId` (core.events.fromEntities, which also checks each entity's signer) because a retried batch may land twice.
 *
 * Result mapping: success -> 200; an RPC error with an HTTP status -> that
 * status; a rejected/invalid transaction -> 400 (given up); anything else -> a
 * network failure (retried).
 *
 * @param {{ mutateEntities: (p: {creates: object[]}) => Promise<unknown> }} walletClient an Arkiv wallet client
 * @param {{ spaceId?: string, expiresIn?: number }} [options] spaceId defaults to 'local-dev'
 */
export function arkivSink(walletClient, options = {}) {
  if (!walletClient || typeof walletClient.mutateEntities !== 'function') {
    throw new TypeError('arkivSink: walletClient must be an Arkiv wallet client (mutateEntities)');
  }
  const spaceId = options.spaceId ?? 'local-dev';
  const expiresIn = options.expiresIn ?? MEETING_EVENT_EXPIRES_IN;
  const encoder = new TextEncoder();
  return async (records) => {
    const creates = records.map((r) => {
      const attributes = [
        { key: 'type', value: 'meeting_event' },
        { key: 'meetingId', value: r.meetingId },
        { key: 'eventType', value: r.type },
        { key: 'eventId', value: r.eventId },
        { key: 'spaceId', value: spaceId },
        { key: 'createdAt', value: r.timestamp },
      ];
      if (r.participantId) attributes.push({ key: 'participantId', value: r.participantId });
      return { payload: encoder.encode(JSON.stringify(r)), contentType: 'application/json', attributes, expiresIn };
    });
    try {
      await walletClient.mutateEntities({ creates });
      return { status: 200 };
    } catch (err) {
      const status = statusOfArkivError(err);
      if (status === 0) throw err;
      return { status };
    }
  };
}

