// convene/core/series/rsvp.h — RSVPs to any future occurrence of a series, materialized or not
// (docs/domain.md#occurrence-rsvps).
//
// An occurrence RSVP is a gathering RSVP (`session`, skill `virtual_gathering_rsvp`) that names the
// series and the occurrence's RECURRENCE-ID (attributes `seriesKey`, `recurrenceId`) instead of, or
// besides, a gathering key. Readers resolve it to the occurrence's gathering once there is one
// (entities::rsvp_summary, sessions::read_session_evidence), so it counts from then on and follows
// the occurrence's moves and cancellation; after a split, to the gathering of the series that
// continues it (`splitFrom`, checked: split_links).
#pragma once

#include "core/entities/draft.h"
#include "core/entities/gathering.h"
#include "core/json_input.h"
#include "core/series/head.h"  // split_links

namespace convene::series {

/// `gathering_rsvp`: with `gathering`, the RSVP to that gathering (entities::build_gathering_rsvp);
/// with `series` + `recurrenceId`, an occurrence RSVP (build_occurrence_rsvp).
entities::EntityDraft build_rsvp(const Input& in, const entities::BuildContext& ctx);

/// The RSVP of `attendeeWallet` to the occurrence `recurrenceId` (ISO 8601, the occurrence's original
/// start) of `series` (the event_series entity, with its key). Optional: `exceptions` and `gatherings`
/// of the series as read (the RSVP copies the occurrence's current time, title and duration, and
/// names its gathering too when it has one), `existingRsvps` (ALREADY_RSVPED naming
/// `input.attendeeWallet` when the attendee holds one to the same occurrence or its gathering),
/// `notes`. Errors: NOT_AN_OCCURRENCE (input.recurrenceId) for an instant the series does not produce,
/// INVALID_INPUT (input.recurrenceId) for a cancelled occurrence, SESSION_ENDED when it is over.
/// Attributes: the session's, plus seriesKey, recurrenceId (UTC ISO) and gatheringKey? (docs/domain.md#occurrence-rsvps).
entities::EntityDraft build_occurrence_rsvp(const Input& in, const entities::BuildContext& ctx);

}  // namespace convene::series
