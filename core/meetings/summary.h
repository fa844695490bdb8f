// convene/core/meetings/summary.h — meetings and their participants, folded from the event log.
//
// docs/domain.md#meeting-records and docs/meetings.md. Seed 003's Meeting and MeetingParticipant
// tables as a pure function of the records of any number of clients of the same meetings: the
// result depends only on the set of distinct records, never on their order or repetition
// (records are deduplicated by eventId, then read in one total order: timestamp, leaves before
// joins before the rest, eventId).
//
// Rules (each has a case in tests/unit/meetings_summary_test.cpp):
// - Presence: a join (participant.joined, conference.joined) opens an interval unless one is
//   open; a leave (participant.left, conference.left, participant.kicked) closes the open one.
//   Reports of one join or leave by several clients therefore merge; a leave and a join at the
//   same instant continue one interval. A rejoin later is a new interval.
// - A participant whose last interval has no leave is still present — unless it vanished: every
//   other participant present at its last sign of life (its latest record of any type) has left
//   since by a leave record (they would have seen it go). Its interval then ends at that last
//   sign of life. With nobody else around at that moment, nothing can tell a silent participant
//   from a vanished one: the interval stays open.
// - startedAt: the first join; endedAt: the last leave once every interval is closed, else null.
//   A meeting that empties and fills again stays one meeting (endedAt is the end of the last).
// - Durations are counted inside presence intervals only, an open interval up to `asOf` (the
//   meeting's latest record). Speaking: from a dominant-speaker change to the next change to
//   someone else. Screen share: screen.share.started/stopped of the sharer, and the sharer lists
//   of content.sharing.participants.changed. Muted (audio): audio.mute.changed and
//   participant.muted with mediaType "audio". Every such state is off when an interval starts.
// - Display name and role: the latest record that carries one (joins carry a display name).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/json_input.h"
#include "core/meetings/event.h"
#include "core/time.h"

namespace convene::meetings {

/// One stay in the meeting.
struct Interval {
  UtcTime joined_at{};
  std::optional<UtcTime> left_at;  ///< nullopt: still there
};

struct ParticipantSummary {
  std::string id;
  std::optional<std::string> display_name;
  std::optional<std::string> role;
  std::vector<Interval> intervals;  ///< in time order; empty when no join was seen
  UtcTime last_seen_at{};           ///< the participant's latest record
  Millis presence{0}, speaking{0}, screen_share{0}, muted{0};
};

struct MeetingSummary {
  std::string meeting_id;
  std::optional<UtcTime> started_at;  ///< nullopt when no join was seen
  std::optional<UtcTime> ended_at;    ///< nullopt while someone is present (or no join was seen)
  UtcTime as_of{};                    ///< the meeting's latest record: open intervals are counted up to it
  std::vector<ParticipantSummary> participants;  ///< by first join, then id; those never seen joining last
};

/// Records left out of the fold, counted per input entry.
struct Ignored {
  std::size_t malformed = 0;    ///< not a record (decode_event() threw)
  std::size_t conflicting = 0;  ///< another record with the same eventId and different content was kept
  std::size_t total() const { return malformed + conflicting; }
  Json to_json() const;
};

/// At one instant, the order the fold reads kinds in: leaves (0), then joins (1), then the rest (2).
int rank(EventKind k);

/// The order the fold reads records in: meetingId, instant, rank(), eventId.
bool in_log_order(const MeetingEvent& a, const MeetingEvent& b);

/// The fold of one meeting: the rules above over `events`, which must be non-empty, all of one
/// meeting, with distinct eventIds, sorted by in_log_order(). The one definition of the fold:
/// summarize() and MeetingFolds (folds.h) both call it. Throws INTERNAL when `events` is empty.
MeetingSummary fold_meeting(std::span<const MeetingEvent> events);

/// The fold over decoded events (any order, repeats allowed), meetings in meetingId order.
/// Records sharing an eventId with different content: the smallest by content_less() is kept,
/// the others are counted in `ignored.conflicting`.
std::vector<MeetingSummary> summarize(std::vector<MeetingEvent> events, Ignored& ignored);

/// Decodes `records` (a JSON array of records, else Error{INVALID_TYPE, "records"}); entries that
/// are not records (decode_event() throws) are skipped and counted in `ignored.malformed`.
std::vector<MeetingEvent> decode_records(const Json& records, Ignored& ignored);

/// The JSON edge: `records` must be an array (else Error{INVALID_TYPE, "records"}); entries that
/// are not records are skipped and counted. Returns
/// {"meetings": [MeetingSummary as JSON], "ignored": {"malformed", "conflicting", "total"}}, with
/// instants as ISO 8601 UTC text and durations in seconds (milliseconds exact).
Json summarize_json(const Json& records);

Json to_json(const MeetingSummary& m);

}  // namespace convene::meetings
