#include "core/entities/gathering.h"

#include <algorithm>
#include <set>

#include "core/entities/expiry.h"
#include "core/entities/raw_entity.h"
#include "core/entities/session.h"
#include "core/entities/slug.h"
#include "core/entities/wallet.h"
#include "core/error.h"
#include "core/jitsi/jwt.h"
#include "core/jitsi/room.h"

namespace convene::entities {

EntityDraft build_virtual_gathering(const Input& in, const BuildContext& ctx) {
  std::string organizer = normalize_wallet(in.str("organizerWallet"), in.field("organizerWallet"));
  std::string community = skill_slug(in.str("community"));
  if (community.empty())
    throw Error(code::kInvalidInput, in.field("community"), in.field("community") + " has no letters or digits to make a slug from");
  std::string title = in.str("title");
  UtcTime date = in.instant("sessionDate");
  std::int64_t duration = read_duration(in);
  if (date + std::chrono::minutes{duration} <= ctx.now)
    throw Error(code::kSessionEnded, in.field("sessionDate"), in.field("sessionDate") + " + duration is already in the past");

  std::string provider = in.opt_str("videoProvider").value_or("jitsi");
  if (provider != "jitsi" && provider != "none" && provider != "custom")
    throw Error(code::kInvalidInput, in.field("videoProvider"), in.field("videoProvider") + " must be 'jitsi', 'none' or 'custom'");
  std::string room, url;
  if (provider == "jitsi") {
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
  auto jwt = in.opt_str("videoJwtToken");
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
  if (!room.empty()) d.attr("videoRoomName", room);
  if (!url.empty()) d.attr("videoJoinUrl", url);
  // An occurrence of an event series, materialized (DESIGN.md §4.5).
  auto series_key = in.opt_str("seriesKey");
  if (series_key && !series_key->empty()) {
    d.attr("seriesKey", *series_key);
    d.attr("recurrenceId", format_iso8601(in.instant("recurrenceId")));
  }

  d.payload = {{"organizerWallet", organizer}, {"community", community},   {"title", title},
               {"description", in.opt_str("description").value_or("")},  {"sessionDate", date_iso},
               {"duration", duration},         {"videoProvider", provider}, {"createdAt", created}};
  if (!room.empty()) d.payload["videoRoomName"] = room;
  if (!url.empty()) d.payload["videoJoinUrl"] = url;
  if (jwt && !jwt->empty()) d.payload["videoJwtToken"] = *jwt;
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
  flat["videoProvider"] = in.opt_str("videoProvider").value_or("jitsi");
  return flat;
}

Json upcoming_gatherings(const Json& entities, std::string_view community, UtcTime now) {
  if (!entities.is_array()) throw Error(code::kInvalidType, "entities", "entities must be an array, got " + json_type_name(entities));
  struct Item { std::int64_t at; std::string key; Json g; };
  std::vector<Item> items;
  std::size_t skipped = 0;
  for (std::size_t i = 0; i < entities.size(); ++i) {
    try {
      Json flat = flatten_entity(entities[i], "entities[" + std::to_string(i) + "]");
      if (flat.value("type", std::string("virtual_gathering")) != "virtual_gathering") continue;
      Json g = parse_gathering(std::move(flat), "entities[" + std::to_string(i) + "]");
      if (!community.empty() && g["community"] != community) continue;
      UtcTime at = parse_iso8601(g["sessionDate"].get<std::string>(), "sessionDate");
      if (at < now) continue;
      items.push_back({to_epoch_ms(at), g.value("key", std::string()), std::move(g)});
    } catch (const Error&) {
      ++skipped;
    }
  }
  std::stable_sort(items.begin(), items.end(),
                   [](const Item& a, const Item& b) { return a.at != b.at ? a.at < b.at : a.key < b.key; });
  Json out = Json::array();
  for (auto& it : items) out.push_back(std::move(it.g));
  return Json{{"gatherings", std::move(out)}, {"skipped", skipped}};
}

std::size_t rsvp_count(const Json& rsvps, std::string_view gathering_key) {
  if (!rsvps.is_array()) throw Error(code::kInvalidType, "rsvps", "rsvps must be an array, got " + json_type_name(rsvps));
  std::set<std::string> attendees;
  for (std::size_t i = 0; i < rsvps.size(); ++i) {
    try {
      SessionInfo s = session_info(rsvps[i], "rsvps[" + std::to_string(i) + "]");
      if (s.gathering_key == gathering_key && s.stored_status != "cancelled") attendees.insert(s.learner);
    } catch (const Error&) {
    }
  }
  return attendees.size();
}

}  // namespace convene::entities
