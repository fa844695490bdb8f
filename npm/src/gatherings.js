// core.gatherings: readers' helpers for virtual gatherings (seed 000).
import { entitiesToCore } from './entity-io.js';
import { nowOption, toJson, unwrapJson } from './native.js';

/** @param {any} M the Emscripten module */
export function makeGatherings(M) {
  return Object.freeze({
    /**
     * Upcoming gatherings: parsed, sessionDate >= now, optionally one community, soonest first.
     * @param {object[]} entities virtual_gathering entities (raw or parsed)
     * @param {{ community?: string, now?: string|number|Date }} [options]
     * @returns {{ gatherings: object[], skipped: number }} `skipped` counts entities that failed to parse
     */
    upcoming(entities, options = {}) {
      return unwrapJson(M.gatherings_upcoming(toJson({ entities: entitiesToCore(entities), community: options.community, now: nowOption(options.now) })));
    },
    /** Distinct attendee wallets among RSVP sessions for `gatheringKey` (not raw entity counts). */
    rsvpCount(rsvps, gatheringKey) {
      return unwrapJson(M.gatherings_rsvpCount(toJson({ rsvps: entitiesToCore(rsvps), gatheringKey })));
    },
  });
}
