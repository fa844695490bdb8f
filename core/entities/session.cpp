#include "core/entities/session.h"

#include <cmath>

#include "core/entities/expiry.h"
#include "core/entities/raw_entity.h"
#include "core/entities/reader.h"
#include "core/entities/slug.h"
#include "core/entities/time_attributes.h"
#include "core/entities/wallet.h"
#include "core/error.h"

namespace convene::entities {

std::int64_t read_duration(const Input& in, std::string_view key) {
  auto d = in.opt_number(key);
  if (!d) return kDefaultDurationMinutes;
  std::string f = in.field(key);
  if (*d <= 0 || std::floor(*d) != *d || *d > kMaxDurationMinutes)
    throw Error(code::kInvalidDuration, f,
                f + " must be a whole number of minutes between 1 and " + std::to_string(kMaxDurationMinutes));
  return static_cast<std::int64_t>(*d);
}

std::string_view to_string(StoredStatus s) {
  switch (s) {
    case StoredStatus::Pending: return "pending";
    case StoredStatus::Scheduled: return "scheduled";
    case StoredStatus::Cancelled: return "cancelled";
    case StoredStatus::Completed: return "completed";
  }
  return "pending";
}

StoredStatus parse_stored_status(const std::optional<std::string>& text, std::string_view field) {
  if (!text || *text == "pending") return StoredStatus::Pending;
  if (*text == "scheduled") return StoredStatus::Scheduled;
  if (*text == "cancelled") return StoredStatus::Cancelled;
  if (*text == "completed") return StoredStatus::Completed;
  throw Error(code::kMalformedEntity, std::string(field),
              std::string(field) + " must be 'pending', 'scheduled', 'cancelled' or 'completed'");
}

bool SessionInfo::is_rsvp() const { return skill == kRsvpSkill || gathering_key.has_value() || series_key.has_value() || mentor == learner; }

UtcTime SessionInfo::ends_at() const { return date + std::chrono::minutes{duration_minutes}; }

namespace {

/// `seriesKey` and `recurrenceId` of an occurrence RSVP: both or neither (MISSING_FIELD naming the absent one).
struct OccurrenceRef {
  std::optional<std::string> series_key;
  std::optional<UtcTime> recurrence_id;
};
OccurrenceRef read_occurrence(const Input& in) {
  OccurrenceRef s;
  auto series_key = in.opt_str("seriesKey");
  if (series_key && series_key->empty()) series_key.reset();
  const bool rid = in.has("recurrenceId") && !(in.get("recurrenceId")->is_string() && in.get("recurrenceId")->get<std::string>().empty());
  if (!series_key && !rid) return s;
  if (!series_key) throw Error(code::kMissingField, in.field("seriesKey"), in.field("seriesKey") + " is required with recurrenceId (an occurrence RSVP names both)");
  if (!rid) throw Error(code::kMissingField, in.field("recurrenceId"), in.field("recurrenceId") + " is required with seriesKey (an occurrence RSVP names both)");
  s.series_key = *series_key;
  s.recurrence_id = in.instant("recurrenceId");
  return s;
}

SessionInfo session_from_flat(const Json& flat, std::string_view field) {
  Input in(flat, std::string(field));
  SessionInfo s{in.opt_str("key").value_or(""),
                     Wallet::parse(in.str("mentorWallet"), in.field("mentorWallet")),
                     Wallet::parse(in.str("learnerWallet"), in.field("learnerWallet")),
                     in.instant("sessionDate"),
                     read_duration(in),
                     in.opt_str("skill").value_or(""),
                     [&]() -> std::optional<std::string> {
                       auto g = in.opt_str("gatheringKey");
                       return g && !g->empty() ? g : std::nullopt;
                     }(),
                     parse_stored_status(in.opt_str("status"), in.field("status")),
                     std::nullopt,
                     std::nullopt};
  auto occ = read_occurrence(in);
  s.series_key = std::move(occ.series_key);
  s.recurrence_id = occ.recurrence_id;
  return s;
}

}  // namespace

SessionInfo session_info(const Json& session, std::string_view field) {
  return session_from_flat(flatten_entity(session, field), field);
}

Verified<SessionInfo> verify_session(const EntityRecord& record, std::string_view field) {
  const Json merged = record.merged(field);
  SessionInfo s = session_from_flat(merged, field);
  check_time_attributes(merged, s.date, s.ends_at(), field);
  const Wallet mentor = s.mentor, learner = s.learner;
  if (s.is_rsvp()) return SignerCheck::require(std::move(s), record.provenance, {&learner}, field);
  return SignerCheck::require(std::move(s), record.provenance, {&mentor, &learner}, field);
}

namespace {

void add_payment(const Input& in, EntityDraft& d) {
  bool requires_payment = in.opt_bool("requiresPayment").value_or(false);
  d.payload["requiresPayment"] = requires_payment;
  if (!requires_payment) return;
  std::string address = normalize_wallet(in.str("paymentAddress"), in.field("paymentAddress"));
  std::string cost = in.str("cost");
  d.attr("requiresPayment", "true");
  d.attr("paymentAddress", address);
  d.attr("cost", cost);
  d.payload["paymentAddress"] = address;
  d.payload["cost"] = cost;
}

}  // namespace

EntityDraft build_session(const Input& in, const BuildContext& ctx) {
  Wallet mentor = Wallet::parse(in.str("mentorWallet"), in.field("mentorWallet"));
  Wallet learner = Wallet::parse(in.str("learnerWallet"), in.field("learnerWallet"));
  std::string skill = in.str("skill");
  auto gathering_key = in.opt_str("gatheringKey");
  const OccurrenceRef occurrence = read_occurrence(in);
  bool rsvp = skill == kRsvpSkill || (gathering_key && !gathering_key->empty()) || occurrence.series_key;
  if (mentor == learner && !rsvp)
    throw Error(code::kSameParticipant, in.field("learnerWallet"),
                in.field("learnerWallet") + " must differ from mentorWallet (only gathering RSVPs may use one wallet)");
  UtcTime date = in.instant("sessionDate");
  std::int64_t duration = read_duration(in);
  std::string status = in.opt_str("status").value_or("pending");
  if (status != "pending" && !(rsvp && status == "scheduled"))
    throw Error(code::kInvalidInput, in.field("status"),
                in.field("status") + " must be 'pending' (or 'scheduled' for a gathering RSVP) when a session is created");

  EntityDraft d;
  d.expires_in = session_expires_in(date, duration, ctx.now);  // SESSION_ENDED when the window is over
  // A request asks for a meeting to come; an RSVP may join a gathering that is already running.
  if (!rsvp && date <= ctx.now)
    throw Error(code::kStartsInPast, in.field("sessionDate"),
                in.field("sessionDate") + " must be in the future: a session request asks for a meeting to come");
  std::string date_iso = format_iso8601(date);
  d.attr("type", "session");
  d.attr("mentorWallet", mentor.str());
  d.attr("learnerWallet", learner.str());
  d.attr("skill", skill);
  if (auto sid = in.opt_str("skill_id"); sid && !sid->empty()) d.attr("skill_id", *sid);
  if (gathering_key && !gathering_key->empty()) d.attr("gatheringKey", *gathering_key);
  if (occurrence.series_key) {
    d.attr("seriesKey", *occurrence.series_key);
    d.attr("recurrenceId", format_iso8601(*occurrence.recurrence_id));
  }
  d.attr("spaceId", ctx.space_id);
  d.attr("createdAt", format_iso8601(ctx.now));
  d.attr("sessionDate", date_iso);
  d.attr("status", status);
  add_time_attributes(d, date, date + std::chrono::minutes{duration});

  d.payload["sessionDate"] = date_iso;
  d.payload["duration"] = duration;
  d.payload["notes"] = in.opt_str("notes").value_or("");
  add_payment(in, d);
  if (gathering_key && !gathering_key->empty()) d.payload["gatheringKey"] = *gathering_key;
  if (occurrence.series_key) {
    d.payload["seriesKey"] = *occurrence.series_key;
    d.payload["recurrenceId"] = format_iso8601(*occurrence.recurrence_id);
  }
  if (auto t = in.opt_str("gatheringTitle")) d.payload["gatheringTitle"] = *t;
  if (auto c = in.opt_str("community")) d.payload["community"] = *c;
  return d;
}

EntityDraft build_gathering_rsvp(const Input& in, const BuildContext& ctx) {
  const Json* g = in.get("gathering");
  if (!g) throw Error(code::kMissingField, in.field("gathering"), in.field("gathering") + " is required (the virtual_gathering entity)");
  Json gathering = flatten_entity(*g, in.field("gathering"));
  Input gin(gathering, in.field("gathering"));
  std::string gathering_key = gin.str("key");
  Wallet organizer = Wallet::parse(gin.str("organizerWallet"), gin.field("organizerWallet"));
  Wallet attendee = Wallet::parse(in.str("attendeeWallet"), in.field("attendeeWallet"));

  // Only the attendee's own RSVPs count: one written in their name by another wallet blocks nothing.
  Ignored ignored;
  bool already = false;
  for_each_entity(in.get("existingRsvps"), in.field("existingRsvps"), ignored, [&](const EntityRecord& r, const std::string& f) {
    auto other = verify_session(r, f);
    already = already || (other->gathering_key == gathering_key && other->learner == attendee &&
                          other->stored_status != StoredStatus::Cancelled);
  });
  if (already)
    throw Error(code::kAlreadyRsvped, in.field("attendeeWallet"), in.field("attendeeWallet") + " has already RSVPed to this gathering");

  Json session = {{"mentorWallet", organizer.str()},
                  {"learnerWallet", attendee.str()},
                  {"skill", std::string(kRsvpSkill)},
                  {"skill_id", gathering_key},
                  {"gatheringKey", gathering_key},
                  {"gatheringTitle", gin.opt_str("title").value_or("")},
                  {"community", gin.opt_str("community").value_or("")},
                  {"sessionDate", gathering.at("sessionDate")},
                  {"duration", read_duration(gin)},
                  {"notes", in.opt_str("notes").value_or("")}};
  return build_session(Input(session, in.path()), ctx);
}

Json parse_session(Json flat, std::string_view field) {
  SessionInfo s = session_info(flat, field);
  flat["mentorWallet"] = s.mentor.str();
  flat["learnerWallet"] = s.learner.str();
  flat["sessionDate"] = format_iso8601(s.date);
  flat["duration"] = s.duration_minutes;
  flat["status"] = std::string(to_string(s.stored_status));
  if (s.recurrence_id) flat["recurrenceId"] = format_iso8601(*s.recurrence_id);
  Input in(flat, std::string(field));
  flat["requiresPayment"] = in.opt_bool("requiresPayment").value_or(false);
  if (auto pa = in.opt_str("paymentAddress"); pa && !pa->empty())
    flat["paymentAddress"] = normalize_wallet(*pa, in.field("paymentAddress"));
  flat["isGatheringRsvp"] = s.is_rsvp();
  return flat;
}

}  // namespace convene::entities
