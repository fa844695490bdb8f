import type { EntityLike, Ignored } from './entities.js';
/** core.events — meeting events from the Jitsi IFrame API, normalized and delivered in batches (docs/events.md). */

/** A normalized meeting event: what sinks receive and collectors store (the MeetingLog row of docs/sources.md#seed-003). */
export interface MeetingEvent {
  /** UUIDv7 (RFC 9562 §5.7): time-ordered; collectors and readers deduplicate on it. */
  eventId: string;
  /** Dotted type, e.g. `participant.joined`, `audio.mute.changed`, `screen.share.started`,
   *  `transcription.chunk.received`. Mapping from Jitsi names: `core.events.catalogue()`; a name outside
   *  the catalogue gets `x.` plus its words (`someFutureEvent` -> `x.some.future.event`, docs/events.md#new-event-names). */
  type: string;
  /** When the event was observed: ISO 8601 UTC with milliseconds, e.g. `2026-11-21T06:00:00.000Z`. */
  timestamp: string;
  meetingId: string;
  /** The Jitsi participant id the event is about; the local participant for local media events. */
  participantId?: string;
  /** JSON-safe, capped: strings 512 bytes (chat/transcript text 4096), 32 items per object/array,
   *  4 levels, 8 KB in all (beyond that scalars only plus `truncated: true`). */
  payload: Record<string, unknown>;
}

/** Where an event belongs. */
export interface EventContext {
  /** The app's meeting id (session or gathering entity key). Required, at most 256 bytes. */
  meetingId: string;
  /** The local participant's Jitsi id; used when the event names no participant. */
  participantId?: string;
}

/** What a sink answers for one batch. */
export interface SendResult {
  /** HTTP status (or the sink's equivalent). 2xx: delivered. 408, 429, 5xx, others: retried.
   *  Other 4xx: given up and reported via `onRejected`. */
  status: number;
  /** Retry-After in seconds, honoured when longer than the backoff. */
  retryAfter?: number;
}

/** `send(records)`; a rejected promise counts as a network failure (retried). */
export type Sink = ((records: MeetingEvent[]) => Promise<SendResult>) & {
  /** Optional unload path: send a prepared body `{"events":[...]}`; true when the browser accepted it. */
  beacon?: (body: string) => boolean;
};

/** localStorage-compatible storage (results may also be Promises). */
export interface EventStorage {
  getItem(key: string): string | null | Promise<string | null>;
  setItem(key: string, value: string): void | Promise<void>;
  removeItem(key: string): void | Promise<void>;
}

export interface BatcherOptions {
  send: Sink;
  /** Flush once this many events are unsent. Default 5. */
  flushAt?: number;
  /** Flush this long after the OLDEST unsent event (a fixed timer, not a debounce). Default 2000 ms. */
  flushIntervalMs?: number;
  /** Persist unsent events here and replay other page loads' leftovers (e.g. `localStorage`). */
  storage?: EventStorage;
  /** Storage key prefix. Default `convene.events`. */
  storageKey?: string;
  /** Lease of this page's stored queue; an expired lease lets another page adopt it. Default 10000 ms. */
  leaseMs?: number;
  /** Unload sender; defaults to `send.beacon` (httpSink has one). */
  beacon?: (body: string) => boolean;
  /** Events given up after a 4xx other than 408/429. */
  onRejected?: (records: MeetingEvent[], status: number) => void;
  /** Events dropped because the queue was full (oldest first). */
  onDropped?: (count: number) => void;
  /** Errors of the I/O side (storage quota, a throwing callback). */
  onError?: (err: unknown) => void;
  /** Byte cap of one batch body `{"events":[...]}`. Default 61440 (a beacon carries at most 64 KiB). */
  maxBatchBytes?: number;
  /** Flush early when unsent events reach this body size. Default 49152. */
  flushBytes?: number;
  /** Events per batch when a backlog drains. Default 50: a response lost after the collector stored the batch re-sends at most 50 events. */
  maxBatchEvents?: number;
  /** Queue bound; beyond it the oldest unsent events are dropped and counted. Default 10000. */
  maxQueue?: number;
  /** Backoff: n-th consecutive failure waits d/2..d, d = min(backoffMaxMs, backoffBaseMs * 2^(n-1)). Defaults 1000 / 60000. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Longest Retry-After honoured. Default 3600000 ms. */
  retryAfterMaxMs?: number;
  /** A push repeating the immediately preceding event of its meeting and participant (same type, payload equal in full)
   *  closer than this is one event; a change in between (mute, unmute, mute) keeps every push. Default 1000 ms. */
  dedupWindowMs?: number;
  /** Test seams: clock (epoch ms), timers, Web Locks, lifecycle targets (`window`, `document`). */
  now?: () => number;
  timers?: Pick<typeof globalThis, 'setTimeout' | 'clearTimeout' | 'setInterval' | 'clearInterval'>;
  locks?: { request: (...args: any[]) => Promise<unknown> } | null;
  lifecycle?: EventTarget | null;
  document?: (EventTarget & { visibilityState?: string }) | null;
}

export interface Batcher {
  /** Normalizes and queues; returns the eventId (the earlier event's id for a duplicate). Names outside the
   *  catalogue are captured with the generic mapping (docs/events.md#new-event-names).
   *  @throws ConveneError `INVALID_EVENT_NAME` (field `name`: empty, over 64 bytes, other characters than
   *  ASCII letters, digits, `.`, `_`, `-`, not starting with a letter), `MISSING_FIELD`/`INVALID_TYPE` (`ctx.meetingId`) */
  push(name: string, payload: unknown, ctx: EventContext): string;
  /** Sends everything queued now, also during a backoff (call it when back online); resolves when those events are delivered or given up, or at the first failure. */
  flush(): Promise<{ pending: number }>;
  /** Stops accepting events, flushes, stores the rest for the next load, detaches listeners, frees WASM memory. */
  close(): Promise<{ pending: number }>;
  /** Events queued (unsent + in flight). */
  readonly pending: number;
  /** Events dropped by the queue cap so far. */
  readonly dropped: number;
  /** Resolves with the number of events replayed from storage. */
  readonly ready: Promise<number>;
  /** Unload handler (also registered on `pagehide`): store the queue, then beacon it oldest first, in bodies of at
   *  most 60 KiB, as far as the browser's 64 KiB keepalive quota takes; the rest waits in storage for the next load. */
  pagehide(): void;
}

export interface CatalogueRow {
  /** IFrame API event name. */
  jitsi: string;
  /** Dotted type (for on/off events: the "on" type). */
  type: string;
  /** Dotted type when the event's `on` flag is false (screen share, recording, transcribing). */
  typeOff?: string;
}

export interface Events {
  /**
   * Records from `meeting_event` entities signed by one of `signers` (creator = owner), deduplicated by
   * eventId (first on the chain), sorted by timestamp then eventId; each with its `signer`.
   * @throws ConveneError MISSING_FIELD (`options.signers`), INVALID_WALLET (`options.signers[i]`)
   */
  fromEntities(entities: EntityLike[], options: { signers: string[] }): { events: (MeetingEvent & { signer: string })[]; ignored: Ignored };
  /** One IFrame API event -> MeetingEvent. `now` (ISO string with offset, epoch ms or Date) defaults to the current time.
   *  A name outside the catalogue gets the generic mapping: type `x.<words>`, the whole payload (capped), the
   *  context's participant (docs/events.md#new-event-names).
   *  @throws ConveneError `INVALID_EVENT_NAME` (field `name`), `MISSING_FIELD` (`options.meetingId`), `INVALID_DATE` (`options.now`) */
  normalize(name: string, payload: unknown, options: EventContext & { now?: string | number | Date }): MeetingEvent;
  /** Many events of one meeting observed at one instant, in one call: record i is what
   *  `normalize(events[i][0], events[i][1], options)` returns (its own eventId).
   *  @throws ConveneError `INVALID_TYPE` (`events`, `events.<i>`, `events.<i>.name`), `INVALID_EVENT_NAME`
   *  (`events.<i>.name`), `MISSING_FIELD` / `INVALID_INPUT` (`ctx.meetingId`, `ctx.participantId`), `INVALID_DATE` (`options.now`) */
  normalizeMany(events: Array<[string, unknown]>, options: EventContext & { now?: string | number | Date }): MeetingEvent[];
  /** normalizeMany() as JSON text (`[{...},...]`, the `events` array of a collector's body), without building
   *  record objects in JS. Same records, same errors. */
  normalizeManyJson(events: Array<[string, unknown]>, options: EventContext & { now?: string | number | Date }): string;
  /** normalizeManyJson() as UTF-8 bytes (a fetch / sendBeacon body or socket write). Same records, same errors. A new Uint8Array; with `into`, a view of
   *  `into` from its start (`into.subarray(0, size)`) when the records fit, else a new array as without it:
   *  one buffer reused across calls means no allocation per call. `into` not a Uint8Array: ConveneError
   *  INVALID_TYPE, field `options.into`. */
  normalizeManyBytes(events: Array<[string, unknown]>, options: EventContext & { now?: string | number | Date; into?: Uint8Array }): Uint8Array;
  /** The Jitsi -> dotted type mapping. */
  catalogue(): readonly CatalogueRow[];
  createBatcher(options: BatcherOptions): Batcher;
}

export interface AttachJitsiOptions {
  meetingId: string;
  /** The local participant; otherwise the `id` of `videoConferenceJoined` once it fired. */
  participantId?: string;
  /** Replaces the catalogue's names (default `JITSI_EVENT_NAMES`). */
  events?: readonly string[];
  /** Names subscribed to as well: events the catalogue does not know yet (a newer Jitsi) or the app's own.
   *  Captured with the generic mapping (type `x.<words>`); a name the core refuses goes to `onError` on each event.
   *  @throws TypeError when not an array of strings */
  extraEvents?: readonly string[];
  /** Names not subscribed to (default `['mouseMove']`). */
  ignore?: readonly string[];
  /** A push that threw (bad payload, refused name). */
  onError?: (err: unknown, name: string) => void;
}

/** Subscribes `batcher` to every IFrame API event of `api` (the catalogue's names, plus `extraEvents`, except `ignore`);
 *  `events` lists what was subscribed to, each name once. */
export function attachJitsi(
  api: { addListener(name: string, fn: (payload: any) => void): unknown; removeListener(name: string, fn: (payload: any) => void): unknown },
  batcher: Pick<Batcher, 'push'>,
  options: AttachJitsiOptions,
): { detach(): void; events: string[] };

/** What signs collector batches: an unlocked `core.wallet` signer (synchronous `signDigest`) or a wallet Worker
 *  signer (`createWalletWorker`; asynchronous: its batches are not beaconed on unload but kept for the next load). */
export interface BatchSigner {
  readonly address: string;
  /** Signs a 32-byte digest (0x + 64 hex digits). */
  signDigest(digest: string): { r: string; s: string; yParity: number } | Promise<{ r: string; s: string; yParity: number }>;
}

/** Options of httpSink. */
export interface HttpSinkOptions {
  fetch?: typeof fetch;
  headers?: Record<string, string>;
  /** Per-request timeout in ms (15,000): an aborted request is a network failure (retried). */
  timeoutMs?: number;
  onPartial?: (results: { eventId: string; status: number }[]) => void;
  sendBeacon?: (url: string, data: Blob | string) => boolean;
  /** Signs every body when it is sent (each retry and unload body afresh): headers `convene-signer` (address),
   *  `convene-signature` (r ‖ s ‖ v hex) and `convene-signed-at` (epoch ms); on unload the same three as query parameters (docs/events.md#signed-batches). */
  signer?: BatchSigner;
  /** The signing clock, epoch ms (Date.now). */
  now?: () => number;
}

/** POSTs `{events:[...]}` as JSON. 200: stored; 207: processed, per-event results in the body (non-2xx ones go to `onPartial`);
 *  401: the collector refused the signature (a 4xx: given up). */
export function httpSink(url: string, options?: HttpSinkOptions): Sink;

/** The text a batch signature covers: `convene-events/1\nsigned-at: <signedAt>\nbody-sha256: <hex of SHA-256 of the body's UTF-8 bytes>`
 *  (`bodySha256`: that hex when the caller already has it; `body` is then unused). */
export function batchMessage(body: string | Uint8Array | null, signedAt: number, bodySha256?: string): string;
/** EIP-191 (personal_sign) digest of batchMessage(body, signedAt): what `signer.signDigest` signs. */
export function batchDigest(body: string | Uint8Array, signedAt: number): `0x${string}`;
/** Signs a body: `{ signature: r ‖ s ‖ v (65 bytes hex, v = 27 + yParity), signedAt }` (signedAt defaults to Date.now()).
 *  @throws TypeError when `signer.signDigest` answers with a Promise (use signBatchAsync) */
export function signBatch(signer: BatchSigner, body: string | Uint8Array, signedAt?: number): { signature: `0x${string}`; signedAt: number };
/** As signBatch, for a signer whose signDigest is synchronous or resolves (the wallet Worker's). */
export function signBatchAsync(signer: BatchSigner, body: string | Uint8Array, signedAt?: number): Promise<{ signature: `0x${string}`; signedAt: number }>;
/** `'convene-signature'`: header (and unload query parameter) of a batch signature. */
export const SIGNATURE_HEADER: 'convene-signature';
/** `'convene-signed-at'`: header (and unload query parameter) of the signing instant, epoch ms. */
export const SIGNED_AT_HEADER: 'convene-signed-at';
/** `'convene-signer'`: header (and unload query parameter) of the signing address; the collector refuses a batch whose signature recovers another. */
export const SIGNER_HEADER: 'convene-signer';

/** One `meeting_event` entity per event (attributes type, meetingId, eventType, eventId, participantId?, spaceId, createdAt; 90-day expiry), one `mutateEntities` per batch. */
export function arkivSink(walletClient: { mutateEntities(p: { creates: object[] }): Promise<unknown> }, options?: { spaceId?: string; expiresIn?: number }): Sink;

/** A Map-backed EventStorage (tests, Node). */
export function memoryStorage(initial?: Record<string, string>): EventStorage & { readonly size: number; keys(): string[] };

/** The IFrame API event names attachJitsi subscribes to. */
export const JITSI_EVENT_NAMES: readonly string[];
