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

#include "core/json_input.h"
#include "core/series/series.h"
#include "core/time.h"

namespace convene::series {

/// The newest exception for one RECURRENCE-ID.
struct Exception {
  std::string key;         ///< its entity key
  std::string kind;        ///< modified | cancelled | reinstated
  Json changes = Json::object();
  std::string created_at;  ///< ISO; newest wins
};

/// The newest materialized gathering for one RECURRENCE-ID.
struct Materialized {
  std::string key;
  Json gathering;          ///< the parsed virtual_gathering
  std::string created_at;
};

/// A series with what has been written about it, keyed by RECURRENCE-ID in epoch ms.
struct SeriesState {
  SeriesInfo series;
  std::map<std::int64_t, Exception> exceptions;
  std::map<std::int64_t, Materialized> materialized;
};

/// Reads `series` (required), `exceptions` (event_series_exception entities) and
/// `gatherings` (virtual_gathering entities carrying seriesKey/recurrenceId) from `in`,
/// raw or parsed. Entities of other series are ignored; per RECURRENCE-ID the newest
/// (by createdAt, then by position) wins.
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

/// Occurrences whose RECURRENCE-ID lies in [after, before] (inclusive), ascending, at most
/// `limit`. Throws UNBOUNDED_RECURRENCE when the window is open and there is no limit.
std::vector<Occurrence> list_occurrences(const SeriesState& st, std::optional<UtcTime> after,
                                         std::optional<UtcTime> before, std::optional<std::size_t> limit);

}  // namespace convene::series
