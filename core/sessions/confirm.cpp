#include "core/sessions/confirm.h"

#include "core/entities/session_companions.h"
#include "core/entities/wallet.h"
#include "core/error.h"
#include "core/sessions/status.h"

namespace convene::sessions {

ConfirmationPlan plan_confirmation(const Input& in, const entities::BuildContext& ctx) {
  entities::SessionInfo s = entities::companion_session(in);
  std::string by = entities::normalize_wallet(in.str("by"), in.field("by"));
  if (by != s.mentor && by != s.learner)
    throw Error(code::kNotParticipant, in.field("by"), in.field("by") + " is neither the session's mentor nor its learner");

  const Json* list = in.get("confirmations");
  Confirmed before = confirmed_by(s, list ? *list : Json(), in.field("confirmations"));
  ConfirmationPlan plan;
  plan.already_confirmed = (by == s.mentor && before.mentor) || (by == s.learner && before.learner);

  Json companion_input = {{"session", in.json().at("session")}, {"sessionKey", s.key}, {"confirmedBy", by}};
  if (auto base = in.opt_str("baseUrl")) companion_input["baseUrl"] = *base;
  Input cin(companion_input, in.path());
  if (!plan.already_confirmed) plan.confirmation = entities::build_session_confirmation(cin, ctx);

  Confirmed after = before;
  if (by == s.mentor) after.mentor = true;
  if (by == s.learner) after.learner = true;
  bool complete_now = s.is_rsvp() ? after.learner : (after.mentor && after.learner);
  bool complete_before = s.is_rsvp() ? before.learner : (before.mentor && before.learner);
  const Json* jitsi = in.get("jitsi");
  bool has_jitsi = jitsi && jitsi->is_array() && !jitsi->empty();
  // Gathering RSVPs use the gathering's own room; only 1:1 sessions get a session_jitsi.
  if (complete_now && !complete_before && !has_jitsi && !s.is_rsvp())
    plan.jitsi = entities::build_session_jitsi(cin, ctx);
  return plan;
}

Json to_json(const ConfirmationPlan& plan) {
  return Json{{"confirmation", plan.confirmation ? plan.confirmation->to_json() : Json()},
              {"jitsi", plan.jitsi ? plan.jitsi->to_json() : Json()},
              {"alreadyConfirmed", plan.already_confirmed}};
}

}  // namespace convene::sessions
