/**
 * core.notices — what changed for one wallet since a point in time (docs/notices.md). Arkiv keeps
 * history, so the app reads the same bounded state at an earlier block and now, and the core compares
 * the two: followers hear of the series they follow (unless the follow has `notifications: false`),
 * attendees of the occurrences they RSVP'd to. Every entity is checked as the rest of the core checks it
 * (docs/trust.md): a series, its exceptions and gatherings by its organizer; a follow by its follower;
 * an RSVP by its attendee. What is no evidence gives no notice and is counted in `ignored`.
 */
import type { Instant } from '../index.js';
import type { EntityLike, Ignored } from './entities.js';

/** One read of the chain: the entities as the SDK returns them (withMetadata(true)) or as `parse` returns them. */
export interface NoticeRead {
  /** `event_series` entities: the followed series and the series the RSVP'd gatherings name. */
  series?: EntityLike[];
  /** `event_series_exception` entities of those series. */
  exceptions?: EntityLike[];
  /**
   * `virtual_gathering` entities: the followed series' gatherings and the RSVP'd ones; in `after`, also those
   * read by the keys seen in `before`, so a split's handoff (a gathering that now names another series) is seen.
   */
  gatherings?: EntityLike[];
}

export interface NoticesArgs {
  /** The wallet whose notices these are. */
  wallet: string;
  /** Its `event_series_follow` entities, read now (only those it signed count; per series the newest). */
  follows?: EntityLike[];
  /** Its gathering RSVP sessions, read now (only those it signed as attendee, not stored cancelled). */
  rsvps?: EntityLike[];
  /** The state read at the earlier block (SDK query `.atBlock(block)`). */
  before: NoticeRead;
  /** The same state read now. */
  after: NoticeRead;
  /** The chain's block number observed at `now`: turns the block of a change into `at`. */
  currentBlock: number | bigint;
  /** Defaults to the current time. */
  now?: Instant;
}

export type NoticeKind =
  | 'occurrenceScheduled'
  | 'templateChanged'
  | 'ruleChanged'
  | 'seriesSplit'
  | 'seriesEnded'
  | 'occurrenceMoved'
  | 'occurrenceCancelled'
  | 'occurrenceReinstated'
  | 'joinLinkChanged';

export interface Notice {
  /** Stable (32 hex digits): the same change gives the same id from any earlier point; keep read state by it. */
  id: string;
  kind: NoticeKind;
  /** The series concerned; absent for a gathering that is no series' occurrence. */
  seriesKey?: string;
  /** RECURRENCE-ID of the occurrence concerned, ISO 8601 UTC. */
  recurrenceId?: string;
  /** The gathering concerned (attendee notices, occurrenceScheduled). */
  gatheringKey?: string;
  /** occurrenceMoved, occurrenceCancelled (and occurrenceReinstated when it moved meanwhile): the start it had, ISO 8601 UTC. */
  from?: string;
  /** occurrenceMoved, occurrenceReinstated, occurrenceScheduled: the start it has now, ISO 8601 UTC. */
  to?: string;
  /** joinLinkChanged: the join links before (absent when it had none) and now. */
  fromUrl?: string;
  toUrl?: string;
  /** seriesSplit: the series holding the later occurrences. */
  newSeriesKey?: string;
  /** templateChanged: RECURRENCE-ID of the first upcoming occurrence the new template applies to. */
  effectiveFrom?: string;
  /** templateChanged: the new values of the fields that changed. */
  changes?: { title?: string; description?: string; duration?: number };
  /** The series' or occurrence's title as read now. */
  title: string;
  /** When the change was written: its block's time (ISO 8601 UTC; 2 s blocks counted back from `currentBlock` at `now`). */
  at: string;
  /** The block of the entity version that carries the change. */
  block: number;
}

export interface Notices {
  /**
   * Newest first. Throws ConveneError: INVALID_WALLET / MISSING_FIELD `wallet`, MISSING_FIELD `before` / `after` /
   * `currentBlock`, INVALID_TYPE naming a list that is not an array (`after.gatherings`, `follows`, ...).
   */
  since(args: NoticesArgs): { notices: Notice[]; ignored: Ignored };
}
