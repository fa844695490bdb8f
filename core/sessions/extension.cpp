#include "core/sessions/extension.h"

#include <chrono>
#include <optional>
#include <string>

#include "core/entities/expiry.h"
#include "core/entities/reader.h"
#include "core/entities/session_companions.h"
#include "core/error.h"
#include "core/sessions/status.h"

namespace convene::sessions {

Json plan_rsvp_extension(const Input& in, UtcTime now) {
  const auto current = in.opt_number("currentBlock");
  if (!current) throw Error(code::kMissingField, in.field("currentBlock"), in.field("currentBlock") + " is required (the block observed at now)");
  if (!in.get("gathering")) throw Error(code::kMissingField, in.field("gathering"), in.field("gathering") + " is required (the RSVP's gathering as read now)");
  // The RSVP and its gathering, checked exactly as the status reads them.
  const SessionEvidence ev = read_session_evidence(in);
  if (!ev.session->is_rsvp())
    throw Error(code::kInvalidInput, in.field("session"), in.field("session") + " is not a gathering RSVP");
  const auto& g = *ev.gathering;

  Json extend = Json::array();
  std::size_t unknown = 0;
  entities::Ignored ignored;
  const UtcTime gathering_end = g->date + std::chrono::minutes{g->duration_minutes};
  if (g->cancelled || gathering_end <= now)
    return Json{{"extend", extend}, {"unknown", unknown}, {"ignored", ignored.to_json()}};
  const UtcTime target = entities::session_expires_at(g->date, g->duration_minutes);
  auto plan = [&](const std::string& key, const std::optional<std::uint64_t>& block) {
    if (!block) {
      ++unknown;
      return;
    }
    const UtcTime expiry = entities::expires_at_from_block(static_cast<std::int64_t>(*block), static_cast<std::int64_t>(*current), now);
    if (expiry >= target) return;
    extend.push_back({{"entityKey", key}, {"expiresIn", std::chrono::ceil<std::chrono::seconds>(target - expiry).count()}});
  };
  const auto record = entities::decode_entity(*in.get("session"), in.field("session"));
  plan(record.key, record.provenance.expires_at_block);
  const entities::Wallet attendee = ev.session->attendee();
  entities::for_each_entity(in.get("confirmations"), in.field("confirmations"), ignored, [&](const entities::EntityRecord& r, const std::string& f) {
    auto ack = entities::verify_ack(r, entities::AckKind::Confirmation, ev.session, f);
    if (ack && (*ack)->by == attendee) plan(r.key, r.provenance.expires_at_block);
  });
  return Json{{"extend", std::move(extend)}, {"unknown", unknown}, {"ignored", ignored.to_json()}};
}

}  // namespace convene::sessions
