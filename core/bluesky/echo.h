// convene/core/bluesky/echo.h — whether an event read from Bluesky is Convene's own coming back
// (docs/bluesky.md#import).
//
// Importing a handle's calendar lists, among others, the events Convene published there. Those must not
// come back as standalone gatherings or feed series inference: they are echoes. An event is recognized
// by what Convene knows it published (at-uri and CID) and, for a publication this device has no record
// of (another device, a steward run), by its `uris` linking to a page of the app. Pure: no I/O.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/bluesky/calendar.h"

namespace convene::bluesky {

/// What an imported event is to Convene.
enum class Provenance {
  Echo,     ///< a record Convene published, unchanged (its at-uri and CID are a known publication)
  Edited,   ///< a record Convene published, changed since by another client (known at-uri, other CID)
  Linked,   ///< not a known publication, but its `uris` link to a page of the app (published elsewhere by Convene)
  Foreign,  ///< someone else's event: import it
};

/// "echo" | "edited" | "linked" | "foreign".
std::string_view provenance_name(Provenance p);

/// A publication Convene knows of: the record's at-uri and the CID it wrote.
struct Publication {
  std::string uri;
  std::string cid;
};

/// The provenance of the event `uri` (at-uri) with CID `cid` and content `event`, given what Convene
/// published and `app_url` (the app's base URL, e.g. "https://convene.example/"; empty: no link test).
/// A link counts when one of the event's `uris` starts with `app_url` (compared as written, so give the
/// exact base the app publishes with).
Provenance provenance(std::string_view uri, std::string_view cid, const CalendarEvent& event,
                      const std::vector<Publication>& published, std::string_view app_url);

}  // namespace convene::bluesky
