// convene/core/series/occurrences.h — a series' occurrences in a window, with their state.
//
// Occurrences = the recurrence set's instances, then the newest exception per
// RECURRENCE-ID applied (modified: fields and start overridden; cancelled: kept in the
// list, flagged; reinstated: back to the rule's occurrence), then the materialized
// `virtual_gathering` per RECURRENCE-ID attached (its entity key and join URL).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/entities/gathering.h"
#include "core/entities/reader.h"
#include "core/json_input.h"
#include "core/series/series.h"
#include "core/time.h"

namespace convene::series {

/// What an `event_series_exception` does to its occurrence.
enum class ExceptionKind { Modified, Cancelled, Reinstated };
/// "modified" | "cancelled" | "reinstated"; parse throws MALFORMED_ENTITY naming `field` otherwise.
std::string_view to_string(ExceptionKind k);
ExceptionKind parse_exception_kind(std::string_view text, std::string_view field);

/// The fields a `modified` exception overrides.
struct Changes {
  std::optional<std::string> title, description;
  std::optional<UtcTime> starts_at;               ///< `sessionDate`: the moved start
  std::optional<std::int64_t> duration_minutes;
};

/// One exception, as read.
struct Exception {
  std::string key;         ///< its entity key
  ExceptionKind kind;
  UtcTime recurrence_id;
  Changes changes;
};

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

/// What has been written about a series, newest version per RECURRENCE-ID (epoch ms), by chain
/// position.
struct Written {
  std::map<std::int64_t, entities::Verified<Exception>> exceptions;
  std::map<std::int64_t, entities::Verified<entities::Gathering>> materialized;
};

/// A series with what has been written about it, all of it evidence.
struct SeriesState {
  entities::Verified<SeriesInfo> series;
  Written written;
  entities::Ignored ignored;  ///< exceptions and gatherings left out, by reason
};

/// Reads `series` (required; UNVERIFIED_ENTITY etc. naming `series` when it is no evidence),
/// `exceptions` (event_series_exception entities) and `gatherings` (virtual_gathering entities
/// carrying seriesKey/recurrenceId) from `in`, raw or parsed. Entities of other series are passed
/// over; ones that are no evidence are counted in `ignored`; per RECURRENCE-ID the newest on the
/// chain wins.
SeriesState read_series_state(const Input& in);

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

/// Occurrences of `series` with `written` applied, whose RECURRENCE-ID lies in [after, before]
/// (inclusive), ascending, at most `limit`. Throws UNBOUNDED_RECURRENCE when the window is open and
/// there is no limit.
std::vector<Occurrence> list_occurrences(const SeriesInfo& series, const Written& written, std::optional<UtcTime> after,
                                         std::optional<UtcTime> before, std::optional<std::size_t> limit);
/// The same for a state read from the chain.
std::vector<Occurrence> list_occurrences(const SeriesState& st, std::optional<UtcTime> after,
                                         std::optional<UtcTime> before, std::optional<std::size_t> limit);

}  // namespace convene::series
