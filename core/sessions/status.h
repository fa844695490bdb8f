// convene/core/sessions/status.h — a session's status, computed (DESIGN.md §4.3, seed 004).
//
// One algorithm, replacing the two divergent copies in p2pmentor. Inputs are the
// session, its confirmation and rejection entities (raw as the SDK returns them or
// parsed), and `now`. Entities for another sessionKey, or by a wallet that is not a
// participant, are ignored; wallets compare case-insensitively.
//   1. A rejection by a participant -> cancelled (reason 'declined', by that wallet).
//      Rejection wins over confirmation (the earliest rejection is reported).
//   2. A stored status 'cancelled' or 'completed' (a later manual update) is honoured.
//   3. Mentor and learner both confirmed (for a gathering RSVP the attendee's own
//      confirmation is enough; p2pmentor's later RSVP variant, mentor == learner with
//      stored status 'scheduled', counts as confirmed) -> 'scheduled' before sessionDate,
//      'in-progress' during [sessionDate, sessionDate + duration), 'completed' from its end.
//   4. Otherwise 'pending' before sessionDate, 'expired' from sessionDate on.
#pragma once

#include <optional>
#include <string>

#include "core/entities/session.h"
#include "core/json_input.h"
#include "core/time.h"

namespace convene::sessions {

/// The computed status with its evidence.
struct Status {
  std::string status;  ///< pending | scheduled | in-progress | completed | cancelled | expired
  std::optional<std::string> reason;       ///< 'declined' (rejection) or 'stored' (stored status honoured)
  std::optional<std::string> by;           ///< the rejecting wallet (lowercase)
  bool mentor_confirmed = false;
  bool learner_confirmed = false;
  bool is_gathering_rsvp = false;
  UtcTime starts_at;   ///< sessionDate
  UtcTime ends_at;     ///< sessionDate + duration
  UtcTime expires_at;  ///< ends_at + 1 h (the entity's expiry)

  /// {status, reason?, by?, mentorConfirmed, learnerConfirmed, isGatheringRsvp,
  ///  startsAt, endsAt, expiresAt (ISO 8601 UTC)}.
  Json to_json() const;
};

/// Which participants have confirmed `session`, from `confirmations` (array of
/// raw or parsed session_confirmation entities). Others' and other sessions' are ignored.
struct Confirmed {
  bool mentor = false;
  bool learner = false;
};
Confirmed confirmed_by(const entities::SessionInfo& session, const Json& confirmations, std::string_view field);

/// Computes the status. `confirmations` and `rejections` may be null (none).
Status compute_status(const entities::SessionInfo& session, const Json& confirmations, const Json& rejections,
                      UtcTime now);

}  // namespace convene::sessions
