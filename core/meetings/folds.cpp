#include "core/meetings/folds.h"

#include <algorithm>
#include <iterator>
#include <set>
#include <tuple>

#include "core/error.h"

namespace convene::meetings {

Json check_json(const Json& records) {
  if (!records.is_array())
    throw Error(code::kInvalidType, "records",
                "records must be an array of meeting event records, got " + json_type_name(records));
  Json out = Json::array();
  for (std::size_t i = 0; i < records.size(); ++i) {
    const std::string field = "records[" + std::to_string(i) + "]";
    try {
      out.push_back(Json{{"at", format_iso8601(decode_event(records[i], field).at)}});
    } catch (const Error& e) {
      out.push_back(Json{{"error", {{"code", e.code()}, {"field", e.field()}, {"message", e.what()}}}});
    } catch (const Json::exception& e) {
      out.push_back(Json{{"error", {{"code", code::kInvalidInput}, {"field", field}, {"message", e.what()}}}});
    }
  }
  return out;
}

const MeetingEvent* MeetingFolds::find(const std::string& event_id, const Where& where) const {
  const auto m = meetings_.find(where.meeting_id);
  if (m == meetings_.end()) return nullptr;
  const auto& list = m->second;
  const auto it = std::lower_bound(list.begin(), list.end(), 0, [&](const MeetingEvent& e, int) {
    const int r = rank(e.kind);
    return std::tie(e.at, r, e.event_id) < std::tie(where.at, where.rank, event_id);
  });
  return it != list.end() && it->event_id == event_id ? &*it : nullptr;
}

void MeetingFolds::erase(const std::string& event_id, const Where& where) {
  const MeetingEvent* held = find(event_id, where);
  if (held != nullptr) {
    auto& list = meetings_[where.meeting_id];
    list.erase(list.begin() + (held - list.data()));
  }
  owner_.erase(event_id);
}

MeetingFolds::Change MeetingFolds::add(std::vector<MeetingEvent> events, Ignored& ignored) {
  // Within the call, as summarize() does: one record per eventId, the smallest by content.
  std::sort(events.begin(), events.end(), [](const MeetingEvent& a, const MeetingEvent& b) {
    return a.event_id != b.event_id ? a.event_id < b.event_id : a.content_less(b);
  });
  std::set<std::string> touched;
  std::map<std::string, std::vector<MeetingEvent>> fresh;
  const MeetingEvent* previous = nullptr;
  for (MeetingEvent& e : events) {
    if (previous != nullptr && previous->event_id == e.event_id) {
      if (!previous->same_content(e)) ++ignored.conflicting;
      continue;
    }
    previous = &e;
    if (const auto it = owner_.find(e.event_id); it != owner_.end()) {
      const Where where = it->second;
      const MeetingEvent* held = find(e.event_id, where);
      if (held == nullptr) throw Error(code::kInternal, "", "MeetingFolds: a held eventId has no record");
      if (held->same_content(e)) continue;
      ++ignored.conflicting;
      if (!e.content_less(*held)) continue;
      touched.insert(where.meeting_id);
      erase(e.event_id, where);
    }
    touched.insert(e.meeting_id);
    fresh[e.meeting_id].push_back(e);  // a copy: `previous` still points at e
    owner_.emplace(e.event_id, Where{e.meeting_id, e.at, rank(e.kind)});
  }
  for (auto& [id, list] : fresh) {
    std::sort(list.begin(), list.end(), in_log_order);
    auto& held = meetings_[id];
    const auto middle = static_cast<std::ptrdiff_t>(held.size());
    held.insert(held.end(), std::make_move_iterator(list.begin()), std::make_move_iterator(list.end()));
    std::inplace_merge(held.begin(), held.begin() + middle, held.end(), in_log_order);
  }
  Change out;
  for (const std::string& id : touched) {
    const auto it = meetings_.find(id);
    if (it != meetings_.end() && !it->second.empty()) {
      out.changed.push_back(id);
    } else {
      if (it != meetings_.end()) meetings_.erase(it);
      out.removed.push_back(id);
    }
  }
  return out;
}

MeetingSummary MeetingFolds::summary(const std::string& meeting_id) const {
  const auto it = meetings_.find(meeting_id);
  if (it == meetings_.end() || it->second.empty())
    throw Error(code::kInvalidInput, "meetingId", "no records are held for meeting " + meeting_id);
  return fold_meeting(it->second);
}

void MeetingFolds::forget(const std::string& meeting_id) {
  const auto it = meetings_.find(meeting_id);
  if (it == meetings_.end()) return;
  for (const MeetingEvent& e : it->second) owner_.erase(e.event_id);
  meetings_.erase(it);
}

std::size_t MeetingFolds::count(const std::string& meeting_id) const {
  const auto it = meetings_.find(meeting_id);
  return it == meetings_.end() ? 0 : it->second.size();
}

Json MeetingFolds::add_json(const Json& records) {
  Ignored ignored;
  const Change change = add(decode_records(records, ignored), ignored);
  Json meetings = Json::array();
  for (const std::string& id : change.changed) meetings.push_back(to_json(summary(id)));
  return Json{{"meetings", std::move(meetings)}, {"removed", change.removed}, {"ignored", ignored.to_json()}};
}

Json MeetingFolds::add_new_json(const Json& records) {
  if (!records.is_array())
    throw Error(code::kInvalidType, "records",
                "records must be an array of meeting event records, got " + json_type_name(records));
  Ignored ignored;
  Json entries = Json::array();
  std::vector<MeetingEvent> fresh;
  std::set<std::string> taken;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const std::string field = "records[" + std::to_string(i) + "]";
    try {
      MeetingEvent e = decode_event(records[i], field);
      const bool added = !owner_.contains(e.event_id) && taken.insert(e.event_id).second;
      entries.push_back(Json{{"at", format_iso8601(e.at)}, {"added", added}});
      if (added) fresh.push_back(std::move(e));
    } catch (const Error& e) {
      ++ignored.malformed;
      entries.push_back(Json{{"error", {{"code", e.code()}, {"field", e.field()}, {"message", e.what()}}}});
    } catch (const Json::exception& e) {
      ++ignored.malformed;
      entries.push_back(Json{{"error", {{"code", code::kInvalidInput}, {"field", field}, {"message", e.what()}}}});
    }
  }
  const Change change = add(std::move(fresh), ignored);
  Json meetings = Json::array();
  for (const std::string& id : change.changed) meetings.push_back(to_json(summary(id)));
  return Json{{"entries", std::move(entries)}, {"meetings", std::move(meetings)}, {"removed", change.removed},
              {"ignored", ignored.to_json()}};
}

}  // namespace convene::meetings
