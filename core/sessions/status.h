// convene/core/sessions/status.h — a session's status, computed from evidence (docs/domain.md#session-status).
//
// One algorithm (it replaces two divergent copies in p2pmentor), fed only with entities that are
// evidence (docs/trust.md): the session signed by its mentor or learner (an RSVP: by its attendee);
// confirmations and rejections signed by the participant they name; video rooms by a participant;
// payment submissions by the learner and validations by the mentor. Anything else is left out and
// counted in `ignored`. Competing versions are ordered by chain position, never by `createdAt`.
//   1. A rejection by a participant -> cancelled (reason 'declined', by that wallet; the first
//      rejection on the chain is reported). Rejection wins over confirmation. An RSVP whose
//      gathering (as read, when given) is cancelled -> cancelled (reason 'gathering-cancelled');
//      the gathering's time replaces the one the RSVP copied.
//   2. A stored status 'cancelled' or 'completed' (a participant's later update) is honoured.
//   3. Mentor and learner both confirmed (for a gathering RSVP the attendee's own confirmation is
//      enough; p2pmentor's later RSVP variant, mentor == learner with stored status 'scheduled',
//      counts as confirmed) -> 'scheduled' before sessionDate, 'in-progress' during
//      [sessionDate, sessionDate + duration), 'completed' from its end.
//   4. Otherwise 'pending' before sessionDate, 'expired' from sessionDate on.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/entities/gathering.h"
#include "core/entities/reader.h"
#include "core/entities/session.h"
#include "core/entities/session_companions.h"
#include "core/json_input.h"
#include "core/time.h"

namespace convene::sessions {

/// The computed status. Closed set; `to_string` gives the package's names.
enum class State { Pending, Scheduled, InProgress, Completed, Cancelled, Expired };
/// "pending" | "scheduled" | "in-progress" | "completed" | "cancelled" | "expired".
std::string_view to_string(State s);

/// Which participants have confirmed, from verified confirmations and the stored RSVP variant.
/// The single place that decides whether a session is confirmed (status and planConfirmation).
struct Confirmed {
  bool mentor = false;
  bool learner = false;
  /// Both confirmed; for a gathering RSVP the attendee (learner) alone.
  bool complete(const entities::SessionInfo& s) const { return s.is_rsvp() ? learner : (mentor && learner); }
};

/// Everything read about one session that is evidence, with what was left out.
struct SessionEvidence {
  entities::Verified<entities::SessionInfo> session;
  std::vector<entities::Verified<entities::SessionAck>> confirmations;
  std::vector<entities::Verified<entities::SessionAck>> rejections;
  std::vector<entities::Verified<entities::SessionRoom>> rooms;
  std::vector<entities::Verified<entities::SessionPayment>> payments;
  /// For a gathering RSVP, its gathering as currently read (signed by its organizer): its time and
  /// its cancellation decide the status (docs/domain.md#session-status).
  std::optional<entities::Verified<entities::Gathering>> gathering;
  entities::Ignored ignored;

  Confirmed confirmed() const;
};

/// Reads a session's evidence from `in`: `session` (required: the entity; UNVERIFIED_ENTITY,
/// CONFLICTING_FIELDS, MALFORMED_ENTITY or a field error naming `session` when it is no evidence),
/// and the optional lists `confirmations`, `rejections`, `jitsi` (session_jitsi) and `payments`
/// (submissions and validations), and `gathering` (for a gathering RSVP: its virtual_gathering as
/// currently read; UNVERIFIED_ENTITY etc. naming `gathering` when it is no evidence, INVALID_INPUT
/// when it is not the RSVP's gathering). List entities about other sessions are passed over
/// silently; those that are no evidence are counted in `ignored`.
/// An occurrence RSVP (seriesKey + recurrenceId, docs/domain.md#occurrence-rsvps) takes as `gathering`
/// its occurrence's gathering: signed by the RSVP's organizer, with the same recurrenceId and the
/// RSVP's seriesKey or a series that continues it through `links` (series::split_links).
SessionEvidence read_session_evidence(const Input& in, const entities::SplitLinks* links = nullptr);

/// The computed status with its evidence.
struct Status {
  State state = State::Pending;
  std::optional<std::string> reason;       ///< 'declined' (rejection), 'gathering-cancelled' or 'stored' (stored status honoured)
  std::optional<entities::Wallet> by;      ///< the rejecting wallet
  Confirmed confirmed;
  bool is_gathering_rsvp = false;
  UtcTime starts_at;   ///< sessionDate (an RSVP read with its gathering: the gathering's)
  UtcTime ends_at;     ///< starts_at + duration (likewise)
  UtcTime expires_at;  ///< the session entity's own expiry: its sessionDate + duration + 1 h
  std::optional<std::string> video_join_url;  ///< the newest session_jitsi's join URL
  std::optional<std::string> video_room_name; ///< and its room name
  std::optional<std::string> payment_tx_hash; ///< the newest payment submission's
  std::optional<bool> payment_validated;      ///< the newest validation of that transaction
  entities::Ignored ignored;

  /// {status, reason?, by?, mentorConfirmed, learnerConfirmed, isGatheringRsvp, startsAt, endsAt,
  ///  expiresAt (ISO 8601 UTC), videoJoinUrl?, videoRoomName?, payment?: {txHash, validated|null},
  ///  ignored: {unverified, conflicting, malformed, total}}.
  Json to_json() const;
};

/// Computes the status at `now` (UTC).
Status compute_status(const SessionEvidence& evidence, UtcTime now);

/// Bulk form for a page of sessions: `sessions` plus every companion list for all of them, decoded
/// once and matched by `sessionKey` in one pass. Returns {sessions: [{session: <parsed>, status:
/// <Status JSON>}], ignored} for the sessions that are evidence, in input order; the ones that are
/// not are counted in `ignored` with the companions that were no evidence.
Json compute_statuses(const Input& in, UtcTime now);

}  // namespace convene::sessions
