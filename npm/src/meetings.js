// core.meetings: meetings and their participants folded from meeting event records
// (docs/meetings.md, docs/domain.md#meeting-records). The fold is the core's (core/meetings/summary.h).
import { requireString, toJson, unwrapJson } from './native.js';

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
  });
}
