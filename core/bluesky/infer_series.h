// convene/core/bluesky/infer_series.h — series proposed from calendar events imported one by one
// (docs/bluesky.md#import).
//
// Bluesky's calendar lexicon has no recurrence, so a community's weekly meetup arrives as separate
// events. This groups them by organizer, name (case, digits and punctuation set aside: "Rust meetup #12"
// and "Rust Meetup 13" are one name) and wall-clock time of day in a zone, and asks
// recurrence::infer_rule for the simplest rule of each group; gaps become EXDATEs, and events that break
// the pattern are left out (at most a quarter of the group, chosen greedily one at a time). Each
// proposal carries a confidence the UI shows; nothing becomes a series until a person accepts it.
// Pure: no clock, no I/O.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/bluesky/calendar.h"
#include "core/recurrence/rule.h"

namespace convene::bluesky {

/// An event read from a repo: its at-uri, the DID of the repo (its organizer) and the record as
/// parse_event_record read it.
struct ImportedEvent {
  std::string uri;
  std::string organizer;
  CalendarEvent event;
};

/// A series the events of one group fit.
struct SeriesProposal {
  std::string organizer;                 ///< DID
  std::string name;                      ///< the name of the group's earliest event, as written
  recurrence::RecurrenceSet rule;        ///< DTSTART (in the zone asked for), RRULE, EXDATEs for the gaps
  std::vector<std::string> uris;         ///< the events the rule covers, by start
  std::vector<std::string> left_out;     ///< events of the group that break the pattern
  std::size_t gaps = 0;                  ///< instances of the rule with no event (the EXDATEs)
  /// covered / (covered + gaps + left out), in [0, 1]: 1 is every event on the rule and no gap.
  double confidence = 0;
};

/// The normalized name events are grouped by: lowercase ASCII letters and non-ASCII bytes, runs of
/// anything else (digits, punctuation, spaces) as one space, trimmed. "Rust Meetup #12" -> "rust meetup".
std::string series_name_key(std::string_view name);

/// Proposals for `events` (any order): one per group of at least `min_events` events (by organizer,
/// series_name_key and wall-clock time of day in `tzid`; "" = UTC) that a rule fits; cancelled events and
/// events without a start are not used. Sorted by confidence, then organizer and name. An event is in at
/// most one proposal. Throws Error{UNKNOWN_TIME_ZONE, "tzid"} for a zone the embedded database lacks.
std::vector<SeriesProposal> propose_series(const std::vector<ImportedEvent>& events, std::string_view tzid,
                                           std::size_t min_events = 3);

}  // namespace convene::bluesky
