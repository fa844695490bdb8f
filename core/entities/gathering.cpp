#include "core/entities/gathering.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/entities/community.h"
#include "core/entities/expiry.h"
#include "core/entities/raw_entity.h"
#include "core/entities/reader.h"
#include "core/entities/session.h"
#include "core/entities/time_attributes.h"
#include "core/entities/slug.h"
#include "core/entities/wallet.h"
#include "core/error.h"
#include "core/jitsi/jwt.h"
#include "core/jitsi/room.h"
#include "core/series/head.h"

namespace convene::entities {

EntityDraft build_virtual_gathering(const Input& in, const BuildContext& ctx) {
  std::string organizer = Wallet::parse(in.str("organizerWallet"), in.field("organizerWallet")).str();
  const Community c = read_community(in);
  const std::string& community = c.slug;
  std::string title = in.str("title");
  UtcTime date = in.instant("sessionDate");
  std::int64_t duration = read_duration(in);
  if (date + std::chrono::minutes{duration} <= ctx.now)
    throw Error(code::kSessionEnded, in.field("sessionDate"), in.field("sessionDate") + " + duration is already in the past");

  std::string provider = in.opt_str("videoProvider").value_or("jitsi");
  if (provider != "jitsi" && provider != "none" && provider != "custom")
    throw Error(code::kInvalidInput, in.field("videoProvider"), in.field("videoProvider") + " must be 'jitsi', 'none' or 'custom'");
  // A cancelled gathering keeps its key (and so its RSVPs) but withdraws its room and join link.
  std::string status = in.opt_str("status").value_or("scheduled");
  if (status != "scheduled" && status != "cancelled")
    throw Error(code::kInvalidInput, in.field("status"), in.field("status") + " must be 'scheduled' or 'cancelled'");
  const bool cancelled = status == "cancelled";
  std::string room, url;
  if (cancelled) {
  } else if (provider == "jitsi") {
    room = in.opt_str("videoRoomName").value_or("");
    if (room.empty()) {
      if (!ctx.random) throw Error(code::kInternal, "", "no randomness source for the gathering room id");
      room = jitsi::gathering_room_name(*ctx.random);
    }
    jitsi::validate_room_name(room, in.field("videoRoomName"));
    auto base = in.opt_str("jitsiBaseUrl");
    url = base && !base->empty() ? jitsi::join_url(room, *base) : jitsi::join_url(room);
  } else if (provider == "custom") {
    url = in.str("videoJoinUrl");
  }
  auto jwt = cancelled ? std::nullopt : in.opt_str("videoJwtToken");
  if (jwt && !jwt->empty()) jitsi::check_jwt(*jwt, ctx.now, in.field("videoJwtToken"));

  EntityDraft d;
  d.expires_in = kGatheringTtlSeconds;
  std::string date_iso = format_iso8601(date);
  std::string created = format_iso8601(ctx.now);
  d.attr("type", "virtual_gathering");
  d.attr("organizerWallet", organizer);
  d.attr("community", community);
  d.attr("title", title);
  d.attr("sessionDate", date_iso);
  d.attr_number("duration", static_cast<std::uint64_t>(duration));
  d.attr("spaceId", ctx.space_id);
  d.attr("createdAt", created);
  d.attr("videoProvider", provider);
  add_time_attributes(d, date, date + std::chrono::minutes{duration});
  if (!room.empty()) d.attr("videoRoomName", room);
  if (!url.empty()) d.attr("videoJoinUrl", url);
  if (cancelled) d.attr("status", status);
  // An occurrence of an event series, materialized (docs/domain.md#event-series).
  auto series_key = in.opt_str("seriesKey");
  if (series_key && !series_key->empty()) {
    d.attr("seriesKey", *series_key);
    d.attr("recurrenceId", format_iso8601(in.instant("recurrenceId")));
  }

  d.payload = {{"organizerWallet", organizer}, {"community", community},   {"title", title},
               {"description", in.opt_str("description").value_or("")},  {"sessionDate", date_iso},
               {"duration", duration},         {"videoProvider", provider}, {"createdAt", created}};
  d.payload["communityName"] = c.name;
  if (!room.empty()) d.payload["videoRoomName"] = room;
  if (!url.empty()) d.payload["videoJoinUrl"] = url;
  if (jwt && !jwt->empty()) d.payload["videoJwtToken"] = *jwt;
  if (cancelled) d.payload["status"] = status;
  if (series_key && !series_key->empty()) {
    d.payload["seriesKey"] = *series_key;
    d.payload["recurrenceId"] = *d.find("recurrenceId");
  }
  return d;
}

EntityDraft build_gathering_txhash(const Input& in, const BuildContext& ctx) {
  std::string key = in.str("gatheringKey");
  std::string tx = normalize_hash32(in.str("txHash"), in.field("txHash"));
  std::string organizer = normalize_wallet(in.str("organizerWallet"), in.field("organizerWallet"));
  EntityDraft d;
  d.expires_in = kGatheringTtlSeconds;
  d.attr("type", "virtual_gathering_txhash");
  d.attr("gatheringKey", key);
  d.attr("txHash", tx);
  d.attr("organizerWallet", organizer);
  d.attr("spaceId", ctx.space_id);
  d.attr("createdAt", format_iso8601(ctx.now));
  d.payload = {{"txHash", tx}};
  return d;
}

Json parse_gathering(Json flat, std::string_view field) {
  Input in(flat, std::string(field));
  flat["organizerWallet"] = normalize_wallet(in.str("organizerWallet"), in.field("organizerWallet"));
  flat["sessionDate"] = format_iso8601(in.instant("sessionDate"));
  flat["duration"] = read_duration(in);
  flat["title"] = in.opt_str("title").value_or("");
  flat["community"] = in.opt_str("community").value_or("");
  // The name as typed; gatherings written before it was kept have only the slug ("").
  flat["communityName"] = in.opt_str("communityName").value_or("");
  flat["videoProvider"] = in.opt_str("videoProvider").value_or("jitsi");
  flat["status"] = in.opt_str("status").value_or("scheduled");
  return flat;
}

Verified<Gathering> verify_gathering(const EntityRecord& record, std::string_view field) {
  Json merged = record.merged(field);
  Json view = parse_gathering(merged, field);
  Input in(view, std::string(field));
  Gathering g{record.key,
              Wallet::parse(in.str("organizerWallet"), in.field("organizerWallet")),
              in.opt_str("community").value_or(""),
              in.instant("sessionDate"),
              read_duration(in),
              std::nullopt,
              std::nullopt,
              false,
              {}};
  if (auto sk = in.opt_str("seriesKey"); sk && !sk->empty()) {
    g.series_key = *sk;
    g.recurrence_id = in.instant("recurrenceId");
  }
  g.cancelled = in.opt_str("status") == std::optional<std::string>("cancelled");
  check_time_attributes(merged, g.date, g.date + std::chrono::minutes{g.duration_minutes}, field);
  g.view = std::move(view);
  const Wallet organizer = g.organizer;
  return SignerCheck::require(std::move(g), record.provenance, {&organizer}, field);
}

namespace {

/// Verified series organizers by series key, from `series` (event_series entities); the signer rule
/// is series::verify_series_head's (the organizer, without parsing the rule).
std::map<std::string, Wallet, std::less<>> series_organizers(const Json* series, Ignored& ignored) {
  std::map<std::string, Wallet, std::less<>> out;
  for_each_entity(series, "series", ignored, [&](const EntityRecord& r, const std::string& f) {
    auto s = series::verify_series_head(r, f);
    if (!r.key.empty()) out.insert_or_assign(r.key, s->organizer);
  });
  return out;
}

}  // namespace

std::string_view to_string(TimeState s) {
  switch (s) {
    case TimeState::Upcoming: return "upcoming";
    case TimeState::Happening: return "happening";
    case TimeState::Past: return "past";
  }
  return "upcoming";
}

TimeState time_state(UtcTime starts, UtcTime ends, UtcTime now) {
  return now < starts ? TimeState::Upcoming : now < ends ? TimeState::Happening : TimeState::Past;
}

namespace {

struct Listed {
  TimeState state;
  std::int64_t at;
  std::string key;
  bool cancelled;
  Json view;
};

/// The gatherings of `entities` that are evidence, of `community` when given, with their series claims
/// checked against `series` (see upcoming_gatherings), each with its time state at `now`.
std::vector<Listed> verified_gatherings(const Json* entities, const Json* series, std::string_view community, UtcTime now,
                                        Ignored& ignored) {
  if (!entities || entities->is_null()) throw Error(code::kMissingField, "entities", "entities is required (an array)");
  Ignored series_ignored;  // series that are no evidence are not gatherings: not reported here
  auto organizers = series_organizers(series, series_ignored);
  std::vector<Listed> items;
  for_each_entity(entities, "entities", ignored, [&](const EntityRecord& r, const std::string& f) {
    if (r.type().value_or("virtual_gathering") != "virtual_gathering") return;
    auto g = verify_gathering(r, f);
    if (!community.empty() && g->community != community) return;
    Json view = g->view;
    if (g->series_key) {
      auto s = organizers.find(*g->series_key);
      if (s != organizers.end() && s->second == g.signer()) {
        // verified member of the series: keep the claim
      } else if (series && !series->is_null() && s != organizers.end()) {
        throw Error(code::kUnverifiedEntity, f + ".seriesKey", f + ".seriesKey names a series its signer does not organize");
      } else {
        view.erase("seriesKey");
        view.erase("recurrenceId");
      }
    }
    UtcTime ends = g->date + std::chrono::minutes{g->duration_minutes};
    items.push_back({time_state(g->date, ends, now), to_epoch_ms(g->date), g->key, g->cancelled, std::move(view)});
  });
  return items;
}

}  // namespace

Json upcoming_gatherings(const Json* entities, const Json* series, std::string_view community, UtcTime now) {
  Ignored ignored;
  auto items = verified_gatherings(entities, series, community, now, ignored);
  // Upcoming means still to come and still on: a cancelled gathering (kept so its RSVPs read
  // `cancelled`) is not listed here; `list_gatherings` shows it with its status.
  std::erase_if(items, [](const Listed& it) { return it.state != TimeState::Upcoming || it.cancelled; });
  std::stable_sort(items.begin(), items.end(),
                   [](const Listed& a, const Listed& b) { return a.at != b.at ? a.at < b.at : a.key < b.key; });
  Json out = Json::array();
  for (auto& it : items) out.push_back(std::move(it.view));
  return Json{{"gatherings", std::move(out)}, {"skipped", ignored.total()}, {"ignored", ignored.to_json()}};
}

Json list_gatherings(const Json* entities, const Json* series, std::string_view community, std::optional<TimeState> when,
                     std::size_t limit, UtcTime now) {
  Ignored ignored;
  auto items = verified_gatherings(entities, series, community, now, ignored);
  std::size_t counts[3] = {0, 0, 0};
  for (const auto& it : items) ++counts[static_cast<std::size_t>(it.state)];
  if (when) std::erase_if(items, [&](const Listed& it) { return it.state != *when; });
  // Upcoming and happening: soonest first. Past: most recent first.
  std::stable_sort(items.begin(), items.end(), [](const Listed& a, const Listed& b) {
    if (a.state != b.state) return a.state == TimeState::Happening || (a.state == TimeState::Upcoming && b.state == TimeState::Past);
    if (a.at != b.at) return a.state == TimeState::Past ? a.at > b.at : a.at < b.at;
    return a.key < b.key;
  });
  const bool more = items.size() > limit;
  if (more) items.resize(limit);
  Json out = Json::array();
  for (auto& it : items) {
    it.view["timeState"] = std::string(to_string(it.state));
    out.push_back(std::move(it.view));
  }
  return Json{{"gatherings", std::move(out)},
              {"more", more},
              {"counts", {{"upcoming", counts[0]}, {"happening", counts[1]}, {"past", counts[2]}}},
              {"ignored", ignored.to_json()}};
}

bool continues_series(std::string_view series_key, std::string_view ancestor, const SplitLinks* links) {
  std::string_view k = series_key;
  for (int hops = 0; hops <= 64; ++hops) {  // a chain of splits; a loop (forged links) ends here
    if (k == ancestor) return true;
    if (!links) return false;
    auto it = links->find(k);
    if (it == links->end()) return false;
    k = it->second;
  }
  return false;
}

Json rsvp_summary(const Json* rsvps, const std::optional<Wallet>& viewer, const Json* gatherings, const SplitLinks* links) {
  Ignored ignored, ignored_gatherings;
  // The occurrences' gatherings, by RECURRENCE-ID (the newest on the chain per series and RECURRENCE-ID).
  struct Occ {
    std::string series_key, key;
    Wallet organizer;
    ChainPosition position;
  };
  std::map<std::int64_t, std::vector<Occ>> by_rid;
  for_each_entity(gatherings, "gatherings", ignored_gatherings, [&](const EntityRecord& r, const std::string& f) {
    auto g = verify_gathering(r, f);
    if (!g->series_key || !g->recurrence_id) return;
    by_rid[to_epoch_ms(*g->recurrence_id)].push_back({*g->series_key, g->key, g->organizer, g.position()});
  });
  auto resolve = [&](const SessionInfo& s) -> std::optional<std::string> {
    if (s.gathering_key) return s.gathering_key;
    if (!s.series_key || !s.recurrence_id) return std::nullopt;
    auto it = by_rid.find(to_epoch_ms(*s.recurrence_id));
    if (it == by_rid.end()) return std::nullopt;
    const Occ* best = nullptr;
    for (const auto& o : it->second)
      if (o.organizer == s.mentor && continues_series(o.series_key, *s.series_key, links) && (!best || best->position < o.position)) best = &o;
    return best ? std::optional<std::string>(best->key) : std::nullopt;
  };
  std::map<std::string, std::set<Wallet>, std::less<>> attendees;
  std::map<std::string, std::pair<ChainPosition, Json>, std::less<>> mine, mine_planned;
  for_each_entity(rsvps, "rsvps", ignored, [&](const EntityRecord& r, const std::string& f) {
    auto s = verify_session(r, f);
    if (!s->gathering_key && !s->series_key) return;  // a 1:1 session, not an RSVP
    auto key = resolve(*s);
    const bool is_viewer = viewer && s->attendee() == *viewer;
    if (!key) {  // an occurrence not materialized yet: not counted until it is
      if (!is_viewer) return;
      std::string occ = *s->series_key + " " + format_iso8601(*s->recurrence_id);
      auto it = mine_planned.find(occ);
      if (it == mine_planned.end() || it->second.first < s.position())
        mine_planned.insert_or_assign(occ, std::make_pair(s.position(), parse_session(r.merged(f), f)));
      return;
    }
    if (s->stored_status != StoredStatus::Cancelled) attendees[*key].insert(s->attendee());
    if (is_viewer) {
      auto it = mine.find(*key);
      if (it == mine.end() || it->second.first < s.position()) mine.insert_or_assign(*key, std::make_pair(s.position(), parse_session(r.merged(f), f)));
    }
  });
  Json viewer_planned = Json::object();
  for (auto& [occ, v] : mine_planned) viewer_planned[occ] = std::move(v.second);
  Json counts = Json::object(), viewer_rsvps = Json::object(), wallets = Json::object();
  for (const auto& [key, set] : attendees) {
    counts[key] = set.size();
    Json list = Json::array();
    for (const Wallet& w : set) list.push_back(w.str());
    wallets[key] = std::move(list);
  }
  for (auto& [key, v] : mine) viewer_rsvps[key] = std::move(v.second);
  return Json{{"counts", std::move(counts)},
              {"attendees", std::move(wallets)},
              {"viewerRsvps", std::move(viewer_rsvps)},
              {"viewerOccurrenceRsvps", std::move(viewer_planned)},
              {"ignored", ignored.to_json()},
              {"ignoredGatherings", ignored_gatherings.to_json()}};
}

std::size_t rsvp_count(const Json* rsvps, std::string_view gathering_key) {
  Json summary = rsvp_summary(rsvps, std::nullopt);
  auto it = summary["counts"].find(gathering_key);
  return it == summary["counts"].end() ? 0 : it->get<std::size_t>();
}

}  // namespace convene::entities
