// convene/core/events/record_writer.h — many events straight to record JSON text.
//
// normalize_text() builds an EventRecord (strings, an optional, a Json) and
// to_json_text() serializes it; for a stream of events that is a dozen small
// allocations per event. RecordWriter does the same work into one output string:
// the payload scanner's buffers, the timestamp text and the escaped meeting id are
// kept from event to event, so that once warm an event costs no allocation. This is
// the bulk path of the package (`core.events.normalizeManyJson` / `normalizeMany`,
// docs/domain.md#package-surface) and what issue #4's normalization throughput target measures.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/events/normalize.h"
#include "core/events/payload_scan.h"
#include "core/events/text_buffer.h"

namespace convene::events {

/// An event name with its catalogue row already looked up (find_jitsi_event(name) == spec), or
/// with nullptr for a valid name outside the catalogue (the generic mapping of normalize()).
struct KnownEvent {
  std::string_view name;
  const JitsiEventSpec* spec;
};

/// Writes normalized meeting events as compact JSON text (record.h's wire form).
/// Holds only caches and scratch buffers: the text it writes depends on the
/// arguments alone. Not for use from two threads at once.
class RecordWriter {
 public:
  /// Appends the record of one event to `out`: exactly the bytes of
  /// to_json_text(normalize_text(name, payload_json, ctx, now, ids, random)), and the
  /// same draws from `ids` / `random`. Throws what normalize_text() throws, before
  /// anything is appended (so `out` is unchanged on error).
  void append(std::string& out, std::string_view name, std::string_view payload_json, const EventContext& ctx,
              UtcTime now, UuidV7Generator& ids, Random& random);

  /// Many events of one context observed at one instant, appended as one JSON array
  /// `[record,record,...]` in input order. `payloads_json` is a JSON array whose
  /// element i is the payload of event `names[i]` (JSON.stringify of the payloads;
  /// `null` or any other non-object stands for no payload, as in normalize()). Each
  /// record is what append() writes for that name and the element's text.
  /// Errors (`out` is unchanged on error; ids may have been drawn for the elements
  /// read before the fault):
  /// the context's (normalize_text()); Error{INVALID_EVENT_NAME, "events.<i>.name"} for a name
  /// outside the catalogue that generic_event_type() refuses;
  /// Error{INVALID_INPUT, "payloads"} for text that is not JSON (lone-surrogate
  /// escapes included) and for an element count other than names.size();
  /// Error{INVALID_TYPE, "payloads"} for JSON that is not an array.
  void append_array(std::string& out, std::span<const std::string_view> names, std::string_view payloads_json,
                    const EventContext& ctx, UtcTime now, UuidV7Generator& ids, Random& random);

  /// append_array() for names already looked up (the bindings' name codes), written into
  /// a TextBuffer (the bulk path: no per-record fill or string growth). No name errors;
  /// otherwise the same records and errors, and `out` keeps its size on error. An array with
  /// a name outside the catalogue (spec nullptr) is read by the DOM path as a whole.
  void append_array(TextBuffer& out, std::span<const KnownEvent> events, std::string_view payloads_json,
                    const EventContext& ctx, UtcTime now, UuidV7Generator& ids, Random& random);

 private:
  class ArrayVisitor;
  // Sets the frame of the records of one context and instant (after validate_context()).
  void prepare_frame(const EventContext& ctx, UtcTime now);
  // The record of the event the scanner just read (fast path), in the prepared frame.
  void write_scanned(TextBuffer& out, const JitsiEventSpec& spec, std::string_view name, UtcTime now,
                     UuidV7Generator& ids, Random& random);
  // The DOM path: normalize() of the parsed payload, serialized.
  static void write_dom(TextBuffer& out, std::string_view name, const Json& payload, const EventContext& ctx,
                        UtcTime now, UuidV7Generator& ids, Random& random);
  std::vector<const JitsiEventSpec*> specs_;  // append_array()'s rows, reused
  std::vector<KnownEvent> known_;             // append_array()'s names and rows, reused
  std::string participant_json_;              // ,"participantId":<JSON string> of a payload id that needs escapes
  TextBuffer scratch_;                        // the std::string overloads' records, before the copy out

  PayloadScanner scanner_;
  // The frame (prepare_frame()): what every record of one context and instant shares,
  // kept while the instant and meeting stay the same.
  std::string frame_middle_;       // ","timestamp":"<ISO 8601>","meetingId":<JSON string>
  std::string frame_participant_;  // ,"participantId":<JSON string> of the context's, or empty
  std::int64_t frame_ms_ = 0;
  std::string frame_meeting_id_;
  bool has_frame_ = false;
};

}  // namespace convene::events
