// convene/core/entities/gathering.h — `virtual_gathering` and its readers' helpers (docs/domain.md#virtual-gatherings).
//
// Anyone can suggest a gathering and anyone can RSVP. The Jitsi room exists from
// creation on: its name is `gathering-{128-bit random id}` made here, since the
// entity key is only known after the transaction (docs/domain.md#jitsi-rooms).
#pragma once

#include <cstddef>
#include <map>
#include <optional>

#include "core/entities/draft.h"
#include "core/entities/record.h"
#include "core/entities/verified.h"
#include "core/entities/wallet.h"
#include "core/json_input.h"

namespace convene::entities {

/// `virtual_gathering`. Input: organizerWallet, community (slugged with skill_slug),
/// title, description?, sessionDate, duration? (minutes, default 60),
/// videoProvider? ('jitsi' default | 'none' | 'custom'), videoRoomName? (made here when
/// absent and the provider is jitsi), videoJoinUrl? (for 'custom'), jitsiBaseUrl?,
/// videoJwtToken? (checked: shape, alg, exp), seriesKey? + recurrenceId? (an event series'
/// occurrence, materialized: both become attributes), status? ('scheduled' default | 'cancelled':
/// a cancelled gathering keeps its key and RSVPs but has no room, join link or token).
/// Attributes: type, organizerWallet, community, title, sessionDate, duration (number), spaceId,
/// createdAt, videoProvider, videoRoomName?, videoJoinUrl?, status? (only 'cancelled' is written).
/// Payload: the same plus description, videoJwtToken?. expiresIn: 1 year (31,536,000 s). A gathering whose window has ended is refused
/// (SESSION_ENDED).
EntityDraft build_virtual_gathering(const Input& in, const BuildContext& ctx);

/// `virtual_gathering_txhash`: input {gatheringKey, txHash, organizerWallet}; 1 year.
EntityDraft build_gathering_txhash(const Input& in, const BuildContext& ctx);

/// Typed view: organizerWallet lowercase, sessionDate normalized, duration a number, status
/// ('scheduled' when absent, or 'cancelled').
Json parse_gathering(Json flat, std::string_view field);

/// A virtual_gathering as readers use it.
struct Gathering {
  std::string key;
  Wallet organizer;
  std::string community;
  UtcTime date;                              ///< sessionDate
  std::int64_t duration_minutes = 60;
  std::optional<std::string> series_key;     ///< an event series' occurrence (a claim until checked)
  std::optional<UtcTime> recurrence_id;
  bool cancelled = false;                    ///< status 'cancelled': kept for its RSVPs, no join link
  Json view;                                 ///< the parsed object (parse_gathering + metadata)
};

/// The gathering a decoded entity describes, if it is evidence: signed by its `organizerWallet`
/// (docs/trust.md). That it belongs to a series is a further claim, checked against the series
/// (series/occurrences.h). Throws UNVERIFIED_ENTITY / CONFLICTING_FIELDS / MALFORMED_ENTITY or a
/// field error naming `field`.
Verified<Gathering> verify_gathering(const EntityRecord& record, std::string_view field);

/// Upcoming gatherings (not cancelled), as docs/domain.md#virtual-gatherings lists them, from `entities`
/// (virtual_gathering entities as the SDK returns them, or parsed): those that are evidence, of
/// `community` when it is not empty, whose sessionDate >= now, soonest first (ties by key).
/// A gathering claiming a `seriesKey` keeps that claim only when `series` (event_series entities)
/// holds that series, verified, and its organizer signed the gathering; a claim the series given
/// contradicts drops the gathering as unverified; without `series` the claim is removed from the
/// output (the gathering stays, as its signer's own). Entities that are no evidence are counted.
/// Returns {gatherings: [...], skipped: N (= ignored.total), ignored: {...}}.
Json upcoming_gatherings(const Json* entities, const Json* series, std::string_view community, UtcTime now);

/// Where a meeting stands at an instant: before its start, in [start, end), or from its end on.
enum class TimeState { Upcoming = 0, Happening = 1, Past = 2 };
/// "upcoming" | "happening" | "past".
std::string_view to_string(TimeState s);
/// The state of a meeting running [starts, ends) at `now` (UTC).
TimeState time_state(UtcTime starts, UtcTime ends, UtcTime now);

/// Gatherings by time, for pages that show "happening now" and "past" as well as "upcoming": the same
/// evidence and series-claim rules as upcoming_gatherings; `when` keeps one state (all when absent);
/// happening ones first, then upcoming soonest first, then past most recent first; at most `limit`.
/// Each gathering gains `timeState`. Returns {gatherings, more (bool: the limit cut some), counts:
/// {upcoming, happening, past} (before `when` and `limit`), ignored}.
Json list_gatherings(const Json* entities, const Json* series, std::string_view community, std::optional<TimeState> when,
                     std::size_t limit, UtcTime now);

/// Verified split links between series: new series key -> the key of the series it continues
/// (`splitFrom`), only where both series are evidence with the same organizer (series::split_links).
using SplitLinks = std::map<std::string, std::string, std::less<>>;

/// True when `series_key` is `ancestor` or continues it through `links` (a chain of splits).
bool continues_series(std::string_view series_key, std::string_view ancestor, const SplitLinks* links);

/// RSVPs read for a page of gatherings, in one pass: `rsvps` (session entities) that are evidence
/// (signed by their attendee) and not stored as cancelled, counted as distinct attendee wallets per
/// gatheringKey (docs/domain.md#virtual-gatherings: not raw entity counts). When `viewer` is given,
/// that wallet's own RSVP per gathering is returned too (the newest on the chain).
/// An occurrence RSVP (seriesKey + recurrenceId, no gatheringKey: docs/domain.md#occurrence-rsvps)
/// counts for the occurrence's gathering among `gatherings` (virtual_gathering entities that are
/// evidence, signed by the RSVP's organizer (its mentorWallet), with the same recurrenceId and the
/// RSVP's seriesKey or, through `links`, a series that continues it after a split; the newest on the
/// chain when several); without one it is not counted yet, and the viewer's own is returned under
/// `viewerOccurrenceRsvps["<seriesKey> <recurrenceId>"]`.
/// Returns {counts: {gatheringKey: N}, attendees: {gatheringKey: [wallet]}, viewerRsvps: {gatheringKey:
/// <parsed session>}, viewerOccurrenceRsvps: {...}, ignored, ignoredGatherings}.
Json rsvp_summary(const Json* rsvps, const std::optional<Wallet>& viewer, const Json* gatherings = nullptr,
                  const SplitLinks* links = nullptr);

/// The count for one gathering (rsvp_summary's `counts[gathering_key]`, 0 when absent).
std::size_t rsvp_count(const Json* rsvps, std::string_view gathering_key);

}  // namespace convene::entities
