#include "core/meetings/summary.h"

#include <algorithm>
#include <map>
#include <span>
#include <tuple>

#include "core/error.h"

namespace convene::meetings {
namespace {

/// A state (speaking, sharing, muted) turning on or off at an instant.
struct Marker {
  UtcTime at;
  bool on;
};

/// Time a state is on inside the intervals: the state is off when an interval starts, markers
/// inside [joinedAt, leftAt] (or asOf) switch it; markers outside every interval do nothing.
Millis on_time(const std::vector<Marker>& markers, const std::vector<Interval>& intervals, UtcTime as_of) {
  Millis total{0};
  std::size_t m = 0;
  for (const Interval& iv : intervals) {
    const UtcTime from = iv.joined_at, to = iv.left_at.value_or(as_of);
    while (m < markers.size() && markers[m].at < from) ++m;
    bool on = false;
    UtcTime since{};
    for (; m < markers.size() && markers[m].at <= to; ++m) {
      if (markers[m].on && !on) {
        on = true;
        since = markers[m].at;
      } else if (!markers[m].on && on) {
        total += markers[m].at - since;
        on = false;
      }
    }
    if (on) total += to - since;
  }
  return total;
}

struct Person {
  ParticipantSummary s;
  std::optional<UtcTime> open;  // start of the interval being read
  std::vector<Marker> speaking, sharing, muted;
};

bool covers(const Interval& iv, UtcTime t) { return iv.joined_at <= t && (!iv.left_at || *iv.left_at >= t); }

}  // namespace

/// At one instant: leaves, then joins, then everything else (a leave and a join at the same
/// millisecond continue one interval; a state change at a join's instant falls inside it).
int rank(EventKind k) { return k == EventKind::kLeft ? 0 : k == EventKind::kJoined ? 1 : 2; }

bool in_log_order(const MeetingEvent& a, const MeetingEvent& b) {
  const int ra = rank(a.kind), rb = rank(b.kind);
  return std::tie(a.meeting_id, a.at, ra, a.event_id) < std::tie(b.meeting_id, b.at, rb, b.event_id);
}

MeetingSummary fold_meeting(std::span<const MeetingEvent> events) {
  if (events.empty()) throw Error(code::kInternal, "", "fold_meeting: no records");
  MeetingSummary m;
  m.meeting_id = events.front().meeting_id;
  m.as_of = events.back().at;
  std::map<std::string, Person> people;
  Person* speaker = nullptr;
  for (const MeetingEvent& e : events) {
    Person* p = nullptr;
    if (e.participant_id) {
      p = &people[*e.participant_id];
      p->s.id = *e.participant_id;
      p->s.last_seen_at = e.at;  // log order: the latest so far
    }
    switch (e.kind) {
      case EventKind::kJoined:
        if (!p->open) {
          auto& ivs = p->s.intervals;
          if (!ivs.empty() && ivs.back().left_at == e.at) {  // left and rejoined at one instant: one stay
            p->open = ivs.back().joined_at;
            ivs.pop_back();
          } else {
            p->open = e.at;
          }
        }
        if (e.display_name) p->s.display_name = e.display_name;
        break;
      case EventKind::kLeft:
        if (p->open) {
          p->s.intervals.push_back({*p->open, e.at});
          p->open.reset();
        }
        break;
      case EventKind::kDisplayName:
        p->s.display_name = e.display_name;
        break;
      case EventKind::kRole:
        p->s.role = e.role;
        break;
      case EventKind::kDominantSpeaker:
        if (speaker && speaker != p) speaker->speaking.push_back({e.at, false});
        p->speaking.push_back({e.at, true});
        speaker = p;
        break;
      case EventKind::kScreenShareOn:
      case EventKind::kScreenShareOff:
        p->sharing.push_back({e.at, e.kind == EventKind::kScreenShareOn});
        break;
      case EventKind::kSharingSet:
        // Everyone seen so far is switched on or off; those not seen yet have no interval before now.
        for (auto& [id, q] : people)
          q.sharing.push_back({e.at, std::find(e.sharing.begin(), e.sharing.end(), id) != e.sharing.end()});
        break;
      case EventKind::kAudioMute:
        p->muted.push_back({e.at, e.on});
        break;
      case EventKind::kOther:
        break;
    }
  }
  for (auto& [id, p] : people)
    if (p.open) p.s.intervals.push_back({*p.open, std::nullopt});

  // Vanished: no leave, and everyone who was there at its last sign of life has left since.
  std::vector<Person*> vanished;
  for (auto& [id, p] : people) {
    if (p.s.intervals.empty() || p.s.intervals.back().left_at) continue;
    const UtcTime last = p.s.last_seen_at;
    bool witnessed = false, all_left = true;
    for (const auto& [other_id, q] : people) {
      if (&q == &p) continue;
      for (const Interval& iv : q.s.intervals) {
        if (!covers(iv, last)) continue;
        witnessed = true;
        if (!iv.left_at) all_left = false;
      }
    }
    if (witnessed && all_left) vanished.push_back(&p);
  }
  for (Person* p : vanished) p->s.intervals.back().left_at = p->s.last_seen_at;

  bool anyone_open = false;
  for (auto& [id, p] : people) {
    ParticipantSummary& s = p.s;
    for (const Interval& iv : s.intervals) {
      s.presence += iv.left_at.value_or(m.as_of) - iv.joined_at;
      if (!m.started_at || iv.joined_at < *m.started_at) m.started_at = iv.joined_at;
      if (!iv.left_at) anyone_open = true;
      else if (!m.ended_at || *iv.left_at > *m.ended_at) m.ended_at = iv.left_at;
    }
    s.speaking = on_time(p.speaking, s.intervals, m.as_of);
    s.screen_share = on_time(p.sharing, s.intervals, m.as_of);
    s.muted = on_time(p.muted, s.intervals, m.as_of);
    m.participants.push_back(std::move(s));
  }
  if (anyone_open) m.ended_at.reset();
  std::sort(m.participants.begin(), m.participants.end(), [](const ParticipantSummary& a, const ParticipantSummary& b) {
    if (a.intervals.empty() != b.intervals.empty()) return b.intervals.empty();
    if (!a.intervals.empty() && a.intervals.front().joined_at != b.intervals.front().joined_at)
      return a.intervals.front().joined_at < b.intervals.front().joined_at;
    return a.id < b.id;
  });
  return m;
}

namespace {

Json instant_or_null(const std::optional<UtcTime>& t) { return t ? Json(format_iso8601(*t)) : Json(nullptr); }
Json text_or_null(const std::optional<std::string>& s) { return s ? Json(*s) : Json(nullptr); }
double seconds(Millis ms) { return static_cast<double>(ms.count()) / 1000.0; }

}  // namespace

Json Ignored::to_json() const {
  return Json{{"malformed", malformed}, {"conflicting", conflicting}, {"total", total()}};
}

std::vector<MeetingSummary> summarize(std::vector<MeetingEvent> events, Ignored& ignored) {
  // One record per eventId: repeats collapse; of different records claiming one id, the smallest
  // by content is kept, whatever the input order.
  std::sort(events.begin(), events.end(), [](const MeetingEvent& a, const MeetingEvent& b) {
    return a.event_id != b.event_id ? a.event_id < b.event_id : a.content_less(b);
  });
  std::size_t kept = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (kept > 0 && events[i].event_id == events[kept - 1].event_id) {
      if (!events[i].same_content(events[kept - 1])) ++ignored.conflicting;
      continue;
    }
    if (kept != i) events[kept] = std::move(events[i]);
    ++kept;
  }
  events.resize(kept);

  std::sort(events.begin(), events.end(), in_log_order);
  std::vector<MeetingSummary> out;
  for (std::size_t start = 0; start < events.size();) {
    std::size_t end = start;
    while (end < events.size() && events[end].meeting_id == events[start].meeting_id) ++end;
    out.push_back(fold_meeting(std::span<const MeetingEvent>(events.data() + start, end - start)));
    start = end;
  }
  return out;
}

Json to_json(const MeetingSummary& m) {
  Json participants = Json::array();
  for (const ParticipantSummary& p : m.participants) {
    Json intervals = Json::array();
    for (const Interval& iv : p.intervals)
      intervals.push_back({{"joinedAt", format_iso8601(iv.joined_at)}, {"leftAt", instant_or_null(iv.left_at)}});
    participants.push_back({{"id", p.id},
                            {"displayName", text_or_null(p.display_name)},
                            {"role", text_or_null(p.role)},
                            {"intervals", std::move(intervals)},
                            {"lastSeenAt", format_iso8601(p.last_seen_at)},
                            {"presenceSeconds", seconds(p.presence)},
                            {"speakingSeconds", seconds(p.speaking)},
                            {"screenShareSeconds", seconds(p.screen_share)},
                            {"mutedSeconds", seconds(p.muted)}});
  }
  return Json{{"meetingId", m.meeting_id},
              {"startedAt", instant_or_null(m.started_at)},
              {"endedAt", instant_or_null(m.ended_at)},
              {"asOf", format_iso8601(m.as_of)},
              {"participants", std::move(participants)}};
}

std::vector<MeetingEvent> decode_records(const Json& records, Ignored& ignored) {
  if (!records.is_array())
    throw Error(code::kInvalidType, "records",
                "records must be an array of meeting event records, got " + json_type_name(records));
  std::vector<MeetingEvent> events;
  events.reserve(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    try {
      events.push_back(decode_event(records[i], "records[" + std::to_string(i) + "]"));
    } catch (const Error&) {
      ++ignored.malformed;
    } catch (const Json::exception&) {
      ++ignored.malformed;
    }
  }
  return events;
}

Json summarize_json(const Json& records) {
  Ignored ignored;
  std::vector<MeetingEvent> events = decode_records(records, ignored);
  Json meetings = Json::array();
  for (const MeetingSummary& m : summarize(std::move(events), ignored)) meetings.push_back(to_json(m));
  return Json{{"meetings", std::move(meetings)}, {"ignored", ignored.to_json()}};
}

}  // namespace convene::meetings
