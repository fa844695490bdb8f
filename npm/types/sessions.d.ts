/** core.sessions — status computation and the confirmation plan (docs/domain.md#session-status, docs/domain.md#session_jitsi). */
import type { Instant } from '../index.js';
import type { EntityDraft, EntityLike, Ignored, ParsedSession } from './entities.js';

export type SessionStatusName = 'pending' | 'scheduled' | 'in-progress' | 'completed' | 'cancelled' | 'expired';

export interface SessionStatus {
  status: SessionStatusName;
  /**
   * 'declined' (a participant's rejection), 'gathering-cancelled' (an RSVP whose gathering, as passed
   * in `gathering`, is cancelled) or 'stored' (a stored cancelled/completed status honoured).
   */
  reason?: 'declined' | 'gathering-cancelled' | 'stored';
  /** The rejecting wallet (lowercase). */
  by?: string;
  mentorConfirmed: boolean;
  learnerConfirmed: boolean;
  isGatheringRsvp: boolean;
  /** sessionDate, ISO 8601 UTC; for an RSVP read with its `gathering`, the gathering's. */
  startsAt: string;
  /** startsAt + duration (the gathering's, likewise). */
  endsAt: string;
  /** The session's own sessionDate + duration + 1 hour: when its entities expire. */
  expiresAt: string;
  /** The join URL of the newest session_jitsi signed by a participant, if one was given. */
  videoJoinUrl?: string;
  /** Its room name. */
  videoRoomName?: string;
  /** The newest payment submission signed by the learner, and whether the mentor validated it (null: not yet). */
  payment?: { txHash: string; validated: boolean | null };
  /** Companion entities left out (signed by the wrong wallet, conflicting, malformed). */
  ignored: Ignored;
}

/** A session's companions, as read (each list optional; other sessions' entities are passed over). */
export interface SessionEvidenceArgs {
  confirmations?: EntityLike[];
  rejections?: EntityLike[];
  /** session_jitsi entities */
  jitsi?: EntityLike[];
  /** session_payment_submission and session_payment_validation entities */
  payments?: EntityLike[];
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
   * Only evidence counts (docs/trust.md): the session signed by its mentor or learner (RSVP: the attendee),
   * confirmations/rejections signed by the participant they name. Versions are ordered by chain position.
   * @throws ConveneError UNVERIFIED_ENTITY / CONFLICTING_FIELDS / MALFORMED_ENTITY (field `session`) when the
   *   session itself is no evidence; list entities that are no evidence are counted in `ignored`, never thrown.
   */
  status(args: SessionEvidenceArgs & {
    session: EntityLike;
    /**
     * For a gathering RSVP: its virtual_gathering as read now (signed by its organizer; INVALID_INPUT
     * when it is not the gathering the RSVP names or, for an occurrence RSVP, its occurrence's gathering). Its time replaces the one the RSVP copied; a
     * cancelled gathering makes the RSVP `cancelled` (reason 'gathering-cancelled').
     */
    gathering?: EntityLike;
    /**
     * For an occurrence RSVP (seriesKey + recurrenceId): the series its occurrence's gathering may belong to
     * after a split (the old and the new series; linked by the new one's `splitFrom`, same organizer).
     */
    series?: EntityLike[];
    now?: Instant;
  }): SessionStatus;
  /**
   * What an attendee extends so their RSVP and own confirmation outlive their gathering when it moved later
   * (docs/domain.md#gathering-rsvps): for each whose expiry (from `expiresAtBlock` and `currentBlock` observed at
   * `now`, 2 s blocks) is before the gathering's end + 1 h, `expiresIn` seconds more. Entities must be read with
   * metadata (`expiresAtBlock`); ones without are counted in `unknown`. Write `extend` as `extensions` of
   * mutateEntities, signed by the attendee. @throws ConveneError UNVERIFIED_ENTITY etc. (`session`, `gathering`),
   * INVALID_INPUT (`gathering` not the RSVP's, `session` not an RSVP), MISSING_FIELD (`gathering`, `currentBlock`)
   */
  planRsvpExtension(args: {
    session: EntityLike;
    gathering: EntityLike;
    confirmations?: EntityLike[];
    currentBlock: number | bigint;
    now?: Instant;
  }): { extend: { entityKey: string; expiresIn: number }[]; unknown: number; ignored: Ignored };
  /** A page of sessions in one call; sessions that are no evidence are left out and counted. */
  statuses(args: SessionEvidenceArgs & { sessions: EntityLike[]; now?: Instant }): {
    sessions: { session: ParsedSession; status: SessionStatus }[];
    ignored: Ignored;
  };
  /** What to write when `by` confirms (the same confirmation rule as `status`). Throws NOT_PARTICIPANT, SESSION_ENDED, UNVERIFIED_ENTITY. */
  planConfirmation(
    input: { session: EntityLike; by: string; confirmations?: EntityLike[]; jitsi?: EntityLike[]; baseUrl?: string },
    options?: { now?: Instant; spaceId?: string },
  ): ConfirmationPlan;
}
