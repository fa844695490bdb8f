// core.meetings: meetings and their participants folded from meeting event records
// (docs/meetings.md, docs/domain.md#meeting-records). The fold is the core's (core/meetings/summary.h).
import { ConveneError } from './errors.js';
import { requireString, toJson, unwrapJson } from './native.js';

const encoder = new TextEncoder();

/**
 * JSON text for the folds' add calls, as UTF-8 bytes: TextEncoder encodes natively, and embind copies bytes
 * without the JS encoding loop it runs over a string (bindings/meetings.cpp).
 */
const utf8 = (text) => encoder.encode(text);

/** A record the JSON transport cannot carry (a cycle, a value too deep): sent as a marker the core skips and counts. */
const UNSERIALIZABLE = '{"$jsType":"unserializable"}';

/** `records` as one JSON array text, each element serialized on its own so that one bad record cannot fail the call. */
function recordsJson(records) {
  if (!Array.isArray(records)) return toJson(records); // the core names the field (INVALID_TYPE, `records`)
  const parts = new Array(records.length);
  for (let i = 0; i < records.length; i++) {
    try {
      parts[i] = toJson(records[i]);
    } catch {
      parts[i] = UNSERIALIZABLE;
    }
  }
  return `[${parts.join(',')}]`;
}

/** @param {any} M the Emscripten module */
export function makeMeetings(M) {
  // A folds object dropped without dispose() frees its WASM memory when it is garbage-collected.
  const finalizer = typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry((native) => { native.delete(); })
    : null;

  function createFolds() {
    let native = new M.MeetingFolds();
    const alive = () => {
      if (!native) throw new ConveneError('DISPOSED', 'this MeetingFolds was disposed', 'folds');
      return native;
    };
    const folds = Object.freeze({
      /**
       * Adds records (any meetings, any order, repeats allowed) and folds again the meetings whose records changed.
       * @param {object[]} records
       * @returns {{ meetings: object[], removed: string[], ignored: { malformed: number, conflicting: number, total: number } }}
       */
      add(records) {
        return unwrapJson(alive().add(utf8(recordsJson(records))));
      },
      /** add() of records given as one JSON array text. @param {string} recordsJson */
      addJson(recordsJson) {
        return unwrapJson(alive().add(utf8(requireString(recordsJson, 'records'))));
      },
      /**
       * addJson() with a log's rule: a record is added only when its eventId is neither held nor taken by an earlier
       * record of the call (nothing held is replaced: what a log keyed by eventId keeps). Checks every entry in the
       * same pass: `entries[i]` is `{ at, added }` or `{ error: { code, field, message } }`.
       * @param {string} recordsJson
       */
      addNewJson(recordsJson) {
        return unwrapJson(alive().addNew(utf8(requireString(recordsJson, 'records'))));
      },
      /** The summary of one meeting from the records held for it (INVALID_INPUT `meetingId` when none are). */
      summary(meetingId) {
        return unwrapJson(alive().summary(requireString(meetingId, 'meetingId')));
      },
      /** Drops the records held for these meetings. @param {string[]} meetingIds @returns {number} records held after */
      forget(meetingIds) {
        return unwrapJson(alive().forget(toJson(meetingIds)));
      },
      /** Distinct records held for one meeting (0 when none). */
      count(meetingId) {
        return alive().count(requireString(meetingId, 'meetingId'));
      },
      /** Distinct records held in all. */
      get size() {
        return alive().size();
      },
      /** Frees the WASM memory; later calls throw DISPOSED. Idempotent. */
      dispose() {
        if (!native) return;
        finalizer?.unregister(folds);
        native.delete();
        native = null;
      },
    });
    finalizer?.register(folds, native, folds);
    return folds;
  }

  return Object.freeze({
    /**
     * Meetings and participants from meeting event records (`core.events.normalize` / the batcher's
     * records, from any number of clients, in any order, with repeats). Entries that are not records
     * are skipped and counted in `ignored`; only a non-array argument throws.
     * @param {object[]} records
     * @returns {{ meetings: object[], ignored: { malformed: number, conflicting: number, total: number } }}
     */
    summarize(records) {
      return unwrapJson(M.meetings_summarize(recordsJson(records)));
    },
    /**
     * summarize() of records given as one JSON array text (`[record, ...]`): for callers that hold the records as
     * text already (a collector reading its log), so that no record object is built or serialized in JS.
     * @param {string} recordsJson
     */
    summarizeJson(recordsJson) {
      return unwrapJson(M.meetings_summarize(requireString(recordsJson, 'records')));
    },
    /**
     * Checks records with the fold's own decoder, one boundary crossing for all: a record is valid exactly when
     * summarize() accepts it. One entry per record, in order: `{ at }` (its instant, ISO 8601 UTC) or
     * `{ error: { code, field, message } }`. Throws only when the text is not a JSON array.
     * @param {string} recordsJson `[record, ...]`
     */
    checkJson(recordsJson) {
      return unwrapJson(M.meetings_check(requireString(recordsJson, 'records')));
    },
    /**
     * A MeetingFolds: meetings' records held in WASM memory, folded again (the same fold as summarize()) only for the
     * meetings an add() changes. For each meeting it holds, its summary equals summarize() of every record added since
     * it was last forgotten. dispose() frees it (also done when it is garbage-collected).
     */
    createFolds,
  });
}
