#include "core/series/occurrences.h"

#include <algorithm>

#include "core/entities/gathering.h"
#include "core/entities/raw_entity.h"
#include "core/entities/session.h"
#include "core/entities/time_attributes.h"
#include "core/error.h"
#include "core/recurrence/expand.h"

namespace convene::series {

using entities::EntityRecord;
using entities::Verified;

std::optional<Verified<Exception>> verify_exception(const EntityRecord& r, const Verified<SeriesInfo>& series,
                                                    std::string_view field) {
  Json flat = r.merged(field);
  Input in(flat, std::string(field));
  if (in.str("seriesKey") != series->key) return std::nullopt;
  Exception x{r.key, parse_exception_kind(in.str("kind"), in.field("kind")), in.instant("recurrenceId"), {}, in.opt_str("reason")};
  if (auto c = in.opt_object("changes")) x.changes = read_changes(*c);  // validated as the builder does
  if (x.kind == ExceptionKind::Modified && x.changes.empty())
    throw Error(code::kMalformedEntity, in.field("changes"), in.field("changes") + " is empty for a modified occurrence");
  entities::check_end_attribute(flat, exception_end(*series, x), field);  // absent on exceptions older than the rule
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

SeriesState read_series_state(const Input& in, std::string_view field) {
  const Json* s = in.get(field);
  if (!s) throw Error(code::kMissingField, in.field(field), in.field(field) + " is required (the event_series entity)");
  auto record = entities::decode_entity(*s, in.field(field));
  SeriesState st{verify_series(record, in.field(field)), {}, {}, record.provenance.expires_at_block, std::nullopt};
  if (st.series->key.empty())
    throw Error(code::kMissingField, in.field(field) + ".key", in.field(field) + ".key is required (the series' entity key)");

  entities::for_each_entity(in.get("exceptions"), in.field("exceptions"), st.ignored, [&](const EntityRecord& r, const std::string& f) {
    if (auto x = verify_exception(r, st.series, f)) keep_newest(st.written.exceptions, to_epoch_ms((*x)->recurrence_id), *x);
  });
  // Gatherings: the newest version of each entity, then per RECURRENCE-ID ordered by where they were
  // created (an update keeps that position), latest first, ties by the order read.
  struct Read {
    entities::ChainPosition created;
    std::size_t order;
    Verified<entities::Gathering> g;
  };
  std::map<std::string, Read> by_key;
  std::size_t order = 0;
  entities::for_each_entity(in.get("gatherings"), in.field("gatherings"), st.ignored, [&](const EntityRecord& r, const std::string& f) {
    auto g = verify_series_gathering(r, st.series, f);
    if (!g) return;
    auto pos = r.provenance.position.value_or(entities::ChainPosition{});
    Read read{{r.provenance.created_at_block.value_or(pos.block), pos.tx_index, pos.op_index}, order++, *g};
    auto it = by_key.find((*g)->key);
    if (it == by_key.end()) by_key.emplace((*g)->key, std::move(read));
    else if (read.g.newer_than(it->second.g)) it->second = std::move(read);
  });
  std::map<std::int64_t, std::vector<const Read*>> per_rid;
  for (const auto& [key, read] : by_key) per_rid[to_epoch_ms(*read.g->recurrence_id)].push_back(&read);
  for (auto& [rid, list] : per_rid) {
    // The one created last is the occurrence's (two creates in one transaction: the later operation).
    std::sort(list.begin(), list.end(), [](const Read* a, const Read* b) {
      return a->created != b->created ? b->created < a->created : a->order < b->order;
    });
    st.written.materialized.emplace(rid, list.front()->g);
    for (std::size_t i = 1; i < list.size(); ++i) st.written.duplicates.push_back(list[i]->g);
  }
  if (in.has("rsvps")) {
    const Json summary = entities::rsvp_summary(in.get("rsvps"), std::nullopt);
    st.rsvped.emplace();
    for (const auto& [key, count] : summary["counts"].items())
      if (count.get<std::size_t>() > 0) st.rsvped->insert(key);
    const Json& ign = summary["ignored"];
    st.ignored.unverified += ign["unverified"].get<std::size_t>();
    st.ignored.conflicting += ign["conflicting"].get<std::size_t>();
    st.ignored.malformed += ign["malformed"].get<std::size_t>();
  }
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

namespace {

Occurrence make_occurrence(const SeriesInfo& series, const Written& written, const recurrence::Occurrence& inst) {
  Occurrence o;
  o.recurrence_id = o.starts_at = from_rec_instant(inst.instant);
  Template t = series.template_at(o.recurrence_id);
  o.duration_minutes = t.duration_minutes;
  o.local = recurrence::format_extended(inst.local, false);
  o.title = t.title;
  o.description = t.description;
  o.state = "planned";
  std::int64_t rid = to_epoch_ms(o.recurrence_id);
  if (auto m = written.materialized.find(rid); m != written.materialized.end()) {
    o.state = "materialized";
    o.gathering_key = m->second->key;
    if (auto u = m->second->view.find("videoJoinUrl"); !m->second->cancelled && u != m->second->view.end() && u->is_string())
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
  return o;
}

}  // namespace

std::optional<Occurrence> occurrence_at(const SeriesInfo& series, const Written& written, UtcTime rid) {
  recurrence::ExpandOptions probe;
  probe.after = probe.before = to_rec_instant(rid);
  probe.limit = 1;
  auto hit = recurrence::expand(series.recurrence, probe);
  if (hit.empty() || from_rec_instant(hit.front().instant) != rid) return std::nullopt;
  return make_occurrence(series, written, hit.front());
}

std::vector<Occurrence> list_occurrences(const SeriesInfo& series, const Written& written, std::optional<UtcTime> after,
                                         std::optional<UtcTime> before, std::optional<std::size_t> limit) {
  recurrence::ExpandOptions opt;
  if (after) opt.after = to_rec_instant(*after + Millis{999});  // ms bound -> whole second, still inclusive
  if (before) opt.before = to_rec_instant(*before);
  opt.limit = limit;
  std::vector<Occurrence> out;
  for (const auto& inst : recurrence::expand(series.recurrence, opt)) out.push_back(make_occurrence(series, written, inst));
  return out;
}

std::vector<Occurrence> list_occurrences(const SeriesState& st, std::optional<UtcTime> after, std::optional<UtcTime> before,
                                         std::optional<std::size_t> limit) {
  return list_occurrences(*st.series, st.written, after, before, limit);
}

}  // namespace convene::series
