#include "core/series/occurrences.h"

#include "core/entities/gathering.h"
#include "core/entities/raw_entity.h"
#include "core/entities/session.h"
#include "core/error.h"
#include "core/recurrence/expand.h"

namespace convene::series {
namespace {

template <class F>
void for_each_entity(const Input& in, std::string_view key, F&& fn) {
  const Json* list = in.get(key);
  if (!list) return;
  if (!list->is_array()) in.type_error(key, "an array of entities");
  for (std::size_t i = 0; i < list->size(); ++i) {
    std::string f = in.field(key) + "[" + std::to_string(i) + "]";
    fn(entities::flatten_entity((*list)[i], f), f);
  }
}

}  // namespace

SeriesState read_series_state(const Input& in) {
  SeriesState st;
  const Json* s = in.get("series");
  if (!s) throw Error(code::kMissingField, in.field("series"), in.field("series") + " is required (the event_series entity)");
  st.series = series_info(*s, in.field("series"));
  if (auto k = in.opt_str("seriesKey"); k && !k->empty()) st.series.key = *k;

  for_each_entity(in, "exceptions", [&](Json flat, const std::string& f) {
    Input e(flat, f);
    if (e.opt_str("seriesKey").value_or("") != st.series.key) return;
    std::int64_t rid = to_epoch_ms(e.instant("recurrenceId"));
    Exception x{e.opt_str("key").value_or(""), e.str("kind"), Json::object(), e.opt_str("createdAt").value_or("")};
    if (const Json* c = e.get("changes"); c && c->is_object()) x.changes = *c;
    auto it = st.exceptions.find(rid);
    if (it == st.exceptions.end() || it->second.created_at <= x.created_at) st.exceptions[rid] = std::move(x);
  });
  for_each_entity(in, "gatherings", [&](Json flat, const std::string& f) {
    Input g(flat, f);
    if (g.opt_str("seriesKey").value_or("") != st.series.key || !g.has("recurrenceId")) return;
    std::int64_t rid = to_epoch_ms(g.instant("recurrenceId"));
    Materialized m{g.opt_str("key").value_or(""), entities::parse_gathering(flat, f), g.opt_str("createdAt").value_or("")};
    auto it = st.materialized.find(rid);
    if (it == st.materialized.end() || it->second.created_at <= m.created_at) st.materialized[rid] = std::move(m);
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

std::vector<Occurrence> list_occurrences(const SeriesState& st, std::optional<UtcTime> after,
                                         std::optional<UtcTime> before, std::optional<std::size_t> limit) {
  recurrence::ExpandOptions opt;
  if (after) opt.after = to_rec_instant(*after + Millis{999});  // ms bound -> whole second, still inclusive
  if (before) opt.before = to_rec_instant(*before);
  opt.limit = limit;
  std::vector<Occurrence> out;
  for (const auto& inst : recurrence::expand(st.series.recurrence, opt)) {
    Occurrence o;
    o.recurrence_id = o.starts_at = from_rec_instant(inst.instant);
    o.duration_minutes = st.series.tmpl.duration_minutes;
    o.local = recurrence::format_extended(inst.local, false);
    o.title = st.series.tmpl.title;
    o.description = st.series.tmpl.description;
    o.state = "planned";
    std::int64_t rid = to_epoch_ms(o.recurrence_id);
    if (auto m = st.materialized.find(rid); m != st.materialized.end()) {
      o.state = "materialized";
      o.gathering_key = m->second.key;
      if (auto u = m->second.gathering.find("videoJoinUrl"); u != m->second.gathering.end() && u->is_string())
        o.video_join_url = u->get<std::string>();
    }
    if (auto x = st.exceptions.find(rid); x != st.exceptions.end() && x->second.kind != "reinstated") {
      o.exception_key = x->second.key;
      const Json& c = x->second.changes;
      if (x->second.kind == "cancelled") {
        o.state = "cancelled";
      } else {
        o.state = "modified";
        if (c.contains("title") && c["title"].is_string()) o.title = c["title"];
        if (c.contains("description") && c["description"].is_string()) o.description = c["description"];
        if (c.contains("duration") && c["duration"].is_number_integer()) o.duration_minutes = c["duration"];
        if (c.contains("sessionDate") && c["sessionDate"].is_string())
          o.starts_at = parse_iso8601(c["sessionDate"].get<std::string>(), "changes.sessionDate");
      }
    }
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace convene::series
