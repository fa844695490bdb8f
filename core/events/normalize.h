// convene/core/events/normalize.h — Jitsi IFrame API event -> EventRecord (docs/events.md).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/events/jitsi_events.h"
#include "core/events/record.h"
#include "core/events/uuid7.h"

namespace convene::events {

/// Size caps that keep every record small and JSON-safe (a batch of records
/// must fit a 64 KB beacon; batcher.h).
inline constexpr std::size_t kMaxStringBytes = 512;     ///< any string value (UTF-8 bytes, cut on a code point)
inline constexpr std::size_t kMaxTextBytes = 4096;      ///< chat and transcript text: message, final, stable, unstable, description
inline constexpr std::size_t kMaxItems = 32;            ///< members of one object / items of one array
inline constexpr std::size_t kMaxDepth = 4;             ///< nesting below the payload object
inline constexpr std::size_t kMaxPayloadBytes = 8192;   ///< serialized payload; beyond it only scalars are kept
inline constexpr std::size_t kMaxIdBytes = 256;         ///< meetingId / participantId
inline constexpr std::size_t kMaxEventNameBytes = 64;   ///< an event name outside the catalogue

/// Who and where an event belongs to (`ctx` in docs/domain.md#package-surface).
struct EventContext {
  std::string meeting_id;                     ///< required, non-empty, <= kMaxIdBytes
  std::optional<std::string> participant_id;  ///< the local participant; used when the event names none
};

/// Normalizes one IFrame API event.
/// @param name    a Jitsi event name (`participantJoined`) or a Convene type (`participant.joined`);
///                any other valid name is captured with the generic mapping (generic_event_type())
/// @param payload what the IFrame API listener received (any JSON; non-objects count as `{}`)
/// @param ctx     meeting and local participant
/// @param now     the observation time, UTC (becomes `timestamp` and the UUIDv7 time)
/// Payload rules: only the catalogue's fields are kept (jitsi_events.h); strings
/// are cut to kMaxStringBytes (kMaxTextBytes for text fields) on a UTF-8 boundary;
/// objects/arrays keep kMaxItems entries and kMaxDepth levels; values the JS layer
/// marked as unserializable (`{"$jsType": ...}`: BigInt, functions) are dropped;
/// if the result still exceeds kMaxPayloadBytes only its scalar members are kept
/// and `"truncated": true` is added. The participant id comes from the payload
/// path in the catalogue when it holds a string, else from `ctx.participantId`.
/// A name outside the catalogue gets the generic mapping: type generic_event_type(name), the
/// whole payload kept (sanitized and capped as above, as for the catalogue's `*` rows), the
/// participant from `ctx.participantId`.
/// Throws Error{INVALID_EVENT_NAME, field "name"} for a name outside the catalogue that
/// generic_event_type() refuses, MISSING_FIELD / INVALID_INPUT for a missing or over-long `ctx.meetingId`.
EventRecord normalize(std::string_view name, const Json& payload, const EventContext& ctx, UtcTime now,
                      UuidV7Generator& ids, Random& random);

/// normalize() for a payload given as JSON text (what the package's JS layer sends:
/// JSON.stringify of the listener's argument; empty text means no payload): the text is
/// parsed, then normalize() decides — there is one definition of a record. Throws what
/// normalize() throws, and Error{INVALID_INPUT, field "payload"} for text that is not JSON
/// (checked first).
EventRecord normalize_text(std::string_view name, std::string_view payload_json, const EventContext& ctx,
                           UtcTime now, UuidV7Generator& ids, Random& random);

/// The payload sanitizer on its own: `value` capped as described above
/// (strings at `max_string` bytes). Exposed for tests and the fuzz target.
Json sanitize(const Json& value, std::size_t max_string = kMaxStringBytes, std::size_t depth = 0);

/// `s` cut to at most `max_bytes` bytes without splitting a UTF-8 sequence (a view into `s`).
std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes);

/// utf8_prefix() as an owned string.
std::string truncate_utf8(std::string_view s, std::size_t max_bytes);

/// The record type of an event name outside the catalogue (docs/events.md#new-event-names):
/// `x.` followed by the name's words, lowercased and joined by dots. Words are split at `.`, `_`
/// and `-`, before an upper-case letter that follows a lower-case letter or a digit, and before
/// the last capital of a run followed by a lower-case letter: `someFutureEvent` ->
/// `x.some.future.event`, `HTTPRequestSent` -> `x.http.request.sent`, `my_app-event.v2` ->
/// `x.my.app.event.v2`. A name that already starts with `x.` keeps it (no second prefix), so a
/// derived type maps to itself. No catalogue type starts with `x.`, so none can be produced.
/// Valid names: 1 to kMaxEventNameBytes ASCII letters, digits, `.`, `_`, `-`, starting with a
/// letter, with no empty word (no separator first, last or next to another). Otherwise throws
/// Error{INVALID_EVENT_NAME, field}.
std::string generic_event_type(std::string_view name, const std::string& field);

/// Checks a context's ids; throws MISSING_FIELD / INVALID_INPUT naming `ctx.meetingId`
/// or `ctx.participantId`.
void validate_context(const EventContext& ctx);

}  // namespace convene::events
