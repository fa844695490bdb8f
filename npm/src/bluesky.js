// core.bluesky: Convene's gatherings as ATProto calendar records (community.lexicon.calendar.event) and
// RSVP counts from community.lexicon.calendar.rsvp records (docs/bluesky.md). The records, their keys and
// the counting are the core's (core/bluesky/calendar.h); publishing with @atproto/api is the caller's I/O.
import { entitiesToCore, entityToCore } from './entity-io.js';
import { nowOption, toJson, unwrapJson } from './native.js';

/** @param {any} M the Emscripten module */
export function makeBluesky(M) {
  return Object.freeze({
    /** NSIDs of the records Convene writes and reads. */
    collections: Object.freeze({ event: 'community.lexicon.calendar.event', rsvp: 'community.lexicon.calendar.rsvp', walletLink: 'app.convene.walletLink' }),
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
     * RSVP counts of an event: one per DID, the newest by record key wins, only RSVPs whose subject is the event's
     * at-uri (docs/bluesky.md#rsvps). With `links` (bluesky_account_link entities as read) and `linkRecords` (the
     * walletLink records of the RSVPers' repos), people whose DID is claimed by a wallet (both halves: docs/bluesky.md#claims)
     * carry that wallet, and those also going on Arkiv (`arkivGoing`: the wallets with an RSVP there) are counted in
     * `alsoOnArkiv`, so a page shows each person once.
     * @param {{ subject: string, rsvps: { did: string, rkey: string, record: object }[], links?: object[], linkRecords?: { did: string, rkey: string, record: object }[], arkivGoing?: string[] }} args
     * @returns {{ going: number, interested: number, notGoing: number, alsoOnArkiv: number, people: { did: string, status: 'going'|'interested'|'notgoing', wallet: string|null, alsoOnArkiv: boolean }[], ignored: number, ignoredLinks: object }}
     */
    countRsvps(args) {
      const a = args && typeof args === 'object' && !Array.isArray(args) && args.links ? { ...args, links: entitiesToCore(args.links) } : args;
      return unwrapJson(M.bluesky_countRsvps(toJson(a)));
    },
    /**
     * The repo half of a DID claim (docs/bluesky.md#claims), for `com.atproto.repo.putRecord` in the DID's repo:
     * collection `app.convene.walletLink`, record key = the wallet (lowercase), record `{ $type, wallet, createdAt }`.
     * @param {{ wallet: string, createdAt?: string|number|Date }} args `createdAt` default now.
     * @returns {{ collection: 'app.convene.walletLink', rkey: string, record: { $type: string, wallet: string, createdAt: string } }}
     * @throws ConveneError INVALID_WALLET (`wallet`), INVALID_DATE (`createdAt`)
     */
    walletLinkRecord(args) {
      const a = args && typeof args === 'object' ? { ...args, createdAt: nowOption(args.createdAt) } : args;
      return unwrapJson(M.bluesky_walletLinkRecord(toJson(a)));
    },
    /**
     * DID claims both halves of which exist (docs/bluesky.md#claims): a bluesky_account_link entity signed by the
     * wallet naming the DID, and a walletLink record in the DID's repo under the wallet's key naming the wallet.
     * For each wallet its newest link counts; entities that are no evidence are counted in `ignored`.
     * @param {{ links: object[], linkRecords: { did: string, rkey: string, record: object }[] }} args
     * @returns {{ claims: { wallet: string, did: string }[], ignored: object }}
     */
    claims(args) {
      const a = args && typeof args === 'object' && !Array.isArray(args) ? { ...args, links: entitiesToCore(args.links ?? []) } : args;
      return unwrapJson(M.bluesky_claims(toJson(a)));
    },
    /**
     * What Convene published, from bluesky_publication entities as read: those signed by their organizer
     * (docs/trust.md), the newest per occurrence (seriesKey, recurrenceId) or gathering, sorted by subject.
     * @param {{ publications: object[] }} args
     * @returns {{ publications: { key: string, organizerWallet: string, did: string, uri: string, cid: string, rkey: string, createdAt: string, seriesKey: string|null, recurrenceId: string|null, gatheringKey: string|null }[], ignored: object }}
     */
    publications(args) {
      const a = args && typeof args === 'object' && !Array.isArray(args) ? { ...args, publications: entitiesToCore(args.publications ?? []) } : args;
      return unwrapJson(M.bluesky_publications(toJson(a)));
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
