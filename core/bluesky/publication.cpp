// convene/core/bluesky/publication.cpp — see publication.h.
#include "core/bluesky/publication.h"

#include <algorithm>
#include <map>

#include "core/crypto/sodium.h"
#include "core/entities/expiry.h"
#include "core/entities/session.h"
#include "core/error.h"
#include "core/series/plan.h"

namespace convene::bluesky {

std::string record_digest(const Json& record) {
  Json r = record;
  if (r.is_object()) r.erase("createdAt");
  const auto h = crypto::sha256(r.dump());
  return crypto::to_hex(h);
}

CalendarEvent occurrence_event(const series::Occurrence& o, std::string_view page_url, UtcTime created_at) {
  CalendarEvent e;
  e.name = o.title;
  e.description = o.description;
  e.created_at = created_at;
  e.starts_at = o.starts_at;
  e.ends_at = o.ends_at();
  e.mode = EventMode::Virtual;
  const bool cancelled = o.state == "cancelled";
  if (cancelled) e.status = EventStatus::Cancelled;
  else if (o.starts_at != o.recurrence_id) e.status = EventStatus::Rescheduled;
  else e.status = EventStatus::Scheduled;
  if (!cancelled && o.video_join_url && !o.video_join_url->empty()) e.locations.push_back({*o.video_join_url, "Video call"});
  if (!page_url.empty()) e.uris.push_back({std::string(page_url), "On Convene"});
  event_record(e);  // checked against the lexicon here, so a bad page URL is reported by its field
  return e;
}

namespace {

/// The record key of `uri` when it is at://<did>/community.lexicon.calendar.event/<TID>; throws otherwise.
std::string rkey_of(std::string_view uri, std::string_view did, const std::string& field) {
  const std::string prefix = "at://" + std::string(did) + "/" + std::string(kEventNsid) + "/";
  if (uri.substr(0, std::min(uri.size(), prefix.size())) != prefix || !is_tid(uri.substr(prefix.size())))
    throw Error(code::kInvalidInput, field, field + " must be " + prefix + "<record key (a TID)>");
  return std::string(uri.substr(prefix.size()));
}

}  // namespace

entities::EntityDraft build_publication(const Input& in, const entities::BuildContext& ctx) {
  const auto organizer = entities::Wallet::parse(in.str("organizerWallet"), in.field("organizerWallet"));
  const std::string did = in.str("did");
  if (did.rfind("did:", 0) != 0) throw Error(code::kInvalidInput, in.field("did"), in.field("did") + " must be a DID (did:plc:…, did:web:…)");
  const std::string uri = in.str("uri");
  const std::string rkey = rkey_of(uri, did, in.field("uri"));
  const std::string cid = in.str("cid");
  const Json* record = in.get("record");
  if (!record) throw Error(code::kMissingField, in.field("record"), in.field("record") + " is required (the event record as written)");
  const CalendarEvent e = parse_event_record(*record, in.field("record"));
  const auto series_key = in.opt_str("seriesKey");
  const auto gathering_key = in.opt_str("gatheringKey");
  const bool has_rid = in.has("recurrenceId");
  if (series_key.has_value() != has_rid) {
    const std::string missing = in.field(series_key ? "recurrenceId" : "seriesKey");
    throw Error(code::kMissingField, missing, missing + " is required: an occurrence's publication names its seriesKey and recurrenceId");
  }
  if (!series_key && !gathering_key)
    throw Error(code::kMissingField, in.field("gatheringKey"), in.field("gatheringKey") + " (or seriesKey and recurrenceId) is required");
  entities::EntityDraft d;
  d.expires_in = entities::kGatheringTtlSeconds;
  d.attr("type", "bluesky_publication");
  d.attr("spaceId", ctx.space_id);
  d.attr("organizerWallet", organizer.str());
  d.attr("did", did);
  if (series_key) {
    d.attr("seriesKey", *series_key);
    d.attr("recurrenceId", format_iso8601(in.instant("recurrenceId")));
  }
  if (gathering_key) d.attr("gatheringKey", *gathering_key);
  d.attr("createdAt", format_iso8601(ctx.now));
  d.payload = {{"uri", uri}, {"cid", cid}, {"rkey", rkey}, {"recordCreatedAt", format_iso8601(e.created_at)}, {"digest", record_digest(*record)}};
  return d;
}

entities::Verified<PublishedRecord> verify_publication(const entities::EntityRecord& record, std::string_view field) {
  Json flat = record.merged(field);
  Input in(flat, std::string(field));
  PublishedRecord p{.key = record.key, .organizer = entities::Wallet::parse(in.str("organizerWallet"), in.field("organizerWallet")),
                    .series_key = {}, .recurrence_id = {}, .gathering_key = {}, .did = {}, .uri = {}, .cid = {}, .rkey = {},
                    .record_created_at = {}, .digest = {}};
  p.did = in.str("did");
  p.uri = in.str("uri");
  p.rkey = rkey_of(p.uri, p.did, in.field("uri"));
  p.cid = in.str("cid");
  p.record_created_at = in.instant("recordCreatedAt");
  p.digest = in.str("digest");
  p.series_key = in.opt_str("seriesKey").value_or("");
  if (!p.series_key.empty()) p.recurrence_id = in.instant("recurrenceId");
  p.gathering_key = in.opt_str("gatheringKey").value_or("");
  const entities::Wallet organizer = p.organizer;
  return entities::SignerCheck::require(std::move(p), record.provenance, {&organizer}, field);
}

PublicationPlan plan_series_publication(const series::SeriesState& st, const std::vector<entities::Verified<PublishedRecord>>& published,
                                        UtcTime now, std::string_view page_url) {
  const series::SeriesInfo& s = *st.series;
  // The newest publication per RECURRENCE-ID of this series by its organizer.
  std::map<std::int64_t, const entities::Verified<PublishedRecord>*> newest;
  for (const auto& p : published) {
    if (p->series_key != s.key || !p->recurrence_id || !(p->organizer == s.organizer)) continue;
    auto& slot = newest[to_epoch_ms(*p->recurrence_id)];
    if (!slot || p.newer_than(*slot)) slot = &p;
  }
  PublicationPlan plan;
  for (const auto& [rid, p] : newest) {
    auto o = series::occurrence_at(s, st.written, UtcTime{Millis{rid}});
    if (!o) {
      plan.orphaned.push_back(**p);
      continue;
    }
    Json record = event_record(occurrence_event(*o, page_url, (*p)->record_created_at));
    std::string digest = record_digest(record);
    if (digest == (*p)->digest) continue;
    plan.actions.push_back({PublishAction::Kind::Update, *o, (*p)->rkey, std::move(record), std::move(digest), **p});
  }
  // The current occurrence: the one running now (not cancelled), else the next one.
  std::optional<series::Occurrence> current;
  auto consider_running = [&](const series::Occurrence& o) {
    if (o.state == "cancelled" || o.starts_at > now || o.ends_at() <= now) return;
    if (!current || o.starts_at < current->starts_at) current = o;
  };
  for (const auto& o : series::list_occurrences(st, now - std::chrono::minutes{entities::kMaxDurationMinutes}, now, 64)) consider_running(o);
  for (const auto& [rid, x] : st.written.exceptions)
    if (auto o = series::occurrence_at(s, st.written, UtcTime{Millis{rid}})) consider_running(*o);
  if (!current) current = series::next_occurrence(st, now);
  if (current && !newest.count(to_epoch_ms(current->recurrence_id))) {
    Json record = event_record(occurrence_event(*current, page_url, now));
    std::string digest = record_digest(record);
    plan.actions.push_back({PublishAction::Kind::Create, *current, occurrence_rkey(s.key, current->recurrence_id), std::move(record), std::move(digest), std::nullopt});
  }
  return plan;
}

}  // namespace convene::bluesky
