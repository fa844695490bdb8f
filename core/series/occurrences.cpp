#include "core/series/occurrences.h"

#include "core/entities/gathering.h"
#include "core/entities/raw_entity.h"
#include "core/entities/session.h"
#include "core/error.h"
#include "core/recurrence/expand.h"

namespace convene::series {

using entities::EntityRecord;
using entities::Verified;

std::string_view to_string(ExceptionKind k) {
  switch (k) {
    case ExceptionKind::Modified: return "modified";
    case ExceptionKind::Cancelled: return "cancelled";
    case ExceptionKind::Reinstated: return "reinstated";
  }
  return "modified";
}

ExceptionKind parse_exception_kind(std::string_view text, std::string_view field) {
  if (text == "modified") return ExceptionKind::Modified;
  if (text == "cancelled") return ExceptionKind::Cancelled;
  if (text == "reinstated") return ExceptionKind::Reinstated;
  throw Error(code::kMalformedEntity, std::string(field), std::string(field) + " must be 'modified', 'cancelled' or 'reinstated'");
}

std::optional<Verified<Exception>> verify_exception(const EntityRecord& r, const Verified<SeriesInfo>& series,
                                                    std::string_view field) {
  Json flat = r.merged(field);
  Input in(flat, std::string(field));
  if (in.str("seriesKey") != series->key) return std::nullopt;
  Exception x{r.key, parse_exception_kind(in.str("kind"), in.field("kind")), in.instant("recurrenceId"), {}};
  if (auto c = in.opt_object("changes")) {
    x.changes.title = c->opt_str("title");
    x.changes.description = c->opt_str("description");
    if (c->has("sessionDate")) x.changes.starts_at = c->instant("sessionDate");
    if (c->has("duration")) x.changes.duration_minutes = entities::read_duration(*c);
  }
  return entities::SignerCheck::require(std::move(x), r.provenance, {&series->organizer}, field);
}

std::optional<Verified<entities::Gathering>> verify_series_gathering(const EntityRecord& r, const Verified<SeriesInfo>& series,
                                                                     std::string_view field) {
  auto g = entities::verify_gathering(r, field);
  if (!g->series_key || *g->series_key != series->key) return std::nullopt;
  if (g.signer() != series->organizer)
    throw Error(code::kUnverifiedEntity, std::string(field), std::string(field) + " claims the series but was not signed by its organizer");
  return g;
}

namespace {

/// Keeps the newest version per RECURRENCE-ID (chain order; ties keep the first read).
template <class T>
void keep_newest(std::map<std::int64_t, Verified<T>>& map, std::int64_t rid, Verified<T> v) {
  auto it = map.find(rid);
  if (it == map.end()) map.emplace(rid, std::move(v));
  else if (v.newer_than(it->second)) it->second = std::move(v);
}

}  // namespace

SeriesState read_series_state(const Input& in) {
  const Json* s = in.get("series");
  if (!s) throw Error(code::kMissingField, in.field("series"), in.field("series") + " is required (the event_series entity)");
  SeriesState st{verify_series(entities::decode_entity(*s, in.field("series")), in.field("series")), {}, {}};
  if (st.series->key.empty())
    throw Error(code::kMissingField, in.field("series.key"), in.field("series.key") + " is required (the series' entity key)");

  entities::for_each_entity(in.get("exceptions"), in.field("exceptions"), st.ignored, [&](const EntityRecord& r, const std::string& f) {
    if (auto x = verify_exception(r, st.series, f)) keep_newest(st.written.exceptions, to_epoch_ms((*x)->recurrence_id), *x);
  });
  entities::for_each_entity(in.get("gatherings"), in.field("gatherings"), st.ignored, [&](const EntityRecord& r, const std::string& f) {
    if (auto g = verify_series_gathering(r, st.series, f)) keep_newest(st.written.materialized, to_epoch_ms(*(*g)->recurrence_id), *g);
  });
  return st;
}

Json Occurrence::to_json(const SeriesInfo& s) const {
  Json j = {{"recurrenceId", format_iso8601(recurrence_id)},
            {"startsAt", format_iso8601(starts_at)},
            {"endsAt", format_iso8601(ends_at())},
            {"local", local},
            {"tzid", s.recurrence.dtstart.kind == recurrence::ValueKind::Zoned ? s.recurrence.dtstart.tzid : "UTC"},
            {"duration", duration_minutes},
            {"title", title},
            {"description", description},
            {"state", state}};
  if (gathering_key) j["gatheringKey"] = *gathering_key;
  if (video_join_url) j["videoJoinUrl"] = *video_join_url;
  if (exception_key) j["exceptionKey"] = *exception_key;
  return j;
}

std::vector<Occurrence> list_occurrences(const SeriesInfo& series, const Written& written, std::optional<UtcTime> after,
                                         std::optional<UtcTime> before, std::optional<std::size_t> limit) {
  recurrence::ExpandOptions opt;
  if (after) opt.after = to_rec_instant(*after + Millis{999});  // ms bound -> whole second, still inclusive
  if (before) opt.before = to_rec_instant(*before);
  opt.limit = limit;
  std::vector<Occurrence> out;
  for (const auto& inst : recurrence::expand(series.recurrence, opt)) {
    Occurrence o;
    o.recurrence_id = o.starts_at = from_rec_instant(inst.instant);
    o.duration_minutes = series.tmpl.duration_minutes;
    o.local = recurrence::format_extended(inst.local, false);
    o.title = series.tmpl.title;
    o.description = series.tmpl.description;
    o.state = "planned";
    std::int64_t rid = to_epoch_ms(o.recurrence_id);
    if (auto m = written.materialized.find(rid); m != written.materialized.end()) {
      o.state = "materialized";
      o.gathering_key = m->second->key;
      if (auto u = m->second->view.find("videoJoinUrl"); u != m->second->view.end() && u->is_string())
        o.video_join_url = u->get<std::string>();
    }
    if (auto x = written.exceptions.find(rid); x != written.exceptions.end() && x->second->kind != ExceptionKind::Reinstated) {
      const Exception& e = *x->second;
      o.exception_key = e.key;
      if (e.kind == ExceptionKind::Cancelled) {
        o.state = "cancelled";
      } else {
        o.state = "modified";
        if (e.changes.title) o.title = *e.changes.title;
        if (e.changes.description) o.description = *e.changes.description;
        if (e.changes.duration_minutes) o.duration_minutes = *e.changes.duration_minutes;
        if (e.changes.starts_at) o.starts_at = *e.changes.starts_at;
      }
    }
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<Occurrence> list_occurrences(const SeriesState& st, std::optional<UtcTime> after, std::optional<UtcTime> before,
                                         std::optional<std::size_t> limit) {
  return list_occurrences(*st.series, st.written, after, before, limit);
}

}  // namespace convene::series
