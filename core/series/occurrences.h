// convene/core/series/occurrences.h — a series' occurrences in a window, with their state.
//
// Occurrences = the recurrence set's instances, each with the template in force for its
// RECURRENCE-ID (SeriesInfo::template_at), then the newest exception per RECURRENCE-ID applied
// (modified: fields and start overridden; cancelled: kept in the list, flagged; reinstated: back
// to the rule's occurrence), then the materialized `virtual_gathering` per RECURRENCE-ID attached
// (its entity key and, unless the gathering is cancelled, its join URL).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/entities/gathering.h"
#include "core/entities/reader.h"
#include "core/json_input.h"
#include "core/series/series.h"
#include "core/time.h"

namespace convene::series {

/// The exception a decoded entity records for `series`, if it is evidence: signed by the series'
/// organizer (docs/trust.md). nullopt for an exception of another series (not counted). Throws
/// UNVERIFIED_ENTITY / CONFLICTING_FIELDS / MALFORMED_ENTITY or a field error naming `field`.
std::optional<entities::Verified<Exception>> verify_exception(const entities::EntityRecord& record,
                                                              const entities::Verified<SeriesInfo>& series,
                                                              std::string_view field);

/// A materialized gathering of `series`, if it is evidence: a virtual_gathering signed by the
/// series' organizer that names the series. nullopt for another series' gathering or a standalone one.
std::optional<entities::Verified<entities::Gathering>> verify_series_gathering(const entities::EntityRecord& record,
                                                                               const entities::Verified<SeriesInfo>& series,
                                                                               std::string_view field);

/// What has been written about a series, per RECURRENCE-ID (epoch ms): the newest exception by
/// chain position; the gathering created last (by the chain position of its create, which an update
/// keeps, so updating one never changes which it is). Other gatherings for the same RECURRENCE-ID
/// (two materializations at once) are `duplicates`: plans keep one that people RSVP'd to in step with
/// its occurrence and retire the others (see plan_materialization).
struct Written {
  std::map<std::int64_t, entities::Verified<Exception>> exceptions;
  std::map<std::int64_t, entities::Verified<entities::Gathering>> materialized;
  std::vector<entities::Verified<entities::Gathering>> duplicates;
};

/// A series with what has been written about it, all of it evidence.
struct SeriesState {
  entities::Verified<SeriesInfo> series;
  Written written;
  entities::Ignored ignored;  ///< exceptions and gatherings left out, by reason
  std::optional<std::uint64_t> series_expires_at_block;  ///< the series entity's `expiresAtBlock`, when read with it
  /// Keys of the series' gatherings with at least one RSVP that is evidence (distinct attendees, not
  /// stored as cancelled: entities::rsvp_summary), when the caller passed `rsvps`; unknown otherwise.
  std::optional<std::set<std::string, std::less<>>> rsvped;
};

/// Reads the `field` series entity (required; UNVERIFIED_ENTITY etc. naming `field` when it is no
/// evidence), `exceptions` (event_series_exception entities) and `gatherings` (virtual_gathering
/// entities carrying seriesKey/recurrenceId) from `in`, raw or parsed. Entities of other series are
/// passed over; ones that are no evidence (including exceptions whose changes read_changes refuses)
/// are counted in `ignored`. `rsvps` (optional: RSVP sessions to the series' gatherings, any others are
/// passed over) fills `rsvped`; RSVPs that are no evidence are counted in `ignored` too.
SeriesState read_series_state(const Input& in, std::string_view field = "series");

/// One occurrence as listed.
struct Occurrence {
  UtcTime recurrence_id;          ///< the rule's start (RECURRENCE-ID)
  UtcTime starts_at;              ///< after a modification
  std::int64_t duration_minutes;
  std::string local;              ///< RECURRENCE-ID as wall time in the series' zone, YYYY-MM-DDTHH:MM:SS
  std::string title, description;
  std::string state;              ///< planned | materialized | modified | cancelled
  std::optional<std::string> gathering_key, video_join_url, exception_key;

  UtcTime ends_at() const { return starts_at + std::chrono::minutes{duration_minutes}; }
  /// {recurrenceId, startsAt, endsAt, local, tzid, duration, title, description, state,
  ///  gatheringKey?, videoJoinUrl?, exceptionKey?}
  Json to_json(const SeriesInfo& s) const;
};

/// The occurrence whose RECURRENCE-ID is `rid`, with `written` applied; nullopt when the series does
/// not produce that instant (any more).
std::optional<Occurrence> occurrence_at(const SeriesInfo& series, const Written& written, UtcTime rid);

/// Occurrences of `series` with `written` applied, whose RECURRENCE-ID lies in [after, before]
/// (inclusive), ascending, at most `limit`. Throws UNBOUNDED_RECURRENCE when the window is open and
/// there is no limit.
std::vector<Occurrence> list_occurrences(const SeriesInfo& series, const Written& written, std::optional<UtcTime> after,
                                         std::optional<UtcTime> before, std::optional<std::size_t> limit);
/// The same for a state read from the chain.
std::vector<Occurrence> list_occurrences(const SeriesState& st, std::optional<UtcTime> after,
                                         std::optional<UtcTime> before, std::optional<std::size_t> limit);

}  // namespace convene::series
