// convene/core/entities/gathering.h — `virtual_gathering` and its readers' helpers (seed 000).
//
// Anyone can suggest a gathering and anyone can RSVP. The Jitsi room exists from
// creation on: its name is `gathering-{128-bit random id}` made here, since the
// entity key is only known after the transaction (DESIGN.md §4.4).
#pragma once

#include <cstddef>

#include "core/entities/draft.h"
#include "core/json_input.h"

namespace convene::entities {

/// `virtual_gathering`. Input: organizerWallet, community (slugged with skill_slug),
/// title, description?, sessionDate, duration? (minutes, default 60),
/// videoProvider? ('jitsi' default | 'none' | 'custom'), videoRoomName? (made here when
/// absent and the provider is jitsi), videoJoinUrl? (for 'custom'), jitsiBaseUrl?,
/// videoJwtToken? (checked: shape, alg, exp), seriesKey? + recurrenceId? (an event series'
/// occurrence, materialized: both become attributes).
/// Attributes: type, organizerWallet, community, title, sessionDate, duration (number), spaceId,
/// createdAt, videoProvider, videoRoomName?, videoJoinUrl?. Payload: the same plus description,
/// videoJwtToken?. expiresIn: 1 year (31,536,000 s). A gathering whose window has ended is refused
/// (SESSION_ENDED).
EntityDraft build_virtual_gathering(const Input& in, const BuildContext& ctx);

/// `virtual_gathering_txhash`: input {gatheringKey, txHash, organizerWallet}; 1 year.
EntityDraft build_gathering_txhash(const Input& in, const BuildContext& ctx);

/// Typed view: organizerWallet lowercase, sessionDate normalized, duration a number.
Json parse_gathering(Json flat, std::string_view field);

/// Upcoming gatherings, as seed 000 lists them: entities (raw or parsed) of type
/// virtual_gathering, optionally only one `community`, whose sessionDate >= now,
/// soonest first (ties by key). Entities that fail to parse are skipped and counted.
/// Returns {gatherings: [...], skipped: N}.
Json upcoming_gatherings(const Json& entities, std::string_view community, UtcTime now);

/// RSVP count = distinct attendee wallets among `rsvps` (session entities, raw or
/// parsed) for `gathering_key`, ignoring ones stored as cancelled (DESIGN.md §4.1:
/// not raw entity counts). Entities that fail to parse are ignored.
std::size_t rsvp_count(const Json& rsvps, std::string_view gathering_key);

}  // namespace convene::entities
