#include "core/series/series.h"

#include <algorithm>
#include <map>

#include "core/entities/arkiv_limits.h"
#include "core/entities/community.h"
#include "core/entities/expiry.h"
#include "core/entities/raw_entity.h"
#include "core/entities/reader.h"
#include "core/entities/session.h"
#include "core/entities/slug.h"
#include "core/entities/time_attributes.h"
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

/// Instant of an RDATE/EXDATE value, placed as expand() places it (floating values in DTSTART's zone).
recurrence::Instant value_instant(const recurrence::RecurrenceSet& set, const recurrence::DateTimeValue& v) {
  using recurrence::ValueKind;
  if (v.kind == ValueKind::Utc) return recurrence::Instant{v.local.time_since_epoch()};
  if (v.kind == ValueKind::Zoned) return recurrence::Zone(v.tzid, "RDATE").to_instant(v.local);
  if (set.dtstart.kind == ValueKind::Zoned) return recurrence::Zone(set.dtstart.tzid, "DTSTART").to_instant(v.local);
  return recurrence::Instant{v.local.time_since_epoch()};
}

/// The rule part to name when occurrences come too close: the part that puts several occurrences
/// into one period, or the period itself.
std::string dense_part(const recurrence::RRule& r) {
  using recurrence::Freq;
  if (r.freq >= Freq::Hourly) return r.interval > 1 ? "RRULE.INTERVAL" : "RRULE.FREQ";
  if (r.byhour.size() > 1) return "RRULE.BYHOUR";
  if (r.byminute.size() > 1) return "RRULE.BYMINUTE";
  if (r.bysecond.size() > 1) return "RRULE.BYSECOND";
  if (r.byday.size() > 1) return "RRULE.BYDAY";
  if (r.bymonthday.size() > 1) return "RRULE.BYMONTHDAY";
  if (r.byyearday.size() > 1) return "RRULE.BYYEARDAY";
  if (r.byweekno.size() > 1) return "RRULE.BYWEEKNO";
  return r.interval > 1 ? "RRULE.INTERVAL" : "RRULE.FREQ";
}

std::string minutes_text(std::chrono::seconds d) {
  auto m = std::chrono::duration_cast<std::chrono::minutes>(d).count();
  return std::to_string(m) + (m == 1 ? " minute" : " minutes");
}

}  // namespace

Template SeriesInfo::template_at(UtcTime rid) const {
  Template t = tmpl;
  for (const auto& v : history) {
    if (rid < v.before) {
      t.title = v.title;
      t.description = v.description;
      t.duration_minutes = v.duration_minutes;
      break;
    }
  }
  return t;
}

namespace {

/// Drops versions that change nothing: one equal to the version after it (or, for the last, to the
/// current template) covers its range with the same template as its successor would.
void compact(std::vector<TemplateVersion>& history, const Template& current) {
  std::vector<TemplateVersion> out;
  for (std::size_t i = 0; i < history.size(); ++i) {
    const auto& v = history[i];
    bool same_as_next = i + 1 < history.size()
                            ? (v.title == history[i + 1].title && v.description == history[i + 1].description &&
                               v.duration_minutes == history[i + 1].duration_minutes)
                            : v.same_as(current);
    if (!same_as_next) out.push_back(v);
  }
  history = std::move(out);
}

}  // namespace

void SeriesInfo::change_template_from(UtcTime from, const Template& next) {
  std::vector<TemplateVersion> kept;
  const TemplateVersion* covering = nullptr;  // the version in force just before `from`, if not the current one
  for (const auto& v : history) {
    if (v.before <= from) kept.push_back(v);
    else if (!covering) covering = &v;
  }
  if (kept.empty() || kept.back().before != from) {
    TemplateVersion v = covering ? *covering : TemplateVersion{from, tmpl.title, tmpl.description, tmpl.duration_minutes};
    v.before = from;
    kept.push_back(std::move(v));
  }
  history = std::move(kept);
  tmpl.title = next.title;
  tmpl.description = next.description;
  tmpl.duration_minutes = next.duration_minutes;
  compact(history, tmpl);
}

void SeriesInfo::keep_templates(UtcTime at, bool before_at) {
  if (before_at) {
    Template last = template_at(at - Millis{1});
    std::vector<TemplateVersion> kept;
    for (const auto& v : history)
      if (v.before < at) kept.push_back(v);
    history = std::move(kept);
    tmpl = last;
  } else {
    std::vector<TemplateVersion> kept;
    for (const auto& v : history)
      if (v.before > at) kept.push_back(v);
    history = std::move(kept);
  }
  compact(history, tmpl);
}

std::int64_t series_expires_in(const SeriesInfo& s, UtcTime now) {
  const auto& rule = s.recurrence.rrule;
  bool bounded = !rule || rule->count || rule->until;
  if (!bounded) return kGatheringTtlSeconds;
  auto all = recurrence::expand(s.recurrence, {});
  if (all.empty()) return kGatheringTtlSeconds;
  UtcTime last_start = from_rec_instant(all.back().instant);
  UtcTime last_end = last_start + std::chrono::minutes{s.template_at(last_start).duration_minutes};
  std::int64_t secs = std::chrono::duration_cast<std::chrono::seconds>(last_end - now).count() + kGatheringTtlSeconds;
  return std::max(kGatheringTtlSeconds, secs);
}

void check_series_rule(const SeriesInfo& s, std::string_view field) {
  const std::string f(field);
  const auto& set = s.recurrence;
  recurrence::ExpandOptions first_opt;
  first_opt.limit = 1;
  auto first = recurrence::expand(set, first_opt);
  if (first.empty())
    throw Error(code::kEmptyRecurrence, f,
                f + " has no occurrence at all (the rule produces none, or every one is excluded): a series needs at least one");

  std::vector<recurrence::Instant> rdates;
  for (const auto& v : set.rdates) rdates.push_back(value_instant(set, v));
  std::sort(rdates.begin(), rdates.end());
  auto is_rdate = [&](recurrence::Instant t) { return std::binary_search(rdates.begin(), rdates.end(), t); };
  auto part_for = [&](std::initializer_list<recurrence::Instant> ts) {
    bool rdate = !set.rrule;
    for (auto t : ts) rdate = rdate || is_rdate(t);
    return f + "." + (rdate ? std::string("RDATE") : dense_part(*set.rrule));
  };
  const auto window = std::chrono::duration_cast<std::chrono::seconds>(kDensityWindow);
  // One more than the most a 400-day stretch may hold (15 windows of 28 days) tells "too many".
  constexpr std::size_t kProbe = kMaxOccurrencesPerWindow * 15 + 1;
  auto check = [&](const std::vector<recurrence::Occurrence>& occ) {
    for (std::size_t i = 0; i + 1 < occ.size(); ++i) {
      const auto gap = occ[i + 1].instant - occ[i].instant;
      const auto duration = std::chrono::minutes{s.template_at(from_rec_instant(occ[i].instant)).duration_minutes};
      if (gap < duration) {
        std::string part = part_for({occ[i].instant, occ[i + 1].instant});
        throw Error(code::kRecurrenceTooDense, part,
                    part + ": occurrences at " + format_iso8601(from_rec_instant(occ[i].instant)) + " and " +
                        format_iso8601(from_rec_instant(occ[i + 1].instant)) + " are " + minutes_text(gap) +
                        " apart, closer than their " + minutes_text(duration) + " duration");
      }
    }
    for (std::size_t i = 0, j = 0; j < occ.size(); ++j) {
      while (occ[j].instant - occ[i].instant >= window) ++i;
      if (j - i + 1 > kMaxOccurrencesPerWindow) {
        std::size_t rule_count = 0;
        for (std::size_t k = i; k <= j; ++k) rule_count += is_rdate(occ[k].instant) ? 0 : 1;
        std::string part = f + "." + (!set.rrule || rule_count <= kMaxOccurrencesPerWindow ? std::string("RDATE") : dense_part(*set.rrule));
        throw Error(code::kRecurrenceTooDense, part,
                    part + ": more than " + std::to_string(kMaxOccurrencesPerWindow) + " occurrences within 28 days from " +
                        format_iso8601(from_rec_instant(occ[i].instant)) + " (too many gatherings for a meeting series)");
      }
    }
  };
  recurrence::ExpandOptions year;
  year.after = first.front().instant;
  year.before = first.front().instant + std::chrono::hours{24 * 400};
  year.limit = kProbe;
  check(recurrence::expand(set, year));
  // RDATEs may lie anywhere: look at the occurrences around each one not yet looked at.
  recurrence::Instant checked_until = *year.before;
  for (auto t : rdates) {
    if (t <= checked_until) continue;
    recurrence::ExpandOptions around;
    around.after = t - window;
    around.before = t + window;
    around.limit = kProbe;
    check(recurrence::expand(set, around));
    checked_until = *around.before - window;
  }
}

bool is_occurrence(const SeriesInfo& s, UtcTime rid) {
  recurrence::ExpandOptions probe;
  probe.after = probe.before = to_rec_instant(rid);
  probe.limit = 1;
  auto hit = recurrence::expand(s.recurrence, probe);
  return !hit.empty() && from_rec_instant(hit.front().instant) == rid;
}

namespace {

Json history_json(const std::vector<TemplateVersion>& history) {
  Json out = Json::array();
  for (const auto& v : history)
    out.push_back({{"before", format_iso8601(v.before)}, {"title", v.title}, {"description", v.description}, {"duration", v.duration_minutes}});
  return out;
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
  if (!s.split_from.empty()) d.attr("splitFrom", s.split_from);
  d.attr("spaceId", ctx.space_id);
  d.attr("createdAt", created);
  d.payload = {{"organizerWallet", s.organizer.str()},
               {"community", s.community},
               {"communityName", s.community_name},
               {"title", s.tmpl.title},
               {"description", s.tmpl.description},
               {"duration", s.tmpl.duration_minutes},
               {"videoProvider", s.tmpl.video_provider},
               {"recurrence", recurrence::format_recurrence_set(s.recurrence)},
               {"createdAt", created}};
  if (!s.tmpl.jitsi_base_url.empty()) d.payload["jitsiBaseUrl"] = s.tmpl.jitsi_base_url;
  if (!s.history.empty()) d.payload["templateHistory"] = history_json(s.history);
  if (!s.split_from.empty()) d.payload["splitFrom"] = s.split_from;
  return d;
}

namespace {

/// `templateHistory`: [{before, title, description?, duration?}], strictly ascending by `before`.
std::vector<TemplateVersion> read_history(const Input& in) {
  std::vector<TemplateVersion> out;
  const Json* list = in.get("templateHistory");
  if (!list) return out;
  if (!list->is_array()) in.type_error("templateHistory", "an array of {before, title, description, duration}");
  for (std::size_t i = 0; i < list->size(); ++i) {
    Input v((*list)[i], in.field("templateHistory") + "[" + std::to_string(i) + "]");
    TemplateVersion t{v.instant("before"), v.str("title"), v.opt_str("description").value_or(""), entities::read_duration(v)};
    if (!out.empty() && t.before <= out.back().before)
      throw Error(code::kInvalidInput, v.field("before"), v.field("before") + " must be later than the version before it");
    out.push_back(std::move(t));
  }
  return out;
}

SeriesInfo read_series(const Input& in, std::string key, std::string community, std::string community_name) {
  auto organizer = entities::Wallet::parse(in.str("organizerWallet"), in.field("organizerWallet"));
  auto tmpl = read_template(in);
  auto history = read_history(in);
  auto set = parse_series_recurrence(in.str("recurrence"), in.field("recurrence"));
  std::string text = recurrence::format_recurrence_set(set);
  return SeriesInfo{std::move(key),  std::move(organizer), std::move(community), std::move(community_name),
                    std::move(tmpl), std::move(history),   std::move(set),       std::move(text)};
}

SeriesInfo series_from_flat(const Json& flat, std::string_view field) {
  Input in(flat, std::string(field));
  SeriesInfo s = read_series(in, in.opt_str("key").value_or(""), in.opt_str("community").value_or(""), in.opt_str("communityName").value_or(""));
  s.split_from = in.opt_str("splitFrom").value_or("");
  return s;
}

}  // namespace

EntityDraft build_event_series(const Input& in, const entities::BuildContext& ctx) {
  entities::Community c = entities::read_community(in);
  SeriesInfo s = read_series(in, "", std::move(c.slug), std::move(c.name));
  check_series_rule(s, in.field("recurrence"));
  return series_draft(s, ctx);
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
  flat["templateHistory"] = history_json(s.history);
  if (!s.split_from.empty()) flat["splitFrom"] = s.split_from;
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

std::string_view to_string(ExceptionKind k) {
  switch (k) {
    case ExceptionKind::Modified: return "modified";
    case ExceptionKind::Cancelled: return "cancelled";
    case ExceptionKind::Reinstated: return "reinstated";
  }
  return "modified";
}

ExceptionKind parse_exception_kind(std::string_view text, std::string_view field, std::string_view error_code) {
  if (text == "modified") return ExceptionKind::Modified;
  if (text == "cancelled") return ExceptionKind::Cancelled;
  if (text == "reinstated") return ExceptionKind::Reinstated;
  throw Error(error_code, std::string(field), std::string(field) + " must be 'modified', 'cancelled' or 'reinstated'");
}

Changes read_changes(const Input& c) {
  Changes out;
  if (c.has("title")) {
    out.title = c.str("title");  // like the template's: required non-empty when given
    entities::validate_attribute_string(*out.title, c.field("title"));  // the gathering carries it as an attribute
  }
  out.description = c.opt_str("description");
  if (c.has("duration")) out.duration_minutes = entities::read_duration(c);
  if (c.has("sessionDate")) out.starts_at = c.instant("sessionDate");
  return out;
}

UtcTime exception_end(const SeriesInfo& s, const Exception& x) {
  const std::int64_t original = s.template_at(x.recurrence_id).duration_minutes;
  const UtcTime original_end = x.recurrence_id + std::chrono::minutes{original};
  if (x.kind != ExceptionKind::Modified) return original_end;
  const UtcTime modified_end = x.changes.starts_at.value_or(x.recurrence_id) +
                               std::chrono::minutes{x.changes.duration_minutes.value_or(original)};
  return std::max(original_end, modified_end);
}

EntityDraft exception_draft(const SeriesInfo& s, const Exception& x, const entities::BuildContext& ctx) {
  Json changes = Json::object();
  if (x.changes.title) changes["title"] = *x.changes.title;
  if (x.changes.description) changes["description"] = *x.changes.description;
  if (x.changes.duration_minutes) changes["duration"] = *x.changes.duration_minutes;
  if (x.changes.starts_at) changes["sessionDate"] = format_iso8601(*x.changes.starts_at);
  EntityDraft d;
  const UtcTime end = exception_end(s, x);
  d.expires_in = std::max<std::int64_t>(
      1, std::chrono::duration_cast<std::chrono::seconds>(end - ctx.now).count() + kGatheringTtlSeconds);
  std::string rid_iso = format_iso8601(x.recurrence_id);
  std::string kind(to_string(x.kind));
  d.attr("type", "event_series_exception");
  d.attr("seriesKey", s.key);
  d.attr("recurrenceId", rid_iso);
  d.attr("kind", kind);
  d.attr("organizerWallet", s.organizer.str());
  d.attr("spaceId", ctx.space_id);
  d.attr("createdAt", format_iso8601(ctx.now));
  d.attr_number(std::string(entities::kEndsAtSec), entities::attribute_seconds(end));
  d.payload = {{"recurrenceId", rid_iso}, {"kind", kind}, {"changes", changes}};
  if (x.reason && !x.reason->empty()) d.payload["reason"] = *x.reason;
  return d;
}

EntityDraft build_series_exception(const Input& in, const entities::BuildContext& ctx) {
  SeriesInfo s = series_of(in);
  Exception x{"", parse_exception_kind(in.str("kind"), in.field("kind"), code::kInvalidInput), in.instant("recurrenceId"), {}, in.opt_str("reason")};
  if (!is_occurrence(s, x.recurrence_id))
    throw Error(code::kNotAnOccurrence, in.field("recurrenceId"),
                in.field("recurrenceId") + " (" + format_iso8601(x.recurrence_id) + ") is not an occurrence of the series");
  if (auto c = in.opt_object("changes")) x.changes = read_changes(*c);
  if (x.kind == ExceptionKind::Modified && x.changes.empty())
    throw Error(code::kMissingField, in.field("changes"), in.field("changes") + " is required for a modified occurrence");
  return exception_draft(s, x, ctx);
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
