#include "core/entities/session_companions.h"

#include "core/entities/expiry.h"
#include "core/entities/record.h"
#include "core/entities/wallet.h"
#include "core/error.h"
#include "core/jitsi/room.h"

namespace convene::entities {
namespace {

EntityDraft companion(std::string type, const SessionInfo& s, const BuildContext& ctx) {
  EntityDraft d;
  d.expires_in = session_expires_in(s.date, s.duration_minutes, ctx.now);
  d.attr("type", std::move(type));
  d.attr("sessionKey", s.key);
  d.attr("mentorWallet", s.mentor.str());
  d.attr("learnerWallet", s.learner.str());
  d.attr("spaceId", ctx.space_id);
  d.attr("createdAt", format_iso8601(ctx.now));
  return d;
}

Wallet participant(const Input& in, std::string_view key, const SessionInfo& s) {
  Wallet w = Wallet::parse(in.str(key), in.field(key));
  if (!s.is_participant(w))
    throw Error(code::kNotParticipant, in.field(key), in.field(key) + " is neither the session's mentor nor its learner");
  return w;
}

}  // namespace

SessionInfo companion_session(const Input& in) {
  const Json* session = in.get("session");
  if (!session) throw Error(code::kMissingField, in.field("session"), in.field("session") + " is required (the session entity)");
  SessionInfo s = session_info(*session, in.field("session"));
  if (auto k = in.opt_str("sessionKey"); k && !k->empty()) s.key = *k;
  if (s.key.empty())
    throw Error(code::kMissingField, in.field("sessionKey"), in.field("sessionKey") + " is required (or session.key)");
  return s;
}

EntityDraft build_session_confirmation(const Input& in, const BuildContext& ctx) {
  SessionInfo s = companion_session(in);
  Wallet by = participant(in, "confirmedBy", s);
  EntityDraft d = companion("session_confirmation", s, ctx);
  d.attr("confirmedBy", by.str());
  d.payload["confirmedAt"] = format_iso8601(ctx.now);
  return d;
}

EntityDraft build_session_rejection(const Input& in, const BuildContext& ctx) {
  SessionInfo s = companion_session(in);
  Wallet by = participant(in, "rejectedBy", s);
  EntityDraft d = companion("session_rejection", s, ctx);
  d.attr("rejectedBy", by.str());
  d.payload["rejectedAt"] = format_iso8601(ctx.now);
  if (auto r = in.opt_str("reason"); r && !r->empty()) d.payload["reason"] = *r;
  return d;
}

EntityDraft build_session_jitsi(const Input& in, const BuildContext& ctx) {
  SessionInfo s = companion_session(in);
  auto base = in.opt_str("baseUrl");
  std::string room = jitsi::session_room_name(s.key);
  std::string url = base && !base->empty() ? jitsi::join_url(room, *base) : jitsi::join_url(room);
  EntityDraft d = companion("session_jitsi", s, ctx);
  d.payload = {{"videoProvider", "jitsi"},
               {"videoRoomName", room},
               {"videoJoinUrl", url},
               {"generatedAt", format_iso8601(ctx.now)}};
  return d;
}

EntityDraft build_payment_submission(const Input& in, const BuildContext& ctx) {
  SessionInfo s = companion_session(in);
  Wallet by = Wallet::parse(in.str("submittedBy"), in.field("submittedBy"));
  if (by != s.learner)
    throw Error(code::kNotParticipant, in.field("submittedBy"), in.field("submittedBy") + " must be the session's learner");
  std::string tx = normalize_hash32(in.str("paymentTxHash"), in.field("paymentTxHash"));
  EntityDraft d = companion("session_payment_submission", s, ctx);
  d.attr("paymentTxHash", tx);
  d.attr("submittedBy", by.str());
  d.payload = {{"paymentTxHash", tx}, {"submittedAt", format_iso8601(ctx.now)}};
  return d;
}

EntityDraft build_payment_validation(const Input& in, const BuildContext& ctx) {
  SessionInfo s = companion_session(in);
  Wallet by = Wallet::parse(in.str("validatedBy"), in.field("validatedBy"));
  if (by != s.mentor)
    throw Error(code::kNotParticipant, in.field("validatedBy"), in.field("validatedBy") + " must be the session's mentor");
  std::string tx = normalize_hash32(in.str("paymentTxHash"), in.field("paymentTxHash"));
  auto validated = in.opt_bool("validated");
  if (!validated) throw Error(code::kMissingField, in.field("validated"), in.field("validated") + " is required (a boolean)");
  EntityDraft d = companion("session_payment_validation", s, ctx);
  d.attr("paymentTxHash", tx);
  d.attr("validatedBy", by.str());
  d.attr("validated", *validated ? "true" : "false");
  d.payload = {{"paymentTxHash", tx}, {"validated", *validated}, {"validatedAt", format_iso8601(ctx.now)}};
  return d;
}

EntityDraft build_session_txhash(const Input& in, const BuildContext& ctx) {
  SessionInfo s = companion_session(in);
  std::string tx = normalize_hash32(in.str("txHash"), in.field("txHash"));
  EntityDraft d = companion("session_txhash", s, ctx);
  d.attr("txHash", tx);
  d.payload = {{"txHash", tx}};
  return d;
}

namespace {

/// The merged fields of a companion of `session`, or nullopt when it names another session.
std::optional<Json> companion_fields(const EntityRecord& r, const SessionInfo& session, std::string_view field) {
  Json flat = r.merged(field);
  Input in(flat, std::string(field));
  if (in.str("sessionKey") != session.key) return std::nullopt;
  return flat;
}

}  // namespace

std::optional<Verified<SessionAck>> verify_ack(const EntityRecord& r, AckKind kind, const Verified<SessionInfo>& session,
                                               std::string_view field) {
  auto flat = companion_fields(r, *session, field);
  if (!flat) return std::nullopt;
  Input in(*flat, std::string(field));
  const char* by_key = kind == AckKind::Confirmation ? "confirmedBy" : "rejectedBy";
  SessionAck ack{kind, session->key, Wallet::parse(in.str(by_key), in.field(by_key))};
  const Wallet by = ack.by;
  if (!session->is_participant(by))
    throw Error(code::kUnverifiedEntity, in.field(by_key), in.field(by_key) + " is not a participant of the session");
  return SignerCheck::require(std::move(ack), r.provenance, {&by}, field);
}

std::optional<Verified<SessionRoom>> verify_session_room(const EntityRecord& r, const Verified<SessionInfo>& session,
                                                         std::string_view field) {
  auto flat = companion_fields(r, *session, field);
  if (!flat) return std::nullopt;
  Input in(*flat, std::string(field));
  SessionRoom room{session->key, in.str("videoRoomName"), in.str("videoJoinUrl")};
  return SignerCheck::require(std::move(room), r.provenance, {&session->mentor, &session->learner}, field);
}

std::optional<Verified<SessionPayment>> verify_payment(const EntityRecord& r, const Verified<SessionInfo>& session,
                                                       std::string_view field) {
  auto flat = companion_fields(r, *session, field);
  if (!flat) return std::nullopt;
  Input in(*flat, std::string(field));
  auto type = r.type();
  bool validation = type && *type == "session_payment_validation";
  SessionPayment p{validation, normalize_hash32(in.str("paymentTxHash"), in.field("paymentTxHash")),
                   validation && in.opt_bool("validated").value_or(false)};
  // Submissions are the learner's, validations the mentor's (docs/trust.md).
  return SignerCheck::require(std::move(p), r.provenance, {validation ? &session->mentor : &session->learner}, field);
}

}  // namespace convene::entities
