// convene/core/bluesky/echo.cpp — see echo.h.
#include "core/bluesky/echo.h"

namespace convene::bluesky {

std::string_view provenance_name(Provenance p) {
  switch (p) {
    case Provenance::Echo: return "echo";
    case Provenance::Edited: return "edited";
    case Provenance::Linked: return "linked";
    case Provenance::Foreign: return "foreign";
  }
  return "foreign";
}

Provenance provenance(std::string_view uri, std::string_view cid, const CalendarEvent& event,
                      const std::vector<Publication>& published, std::string_view app_url) {
  for (const Publication& p : published)
    if (p.uri == uri) return p.cid == cid ? Provenance::Echo : Provenance::Edited;
  if (!app_url.empty())
    for (const NamedUri& u : event.uris)
      if (std::string_view(u.uri).substr(0, app_url.size()) == app_url) return Provenance::Linked;
  return Provenance::Foreign;
}

}  // namespace convene::bluesky
