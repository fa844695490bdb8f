/**
 * core.entities — build and parse every Arkiv entity the app writes (docs/domain.md#entities-on-arkiv and docs/domain.md#expiry).
 *
 * Common attributes on every entity: `type`, `spaceId` ('local-dev' by default), `createdAt`
 * (ISO 8601 UTC with milliseconds and `Z`). Wallets are stored lowercase. Errors: `ConveneError`
 * with codes MISSING_FIELD, INVALID_TYPE, INVALID_WALLET, INVALID_DATE, INVALID_DURATION,
 * SESSION_ENDED, SAME_PARTICIPANT, NOT_PARTICIPANT, ALREADY_RSVPED, ALREADY_FOLLOWING, NOT_AN_OCCURRENCE,
 * INVALID_RRULE, UNKNOWN_TIME_ZONE, INVALID_TX_HASH, INVALID_JWT,
 * INVALID_ATTRIBUTE_KEY, INVALID_ATTRIBUTE_VALUE (a `"` in a queried string), PAYLOAD_TOO_LARGE
 * (Arkiv's 128 KB transaction cap), UNKNOWN_ENTITY_TYPE.
 */
import type { Instant } from '../index.js';

/** A wallet address: `0x` + 40 hex digits, any case (stored lowercase). */
export type Wallet = string;

/** One Arkiv attribute. Numbers are integers in [0, 2^53 - 1]; never BigInt. */
export interface Attribute {
  key: string;
  value: string | number;
}

/** What `walletClient.createEntity` takes (Arkiv SDK 0.6.8). */
export interface EntityDraft {
  /** UTF-8 JSON bytes. */
  payload: Uint8Array;
  contentType: 'application/json';
  attributes: Attribute[];
  /** Whole seconds, >= 1. Arkiv stores ceil(expiresIn / 2) blocks. */
  expiresIn: number;
}

export interface BuildOptions {
  /** The clock (ISO 8601 with offset, epoch ms, or Date); defaults to Date.now(). */
  now?: Instant;
  /** The `spaceId` attribute; default 'local-dev'. */
  spaceId?: string;
}

/**
 * The facts about an entity (docs/trust.md): who signed it and where it is on the chain. The SDK returns
 * them with `buildQuery().withMetadata(true)` (block numbers and indexes as BigInt); `parse` keeps them
 * (as numbers). Readers treat an entity as evidence of wallet W only when W is both `creator` and `owner`.
 */
export interface EntityMetadata {
  /** The account that created the entity (lowercase 0x address). */
  creator?: string;
  /** The account that may change it now; differs from `creator` after an ownership transfer. */
  owner?: string;
  createdAtBlock?: bigint | number;
  /** Block of the latest change: the first key of chain order (then the two indexes). */
  lastModifiedAtBlock?: bigint | number;
  transactionIndexInBlock?: bigint | number;
  operationIndexInTransaction?: bigint | number;
  expiresAtBlock?: bigint | number;
}

/** An entity as the SDK returns it, or a parsed (flat) one. */
export interface EntityLike extends EntityMetadata {
  key?: string;
  entityKey?: string;
  attributes?: Attribute[] | Record<string, string | number>;
  payload?: Uint8Array | string | Record<string, unknown>;
  [field: string]: unknown;
}

/**
 * What a list reader left out, by reason (docs/trust.md): `unverified` (no signer metadata, a transferred
 * owner, or a signer the type's rule does not allow), `conflicting` (attributes and payload disagree),
 * `malformed` (not decodable, nested over 32 levels, a payload over 128 KiB or a string over 16 KiB, or
 * missing what its type needs).
 */
export interface Ignored {
  unverified: number;
  conflicting: number;
  malformed: number;
  total: number;
}

/** `session` (docs/domain.md#session). expiresIn = sessionDate + duration + 1 h - now; refused once the window has ended. */
export interface SessionInput {
  mentorWallet: Wallet;
  learnerWallet: Wallet;
  skill: string;
  skill_id?: string;
  /** ISO 8601 with offset (stored as UTC `...Z`). */
  sessionDate: string;
  /** Minutes, integer 1..10080; default 60. */
  duration?: number;
  notes?: string;
  requiresPayment?: boolean;
  paymentAddress?: Wallet;
  cost?: string;
  gatheringKey?: string;
  gatheringTitle?: string;
  community?: string;
  /** 'pending' (default); 'scheduled' only for gathering RSVPs. */
  status?: 'pending' | 'scheduled';
}

/** Companions reference their session (raw or parsed, with `key`), or pass `sessionKey`. */
interface CompanionBase {
  session: EntityLike;
  sessionKey?: string;
}
export interface SessionConfirmationInput extends CompanionBase { confirmedBy: Wallet }
export interface SessionRejectionInput extends CompanionBase { rejectedBy: Wallet; reason?: string }
export interface SessionJitsiInput extends CompanionBase { baseUrl?: string }
export interface PaymentSubmissionInput extends CompanionBase { paymentTxHash: string; submittedBy: Wallet }
export interface PaymentValidationInput extends CompanionBase { paymentTxHash: string; validatedBy: Wallet; validated: boolean }
export interface SessionTxHashInput extends CompanionBase { txHash: string }

/** `virtual_gathering` (docs/domain.md#virtual-gatherings): 1-year TTL; the Jitsi room `gathering-{32 hex}` is made at once. */
export interface VirtualGatheringInput {
  organizerWallet: Wallet;
  /** The community as typed: its skill slug goes in the `community` attribute, the trimmed name (at most 100 bytes) in the payload's `communityName`. */
  community: string;
  /** The name to show when `community` is already a slug (a series passes both to its occurrences). */
  communityName?: string;
  title: string;
  description?: string;
  sessionDate: string;
  duration?: number;
  videoProvider?: 'jitsi' | 'none' | 'custom';
  videoRoomName?: string;
  videoJoinUrl?: string;
  jitsiBaseUrl?: string;
  /** Checked for shape, HS256/RS256 and an `exp` after `now`. */
  videoJwtToken?: string;
  /** An event series occurrence being materialized: both become attributes. */
  seriesKey?: string;
  recurrenceId?: Instant;
  /** 'cancelled': the gathering keeps its key and RSVPs but carries no room, join link or token. Default 'scheduled'. */
  status?: 'scheduled' | 'cancelled';
}
export interface GatheringTxHashInput { gatheringKey: string; txHash: string; organizerWallet: Wallet }
/** An RSVP: a `session` with mentor = organizer, learner = attendee (docs/domain.md#gathering-rsvps). */
export interface GatheringRsvpToGathering {
  gathering: EntityLike;
  attendeeWallet: Wallet;
  /** Sessions already read for this gathering; a second RSVP by the attendee throws ALREADY_RSVPED. */
  existingRsvps?: EntityLike[];
  notes?: string;
}
/**
 * An RSVP to an occurrence of a series, materialized or not (docs/domain.md#occurrence-rsvps): attributes
 * `seriesKey` and `recurrenceId` (and `gatheringKey` when the occurrence has a gathering among `gatherings`);
 * it copies the occurrence's current time, title and duration. NOT_AN_OCCURRENCE (input.recurrenceId) for an
 * instant the series does not produce, INVALID_INPUT (input.recurrenceId) for a cancelled occurrence.
 */
export interface GatheringRsvpToOccurrence {
  /** The event_series entity as read (with its key and signer metadata). */
  series: EntityLike;
  /** The occurrence's RECURRENCE-ID (its original start). */
  recurrenceId: Instant;
  attendeeWallet: Wallet;
  /** The series' exceptions and gatherings as read: moves, cancellation and the gathering to name. */
  exceptions?: EntityLike[];
  gatherings?: EntityLike[];
  /** The attendee's RSVPs already read (to the occurrence or its gathering): a second one throws ALREADY_RSVPED. */
  existingRsvps?: EntityLike[];
  notes?: string;
}
export type GatheringRsvpInput = GatheringRsvpToGathering | GatheringRsvpToOccurrence;

/**
 * `event_series`: template + recurrence (iCalendar text; DTSTART must be UTC or have a TZID). The rule must suit
 * meetings: EMPTY_RECURRENCE (no occurrence at all), RECURRENCE_TOO_DENSE (occurrences closer than their duration,
 * or more than 100 in 28 days; the field names the rule part, e.g. `input.recurrence.RRULE.FREQ`).
 */
export interface EventSeriesInput {
  organizerWallet: Wallet;
  /** As for gatherings: the slug in attributes, the name as typed in `communityName`, passed to every occurrence. */
  community: string;
  communityName?: string;
  title: string;
  description?: string;
  /** Minutes per occurrence; default 60. */
  duration?: number;
  videoProvider?: 'jitsi' | 'none';
  jitsiBaseUrl?: string;
  /** e.g. 'DTSTART;TZID=Europe/Berlin:20260105T190000\nRRULE:FREQ=WEEKLY;BYDAY=MO' (+ RDATE/EXDATE lines). */
  recurrence: string;
}
/** `event_series_exception`: a modified, cancelled or reinstated occurrence (newest per RECURRENCE-ID wins). */
export interface EventSeriesExceptionInput {
  series: EntityLike;
  seriesKey?: string;
  /** The occurrence's original start; NOT_AN_OCCURRENCE if the series does not produce it. */
  recurrenceId: Instant;
  kind: 'modified' | 'cancelled' | 'reinstated';
  /** Checked like the template: a title is non-empty and fit for an attribute, a duration whole minutes. */
  changes?: { title?: string; description?: string; sessionDate?: string; duration?: number };
  reason?: string;
}
/** `event_series_follow`: following a series (not attending an occurrence). */
export interface EventSeriesFollowInput {
  series: EntityLike;
  seriesKey?: string;
  followerWallet: Wallet;
  notifications?: boolean;
  /** Follows already read; a second one by the same wallet throws ALREADY_FOLLOWING. */
  existingFollows?: EntityLike[];
}

/** `bluesky_publication`: what Convene published on Bluesky (docs/bluesky.md#publishing-state-and-series-decided). */
export interface BlueskyPublicationInput {
  organizerWallet: Wallet;
  did: string;
  /** at://<did>/community.lexicon.calendar.event/<TID> */
  uri: string;
  cid: string;
  /** The event record as written (checked against the lexicon). */
  record: object;
  seriesKey?: string;
  recurrenceId?: Instant;
  gatheringKey?: string;
}
/** `bluesky_account_link`: the Arkiv half of a DID claim, signed by `wallet` (docs/bluesky.md#claims). */
export interface BlueskyAccountLinkInput {
  wallet: Wallet;
  /** did:plc:… or did:web:… */
  did: string;
}

export interface EntityInputs {
  session: SessionInput;
  session_confirmation: SessionConfirmationInput;
  session_rejection: SessionRejectionInput;
  session_jitsi: SessionJitsiInput;
  session_payment_submission: PaymentSubmissionInput;
  session_payment_validation: PaymentValidationInput;
  session_txhash: SessionTxHashInput;
  virtual_gathering: VirtualGatheringInput;
  virtual_gathering_txhash: GatheringTxHashInput;
  gathering_rsvp: GatheringRsvpInput;
  event_series: EventSeriesInput;
  event_series_exception: EventSeriesExceptionInput;
  event_series_follow: EventSeriesFollowInput;
  bluesky_publication: BlueskyPublicationInput;
  bluesky_account_link: BlueskyAccountLinkInput;
}
export type EntityType = keyof EntityInputs;

/**
 * A parsed entity: attributes and payload merged (a field in both must agree: CONFLICTING_FIELDS), `key`,
 * wallets lowercase, and the metadata as numbers, so it can be passed back to any reader and stay verifiable.
 */
export interface ParsedEntity {
  type: string;
  key?: string;
  creator?: string;
  owner?: string;
  createdAtBlock?: number;
  lastModifiedAtBlock?: number;
  transactionIndexInBlock?: number;
  operationIndexInTransaction?: number;
  spaceId?: string;
  createdAt?: string;
  [field: string]: unknown;
}
export interface ParsedSession extends ParsedEntity {
  type: 'session';
  mentorWallet: string;
  learnerWallet: string;
  skill: string;
  sessionDate: string;
  /** Minutes. */
  duration: number;
  status: string;
  requiresPayment: boolean;
  isGatheringRsvp: boolean;
}
export interface ParsedGathering extends ParsedEntity {
  type: 'virtual_gathering';
  organizerWallet: string;
  /** The slug. */
  community: string;
  /** The name as typed; '' for gatherings written before names were kept. */
  communityName: string;
  title: string;
  sessionDate: string;
  duration: number;
  videoProvider: string;
  videoRoomName?: string;
  videoJoinUrl?: string;
  /** 'cancelled' for a retired occurrence of a series (no join link then). */
  status: 'scheduled' | 'cancelled';
}

export interface Entities {
  /**
   * Validates `input` and returns the entity to write. `event_series`, `event_series_exception`,
   * `event_series_follow`, `bluesky_publication`, `bluesky_account_link` and a `gathering_rsvp` to an occurrence of a
   * series (`series` + `recurrenceId`) are built by the `recurrence` part: without it, ConveneError
   * `PART_NOT_LOADED` (field `'recurrence'`).
   */
  build<T extends EntityType>(type: T, input: EntityInputs[T], options?: BuildOptions): EntityDraft;
  /** Parses an entity read from Arkiv into one typed plain object (an `event_series` needs the `recurrence` part:
   *  without it, ConveneError `PART_NOT_LOADED`, field `'recurrence'`). */
  parse(entity: EntityLike): ParsedEntity | ParsedSession | ParsedGathering;
  /** "C++ Programming" -> "c-programming", "Node.js" -> "nodejs" (p2pmentor). */
  skillSlug(name: string): string;
  /** The type names `build` accepts: the main part's, and the `recurrence` part's once it is loaded. */
  types(): EntityType[];
  /**
   * The node-side query of a list page by time (docs/domain.md#time-attributes): comparisons on the numeric
   * `startsAtSec` / `endsAtSec` attributes (Unix seconds, UTC) to AND with the page's other predicates — including
   * bounds implied by the longest meeting (7 days), so the node starts and stops an ordered page at the window —
   * and the attribute to order by. 'endsLater' is for entities that carry only `endsAtSec` (series exceptions: the
   * later of the occurrence's original and modified ends): end later than `now`, soonest first.
   * `now` defaults to Date.now(). @throws ConveneError INVALID_INPUT (`when`)
   */
  timeQuery(args: { when: 'notEnded' | 'happening' | 'past' | 'endsLater'; now?: Instant }): {
    where: { attribute: 'startsAtSec' | 'endsAtSec'; op: '>' | '>=' | '<' | '<='; value: number }[];
    orderBy: { attribute: 'startsAtSec' | 'endsAtSec'; descending: boolean };
  };
  /** ISO 8601 UTC instant an entity expires: now + (expiresAtBlock - currentBlock) * 2 s. */
  expiresAt(args: { expiresAtBlock: bigint | number; currentBlock: bigint | number; now?: Instant }): string;
}
