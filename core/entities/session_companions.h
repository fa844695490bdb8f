// convene/core/entities/session_companions.h — entities that hang off a session by `sessionKey`.
//
// Every builder here takes `session` (the session entity, raw as the SDK returns it
// or as `parse` returns it; its `key` is the sessionKey, or pass `sessionKey`
// explicitly) and writes the common attributes
//   type, sessionKey, mentorWallet, learnerWallet, spaceId, createdAt
// with the session's expiry (sessionDate + duration + 1 h - now; docs/domain.md#expiry).
#pragma once

#include "core/entities/draft.h"
#include "core/entities/record.h"
#include "core/entities/session.h"
#include "core/entities/verified.h"
#include "core/json_input.h"

namespace convene::entities {

/// The session a companion input refers to, with its key resolved
/// (MISSING_FIELD `input.sessionKey` when neither `sessionKey` nor `session.key` is given).
SessionInfo companion_session(const Input& in);

/// `session_confirmation`: input {session, confirmedBy}. Only a participant may
/// confirm (NOT_PARTICIPANT). Payload {confirmedAt}. Adds attribute `confirmedBy`.
EntityDraft build_session_confirmation(const Input& in, const BuildContext& ctx);

/// `session_rejection`: input {session, rejectedBy, reason?}. Participant only.
/// Payload {rejectedAt, reason?}. Adds attribute `rejectedBy`.
EntityDraft build_session_rejection(const Input& in, const BuildContext& ctx);

/// `session_jitsi`: input {session, baseUrl?}. Payload {videoProvider: 'jitsi',
/// videoRoomName, videoJoinUrl, generatedAt}; the room is `mg-{sessionKey}-{hash}` (docs/domain.md#jitsi-rooms).
EntityDraft build_session_jitsi(const Input& in, const BuildContext& ctx);

/// `session_payment_submission`: input {session, paymentTxHash, submittedBy}; the
/// learner only. Attributes add paymentTxHash, submittedBy. Payload {paymentTxHash, submittedAt}.
EntityDraft build_payment_submission(const Input& in, const BuildContext& ctx);

/// `session_payment_validation`: input {session, paymentTxHash, validatedBy, validated (bool)};
/// the mentor only. Attributes add paymentTxHash, validatedBy, validated ('true'|'false').
EntityDraft build_payment_validation(const Input& in, const BuildContext& ctx);

/// `session_txhash`: input {session, txHash}: links the session to the transaction that wrote it.
EntityDraft build_session_txhash(const Input& in, const BuildContext& ctx);

// --- Readers (docs/trust.md). Each takes a decoded entity and the session it claims to belong to
// (already verified), and returns nullopt when the entity names another session — not evidence
// against this one, and not counted as ignored. Otherwise it throws UNVERIFIED_ENTITY,
// CONFLICTING_FIELDS, MALFORMED_ENTITY or a field error naming `field` when the entity is no evidence.

/// A participant's confirmation or rejection of a session.
enum class AckKind { Confirmation, Rejection };
struct SessionAck {
  AckKind kind;
  std::string session_key;
  Wallet by;  ///< `confirmedBy` / `rejectedBy`: a participant, and the entity's signer
};
/// `session_confirmation` (kind Confirmation) or `session_rejection`: evidence when signed by the
/// wallet it names in `confirmedBy` / `rejectedBy`, and that wallet is a participant.
std::optional<Verified<SessionAck>> verify_ack(const EntityRecord& record, AckKind kind,
                                               const Verified<SessionInfo>& session, std::string_view field);

/// The video room a `session_jitsi` entity records; evidence when signed by a participant.
struct SessionRoom {
  std::string session_key;
  std::string room_name;  ///< videoRoomName
  std::string join_url;   ///< videoJoinUrl
};
std::optional<Verified<SessionRoom>> verify_session_room(const EntityRecord& record, const Verified<SessionInfo>& session,
                                                         std::string_view field);

/// A `session_payment_submission` (evidence when signed by the learner) or
/// `session_payment_validation` (evidence when signed by the mentor).
struct SessionPayment {
  bool is_validation = false;
  std::string tx_hash;     ///< paymentTxHash, lowercase
  bool validated = false;  ///< validations only
};
std::optional<Verified<SessionPayment>> verify_payment(const EntityRecord& record, const Verified<SessionInfo>& session,
                                                       std::string_view field);

}  // namespace convene::entities
