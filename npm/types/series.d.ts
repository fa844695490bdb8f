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
  /** Materialized `virtual_gathering` entities of the series. */
  gatherings?: EntityLike[];
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
  gatheringKey?: string;
  videoJoinUrl?: string;
  exceptionKey?: string;
}

export interface EntityUpdate {
  /** Pass to `updateEntity({ entityKey, ...draft })`. */
  entityKey: string;
  recurrenceId: string;
  draft: EntityDraft;
}

export interface BuildClock {
  now?: Instant;
  spaceId?: string;
}

export interface Series {
  /** Occurrences with RECURRENCE-ID in [after, before] (inclusive), ascending. UNBOUNDED_RECURRENCE without bounds or limit. */
  occurrences(args: SeriesStateArgs & { after?: Instant; before?: Instant; limit?: number }): SeriesOccurrence[] & { readonly ignored: Ignored };
  /** Gatherings to create, update (same Jitsi room) or cancel for occurrences not yet ended that start within `horizonDays` (default 28). */
  planMaterialization(
    args: SeriesStateArgs & { horizonDays?: number },
    options?: BuildClock,
  ): { create: EntityDraft[]; update: EntityUpdate[]; cancel: { entityKey: string; recurrenceId: string }[]; ignored: Ignored };
  /** Applies template `changes`; updates materialized, unmodified occurrences from `from` on. */
  planPropagation(
    args: SeriesStateArgs & { from: Instant; changes: { title?: string; description?: string; duration?: number } },
    options?: BuildClock,
  ): { series: EntityDraft; update: EntityUpdate[]; ignored: Ignored };
  /** Old series ends before `at` (UNTIL or COUNT); a new one starts at the next occurrence with `changes`. INVALID_INPUT (field `at`) when nothing lies on one side. */
  planSplit(
    args: SeriesStateArgs & { at: Instant; changes?: { title?: string; description?: string; duration?: number; rrule?: string } },
    options?: BuildClock,
  ): { oldSeries: EntityDraft; newSeries: EntityDraft };
  /** The first occurrence not cancelled that starts at or after `now`, or null. */
  next(args: SeriesStateArgs & { now?: Instant }): SeriesOccurrence | null;
  /** Followers of `seriesKey`: one per wallet, only follows signed by their followerWallet. */
  followers(args: { follows: EntityLike[]; seriesKey: string; viewer?: string }): {
    count: number;
    followers: { key: string; followerWallet: string; notifications: boolean }[];
    viewerFollow: { key: string; followerWallet: string; notifications: boolean } | null;
    ignored: Ignored;
  };
}
