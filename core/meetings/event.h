// convene/core/meetings/event.h — meeting event records as the fold reads them.
//
// The fold (summary.h) takes the records `core.events.normalize` and the batcher produce
// ({eventId, type, timestamp, meetingId, participantId?, payload}; docs/events.md#record),
// decoded once here into typed values: the event's kind as an enum, its instant as UtcTime,
// and the few payload fields the fold uses. Which record types carry what is read from the
// catalogue (core/events/jitsi_events.cpp) and docs/meetings.md#what-the-fold-reads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/json_input.h"
#include "core/time.h"

namespace convene::meetings {

/// What a record means for the fold. Everything else is kOther: a sign of life of its participant.
enum class EventKind : std::uint8_t {
  kJoined,          ///< participant.joined (another client saw them join), conference.joined (their own client joined)
  kLeft,            ///< participant.left, conference.left (their own client left), participant.kicked
  kDisplayName,     ///< participant.display.name.changed (joins carry a display name too)
  kRole,            ///< participant.role.changed: `role` (moderator, participant, ...)
  kDominantSpeaker, ///< dominant.speaker.changed: this participant speaks from now on, the previous one stops
  kScreenShareOn,   ///< screen.share.started (the sharer's own client)
  kScreenShareOff,  ///< screen.share.stopped
  kSharingSet,      ///< content.sharing.participants.changed: exactly `sharing` share content from now on
  kAudioMute,       ///< audio.mute.changed {muted} (own client), participant.muted {isMuted, mediaType: "audio"}
  kOther,           ///< any other type, and the above when their payload lacks the field they need
};

/// One record, decoded. Two records with one eventId are the same event only when every field
/// here is equal (`payload_text` is the whole payload, canonical JSON).
struct MeetingEvent {
  std::string event_id;
  std::string type;
  EventKind kind = EventKind::kOther;
  UtcTime at{};
  std::string meeting_id;
  std::optional<std::string> participant_id;  ///< absent (or "") when the record names nobody
  std::optional<std::string> display_name;    ///< kJoined, kDisplayName: the payload's non-empty `displayName`
  std::optional<std::string> role;            ///< kRole: the payload's non-empty `role`
  bool on = false;                            ///< kAudioMute: muted
  std::vector<std::string> sharing;           ///< kSharingSet: the participant ids sharing
  std::string payload_text;                   ///< the payload as compact JSON (keys sorted)

  /// A total order on content (instant, type, meeting, participant, payload), for picking one of
  /// two different records that claim the same eventId whatever the input order.
  bool content_less(const MeetingEvent& o) const;
  bool same_content(const MeetingEvent& o) const;
};

/// Limits of a record the fold accepts (records from normalize() are far inside them).
inline constexpr std::size_t kMaxEventIdBytes = 256;
inline constexpr std::size_t kMaxTypeBytes = 256;
inline constexpr int kMaxPayloadNesting = 32;

/// Decodes one record. Throws Error naming `field` or `field.<key>` when it is not a record:
/// not an object; eventId, type or meetingId missing, empty or not a string; timestamp not an
/// ISO 8601 string with offset (INVALID_DATE); participantId neither absent, null nor a string;
/// payload neither absent, null nor an object, or nested deeper than kMaxPayloadNesting;
/// ids longer than the limits above (events/normalize.h kMaxIdBytes for meetingId and participantId).
MeetingEvent decode_event(const Json& record, const std::string& field);

/// The kind of a record of `type` with `payload` (an object), and the fields it carries, set on `e`.
void classify(MeetingEvent& e, const Json& payload);

}  // namespace convene::meetings
