// convene/core/events/payload_scan.h — normalize()'s fast path: a catalogue row's
// fields read straight from the payload's JSON text, without building a DOM.
//
// The IFrame API hands the JS layer a payload object; the package serializes it
// (JSON.stringify) and the core reads it. Most rows keep a few scalar fields, so
// one pass of a SAX reader over the text, following only the row's paths, is
// enough: no Json tree, no second serialization (DESIGN.md §4.6; the throughput
// target of issue #4). The reader is RapidJSON's (Debian's rapidjson-dev,
// header-only): on this project's payloads it reads 2.5x faster than nlohmann's
// SAX parser. Anything the fast path cannot reproduce exactly is left to the DOM
// path (normalize.h), which stays the definition; tests/unit/events_payload_scan_test.cpp
// and the fuzz target compare the two.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/events/jitsi_events.h"

namespace convene::events {

/// What scan_payload() read from one payload.
struct ScannedPayload {
  /// Compact JSON of the normalized payload, byte for byte what normalize() on the
  /// parsed payload produces (keys sorted, strings capped on a UTF-8 boundary).
  std::string payload_text;
  /// The value at the row's participant path when it is a non-empty string of at most
  /// kMaxIdBytes bytes; nullopt otherwise (the caller then uses ctx.participantId).
  std::optional<std::string> participant_id;
  /// The value at the row's `on_field` path is JSON `true`.
  bool on = false;
  /// The kept `messageID` field when it is a string (capped), else empty.
  std::string message_id;
  /// The kept `final` field is a non-empty string.
  bool final_text = false;
};

/// Reads `spec`'s kept fields, participant id and on/off flag from `payload_json`
/// in one pass. Returns nullopt whenever the result might differ from the DOM path,
/// and the caller must parse and call normalize(): text that is not valid JSON or
/// not an object, rows that keep the whole payload (`*`), a kept field holding an
/// object, array or non-integer number (sanitize() caps containers; the float's
/// shortest form is Json::dump's), a key repeated on a followed path (the DOM
/// keeps the last one), and payloads over kMaxPayloadBytes.
/// Never throws on any input (allocation failure aside).
std::optional<ScannedPayload> scan_payload(const JitsiEventSpec& spec, std::string_view payload_json);

}  // namespace convene::events
