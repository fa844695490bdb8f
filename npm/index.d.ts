// @convene/core — TypeScript declarations of the public surface (docs/domain.md#package-surface).
import type { Entities } from './types/entities.js';
import type { Gatherings } from './types/gatherings.js';
import type { Jitsi } from './types/jitsi.js';
import type { Sessions } from './types/sessions.js';

export type * from './types/entities.js';
export type * from './types/gatherings.js';
export type { Jitsi } from './types/jitsi.js';
export type * from './types/sessions.js';
import type { Recurrence } from './types/recurrence.js';
import type { Series } from './types/series.js';
export type * from './types/series.js';

export type { Recurrence, RecurrenceSet, RecurrenceRule, RecurrenceValue, ExpandOptions } from './types/recurrence.js';
import type { Wallet } from './types/wallet.js';
export { createKeystoreStore, createAutoLock, createWalletWorker, DEFAULT_ACTIVITY_EVENTS, type WalletWorker, type WorkerSigner, type WorkerLockReason, type Wallet, type Signer, type SealedWallet, type KeystoreInfo, type DigestSignature, type KdfParams, type WalletOptions, type KeystoreStore, type StoredKeystore, type AutoLock, type AutoLockOptions } from './types/wallet.js';
import type { Events } from './types/events.js';
import type { Meetings } from './types/meetings.js';
import type { Bluesky } from './types/bluesky.js';
export type { Bluesky, CalendarEvent, CalendarEventRecord, CalendarEventStatus, CalendarEventMode, NamedUri, RsvpCounts } from './types/bluesky.js';
import type { Notices } from './types/notices.js';
export type * from './types/notices.js';
export type { Meetings, MeetingSummary, MeetingParticipantSummary, PresenceInterval, IgnoredRecords, MeetingFolds, FoldsChange, RecordCheck } from './types/meetings.js';
export { type Events, type Batcher, type BatcherOptions, type MeetingEvent, type EventContext, type Sink, type SendResult, type EventStorage, type AttachJitsiOptions, type BatchSigner, type HttpSinkOptions, attachJitsi, httpSink, arkivSink, memoryStorage, JITSI_EVENT_NAMES, batchMessage, batchDigest, signBatch, signBatchAsync, SIGNATURE_HEADER, SIGNED_AT_HEADER, SIGNER_HEADER } from './types/events.js';

/**
 * Thrown for every failure the core reports. Switch on `code` (stable), not on `message`.
 * The WASM module stays usable after any ConveneError.
 */
export class ConveneError extends Error {
  name: 'ConveneError';
  /** Stable code, e.g. `INVALID_WALLET`, `MISSING_FIELD`, `INVALID_DATE`, `INVALID_RRULE`, `BAD_PASSPHRASE`. */
  code: string;
  /** Dotted path of the offending input (`input.mentorWallet`), or `''`. */
  field: string;
}

/** An instant: ISO 8601 string with offset, epoch milliseconds, or a Date. Defaults to the current time. */
export type Instant = string | number | Date;

/**
 * The parts of the core a page may leave out of `loadCore` (docs/architecture.md#parts), each its own WASM module:
 * `recurrence` is `core.recurrence`, `core.series`, `core.notices` and `core.bluesky` with the time-zone database
 * (`dist/recurrence.wasm`), and builds and parses the entity types whose rules read them (`event_series`,
 * `event_series_exception`, `event_series_follow`, an RSVP to an occurrence of a series, `bluesky_publication`,
 * `bluesky_account_link`: without the part, `core.entities.build` / `parse` of those throw `PART_NOT_LOADED`);
 * `events` is `core.events` and `core.meetings` (the event pipeline and the meetings fold, `dist/events.wasm`);
 * `wallet` is `core.wallet` on the main thread (`dist/wallet.wasm`).
 */
export type CorePart = 'recurrence' | 'events' | 'wallet';

export interface LoadOptions {
  /**
   * The optional parts to load with the main one (default: all of them; `[]`: the main part only). A member of a
   * part that is not loaded throws `ConveneError` `PART_NOT_LOADED` (field: the part's name); `core.load(part)`
   * adds it later. @throws ConveneError `INVALID_TYPE` / `UNKNOWN_PART` (field `options.parts[i]`)
   */
  parts?: CorePart[];
  /** The main module's bytes (skips reading/fetching `dist/convene.wasm`). */
  wasmBinary?: Uint8Array | ArrayBuffer;
  /** Browser only: URL to fetch the `.wasm` from (default: next to the package's `dist/convene.mjs`). */
  wasmUrl?: string;
  /** The recurrence part's module bytes (skips reading/fetching `dist/recurrence.wasm`). */
  recurrenceWasmBinary?: Uint8Array | ArrayBuffer;
  /** Browser only: URL to fetch the recurrence part's `.wasm` from (default: next to `dist/recurrence.mjs`). */
  recurrenceWasmUrl?: string;
  /** The events part's module bytes (skips reading/fetching `dist/events.wasm`). */
  eventsWasmBinary?: Uint8Array | ArrayBuffer;
  /** Browser only: URL to fetch the events part's `.wasm` from (default: next to `dist/events.mjs`). */
  eventsWasmUrl?: string;
  /** The wallet part's module bytes (skips reading/fetching `dist/wallet.wasm`). */
  walletWasmBinary?: Uint8Array | ArrayBuffer;
  /** Browser only: URL to fetch the wallet part's `.wasm` from (default: next to `dist/wallet.mjs`). */
  walletWasmUrl?: string;
  /** Receives the module's diagnostic output lines (none in normal operation). */
  onLog?: (line: string) => void;
}

/**
 * Where an optional part's module comes from, for `core.load(part, options)`; over the options the core was first
 * loaded with. (A later `loadCore(options)` passes its own.)
 */
export type PartLoadOptions = Pick<LoadOptions, 'recurrenceWasmBinary' | 'recurrenceWasmUrl' | 'eventsWasmBinary' | 'eventsWasmUrl' | 'walletWasmBinary' | 'walletWasmUrl' | 'onLog'>;

/** The loaded core. Every member is synchronous and pure unless documented otherwise. */
export interface Core {
  readonly jitsi: Jitsi;
  readonly entities: Entities;
  readonly sessions: Sessions;
  readonly gatherings: Gatherings;
  /** The `recurrence` part: each of its members throws `PART_NOT_LOADED` until it is loaded. */
  readonly recurrence: Recurrence;
  /** The `recurrence` part: each of its members throws `PART_NOT_LOADED` until it is loaded. */
  readonly series: Series;
  /** The `wallet` part: each of its members throws `PART_NOT_LOADED` until it is loaded. */
  readonly wallet: Wallet;
  /** The `events` part: each of its members throws `PART_NOT_LOADED` until it is loaded. */
  readonly events: Events;
  /** The `events` part: each of its members throws `PART_NOT_LOADED` until it is loaded. */
  readonly meetings: Meetings;
  /** The `recurrence` part: each of its members throws `PART_NOT_LOADED` until it is loaded. */
  readonly bluesky: Bluesky;
  /** The `recurrence` part: each of its members throws `PART_NOT_LOADED` until it is loaded. */
  readonly notices: Notices;
  /**
   * Loads an optional part into this core (once; a later call resolves at once) and resolves to the core.
   * Rejects with ConveneError `UNKNOWN_PART` (field `part`), or with the module's own error when it cannot be
   * fetched or instantiated; the part then stays unloaded and a later call tries again.
   */
  load(part: CorePart, options?: PartLoadOptions): Promise<Core>;
  /** True once `part` is loaded. */
  loaded(part: CorePart): boolean;
}

/**
 * Loads the WASM core once per JS realm; every call resolves to the same instance (a later call that names more
 * parts loads them into it). Node >= 18 and browsers.
 */
export function loadCore(options?: LoadOptions): Promise<Core>;
