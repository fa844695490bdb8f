// core.bluesky: Convene's gatherings as ATProto calendar records (community.lexicon.calendar.event) and
// RSVP counts from community.lexicon.calendar.rsvp records (docs/bluesky.md). The records, their keys and
// the counting are the core's (core/bluesky/calendar.h); publishing with @atproto/api is the caller's I/O.
import { entitiesToCore, entityToCore } from './entity-io.js';
import { nowOption, toJson, unwrapJson } from './native.js';

/** @param {any} M the Emscripten module */
export function makeBluesky(M) {
  return Object.freeze({
    /** NSIDs of the records Convene writes and reads. */
    collections: Object.freeze({ event: 'community.lexicon.calendar.event', rsvp: 'community.lexicon.calendar.rsvp' }),
    /**
     * The event record of a gathering (signed by its organizer, as read with metadata) and its
     * deterministic record key: `{ collection, rkey, record }` for `com.atproto.repo.putRecord`.
     * @param {{ gathering: object, pageUrl?: string, createdAt?: string|number|Date }} args createdAt: when
     *   Convene first published it (default now)
     */
    gatheringEvent(args) {
      const a = args && typeof args === 'object' ? { ...args, gathering: entityToCore(args.gathering), createdAt: nowOption(args.createdAt) } : args;
      return unwrapJson(M.bluesky_gatheringEvent(toJson(a)));
    },
    /**
     * A `community.lexicon.calendar.event` record as read from a repo, checked against the lexicon:
     * `{ name, description, createdAt, startsAt, endsAt, mode, status, locations, uris }` (instants ISO 8601 UTC,
     * status 'scheduled' | 'planned' | 'rescheduled' | 'cancelled' | 'postponed'). Throws ConveneError naming the field.
     * @param {object} record
     */
    parseEventRecord(record) {
      return unwrapJson(M.bluesky_parseEventRecord(toJson(record)));
    },
    /**
     * RSVP counts of one event: one per DID, the newest (by its record key's TID) wins; RSVPs to other
     * subjects are not counted; invalid records are counted in `ignored`.
     * @param {{ subject: string, rsvps: { did: string, rkey: string, record: object }[] }} args subject: the event's at-uri
     * @returns {{ going: number, interested: number, notGoing: number, ignored: number }}
     */
    countRsvps(args) {
      return unwrapJson(M.bluesky_countRsvps(toJson(args)));
    },
    /**
     * The record key (a TID) of a series occurrence's event, fixed by (seriesKey, RECURRENCE-ID).
     * @param {{ seriesKey: string, recurrenceId: string|number|Date }} args
     */
    occurrenceRkey(args) {
      const a = args && typeof args === 'object' ? { ...args, recurrenceId: args.recurrenceId instanceof Date ? args.recurrenceId.getTime() : args.recurrenceId } : args;
      return unwrapJson(M.bluesky_occurrenceRkey(toJson(a)));
    },
    /**
     * Series proposed from calendar events imported one by one (docs/bluesky.md#import): grouped by organizer
     * (the repo's DID), name (numbering, case and punctuation set aside) and wall-clock time of day in `tzid`,
     * each group of at least `minEvents` given the simplest rule (recurrence.inferRule), gaps as EXDATEs,
     * events breaking the pattern left out. Nothing becomes a series until a person accepts a proposal.
     * Convene's own publications coming back (see classifyEvents) are not used; they are counted in `echoes`.
     * @param {{ events: { uri: string, did: string, cid?: string, record: object }[], published?: { uri: string, cid: string }[], appUrl?: string, tzid?: string, minEvents?: number }} args
     * @returns {{ proposals: { organizer: string, name: string, ical: string, rrule: string, uris: string[], leftOut: string[], gaps: number, confidence: number }[], echoes: number, ignored: number }}
     *   sorted by confidence (0..1: covered / (covered + gaps + left out)); `ignored`: entries that are not valid event records
     */
    proposeSeries(args) {
      return unwrapJson(M.bluesky_proposeSeries(toJson(args)));
    },
    /**
     * What each imported event is to Convene (docs/bluesky.md#import): 'echo' (a record Convene published,
     * unchanged: its at-uri and CID are in `published`), 'edited' (Convene's record changed by another client),
     * 'linked' (its `uris` link under `appUrl`: published by Convene elsewhere), 'foreign' (import it).
     * @param {{ events: { uri: string, did: string, cid?: string, record: object }[], published?: { uri: string, cid: string }[], appUrl?: string }} args
     * @returns {{ events: { uri: string, provenance: 'echo' | 'edited' | 'linked' | 'foreign' }[], ignored: number }}
     */
    classifyEvents(args) {
      return unwrapJson(M.bluesky_classifyEvents(toJson(args)));
    },
    /**
     * What to publish now for a series (docs/bluesky.md#publishing-state): the record of the occurrence not yet
     * ended (the one running, else the next) when it has none, and an update of every published occurrence whose
     * record would now read differently (moved, cancelled, retitled), with its stored CID as `swapRecord`.
     * @param {{ series: object, exceptions?: object[], gatherings?: object[], publications?: object[], now?: string|number|Date, pageUrl?: string }} args
     *   entities as read with metadata; `publications`: the organizer's bluesky_publication entities of the series
     * @returns {{ actions: { kind: 'create'|'update', recurrenceId: string, startsAt: string, rkey: string, record: object, digest: string, swapRecord: string|null, publicationKey: string|null }[], orphaned: { uri: string, cid: string, recurrenceId: string|null }[], ignored: object }}
     */
    planSeries(args) {
      const a = args && typeof args === 'object' && !Array.isArray(args)
        ? { ...args, series: entityToCore(args.series), exceptions: entitiesToCore(args.exceptions ?? []), gatherings: entitiesToCore(args.gatherings ?? []),
            publications: entitiesToCore(args.publications ?? []), now: nowOption(args.now) }
        : args;
      return unwrapJson(M.bluesky_planSeries(toJson(a)));
    },
  });
}
