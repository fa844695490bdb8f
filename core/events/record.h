// convene/core/events/record.h — one normalized meeting event (docs/events.md).
#pragma once

#include <optional>
#include <string>

#include "core/json_input.h"
#include "core/time.h"

namespace convene::events {

/// A meeting event as the collector stores it (the MeetingLog row of docs/sources.md#seed-003):
///   { eventId, type, timestamp, meetingId, participantId?, payload }
/// - eventId: UUIDv7 text (uuid7.h); readers and the collector deduplicate on it.
/// - type: dotted Convene type (jitsi_events.h), e.g. "participant.joined".
/// - timestamp: when the event was observed, UTC; serialized as ISO 8601 with
///   milliseconds and `Z` (`2026-11-21T06:00:00.000Z`).
/// - meetingId: the app's meeting id (session or gathering entity key, room name).
/// - participantId: the Jitsi participant id the event is about, when there is one.
/// - payload: a JSON object, sanitized and size-capped by normalize().
/// `payload` is null when `payload_text` holds it (normalize() writes a catalogue row's kept payload as
/// text only); read the payload through record_payload(), which handles both.
struct EventRecord {
  std::string event_id;
  std::string type;
  UtcTime timestamp{};
  std::string meeting_id;
  std::optional<std::string> participant_id;
  Json payload = Json::object();
  /// Compact JSON of `payload` when normalize() already serialized it (saves a
  /// second dump on the push path); empty means "not computed".
  std::string payload_text;
  /// Transcription chunks only (`transcription.chunk.received`): the payload's
  /// `messageID` when it is a string, else empty. The batcher keeps one chunk per
  /// message: a newer chunk replaces an unsent older one (batcher.h).
  std::string message_id;
  /// Transcription chunks only: the payload's `final` is a non-empty string; once
  /// such a chunk is queued, later chunks of the message are duplicates.
  bool final_text = false;
};

/// The record's payload as a Json object (parsed from `payload_text` when `payload` is null).
Json record_payload(const EventRecord& r);

/// The record as a JSON object with the field names above.
Json to_json(const EventRecord& r);

/// The record as compact JSON text (keys in the order above; uses `payload_text`
/// when set). This is the wire
/// form: batches are these texts joined with ',' inside `{"events":[...]}`.
std::string to_json_text(const EventRecord& r);
/// Same, with the payload already serialized (`payload_text` = compact JSON of r.payload).
std::string to_json_text(const EventRecord& r, std::string_view payload_text);

}  // namespace convene::events
