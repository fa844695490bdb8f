// convene/core/events/dedup.h — dropping events the IFrame API reports twice (docs/events.md).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/events/record.h"

namespace convene::events {

/// Remembers recent records and recognizes two kinds of duplicates:
/// 1. The same event pushed twice: equal type, meetingId, participantId and
///    payload within `window` of each other (an app that subscribes twice, a
///    listener re-attached after a hot reload).
/// 2. Jitsi's second `videoConferenceLeft` on unload: a `conference.left` for a
///    meeting whose last lifecycle event already was `conference.left`, with no
///    `conference.joined` in between, whatever its payload or delay.
/// `check` returns the eventId of the earlier record when `r` is a duplicate
/// (and forgets nothing); otherwise it remembers `r` and returns nullopt.
/// Bounded memory: at most `capacity` fingerprints and `capacity` meetings.
class Deduplicator {
 public:
  explicit Deduplicator(Millis window = Millis(1000), std::size_t capacity = 512)
      : window_(window), capacity_(capacity) {}

  std::optional<std::string> check(const EventRecord& r, const std::string& payload_text, UtcTime now);

 private:
  struct Seen {
    std::uint64_t hash;
    UtcTime at;
    std::string event_id;
  };
  Millis window_;
  std::size_t capacity_;
  std::deque<Seen> recent_;                                 // arrival order, for expiry
  std::unordered_map<std::uint64_t, std::size_t> by_hash_;  // hash -> generation in recent_
  std::size_t popped_ = 0;                                  // entries removed from recent_'s front
  // meetingId -> eventId of its last `conference.left` (absent: joined or unknown).
  std::unordered_map<std::string, std::string> left_;
};

/// FNV-1a, 64 bit (deterministic across platforms, unlike std::hash).
std::uint64_t fnv1a64(std::string_view data, std::uint64_t seed = 0xcbf29ce484222325ULL);

}  // namespace convene::events
