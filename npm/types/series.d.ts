/**
 * core.series — event series on Arkiv (docs/domain.md#event-series). A series entity holds the template
 * and the recurrence set (DTSTART with a TZID or UTC, RRULE, RDATE, EXDATE); occurrences are computed;
 * a rolling window is materialized as `virtual_gathering` entities carrying `seriesKey` and
 * `recurrenceId`; touched occurrences get an `event_series_exception` (newest per RECURRENCE-ID wins).
 * Build the entities themselves with `core.entities.build('event_series' | 'event_series_exception' |
 * 'event_series_follow', ...)`.
 */
import type { Instant } from '../index.js';
import type { EntityDraft, EntityLike, Ignored } from './entities.js';

export interface SeriesStateArgs {
  /** The `event_series` entity (raw or parsed), with its `key`. */
  series: EntityLike;
  /** `event_series_exception` entities (other series' are ignored). */
  exceptions?: EntityLike[];
  /** Materialized `virtual_gathering` entities of the series (every version read; the newest of each key counts). */
  gatherings?: EntityLike[];
  /**
   * RSVP sessions to the series' gatherings (others are passed over). When given, planMaterialization retires a
   * duplicate gathering of an occurrence (two materializations at once) that nobody RSVP'd to and never restores it;
   * without them every duplicate follows its occurrence.
   */
  rsvps?: EntityLike[];
}

export interface SeriesOccurrence {
  /** RECURRENCE-ID: the rule's start, ISO 8601 UTC. */
  recurrenceId: string;
  /** Start after any modification, ISO 8601 UTC. */
  startsAt: string;
  endsAt: string;
  /** RECURRENCE-ID as wall time in the series' zone, `YYYY-MM-DDTHH:MM:SS`. */
  local: string;
  tzid: string;
  /** Minutes. */
  duration: number;
  title: string;
  description: string;
  state: 'planned' | 'materialized' | 'modified' | 'cancelled';
  /** Its gathering's key (also when the gathering is retired: its RSVPs name it). */
  gatheringKey?: string;
  /** The gathering's join link; absent while the gathering is cancelled. */
  videoJoinUrl?: string;
  exceptionKey?: string;
}

export interface EntityUpdate {
  /** Pass to `updateEntity({ entityKey, ...draft })`. */
  entityKey: string;
  recurrenceId: string;
  draft: EntityDraft;
}

/** A gathering retired by an update that marks it cancelled (same key: its RSVPs stay and read `cancelled`). */
export interface GatheringRetirement extends EntityUpdate {
  /** 'cancelled': its occurrence is cancelled; 'orphaned': the series no longer produces its RECURRENCE-ID. */
  reason: 'cancelled' | 'orphaned';
}

/** `extendEntity({ entityKey, expiresIn })`: adds ceil(expiresIn / 2) blocks to the entity's current expiry. */
export interface EntityExtension {
  entityKey: string;
  /** Seconds. */
  expiresIn: number;
}

/** What a plan could not do for one occurrence (or, with `recurrenceId: null`, for the series); the rest is planned. */
export interface PlanProblem {
  recurrenceId: string | null;
  code: string;
  field?: string;
  message: string;
}

/**
 * One Arkiv transaction: pass to `mutateEntities(...)`. A plan's transactions together hold each of its
 * creates, updates (cancellations included) and extensions once, each transaction under Arkiv's 128 KB
 * and 1000 operations; write them in order.
 */
export interface PlanTransaction {
  creates?: EntityDraft[];
  updates?: (EntityDraft & { entityKey: string })[];
  extensions?: EntityExtension[];
}

export interface BuildClock {
  now?: Instant;
  spaceId?: string;
}

export interface Series {
  /** Occurrences with RECURRENCE-ID in [after, before] (inclusive), ascending. UNBOUNDED_RECURRENCE without bounds or limit. */
  occurrences(args: SeriesStateArgs & { after?: Instant; before?: Instant; limit?: number }): SeriesOccurrence[] & { readonly ignored: Ignored };
  /**
   * The rolling window: gatherings to create for occurrences not yet ended that start within `horizonDays`
   * (default 28); to update (same room) where an occurrence changed or moved (beyond the horizon too) or a
   * retired gathering's occurrence is live again (restored, new room); to retire (`cancel`: updates marking
   * them cancelled, never deletes) when the occurrence is cancelled or no longer produced; and the series'
   * extension, planned from its `expiresAtBlock` and `currentBlock`. Duplicates of an occurrence's gathering
   * follow it like the gathering itself.
   */
  planMaterialization(
    args: SeriesStateArgs & { horizonDays?: number; currentBlock?: number | bigint },
    options?: BuildClock,
  ): {
    create: EntityDraft[];
    update: EntityUpdate[];
    cancel: GatheringRetirement[];
    extend: EntityExtension[];
    problems: PlanProblem[];
    transactions: PlanTransaction[];
    ignored: Ignored;
  };
  /**
   * `changes` become the template of the occurrences from `from` on (RECURRENCE-ID); earlier ones keep theirs,
   * however often the window is materialized afterwards (the series keeps dated template versions). Updates the
   * materialized gatherings from `from` on that no longer match.
   */
  planPropagation(
    args: SeriesStateArgs & { from: Instant; changes: { title?: string; description?: string; duration?: number } },
    options?: BuildClock,
  ): { series: EntityDraft; update: EntityUpdate[]; problems: PlanProblem[]; transactions: PlanTransaction[]; ignored: Ignored };
  /**
   * Old series ends before `at`, a new one holds the rest with `changes`; without a new `rrule` the two together
   * have exactly the original occurrences. `handoff` lists what `planHandoff` will move once both are written.
   * INVALID_INPUT (field `at`) when nothing lies on one side.
   */
  planSplit(
    args: SeriesStateArgs & { at: Instant; changes?: { title?: string; description?: string; duration?: number; rrule?: string } },
    options?: BuildClock,
  ): {
    oldSeries: EntityDraft;
    newSeries: EntityDraft;
    handoff: { exceptions: { entityKey: string; recurrenceId: string }[]; gatherings: { entityKey: string; recurrenceId: string }[] };
    transactions: PlanTransaction[];
    ignored: Ignored;
  };
  /**
   * After a split is written: updates that move the exceptions and gatherings of `series` whose occurrences belong
   * to `newSeries` (same keys: RSVPs follow their gathering). Idempotent. INVALID_INPUT (field `newSeries`) for
   * another organizer's series.
   */
  planHandoff(
    args: SeriesStateArgs & { newSeries: EntityLike },
    options?: BuildClock,
  ): { update: EntityUpdate[]; problems: PlanProblem[]; transactions: PlanTransaction[]; ignored: Ignored };
  /** The occurrence not cancelled that starts first at or after `now` (moved ones wherever they came from), or null. */
  next(args: SeriesStateArgs & { now?: Instant }): SeriesOccurrence | null;
  /**
   * `next` for every series of a page in one call. `exceptions` and `gatherings` may belong to any of the
   * series (each goes to the series its `seriesKey` names, then is checked against it); ones naming no series
   * of the list are counted in `unmatched`; series that are no evidence are left out and counted in `ignored`.
   * Items follow the order of `series`. INVALID_TYPE (field `series` / `exceptions` / `gatherings`) for a
   * non-array.
   */
  nextMany(args: { series: EntityLike[]; exceptions?: EntityLike[]; gatherings?: EntityLike[]; now?: Instant }): {
    items: { seriesKey: string; next: SeriesOccurrence | null }[];
    ignored: Ignored;
    unmatched: number;
  };
  /** Followers of `seriesKey`: one per wallet, only follows signed by their followerWallet. */
  followers(args: { follows: EntityLike[]; seriesKey: string; viewer?: string }): {
    count: number;
    followers: { key: string; followerWallet: string; notifications: boolean }[];
    viewerFollow: { key: string; followerWallet: string; notifications: boolean } | null;
    ignored: Ignored;
  };
}
