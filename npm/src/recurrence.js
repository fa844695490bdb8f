// core.recurrence: RFC 5545 recurrence (DTSTART/RRULE/RDATE/EXDATE) expanded in WASM (docs/recurrence.md, docs/domain.md#package-surface).
import { ConveneError } from './errors.js';
import { describe, requireString, toJson, unwrapJson, unwrapVal } from './native.js';

function optionsJson(options, field = 'options') {
  if (options === undefined || options === null) return 'null';
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new ConveneError('INVALID_TYPE', `${field} must be an object, got ${describe(options)}`, field);
  }
  return toJson(options);
}

/** @param {any} M the Emscripten module */
export function makeRecurrence(M) {
  let version = null;
  return Object.freeze({
    /**
     * Instances of a recurrence set in [after, before] (inclusive), ascending.
     * @param {string} ical 'DTSTART;TZID=..:..\nRRULE:..' (+ RDATE/EXDATE lines)
     * @param {{after?: string|number|Date, before?: string|number|Date, limit?: number, includeDtstart?: boolean}} [options]
     * @returns {string[]} 'YYYY-MM-DDTHH:MM:SSZ' (UTC/TZID), 'YYYY-MM-DDTHH:MM:SS' (floating), 'YYYY-MM-DD' (DATE)
     */
    expand(ical, options) {
      return unwrapJson(M.recurrence_expand(requireString(ical, 'ical'), optionsJson(options)));
    },
    /**
     * Same instances as epoch milliseconds, in one Float64Array (floating/DATE values read as UTC).
     * @returns {Float64Array}
     */
    expandEpochMs(ical, options) {
      const view = unwrapVal(M.recurrence_expandEpochMs(requireString(ical, 'ical'), optionsJson(options)));
      return view.slice(); // copy out of WASM memory: the view is reused by the next call
    },
    /** Parses iCalendar recurrence text into plain objects (see types/recurrence.d.ts). */
    parse(ical) {
      return unwrapJson(M.recurrence_parse(requireString(ical, 'ical')));
    },
    /** Canonical iCalendar text of a parsed set; `parse(serialize(x))` deep-equals `x`. */
    serialize(set) {
      return unwrapJson(M.recurrence_serialize(optionsJson(set, 'set')));
    },
    /** IANA tz database release compiled into the module, e.g. '2026f' (loads the database on first use). */
    get tzdataVersion() {
      if (version === null) version = unwrapJson(M.recurrence_tzdataVersion());
      return version;
    },
    /**
     * The set in a person's words: `{ text: 'every Thursday at 19:00 (Europe/Berlin time), 8 times', exact }`;
     * `exact` is false when rule parts without a plain wording were summarized (show the rule too).
     * @param {string} ical
     * @returns {{ text: string, exact: boolean }}
     */
    describe(ical) {
      return unwrapJson(M.recurrence_describe(requireString(ical, 'ical')));
    },
    /**
     * The simplest RRULE reproducing a list of start times, or null.
     * @param {Array<string|number|Date>} startTimes
     * @param {{tzid?: string}} [options] the zone whose wall clock the series follows (default UTC)
     * @returns {{ical: string, rrule: string} | null}
     */
    inferRule(startTimes, options) {
      if (!Array.isArray(startTimes)) {
        throw new ConveneError('INVALID_TYPE', `startTimes must be an array, got ${describe(startTimes)}`, 'startTimes');
      }
      if (options !== undefined && options !== null) optionsJson(options);
      const tzid = options?.tzid;
      if (tzid !== undefined && tzid !== null) requireString(tzid, 'options.tzid');
      const times = startTimes.map((t) => (t instanceof Date ? t.getTime() : t));
      return unwrapJson(M.recurrence_inferRule(toJson({ startTimes: times, tzid: tzid ?? undefined })));
    },
  });
}
