// convene/core/bluesky/publication.h — where Convene's events on Bluesky are, and what to publish next
// (docs/bluesky.md#publishing-state).
//
// Bluesky has no recurrence, so a series is published one occurrence at a time: the occurrence that has
// not ended yet (the one running, else the next one), with a link to the series page; the record of an
// occurrence that ended stays as the completed past (someone's RSVP may point at it) and is never deleted.
// What Convene published lives on Arkiv as the organizer's own `bluesky_publication` entity (at-uri, CID,
// record key, and a digest of the record), so any device and the steward continue where another stopped:
// an occurrence whose record would now read differently (moved, cancelled, retitled) is updated with
// `swapRecord` = the stored CID. Pure: the clock is a parameter; no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bluesky/calendar.h"
#include "core/entities/draft.h"
#include "core/entities/record.h"
#include "core/entities/verified.h"
#include "core/json_input.h"
#include "core/series/occurrences.h"
#include "core/time.h"

namespace convene::bluesky {

/// One record Convene published, as its `bluesky_publication` entity holds it.
struct PublishedRecord {
  std::string key;                        ///< entityKey of the bluesky_publication entity
  entities::Wallet organizer;             ///< who published (the entity's signer)
  std::string series_key;                 ///< "" for a standalone gathering
  std::optional<UtcTime> recurrence_id;   ///< the occurrence's RECURRENCE-ID (with series_key)
  std::string gathering_key;              ///< the gathering's key ("" for an occurrence not materialized)
  std::string did, uri, cid, rkey;        ///< the repo, the record's at-uri and CID, its record key (a TID)
  UtcTime record_created_at{};            ///< the record's `createdAt` (kept on every update)
  std::string digest;                     ///< record_digest of the record as written
};

/// Lowercase hex SHA-256 of an event record with `createdAt` set aside (nlohmann's dump: members sorted),
/// so two builds of the same meeting compare equal whenever they were first published.
std::string record_digest(const Json& record);

/// The event of a series occurrence: name, description and times as the occurrence now reads (its
/// template, then its exception), #cancelled (no join link) when cancelled, #rescheduled when its start
/// is not its RECURRENCE-ID, else #scheduled; the join link as a `#uri` location; `page_url` (the
/// series page) in `uris`; createdAt `created_at`.
/// Throws what event_record throws for a page URL that is not an absolute URI (`event.uris.0.uri`).
CalendarEvent occurrence_event(const series::Occurrence& o, std::string_view page_url, UtcTime created_at);

/// `bluesky_publication`. Input: organizerWallet, did, uri (at-uri of the record), cid, record (the
/// event record as written: checked against the lexicon, its createdAt and digest kept), and either
/// seriesKey + recurrenceId (an occurrence; gatheringKey optional) or gatheringKey (a standalone
/// gathering). Attributes: type, spaceId, organizerWallet, did, seriesKey?, recurrenceId?, gatheringKey?,
/// createdAt; payload: uri, cid, rkey, recordCreatedAt, digest. Expires with a gathering (1 year).
/// Throws INVALID_INPUT naming `input.uri` when the at-uri is not at://<did>/community.lexicon.calendar.event/<TID>,
/// MISSING_FIELD for a subject missing, the lexicon's errors for the record (`input.record.*`).
entities::EntityDraft build_publication(const Input& in, const entities::BuildContext& ctx);

/// The publication a `bluesky_publication` entity records, if it is evidence: signed by its
/// organizerWallet (docs/trust.md). Throws UNVERIFIED_ENTITY / MALFORMED_ENTITY naming `field`.
entities::Verified<PublishedRecord> verify_publication(const entities::EntityRecord& record, std::string_view field);

/// One step of publishing a series.
struct PublishAction {
  enum class Kind { Create, Update };
  Kind kind = Kind::Create;
  series::Occurrence occurrence;
  std::string rkey;                       ///< where to put the record
  Json record;                            ///< the record to write (createdAt: now for a create, kept for an update)
  std::string digest;                     ///< record_digest(record), for the publication entity
  std::optional<PublishedRecord> previous;  ///< for an update: what was published (its cid is the swapRecord)
};

struct PublicationPlan {
  std::vector<PublishAction> actions;     ///< updates (ascending RECURRENCE-ID), then the create, if any
  /// Published occurrences the series no longer produces (its rule changed, or it was split): left as
  /// they are, reported.
  std::vector<PublishedRecord> orphaned;
};

/// What to do now for series `st`, given its publications (`published`: any; those of other series or
/// organizers are passed over; for one RECURRENCE-ID the newest on the chain counts):
/// - update every published occurrence whose record would now read differently (record_digest differs):
///   moved, cancelled, reinstated, retitled — whether or not it has ended;
/// - create the record of the current occurrence (the first not cancelled that has not ended at `now`) if
///   it has none: one occurrence at a time, the next one once the previous has ended.
/// `page_url`: the series page (in `uris`); `now` UTC.
PublicationPlan plan_series_publication(const series::SeriesState& st, const std::vector<entities::Verified<PublishedRecord>>& published,
                                        UtcTime now, std::string_view page_url);

}  // namespace convene::bluesky
