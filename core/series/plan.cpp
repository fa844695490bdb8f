#include "core/series/plan.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/entities/arkiv_limits.h"
#include "core/entities/expiry.h"
#include "core/entities/gathering.h"
#include "core/entities/session.h"
#include "core/error.h"
#include "core/recurrence/expand.h"
#include "core/recurrence/parse.h"
#include "core/recurrence/zone.h"

namespace convene::series {

using entities::EntityDraft;
using entities::Gathering;
using entities::Verified;

entities::EntityDraft gathering_draft(const SeriesInfo& s, const Occurrence& o, const std::string& room,
                                      const entities::BuildContext& ctx) {
  Json in = {{"organizerWallet", s.organizer.str()},
             {"community", s.community},
             {"communityName", s.community_name},
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

std::string room_of(const Verified<Gathering>& m) { return m->cancelled ? std::string() : m->view.value("videoRoomName", std::string()); }

bool ended(const Gathering& g, UtcTime now) { return g.date + std::chrono::minutes{g.duration_minutes} <= now; }

/// The gathering as it is, marked cancelled, for series `s`: same title, time and duration; no
/// room, join link or token (docs/domain.md#event-series).
EntityDraft cancelled_draft(const SeriesInfo& s, const Gathering& g, const entities::BuildContext& ctx) {
  Json in = {{"organizerWallet", g.organizer.str()},
             {"community", g.community.empty() ? s.community : g.community},
             {"communityName", g.view.value("communityName", s.community_name)},
             {"title", g.view.value("title", std::string())},
             {"description", g.view.value("description", std::string())},
             {"sessionDate", format_iso8601(g.date)},
             {"duration", g.duration_minutes},
             {"videoProvider", g.view.value("videoProvider", std::string("jitsi"))},
             {"seriesKey", s.key},
             {"recurrenceId", format_iso8601(*g.recurrence_id)},
             {"status", "cancelled"}};
  return entities::build_virtual_gathering(Input(in, "gathering"), ctx);
}

Problem problem_of(const std::string& rid, const Error& e) { return Problem{rid, e.code(), e.field(), e.what()}; }

/// Runs `fn`; a convene::Error becomes a problem about `rid` instead of failing the whole plan.
template <class F>
void per_occurrence(std::vector<Problem>& problems, const std::string& rid, F&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    problems.push_back(problem_of(rid, e));
  } catch (const Json::exception& e) {
    problems.push_back(Problem{rid, std::string(code::kInternal), "", e.what()});
  }
}

// ---- transactions ---------------------------------------------------------------------------

enum class OpKind { Create, Update, Cancel, Extend, Series, NewSeries };
struct Op {
  OpKind kind;
  std::size_t index;
  std::size_t bytes;
};

/// A draft's share of a transaction: payload and attributes (as EntityDraft::to_json counts them)
/// plus the per-operation overhead.
std::size_t draft_bytes(const EntityDraft& d) {
  std::size_t bytes = d.payload.dump(-1, ' ', false, Json::error_handler_t::replace).size() + entities::kOperationOverheadBytes;
  for (const auto& a : d.attributes) {
    bytes += a.key.size();
    if (const auto* s = std::get_if<std::string>(&a.value)) bytes += s->size();
    else bytes += 8;
  }
  return bytes;
}

/// Cuts `ops`, in order, into transactions under Arkiv's 128 KB (uncompressed, so conservative) and
/// 1000 operations.
std::vector<Transaction> batch(const std::vector<Op>& ops) {
  std::vector<Transaction> out;
  Transaction t;
  std::size_t bytes = entities::kTransactionOverheadBytes, n = 0;
  for (const Op& op : ops) {
    if (n > 0 && (bytes + op.bytes > entities::kMaxTransactionBytes || n + 1 > entities::kMaxOperationsPerTransaction)) {
      out.push_back(std::move(t));
      t = Transaction{};
      bytes = entities::kTransactionOverheadBytes;
      n = 0;
    }
    switch (op.kind) {
      case OpKind::Create: t.create.push_back(op.index); break;
      case OpKind::Update: t.update.push_back(op.index); break;
      case OpKind::Cancel: t.cancel.push_back(op.index); break;
      case OpKind::Extend: t.extend.push_back(op.index); break;
      case OpKind::Series: t.series = true; break;
      case OpKind::NewSeries: t.new_series = true; break;
    }
    bytes += op.bytes;
    ++n;
  }
  if (n > 0) out.push_back(std::move(t));
  return out;
}

void add_ops(std::vector<Op>& ops, OpKind kind, const std::vector<Update>& list) {
  for (std::size_t i = 0; i < list.size(); ++i) ops.push_back({kind, i, draft_bytes(list[i].draft)});
}

bool unbounded(const SeriesInfo& s) { return s.recurrence.rrule && !s.recurrence.rrule->count && !s.recurrence.rrule->until; }

/// Every gathering of the series per RECURRENCE-ID, the occurrence's own first, then its duplicates.
std::map<std::int64_t, std::vector<const Verified<Gathering>*>> gatherings_by_rid(const Written& w) {
  std::map<std::int64_t, std::vector<const Verified<Gathering>*>> out;
  for (const auto& [rid, g] : w.materialized) out[rid].push_back(&g);
  for (const auto& d : w.duplicates) out[to_epoch_ms(*d->recurrence_id)].push_back(&d);
  return out;
}

}  // namespace

MaterializationPlan plan_materialization(const SeriesState& st, std::chrono::hours horizon, const entities::BuildContext& ctx,
                                         std::optional<std::int64_t> current_block) {
  const SeriesInfo& series = *st.series;
  const UtcTime now = ctx.now, window_end = now + horizon;
  MaterializationPlan plan;

  // A rule too dense for meetings gets no new gatherings; what exists is still kept right.
  bool dense = false;
  try {
    check_series_rule(series, "series.recurrence");
  } catch (const Error& e) {
    dense = e.code() == code::kRecurrenceTooDense;
    if (e.code() != code::kEmptyRecurrence) plan.problems.push_back(problem_of("", e));
  }

  // Candidates: the rule's occurrences that may be in progress or start within the window, every
  // moved occurrence (it may have moved into the window, or out of it), every gathering.
  std::set<std::int64_t> rids;
  if (!dense) {
    per_occurrence(plan.problems, "", [&] {
      recurrence::ExpandOptions opt;
      opt.after = to_rec_instant(now - std::chrono::minutes{entities::kMaxDurationMinutes});
      opt.before = to_rec_instant(window_end);
      for (const auto& inst : recurrence::expand(series.recurrence, opt)) rids.insert(to_epoch_ms(from_rec_instant(inst.instant)));
    });
  }
  for (const auto& [rid, x] : st.written.exceptions)
    if (x->kind == ExceptionKind::Modified && x->changes.starts_at) rids.insert(rid);
  const auto gatherings = gatherings_by_rid(st.written);
  for (const auto& [rid, list] : gatherings) rids.insert(rid);

  for (std::int64_t rid : rids) {
    const UtcTime r{Millis{rid}};
    const std::string rid_iso = format_iso8601(r);
    auto found = gatherings.find(rid);
    const std::vector<const Verified<Gathering>*> none;
    const auto& list = found != gatherings.end() ? found->second : none;
    per_occurrence(plan.problems, rid_iso, [&] {
      auto occ = occurrence_at(series, st.written, r);
      // Retired: the series no longer produces this RECURRENCE-ID, or the occurrence is cancelled.
      const char* retire = !occ ? "orphaned" : occ->state == "cancelled" ? "cancelled" : nullptr;
      if (retire) {
        for (const auto* g : list)
          if (!(*g)->cancelled && !ended(**g, now)) plan.cancel.push_back({(*g)->key, rid_iso, cancelled_draft(series, **g, ctx), retire});
        return;
      }
      if (occ->ends_at() <= now) return;
      // Every gathering of the occurrence follows it, wherever it moved; a duplicate (two
      // materializations at once) only while people RSVP'd to it: one nobody RSVP'd to is retired,
      // and never restored (when `rsvps` were not given, every duplicate follows).
      for (std::size_t i = 0; i < list.size(); ++i) {
        const auto* g = list[i];
        if (i > 0 && st.rsvped && !st.rsvped->contains((*g)->key)) {
          if (!(*g)->cancelled && !ended(**g, now)) plan.cancel.push_back({(*g)->key, rid_iso, cancelled_draft(series, **g, ctx), "duplicate"});
          continue;
        }
        if ((*g)->cancelled || differs((*g)->view, *occ))
          plan.update.push_back({(*g)->key, rid_iso, gathering_draft(series, *occ, room_of(*g), ctx), ""});
      }
      if (list.empty() && !dense && occ->starts_at <= window_end) plan.create.push_back(gathering_draft(series, *occ, "", ctx));
    });
  }

  // The series entity must outlive what it schedules (docs/domain.md#expiry).
  per_occurrence(plan.problems, "", [&] {
    if (current_block && st.series_expires_at_block) {
      UtcTime expiry = entities::expires_at_from_block(static_cast<std::int64_t>(*st.series_expires_at_block), *current_block, now);
      UtcTime target = now + std::chrono::seconds{series_expires_in(series, now)};
      if (expiry < target - kExtensionSlack)
        plan.extend.push_back({series.key, std::chrono::ceil<std::chrono::seconds>(target - expiry).count()});
    } else if (unbounded(series)) {
      const char* missing = current_block ? "series.expiresAtBlock" : "currentBlock";
      plan.problems.push_back(Problem{"", std::string(code::kMissingField), missing,
                                      std::string(missing) + " is needed to check the series' expiry: an unbounded series is "
                                      "written for one year and lives on only by the extensions materialization plans"});
    }
  });

  std::vector<Op> ops;
  for (std::size_t i = 0; i < plan.extend.size(); ++i) ops.push_back({OpKind::Extend, i, 64});
  add_ops(ops, OpKind::Cancel, plan.cancel);
  add_ops(ops, OpKind::Update, plan.update);
  for (std::size_t i = 0; i < plan.create.size(); ++i) ops.push_back({OpKind::Create, i, draft_bytes(plan.create[i])});
  plan.transactions = batch(ops);
  return plan;
}

Propagation plan_propagation(const SeriesState& st, UtcTime from, const Input& changes, const entities::BuildContext& ctx) {
  SeriesInfo series = *st.series;
  Template next = series.tmpl;
  if (changes.has("title")) {
    next.title = changes.str("title");
    entities::validate_attribute_string(next.title, changes.field("title"));
  }
  if (auto v = changes.opt_str("description")) next.description = *v;
  if (changes.has("duration")) next.duration_minutes = entities::read_duration(changes);
  series.change_template_from(from, next);
  if (changes.has("duration")) {
    try {
      check_series_rule(series, "series.recurrence");
    } catch (const Error& e) {
      if (e.code() != code::kRecurrenceTooDense) throw;
      throw Error(e.code(), changes.field("duration"), changes.field("duration") + ": " + e.what());
    }
  }
  Propagation p{series_draft(series, ctx), {}, {}, {}};
  for (const auto& entry : gatherings_by_rid(st.written)) {
    const auto& list = entry.second;  // (named: clang before 16 cannot capture structured bindings in a lambda)
    const UtcTime r{Millis{entry.first}};
    if (r < from) continue;
    const std::string rid_iso = format_iso8601(r);
    per_occurrence(p.problems, rid_iso, [&] {
      auto occ = occurrence_at(series, st.written, r);
      if (!occ || occ->state == "cancelled" || occ->ends_at() <= ctx.now) return;  // materialization's part
      for (const auto* g : list)
        if (!(*g)->cancelled && differs((*g)->view, *occ))
          p.update.push_back({(*g)->key, rid_iso, gathering_draft(series, *occ, room_of(*g), ctx), ""});
    });
  }
  std::vector<Op> ops{{OpKind::Series, 0, draft_bytes(p.series)}};
  add_ops(ops, OpKind::Update, p.update);
  p.transactions = batch(ops);
  return p;
}

namespace {

/// Instant of an RDATE/EXDATE value as expand() places it.
recurrence::Instant placed(const recurrence::RecurrenceSet& set, const recurrence::DateTimeValue& v) {
  using recurrence::ValueKind;
  if (v.kind == ValueKind::Utc) return recurrence::Instant{v.local.time_since_epoch()};
  if (v.kind == ValueKind::Zoned) return recurrence::Zone(v.tzid, "RDATE").to_instant(v.local);
  if (set.dtstart.kind == ValueKind::Zoned) return recurrence::Zone(set.dtstart.tzid, "DTSTART").to_instant(v.local);
  return recurrence::Instant{v.local.time_since_epoch()};
}

/// Writes out the parts of `rule` that default to DTSTART's date when moving DTSTART from `from`
/// to `to` would change them (RFC 7529 SKIP can put an instance on another day than DTSTART's:
/// MONTHLY from Jan 31 with SKIP=BACKWARD has Feb 29, from which the same rule would run on the 29th).
void pin_date_defaults(recurrence::RRule& rule, recurrence::LocalTime from, recurrence::LocalTime to) {
  using recurrence::Freq;
  const auto a = recurrence::to_civil(from), b = recurrence::to_civil(to);
  const bool day_parts = !rule.byweekno.empty() || !rule.byyearday.empty() || !rule.bymonthday.empty() || !rule.byday.empty();
  if (rule.freq == Freq::Monthly && !day_parts && a.day != b.day) rule.bymonthday = {a.day};
  if (rule.freq == Freq::Yearly && !day_parts && (a.day != b.day || a.month != b.month)) {
    if (rule.bymonth.empty()) rule.bymonth = {a.month};
    rule.bymonthday = {a.day};
  }
  if (rule.freq == Freq::Yearly && !rule.bymonthday.empty() && rule.bymonth.empty() && rule.byweekno.empty() &&
      rule.byyearday.empty() && rule.byday.empty() && a.month != b.month)
    rule.bymonth = {a.month};
}

/// A wall time in the series' zone for DTSTART at `t`, or `t` as UTC when the zone cannot say it
/// exactly (the later of two instants in a DST overlap).
recurrence::DateTimeValue dtstart_at(const recurrence::RecurrenceSet& set, const recurrence::Occurrence& o) {
  recurrence::DateTimeValue v = set.dtstart;
  v.local = o.local;
  if (placed(set, v) != o.instant) v = {recurrence::ValueKind::Utc, recurrence::LocalTime{o.instant.time_since_epoch()}, ""};
  return v;
}

/// The exceptions and gatherings of `old_state` that belong to `next` (their RECURRENCE-ID is one
/// of its occurrences); gatherings already ended stay where they are.
struct Candidates {
  std::vector<std::pair<std::int64_t, const Verified<Exception>*>> exceptions;
  std::vector<std::pair<std::int64_t, const Verified<Gathering>*>> gatherings;
};
Candidates handoff_candidates(const SeriesState& old_state, const SeriesInfo& next, UtcTime now) {
  Candidates c;
  for (const auto& [rid, x] : old_state.written.exceptions)
    if (is_occurrence(next, UtcTime{Millis{rid}})) c.exceptions.emplace_back(rid, &x);
  for (const auto& [rid, list] : gatherings_by_rid(old_state.written))
    for (const auto* g : list)
      if (!ended(**g, now) && is_occurrence(next, UtcTime{Millis{rid}})) c.gatherings.emplace_back(rid, g);
  return c;
}

}  // namespace

Split plan_split(const SeriesState& st, UtcTime at, const Input& changes, const entities::BuildContext& ctx) {
  const SeriesInfo& s = *st.series;
  const auto& set = s.recurrence;
  if (!set.rrule) throw Error(code::kInvalidInput, "series.recurrence", "series.recurrence has no RRULE to split");
  const recurrence::Instant last_before = to_rec_instant(at - Millis{1});  // instants are whole seconds: < at
  const recurrence::Instant first_from = to_rec_instant(at + Millis{999});  // >= at
  recurrence::ExpandOptions any_before, any_from;
  any_before.before = last_before;
  any_before.limit = 1;
  any_from.after = first_from;
  any_from.limit = 1;
  const auto occ_from = recurrence::expand(set, any_from);
  if (recurrence::expand(set, any_before).empty() || occ_from.empty())
    throw Error(code::kInvalidInput, "at", "at must lie between two occurrences of the series (edit the series instead)");

  // RFC 5545 §3.8.5.1: COUNT counts the RRULE's own instances, before EXDATE and without RDATE.
  recurrence::RecurrenceSet rule_only = set;
  rule_only.rdates.clear();
  rule_only.exdates.clear();
  recurrence::ExpandOptions rb;
  rb.before = last_before;
  const auto rule_before = recurrence::expand(rule_only, rb);
  recurrence::ExpandOptions ra;
  ra.after = first_from;
  ra.limit = 1;
  const auto rule_from = recurrence::expand(rule_only, ra);

  SeriesInfo old_s = s, new_s = s;
  new_s.key.clear();
  new_s.split_from = s.key;  // the new series names the one it continues
  // Old series: the RRULE stops before `at`.
  auto& old_rule = *old_s.recurrence.rrule;
  if (old_rule.count && !rule_before.empty()) {
    old_rule.count = static_cast<std::int64_t>(rule_before.size());
  } else {
    old_rule.count.reset();
    recurrence::Instant until = rule_before.empty() ? last_before : rule_before.back().instant;
    old_rule.until = recurrence::DateTimeValue{recurrence::ValueKind::Utc, recurrence::LocalTime{until.time_since_epoch()}, ""};
  }
  // New series: DTSTART at the first RRULE instance from `at` on (an RDATE there would carry the rule
  // to its weekday and time of day), the rest of COUNT; with no RRULE instance left, its RDATEs.
  if (!rule_from.empty()) {
    new_s.recurrence.dtstart = dtstart_at(set, rule_from.front());
    auto& new_rule = *new_s.recurrence.rrule;
    if (new_rule.count) new_rule.count = *new_rule.count - static_cast<std::int64_t>(rule_before.size());
    pin_date_defaults(new_rule, set.dtstart.local, rule_from.front().local);
  } else {
    new_s.recurrence.rrule.reset();
    new_s.recurrence.dtstart = dtstart_at(set, occ_from.front());
  }
  // RDATE/EXDATE values before `at` stay with the old series; the others move to the new one.
  auto divide = [&](const std::vector<recurrence::DateTimeValue>& all, std::vector<recurrence::DateTimeValue>& before,
                    std::vector<recurrence::DateTimeValue>& from) {
    before.clear();
    from.clear();
    for (const auto& v : all) (from_rec_instant(placed(set, v)) < at ? before : from).push_back(v);
  };
  divide(set.rdates, old_s.recurrence.rdates, new_s.recurrence.rdates);
  divide(set.exdates, old_s.recurrence.exdates, new_s.recurrence.exdates);
  if (!new_s.recurrence.rrule) {
    // DTSTART is now the first remaining occurrence: drop the RDATE that said so.
    auto& rd = new_s.recurrence.rdates;
    rd.erase(std::remove_if(rd.begin(), rd.end(), [&](const auto& v) { return placed(set, v) == occ_from.front().instant; }), rd.end());
  }
  old_s.keep_templates(at, true);
  new_s.keep_templates(at, false);

  // Changes apply to the new series from its start.
  Template next = new_s.tmpl;
  bool changed = false;
  if (changes.has("title")) {
    next.title = changes.str("title");
    entities::validate_attribute_string(next.title, changes.field("title"));
    changed = true;
  }
  if (auto v = changes.opt_str("description")) next.description = *v, changed = true;
  if (changes.has("duration")) next.duration_minutes = entities::read_duration(changes), changed = true;
  if (changed) {
    new_s.history.clear();
    new_s.tmpl.title = next.title;
    new_s.tmpl.description = next.description;
    new_s.tmpl.duration_minutes = next.duration_minutes;
  }
  if (auto r = changes.opt_str("rrule"); r && !r->empty()) new_s.recurrence.rrule = recurrence::parse_rrule(*r);
  if (changes.has("rrule") || changes.has("duration"))
    check_series_rule(new_s, changes.has("rrule") ? changes.field("rrule") : changes.field("duration"));
  new_s.recurrence_text = recurrence::format_recurrence_set(new_s.recurrence);
  old_s.recurrence_text = recurrence::format_recurrence_set(old_s.recurrence);

  Split out{series_draft(old_s, ctx), series_draft(new_s, ctx), {}, {}, {}};
  auto c = handoff_candidates(st, new_s, ctx.now);
  for (const auto& [rid, x] : c.exceptions) out.handoff_exceptions.push_back({(*x)->key, format_iso8601(UtcTime{Millis{rid}})});
  for (const auto& [rid, g] : c.gatherings) out.handoff_gatherings.push_back({(*g)->key, format_iso8601(UtcTime{Millis{rid}})});
  out.transactions = batch({{OpKind::Series, 0, draft_bytes(out.old_series)}, {OpKind::NewSeries, 0, draft_bytes(out.new_series)}});
  return out;
}

Handoff plan_handoff(const SeriesState& old_state, const Verified<SeriesInfo>& new_series, const entities::BuildContext& ctx) {
  const SeriesInfo& next = *new_series;
  if (next.organizer != old_state.series->organizer)
    throw Error(code::kInvalidInput, "newSeries", "newSeries has another organizer than series: a split keeps the organizer");
  if (next.key.empty()) throw Error(code::kMissingField, "newSeries.key", "newSeries.key is required (the new series' entity key)");
  if (next.key == old_state.series->key)
    throw Error(code::kInvalidInput, "newSeries", "newSeries is the series itself: pass the series the split created");
  Handoff h;
  auto c = handoff_candidates(old_state, next, ctx.now);
  Written handed;  // what the new series will read once the exceptions moved
  for (const auto& entry : c.exceptions) {
    const std::int64_t rid = entry.first;
    const Verified<Exception>* x = entry.second;
    const std::string rid_iso = format_iso8601(UtcTime{Millis{rid}});
    per_occurrence(h.problems, rid_iso, [&] {
      h.update.push_back({(*x)->key, rid_iso, exception_draft(next, **x, ctx), ""});
      handed.exceptions.emplace(rid, *x);
    });
  }
  for (const auto& entry : c.gatherings) {
    const Verified<Gathering>* g = entry.second;
    const UtcTime r{Millis{entry.first}};
    const std::string rid_iso = format_iso8601(r);
    per_occurrence(h.problems, rid_iso, [&] {
      auto occ = occurrence_at(next, handed, r);
      if (!occ) return;
      if (occ->state == "cancelled")
        h.update.push_back({(*g)->key, rid_iso, cancelled_draft(next, **g, ctx), "cancelled"});
      else if (occ->ends_at() > ctx.now)  // (one that moved into the past stays, and is retired as an orphan)
        h.update.push_back({(*g)->key, rid_iso, gathering_draft(next, *occ, room_of(*g), ctx), ""});
    });
  }
  std::vector<Op> ops;
  add_ops(ops, OpKind::Update, h.update);
  h.transactions = batch(ops);
  return h;
}

std::optional<Occurrence> next_occurrence(const SeriesState& st, UtcTime now) {
  const SeriesInfo& s = *st.series;
  std::optional<Occurrence> best;
  auto consider = [&](const Occurrence& o) {
    if (o.state == "cancelled" || o.starts_at < now) return;
    if (!best || o.starts_at < best->starts_at || (o.starts_at == best->starts_at && o.recurrence_id < best->recurrence_id)) best = o;
  };
  auto moved = [&](std::int64_t rid) {
    auto x = st.written.exceptions.find(rid);
    return x != st.written.exceptions.end() && x->second->kind == ExceptionKind::Modified && x->second->changes.starts_at;
  };
  // Moved occurrences, wherever their RECURRENCE-ID lies.
  for (const auto& [rid, x] : st.written.exceptions)
    if (moved(rid))
      if (auto o = occurrence_at(s, st.written, UtcTime{Millis{rid}})) consider(*o);
  // The rule's own from `now` on: the first neither cancelled nor moved is the earliest of them. Each
  // one passed over has an exception, so one more than there are exceptions is enough to look at.
  for (const Occurrence& o : list_occurrences(st, now, std::nullopt, st.written.exceptions.size() + 1)) {
    if (moved(to_epoch_ms(o.recurrence_id)) || o.state == "cancelled") continue;
    consider(o);
    break;
  }
  return best;
}

}  // namespace convene::series
