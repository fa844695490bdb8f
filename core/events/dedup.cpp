#include "core/events/dedup.h"

namespace convene::events {
namespace {

/// `meeting` and `participant` as one key no two different pairs share (length-prefixed).
std::string pair_key(const std::string& meeting, const std::optional<std::string>& participant) {
  std::string k = std::to_string(meeting.size());
  k += ':';
  k += meeting;
  if (participant) {
    k += ':';
    k += *participant;
  }
  return k;
}

}  // namespace

std::optional<std::string> Deduplicator::check(const EventRecord& r, const std::string& payload_text, UtcTime now) {
  if (r.type == "conference.left") {
    auto it = left_.find(r.meeting_id);
    if (it != left_.end()) return it->second;
    if (left_.size() >= capacity_) left_.clear();
    left_.emplace(r.meeting_id, r.event_id);
  } else if (r.type == "conference.joined") {
    left_.erase(r.meeting_id);
  }

  std::string key = pair_key(r.meeting_id, r.participant_id);
  auto it = preceding_.find(key);
  if (it != preceding_.end()) {
    const Preceding& p = it->second;
    if (p.type == r.type && p.payload_text == payload_text && now - p.at <= window_ && p.at - now <= window_)
      return p.event_id;
  } else {
    if (preceding_.size() >= capacity_) {
      // Forget the pairs whose preceding record is past the window (it can no longer be repeated);
      // if every pair is recent, start over (at worst a repeat is then kept: never a change dropped).
      std::erase_if(preceding_, [&](const auto& kv) { return now - kv.second.at > window_ || kv.second.at - now > window_; });
      if (preceding_.size() >= capacity_) preceding_.clear();
    }
    it = preceding_.emplace(std::move(key), Preceding{}).first;
  }
  it->second = Preceding{r.type, payload_text, now, r.event_id};
  return std::nullopt;
}

}  // namespace convene::events
