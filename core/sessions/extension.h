// convene/core/sessions/extension.h — an attendee's RSVP outlives its gathering when the gathering
// moves later (docs/domain.md#gathering-rsvps, "Moves").
//
// An RSVP copies its gathering's time when it is written and expires one hour after that time's end
// (docs/domain.md#expiry), as does the attendee's confirmation of it. When the organizer moves the
// gathering later, both would vanish before the moved meeting. Only their owner, the attendee, keeps
// them: the attendee's app extends them (Arkiv `extendEntity`, or `extensions` in mutateEntities) by
// what this plan says.
#pragma once

#include "core/json_input.h"
#include "core/time.h"

namespace convene::sessions {

/// `in` (the shape core.sessions.status takes): {session: the attendee's RSVP session entity,
/// gathering: its virtual_gathering as read now (the organizer's: checked as the status checks it),
/// confirmations?: session_confirmation
/// entities (those of this RSVP signed by the attendee count; others are passed over), currentBlock:
/// the block number observed at `now`}. Entities must be read with their `expiresAtBlock` (SDK
/// `withMetadata(true)`).
/// For the RSVP and each counted confirmation, when its expiry (now + (expiresAtBlock - currentBlock)
/// * 2 s) is earlier than the gathering's end + 1 hour, an extension by the difference in whole seconds
/// (rounded up). A cancelled or ended gathering needs none. Entities read without `expiresAtBlock` are
/// counted in `unknown`.
/// Returns {extend: [{entityKey, expiresIn}], unknown: N, ignored}. Throws UNVERIFIED_ENTITY /
/// CONFLICTING_FIELDS / MALFORMED_ENTITY naming `session` or `gathering`, INVALID_INPUT naming
/// `session` when it is not an RSVP and `gathering` when it is not the RSVP's, MISSING_FIELD for
/// `gathering` and `currentBlock`.
Json plan_rsvp_extension(const Input& in, UtcTime now);

}  // namespace convene::sessions
