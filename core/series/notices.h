// convene/core/series/notices.h — what changed for one wallet since a point in time (docs/notices.md).
//
// Followers of a series hear of the series; attendees hear of their occurrence. Arkiv keeps history
// (a query can be run at an earlier block), so the caller reads the same bounded state twice — once
// at the earlier block, once now — and this compares the two: series-level notices for every series
// the wallet follows with notifications on (new occurrences scheduled, template changed, rule changed
// or split, series ended), occurrence-level notices for every gathering the wallet holds an RSVP to
// (moved from → to, cancelled, reinstated, join link changed). Every entity goes through the same
// trust checks as the rest of the core (docs/trust.md): a series by its organizer, its exceptions and
// gatherings by that organizer, a follow by its follower, an RSVP by its attendee. Pure: the clock and
// the chain's current block are parameters.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/entities/reader.h"
#include "core/json_input.h"
#include "core/time.h"

namespace convene::series {

/// What a notice says. Closed set; `to_string` gives the package's names.
enum class NoticeKind {
  OccurrenceScheduled,   ///< follower: a new gathering of the series was materialized
  TemplateChanged,       ///< follower: the series' title, description or duration changed (from a date)
  RuleChanged,           ///< follower: the recurrence set changed (not a split, not an end)
  SeriesSplit,           ///< follower: the rule was split; later occurrences belong to `new_series_key`
  SeriesEnded,           ///< follower: no occurrence is left after now, or the series entity is gone
  OccurrenceMoved,       ///< attendee: their occurrence starts at another time (`from` → `to`)
  OccurrenceCancelled,   ///< attendee: their occurrence was cancelled (`from`: when it was to start)
  OccurrenceReinstated,  ///< attendee: their cancelled occurrence is on again (`to`: when it starts)
  JoinLinkChanged,       ///< attendee: their occurrence's join link changed (`from_url` → `to_url`)
};
/// "occurrenceScheduled" | "templateChanged" | "ruleChanged" | "seriesSplit" | "seriesEnded" |
/// "occurrenceMoved" | "occurrenceCancelled" | "occurrenceReinstated" | "joinLinkChanged".
std::string_view to_string(NoticeKind k);

/// One notice. `id` is stable: the same change computed again from any earlier point gives the same
/// id (it is derived from the kind, the series, the occurrence and the entity version that carries
/// the change, never from the earlier state), so read state can be kept by id.
struct Notice {
  NoticeKind kind = NoticeKind::OccurrenceScheduled;
  std::string id;                            ///< 32 lowercase hex digits
  std::string series_key;                    ///< "" for a gathering that is no series' occurrence
  std::optional<UtcTime> recurrence_id;      ///< RECURRENCE-ID of the occurrence concerned
  std::optional<std::string> gathering_key;  ///< the gathering concerned (attendee notices; scheduled)
  std::optional<UtcTime> from, to;           ///< starts before / after (moved, cancelled, reinstated, scheduled)
  std::optional<std::string> from_url, to_url;  ///< join links before / after (joinLinkChanged)
  std::optional<std::string> new_series_key;    ///< seriesSplit
  std::optional<UtcTime> effective_from;        ///< templateChanged: the date the new template applies from
  Json changes = Json::object();             ///< templateChanged: {title?, description?, duration?}, the new values
  std::string title;                         ///< the series' or occurrence's title as read now
  UtcTime at;                                ///< when the change was written: its block's time (2 s blocks)
  std::uint64_t block = 0;                   ///< the block of the entity version that carries the change

  /// {id, kind, seriesKey?, recurrenceId?, gatheringKey?, from?, to?, fromUrl?, toUrl?, newSeriesKey?,
  ///  effectiveFrom?, changes? (templateChanged), title, at, block}; instants ISO 8601 UTC.
  Json to_json() const;
};

/// The notices of `wallet` and what was left out.
struct Notices {
  std::vector<Notice> notices;  ///< newest first (`at` descending, then `id`)
  entities::Ignored ignored;    ///< entities of either read that are no evidence
};

/// Input (JSON, entities raw as the SDK returns them with metadata, or parsed):
///   wallet        the wallet whose notices these are (INVALID_WALLET / MISSING_FIELD `wallet`);
///   follows?      its event_series_follow entities as read now (only those signed by `wallet` count;
///                 per series the newest; `notifications: false` mutes it);
///   rsvps?        its RSVP sessions as read now (signed by `wallet` as attendee, not stored cancelled;
///                 per gathering the newest). An RSVP made to a series date before it had a gathering
///                 names the series and RECURRENCE-ID only (docs/domain.md#occurrence-rsvps): its date
///                 is followed in the series as read (or in a series of the same organizer continuing
///                 it through `splitFrom`), through the gathering made for it once there is one; its
///                 materialization is no news, its move, cancellation and reinstatement are;
///   before, after {series?, exceptions?, gatherings?}: the state read at the earlier block and now —
///                 the followed series with their exceptions and gatherings, the RSVPs' gatherings
///                 and the series they name (for date RSVPs also the series continuing them, and
///                 their gatherings of those dates), and (after) the gatherings read by the keys seen before,
///                 so a split's handoff is seen (MISSING_FIELD / INVALID_TYPE naming `before`...);
///   currentBlock  the chain's block observed at `now` (turns a block into `at`; MISSING_FIELD).
/// A change carried by an entity version no later on the chain (block, then transaction and operation
/// index: docs/trust.md#versions) than the create of the follow or the RSVP is not news to it and
/// gives no notice. An RSVP'd gathering missing from `before` (the RSVP came after that point) is
/// compared from what the RSVP copied when it was written: its time, and that it was on. Lists that are not arrays throw INVALID_TYPE naming them; entities that are
/// no evidence are skipped and counted.
Notices compute_notices(const Input& in, UtcTime now);

/// {notices: [Notice::to_json], ignored: {unverified, conflicting, malformed, total}}.
Json notices_json(const Notices& n);

}  // namespace convene::series
