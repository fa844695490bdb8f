#include "core/series/notices.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>
#include <set>

#include "core/crypto/sodium.h"
#include "core/entities/gathering.h"
#include "core/entities/session.h"
#include "core/error.h"
#include "core/series/occurrences.h"
#include "core/series/plan.h"
#include "core/series/series.h"

namespace convene::series {

using entities::ChainPosition;
using entities::EntityRecord;
using entities::Verified;

std::string_view to_string(NoticeKind k) {
  switch (k) {
    case NoticeKind::OccurrenceScheduled: return "occurrenceScheduled";
    case NoticeKind::TemplateChanged: return "templateChanged";
    case NoticeKind::RuleChanged: return "ruleChanged";
    case NoticeKind::SeriesSplit: return "seriesSplit";
    case NoticeKind::SeriesEnded: return "seriesEnded";
    case NoticeKind::OccurrenceMoved: return "occurrenceMoved";
    case NoticeKind::OccurrenceCancelled: return "occurrenceCancelled";
    case NoticeKind::OccurrenceReinstated: return "occurrenceReinstated";
    case NoticeKind::JoinLinkChanged: return "joinLinkChanged";
  }
  return "";
}

Json Notice::to_json() const {
  Json j = {{"id", id}, {"kind", to_string(kind)}, {"title", title}, {"at", format_iso8601(at)}, {"block", block}};
  if (!series_key.empty()) j["seriesKey"] = series_key;
  if (recurrence_id) j["recurrenceId"] = format_iso8601(*recurrence_id);
  if (gathering_key) j["gatheringKey"] = *gathering_key;
  if (from) j["from"] = format_iso8601(*from);
  if (to) j["to"] = format_iso8601(*to);
  if (from_url) j["fromUrl"] = *from_url;
  if (to_url) j["toUrl"] = *to_url;
  if (new_series_key) j["newSeriesKey"] = *new_series_key;
  if (effective_from) j["effectiveFrom"] = format_iso8601(*effective_from);
  if (kind == NoticeKind::TemplateChanged) j["changes"] = changes;
  return j;
}

Json notices_json(const Notices& n) {
  Json list = Json::array();
  for (const auto& x : n.notices) list.push_back(x.to_json());
  return Json{{"notices", std::move(list)}, {"ignored", n.ignored.to_json()}};
}

namespace {

/// A gathering as read in one snapshot, signed by its own organizer, with the block its entity was
/// created in (an update keeps it).
struct ReadGathering {
  Verified<entities::Gathering> g;
  ChainPosition created;  ///< where its entity was created (an update keeps tx and operation index)
  Json raw;
};

/// One read of the chain (the earlier one or the current one).
struct Snapshot {
  std::map<std::string, SeriesState, std::less<>> series;       // by series key, evidence only
  std::map<std::string, ReadGathering, std::less<>> gatherings;  // by gathering key, evidence only
};

/// Where an entity was created: its create's block, and the transaction and operation index, which
/// later versions keep (docs/trust.md#versions).
ChainPosition created_position(const EntityRecord& r) {
  const ChainPosition pos = r.provenance.position.value_or(ChainPosition{});
  return {r.provenance.created_at_block.value_or(pos.block), pos.tx_index, pos.op_index};
}

/// The `seriesKey` an entity claims (attribute or flat field); read only to group, checked later.
std::string claimed_series_key(const Json& e) {
  if (!e.is_object()) return {};
  if (auto a = e.find("attributes"); a != e.end() && a->is_array())
    for (const auto& attr : *a)
      if (attr.is_object() && attr.value("key", Json()) == "seriesKey" && attr.contains("value") && attr["value"].is_string())
        return attr["value"].get<std::string>();
  if (auto f = e.find("seriesKey"); f != e.end() && f->is_string()) return f->get<std::string>();
  return {};
}

/// Like entities::for_each_entity, also handing `read` the entity as given (to pass it on).
template <class F>
void for_each_raw(const Json* list, const std::string& field, entities::Ignored& ignored, F&& read) {
  if (!list) return;
  if (!list->is_array())
    throw Error(code::kInvalidType, field, field + " must be an array of entities, got " + json_type_name(*list));
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string f = field + "[" + std::to_string(i) + "]";
    try {
      read((*list)[i], entities::decode_entity((*list)[i], f), f);
    } catch (const Error& e) {
      ignored.count(e);
    } catch (const Json::exception&) {
      ignored.count_malformed();
    }
  }
}

Snapshot read_snapshot(const Input& in, std::string_view name, entities::Ignored& ignored) {
  const Json* obj = in.get(name);
  if (!obj) throw Error(code::kMissingField, in.field(name), in.field(name) + " is required ({series?, exceptions?, gatherings?} as read)");
  const Input s(*obj, in.field(name));
  Snapshot snap;

  // Gatherings first, each checked against its own organizer; those claiming a series are then
  // checked again against that series (its organizer must be theirs) by read_series_state.
  for_each_raw(s.get("gatherings"), s.field("gatherings"), ignored, [&](const Json& raw, const EntityRecord& r, const std::string& f) {
    auto g = entities::verify_gathering(r, f);
    ReadGathering read{g, created_position(r), raw};
    auto it = snap.gatherings.find(g->key);
    if (it == snap.gatherings.end()) snap.gatherings.emplace(g->key, std::move(read));
    else if (g.newer_than(it->second.g)) it->second = std::move(read);
  });
  std::map<std::string, Json, std::less<>> gatherings_by_series;
  for (const auto& entry : snap.gatherings)
    if (entry.second.g->series_key) gatherings_by_series[*entry.second.g->series_key].push_back(entry.second.raw);

  std::map<std::string, Json, std::less<>> exceptions_by_series;
  const Json* exceptions = s.get("exceptions");
  if (exceptions && !exceptions->is_array())
    throw Error(code::kInvalidType, s.field("exceptions"), s.field("exceptions") + " must be an array of entities, got " + json_type_name(*exceptions));
  if (exceptions)
    for (const auto& e : *exceptions) exceptions_by_series[claimed_series_key(e)].push_back(e);

  for_each_raw(s.get("series"), s.field("series"), ignored, [&](const Json& raw, const EntityRecord& r, const std::string& f) {
    if (r.key.empty()) throw Error(code::kMissingField, f + ".key", f + ".key is required");
    auto xs = exceptions_by_series.find(r.key);
    auto gs = gatherings_by_series.find(r.key);
    Json args = {{"series", raw},
                 {"exceptions", xs == exceptions_by_series.end() ? Json::array() : xs->second},
                 {"gatherings", gs == gatherings_by_series.end() ? Json::array() : gs->second}};
    SeriesState st = read_series_state(Input(args, ""), "series");
    ignored += st.ignored;
    auto it = snap.series.find(st.series->key);
    if (it == snap.series.end()) snap.series.emplace(st.series->key, std::move(st));
    else if (st.series.newer_than(it->second.series)) it->second = std::move(st);
  });
  return snap;
}

/// The id of a change: SHA-256 of what identifies it, first 128 bits in hex.
std::string notice_id(NoticeKind kind, std::string_view series_key, std::optional<UtcTime> rid,
                      const std::optional<std::string>& gathering_key, std::string_view tag) {
  std::string text(to_string(kind));
  text += '|';
  text += series_key;
  text += '|';
  if (rid) text += std::to_string(to_epoch_ms(*rid));
  text += '|';
  if (gathering_key) text += *gathering_key;
  text += '|';
  text += tag;
  const auto h = crypto::sha256(text);
  return crypto::to_hex(h).substr(0, 32);
}

/// One attendee's occurrence as a snapshot shows it.
struct MeetingView {
  UtcTime starts;
  bool cancelled = false;
  std::optional<std::string> join_url;
  std::string title;
  std::string series_key;
  std::optional<UtcTime> rid;
  std::string cause;            ///< the entity version that decides start and cancellation
  ChainPosition cause_at;
  ChainPosition gathering_at;  ///< the gathering's current version (join link changes)
};

std::optional<std::string> join_url_of(const entities::Gathering& g) {
  if (g.cancelled) return std::nullopt;
  if (auto u = g.view.find("videoJoinUrl"); u != g.view.end() && u->is_string() && !u->get<std::string>().empty())
    return u->get<std::string>();
  return std::nullopt;
}

std::optional<MeetingView> view_of(const Snapshot& snap, std::string_view gathering_key) {
  auto it = snap.gatherings.find(gathering_key);
  if (it == snap.gatherings.end()) return std::nullopt;
  const auto& g = it->second.g;
  MeetingView v;
  v.gathering_at = g.position();
  v.join_url = join_url_of(*g);
  v.title = g->view.value("title", "");
  if (g->series_key && g->recurrence_id) {
    auto st = snap.series.find(*g->series_key);
    // The series' reading of its own gathering: its organizer signed it (else the claim is void).
    if (st != snap.series.end() && st->second.series.signer() == g.signer()) {
      const SeriesState& s = st->second;
      v.series_key = s.series->key;
      v.rid = g->recurrence_id;
      auto o = occurrence_at(*s.series, s.written, *g->recurrence_id);
      if (!o) {  // the series no longer produces it: the gathering is an orphan, retired or about to be
        v.starts = g->date;
        v.cancelled = true;
        v.join_url.reset();
        v.cause = "orphaned:" + s.series->key;
        v.cause_at = s.series.position();
        return v;
      }
      v.starts = o->starts_at;
      v.cancelled = o->state == "cancelled";
      if (v.cancelled) v.join_url.reset();
      v.title = o->title;
      if (auto x = s.written.exceptions.find(to_epoch_ms(*g->recurrence_id)); x != s.written.exceptions.end()) {
        v.cause = "exception:" + x->second->key;
        v.cause_at = x->second.position();
      } else {
        v.cause = "series:" + s.series->key + "@" + std::to_string(s.series.position().block);
        v.cause_at = s.series.position();
      }
      return v;
    }
  }
  // A standalone gathering (or one whose series was not read): the gathering itself decides.
  v.starts = g->date;
  v.cancelled = g->cancelled;
  v.cause = "gathering:" + g->key + "@" + std::to_string(g.position().block);
  v.cause_at = g.position();
  return v;
}

/// The series of `snap` that holds `rid` for an RSVP naming `series_key`: that series, or one that
/// continues it after a split (`splitFrom`, signed by the same organizer), whichever produces the
/// RECURRENCE-ID (the later one first: a split hands its dates over).
const SeriesState* holder_of(const Snapshot& snap, std::string_view series_key, UtcTime rid) {
  auto named = snap.series.find(series_key);
  if (named == snap.series.end()) return nullptr;
  for (const auto& [key, st] : snap.series)
    if (st.series->split_from == series_key && st.series.signer() == named->second.series.signer() &&
        occurrence_at(*st.series, st.written, rid))
      return &st;
  return &named->second;
}

/// An occurrence RSVP's date (series and RECURRENCE-ID, no gathering named) as `snap` shows it: its
/// gathering's view when the series (or the one continuing it) has a live gathering for the date,
/// else the occurrence as the series computes it (no join link yet); nullopt when the series is not
/// in the snapshot. `gathering_key` is set to the gathering found.
std::optional<MeetingView> occurrence_view(const Snapshot& snap, std::string_view series_key, UtcTime rid,
                                           std::optional<std::string>& gathering_key) {
  const SeriesState* s = holder_of(snap, series_key, rid);
  if (!s) return std::nullopt;
  const ReadGathering* found = nullptr;
  for (const auto& [key, read] : snap.gatherings) {
    const auto& g = read.g;
    if (!g->series_key || *g->series_key != s->series->key || !g->recurrence_id || *g->recurrence_id != rid) continue;
    if (g.signer() != s->series.signer()) continue;
    if (!found || (found->g->cancelled && !g->cancelled)) found = &read;
  }
  if (found) {
    gathering_key = found->g->key;
    return view_of(snap, found->g->key);
  }
  MeetingView v;
  v.series_key = s->series->key;
  v.rid = rid;
  v.title = s->series->tmpl.title;
  auto o = occurrence_at(*s->series, s->written, rid);
  if (!o) {
    v.starts = rid;
    v.cancelled = true;
    v.cause = "orphaned:" + s->series->key;
    v.cause_at = s->series.position();
    return v;
  }
  v.starts = o->starts_at;
  v.cancelled = o->state == "cancelled";
  v.title = o->title;
  if (auto x = s->written.exceptions.find(to_epoch_ms(rid)); x != s->written.exceptions.end()) {
    v.cause = "exception:" + x->second->key;
    v.cause_at = x->second.position();
  } else {
    v.cause = "series:" + s->series->key + "@" + std::to_string(s->series.position().block);
    v.cause_at = s->series.position();
  }
  return v;
}

Notice make_notice(NoticeKind kind, std::string series_key) {
  Notice n;
  n.kind = kind;
  n.series_key = std::move(series_key);
  return n;
}

/// How many upcoming occurrences are compared for a template change.
constexpr std::size_t kTemplateLookahead = 400;

class Collector {
 public:
  Collector(std::int64_t current_block, UtcTime now) : current_(current_block), now_(now) {}

  /// Adds `n`, carried by the entity version at `at` (its id made from `tag`), unless that version is
  /// no later on the chain than `known` (where the follow or RSVP was created: it was no news to it).
  void add(Notice n, const ChainPosition& at, std::string_view tag, const ChainPosition& known) {
    if (!(known < at)) return;
    n.block = at.block;
    n.id = notice_id(n.kind, n.series_key, n.recurrence_id, n.gathering_key, tag);
    const auto behind = current_ - static_cast<std::int64_t>(n.block);
    n.at = behind > 0 ? now_ - std::chrono::seconds{2 * behind} : now_;
    if (!seen_.insert(n.id).second) return;
    out_.push_back(std::move(n));
  }
  std::vector<Notice> take() {
    std::sort(out_.begin(), out_.end(), [](const Notice& a, const Notice& b) { return a.at != b.at ? b.at < a.at : a.id < b.id; });
    return std::move(out_);
  }

 private:
  std::int64_t current_;
  UtcTime now_;
  std::set<std::string> seen_;
  std::vector<Notice> out_;
};

void follower_notices(const Snapshot& before, const Snapshot& after, const Follow& follow, const ChainPosition& known,
                      UtcTime now, std::uint64_t current_block, Collector& out) {
  auto b = before.series.find(follow.series_key);
  if (b == before.series.end()) return;  // nothing to compare with
  const SeriesState& sb = b->second;
  auto a = after.series.find(follow.series_key);
  if (a == after.series.end()) {  // gone: deleted, expired, or no longer its organizer's
    Notice n = make_notice(NoticeKind::SeriesEnded, follow.series_key);
    n.title = sb.series->tmpl.title;
    // Not carried by any version: it is known now (after every position in the current block).
    const auto last = std::numeric_limits<std::uint64_t>::max();
    out.add(std::move(n), ChainPosition{current_block, last, last}, "gone", known);
    return;
  }
  const SeriesState& sa = a->second;
  const ChainPosition series_at = sa.series.position();
  const std::string version = std::to_string(series_at.block);

  // The template as it applies to the occurrences still to come: the first upcoming occurrence
  // whose template differs says from when, and what changed (a split that only trims the dated
  // versions an old series no longer needs changes nothing anyone attends).
  for (const auto& o : list_occurrences(*sa.series, Written{}, now, std::nullopt, kTemplateLookahead)) {
    const Template x = sb.series->template_at(o.recurrence_id), y = sa.series->template_at(o.recurrence_id);
    if (x.title == y.title && x.description == y.description && x.duration_minutes == y.duration_minutes) continue;
    Notice n = make_notice(NoticeKind::TemplateChanged, follow.series_key);
    n.title = y.title;
    n.effective_from = o.recurrence_id;
    if (x.title != y.title) n.changes["title"] = y.title;
    if (x.description != y.description) n.changes["description"] = y.description;
    if (x.duration_minutes != y.duration_minutes) n.changes["duration"] = y.duration_minutes;
    out.add(std::move(n), series_at, "template@" + version, known);
    break;
  }

  if (sb.series->recurrence_text != sa.series->recurrence_text) {
    // A split hands later gatherings to the new series: a gathering that was this series' and now
    // names another series, signed by this series' organizer.
    std::optional<std::string> new_key;
    auto check = [&](const Verified<entities::Gathering>& g) {
      auto now_read = after.gatherings.find(g->key);
      if (new_key || now_read == after.gatherings.end()) return;
      const auto& ng = now_read->second.g;
      if (ng->series_key && *ng->series_key != follow.series_key && ng.signer() == sa.series.signer()) new_key = *ng->series_key;
    };
    for (const auto& [rid, g] : sb.written.materialized) check(g);
    for (const auto& g : sb.written.duplicates) check(g);
    Notice n = make_notice(new_key ? NoticeKind::SeriesSplit : NoticeKind::RuleChanged, follow.series_key);
    n.title = sa.series->tmpl.title;
    n.new_series_key = new_key;
    if (!new_key && next_occurrence(sb, now) && !next_occurrence(sa, now)) n.kind = NoticeKind::SeriesEnded;
    out.add(std::move(n), series_at, new_key ? "split:" + *new_key : "rule@" + version, known);
  }

  for (const auto& [rid, g] : sa.written.materialized) {
    if (before.gatherings.count(g->key) || g->cancelled) continue;
    if (g->date + std::chrono::minutes{g->duration_minutes} <= now) continue;
    Notice n = make_notice(NoticeKind::OccurrenceScheduled, follow.series_key);
    n.recurrence_id = g->recurrence_id;
    n.gathering_key = g->key;
    n.to = g->date;
    n.title = g->view.value("title", "");
    out.add(std::move(n), after.gatherings.at(g->key).created, g->key, known);
  }
}

void attendee_notices(const Snapshot& before, const Snapshot& after, const entities::SessionInfo& rsvp, const ChainPosition& known,
                      Collector& out) {
  // An RSVP names its gathering, or (made before the date had one) its series and RECURRENCE-ID.
  std::optional<std::string> key_before, key_after;
  std::optional<MeetingView> vb, va;
  if (rsvp.gathering_key) {
    key_before = key_after = rsvp.gathering_key;
    vb = view_of(before, *rsvp.gathering_key);
    va = view_of(after, *rsvp.gathering_key);
  } else if (rsvp.series_key && rsvp.recurrence_id) {
    vb = occurrence_view(before, *rsvp.series_key, *rsvp.recurrence_id, key_before);
    va = occurrence_view(after, *rsvp.series_key, *rsvp.recurrence_id, key_after);
  }
  if (!va) return;
  const std::optional<std::string>& gathering_key = key_after;
  // The earlier read predates the gathering (the attendee RSVP'd after that point): what the attendee
  // knew is what their RSVP copied when they wrote it — its time, and that it was on. Its join link is
  // not known, so no join link notice.
  const bool from_rsvp = !vb;
  if (from_rsvp) {
    vb = MeetingView{};
    vb->starts = rsvp.date;
  }
  auto notice = [&](NoticeKind kind) {
    Notice n = make_notice(kind, va->series_key);
    n.recurrence_id = va->rid;
    n.gathering_key = gathering_key;
    n.title = va->title;
    return n;
  };
  if (!vb->cancelled && va->cancelled) {
    Notice n = notice(NoticeKind::OccurrenceCancelled);
    n.from = vb->starts;
    out.add(std::move(n), va->cause_at, va->cause, known);
  } else if (vb->cancelled && !va->cancelled) {
    Notice n = notice(NoticeKind::OccurrenceReinstated);
    if (vb->starts != va->starts) n.from = vb->starts;
    n.to = va->starts;
    out.add(std::move(n), va->cause_at, va->cause, known);
  } else if (!va->cancelled) {
    if (vb->starts != va->starts) {
      Notice n = notice(NoticeKind::OccurrenceMoved);
      n.from = vb->starts;
      n.to = va->starts;
      out.add(std::move(n), va->cause_at, va->cause + ">" + std::to_string(to_epoch_ms(va->starts)), known);
    }
    // A date that had no gathering before gets its first join link: no news.
    if (!from_rsvp && key_before && vb->join_url != va->join_url && va->join_url) {
      Notice n = notice(NoticeKind::JoinLinkChanged);
      n.from_url = vb->join_url;
      n.to_url = va->join_url;
      out.add(std::move(n), va->gathering_at, *va->join_url, known);
    }
  }
}

}  // namespace

Notices compute_notices(const Input& in, UtcTime now) {
  const entities::Wallet wallet = entities::Wallet::parse(in.str("wallet"), in.field("wallet"));
  const auto current = in.opt_number("currentBlock");
  if (!current) throw Error(code::kMissingField, in.field("currentBlock"), in.field("currentBlock") + " is required (the block observed at now)");
  if (*current < 0) throw Error(code::kInvalidInput, in.field("currentBlock"), in.field("currentBlock") + " must not be negative");
  const auto current_block = static_cast<std::uint64_t>(*current);

  Notices result;
  // The wallet's follows (newest per series, signed by the wallet) and RSVPs (newest per gathering).
  std::map<std::string, std::pair<Verified<Follow>, ChainPosition>, std::less<>> follows;
  entities::for_each_entity(in.get("follows"), in.field("follows"), result.ignored, [&](const EntityRecord& r, const std::string& f) {
    auto follow = verify_follow(r, f);
    if (follow->follower != wallet) return;
    auto it = follows.find(follow->series_key);
    if (it == follows.end()) follows.emplace(follow->series_key, std::pair{follow, created_position(r)});
    else if (follow.newer_than(it->second.first)) it->second = {follow, created_position(r)};
  });
  std::map<std::string, std::pair<Verified<entities::SessionInfo>, ChainPosition>, std::less<>> rsvps;
  entities::for_each_entity(in.get("rsvps"), in.field("rsvps"), result.ignored, [&](const EntityRecord& r, const std::string& f) {
    auto s = entities::verify_session(r, f);
    if (!s->is_rsvp() || s->attendee() != wallet || s.signer() != wallet) return;
    // Per gathering; an RSVP to a date without a gathering yet, per series and RECURRENCE-ID.
    std::string held;
    if (s->gathering_key) held = *s->gathering_key;
    else if (s->series_key && s->recurrence_id) held = *s->series_key + " " + std::to_string(to_epoch_ms(*s->recurrence_id));
    else return;
    auto it = rsvps.find(held);
    if (it == rsvps.end()) rsvps.emplace(held, std::pair{s, created_position(r)});
    else if (s.newer_than(it->second.first)) it->second = {s, created_position(r)};
  });

  const Snapshot before = read_snapshot(in, "before", result.ignored);
  const Snapshot after = read_snapshot(in, "after", result.ignored);

  Collector out(static_cast<std::int64_t>(current_block), now);
  for (const auto& [key, entry] : follows) {
    const auto& follow = entry.first;
    if (!follow->notifications) continue;  // muted
    follower_notices(before, after, *follow, entry.second, now, current_block, out);
  }
  for (const auto& [key, entry] : rsvps) {
    if (entry.first->stored_status == entities::StoredStatus::Cancelled) continue;  // the attendee withdrew
    attendee_notices(before, after, *entry.first, entry.second, out);
  }
  result.notices = out.take();
  return result;
}

}  // namespace convene::series
