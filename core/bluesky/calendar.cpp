// convene/core/bluesky/calendar.cpp — see calendar.h and docs/bluesky.md.
#include "core/bluesky/calendar.h"

#include <algorithm>
#include <map>
#include <utility>

#include "core/crypto/sodium.h"
#include "core/error.h"

namespace convene::bluesky {
namespace {

constexpr std::string_view kEventPrefix = "community.lexicon.calendar.event#";
constexpr std::string_view kRsvpPrefix = "community.lexicon.calendar.rsvp#";
constexpr std::string_view kTidAlphabet = "234567abcdefghijklmnopqrstuvwxyz";

std::string join(std::string_view field, std::string_view name) { return std::string(field) + "." + std::string(name); }

// RFC 3986 absolute URI, as the lexicon's `uri` format asks: a scheme, ":", then something, no
// whitespace or control characters.
bool is_absolute_uri(std::string_view s) {
  if (s.size() > 8192) return false;
  const auto colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == s.size()) return false;
  const auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!alpha(s[0])) return false;
  for (std::size_t i = 1; i < colon; ++i) {
    const char c = s[i];
    if (!alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') return false;
  }
  return std::none_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; });
}

void check_uri(std::string_view uri, const std::string& field) {
  if (!is_absolute_uri(uri)) throw Error(code::kInvalidUrl, field, field + " must be an absolute URI");
}

// The lexicon's `datetime`: RFC 3339 with a time and an offset (a bare date is not one).
UtcTime read_datetime(const Json& v, const std::string& field) {
  if (!v.is_string()) throw Error(code::kInvalidType, field, field + " must be a string (RFC 3339 datetime)");
  const auto& s = v.get_ref<const std::string&>();
  if (s.find_first_of("Tt") == std::string::npos)
    throw Error(code::kInvalidDate, field, field + " must be an RFC 3339 datetime with a time and an offset");
  return parse_iso8601(s, field);
}

const std::string& read_string(const Json& obj, std::string_view key, const std::string& field, bool required) {
  static const std::string empty;
  const auto it = obj.find(std::string(key));
  if (it == obj.end() || it->is_null()) {
    if (required) throw Error(code::kMissingField, field, field + " is required");
    return empty;
  }
  if (!it->is_string()) throw Error(code::kInvalidType, field, field + " must be a string");
  return it->get_ref<const std::string&>();
}

NamedUri read_named_uri(const Json& v, const std::string& field) {
  if (!v.is_object()) throw Error(code::kInvalidType, field, field + " must be an object");
  NamedUri u;
  u.uri = read_string(v, "uri", join(field, "uri"), true);
  check_uri(u.uri, join(field, "uri"));
  u.name = read_string(v, "name", join(field, "name"), false);
  return u;
}

Json named_uri_json(const NamedUri& u, bool typed) {
  Json j = Json::object();
  if (typed) j["$type"] = std::string(kEventNsid) + "#uri";
  j["uri"] = u.uri;
  if (!u.name.empty()) j["name"] = u.name;
  return j;
}

std::uint64_t read_u64(const std::array<std::uint8_t, 32>& h, std::size_t at) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) v = (v << 8) | h[at + i];
  return v;
}

std::string encode_tid(std::uint64_t v) {
  std::string s(13, '2');
  for (int i = 12; i >= 0; --i) {
    s[static_cast<std::size_t>(i)] = kTidAlphabet[v & 31];
    v >>= 5;
  }
  return s;
}

// `com.atproto.repo.strongRef`'s at-uri: at://<did or handle>[/<collection>[/<rkey>]].
bool is_at_uri(std::string_view s) {
  if (s.size() > 8192 || s.substr(0, 5) != "at://" || s.size() == 5) return false;
  return std::none_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; });
}

// ATProto's CID syntax check (a multibase string; the PDS checks the bytes).
bool is_cid(std::string_view s) {
  if (s.size() < 8 || s.size() > 256) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '=';
  });
}

}  // namespace

std::string_view status_name(EventStatus s) {
  switch (s) {
    case EventStatus::Planned: return "planned";
    case EventStatus::Scheduled: return "scheduled";
    case EventStatus::Rescheduled: return "rescheduled";
    case EventStatus::Cancelled: return "cancelled";
    case EventStatus::Postponed: return "postponed";
  }
  return "scheduled";
}

std::string_view mode_name(EventMode m) {
  switch (m) {
    case EventMode::Virtual: return "virtual";
    case EventMode::InPerson: return "inperson";
    case EventMode::Hybrid: return "hybrid";
  }
  return "virtual";
}

std::string_view rsvp_name(RsvpStatus s) {
  switch (s) {
    case RsvpStatus::Interested: return "interested";
    case RsvpStatus::Going: return "going";
    case RsvpStatus::NotGoing: return "notgoing";
  }
  return "going";
}

std::string status_token(EventStatus s) { return std::string(kEventPrefix) + std::string(status_name(s)); }
std::string mode_token(EventMode m) { return std::string(kEventPrefix) + std::string(mode_name(m)); }
std::string rsvp_token(RsvpStatus s) { return std::string(kRsvpPrefix) + std::string(rsvp_name(s)); }

Json event_record(const CalendarEvent& e) {
  if (e.name.empty()) throw Error(code::kMissingField, "event.name", "event.name is required");
  if (e.starts_at && e.ends_at && *e.ends_at <= *e.starts_at)
    throw Error(code::kInvalidDate, "event.endsAt", "event.endsAt must be after event.startsAt");
  if (e.ends_at && !e.starts_at)
    throw Error(code::kMissingField, "event.startsAt", "event.startsAt is required with event.endsAt");
  Json r = Json::object();
  r["$type"] = std::string(kEventNsid);
  r["name"] = e.name;
  if (!e.description.empty()) r["description"] = e.description;
  r["createdAt"] = format_iso8601(e.created_at);
  if (e.starts_at) r["startsAt"] = format_iso8601(*e.starts_at);
  if (e.ends_at) r["endsAt"] = format_iso8601(*e.ends_at);
  r["mode"] = mode_token(e.mode);
  r["status"] = status_token(e.status);
  if (!e.locations.empty()) {
    Json a = Json::array();
    for (std::size_t i = 0; i < e.locations.size(); ++i) {
      check_uri(e.locations[i].uri, "event.locations." + std::to_string(i) + ".uri");
      a.push_back(named_uri_json(e.locations[i], true));
    }
    r["locations"] = std::move(a);
  }
  if (!e.uris.empty()) {
    Json a = Json::array();
    for (std::size_t i = 0; i < e.uris.size(); ++i) {
      check_uri(e.uris[i].uri, "event.uris." + std::to_string(i) + ".uri");
      a.push_back(named_uri_json(e.uris[i], false));
    }
    r["uris"] = std::move(a);
  }
  return r;
}

CalendarEvent parse_event_record(const Json& record, std::string_view field) {
  const std::string f(field);
  if (!record.is_object()) throw Error(code::kInvalidType, f, f + " must be an object");
  CalendarEvent e;
  e.name = read_string(record, "name", join(f, "name"), true);
  if (e.name.empty()) throw Error(code::kMissingField, join(f, "name"), join(f, "name") + " is required");
  e.description = read_string(record, "description", join(f, "description"), false);
  const auto created = record.find("createdAt");
  if (created == record.end()) throw Error(code::kMissingField, join(f, "createdAt"), join(f, "createdAt") + " is required");
  e.created_at = read_datetime(*created, join(f, "createdAt"));
  if (const auto it = record.find("startsAt"); it != record.end() && !it->is_null())
    e.starts_at = read_datetime(*it, join(f, "startsAt"));
  if (const auto it = record.find("endsAt"); it != record.end() && !it->is_null())
    e.ends_at = read_datetime(*it, join(f, "endsAt"));
  const std::string& mode = read_string(record, "mode", join(f, "mode"), false);
  e.mode = mode == mode_token(EventMode::Virtual)  ? EventMode::Virtual
           : mode == mode_token(EventMode::Hybrid) ? EventMode::Hybrid
                                                   : EventMode::InPerson;  // the lexicon's default
  const std::string& status = read_string(record, "status", join(f, "status"), false);
  e.status = EventStatus::Scheduled;  // the lexicon's default
  for (EventStatus s : {EventStatus::Planned, EventStatus::Rescheduled, EventStatus::Cancelled, EventStatus::Postponed})
    if (status == status_token(s)) e.status = s;
  if (const auto it = record.find("locations"); it != record.end() && !it->is_null()) {
    const std::string lf = join(f, "locations");
    if (!it->is_array()) throw Error(code::kInvalidType, lf, lf + " must be an array");
    for (std::size_t i = 0; i < it->size(); ++i) {
      const Json& item = (*it)[i];
      const std::string itf = lf + "." + std::to_string(i);
      if (!item.is_object()) throw Error(code::kInvalidType, itf, itf + " must be an object");
      const std::string& type = read_string(item, "$type", join(itf, "$type"), true);
      if (type == std::string(kEventNsid) + "#uri") e.locations.push_back(read_named_uri(item, itf));
    }
  }
  if (const auto it = record.find("uris"); it != record.end() && !it->is_null()) {
    const std::string uf = join(f, "uris");
    if (!it->is_array()) throw Error(code::kInvalidType, uf, uf + " must be an array");
    for (std::size_t i = 0; i < it->size(); ++i) e.uris.push_back(read_named_uri((*it)[i], uf + "." + std::to_string(i)));
  }
  if (const auto it = record.find("rsvpExpected"); it != record.end() && !it->is_null() && !it->is_boolean())
    throw Error(code::kInvalidType, join(f, "rsvpExpected"), join(f, "rsvpExpected") + " must be a boolean");
  return e;
}

std::string deterministic_tid(std::string_view scope, std::string_view id, UtcTime at) {
  std::string material(scope);
  material += '\n';
  material += id;
  const auto h = crypto::sha256(material);
  const std::int64_t ms = std::max<std::int64_t>(0, to_epoch_ms(at));
  const auto seconds = static_cast<std::uint64_t>(ms / 1000);
  const std::uint64_t micros = seconds * 1'000'000 + read_u64(h, 0) % 1'000'000;
  const std::uint64_t clock_id = read_u64(h, 8) & 1023;
  const std::uint64_t v = ((micros & ((std::uint64_t{1} << 53) - 1)) << 10) | clock_id;
  return encode_tid(v);
}

std::string occurrence_rkey(std::string_view series_key, UtcTime recurrence_id) {
  std::string id(series_key);
  id += '|';
  id += format_iso8601(recurrence_id);
  return deterministic_tid("occurrence", id, recurrence_id);
}

std::string gathering_rkey(std::string_view gathering_key, UtcTime starts_at) {
  return deterministic_tid("gathering", gathering_key, starts_at);
}

bool is_tid(std::string_view s) {
  if (s.size() != 13) return false;
  if (kTidAlphabet.substr(0, 16).find(s[0]) == std::string_view::npos) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return kTidAlphabet.find(c) != std::string_view::npos; });
}

std::int64_t tid_micros(std::string_view s) {
  std::uint64_t v = 0;
  for (char c : s) v = (v << 5) | static_cast<std::uint64_t>(kTidAlphabet.find(c));
  return static_cast<std::int64_t>((v >> 10) & ((std::uint64_t{1} << 53) - 1));
}

Rsvp parse_rsvp_record(const Json& record, std::string did, std::string rkey, std::string_view field) {
  const std::string f(field);
  if (!record.is_object()) throw Error(code::kInvalidType, f, f + " must be an object");
  Rsvp r;
  r.did = std::move(did);
  r.rkey = std::move(rkey);
  if (!is_tid(r.rkey)) throw Error(code::kInvalidInput, join(f, "rkey"), join(f, "rkey") + " must be a TID");
  const auto subject = record.find("subject");
  const std::string sf = join(f, "subject");
  if (subject == record.end() || subject->is_null()) throw Error(code::kMissingField, sf, sf + " is required");
  if (!subject->is_object()) throw Error(code::kInvalidType, sf, sf + " must be a strongRef object");
  r.subject_uri = read_string(*subject, "uri", join(sf, "uri"), true);
  if (!is_at_uri(r.subject_uri)) throw Error(code::kInvalidUrl, join(sf, "uri"), join(sf, "uri") + " must be an at-uri");
  r.subject_cid = read_string(*subject, "cid", join(sf, "cid"), true);
  if (!is_cid(r.subject_cid)) throw Error(code::kInvalidInput, join(sf, "cid"), join(sf, "cid") + " must be a CID");
  const std::string& status = read_string(record, "status", join(f, "status"), false);
  if (status.empty() || status == rsvp_token(RsvpStatus::Going)) r.status = RsvpStatus::Going;
  else if (status == rsvp_token(RsvpStatus::Interested)) r.status = RsvpStatus::Interested;
  else if (status == rsvp_token(RsvpStatus::NotGoing)) r.status = RsvpStatus::NotGoing;
  else throw Error(code::kInvalidInput, join(f, "status"), join(f, "status") + " must be #going, #interested or #notgoing");
  return r;
}

RsvpCounts count_rsvps(const std::vector<Rsvp>& rsvps, std::string_view subject_uri, const std::vector<Claim>& claims,
                       const std::vector<entities::Wallet>& arkiv_going) {
  std::map<std::string_view, const Rsvp*> newest;
  for (const Rsvp& r : rsvps) {
    if (r.subject_uri != subject_uri || !is_tid(r.rkey)) continue;
    auto [it, fresh] = newest.emplace(r.did, &r);
    if (fresh) continue;
    const std::int64_t a = tid_micros(r.rkey);
    const std::int64_t b = tid_micros(it->second->rkey);
    if (a > b || (a == b && r.rkey > it->second->rkey)) it->second = &r;
  }
  std::map<std::string_view, const entities::Wallet*> claimed;
  for (const Claim& c : claims) claimed[c.did] = &c.wallet;
  RsvpCounts c;
  for (const auto& [did, r] : newest) {
    RsvpPerson person{.did = std::string(did), .status = r->status, .wallet = std::nullopt, .also_on_arkiv = false};
    if (auto w = claimed.find(did); w != claimed.end()) {
      person.wallet = *w->second;
      person.also_on_arkiv = r->status == RsvpStatus::Going && std::find(arkiv_going.begin(), arkiv_going.end(), *w->second) != arkiv_going.end();
    }
    switch (r->status) {
      case RsvpStatus::Going: ++c.going; break;
      case RsvpStatus::Interested: ++c.interested; break;
      case RsvpStatus::NotGoing: ++c.not_going; break;
    }
    if (person.also_on_arkiv) ++c.also_on_arkiv;
    c.people.push_back(std::move(person));
  }
  return c;
}

}  // namespace convene::bluesky
