/** core.gatherings — readers' helpers for virtual gatherings (docs/domain.md#virtual-gatherings). */
import type { Instant } from '../index.js';
import type { EntityLike, Ignored, ParsedGathering, ParsedSession } from './entities.js';

/** Where a gathering stands at `now`: before its start, running, or ended. */
export type GatheringTimeState = 'upcoming' | 'happening' | 'past';

export interface Gatherings {
  /**
   * Parsed gatherings signed by their organizerWallet, with sessionDate >= now, optionally of one community,
   * soonest first. A `seriesKey` claim is kept only when `options.series` holds that series and its organizer
   * signed the gathering (a contradicted claim drops the gathering); without `series` the claim is removed.
   * `skipped` = `ignored.total`.
   */
  upcoming(entities: EntityLike[], options?: { community?: string; now?: Instant; series?: EntityLike[] }): {
    gatherings: ParsedGathering[];
    skipped: number;
    ignored: Ignored;
  };
  /**
   * Gatherings by time: happening (started, not ended: [sessionDate, sessionDate + duration)) first, then upcoming
   * soonest first, then past most recent first, each with `timeState`; `when` keeps one group (default all);
   * at most `limit` (default 50, 1..10000; `more` says the limit cut some). `counts` are before `when` and `limit`.
   * Same evidence and series-claim rules as `upcoming`. @throws ConveneError INVALID_INPUT (`when`, `limit`)
   */
  list(entities: EntityLike[], options?: { when?: GatheringTimeState | 'all'; community?: string; series?: EntityLike[]; limit?: number; now?: Instant }): {
    gatherings: (ParsedGathering & { timeState: GatheringTimeState })[];
    more: boolean;
    counts: Record<GatheringTimeState, number>;
    ignored: Ignored;
  };
  /** Distinct attendee wallets among RSVP sessions of `gatheringKey` signed by their attendee (stored-cancelled ones excluded). */
  rsvpCount(rsvps: EntityLike[], gatheringKey: string): number;
  /**
   * Counts for every gathering at once, and the viewer's own (newest) RSVP per gathering. An occurrence RSVP
   * (`seriesKey` + `recurrenceId`, docs/domain.md#occurrence-rsvps) counts for its occurrence's gathering among
   * `gatherings` (signed by the RSVP's organizer, same RECURRENCE-ID, the RSVP's series or, with `series`
   * holding both, one that continues it after a split); until there is one it is not counted.
   */
  rsvps(args: { rsvps: EntityLike[]; viewer?: string; gatherings?: EntityLike[]; series?: EntityLike[] }): {
    counts: Record<string, number>;
    /** The attendees counted, per gathering (lowercase wallets). */
    attendees: Record<string, string[]>;
    viewerRsvps: Record<string, ParsedSession>;
    /** The viewer's RSVPs to occurrences without a gathering yet, by `"<seriesKey> <recurrenceId>"` (UTC ISO). */
    viewerOccurrenceRsvps: Record<string, ParsedSession>;
    ignored: Ignored;
    /** `gatherings` that are no evidence. */
    ignoredGatherings: Ignored;
  };
}
