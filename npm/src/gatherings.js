// core.gatherings: readers' helpers for virtual gatherings (docs/domain.md#virtual-gatherings).
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
      return unwrapJson(M.gatherings_upcoming(toJson({
        entities: entitiesToCore(entities), series: entitiesToCore(options.series), community: options.community, now: nowOption(options.now),
      })));
    },
    /**
     * Gatherings by time: happening now (started, not ended), upcoming (soonest first), past (most recent
     * first), each with `timeState`; `when` keeps one group. Same evidence rules as `upcoming`.
     * @param {object[]} entities virtual_gathering entities as read (withMetadata)
     * @param {{ when?: 'upcoming'|'happening'|'past'|'all', community?: string, series?: object[], limit?: number, now?: string|number|Date }} [options]
     * @returns {{ gatherings: object[], more: boolean, counts: {upcoming: number, happening: number, past: number}, ignored: object }}
     */
    list(entities, options = {}) {
      return unwrapJson(M.gatherings_list(toJson({
        entities: entitiesToCore(entities), series: entitiesToCore(options.series), community: options.community,
        when: options.when, limit: options.limit, now: nowOption(options.now),
      })));
    },
    /**
     * Distinct attendee wallets among RSVP sessions for `gatheringKey` (not raw entity counts); only
     * RSVPs signed by their attendee count.
     */
    rsvpCount(rsvps, gatheringKey) {
      return unwrapJson(M.gatherings_rsvpCount(toJson({ rsvps: entitiesToCore(rsvps), gatheringKey })));
    },
    /**
     * RSVP counts for every gathering in `rsvps`, and the viewer's own RSVP per gathering, in one call.
     * Occurrence RSVPs (`seriesKey` + `recurrenceId`, docs/domain.md#occurrence-rsvps) count for their
     * occurrence's gathering among `gatherings` (through a split when `series` holds both series);
     * until there is one, the viewer's own is in `viewerOccurrenceRsvps["<seriesKey> <recurrenceId>"]`.
     * @param {{ rsvps: object[], viewer?: string, gatherings?: object[], series?: object[] }} args
     * @returns {{ counts: Record<string, number>, viewerRsvps: Record<string, object>, viewerOccurrenceRsvps: Record<string, object>, ignored: Ignored, ignoredGatherings: Ignored }}
     */
    rsvps(args) {
      const a =
        args && typeof args === 'object'
          ? {
              rsvps: entitiesToCore(args.rsvps),
              viewer: args.viewer,
              ...(args.gatherings !== undefined ? { gatherings: entitiesToCore(args.gatherings) } : {}),
              ...(args.series !== undefined ? { series: entitiesToCore(args.series) } : {}),
            }
          : args;
      return unwrapJson(M.gatherings_rsvpSummary(toJson(a)));
    },
  });
}
