// convene/core/sessions/confirm.h — what to write when a participant confirms.
//
// p2pmentor's confirmSession(): a confirmation entity by the confirming wallet; when
// that confirmation completes the pair (both mentor and learner confirmed; for a
// gathering RSVP the attendee alone), the `session_jitsi` entity is written too — once
// (docs/domain.md#session_jitsi: written once, when the pair is complete, not on the first confirmation).
#pragma once

#include <optional>

#include "core/entities/draft.h"
#include "core/json_input.h"

namespace convene::sessions {

struct ConfirmationPlan {
  std::optional<entities::EntityDraft> confirmation;  ///< absent: this wallet already confirmed (no-op)
  std::optional<entities::EntityDraft> jitsi;         ///< present: this confirmation completes the pair
  bool already_confirmed = false;
};

/// Input (read as `input`): {session, confirmations?, jitsi? (existing session_jitsi
/// entities for this session), by (the confirming wallet), baseUrl? (Jitsi)}. The session and the
/// lists are read as evidence, like the status (status.h, docs/trust.md): confirmations and rooms
/// that are no evidence are ignored. Throws NOT_PARTICIPANT when `by` is neither mentor nor
/// learner; SESSION_ENDED when the window is over; UNVERIFIED_ENTITY (field `input.session`) for
/// a session that is no evidence.
ConfirmationPlan plan_confirmation(const Input& in, const entities::BuildContext& ctx);

/// {confirmation: draft|null, jitsi: draft|null, alreadyConfirmed}.
Json to_json(const ConfirmationPlan& plan);

}  // namespace convene::sessions
