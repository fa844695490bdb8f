// convene/core/series/plan.h — what to write to keep a series' gatherings right (docs/domain.md#event-series).
//
// Pure planning: each function reads the series state and the clock and returns drafts;
// the app writes them (createEntity / updateEntity / extendEntity, or the `transactions`
// with mutateEntities) and nothing else. Gatherings are never deleted: a gathering that no
// longer belongs to a live occurrence is updated in place, marked cancelled, so its RSVPs stay
// attached and read `cancelled`.
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
  /// For a retired gathering: 'cancelled' (its occurrence is cancelled) or 'orphaned' (the series no
  /// longer produces its RECURRENCE-ID).
  std::string reason;
};

/// `extendEntity({entityKey, expiresIn})`: adds ceil(expiresIn / 2) blocks to the entity's expiry.
struct Extension {
  std::string entity_key;
  std::int64_t expires_in = 0;
};

/// What a plan could not do for one occurrence (`recurrence_id`) or for the series ("").
struct Problem {
  std::string recurrence_id;
  std::string code, field, message;
};

/// One Arkiv transaction of a plan: indexes into the plan's lists (and, for propagation and split,
/// the series drafts), cut so that each stays under Arkiv's 128 KB and 1000 operations.
struct Transaction {
  std::vector<std::size_t> create, update, cancel, extend;
  bool series = false;      ///< propagation: the series update; split: the old series' update
  bool new_series = false;  ///< split: the new series' create
};

/// What to write to materialize the rolling window.
struct MaterializationPlan {
  std::vector<entities::EntityDraft> create;  ///< new virtual_gathering per occurrence in the window without one
  std::vector<Update> update;                 ///< gatherings that no longer match their occurrence, or are restored
  std::vector<Update> cancel;                 ///< gatherings to retire: updates marking them cancelled
  std::vector<Extension> extend;              ///< the series entity, when it would expire too soon
  std::vector<Problem> problems;
  std::vector<Transaction> transactions;
};

/// The rolling window (docs/domain.md#event-series): every occurrence not yet ended at `now` that
/// starts by now + `horizon` gets a gathering; every gathering of the series that is not ended
/// follows its occurrence wherever it moved (beyond the horizon too): updated in place when its
/// title, description, start or duration differ (same room), restored (a new room) when it was
/// cancelled and its occurrence is live again, retired (marked cancelled, join link withdrawn; reason
/// "cancelled" / "orphaned") when its occurrence is cancelled or the series no longer produces its
/// RECURRENCE-ID. A duplicate of an occurrence's gathering (two materializations at once) follows its
/// occurrence only while people RSVP'd to it (`st.rsvped`); one nobody RSVP'd to is retired (reason
/// "duplicate") and never restored, so runs converge to one gathering per occurrence. Without
/// `st.rsvped` (no `rsvps` read) every duplicate follows. A series too dense for meetings gets
/// no new gatherings (a problem says why). With `current_block`, and the series read with its
/// `expiresAtBlock`, the series' extension is planned when its expiry is less than
/// series_expires_in - 30 days away; an unbounded series without them gets a problem naming what is
/// missing. One occurrence that cannot be planned is reported in `problems`; the rest is planned.
MaterializationPlan plan_materialization(const SeriesState& st, std::chrono::hours horizon, const entities::BuildContext& ctx,
                                         std::optional<std::int64_t> current_block = std::nullopt);

/// How long before the target expiry an extension is planned (so runs do not extend every time).
inline constexpr std::chrono::hours kExtensionSlack{24 * 30};

/// The virtual_gathering draft of one occurrence; `room` keeps an existing Jitsi room ("" = a new one).
entities::EntityDraft gathering_draft(const SeriesInfo& s, const Occurrence& o, const std::string& room,
                                      const entities::BuildContext& ctx);

/// Template propagation: `changes` ({title?, description?, duration?}) become the template of every
/// occurrence whose RECURRENCE-ID is at or after `from`; earlier ones keep theirs (the series keeps
/// dated template versions, SeriesInfo::change_template_from). Fields an exception overrides stay
/// overridden. Returns the series draft (updateEntity on the series key) and the updates of the
/// materialized gatherings from `from` on that no longer match. A duration that makes the rule too
/// dense is RECURRENCE_TOO_DENSE naming `changes.duration`.
struct Propagation {
  entities::EntityDraft series;
  std::vector<Update> update;
  std::vector<Problem> problems;
  std::vector<Transaction> transactions;
};
Propagation plan_propagation(const SeriesState& st, UtcTime from, const Input& changes, const entities::BuildContext& ctx);

/// An entity a split hands over to the new series.
struct Handed {
  std::string entity_key;
  std::string recurrence_id;
};

/// Splitting a series at `at` keeps its occurrences: those before `at` stay with the old series,
/// the others form the new one, and together they are exactly the original ones (for a split
/// without a new `rrule`). The old rule keeps COUNT = the RRULE instances before `at` (RFC 5545:
/// counted before EXDATE, without RDATEs) or gets UNTIL = its last RRULE instance before `at`; the
/// new series starts (DTSTART) at the first RRULE instance on or after `at`, in the same zone, with
/// the remaining COUNT (and DTSTART-derived defaults the new start would change written out, e.g.
/// BYMONTHDAY under SKIP); RDATE/EXDATE are divided at `at`; without RRULE instances after `at`
/// the new series is its RDATEs. `changes` ({title?, description?, duration?, rrule?}) apply to
/// the new series from its start. `handoff_*` lists the exceptions and gatherings of the old series
/// whose occurrences now belong to the new one: write both series, then plan_handoff. Throws
/// INVALID_INPUT (field `at`) when no occurrence lies on one side.
struct Split {
  entities::EntityDraft old_series;  ///< for updateEntity on the old key
  entities::EntityDraft new_series;  ///< for createEntity
  std::vector<Handed> handoff_exceptions, handoff_gatherings;
  std::vector<Transaction> transactions;
};
Split plan_split(const SeriesState& st, UtcTime at, const Input& changes, const entities::BuildContext& ctx);

/// After a split: the updates that move `old_state`'s exceptions and gatherings whose
/// RECURRENCE-ID is an occurrence of `new_series` to it (same entity keys, so RSVPs, which name
/// their gathering's key, follow; gatherings keep their room and take the new series' template and
/// the handed-over exceptions). Gatherings whose occurrence has ended stay. Idempotent: what was
/// handed over no longer reads as the old series'. Throws INVALID_INPUT (field `newSeries`) when the
/// two series have different organizers or the same key.
struct Handoff {
  std::vector<Update> update;
  std::vector<Problem> problems;
  std::vector<Transaction> transactions;
};
Handoff plan_handoff(const SeriesState& old_state, const entities::Verified<SeriesInfo>& new_series, const entities::BuildContext& ctx);

/// The occurrence not cancelled that starts first at or after `now` (by start time, wherever its
/// RECURRENCE-ID lies: moved occurrences are seen however far they moved). What to publish to a
/// platform without recurrence, with a link to the series (docs/domain.md#bluesky).
std::optional<Occurrence> next_occurrence(const SeriesState& st, UtcTime now);

}  // namespace convene::series
