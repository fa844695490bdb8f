#include "core/sessions/status.h"

#include <algorithm>

#include "core/entities/record.h"
#include "core/error.h"

namespace convene::sessions {

using entities::AckKind;
using entities::EntityRecord;
using entities::Verified;

std::string_view to_string(State s) {
  switch (s) {
    case State::Pending: return "pending";
    case State::Scheduled: return "scheduled";
    case State::InProgress: return "in-progress";
    case State::Completed: return "completed";
    case State::Cancelled: return "cancelled";
    case State::Expired: return "expired";
  }
  return "pending";
}

Confirmed SessionEvidence::confirmed() const {
  Confirmed c;
  for (const auto& ack : confirmations) {
    if (ack->by == session->mentor) c.mentor = true;
    if (ack->by == session->learner) c.learner = true;
  }
  // p2pmentor's later RSVP variant: one wallet, stored 'scheduled', signed by the attendee.
  if (session->mentor == session->learner && session->stored_status == entities::StoredStatus::Scheduled)
    c.mentor = c.learner = true;
  return c;
}

namespace {

/// One decoded companion with its field path, waiting to be matched with its session.
struct Pending {
  EntityRecord record;
  std::string field;
};

/// Companion lists decoded once, grouped by the sessionKey they claim (a routing hint only: each
/// is verified against the session it claims before it counts).
struct CompanionIndex {
  enum List : std::size_t { kConfirmations, kRejections, kRooms, kPayments, kLists };
  std::map<std::string, std::vector<Pending>, std::less<>> by_list[kLists];
  entities::Ignored ignored;

  void add(List list, const Json* entities, std::string_view field) {
    entities::for_each_entity(entities, field, ignored, [&](EntityRecord r, const std::string& f) {
      Json flat = r.merged(f);  // conflicts and reserved names are counted here, once
      auto k = flat.find("sessionKey");
      if (k == flat.end() || !k->is_string()) throw Error(code::kMalformedEntity, f + ".sessionKey", f + ".sessionKey is missing");
      by_list[list][k->get<std::string>()].push_back(Pending{std::move(r), f});
    });
  }

  explicit CompanionIndex(const Input& in) {
    add(kConfirmations, in.get("confirmations"), in.field("confirmations"));
    add(kRejections, in.get("rejections"), in.field("rejections"));
    add(kRooms, in.get("jitsi"), in.field("jitsi"));
    add(kPayments, in.get("payments"), in.field("payments"));
  }

  /// Verifies the companions claiming `session`'s key into `ev`, counting failures in `ev.ignored`.
  void collect(SessionEvidence& ev) const {
    auto each = [&](List list, auto&& fn) {
      auto it = by_list[list].find(ev.session->key);
      if (it == by_list[list].end()) return;
      for (const Pending& p : it->second) {
        try {
          fn(p);
        } catch (const Error& e) {
          ev.ignored.count(e);
        } catch (const Json::exception&) {
          ev.ignored.count_malformed();
        }
      }
    };
    each(kConfirmations, [&](const Pending& p) {
      if (auto a = entities::verify_ack(p.record, AckKind::Confirmation, ev.session, p.field)) ev.confirmations.push_back(*a);
    });
    each(kRejections, [&](const Pending& p) {
      if (auto a = entities::verify_ack(p.record, AckKind::Rejection, ev.session, p.field)) ev.rejections.push_back(*a);
    });
    each(kRooms, [&](const Pending& p) {
      if (auto r = entities::verify_session_room(p.record, ev.session, p.field)) ev.rooms.push_back(*r);
    });
    each(kPayments, [&](const Pending& p) {
      if (auto x = entities::verify_payment(p.record, ev.session, p.field)) ev.payments.push_back(*x);
    });
  }
};

template <class T>
const Verified<T>* newest(const std::vector<Verified<T>>& list) {
  const Verified<T>* best = nullptr;
  for (const auto& v : list)
    if (!best || v.newer_than(*best)) best = &v;
  return best;
}

template <class T>
const Verified<T>* oldest(const std::vector<Verified<T>>& list) {
  const Verified<T>* best = nullptr;
  for (const auto& v : list)
    if (!best || best->newer_than(v)) best = &v;
  return best;
}

}  // namespace

SessionEvidence read_session_evidence(const Input& in, const entities::SplitLinks* links) {
  const Json* session = in.get("session");
  if (!session) throw Error(code::kMissingField, in.field("session"), in.field("session") + " is required (the session entity)");
  SessionEvidence ev{entities::verify_session(entities::decode_entity(*session, in.field("session")), in.field("session")),
                     {}, {}, {}, {}, {}, {}};
  if (const Json* g = in.get("gathering")) {
    const std::string f = in.field("gathering");
    auto gathering = entities::verify_gathering(entities::decode_entity(*g, f), f);
    const auto& key = ev.session->gathering_key;
    const auto& s = *ev.session;
    // An occurrence RSVP: the gathering its occurrence has now (it may have been materialized after the RSVP).
    const bool occurrence = s.series_key && s.recurrence_id && gathering->series_key && gathering->recurrence_id == s.recurrence_id &&
                            gathering->organizer == s.mentor && entities::continues_series(*gathering->series_key, *s.series_key, links);
    if (!s.is_rsvp() || !((key && *key == gathering->key) || occurrence))
      throw Error(code::kInvalidInput, f,
                  f + " (" + (gathering->key.empty() ? std::string("without a key") : gathering->key) + ") is not the gathering this RSVP names (" +
                      key.value_or("none") + ")");
    ev.gathering = std::move(gathering);
  }
  CompanionIndex index(in);
  ev.ignored = index.ignored;
  index.collect(ev);
  return ev;
}

Json Status::to_json() const {
  Json j = {{"status", std::string(to_string(state))},
            {"mentorConfirmed", confirmed.mentor},
            {"learnerConfirmed", confirmed.learner},
            {"isGatheringRsvp", is_gathering_rsvp},
            {"startsAt", format_iso8601(starts_at)},
            {"endsAt", format_iso8601(ends_at)},
            {"expiresAt", format_iso8601(expires_at)},
            {"ignored", ignored.to_json()}};
  if (reason) j["reason"] = *reason;
  if (by) j["by"] = by->str();
  if (video_join_url) j["videoJoinUrl"] = *video_join_url;
  if (video_room_name) j["videoRoomName"] = *video_room_name;
  if (payment_tx_hash) j["payment"] = {{"txHash", *payment_tx_hash}, {"validated", payment_validated ? Json(*payment_validated) : Json()}};
  return j;
}

Status compute_status(const SessionEvidence& ev, UtcTime now) {
  const entities::SessionInfo& s = *ev.session;
  Status st;
  st.starts_at = s.date;
  st.ends_at = s.ends_at();
  st.expires_at = st.ends_at + std::chrono::hours{1};
  if (ev.gathering) {  // the gathering as read now: it may have moved since the RSVP copied its time
    st.starts_at = (*ev.gathering)->date;
    st.ends_at = st.starts_at + std::chrono::minutes{(*ev.gathering)->duration_minutes};
  }
  st.is_gathering_rsvp = s.is_rsvp();
  st.confirmed = ev.confirmed();
  st.ignored = ev.ignored;
  if (const auto* room = newest(ev.rooms)) {
    st.video_join_url = (*room)->join_url;
    st.video_room_name = (*room)->room_name;
  }
  const Verified<entities::SessionPayment>* submission = nullptr;
  for (const auto& p : ev.payments)
    if (!p->is_validation && (!submission || p.newer_than(*submission))) submission = &p;
  if (submission) {
    st.payment_tx_hash = (*submission)->tx_hash;
    const Verified<entities::SessionPayment>* validation = nullptr;
    for (const auto& p : ev.payments)
      if (p->is_validation && p->tx_hash == (*submission)->tx_hash && (!validation || p.newer_than(*validation))) validation = &p;
    if (validation) st.payment_validated = (*validation)->validated;
  }

  if (const auto* rejection = oldest(ev.rejections)) {
    st.state = State::Cancelled;
    st.reason = "declined";
    st.by = (*rejection)->by;
    return st;
  }
  if (ev.gathering && (*ev.gathering)->cancelled) {
    st.state = State::Cancelled;
    st.reason = "gathering-cancelled";
    return st;
  }
  if (s.stored_status == entities::StoredStatus::Cancelled || s.stored_status == entities::StoredStatus::Completed) {
    st.state = s.stored_status == entities::StoredStatus::Cancelled ? State::Cancelled : State::Completed;
    st.reason = "stored";
    return st;
  }
  if (st.confirmed.complete(s)) {
    st.state = now < st.starts_at ? State::Scheduled : now < st.ends_at ? State::InProgress : State::Completed;
  } else {
    st.state = now < st.starts_at ? State::Pending : State::Expired;
  }
  return st;
}

Json compute_statuses(const Input& in, UtcTime now) {
  CompanionIndex index(in);
  entities::Ignored ignored = index.ignored;
  Json out = Json::array();
  entities::for_each_entity(in.get("sessions"), in.field("sessions"), ignored, [&](EntityRecord r, const std::string& f) {
    SessionEvidence ev{entities::verify_session(r, f), {}, {}, {}, {}, {}, {}};
    index.collect(ev);
    ignored += ev.ignored;
    Status st = compute_status(ev, now);
    out.push_back(Json{{"session", entities::parse_session(r.merged(f), f)}, {"status", st.to_json()}});
  });
  return Json{{"sessions", std::move(out)}, {"ignored", ignored.to_json()}};
}

}  // namespace convene::sessions
