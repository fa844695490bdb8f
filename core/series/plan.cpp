#include "core/series/plan.h"

#include <algorithm>

#include "core/entities/gathering.h"
#include "core/entities/session.h"
#include "core/error.h"
#include "core/recurrence/expand.h"
#include "core/recurrence/parse.h"
#include "core/recurrence/zone.h"

namespace convene::series {

entities::EntityDraft gathering_draft(const SeriesInfo& s, const Occurrence& o, const std::string& room,
                                      const entities::BuildContext& ctx) {
  Json in = {{"organizerWallet", s.organizer.str()},
             {"community", s.community},
             {"title", o.title},
             {"description", o.description},
             {"sessionDate", format_iso8601(o.starts_at)},
             {"duration", o.duration_minutes},
             {"videoProvider", s.tmpl.video_provider},
             {"seriesKey", s.key},
             {"recurrenceId", format_iso8601(o.recurrence_id)}};
  if (!room.empty()) in["videoRoomName"] = room;
  if (!s.tmpl.jitsi_base_url.empty()) in["jitsiBaseUrl"] = s.tmpl.jitsi_base_url;
  return entities::build_virtual_gathering(Input(in, "occurrence"), ctx);
}

namespace {

bool differs(const Json& g, const Occurrence& o) {
  return g.value("title", std::string()) != o.title || g.value("description", std::string()) != o.description ||
         g.value("sessionDate", std::string()) != format_iso8601(o.starts_at) ||
         g.value("duration", std::int64_t{0}) != o.duration_minutes;
}

std::string room_of(const entities::Verified<entities::Gathering>& m) { return m->view.value("videoRoomName", std::string()); }

}  // namespace

MaterializationPlan plan_materialization(const SeriesState& st, std::chrono::hours horizon,
                                         const entities::BuildContext& ctx) {
  const SeriesInfo& series = *st.series;
  MaterializationPlan plan;
  // In-progress occurrences started at most one template duration (or a modified one's) ago.
  auto after = ctx.now - std::chrono::minutes{entities::kMaxDurationMinutes};
  for (const Occurrence& o : list_occurrences(st, after, ctx.now + horizon, std::nullopt)) {
    if (o.ends_at() <= ctx.now || o.starts_at > ctx.now + horizon) continue;
    auto m = st.written.materialized.find(to_epoch_ms(o.recurrence_id));
    bool has = m != st.written.materialized.end();
    if (o.state == "cancelled") {
      if (has) plan.cancel.emplace_back(m->second->key, format_iso8601(o.recurrence_id));
    } else if (!has) {
      plan.create.push_back(gathering_draft(series, o, "", ctx));
    } else if (differs(m->second->view, o)) {
      plan.update.push_back({m->second->key, format_iso8601(o.recurrence_id), gathering_draft(series, o, room_of(m->second), ctx)});
    }
  }
  return plan;
}

Propagation plan_propagation(const SeriesState& st, UtcTime from, const Input& changes, const entities::BuildContext& ctx) {
  SeriesInfo series = *st.series;
  Template& t = series.tmpl;
  if (auto v = changes.opt_str("title")) t.title = *v;
  if (auto v = changes.opt_str("description")) t.description = *v;
  if (changes.has("duration")) t.duration_minutes = entities::read_duration(changes);
  if (t.title.empty()) throw Error(code::kMissingField, changes.field("title"), changes.field("title") + " must not be empty");
  Propagation p{series_draft(series, ctx), {}};
  for (const auto& [rid, m] : st.written.materialized) {
    UtcTime r{Millis{rid}};
    if (r < from) continue;
    auto occ = list_occurrences(series, st.written, r, r, 1);
    if (occ.empty() || occ.front().state != "materialized") continue;  // modified or cancelled: left alone
    if (differs(m->view, occ.front()))
      p.update.push_back({m->key, format_iso8601(r), gathering_draft(series, occ.front(), room_of(m), ctx)});
  }
  return p;
}

Split plan_split(const SeriesState& st, UtcTime at, const Input& changes, const entities::BuildContext& ctx) {
  const auto& set = st.series->recurrence;
  if (!set.rrule) throw Error(code::kInvalidInput, "series.recurrence", "series.recurrence has no RRULE to split");
  recurrence::ExpandOptions before_opt;
  before_opt.before = to_rec_instant(at - Millis{1});
  // Occurrences before `at`: bounded by `at` itself, so the expansion terminates.
  auto before = recurrence::expand(set, before_opt);
  recurrence::ExpandOptions after_opt;
  after_opt.after = to_rec_instant(at + Millis{999});
  after_opt.limit = 1;
  auto first_after = recurrence::expand(set, after_opt);
  if (before.empty() || first_after.empty())
    throw Error(code::kInvalidInput, "at", "at must lie between two occurrences of the series (edit the series instead)");

  SeriesInfo old_s = *st.series, new_s = *st.series;
  // Old series: stop before `at`.
  auto& old_rule = *old_s.recurrence.rrule;
  if (old_rule.count) {
    old_rule.count = static_cast<std::int64_t>(before.size());
  } else {
    old_rule.until = recurrence::DateTimeValue{recurrence::ValueKind::Utc,
                                               recurrence::LocalTime{before.back().instant.time_since_epoch()}, ""};
  }
  // RDATE/EXDATE values before `at` stay with the old series; the others move to the new one.
  auto split_dates = [&](std::vector<recurrence::DateTimeValue>& old_dates, std::vector<recurrence::DateTimeValue>& new_dates) {
    std::vector<recurrence::DateTimeValue> before_at, from_at;
    for (const auto& v : old_dates) {
      recurrence::Zone z = v.kind == recurrence::ValueKind::Zoned ? recurrence::Zone(v.tzid, "RDATE") : recurrence::Zone();
      (from_rec_instant(z.to_instant(v.local)) < at ? before_at : from_at).push_back(v);
    }
    old_dates = std::move(before_at);
    new_dates = std::move(from_at);
  };
  split_dates(old_s.recurrence.rdates, new_s.recurrence.rdates);
  split_dates(old_s.recurrence.exdates, new_s.recurrence.exdates);

  // New series: starts at the first occurrence on/after `at`, in the same zone.
  new_s.key.clear();
  new_s.recurrence.dtstart.local = first_after.front().local;
  auto& new_rule = *new_s.recurrence.rrule;
  if (new_rule.count) new_rule.count = *new_rule.count - static_cast<std::int64_t>(before.size());
  if (auto r = changes.opt_str("rrule"); r && !r->empty()) new_s.recurrence.rrule = recurrence::parse_rrule(*r);
  if (auto v = changes.opt_str("title")) new_s.tmpl.title = *v;
  if (auto v = changes.opt_str("description")) new_s.tmpl.description = *v;
  if (changes.has("duration")) new_s.tmpl.duration_minutes = entities::read_duration(changes);
  return Split{series_draft(old_s, ctx), series_draft(new_s, ctx)};
}

std::optional<Occurrence> next_occurrence(const SeriesState& st, UtcTime now, std::size_t scan) {
  // Look back one maximum duration so an occurrence moved later than its RECURRENCE-ID is seen.
  for (const Occurrence& o : list_occurrences(st, now - std::chrono::minutes{entities::kMaxDurationMinutes}, std::nullopt, scan))
    if (o.state != "cancelled" && o.starts_at >= now) return o;
  return std::nullopt;
}

}  // namespace convene::series
