// convene/core/bluesky/account_link.cpp — see account_link.h.
#include "core/bluesky/account_link.h"

#include <map>

#include "core/entities/expiry.h"
#include "core/error.h"

namespace convene::bluesky {
namespace {

/// A DID as ATProto writes it: "did:" + a lowercase method + ":" + an identifier of at most 2 KB
/// (the DID spec's syntax, as the ATProto docs restrict it).
bool is_did(std::string_view s) {
  if (s.size() < 7 || s.size() > 2048 || s.substr(0, 4) != "did:") return false;
  const auto colon = s.find(':', 4);
  if (colon == std::string_view::npos || colon == 4 || colon + 1 == s.size()) return false;
  for (std::size_t i = 4; i < colon; ++i)
    if (s[i] < 'a' || s[i] > 'z') return false;
  for (std::size_t i = colon + 1; i < s.size(); ++i) {
    const char c = s[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' ||
                    c == ':' || c == '%';
    if (!ok) return false;
  }
  return s.back() != ':';
}

std::string checked_did(const Input& in) {
  std::string did = in.str("did");
  if (!is_did(did)) throw Error(code::kInvalidInput, in.field("did"), in.field("did") + " must be a DID (did:plc:…, did:web:…)");
  return did;
}

}  // namespace

WalletLinkRecord wallet_link_record(const entities::Wallet& wallet, UtcTime created_at) {
  return {std::string(kWalletLinkNsid), wallet.str(),
          Json{{"$type", std::string(kWalletLinkNsid)}, {"wallet", wallet.str()}, {"createdAt", format_iso8601(created_at)}}};
}

entities::EntityDraft build_account_link(const Input& in, const entities::BuildContext& ctx) {
  const auto wallet = entities::Wallet::parse(in.str("wallet"), in.field("wallet"));
  const std::string did = checked_did(in);
  entities::EntityDraft d;
  d.expires_in = entities::kGatheringTtlSeconds;
  d.attr("type", "bluesky_account_link");
  d.attr("spaceId", ctx.space_id);
  d.attr("wallet", wallet.str());
  d.attr("did", did);
  d.attr("createdAt", format_iso8601(ctx.now));
  return d;
}

entities::Verified<AccountLink> verify_account_link(const entities::EntityRecord& record, std::string_view field) {
  Json flat = record.merged(field);
  const Input in(flat, std::string(field));
  AccountLink link{.key = record.key, .wallet = entities::Wallet::parse(in.str("wallet"), in.field("wallet")), .did = {}};
  link.did = in.str("did");
  if (!is_did(link.did)) throw Error(code::kMalformedEntity, in.field("did"), in.field("did") + " is not a DID");
  const entities::Wallet wallet = link.wallet;
  return entities::SignerCheck::require(std::move(link), record.provenance, {&wallet}, field);
}

std::vector<Claim> verify_claims(const std::vector<entities::Verified<AccountLink>>& links, const std::vector<RepoRecord>& records) {
  // The newest link per wallet.
  std::map<entities::Wallet, const entities::Verified<AccountLink>*> by_wallet;
  for (const auto& l : links) {
    auto& slot = by_wallet[l->wallet];
    if (!slot || l.newer_than(*slot)) slot = &l;
  }
  // Repo halves: (did, wallet) pairs whose record sits under the wallet's key and names it.
  std::map<std::pair<std::string, std::string>, bool> repo_half;
  for (const RepoRecord& r : records) {
    if (!r.value.is_object()) continue;
    const auto t = r.value.find("$type");
    const auto w = r.value.find("wallet");
    if (t == r.value.end() || !t->is_string() || t->get_ref<const std::string&>() != kWalletLinkNsid) continue;
    if (w == r.value.end() || !w->is_string()) continue;
    const auto wallet = entities::Wallet::try_parse(w->get_ref<const std::string&>());
    if (!wallet || wallet->str() != r.rkey) continue;
    repo_half[{r.did, wallet->str()}] = true;
  }
  // One DID claimed by several wallets: the newest link.
  std::map<std::string, const entities::Verified<AccountLink>*> by_did;
  for (const auto& [wallet, l] : by_wallet) {
    if (!repo_half.count({(*l)->did, wallet.str()})) continue;
    auto& slot = by_did[(*l)->did];
    if (!slot || l->newer_than(*slot)) slot = l;
  }
  std::vector<Claim> out;
  for (const auto& [did, l] : by_did) out.push_back({(*l)->wallet, did});
  return out;
}

}  // namespace convene::bluesky
