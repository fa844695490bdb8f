// convene/core/entities/session.h — the `session` entity (docs/domain.md#session).
//
// A session is a mentorship meeting between a mentor and a learner, or an RSVP to a
// virtual gathering written as a session (docs/domain.md#gathering-rsvps: mentor = organizer,
// learner = attendee, skill `virtual_gathering_rsvp`, `gatheringKey`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/entities/draft.h"
#include "core/entities/record.h"
#include "core/entities/verified.h"
#include "core/entities/wallet.h"
#include "core/json_input.h"

namespace convene::entities {

/// The skill value that marks a session as a gathering RSVP (docs/domain.md#gathering-rsvps).
inline constexpr std::string_view kRsvpSkill = "virtual_gathering_rsvp";
/// Default session length in minutes (docs/domain.md#session).
inline constexpr std::int64_t kDefaultDurationMinutes = 60;
/// Longest accepted duration: one week, in minutes.
inline constexpr std::int64_t kMaxDurationMinutes = 7 * 24 * 60;

/// Reads a duration in whole minutes from `in[key]` (default 60). Throws
/// INVALID_DURATION for zero, negative, fractional or over-a-week values.
std::int64_t read_duration(const Input& in, std::string_view key = "duration");

/// The `status` a session entity stores (p2pmentor writes 'pending' at creation, 'scheduled' for a
/// gathering RSVP, and a participant may later update it to 'cancelled' or 'completed').
enum class StoredStatus { Pending, Scheduled, Cancelled, Completed };

/// "pending" | "scheduled" | "cancelled" | "completed".
std::string_view to_string(StoredStatus s);
/// Reads a stored status; absent means Pending. Throws MALFORMED_ENTITY naming `field` otherwise.
StoredStatus parse_stored_status(const std::optional<std::string>& text, std::string_view field);

/// The fields of a session that other computations need, from a raw or parsed entity.
struct SessionInfo {
  std::string key;                         ///< entityKey ("" if not stored yet)
  Wallet mentor;
  Wallet learner;
  UtcTime date;                            ///< sessionDate (UTC)
  std::int64_t duration_minutes = kDefaultDurationMinutes;
  std::string skill;
  std::optional<std::string> gathering_key;
  StoredStatus stored_status = StoredStatus::Pending;
  /// An RSVP to an occurrence of a series (docs/domain.md#occurrence-rsvps): the series and the
  /// occurrence's RECURRENCE-ID, always both or neither; `gathering_key` is set too when the
  /// occurrence had a gathering when the RSVP was written.
  std::optional<std::string> series_key;
  std::optional<UtcTime> recurrence_id;

  /// A gathering RSVP (docs/domain.md#gathering-rsvps), an occurrence RSVP (series + RECURRENCE-ID)
  /// or p2pmentor's later variant (mentor == learner).
  bool is_rsvp() const;
  /// The attendee of an RSVP (its learner).
  const Wallet& attendee() const { return learner; }
  bool is_participant(const Wallet& w) const { return w == mentor || w == learner; }
  UtcTime ends_at() const;
};

/// Reads a SessionInfo from a session entity as the SDK returns it or as `parse` returns it,
/// without deciding on trust (builders use it for the caller's own `session` input).
/// Throws MISSING_FIELD / INVALID_WALLET / INVALID_DATE naming `field.<name>` (a `seriesKey`
/// without a `recurrenceId` or the other way round: MISSING_FIELD naming the absent one).
SessionInfo session_info(const Json& session, std::string_view field);

/// The session a decoded entity describes, if it is evidence: signed by its mentor or its learner
/// (an RSVP: by its attendee, the learner) — docs/trust.md. Throws UNVERIFIED_ENTITY,
/// CONFLICTING_FIELDS, MALFORMED_ENTITY or the field errors of `session_info`, naming `field`.
Verified<SessionInfo> verify_session(const EntityRecord& record, std::string_view field);

/// Builds a `session`. Input (JSON object, read as `input`):
///   mentorWallet, learnerWallet (required, any case -> lowercase; must differ unless an RSVP),
///   skill (required), skill_id?, sessionDate (ISO 8601 with offset), duration? (minutes, default 60),
///   notes?, requiresPayment? (bool; then paymentAddress and cost are required), paymentAddress?, cost?,
///   gatheringKey?, gatheringTitle?, community?, status? ('pending' default; 'scheduled' only for RSVPs),
///   seriesKey? + recurrenceId? (an occurrence RSVP: both or neither; MISSING_FIELD naming the other).
/// Attributes: type, mentorWallet, learnerWallet, skill, skill_id?, gatheringKey?, seriesKey?, recurrenceId? (UTC ISO), spaceId, createdAt,
/// sessionDate, status, requiresPayment? ('true'), paymentAddress?, cost?.
/// Payload: sessionDate, duration, notes, requiresPayment, paymentAddress?, cost?, gatheringKey?,
/// seriesKey?, recurrenceId?, gatheringTitle?, community?. expiresIn: sessionDate + duration + 1 h - now (SESSION_ENDED if over).
/// A request (not an RSVP) must start after `now`: STARTS_IN_PAST naming `input.sessionDate` otherwise.
EntityDraft build_session(const Input& in, const BuildContext& ctx);

/// Builds the RSVP session of `attendeeWallet` to `gathering` (a raw or parsed
/// virtual_gathering with its `key`): the shape in docs/domain.md#gathering-rsvps. When `existingRsvps`
/// (sessions already read for this gathering) holds one by the same attendee that
/// was not rejected, throws ALREADY_RSVPED (field `input.attendeeWallet`).
EntityDraft build_gathering_rsvp(const Input& in, const BuildContext& ctx);

/// Typed view of a session for readers: wallets lowercase, sessionDate normalized,
/// duration a number (default 60), requiresPayment a boolean, plus `isGatheringRsvp`.
Json parse_session(Json flat, std::string_view field);

}  // namespace convene::entities
