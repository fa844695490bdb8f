#include "core/events/dedup.h"

namespace convene::events {

std::uint64_t fnv1a64(std::string_view data, std::uint64_t h) {
  for (unsigned char c : data) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::optional<std::string> Deduplicator::check(const EventRecord& r, const std::string& payload_text, UtcTime now) {
  if (r.type == "conference.left") {
    auto it = left_.find(r.meeting_id);
    if (it != left_.end()) return it->second;
    if (left_.size() >= capacity_) left_.clear();
    left_.emplace(r.meeting_id, r.event_id);
  } else if (r.type == "conference.joined") {
    left_.erase(r.meeting_id);
  }

  std::uint64_t h = fnv1a64(r.type);
  h = fnv1a64("\x1f", h);
  h = fnv1a64(r.meeting_id, h);
  h = fnv1a64(r.participant_id ? "\x1f" : "\x1e", h);
  if (r.participant_id) h = fnv1a64(*r.participant_id, h);
  h = fnv1a64("\x1f", h);
  h = fnv1a64(payload_text, h);

  while (!recent_.empty() && (now - recent_.front().at > window_ || recent_.size() >= capacity_)) {
    auto it = by_hash_.find(recent_.front().hash);
    if (it != by_hash_.end() && it->second == popped_) by_hash_.erase(it);
    recent_.pop_front();
    ++popped_;
  }
  if (auto it = by_hash_.find(h); it != by_hash_.end()) {
    const Seen& s = recent_[it->second - popped_];
    if (now - s.at <= window_ && s.at - now <= window_) return s.event_id;
  }
  by_hash_[h] = popped_ + recent_.size();
  recent_.push_back({h, now, r.event_id});
  return std::nullopt;
}

}  // namespace convene::events
