// convene/core/meetings/folds.h — the fold kept up to date as records arrive (docs/collector.md#storage).
//
// summarize() (summary.h) folds a whole log at once. A service that receives a meeting's records
// a batch at a time (tools/collector) would otherwise read each touched meeting's whole log back
// and fold it again per batch. MeetingFolds holds each meeting's distinct records, decoded, in
// the order the fold reads them, so that adding records refolds only the meetings they touch,
// from memory, with the same fold_meeting() that summarize() uses: there is one definition of
// the fold, and for every meeting it holds,
//   summary(id) == the meeting `id` of summarize(every record added since it was last forgotten).
// Records sharing an eventId are resolved as summarize() does (repeats collapse; of different
// records claiming one eventId, the smallest by content_less() is kept, across meetings too).
// Pure: no clock, no randomness, no I/O.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/json_input.h"
#include "core/meetings/event.h"
#include "core/meetings/summary.h"

namespace convene::meetings {

/// Checks records one by one with the fold's own decoder (a record is valid exactly when
/// summarize() accepts it: decode_event()). `records` must be a JSON array (else
/// Error{INVALID_TYPE, "records"}). Returns one entry per record, in order:
/// {"at": ISO 8601 UTC with milliseconds (the record's instant)} for a record, or
/// {"error": {"code", "field" ("records[<i>]..."), "message"}} for an entry that is not one.
Json check_json(const Json& records);

/// Meetings held for folding again as records arrive. Not thread-safe; movable, not copyable.
class MeetingFolds {
 public:
  /// What add() changed: meetingIds in meetingId order.
  struct Change {
    std::vector<std::string> changed;  ///< meetings whose set of records changed (and that still hold records)
    std::vector<std::string> removed;  ///< meetings left without records (their only records lost an eventId
                                       ///< conflict to a record of another meeting): summarize() would not list them
  };

  /// Adds decoded records (any meetings, any order, repeats allowed). A record whose eventId is
  /// held with the same content changes nothing; with other content, the smaller by
  /// content_less() is kept and the other counted in `ignored.conflicting`.
  Change add(std::vector<MeetingEvent> events, Ignored& ignored);

  /// The fold of one held meeting's records (fold_meeting()). Throws Error{INVALID_INPUT,
  /// "meetingId"} when the meeting holds no records.
  MeetingSummary summary(const std::string& meeting_id) const;

  /// Drops a meeting's records (nothing when it holds none), e.g. before adding its whole log
  /// again when the caller learns that records were stored elsewhere.
  void forget(const std::string& meeting_id);

  /// Distinct records held for `meeting_id` (0 when none).
  std::size_t count(const std::string& meeting_id) const;
  /// Distinct records held in all.
  std::size_t size() const { return owner_.size(); }

  /// The JSON edge: `records` must be an array (else Error{INVALID_TYPE, "records"}); entries that
  /// are not records are skipped and counted in `ignored.malformed`. Returns
  /// {"meetings": [summary as JSON (to_json) of each changed meeting], "removed": [meetingId, ...],
  ///  "ignored": {"malformed", "conflicting", "total"}} — the shape of summarize_json() plus `removed`.
  Json add_json(const Json& records);

  /// add_json() with a log's rule instead of summarize()'s: the first record of an eventId stays.
  /// A record is added only when its eventId is neither held nor taken by an earlier record of
  /// this call (so nothing held is ever replaced), which is what a log keyed by eventId (`INSERT
  /// ... ON CONFLICT DO NOTHING`) keeps; over records with distinct eventIds both rules agree.
  /// Checks every entry on the way, in one pass. Returns add_json()'s object plus
  /// "entries": one per entry, in order: {"at": ISO 8601 UTC, "added": bool} for a record (added:
  /// false when its eventId was held or taken), or {"error": {"code", "field", "message"}} as
  /// check_json() gives. `records` must be an array (else Error{INVALID_TYPE, "records"}).
  Json add_new_json(const Json& records);

 private:
  /// Where a held record sits: its meeting, and its sort key inside the meeting's vector.
  struct Where {
    std::string meeting_id;
    UtcTime at;
    int rank;
  };
  const MeetingEvent* find(const std::string& event_id, const Where& where) const;
  void erase(const std::string& event_id, const Where& where);

  std::map<std::string, std::vector<MeetingEvent>> meetings_;  ///< each: distinct eventIds, in_log_order
  std::unordered_map<std::string, Where> owner_;               ///< eventId -> the record kept
};

}  // namespace convene::meetings
