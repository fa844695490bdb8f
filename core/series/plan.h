// convene/core/series/plan.h — what to write to keep a series' gatherings right (docs/domain.md#event-series).
//
// Pure planning: each function reads the series state and the clock and returns drafts;
// the app writes them (createEntity / updateEntity / deleteEntity) and nothing else.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/entities/draft.h"
#include "core/series/occurrences.h"

namespace convene::series {

/// An update of an existing entity: `updateEntity({entityKey, ...draft})`.
struct Update {
  std::string entity_key;
  std::string recurrence_id;
  entities::EntityDraft draft;
};

/// What to write to materialize the rolling window.
struct MaterializationPlan {
  std::vector<entities::EntityDraft> create;  ///< new virtual_gathering per occurrence without one
  std::vector<Update> update;                 ///< materialized ones that no longer match (template change, modification)
  std::vector<std::pair<std::string, std::string>> cancel;  ///< (gathering key, recurrenceId) of cancelled occurrences
};

/// Occurrences not yet ended at `now` whose start lies before now + `horizon` get a
/// virtual_gathering (the rolling window of docs/domain.md#event-series); cancelled ones with a
/// gathering are listed in `cancel`; materialized ones whose title, description, start or duration
/// differ from the occurrence are updated in place (same Jitsi room).
MaterializationPlan plan_materialization(const SeriesState& st, std::chrono::hours horizon,
                                         const entities::BuildContext& ctx);

/// The virtual_gathering draft of one occurrence; `room` keeps an existing Jitsi room.
entities::EntityDraft gathering_draft(const SeriesInfo& s, const Occurrence& o, const std::string& room,
                                      const entities::BuildContext& ctx);

/// Template propagation: applies `changes` ({title?, description?, duration?}) to the series
/// template and updates the materialized gatherings of unmodified occurrences from `from` on.
/// Returns the series draft (for updateEntity on the series key) and the gathering updates.
struct Propagation {
  entities::EntityDraft series;
  std::vector<Update> update;
};
Propagation plan_propagation(const SeriesState& st, UtcTime from, const Input& changes, const entities::BuildContext& ctx);

/// Splitting a series at `at`: the old series ends before `at` (UNTIL = its last start before
/// `at`, or COUNT = the occurrences before `at`), a new series starts at the first occurrence on or
/// after `at` (same zone; RDATE/EXDATE split by date; COUNT carries the remainder) with `changes`
/// ({title?, description?, duration?, rrule?}) applied. Throws INVALID_INPUT (field `at`) when no
/// occurrence lies on either side.
struct Split {
  entities::EntityDraft old_series;  ///< for updateEntity on the old key
  entities::EntityDraft new_series;  ///< for createEntity
};
Split plan_split(const SeriesState& st, UtcTime at, const Input& changes, const entities::BuildContext& ctx);

/// The first occurrence not cancelled that starts at or after `now` (what to publish to a
/// platform without recurrence, with a link to the series; docs/domain.md#bluesky). Looks at most
/// `scan` occurrences ahead.
std::optional<Occurrence> next_occurrence(const SeriesState& st, UtcTime now, std::size_t scan = 512);

}  // namespace convene::series
