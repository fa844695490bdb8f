// core.sessions: a session's status and what to write on confirmation (docs/domain.md#session-status).
import { draftFromCore, entitiesToCore, entityToCore, optionsJson } from './entity-io.js';
import { nowOption, toJson, unwrapJson } from './native.js';

/** The companion lists of a session reader, made JSON-safe. */
const evidence = (a) => ({
  confirmations: entitiesToCore(a.confirmations),
  rejections: entitiesToCore(a.rejections),
  jitsi: entitiesToCore(a.jitsi),
  payments: entitiesToCore(a.payments),
});

/** @param {any} M the Emscripten module */
export function makeSessions(M) {
  return Object.freeze({
    /**
     * The session's status computed from the session, its confirmations and rejections, and the clock.
     * For a gathering RSVP pass `gathering` (its virtual_gathering as read now, signed by its
     * organizer): its time and its cancellation decide. Entities may be raw (as the SDK returns them) or parsed.
     * @returns {{ status: 'pending'|'scheduled'|'in-progress'|'completed'|'cancelled'|'expired', mentorConfirmed: boolean,
     *   learnerConfirmed: boolean, isGatheringRsvp: boolean, startsAt: string, endsAt: string, expiresAt: string, reason?: string, by?: string }}
     */
    status(args) {
      const a = args;
      const payload = a && typeof a === 'object'
        ? {
            ...evidence(a),
            session: entityToCore(a.session),
            gathering: entityToCore(a.gathering),
            ...(a.series !== undefined ? { series: entitiesToCore(a.series) } : {}),
            now: nowOption(a.now),
          }
        : a;
      return unwrapJson(M.sessions_status(toJson(payload)));
    },
    /**
     * What the attendee extends so their RSVP and own confirmation outlive their gathering when it moved
     * later (Arkiv `extensions` in mutateEntities, by their owner): `{session: the RSVP, gathering: as read
     * now, confirmations?, currentBlock, now?}`, entities read with `expiresAtBlock`.
     * @returns {{ extend: { entityKey: string, expiresIn: number }[], unknown: number, ignored: Ignored }}
     */
    planRsvpExtension(args) {
      const a = args;
      const payload =
        a && typeof a === 'object'
          ? {
              ...a,
              session: entityToCore(a.session),
              gathering: entityToCore(a.gathering),
              confirmations: entitiesToCore(a.confirmations),
              currentBlock: typeof a.currentBlock === 'bigint' ? Number(a.currentBlock) : a.currentBlock,
              now: nowOption(a.now),
            }
          : a;
      return unwrapJson(M.sessions_planRsvpExtension(toJson(payload)));
    },
    /**
     * Statuses of a page of sessions in one call: the companions of all of them are decoded once and
     * matched by `sessionKey`. Sessions that are no evidence are left out and counted.
     * @returns {{ sessions: { session: object, status: object }[], ignored: Ignored }}
     */
    statuses(args) {
      const a = args;
      const payload = a && typeof a === 'object'
        ? { ...evidence(a), sessions: entitiesToCore(a.sessions), now: nowOption(a.now) }
        : a;
      return unwrapJson(M.sessions_statuses(toJson(payload)));
    },
    /**
     * What to write when `by` confirms: `{ confirmation, jitsi, alreadyConfirmed }`, each draft ready for
     * createEntity or null. `jitsi` is non-null only when this confirmation completes the pair
     * and `input.jitsi` (existing session_jitsi entities) is empty.
     * @param {{ session: object, by: string, confirmations?: object[], jitsi?: object[], baseUrl?: string }} input
     * @param {{ now?: string|number|Date, spaceId?: string }} [options]
     */
    planConfirmation(input, options = {}) {
      const i = input && typeof input === 'object' ? { ...input, ...evidence(input), session: entityToCore(input.session) } : input;
      const plan = unwrapJson(M.sessions_planConfirmation(toJson(i), optionsJson(options)));
      return {
        confirmation: plan.confirmation && draftFromCore(plan.confirmation),
        jitsi: plan.jitsi && draftFromCore(plan.jitsi),
        alreadyConfirmed: plan.alreadyConfirmed,
      };
    },
  });
}
