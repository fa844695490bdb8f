// convene/core/series/head.h — what the domain core reads of a series: who organizes it and which
// series it continues (docs/domain.md#event-series, docs/architecture.md#parts).
//
// The gatherings list and the RSVP readers need two facts of a series, and neither depends on its
// rule: its organizer (the wallet that must have signed its gatherings) and its `splitFrom` link.
// Reading them here, without parsing the recurrence set, keeps recurrence and the time-zone database
// out of the domain core's module: the rule is checked where the series is expanded (series.h,
// occurrences.h), in the recurrence part.
#pragma once

#include <string>
#include <string_view>

#include "core/entities/gathering.h"
#include "core/entities/record.h"
#include "core/entities/verified.h"
#include "core/entities/wallet.h"
#include "core/json_input.h"

namespace convene::series {

/// A series' key, organizer and `splitFrom` ("" for none), as signed.
struct SeriesHead {
  std::string key;
  entities::Wallet organizer;
  std::string split_from;
};

/// The head of the event_series `record`: `organizerWallet` (required, a wallet) must be the
/// signer (docs/trust.md); `recurrence` must be present as a string, but is not parsed. Throws
/// UNVERIFIED_ENTITY, CONFLICTING_FIELDS (attributes and payload disagree), MISSING_FIELD /
/// INVALID_TYPE / INVALID_WALLET naming `field`.
entities::Verified<SeriesHead> verify_series_head(const entities::EntityRecord& record, std::string_view field);

/// The verified split links among `series` (event_series entities as read): new key -> `splitFrom`,
/// kept only when both series are evidence (signed by their organizers) with the same organizer.
/// Series that are no evidence are passed over. Throws INVALID_TYPE naming `field` when `series`
/// is not an array.
entities::SplitLinks split_links(const Json* series, std::string_view field = "series");

}  // namespace convene::series
