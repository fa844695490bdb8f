#include "core/sessions/status.h"

#include "core/entities/raw_entity.h"
#include "core/entities/wallet.h"
#include "core/error.h"

namespace convene::sessions {
namespace {

/// Calls `fn(wallet, createdAt)` for each entity in `list` that belongs to `s` and whose
/// `by_key` wallet is a participant. Malformed entries are errors naming their index.
template <class F>
void for_each_participant_entity(const entities::SessionInfo& s, const Json& list, std::string_view field,
                                 std::string_view by_key, F&& fn) {
  if (list.is_null()) return;
  if (!list.is_array())
    throw Error(code::kInvalidType, std::string(field), std::string(field) + " must be an array, got " + json_type_name(list));
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::string f = std::string(field) + "[" + std::to_string(i) + "]";
    Json flat = entities::flatten_entity(list[i], f);
    Input in(flat, f);
    auto key = in.opt_str("sessionKey");
    if (key && !s.key.empty() && *key != s.key) continue;  // another session's
    auto by = in.opt_str(by_key);
    if (!by || !entities::is_wallet(*by)) continue;  // unusable wallet: not evidence
    std::string w = entities::normalize_wallet(*by, in.field(by_key));
    if (w != s.mentor && w != s.learner) continue;  // not a participant
    fn(w, in.opt_str("createdAt").value_or(""));
  }
}

}  // namespace

Json Status::to_json() const {
  Json j = {{"status", status},
            {"mentorConfirmed", mentor_confirmed},
            {"learnerConfirmed", learner_confirmed},
            {"isGatheringRsvp", is_gathering_rsvp},
            {"startsAt", format_iso8601(starts_at)},
            {"endsAt", format_iso8601(ends_at)},
            {"expiresAt", format_iso8601(expires_at)}};
  if (reason) j["reason"] = *reason;
  if (by) j["by"] = *by;
  return j;
}

Confirmed confirmed_by(const entities::SessionInfo& s, const Json& confirmations, std::string_view field) {
  Confirmed c;
  for_each_participant_entity(s, confirmations, field, "confirmedBy", [&](const std::string& w, const std::string&) {
    if (w == s.mentor) c.mentor = true;
    if (w == s.learner) c.learner = true;
  });
  return c;
}

Status compute_status(const entities::SessionInfo& s, const Json& confirmations, const Json& rejections, UtcTime now) {
  Status st;
  st.starts_at = s.date;
  st.ends_at = s.ends_at();
  st.expires_at = st.ends_at + std::chrono::hours{1};
  st.is_gathering_rsvp = s.is_rsvp();

  Confirmed c = confirmed_by(s, confirmations, "confirmations");
  if (s.mentor == s.learner && s.stored_status == "scheduled") c.mentor = c.learner = true;  // later RSVP variant
  st.mentor_confirmed = c.mentor;
  st.learner_confirmed = c.learner;

  std::optional<std::pair<std::string, std::string>> rejection;  // (createdAt, wallet), earliest
  for_each_participant_entity(s, rejections, "rejections", "rejectedBy", [&](const std::string& w, const std::string& at) {
    if (!rejection || at < rejection->first) rejection = std::make_pair(at, w);
  });

  if (rejection) {
    st.status = "cancelled";
    st.reason = "declined";
    st.by = rejection->second;
    return st;
  }
  if (s.stored_status == "cancelled" || s.stored_status == "completed") {
    st.status = s.stored_status;
    st.reason = "stored";
    return st;
  }
  bool confirmed = st.is_gathering_rsvp ? c.learner : (c.mentor && c.learner);
  if (confirmed) {
    st.status = now < st.starts_at ? "scheduled" : now < st.ends_at ? "in-progress" : "completed";
  } else {
    st.status = now < st.starts_at ? "pending" : "expired";
  }
  return st;
}

}  // namespace convene::sessions
