#include "core/series/series.h"

#include <algorithm>
#include <map>

#include "core/entities/expiry.h"
#include "core/entities/raw_entity.h"
#include "core/entities/reader.h"
#include "core/entities/session.h"
#include "core/entities/slug.h"
#include "core/entities/wallet.h"
#include "core/error.h"
#include "core/jitsi/room.h"
#include "core/recurrence/expand.h"
#include "core/recurrence/parse.h"
#include "core/recurrence/zone.h"

namespace convene::series {

using entities::EntityDraft;
using entities::kGatheringTtlSeconds;

recurrence::Instant to_rec_instant(UtcTime t) { return std::chrono::floor<std::chrono::seconds>(t); }
UtcTime from_rec_instant(recurrence::Instant t) { return std::chrono::time_point_cast<Millis>(t); }

recurrence::RecurrenceSet parse_series_recurrence(std::string_view ical, std::string_view field) {
  recurrence::RecurrenceSet set = recurrence::parse_recurrence_set(ical);
  using recurrence::ValueKind;
  if (set.dtstart.kind != ValueKind::Zoned && set.dtstart.kind != ValueKind::Utc)
    throw Error(code::kInvalidRrule, std::string(field),
                std::string(field) + ": a series' DTSTART must be UTC or carry a TZID (floating and DATE starts have no place on the time line)");
  if (set.dtstart.kind == ValueKind::Zoned) recurrence::Zone(set.dtstart.tzid, std::string(field) + ".DTSTART");
  return set;
}

namespace {

Template read_template(const Input& in) {
  Template t;
  t.title = in.str("title");
  t.description = in.opt_str("description").value_or("");
  t.duration_minutes = entities::read_duration(in);
  t.video_provider = in.opt_str("videoProvider").value_or("jitsi");
  if (t.video_provider != "jitsi" && t.video_provider != "none")
    throw Error(code::kInvalidInput, in.field("videoProvider"), in.field("videoProvider") + " must be 'jitsi' or 'none'");
  t.jitsi_base_url = in.opt_str("jitsiBaseUrl").value_or("");
  if (!t.jitsi_base_url.empty()) jitsi::join_url("probe", t.jitsi_base_url);  // validates the URL (INVALID_URL)
  return t;
}

/// Instant of DTSTART (UTC or zoned).
recurrence::Instant dtstart_instant(const recurrence::RecurrenceSet& set) {
  if (set.dtstart.kind == recurrence::ValueKind::Zoned)
    return recurrence::Zone(set.dtstart.tzid, "DTSTART").to_instant(set.dtstart.local);
  return recurrence::Instant{set.dtstart.local.time_since_epoch()};
}

std::int64_t series_expires_in(const SeriesInfo& s, UtcTime now) {
  const auto& rule = s.recurrence.rrule;
  bool bounded = !rule || rule->count || rule->until;
  if (!bounded) return kGatheringTtlSeconds;
  auto all = recurrence::expand(s.recurrence, {});
  if (all.empty()) return kGatheringTtlSeconds;
  UtcTime last_end = from_rec_instant(all.back().instant) + std::chrono::minutes{s.tmpl.duration_minutes};
  std::int64_t secs = std::chrono::duration_cast<std::chrono::seconds>(last_end - now).count() + kGatheringTtlSeconds;
  return std::max(kGatheringTtlSeconds, secs);
}

}  // namespace

EntityDraft series_draft(const SeriesInfo& s, const entities::BuildContext& ctx) {
  EntityDraft d;
  d.expires_in = series_expires_in(s, ctx.now);
  std::string created = format_iso8601(ctx.now);
  std::string tzid = s.recurrence.dtstart.kind == recurrence::ValueKind::Zoned ? s.recurrence.dtstart.tzid : "UTC";
  d.attr("type", "event_series");
  d.attr("organizerWallet", s.organizer.str());
  d.attr("community", s.community);
  d.attr("title", s.tmpl.title);
  d.attr("tzid", tzid);
  d.attr("dtstart", format_iso8601(from_rec_instant(dtstart_instant(s.recurrence))));
  d.attr("spaceId", ctx.space_id);
  d.attr("createdAt", created);
  d.payload = {{"organizerWallet", s.organizer.str()},
               {"community", s.community},
               {"title", s.tmpl.title},
               {"description", s.tmpl.description},
               {"duration", s.tmpl.duration_minutes},
               {"videoProvider", s.tmpl.video_provider},
               {"recurrence", recurrence::format_recurrence_set(s.recurrence)},
               {"createdAt", created}};
  if (!s.tmpl.jitsi_base_url.empty()) d.payload["jitsiBaseUrl"] = s.tmpl.jitsi_base_url;
  return d;
}

namespace {

SeriesInfo read_series(const Input& in, std::string key, std::string community) {
  auto organizer = entities::Wallet::parse(in.str("organizerWallet"), in.field("organizerWallet"));
  auto tmpl = read_template(in);
  auto set = parse_series_recurrence(in.str("recurrence"), in.field("recurrence"));
  std::string text = recurrence::format_recurrence_set(set);
  return SeriesInfo{std::move(key), std::move(organizer), std::move(community), std::move(tmpl), std::move(set), std::move(text)};
}

SeriesInfo series_from_flat(const Json& flat, std::string_view field) {
  Input in(flat, std::string(field));
  return read_series(in, in.opt_str("key").value_or(""), in.opt_str("community").value_or(""));
}

}  // namespace

EntityDraft build_event_series(const Input& in, const entities::BuildContext& ctx) {
  std::string community = entities::skill_slug(in.str("community"));
  if (community.empty())
    throw Error(code::kInvalidInput, in.field("community"), in.field("community") + " has no letters or digits to make a slug from");
  return series_draft(read_series(in, "", std::move(community)), ctx);
}

SeriesInfo series_info(const Json& entity, std::string_view field) {
  return series_from_flat(entities::flatten_entity(entity, field), field);
}

entities::Verified<SeriesInfo> verify_series(const entities::EntityRecord& record, std::string_view field) {
  SeriesInfo s = series_from_flat(record.merged(field), field);
  const entities::Wallet organizer = s.organizer;
  return entities::SignerCheck::require(std::move(s), record.provenance, {&organizer}, field);
}

Json parse_series(Json flat, std::string_view field) {
  SeriesInfo s = series_info(flat, field);
  flat["organizerWallet"] = s.organizer.str();
  flat["duration"] = s.tmpl.duration_minutes;
  flat["description"] = s.tmpl.description;
  flat["videoProvider"] = s.tmpl.video_provider;
  flat["recurrence"] = s.recurrence_text;
  flat["tzid"] = s.recurrence.dtstart.kind == recurrence::ValueKind::Zoned ? s.recurrence.dtstart.tzid : "UTC";
  flat["rrule"] = s.recurrence.rrule ? recurrence::format_rrule(*s.recurrence.rrule) : "";
  return flat;
}

namespace {

SeriesInfo series_of(const Input& in) {
  const Json* s = in.get("series");
  if (!s) throw Error(code::kMissingField, in.field("series"), in.field("series") + " is required (the event_series entity)");
  SeriesInfo info = series_info(*s, in.field("series"));
  if (auto k = in.opt_str("seriesKey"); k && !k->empty()) info.key = *k;
  if (info.key.empty()) throw Error(code::kMissingField, in.field("seriesKey"), in.field("seriesKey") + " is required (or series.key)");
  return info;
}

}  // namespace

EntityDraft build_series_exception(const Input& in, const entities::BuildContext& ctx) {
  SeriesInfo s = series_of(in);
  UtcTime rid = in.instant("recurrenceId");
  std::string kind = in.str("kind");
  if (kind != "modified" && kind != "cancelled" && kind != "reinstated")
    throw Error(code::kInvalidInput, in.field("kind"), in.field("kind") + " must be 'modified', 'cancelled' or 'reinstated'");

  recurrence::ExpandOptions probe;
  probe.after = probe.before = to_rec_instant(rid);
  probe.limit = 1;
  auto hit = recurrence::expand(s.recurrence, probe);
  if (hit.empty() || from_rec_instant(hit.front().instant) != rid)
    throw Error(code::kNotAnOccurrence, in.field("recurrenceId"),
                in.field("recurrenceId") + " (" + format_iso8601(rid) + ") is not an occurrence of the series");

  Json changes = Json::object();
  UtcTime latest_start = rid;
  std::int64_t duration = s.tmpl.duration_minutes;
  if (auto c = in.opt_object("changes")) {
    if (auto t = c->opt_str("title")) changes["title"] = *t;
    if (auto t = c->opt_str("description")) changes["description"] = *t;
    if (c->has("duration")) changes["duration"] = duration = entities::read_duration(*c);
    if (c->has("sessionDate")) {
      UtcTime moved = c->instant("sessionDate");
      changes["sessionDate"] = format_iso8601(moved);
      latest_start = std::max(latest_start, moved);
    }
  }
  if (kind == "modified" && changes.empty())
    throw Error(code::kMissingField, in.field("changes"), in.field("changes") + " is required for a modified occurrence");

  EntityDraft d;
  UtcTime end = latest_start + std::chrono::minutes{duration};
  d.expires_in = std::max<std::int64_t>(
      1, std::chrono::duration_cast<std::chrono::seconds>(end - ctx.now).count() + kGatheringTtlSeconds);
  std::string rid_iso = format_iso8601(rid);
  d.attr("type", "event_series_exception");
  d.attr("seriesKey", s.key);
  d.attr("recurrenceId", rid_iso);
  d.attr("kind", kind);
  d.attr("organizerWallet", s.organizer.str());
  d.attr("spaceId", ctx.space_id);
  d.attr("createdAt", format_iso8601(ctx.now));
  d.payload = {{"recurrenceId", rid_iso}, {"kind", kind}, {"changes", changes}};
  if (auto r = in.opt_str("reason"); r && !r->empty()) d.payload["reason"] = *r;
  return d;
}

EntityDraft build_series_follow(const Input& in, const entities::BuildContext& ctx) {
  SeriesInfo s = series_of(in);
  auto follower = entities::Wallet::parse(in.str("followerWallet"), in.field("followerWallet"));
  entities::Ignored ignored;
  bool already = false;
  entities::for_each_entity(in.get("existingFollows"), in.field("existingFollows"), ignored,
                            [&](const entities::EntityRecord& r, const std::string& f) {
                              auto follow = verify_follow(r, f);
                              already = already || (follow->series_key == s.key && follow->follower == follower);
                            });
  if (already)
    throw Error(code::kAlreadyFollowing, in.field("followerWallet"), in.field("followerWallet") + " already follows this series");
  EntityDraft d;
  d.expires_in = kGatheringTtlSeconds;
  d.attr("type", "event_series_follow");
  d.attr("seriesKey", s.key);
  d.attr("followerWallet", follower.str());
  d.attr("spaceId", ctx.space_id);
  d.attr("createdAt", format_iso8601(ctx.now));
  d.payload = {{"notifications", in.opt_bool("notifications").value_or(true)}};
  return d;
}

entities::Verified<Follow> verify_follow(const entities::EntityRecord& record, std::string_view field) {
  Json flat = record.merged(field);
  Input in(flat, std::string(field));
  Follow f{record.key, in.str("seriesKey"), entities::Wallet::parse(in.str("followerWallet"), in.field("followerWallet")),
           in.opt_bool("notifications").value_or(true)};
  const entities::Wallet follower = f.follower;
  return entities::SignerCheck::require(std::move(f), record.provenance, {&follower}, field);
}

Json followers(const Json* follows, std::string_view series_key, const std::optional<entities::Wallet>& viewer) {
  entities::Ignored ignored;
  std::map<entities::Wallet, entities::Verified<Follow>> newest;  // one per follower
  entities::for_each_entity(follows, "follows", ignored, [&](const entities::EntityRecord& r, const std::string& f) {
    auto follow = verify_follow(r, f);
    if (follow->series_key != series_key) return;
    auto it = newest.find(follow->follower);
    if (it == newest.end()) newest.emplace(follow->follower, follow);
    else if (follow.newer_than(it->second)) it->second = follow;
  });
  Json list = Json::array(), mine;
  for (const auto& [wallet, follow] : newest) {
    Json j = {{"key", follow->key}, {"followerWallet", wallet.str()}, {"notifications", follow->notifications}};
    if (viewer && wallet == *viewer) mine = j;
    list.push_back(std::move(j));
  }
  return Json{{"count", list.size()}, {"followers", std::move(list)}, {"viewerFollow", mine}, {"ignored", ignored.to_json()}};
}

}  // namespace convene::series
