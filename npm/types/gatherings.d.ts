/** core.gatherings — readers' helpers for virtual gatherings (seed 000). */
import type { Instant } from '../index.js';
import type { EntityLike, ParsedGathering } from './entities.js';

export interface Gatherings {
  /** Parsed gatherings with sessionDate >= now, optionally of one community, soonest first. */
  upcoming(entities: EntityLike[], options?: { community?: string; now?: Instant }): { gatherings: ParsedGathering[]; skipped: number };
  /** Distinct attendee wallets among RSVP sessions of `gatheringKey` (stored-cancelled ones excluded). */
  rsvpCount(rsvps: EntityLike[], gatheringKey: string): number;
}
