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
}
