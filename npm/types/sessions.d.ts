/** core.sessions — status computation and the confirmation plan (DESIGN.md §4.3, seeds 001 and 004). */
import type { Instant } from '../index.js';
import type { EntityDraft, EntityLike } from './entities.js';

export type SessionStatusName = 'pending' | 'scheduled' | 'in-progress' | 'completed' | 'cancelled' | 'expired';

export interface SessionStatus {
  status: SessionStatusName;
  /** 'declined' (a participant's rejection) or 'stored' (a stored cancelled/completed status honoured). */
  reason?: 'declined' | 'stored';
  /** The rejecting wallet (lowercase). */
  by?: string;
  mentorConfirmed: boolean;
  learnerConfirmed: boolean;
  isGatheringRsvp: boolean;
  /** sessionDate, ISO 8601 UTC. */
  startsAt: string;
  /** startsAt + duration. */
  endsAt: string;
  /** endsAt + 1 hour: when the entities expire. */
  expiresAt: string;
}

export interface ConfirmationPlan {
  /** The session_confirmation to write; null when this wallet already confirmed (a no-op). */
  confirmation: EntityDraft | null;
  /** The session_jitsi to write; non-null only on the confirmation that completes the pair. */
  jitsi: EntityDraft | null;
  alreadyConfirmed: boolean;
}

export interface Sessions {
  /**
   * Rejection by a participant -> cancelled; stored cancelled/completed honoured; both confirmed (RSVP: the
   * attendee) -> scheduled / in-progress [start, end) / completed; else pending before start, expired after.
   * Other sessions' and non-participants' entities are ignored.
   */
  status(args: { session: EntityLike; confirmations?: EntityLike[]; rejections?: EntityLike[]; now?: Instant }): SessionStatus;
  /** What to write when `by` confirms. Throws NOT_PARTICIPANT, SESSION_ENDED. */
  planConfirmation(
    input: { session: EntityLike; by: string; confirmations?: EntityLike[]; jitsi?: EntityLike[]; baseUrl?: string },
    options?: { now?: Instant; spaceId?: string },
  ): ConfirmationPlan;
}
