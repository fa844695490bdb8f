// convene/core/events/payload_scan.h — normalize()'s fast path: a catalogue row's
// fields read straight from the payload's JSON text, without building a DOM.
//
// The IFrame API hands the JS layer a payload object; the package serializes it
// (JSON.stringify) and the core reads it. Most rows keep a few scalar fields, so
// one pass of a SAX reader over the text, following only the row's paths, is
// enough: no Json tree, no second serialization (docs/events.md; the throughput
// target of issue #4). The reader is RapidJSON's (Debian's rapidjson-dev,
// header-only): on this project's payloads it reads 2.5x faster than nlohmann's
// SAX parser. Anything the fast path cannot reproduce exactly is left to the DOM
// path (normalize.h), which stays the definition; tests/unit/events_payload_scan_test.cpp
// and the fuzz target compare the two.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
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
/// keeps the last one), text containing a NUL byte, containers nested more than 48
/// deep (the reader recurses per level), and payloads over kMaxPayloadBytes.
/// Never throws on any input (allocation failure aside). One-off form of PayloadScanner.
std::optional<ScannedPayload> scan_payload(const JitsiEventSpec& spec, std::string_view payload_json);

class PayloadScanner;

/// What PayloadScanner::scan_array() reports, element by element, in order.
class PayloadVisitor {
 public:
  virtual ~PayloadVisitor() = default;
  /// Element `index` is an object the fast path read; `scanner`'s accessors hold the
  /// result (valid during the call).
  virtual void scanned(std::size_t index, const PayloadScanner& scanner) = 0;
  /// Element `index` is an object only the DOM path gets right (see scan_payload());
  /// `payload_json` is its text, exactly as in the input.
  virtual void declined(std::size_t index, std::string_view payload_json) = 0;
  /// Element `index` is not an object (normalize() reads such a payload as `{}`).
  virtual void not_object(std::size_t index) = 0;
};

/// scan_payload() for many payloads: keeps the reader's stack, a working copy of the
/// text (read in place, RapidJSON's insitu mode) and the result buffers between
/// calls, so that once warm a scan allocates nothing. The views it returns stay
/// valid until the next scan(). Not for use from two threads at once.
class PayloadScanner {
 public:
  PayloadScanner();
  ~PayloadScanner();
  PayloadScanner(const PayloadScanner&) = delete;
  PayloadScanner& operator=(const PayloadScanner&) = delete;

  /// true: the fast path applies and the accessors below hold the result (what
  /// scan_payload() would return); false: as scan_payload()'s nullopt.
  bool scan(const JitsiEventSpec& spec, std::string_view payload_json);

  /// How scan_array() ended.
  struct ArrayScan {
    bool complete = false;  ///< the whole text was read and every element reported
    std::size_t count = 0;  ///< elements reported (all of them when complete)
    bool too_many = false;  ///< stopped at an element beyond specs.size()
  };

  /// One pass over `array_json`, a JSON array whose element i is the payload of an
  /// event of row `specs[i]` (every pointer non-null): reports each element to
  /// `visitor` as it closes. Stops early (complete = false) when the text is not a
  /// JSON array, holds more elements than `specs`, nests more than 48 deep, or holds a NUL byte or a `\u`
  /// escape of a lone surrogate anywhere (nlohmann's reader, the definition, rejects
  /// the whole text; RapidJSON would not). Throws only what the visitor throws.
  ArrayScan scan_array(std::span<const JitsiEventSpec* const> specs, std::string_view array_json,
                       PayloadVisitor& visitor);

  std::string_view payload_text() const;     ///< ScannedPayload::payload_text
  std::size_t payload_size() const;          ///< its size in bytes
  /// Writes payload_text() at `out` (payload_size() bytes, no terminator), without the
  /// intermediate string; returns the end.
  char* write_payload(char* out) const;
  bool has_participant_id() const;           ///< ScannedPayload::participant_id is set
  std::string_view participant_id() const;   ///< its value ("" when not set)
  bool on() const;                           ///< ScannedPayload::on
  std::string_view message_id() const;       ///< ScannedPayload::message_id
  bool final_text() const;                   ///< ScannedPayload::final_text

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace convene::events
