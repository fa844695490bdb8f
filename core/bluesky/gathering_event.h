// convene/core/bluesky/gathering_event.h — what Convene publishes for one gathering (docs/bluesky.md).
#pragma once

#include <string>
#include <string_view>

#include "core/bluesky/calendar.h"
#include "core/entities/gathering.h"

namespace convene::bluesky {

/// The calendar event of a gathering that passed the signer check (entities::verify_gathering):
/// - name, description: the gathering's title and description;
/// - startsAt, endsAt: sessionDate and sessionDate + duration (UTC);
/// - status: cancelled → #cancelled; a series occurrence whose sessionDate differs from its
///   RECURRENCE-ID (moved) → #rescheduled; otherwise #scheduled; mode #virtual;
/// - locations: the join link (`videoJoinUrl`) as a `#uri` location named "Video call", none when
///   cancelled or when the gathering has no link;
/// - uris: `page_url` (the gathering's or its series' page in the app) named "On Convene", when given;
/// - createdAt: `created_at`, when Convene first published it (kept on republishing).
/// Throws what event_record() throws for a page URL that is not an absolute URI (`event.uris.0.uri`).
CalendarEvent gathering_event(const entities::Gathering& g, std::string_view page_url, UtcTime created_at);

/// The record key of a gathering's event: occurrence_rkey(seriesKey, RECURRENCE-ID) for a series
/// occurrence (so the record follows the occurrence through moves, whichever gathering holds it),
/// otherwise gathering_rkey(key, sessionDate).
std::string gathering_event_rkey(const entities::Gathering& g);

}  // namespace convene::bluesky
