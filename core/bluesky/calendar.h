// convene/core/bluesky/calendar.h — Convene's gatherings and series occurrences as ATProto calendar
// records (`community.lexicon.calendar.event`, `community.lexicon.calendar.rsvp`), and back.
//
// The rules are in docs/bluesky.md; the lexicons are kept as data in lexicons/ (source named in
// lexicons/README.md). Everything here is pure: no clock (instants are arguments), no I/O; the
// package and the steward publish with @atproto/api at the edge.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bluesky/account_link.h"
#include "core/json_input.h"
#include "core/time.h"

namespace convene::bluesky {

/// NSIDs of the records Convene writes and reads.
inline constexpr std::string_view kEventNsid = "community.lexicon.calendar.event";
inline constexpr std::string_view kRsvpNsid = "community.lexicon.calendar.rsvp";

/// `community.lexicon.calendar.event#status` (the lexicon's knownValues; the set is open there, closed
/// here: a record with another status is read as `Scheduled`, see parse_event_record).
enum class EventStatus { Planned, Scheduled, Rescheduled, Cancelled, Postponed };
/// `community.lexicon.calendar.event#mode`.
enum class EventMode { Virtual, InPerson, Hybrid };
/// `community.lexicon.calendar.rsvp#...`.
enum class RsvpStatus { Interested, Going, NotGoing };

/// The token's name after `#`, e.g. "cancelled", "inperson", "notgoing".
std::string_view status_name(EventStatus s);
std::string_view mode_name(EventMode m);
std::string_view rsvp_name(RsvpStatus s);

/// The token, e.g. "community.lexicon.calendar.event#cancelled".
std::string status_token(EventStatus s);
std::string mode_token(EventMode m);
std::string rsvp_token(RsvpStatus s);

/// A URI with a display name (`community.lexicon.calendar.event#uri`).
struct NamedUri {
  std::string uri;   ///< an absolute URI (scheme ":" ...), RFC 3986
  std::string name;  ///< empty: no name
};

/// One calendar event as Convene publishes or reads it. Instants are UTC; the record writes them as
/// RFC 3339 with milliseconds and `Z` (the lexicon's `datetime` format).
struct CalendarEvent {
  std::string name;                    ///< required, non-empty
  std::string description;             ///< empty: none
  UtcTime created_at{};                ///< required ("client-declared")
  std::optional<UtcTime> starts_at;
  std::optional<UtcTime> ends_at;      ///< after starts_at when both are given
  EventMode mode = EventMode::Virtual;
  EventStatus status = EventStatus::Scheduled;
  std::vector<NamedUri> locations;     ///< written as `#uri` locations (the Jitsi join link)
  std::vector<NamedUri> uris;          ///< the gathering's or series' page
};

/// The record JSON (`$type` kEventNsid) of `e`, checked against the lexicon first.
/// Throws Error{INVALID_INPUT | MISSING_FIELD | INVALID_URL | INVALID_DATE, "event.<field>"}: an empty
/// name, an end not after the start, a location or uri that is not an absolute URI.
Json event_record(const CalendarEvent& e);

/// A `community.lexicon.calendar.event` record as read from a repo, checked against the lexicon:
/// required `name` and `createdAt`, datetimes in RFC 3339 with an offset, `locations` of type `#uri`
/// kept (other location types are skipped: Convene cannot show them), `uris` items with a `uri`.
/// A status or mode outside the known tokens reads as the lexicon's default (scheduled, in person).
/// Throws Error{code, field + ".<name>"} for a record that is not valid.
CalendarEvent parse_event_record(const Json& record, std::string_view field);

/// An ATProto TID (13 characters of base32-sortable, docs/bluesky.md#record-keys) that depends only on
/// `scope` and `id`: the record key of what Convene publishes, so a retry, a second device and two
/// steward runs write one record, not two. The time part is `at` (to the second) plus a sub-second
/// offset and a clock id taken from SHA-256(scope "\n" id), so keys sort by `at`.
std::string deterministic_tid(std::string_view scope, std::string_view id, UtcTime at);

/// The record key of a series occurrence: deterministic_tid("occurrence", seriesKey "|" RECURRENCE-ID
/// as ISO 8601 UTC, recurrence_id).
std::string occurrence_rkey(std::string_view series_key, UtcTime recurrence_id);

/// The record key of a standalone gathering: deterministic_tid("gathering", gatheringKey, starts_at).
std::string gathering_rkey(std::string_view gathering_key, UtcTime starts_at);

/// Whether `s` is a syntactically valid TID (the PDS refuses record keys of a `tid` collection
/// that are not).
bool is_tid(std::string_view s);

/// The microseconds since the Unix epoch a TID encodes (its upper 53 bits). Requires is_tid(s).
std::int64_t tid_micros(std::string_view s);

/// One RSVP as read from a repo: who (the repo's DID), its record key, the subject and status.
struct Rsvp {
  std::string did;
  std::string rkey;         ///< a TID: its time orders one DID's RSVPs (newest wins)
  std::string subject_uri;  ///< at-uri of the event record
  std::string subject_cid;
  RsvpStatus status = RsvpStatus::Going;
};

/// A `community.lexicon.calendar.rsvp` record (`subject` a `com.atproto.repo.strongRef` with an
/// at-uri and a cid; `status` one of the three tokens, absent = going) of repo `did` under `rkey`.
/// Throws Error{code, field + ".<name>"} for an invalid record.
Rsvp parse_rsvp_record(const Json& record, std::string did, std::string rkey, std::string_view field);

/// One person's RSVP to an event on Bluesky: the DID, the status of their newest RSVP, and the wallet
/// they claimed (account_link.h), if any. A person without a wallet is a Bluesky-only attendee, shown by
/// handle (seed 002's "shadow account").
struct RsvpPerson {
  std::string did;
  RsvpStatus status = RsvpStatus::Going;
  std::optional<entities::Wallet> wallet;  ///< from a verified claim
  bool also_on_arkiv = false;              ///< going here and RSVP'd on Arkiv with the claimed wallet
};

/// RSVP counts of one event: one per DID, its newest RSVP (largest TID time, then rkey) to `subject_uri`
/// decides; RSVPs to other subjects are not counted. `people`: each DID counted, sorted by DID.
/// `also_on_arkiv`: the people going whose claimed wallet is among `arkiv_going` (the wallets with an
/// RSVP on Arkiv to the same meeting), so a page showing both counts each person once.
struct RsvpCounts {
  std::int64_t going = 0;
  std::int64_t interested = 0;
  std::int64_t not_going = 0;
  std::int64_t also_on_arkiv = 0;
  std::vector<RsvpPerson> people;
};
RsvpCounts count_rsvps(const std::vector<Rsvp>& rsvps, std::string_view subject_uri, const std::vector<Claim>& claims = {},
                       const std::vector<entities::Wallet>& arkiv_going = {});

}  // namespace convene::bluesky
