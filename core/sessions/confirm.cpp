#include "core/sessions/confirm.h"

#include "core/entities/session_companions.h"
#include "core/entities/wallet.h"
#include "core/error.h"
#include "core/sessions/status.h"

namespace convene::sessions {

ConfirmationPlan plan_confirmation(const Input& in, const entities::BuildContext& ctx) {
  SessionEvidence ev = read_session_evidence(in);
  const entities::SessionInfo& s = *ev.session;
  entities::Wallet by = entities::Wallet::parse(in.str("by"), in.field("by"));
  if (!s.is_participant(by))
    throw Error(code::kNotParticipant, in.field("by"), in.field("by") + " is neither the session's mentor nor its learner");

  // The same rule as the status (status.h): a session the status reports as confirmed gets no
  // second confirmation.
  Confirmed before = ev.confirmed();
  ConfirmationPlan plan;
  plan.already_confirmed = (by == s.mentor && before.mentor) || (by == s.learner && before.learner);

  Json companion_input = {{"session", in.json().at("session")}, {"sessionKey", s.key}, {"confirmedBy", by.str()}};
  if (auto base = in.opt_str("baseUrl")) companion_input["baseUrl"] = *base;
  Input cin(companion_input, in.path());
  if (!plan.already_confirmed) plan.confirmation = entities::build_session_confirmation(cin, ctx);

  Confirmed after = before;
  if (by == s.mentor) after.mentor = true;
  if (by == s.learner) after.learner = true;
  // Only a participant's session_jitsi counts as already written: a forged one must not stop the
  // real room from being written. Gathering RSVPs use the gathering's own room.
  if (after.complete(s) && !before.complete(s) && ev.rooms.empty() && !s.is_rsvp())
    plan.jitsi = entities::build_session_jitsi(cin, ctx);
  return plan;
}

Json to_json(const ConfirmationPlan& plan) {
  return Json{{"confirmation", plan.confirmation ? plan.confirmation->to_json() : Json()},
              {"jitsi", plan.jitsi ? plan.jitsi->to_json() : Json()},
              {"alreadyConfirmed", plan.already_confirmed}};
}

}  // namespace convene::sessions
