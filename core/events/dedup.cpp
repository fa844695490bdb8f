#include "core/events/dedup.h"

namespace convene::events {
namespace {

/// `meeting` and `participant` as one key no two different pairs share (length-prefixed), written
/// into `k` (a buffer reused across pushes).
void pair_key(std::string& k, const std::string& meeting, const std::optional<std::string>& participant) {
  k.clear();
  k += std::to_string(meeting.size());
  k += ':';
  k += meeting;
  if (participant) {
    k += ':';
    k += *participant;
  }
}

}  // namespace

bool Deduplicator::Preceding::repeats(const std::string& type, const std::string& payload_text) const {
  return type_size == type.size() && payload_size == payload_text.size() &&
         text.compare(0, type_size, type) == 0 && text.compare(type_size, payload_size, payload_text) == 0;
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

  pair_key(key_, r.meeting_id, r.participant_id);
  auto it = preceding_.find(key_);
  if (it != preceding_.end()) {
    const Preceding& p = it->second;
    if (p.repeats(r.type, payload_text) && now - p.at <= window_ && p.at - now <= window_)
      return std::string(p.event_id());
  } else {
    if (preceding_.size() >= capacity_) {
      // Forget the pairs whose preceding record is past the window (it can no longer be repeated);
      // if every pair is recent, start over (at worst a repeat is then kept: never a change dropped).
      std::erase_if(preceding_, [&](const auto& kv) { return now - kv.second.at > window_ || kv.second.at - now > window_; });
      if (preceding_.size() >= capacity_) preceding_.clear();
    }
    it = preceding_.emplace(key_, Preceding{}).first;
  }
  // Written into the pair's buffer, which keeps its capacity from the pair's previous record.
  Preceding& p = it->second;
  p.text.clear();
  p.text.reserve(r.type.size() + payload_text.size() + r.event_id.size());
  p.text += r.type;
  p.text += payload_text;
  p.text += r.event_id;
  p.type_size = r.type.size();
  p.payload_size = payload_text.size();
  p.at = now;
  return std::nullopt;
}

}  // namespace convene::events
