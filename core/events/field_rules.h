// convene/core/events/field_rules.h — a catalogue row's strings, parsed once.
//
// jitsi_events.h stores each row's kept fields and paths as compact text
// ("data.participant.name=participantName,data.final=final"); normalize()
// reads this parsed form.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/events/jitsi_events.h"

namespace convene::events {

/// One kept payload field: where it is in the Jitsi payload and what it is called after.
struct FieldRule {
  std::vector<std::string> path;  ///< dotted path, split ("data.final" -> {"data", "final"})
  std::string out;                ///< key in the normalized payload
  std::size_t max_string;         ///< string cap in UTF-8 bytes (kMaxTextBytes for text fields, else kMaxStringBytes)
};

/// A row's `fields`, `participant` and `on_field`, parsed.
struct SpecRules {
  bool whole_payload = false;             ///< `fields == "*"`: the whole payload, sanitized
  std::vector<FieldRule> rules;           ///< in catalogue order (later rules win on equal `out`)
  std::vector<std::string> participant;   ///< path of the participant id, empty if none
  std::vector<std::string> on_field;      ///< path of the on/off boolean, empty if none
  /// Indices into `rules` grouped by `out`: groups in the order dump() writes an object's keys (std::map's, by
  /// bytes), each group's indices in catalogue order. normalize() writes the kept payload's text in this order.
  std::vector<std::vector<std::size_t>> by_out;
};

/// The parsed form of a catalogue row (`spec` must point into jitsi_event_catalogue()).
/// Every row is parsed on first use; afterwards this is a lookup.
const SpecRules& spec_rules(const JitsiEventSpec& spec);

}  // namespace convene::events
