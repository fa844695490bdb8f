// convene/core/events/stored.h — meeting events read back from Arkiv `meeting_event` entities.
//
// The Arkiv sink (npm/src/events/sinks.js) writes each record as one entity: payload = the record
// ({eventId, type, timestamp, meetingId, participantId?, payload}), attributes type='meeting_event',
// meetingId, eventType, eventId, participantId?, spaceId, createdAt. Anyone can write such an
// entity, so a reader keeps only records whose signer (creator = owner) the caller allows — for a
// session its mentor and learner, for a gathering its organizer and the attendees with a verified
// RSVP (docs/trust.md) — and returns each record with its signer.
#pragma once

#include <set>

#include "core/entities/reader.h"
#include "core/entities/wallet.h"
#include "core/json_input.h"

namespace convene::events {

/// Records of `entities` (meeting_event entities as read) signed by one of `signers`, whose
/// attributes agree with the record (meetingId, eventType = type, eventId, participantId),
/// deduplicated per signer by eventId (the first on the chain wins: a retried batch may land twice; a
/// second signer reusing an eventId does not hide the first one's record), sorted by timestamp, eventId,
/// signer. Each record gains `signer`. Entities of other types are
/// passed over; the rest that are no evidence are counted.
/// Returns {events: [record + signer], ignored: {unverified, conflicting, malformed, total}}.
Json meeting_events_from_entities(const Json* entities, const std::set<entities::Wallet>& signers);

}  // namespace convene::events
