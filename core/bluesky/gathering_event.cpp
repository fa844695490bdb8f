// convene/core/bluesky/gathering_event.cpp — see gathering_event.h.
#include "core/bluesky/gathering_event.h"

#include <chrono>

namespace convene::bluesky {
namespace {

std::string string_at(const Json& view, const char* key) {
  const auto it = view.find(key);
  return it != view.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

CalendarEvent gathering_event(const entities::Gathering& g, std::string_view page_url, UtcTime created_at) {
  CalendarEvent e;
  e.name = string_at(g.view, "title");
  e.description = string_at(g.view, "description");
  e.created_at = created_at;
  e.starts_at = g.date;
  e.ends_at = g.date + std::chrono::minutes{g.duration_minutes};
  e.mode = EventMode::Virtual;
  if (g.cancelled) e.status = EventStatus::Cancelled;
  else if (g.series_key && g.recurrence_id && *g.recurrence_id != g.date) e.status = EventStatus::Rescheduled;
  else e.status = EventStatus::Scheduled;
  if (const std::string join = string_at(g.view, "videoJoinUrl"); !g.cancelled && !join.empty())
    e.locations.push_back({join, "Video call"});
  if (!page_url.empty()) e.uris.push_back({std::string(page_url), "On Convene"});
  event_record(e);  // checked against the lexicon here, so a bad page URL is reported by its field
  return e;
}

std::string gathering_event_rkey(const entities::Gathering& g) {
  if (g.series_key && g.recurrence_id) return occurrence_rkey(*g.series_key, *g.recurrence_id);
  return gathering_rkey(g.key, g.date);
}

}  // namespace convene::bluesky
