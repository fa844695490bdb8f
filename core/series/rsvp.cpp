#include "core/series/rsvp.h"

#include <map>

#include "core/entities/raw_entity.h"
#include "core/entities/reader.h"
#include "core/entities/session.h"
#include "core/error.h"
#include "core/series/occurrences.h"
#include "core/series/series.h"

namespace convene::series {

entities::EntityDraft build_rsvp(const Input& in, const entities::BuildContext& ctx) {
  if (in.has("series") && !in.has("gathering")) return build_occurrence_rsvp(in, ctx);
  return entities::build_gathering_rsvp(in, ctx);
}

entities::EntityDraft build_occurrence_rsvp(const Input& in, const entities::BuildContext& ctx) {
  SeriesState st = read_series_state(in, "series");
  const SeriesInfo& s = *st.series;
  const UtcTime rid = in.instant("recurrenceId");
  auto occ = occurrence_at(s, st.written, rid);
  if (!occ)
    throw Error(code::kNotAnOccurrence, in.field("recurrenceId"), in.field("recurrenceId") + " is not an occurrence of the series");
  if (occ->state == "cancelled")
    throw Error(code::kInvalidInput, in.field("recurrenceId"), in.field("recurrenceId") + " is a cancelled occurrence: it takes no RSVP");
  const entities::Wallet attendee = entities::Wallet::parse(in.str("attendeeWallet"), in.field("attendeeWallet"));

  // Only the attendee's own RSVPs count: one written in their name by another wallet blocks nothing.
  entities::Ignored ignored;
  bool already = false;
  for_each_entity(in.get("existingRsvps"), in.field("existingRsvps"), ignored, [&](const entities::EntityRecord& r, const std::string& f) {
    auto other = entities::verify_session(r, f);
    if (other->learner != attendee || other->stored_status == entities::StoredStatus::Cancelled) return;
    const bool same_occurrence = other->series_key == s.key && other->recurrence_id == rid;
    const bool same_gathering = occ->gathering_key && other->gathering_key == occ->gathering_key;
    already = already || same_occurrence || same_gathering;
  });
  if (already)
    throw Error(code::kAlreadyRsvped, in.field("attendeeWallet"), in.field("attendeeWallet") + " has already RSVPed to this occurrence");

  Json session = {{"mentorWallet", s.organizer.str()},
                  {"learnerWallet", attendee.str()},
                  {"skill", std::string(entities::kRsvpSkill)},
                  {"seriesKey", s.key},
                  {"recurrenceId", format_iso8601(rid)},
                  {"gatheringTitle", occ->title},
                  {"community", s.community},
                  {"sessionDate", format_iso8601(occ->starts_at)},
                  {"duration", occ->duration_minutes},
                  {"notes", in.opt_str("notes").value_or("")}};
  if (occ->gathering_key) {
    session["gatheringKey"] = *occ->gathering_key;
    session["skill_id"] = *occ->gathering_key;
  }
  return entities::build_session(Input(session, in.path()), ctx);
}

}  // namespace convene::series
