// convene/core/bluesky/account_link.h — a wallet and a Bluesky DID claimed as one person, by a mutual link.
//
// A wallet holder claims a DID (docs/bluesky.md#claims) with two halves, each of which only its own
// owner can write:
// - on Arkiv, a `bluesky_account_link` entity signed by the wallet, naming the DID;
// - in the DID's repo, an `app.convene.walletLink` record under the record key = the wallet (lowercase
//   0x address), naming the wallet (schema: lexicons/app/convene/walletLink.json).
// A claim counts only when both halves exist: the entity alone could name anyone's DID, the record alone
// anyone's wallet. Then a person's RSVPs on Arkiv and on Bluesky are one person's (count_rsvps).
// Pure: no I/O; the clock is a parameter.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/entities/draft.h"
#include "core/entities/record.h"
#include "core/entities/verified.h"
#include "core/entities/wallet.h"
#include "core/json_input.h"
#include "core/time.h"

namespace convene::bluesky {

/// The NSID of the repo half (Convene's own lexicon, kept in lexicons/app/convene/walletLink.json).
inline constexpr std::string_view kWalletLinkNsid = "app.convene.walletLink";

/// The repo half of a claim, for `com.atproto.repo.putRecord`: its collection, its record key (the wallet,
/// lowercase) and the record `{ $type, wallet, createdAt }` (createdAt RFC 3339 UTC with milliseconds).
struct WalletLinkRecord {
  std::string collection;
  std::string rkey;
  Json record;
};
WalletLinkRecord wallet_link_record(const entities::Wallet& wallet, UtcTime created_at);

/// `bluesky_account_link`. Input: wallet, did (did:plc:… or did:web:…). Attributes: type, spaceId, wallet,
/// did, createdAt; empty payload. Signed by `wallet` (docs/trust.md). Expires in one year; linking again renews it.
/// Throws INVALID_WALLET (`input.wallet`), INVALID_INPUT (`input.did`: not a DID), MISSING_FIELD.
entities::EntityDraft build_account_link(const Input& in, const entities::BuildContext& ctx);

/// What a `bluesky_account_link` entity says: `wallet` claims `did`.
struct AccountLink {
  std::string key;  ///< entityKey
  entities::Wallet wallet;
  std::string did;
};

/// The link an entity records, if it is evidence: signed by its `wallet`. Throws UNVERIFIED_ENTITY /
/// MALFORMED_ENTITY naming `field`.
entities::Verified<AccountLink> verify_account_link(const entities::EntityRecord& record, std::string_view field);

/// A record as listed from a repo (`com.atproto.repo.listRecords`): the repo's DID, the record key, the value.
struct RepoRecord {
  std::string did;
  std::string rkey;
  Json value;
};

/// A DID and a wallet that are one person.
struct Claim {
  entities::Wallet wallet;
  std::string did;
  friend bool operator==(const Claim&, const Claim&) = default;
};

/// The claims whose two halves exist: for each wallet its newest link on the chain (a wallet claims one
/// DID at a time), kept when repo `did` holds a walletLink record under the wallet's key whose `wallet` is
/// that wallet. One DID claimed by several wallets: the newest link wins, the others are dropped.
/// Records of other collections or that are not valid walletLink records are passed over. Sorted by DID.
std::vector<Claim> verify_claims(const std::vector<entities::Verified<AccountLink>>& links, const std::vector<RepoRecord>& records);

}  // namespace convene::bluesky
