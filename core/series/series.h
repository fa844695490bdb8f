// convene/core/series/series.h — event series on Arkiv (docs/domain.md#event-series).
//
// A series is a template (title, description, duration, video settings) plus a
// recurrence set: DTSTART as local wall time with an IANA TZID (or UTC), one RRULE,
// RDATEs and EXDATEs. Occurrences are computed, not stored, except a rolling window
// materialized as `virtual_gathering` entities (attributes `seriesKey`, `recurrenceId`)
// so that listing and RSVP work unchanged, and any occurrence a user touched, which
// gets an `event_series_exception` keyed by series and RECURRENCE-ID (the original
// start, as a UTC instant). Following a series (`event_series_follow`) is not
// attending an occurrence (an RSVP to its gathering).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/entities/draft.h"
#include "core/entities/record.h"
#include "core/entities/verified.h"
#include "core/entities/wallet.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/recurrence/rule.h"
#include "core/time.h"

namespace convene::series {

/// The series template: what every occurrence inherits unless an exception overrides it.
struct Template {
  std::string title;
  std::string description;
  std::int64_t duration_minutes = 60;
  std::string video_provider = "jitsi";  ///< 'jitsi' | 'none'
  std::string jitsi_base_url;            ///< "" = the default deployment
};

/// An earlier template, in force for the occurrences whose RECURRENCE-ID lies before `before` (and
/// not before the previous version's `before`). Payload field `templateHistory: [{before, title,
/// description, duration}]`, ascending; a series written without it has one template.
struct TemplateVersion {
  UtcTime before;
  std::string title, description;
  std::int64_t duration_minutes = 60;
  bool same_as(const Template& t) const {
    return title == t.title && description == t.description && duration_minutes == t.duration_minutes;
  }
};

/// A series read from Arkiv (raw or parsed) or about to be written.
struct SeriesInfo {
  std::string key;                       ///< entityKey ("" before it is stored)
  entities::Wallet organizer;
  std::string community;                 ///< slug
  std::string community_name;            ///< as typed ("" for series written before it was kept)
  Template tmpl;                         ///< the current template (from the last change's date on)
  std::vector<TemplateVersion> history;  ///< earlier templates, ascending by `before`
  recurrence::RecurrenceSet recurrence;  ///< DTSTART is Zoned or UTC
  std::string recurrence_text;           ///< canonical iCalendar text of `recurrence`
  /// The series this one continues after a split (its key; "" for none): attribute and payload
  /// `splitFrom`, written by plan_split. A claim like any other: readers link the two only when both
  /// are evidence with the same organizer (docs/domain.md#event-series, "Splitting").
  std::string split_from;

  /// The template the occurrence with RECURRENCE-ID `rid` inherits (docs/domain.md#event-series).
  Template template_at(UtcTime rid) const;
  /// Makes `next` (title, description, duration; video settings are not versioned) the template of
  /// every occurrence whose RECURRENCE-ID is at or after `from`; earlier ones keep theirs.
  void change_template_from(UtcTime from, const Template& next);
  /// Keeps only the template versions that matter for RECURRENCE-IDs before `at` (`before_at`) or
  /// at/after it (!`before_at`); the current template becomes the one in force on that side.
  void keep_templates(UtcTime at, bool before_at);
};

/// Most occurrences a series may have within any `kDensityWindow` (the default materialization
/// window), and that window: a rule denser than that is no meeting series (RECURRENCE_TOO_DENSE).
inline constexpr std::size_t kMaxOccurrencesPerWindow = 100;
inline constexpr std::chrono::hours kDensityWindow{24 * 28};

/// Checks that a series' rule suits meetings: it has an occurrence (else EMPTY_RECURRENCE naming
/// `field`), no two occurrences are closer than the earlier one's duration and no window of
/// kDensityWindow holds more than kMaxOccurrencesPerWindow (else RECURRENCE_TOO_DENSE naming the
/// rule part: `field.RRULE.FREQ`, `.RRULE.INTERVAL`, `.RRULE.BYHOUR`, ..., or `field.RDATE`).
/// The rule is checked over the year (400 days) from its first occurrence, and around each RDATE.
void check_series_rule(const SeriesInfo& s, std::string_view field);

/// `expiresIn` of the series entity written at `now`: one year after its last occurrence ends for a
/// bounded rule (never less than one year), one year for an unbounded one (docs/domain.md#expiry).
std::int64_t series_expires_in(const SeriesInfo& s, UtcTime now);

/// What an `event_series_exception` does to its occurrence.
enum class ExceptionKind { Modified, Cancelled, Reinstated };
/// "modified" | "cancelled" | "reinstated"; parse throws `error_code` (INVALID_INPUT for a builder's
/// input, MALFORMED_ENTITY for an entity read) naming `field` otherwise.
std::string_view to_string(ExceptionKind k);
ExceptionKind parse_exception_kind(std::string_view text, std::string_view field, std::string_view error_code = code::kMalformedEntity);

/// The fields a `modified` exception overrides.
struct Changes {
  std::optional<std::string> title, description;
  std::optional<UtcTime> starts_at;               ///< `sessionDate`: the moved start
  std::optional<std::int64_t> duration_minutes;
  bool empty() const { return !title && !description && !starts_at && !duration_minutes; }
};

/// Reads `changes` as the template is read (the builder and the readers use the same rules): a
/// title, when given, is a non-empty string a gathering can carry as an attribute (MISSING_FIELD /
/// INVALID_ATTRIBUTE_VALUE), a description a string, a duration whole minutes (INVALID_DURATION),
/// a sessionDate an instant.
Changes read_changes(const Input& changes);

/// One exception, as read or about to be written.
struct Exception {
  std::string key;         ///< its entity key
  ExceptionKind kind;
  UtcTime recurrence_id;
  Changes changes;
  std::optional<std::string> reason;
};

/// When the occurrence `x` is about is over, whatever `x` does to it: the later of its original end
/// (RECURRENCE-ID + the duration of the template in force then) and its end as `x` leaves it (the moved
/// start, else the RECURRENCE-ID, + the changed duration, else the template's). A cancellation and a
/// reinstatement leave it at the original end. Written as the exception's `endsAtSec` (Unix seconds, UTC)
/// and checked on read (CONFLICTING_FIELDS), so a page reads only exceptions of occurrences not yet over
/// (docs/domain.md#time-attributes); it also sets the exception's expiry.
UtcTime exception_end(const SeriesInfo& s, const Exception& x);

/// The `event_series_exception` draft of `x` for series `s` (`s.key` becomes its `seriesKey`).
entities::EntityDraft exception_draft(const SeriesInfo& s, const Exception& x, const entities::BuildContext& ctx);

/// True when the series produces an occurrence whose RECURRENCE-ID is exactly `rid`.
bool is_occurrence(const SeriesInfo& s, UtcTime rid);

/// Reads a series from an `event_series` entity (raw as the SDK returns it, or parsed), without
/// deciding on trust (builders use it for the caller's own `series` input).
/// Throws MISSING_FIELD / INVALID_RRULE / INVALID_INPUT naming `field.<name>`.
SeriesInfo series_info(const Json& entity, std::string_view field);

/// The series a decoded entity describes, if it is evidence: signed by its `organizerWallet`
/// (docs/trust.md). Throws UNVERIFIED_ENTITY / CONFLICTING_FIELDS / MALFORMED_ENTITY or the field
/// errors of `series_info`, naming `field`.
entities::Verified<SeriesInfo> verify_series(const entities::EntityRecord& record, std::string_view field);

/// Parses and checks a series' recurrence text: DTSTART must be UTC or carry a TZID (a
/// meeting needs a place on the time line; floating and DATE starts are refused with
/// INVALID_RRULE naming `field`), and the TZID must be known (UNKNOWN_TIME_ZONE).
recurrence::RecurrenceSet parse_series_recurrence(std::string_view ical, std::string_view field);

/// `event_series`. Input: organizerWallet, community, title, description?, duration? (minutes),
/// videoProvider? ('jitsi' | 'none'), jitsiBaseUrl?, recurrence (iCalendar text:
/// `DTSTART;TZID=Europe/Berlin:20260105T190000\nRRULE:FREQ=WEEKLY;BYDAY=MO`, plus RDATE/EXDATE lines).
/// The rule must suit meetings (check_series_rule: EMPTY_RECURRENCE, RECURRENCE_TOO_DENSE naming
/// `input.recurrence...`).
/// Attributes: type, organizerWallet, community, title, tzid, dtstart (UTC ISO), splitFrom? (a split's
/// new series: the old one's key), spaceId, createdAt.
/// Payload: the template, templateHistory? (dated earlier templates), the canonical recurrence
/// text, organizerWallet, community, splitFrom?, createdAt.
/// expiresIn: one year after the last occurrence ends for a bounded rule (COUNT/UNTIL, at
/// least one year); one year for an unbounded one (planMaterialization plans its extension).
entities::EntityDraft build_event_series(const Input& in, const entities::BuildContext& ctx);

/// Builds the `event_series` draft of an in-memory series (used by split and propagation).
entities::EntityDraft series_draft(const SeriesInfo& s, const entities::BuildContext& ctx);

/// `event_series_exception`. Input: series, recurrenceId (the occurrence's original start,
/// ISO 8601; must be an instant the series produces, else NOT_AN_OCCURRENCE),
/// kind ('modified' | 'cancelled' | 'reinstated'), changes? ({title?, description?,
/// sessionDate?, duration?}, read by read_changes; required for 'modified'), reason?.
/// Attributes: type, seriesKey, recurrenceId (UTC ISO), kind, organizerWallet, spaceId, createdAt, and the
/// numeric endsAtSec (exception_end, Unix seconds).
/// The newest exception per (seriesKey, recurrenceId) wins, by chain position (docs/trust.md).
/// expiresIn: one year after exception_end.
entities::EntityDraft build_series_exception(const Input& in, const entities::BuildContext& ctx);

/// `event_series_follow`. Input: series, followerWallet, notifications? (default true),
/// existingFollows? (follow entities already read; a second one signed by the same wallet throws
/// ALREADY_FOLLOWING; one written in that wallet's name by another is ignored). Attributes: type, seriesKey, followerWallet, spaceId, createdAt. 1 year.
entities::EntityDraft build_series_follow(const Input& in, const entities::BuildContext& ctx);

/// A wallet's follow of a series.
struct Follow {
  std::string key;
  std::string series_key;
  entities::Wallet follower;
  bool notifications = true;
};

/// The follow a decoded `event_series_follow` entity records, if it is evidence: signed by its
/// `followerWallet` (docs/trust.md). Throws like verify_series.
entities::Verified<Follow> verify_follow(const entities::EntityRecord& record, std::string_view field);

/// The followers of `series_key` among `follows` (entities as read): one per follower wallet (the
/// newest on the chain), only follows that are evidence. Returns {count, followers: [{key,
/// followerWallet, notifications}], viewerFollow: {...}|null, ignored}.
Json followers(const Json* follows, std::string_view series_key, const std::optional<entities::Wallet>& viewer);

/// Typed view of an event_series entity for readers (template, tzid, recurrence text).
Json parse_series(Json flat, std::string_view field);

/// Millisecond instant <-> the recurrence engine's second instant.
recurrence::Instant to_rec_instant(UtcTime t);
UtcTime from_rec_instant(recurrence::Instant t);

}  // namespace convene::series
