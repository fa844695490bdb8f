/**
 * core.recurrence — RFC 5545 recurrence sets (DTSTART, RRULE, RDATE, EXDATE; RFC 7529 RSCALE/SKIP)
 * expanded inside WASM with the IANA tz database compiled in (docs/recurrence.md).
 */

/** An instant: ISO 8601 string with offset, epoch milliseconds, or a Date. */
export type RecurrenceInstant = string | number | Date;

export interface ExpandOptions {
  /** Inclusive lower bound (an instant; floating/DATE sets compare their wall time read as UTC). */
  after?: RecurrenceInstant;
  /** Inclusive upper bound. */
  before?: RecurrenceInstant;
  /** At most this many instances (integer >= 0). */
  limit?: number;
  /**
   * Default false: DTSTART is an instance only when the rule produces it (libical, dateutil, rrule.js).
   * true: DTSTART is always the first instance and counts toward COUNT (RFC 5545 §3.3.10, ical.js, Google).
   */
  includeDtstart?: boolean;
}

/** A DATE / DATE-TIME value in RFC 5545 text form. */
export interface RecurrenceValue {
  kind: 'date' | 'floating' | 'utc' | 'zoned';
  /** `20240105`, `20240105T180000`, or `20240105T180000Z` */
  value: string;
  /** IANA zone, only for kind 'zoned' */
  tzid?: string;
}

/** An RRULE with RFC 5545 part names in lower case. Absent parts are omitted. */
export interface RecurrenceRule {
  freq: 'YEARLY' | 'MONTHLY' | 'WEEKLY' | 'DAILY' | 'HOURLY' | 'MINUTELY' | 'SECONDLY';
  interval: number;
  count?: number;
  until?: RecurrenceValue;
  bysecond?: number[];
  byminute?: number[];
  byhour?: number[];
  /** `['MO', '-1FR', '2TU']` */
  byday?: string[];
  bymonthday?: number[];
  byyearday?: number[];
  byweekno?: number[];
  bymonth?: number[];
  bysetpos?: number[];
  wkst?: 'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA' | 'SU';
  rscale?: 'GREGORIAN';
  skip?: 'OMIT' | 'BACKWARD' | 'FORWARD';
}

export interface RecurrenceSet {
  dtstart: RecurrenceValue;
  rrule?: RecurrenceRule;
  rdate: RecurrenceValue[];
  exdate: RecurrenceValue[];
}

export interface Recurrence {
  /**
   * Instances in [after, before], ascending. `ical`: `'DTSTART;TZID=Europe/Berlin:20240105T180000\nRRULE:FREQ=WEEKLY'`
   * plus any RDATE/EXDATE lines. Output: `'YYYY-MM-DDTHH:MM:SSZ'` for a UTC or TZID DTSTART,
   * `'YYYY-MM-DDTHH:MM:SS'` for a floating one, `'YYYY-MM-DD'` for a DATE one.
   * @throws ConveneError `INVALID_RRULE` (field `RRULE.<PART>`, `DTSTART`, `RDATE`, `EXDATE`),
   *   `UNBOUNDED_RECURRENCE` (no COUNT/UNTIL and no `before`/`limit`, or over 1,000,000 instances),
   *   `UNKNOWN_TIME_ZONE`, `RECURRENCE_TOO_SPARSE`, `INVALID_TYPE`, `INVALID_DATE`, `INVALID_INPUT` (options.limit)
   */
  expand(ical: string, options?: ExpandOptions): string[];
  /** The same instances as epoch milliseconds in one Float64Array (floating/DATE: wall time read as UTC). */
  expandEpochMs(ical: string, options?: ExpandOptions): Float64Array;
  /** Parses recurrence text. @throws ConveneError `INVALID_RRULE` naming the part */
  parse(ical: string): RecurrenceSet;
  /** Canonical text of a set; `parse(serialize(s))` deep-equals `s`. */
  serialize(set: RecurrenceSet): string;
  /** IANA tz database release compiled into the module, e.g. `'2026f'`. */
  readonly tzdataVersion: string;
  /**
   * The simplest rule (DAILY, WEEKLY with BYDAY, MONTHLY by day or n-th weekday, YEARLY) that reproduces
   * `startTimes` in the wall clock of `tzid` (default UTC); missing instances become EXDATEs. null if none fits.
   */
  inferRule(startTimes: RecurrenceInstant[], options?: { tzid?: string }): { ical: string; rrule: string } | null;
  /**
   * The set in a person's words (English): "every Thursday at 19:00 (Europe/Berlin time), 8 times". UNTIL is shown
   * as a date in the set's zone; EXDATE/RDATE are counted. `exact` is false when parts (BYWEEKNO, BYYEARDAY, ...)
   * were summarized. @throws ConveneError INVALID_RRULE (field names the line) for text `parse` refuses.
   */
  describe(ical: string): { text: string; exact: boolean };
}
