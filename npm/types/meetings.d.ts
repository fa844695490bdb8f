/** core.meetings — meetings and participants folded from meeting event records (docs/meetings.md, docs/domain.md#meeting-records). */
import type { MeetingEvent } from './events.js';

/** One stay in the meeting: from a join to the matching leave. */
export interface PresenceInterval {
  /** ISO 8601 UTC with milliseconds. */
  joinedAt: string;
  /** ISO 8601 UTC; `null` while the participant is still there. A participant that vanished without a
   *  leave (everyone who was there with it has left since) ends at its last record. */
  leftAt: string | null;
}

export interface MeetingParticipantSummary {
  /** The Jitsi participant id (one participant however many clients reported it). */
  id: string;
  /** The latest display name the records carry (joins, display-name changes); `null` when none did. */
  displayName: string | null;
  /** The latest role of `participant.role.changed` (`'moderator'`, ...); `null` when the records never said. */
  role: string | null;
  /** In time order; empty when the participant appears in records but no join was seen. */
  intervals: PresenceInterval[];
  /** The participant's latest record (of any type), ISO 8601 UTC. */
  lastSeenAt: string;
  /** Time inside the intervals (an open one up to the meeting's `asOf`), in seconds, millisecond-exact. */
  presenceSeconds: number;
  /** Time as the dominant speaker (from one dominant-speaker change to the next change to someone else). */
  speakingSeconds: number;
  /** Time sharing the screen (screen.share.started/stopped, content.sharing.participants.changed). */
  screenShareSeconds: number;
  /** Time with the microphone muted (audio.mute.changed, participant.muted with mediaType 'audio'). */
  mutedSeconds: number;
}

export interface MeetingSummary {
  meetingId: string;
  /** The first join seen; `null` when the records hold no join. */
  startedAt: string | null;
  /** The last leave once nobody is left; `null` while someone is present. */
  endedAt: string | null;
  /** The meeting's latest record: open intervals and states are counted up to this instant. */
  asOf: string;
  /** By first join, then id; participants never seen joining come last. */
  participants: MeetingParticipantSummary[];
}

/** Input entries left out of the fold, counted per entry (a repeated bad entry counts each time). */
export interface IgnoredRecords {
  /** Not a record: not an object, a required field missing or of the wrong type, a bad timestamp, too large or too deep. */
  malformed: number;
  /** Another record with the same eventId and different content was kept (the earliest, then the smallest). */
  conflicting: number;
  total: number;
}

/** One entry of `checkJson`: the record's instant, or why the fold would not accept it. */
export type RecordCheck =
  | { /** The record's instant, ISO 8601 UTC with milliseconds (the `asOf` of a meeting of that record alone). */ at: string; error?: undefined }
  | { at?: undefined; /** As a thrown ConveneError would carry it; `field` starts `records[<index>]`. */ error: { code: string; field: string; message: string } };

/** What `MeetingFolds.add` changed. */
export interface FoldsChange {
  /** The summary of every meeting whose set of records changed, in meetingId order (as summarize() gives them). */
  meetings: MeetingSummary[];
  /** Meetings left with no record (theirs lost an eventId conflict to a record of another meeting): summarize() would not list them. */
  removed: string[];
  /** Entries of this call left out: not records; or records (of this call, or held) dropped for another with the same eventId. */
  ignored: IgnoredRecords;
}

/**
 * Meetings' records held in WASM memory (decoded, in the fold's order) and folded again only for the meetings an
 * `add` changes, with the same fold as `summarize` (core/meetings/folds.h). For every meeting it holds:
 * `summary(id)` deep-equals the meeting `id` of `summarize(every record added since it was last forgotten)`,
 * whatever the order and repetition of the additions. Memory grows with the records held: `forget` meetings
 * that are over, `dispose()` when done (an undisposed object is freed when garbage-collected).
 * Every method throws ConveneError `DISPOSED` (field `folds`) after `dispose()`.
 */
export interface MeetingFolds {
  /** Adds records (any meetings, any order, repeats allowed); entries that are not records are skipped and counted.
   *  @throws ConveneError `INVALID_TYPE` (field `records`) when `records` is not an array */
  add(records: ReadonlyArray<MeetingEvent | unknown>): FoldsChange;
  /** add() of records as one JSON array text (`INVALID_INPUT` when not JSON, `INVALID_TYPE` when not an array). */
  addJson(recordsJson: string): FoldsChange;
  /**
   * addJson() with a log's rule instead of summarize()'s: a record is added only when its eventId is neither held nor
   * taken by an earlier record of this call, so nothing held is ever replaced — what a log keyed by eventId
   * (`INSERT ... ON CONFLICT DO NOTHING`) keeps. Checks every entry in the same pass (as `checkJson`):
   * `entries[i]` is `{ at, added }` (added: false when the eventId was held or taken) or `{ error }`.
   * A collector adds a batch with it before storing, and forgets the meetings if the store does not commit.
   * @throws ConveneError `INVALID_INPUT` (field `records`) when not JSON, `INVALID_TYPE` when not an array
   */
  addNewJson(recordsJson: string): FoldsChange & { entries: Array<{ at: string; added: boolean; error?: undefined } | { at?: undefined; added?: undefined; error: { code: string; field: string; message: string } }> };
  /** The summary of one held meeting. @throws ConveneError `INVALID_INPUT` (field `meetingId`) when it holds no records */
  summary(meetingId: string): MeetingSummary;
  /** Drops the records held for these meetings (unknown ids are ignored); returns the records still held.
   *  @throws ConveneError `INVALID_TYPE` (field `meetingIds`) unless an array of strings */
  forget(meetingIds: readonly string[]): number;
  /** Distinct records held for one meeting; 0 when none. */
  count(meetingId: string): number;
  /** Distinct records held in all. */
  readonly size: number;
  /** Frees the WASM memory. Idempotent. */
  dispose(): void;
}

export interface Meetings {
  /**
   * Meetings (in meetingId order) and their participants from meeting event records — as `core.events.normalize`
   * and the batcher produce them, from any number of clients of the same meetings, in any order, with repeats.
   * The result depends only on the set of distinct records. Entries that are not records are skipped and
   * counted; it never throws for them.
   * @throws ConveneError `INVALID_TYPE` (field `records`) when `records` is not an array
   */
  summarize(records: ReadonlyArray<MeetingEvent | unknown>): { meetings: MeetingSummary[]; ignored: IgnoredRecords };
  /** summarize() of records given as one JSON array text (`[record, ...]`, e.g. rows a database returns as text):
   *  no record objects are built or serialized in JavaScript. Text that is not JSON: ConveneError `INVALID_INPUT`,
   *  field `records`; not an array: `INVALID_TYPE`. Same result as summarize(JSON.parse(text)). */
  summarizeJson(recordsJson: string): { meetings: MeetingSummary[]; ignored: IgnoredRecords };
  /**
   * Checks records (one JSON array text) with the fold's own decoder in one call: entry i is `{ at }` when
   * `summarize` accepts record i, else `{ error }`. For a service checking a batch before storing it.
   * @throws ConveneError `INVALID_INPUT` (field `records`) when the text is not JSON, `INVALID_TYPE` when not an array
   */
  checkJson(recordsJson: string): RecordCheck[];
  /** A new, empty MeetingFolds (the incremental form of `summarize`). */
  createFolds(): MeetingFolds;
}
