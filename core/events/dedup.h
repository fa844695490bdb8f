// convene/core/events/dedup.h — dropping events the IFrame API reports twice (docs/events.md).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/events/record.h"

namespace convene::events {

/// Recognizes two kinds of duplicates:
/// 1. The same event pushed twice in a row: a record is a duplicate when the immediately
///    preceding record of the same meeting and participant (none counts as one participant)
///    has the same type and an equal payload, compared in full, and was pushed within `window`
///    (an app that subscribes twice, a listener re-attached after a hot reload: each event
///    arrives twice, back to back). A real change in between — mute, unmute, mute; join,
///    leave, rejoin — makes the repeat a new event, however soon it comes.
/// 2. Jitsi's second `videoConferenceLeft` on unload: a `conference.left` for a meeting whose
///    last lifecycle event already was `conference.left`, with no `conference.joined` in
///    between, whatever its payload or delay.
/// `check` returns the eventId of the earlier record when `r` is a duplicate (and remembers
/// nothing new); otherwise it remembers `r` as its meeting and participant's preceding record
/// and returns nullopt. Bounded memory: at most `capacity` meeting/participant pairs (the
/// oldest beyond the window are forgotten first) and `capacity` meetings.
class Deduplicator {
 public:
  explicit Deduplicator(Millis window = Millis(1000), std::size_t capacity = 512)
      : window_(window), capacity_(capacity) {}

  std::optional<std::string> check(const EventRecord& r, const std::string& payload_text, UtcTime now);

 private:
  /// A pair's preceding record: its type, payload text and eventId in one buffer (one allocation
  /// for a new pair, none when a pair's next record fits the buffer).
  struct Preceding {
    std::string text;  ///< type + payload_text + event_id
    std::size_t type_size = 0;
    std::size_t payload_size = 0;
    UtcTime at;
    bool repeats(const std::string& type, const std::string& payload_text) const;
    std::string_view event_id() const { return std::string_view(text).substr(type_size + payload_size); }
  };
  Millis window_;
  std::size_t capacity_;
  // (meetingId, participantId?) as one unambiguous key -> that pair's preceding record.
  std::unordered_map<std::string, Preceding> preceding_;
  // meetingId -> eventId of its last `conference.left` (absent: joined or unknown).
  std::unordered_map<std::string, std::string> left_;
  std::string key_;  // check()'s pair key, a buffer reused across calls

};

}  // namespace convene::events
