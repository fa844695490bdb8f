// convene/core/error.h — the one error type the core throws.
//
// Every failure the core reports is a `convene::Error`: a stable machine code
// (UPPER_SNAKE_CASE, part of the public API: the JS layer exposes it as
// `err.code`), the input field it concerns (a dotted path such as
// `input.mentorWallet`, or empty when no single field is at fault) and a human
// message that names that field. The core never calls abort() or exit() on bad
// input; the bindings catch `convene::Error` (and, defensively, any other
// std::exception as `INTERNAL`) and turn it into a JavaScript Error.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace convene {

/// Stable error codes. New codes may be added; existing ones never change meaning.
namespace code {
inline constexpr std::string_view kInvalidInput = "INVALID_INPUT";        // malformed JSON / wrong shape
inline constexpr std::string_view kInvalidType = "INVALID_TYPE";          // a field has the wrong JS type
inline constexpr std::string_view kMissingField = "MISSING_FIELD";        // a required field is absent or empty
inline constexpr std::string_view kInvalidWallet = "INVALID_WALLET";      // not a 0x + 40 hex address
inline constexpr std::string_view kInvalidDate = "INVALID_DATE";          // not ISO 8601 / epoch ms
inline constexpr std::string_view kInvalidDuration = "INVALID_DURATION";  // zero, negative, non-integer
inline constexpr std::string_view kSessionEnded = "SESSION_ENDED";        // window already over: nothing to store
inline constexpr std::string_view kStartsInPast = "STARTS_IN_PAST";       // a session request must start in the future
inline constexpr std::string_view kInvalidAttributeKey = "INVALID_ATTRIBUTE_KEY";  // Arkiv key grammar
inline constexpr std::string_view kInvalidAttributeValue = "INVALID_ATTRIBUTE_VALUE";
inline constexpr std::string_view kPayloadTooLarge = "PAYLOAD_TOO_LARGE";  // Arkiv 128 KB tx cap
inline constexpr std::string_view kUnknownEntityType = "UNKNOWN_ENTITY_TYPE";
inline constexpr std::string_view kNotParticipant = "NOT_PARTICIPANT";      // wallet is neither mentor nor learner
inline constexpr std::string_view kSameParticipant = "SAME_PARTICIPANT";    // mentor == learner outside an RSVP
inline constexpr std::string_view kAlreadyRsvped = "ALREADY_RSVPED";        // attendee's second RSVP
inline constexpr std::string_view kAlreadyFollowing = "ALREADY_FOLLOWING";  // a second follow of one series
inline constexpr std::string_view kNotAnOccurrence = "NOT_AN_OCCURRENCE";  // RECURRENCE-ID the series does not produce
inline constexpr std::string_view kInvalidTxHash = "INVALID_TX_HASH";       // not 0x + 64 hex
inline constexpr std::string_view kInvalidJwt = "INVALID_JWT";              // malformed, wrong alg, or expired
inline constexpr std::string_view kInvalidRoomName = "INVALID_ROOM_NAME";
inline constexpr std::string_view kInvalidUrl = "INVALID_URL";
inline constexpr std::string_view kInvalidRrule = "INVALID_RRULE";
inline constexpr std::string_view kUnboundedRecurrence = "UNBOUNDED_RECURRENCE";
inline constexpr std::string_view kUnknownTimeZone = "UNKNOWN_TIME_ZONE";
inline constexpr std::string_view kRecurrenceTooSparse = "RECURRENCE_TOO_SPARSE";  // rule yields (almost) nothing within the work budget
inline constexpr std::string_view kRecurrenceTooDense = "RECURRENCE_TOO_DENSE";    // a series' occurrences overlap, or > 100 in 28 days
inline constexpr std::string_view kEmptyRecurrence = "EMPTY_RECURRENCE";           // a series' rule has no occurrence at all
inline constexpr std::string_view kBadPassphrase = "BAD_PASSPHRASE";
inline constexpr std::string_view kCorruptKeystore = "CORRUPT_KEYSTORE";
inline constexpr std::string_view kUnsupportedKeystore = "UNSUPPORTED_KEYSTORE";
inline constexpr std::string_view kLocked = "LOCKED";
inline constexpr std::string_view kInvalidKey = "INVALID_KEY";
inline constexpr std::string_view kUnknownEventType = "UNKNOWN_EVENT_TYPE";  // no longer thrown: names outside the catalogue are captured (issue #13)
inline constexpr std::string_view kInvalidEventName = "INVALID_EVENT_NAME";  // an event name outside the catalogue that cannot name a type (docs/events.md#new-event-names)
// Trust (docs/trust.md): why an entity read from Arkiv is no evidence. List readers skip such
// entities and count them (`ignored`); a reader given one entity as its own argument throws.
inline constexpr std::string_view kUnverifiedEntity = "UNVERIFIED_ENTITY";    // no signer metadata, or signed by the wrong wallet
inline constexpr std::string_view kConflictingFields = "CONFLICTING_FIELDS";  // a field differs between attributes and payload
inline constexpr std::string_view kMalformedEntity = "MALFORMED_ENTITY";      // not an entity: bad JSON, too deep, too large
inline constexpr std::string_view kPartNotLoaded = "PART_NOT_LOADED";  // the entity type is built in another part's module (docs/architecture.md#parts)
inline constexpr std::string_view kInternal = "INTERNAL";
}  // namespace code

/// The core's only exception type. `what()` returns the message.
class Error : public std::runtime_error {
 public:
  /// @param code  one of `convene::code::*`
  /// @param field dotted path of the offending input field, or "" if none
  /// @param message full sentence; should name `field` when there is one
  Error(std::string_view code, std::string field, const std::string& message)
      : std::runtime_error(message), code_(code), field_(std::move(field)) {}

  const std::string& code() const noexcept { return code_; }
  const std::string& field() const noexcept { return field_; }

 private:
  std::string code_;
  std::string field_;
};

}  // namespace convene
