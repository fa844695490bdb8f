// convene/core/entities/session_companions.h — entities that hang off a session by `sessionKey`.
//
// Every builder here takes `session` (the session entity, raw as the SDK returns it
// or as `parse` returns it; its `key` is the sessionKey, or pass `sessionKey`
// explicitly) and writes the common attributes
//   type, sessionKey, mentorWallet, learnerWallet, spaceId, createdAt
// with the session's expiry (sessionDate + duration + 1 h - now; DESIGN.md §4.2, seed 004).
#pragma once

#include "core/entities/draft.h"
#include "core/entities/session.h"
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
/// videoRoomName, videoJoinUrl, generatedAt}; the room is `mg-{sessionKey}-{hash}` (seed 001).
EntityDraft build_session_jitsi(const Input& in, const BuildContext& ctx);

/// `session_payment_submission`: input {session, paymentTxHash, submittedBy}; the
/// learner only. Attributes add paymentTxHash, submittedBy. Payload {paymentTxHash, submittedAt}.
EntityDraft build_payment_submission(const Input& in, const BuildContext& ctx);

/// `session_payment_validation`: input {session, paymentTxHash, validatedBy, validated (bool)};
/// the mentor only. Attributes add paymentTxHash, validatedBy, validated ('true'|'false').
EntityDraft build_payment_validation(const Input& in, const BuildContext& ctx);

/// `session_txhash`: input {session, txHash}: links the session to the transaction that wrote it.
EntityDraft build_session_txhash(const Input& in, const BuildContext& ctx);

}  // namespace convene::entities
