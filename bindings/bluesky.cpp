// Embind: core.bluesky.* (docs/bluesky.md). JSON in, the guard_json envelope out (guard.h).
#include <emscripten/bind.h>

#include <map>
#include <string>

#include "bindings/guard.h"
#include "core/bluesky/account_link.h"
#include "core/bluesky/calendar.h"
#include "core/bluesky/gathering_event.h"
#include "core/bluesky/echo.h"
#include "core/bluesky/infer_series.h"
#include "core/bluesky/publication.h"
#include "core/entities/reader.h"
#include "core/series/occurrences.h"
#include "core/recurrence/parse.h"
#include "core/entities/gathering.h"
#include "core/entities/record.h"
#include "core/error.h"
#include "core/json_input.h"

using namespace convene;
using namespace convene::bluesky;

namespace {

Json uris_json(const std::vector<NamedUri>& uris) {
  Json a = Json::array();
  for (const auto& u : uris) a.push_back(u.name.empty() ? Json{{"uri", u.uri}} : Json{{"uri", u.uri}, {"name", u.name}});
  return a;
}

/// {gathering: entity as read (with metadata), pageUrl?: string, createdAt: instant}
///   -> {collection, rkey, record}
std::string gathering_event_binding(std::string args_json) {
  return bindings::guard_json([&] {
    const Json args = parse_json(args_json, "args");
    const Input in(args, "");
    const Json* entity = in.get("gathering");
    if (!entity) throw Error(code::kMissingField, "gathering", "gathering is required (the virtual_gathering entity as read)");
    const auto g = entities::verify_gathering(entities::decode_entity(*entity, "gathering"), "gathering");
    const std::string page = in.opt_str("pageUrl").value_or("");
    const CalendarEvent e = gathering_event(*g, page, in.instant("createdAt"));
    return Json{{"collection", std::string(kEventNsid)}, {"rkey", gathering_event_rkey(*g)}, {"record", event_record(e)}};
  });
}

/// record -> {name, description, createdAt, startsAt, endsAt, mode, status, locations, uris}
std::string parse_event_binding(std::string record_json) {
  return bindings::guard_json([&] {
    const CalendarEvent e = parse_event_record(parse_json(record_json, "record"), "record");
    Json out = {{"name", e.name}, {"description", e.description}, {"createdAt", format_iso8601(e.created_at)},
                {"startsAt", e.starts_at ? Json(format_iso8601(*e.starts_at)) : Json()},
                {"endsAt", e.ends_at ? Json(format_iso8601(*e.ends_at)) : Json()},
                {"mode", std::string(mode_name(e.mode))}, {"status", std::string(status_name(e.status))},
                {"locations", uris_json(e.locations)}, {"uris", uris_json(e.uris)}};
    return out;
  });
}

/// Verified account links (bluesky_account_link entities as read) and walletLink records ([{did, rkey, record}])
/// -> the claims both halves of which exist (account_link.h); entities that are no evidence are counted in `ignored`.
std::vector<Claim> claims_from(const Input& in, entities::Ignored& ignored) {
  std::vector<entities::Verified<AccountLink>> links;
  entities::for_each_entity(in.get("links"), "links", ignored, [&](const entities::EntityRecord& r, const std::string& f) {
    links.push_back(verify_account_link(r, f));
  });
  std::vector<RepoRecord> records;
  if (const Json* list = in.get("linkRecords")) {
    if (!list->is_array()) throw Error(code::kInvalidType, "linkRecords", "linkRecords must be an array of {did, rkey, record}");
    for (const Json& item : *list) {
      if (!item.is_object()) continue;  // other people's data: passed over
      const auto did = item.find("did");
      const auto rkey = item.find("rkey");
      const auto rec = item.find("record");
      if (did == item.end() || !did->is_string() || rkey == item.end() || !rkey->is_string() || rec == item.end()) continue;
      records.push_back({did->get<std::string>(), rkey->get<std::string>(), *rec});
    }
  }
  return verify_claims(links, records);
}

/// {subject: at-uri, rsvps: [{did, rkey, record}], links?: [bluesky_account_link entities], linkRecords?: [{did, rkey,
///  record}], arkivGoing?: [wallets]}
///   -> {going, interested, notGoing, alsoOnArkiv, people: [{did, status, wallet|null, alsoOnArkiv}], ignored,
///       ignoredLinks}
/// (ignored: entries that are not valid RSVP records; they are other people's data, not errors).
std::string count_rsvps_binding(std::string args_json) {
  return bindings::guard_json([&] {
    const Json args = parse_json(args_json, "args");
    const Input in(args, "");
    const std::string subject = in.str("subject");
    const Json* list = in.get("rsvps");
    if (!list || !list->is_array()) throw Error(code::kInvalidType, "rsvps", "rsvps must be an array of {did, rkey, record}");
    std::vector<Rsvp> rsvps;
    std::int64_t ignored = 0;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const Json& item = (*list)[i];
      const std::string field = "rsvps." + std::to_string(i);
      try {
        if (!item.is_object()) throw Error(code::kInvalidType, field, field + " must be an object");
        const Input it(item, field);
        rsvps.push_back(parse_rsvp_record(item.contains("record") ? item["record"] : Json(), it.str("did"), it.str("rkey"),
                                          field + ".record"));
      } catch (const Error&) {
        ++ignored;
      }
    }
    entities::Ignored ignored_links;
    const std::vector<Claim> claims = claims_from(in, ignored_links);
    std::vector<entities::Wallet> arkiv_going;
    if (const Json* going = in.get("arkivGoing")) {
      if (!going->is_array()) throw Error(code::kInvalidType, "arkivGoing", "arkivGoing must be an array of wallet addresses");
      for (std::size_t i = 0; i < going->size(); ++i) {
        const std::string f = "arkivGoing." + std::to_string(i);
        if (!(*going)[i].is_string()) throw Error(code::kInvalidType, f, f + " must be a wallet address");
        arkiv_going.push_back(entities::Wallet::parse((*going)[i].get<std::string>(), f));
      }
    }
    const RsvpCounts c = count_rsvps(rsvps, subject, claims, arkiv_going);
    Json people = Json::array();
    for (const RsvpPerson& p : c.people)
      people.push_back({{"did", p.did}, {"status", std::string(rsvp_name(p.status))}, {"wallet", p.wallet ? Json(p.wallet->str()) : Json()},
                        {"alsoOnArkiv", p.also_on_arkiv}});
    return Json{{"going", c.going}, {"interested", c.interested}, {"notGoing", c.not_going}, {"alsoOnArkiv", c.also_on_arkiv},
                {"people", std::move(people)}, {"ignored", ignored}, {"ignoredLinks", ignored_links.to_json()}};
  });
}

/// {wallet, createdAt: instant} -> {collection, rkey, record}: the repo half of a DID claim.
std::string wallet_link_record_binding(std::string args_json) {
  return bindings::guard_json([&] {
    const Json args = parse_json(args_json, "args");
    const Input in(args, "");
    const WalletLinkRecord r = wallet_link_record(entities::Wallet::parse(in.str("wallet"), "wallet"), in.instant("createdAt"));
    return Json{{"collection", r.collection}, {"rkey", r.rkey}, {"record", r.record}};
  });
}

/// {links: [bluesky_account_link entities], linkRecords: [{did, rkey, record}]} -> {claims: [{wallet, did}], ignored}
std::string claims_binding(std::string args_json) {
  return bindings::guard_json([&] {
    const Json args = parse_json(args_json, "args");
    const Input in(args, "");
    entities::Ignored ignored;
    Json claims = Json::array();
    for (const Claim& c : claims_from(in, ignored)) claims.push_back({{"wallet", c.wallet.str()}, {"did", c.did}});
    return Json{{"claims", std::move(claims)}, {"ignored", ignored.to_json()}};
  });
}

/// {publications: [bluesky_publication entities as read]} -> {publications: [{key, organizerWallet, did, uri, cid,
///  rkey, createdAt (the record's createdAt, ISO 8601 UTC), seriesKey|null, recurrenceId|null, gatheringKey|null}], ignored}: those that are evidence (signed by their
///  organizerWallet), the newest per occurrence or gathering, sorted by recurrenceId then uri.
std::string publications_binding(std::string args_json) {
  return bindings::guard_json([&] {
    const Json args = parse_json(args_json, "args");
    const Input in(args, "");
    entities::Ignored ignored;
    std::map<std::string, entities::Verified<PublishedRecord>> newest;
    entities::for_each_entity(in.get("publications"), "publications", ignored, [&](const entities::EntityRecord& r, const std::string& f) {
      auto p = verify_publication(r, f);
      const std::string subject = p->series_key.empty() ? "g " + p->gathering_key
                                                        : "s " + p->series_key + " " + format_iso8601(*p->recurrence_id);
      auto it = newest.find(subject);
      if (it == newest.end()) newest.emplace(subject, std::move(p));
      else if (p.newer_than(it->second)) it->second = std::move(p);
    });
    Json out = Json::array();
    for (const auto& [_, v] : newest) {
      const PublishedRecord& p = *v;
      out.push_back({{"key", p.key}, {"organizerWallet", p.organizer.str()}, {"did", p.did}, {"uri", p.uri}, {"cid", p.cid}, {"rkey", p.rkey},
                     {"createdAt", format_iso8601(p.record_created_at)},
                     {"seriesKey", p.series_key.empty() ? Json() : Json(p.series_key)},
                     {"recurrenceId", p.recurrence_id ? Json(format_iso8601(*p.recurrence_id)) : Json()},
                     {"gatheringKey", p.gathering_key.empty() ? Json() : Json(p.gathering_key)}});
    }
    return Json{{"publications", std::move(out)}, {"ignored", ignored.to_json()}};
  });
}

/// {seriesKey, recurrenceId: instant} -> the occurrence's record key (a TID).
std::string occurrence_rkey_binding(std::string args_json) {
  return bindings::guard_json([&] {
    const Json args = parse_json(args_json, "args");
    const Input in(args, "");
    return Json(occurrence_rkey(in.str("seriesKey"), in.instant("recurrenceId")));
  });
}

/// `published` ([{uri, cid}], optional) and `appUrl` (optional) of a call: what Convene knows it published.
std::vector<Publication> publications(const Input& in) {
  std::vector<Publication> out;
  const Json* list = in.get("published");
  if (!list) return out;
  if (!list->is_array()) throw Error(code::kInvalidType, "published", "published must be an array of {uri, cid}");
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string field = "published." + std::to_string(i);
    if (!(*list)[i].is_object()) throw Error(code::kInvalidType, field, field + " must be an object {uri, cid}");
    const Input p((*list)[i], field);
    out.push_back({p.str("uri"), p.str("cid")});
  }
  return out;
}

/// Reads `events` ([{uri, did, cid?, record}]) into ImportedEvents with their provenance; entries that are not
/// valid are counted in `ignored`.
struct Imported {
  std::vector<ImportedEvent> events;
  std::vector<Provenance> provenance;
  std::int64_t ignored = 0;
};
Imported read_imported(const Input& in) {
  const Json* list = in.get("events");
  if (!list || !list->is_array()) throw Error(code::kInvalidType, "events", "events must be an array of {uri, did, cid?, record}");
  const std::vector<Publication> published = publications(in);
  const std::string app_url = in.opt_str("appUrl").value_or("");
  Imported out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const Json& item = (*list)[i];
    const std::string field = "events." + std::to_string(i);
    try {
      if (!item.is_object()) throw Error(code::kInvalidType, field, field + " must be an object");
      const Input it(item, field);
      ImportedEvent e{it.str("uri"), it.str("did"), parse_event_record(item.contains("record") ? item["record"] : Json(), field + ".record")};
      out.provenance.push_back(provenance(e.uri, it.opt_str("cid").value_or(""), e.event, published, app_url));
      out.events.push_back(std::move(e));
    } catch (const Error&) {
      ++out.ignored;
    }
  }
  return out;
}

/// {events: [{uri, did, cid?, record}], published?: [{uri, cid}], appUrl?} -> {events: [{uri, provenance}], ignored}
std::string classify_events_binding(std::string args_json) {
  return bindings::guard_json([&] {
    const Json args = parse_json(args_json, "args");
    const Imported imported = read_imported(Input(args, ""));
    Json events = Json::array();
    for (std::size_t i = 0; i < imported.events.size(); ++i)
      events.push_back({{"uri", imported.events[i].uri}, {"provenance", std::string(provenance_name(imported.provenance[i]))}});
    return Json{{"events", std::move(events)}, {"ignored", imported.ignored}};
  });
}

/// {events: [{uri, did, cid?, record}], published?: [{uri, cid}], appUrl?, tzid?: IANA name ("" / absent = UTC),
///  minEvents?: integer 2..1000 (default 3)}
///   -> {proposals: [{organizer, name, ical, rrule, uris, leftOut, gaps, confidence}], echoes, ignored}
/// Only foreign events are used (echoes: Convene's own publications coming back, counted); ignored: entries whose
/// record is not a valid event record (other people's data, not errors).
std::string propose_series_binding(std::string args_json) {
  return bindings::guard_json([&] {
    const Json args = parse_json(args_json, "args");
    const Input in(args, "");
    std::size_t min_events = 3;
    if (const Json* m = in.get("minEvents")) {
      if (!m->is_number_integer() || m->get<std::int64_t>() < 2 || m->get<std::int64_t>() > 1000)
        throw Error(code::kInvalidInput, "minEvents", "minEvents must be an integer from 2 to 1000");
      min_events = static_cast<std::size_t>(m->get<std::int64_t>());
    }
    Imported imported = read_imported(in);
    std::vector<ImportedEvent> events;
    std::int64_t echoes = 0;
    for (std::size_t i = 0; i < imported.events.size(); ++i) {
      if (imported.provenance[i] == Provenance::Foreign) events.push_back(std::move(imported.events[i]));
      else ++echoes;
    }
    Json proposals = Json::array();
    for (const SeriesProposal& p : propose_series(events, in.opt_str("tzid").value_or(""), min_events)) {
      proposals.push_back({{"organizer", p.organizer}, {"name", p.name}, {"ical", recurrence::format_recurrence_set(p.rule)},
                           {"rrule", recurrence::format_rrule(*p.rule.rrule)}, {"uris", p.uris}, {"leftOut", p.left_out},
                           {"gaps", p.gaps}, {"confidence", p.confidence}});
    }
    return Json{{"proposals", std::move(proposals)}, {"echoes", echoes}, {"ignored", imported.ignored}};
  });
}

/// {series, exceptions?, gatherings? (entities as read, as for core.series.*), publications?: [bluesky_publication
///  entities as read], now: instant, pageUrl?: the series page}
///   -> {actions: [{kind: 'create'|'update', recurrenceId, startsAt, rkey, record, digest, swapRecord: cid|null,
///                  publicationKey: entityKey|null}], orphaned: [{uri, cid, recurrenceId}], ignored}
/// (ignored: series entities left out, by reason, plus publications that are no evidence).
std::string plan_series_binding(std::string args_json) {
  return bindings::guard_json([&] {
    const Json args = parse_json(args_json, "args");
    const Input in(args, "");
    const auto st = series::read_series_state(in);
    entities::Ignored ignored = st.ignored;
    std::vector<entities::Verified<PublishedRecord>> published;
    entities::for_each_entity(in.get("publications"), "publications", ignored, [&](const entities::EntityRecord& r, const std::string& f) {
      published.push_back(verify_publication(r, f));
    });
    const PublicationPlan plan = plan_series_publication(st, published, in.instant("now"), in.opt_str("pageUrl").value_or(""));
    Json actions = Json::array();
    for (const PublishAction& a : plan.actions) {
      actions.push_back({{"kind", a.kind == PublishAction::Kind::Create ? "create" : "update"},
                         {"recurrenceId", format_iso8601(a.occurrence.recurrence_id)},
                         {"startsAt", format_iso8601(a.occurrence.starts_at)},
                         {"rkey", a.rkey}, {"record", a.record}, {"digest", a.digest},
                         {"swapRecord", a.previous ? Json(a.previous->cid) : Json()},
                         {"publicationKey", a.previous ? Json(a.previous->key) : Json()}});
    }
    Json orphaned = Json::array();
    for (const PublishedRecord& p : plan.orphaned)
      orphaned.push_back({{"uri", p.uri}, {"cid", p.cid}, {"recurrenceId", p.recurrence_id ? Json(format_iso8601(*p.recurrence_id)) : Json()}});
    return Json{{"actions", std::move(actions)}, {"orphaned", std::move(orphaned)}, {"ignored", ignored.to_json()}};
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(convene_bluesky) {
  emscripten::function("bluesky_gatheringEvent", &gathering_event_binding);
  emscripten::function("bluesky_parseEventRecord", &parse_event_binding);
  emscripten::function("bluesky_countRsvps", &count_rsvps_binding);
  emscripten::function("bluesky_occurrenceRkey", &occurrence_rkey_binding);
  emscripten::function("bluesky_proposeSeries", &propose_series_binding);
  emscripten::function("bluesky_classifyEvents", &classify_events_binding);
  emscripten::function("bluesky_planSeries", &plan_series_binding);
  emscripten::function("bluesky_walletLinkRecord", &wallet_link_record_binding);
  emscripten::function("bluesky_claims", &claims_binding);
  emscripten::function("bluesky_publications", &publications_binding);
}
