// DID claims (core/bluesky/account_link.h, docs/bluesky.md#claims): a claim counts only when both halves
// exist — an Arkiv entity signed by the wallet naming the DID, and a walletLink record in the DID's repo
// under the wallet's key naming the wallet — and a person who RSVP'd on both sides is counted once.
#include <doctest/doctest.h>

#include "core/bluesky/account_link.h"
#include "core/bluesky/calendar.h"
#include "core/catalogue.h"
#include "core/entities/record.h"
#include "test_support.h"

using namespace convene;
using namespace convene::bluesky;
using convene::testing::ctx_at;
using convene::testing::expect_error;

namespace {
const char* kAlice = "0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const char* kMallory = "0x2222222222222222222222222222222222222222";
const char* kAliceDid = "did:plc:alice";
const char* kBobDid = "did:plc:bob";

UtcTime at(const char* iso) { return parse_iso8601(iso, "t"); }

Json link_entity(const char* wallet, const char* did, const std::string& signer, std::uint64_t block) {
  Json in = {{"wallet", wallet}, {"did", did}};
  return convene::testing::stored(catalogue::build_entity("bluesky_account_link", in, ctx_at("2026-12-01T00:00:00Z")),
                                  std::string("0xlink") + std::to_string(block), signer, block);
}

std::vector<entities::Verified<AccountLink>> verified(const std::vector<Json>& entities) {
  std::vector<entities::Verified<AccountLink>> out;
  for (const Json& e : entities) {
    try {
      out.push_back(verify_account_link(entities::decode_entity(e, "l"), "l"));
    } catch (const Error&) {
    }
  }
  return out;
}

RepoRecord repo_record(const char* did, const char* wallet) {
  const WalletLinkRecord r = wallet_link_record(entities::Wallet::parse(wallet, "w"), at("2026-12-01T10:00:00Z"));
  return {did, r.rkey, r.record};
}
}  // namespace

TEST_CASE("bluesky claims: the repo half is keyed by the wallet and names it") {
  const WalletLinkRecord r = wallet_link_record(entities::Wallet::parse("0xAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "w"), at("2026-12-01T10:00:00Z"));
  CHECK(r.collection == "app.convene.walletLink");
  CHECK(r.rkey == kAlice);
  CHECK(r.record == Json{{"$type", "app.convene.walletLink"}, {"wallet", kAlice}, {"createdAt", "2026-12-01T10:00:00.000Z"}});
}

TEST_CASE("bluesky claims: the Arkiv half is the wallet's own entity; a bad DID or wallet is refused by field") {
  expect_error([] { catalogue::build_entity("bluesky_account_link", Json{{"wallet", kAlice}, {"did", "alice.test"}}, ctx_at("2026-12-01T00:00:00Z")); },
               "INVALID_INPUT", "input.did");
  expect_error([] { catalogue::build_entity("bluesky_account_link", Json{{"wallet", "0x12"}, {"did", kAliceDid}}, ctx_at("2026-12-01T00:00:00Z")); },
               "INVALID_WALLET", "input.wallet");
  // Signed by someone else: no evidence.
  CHECK(verified({link_entity(kAlice, kAliceDid, kMallory, 5)}).empty());
  CHECK(verified({link_entity(kAlice, kAliceDid, kAlice, 5)}).size() == 1);
}

TEST_CASE("bluesky claims: both halves or nothing; the newest link of a wallet decides") {
  const auto links = verified({link_entity(kAlice, kAliceDid, kAlice, 5)});
  // Only the Arkiv half: Alice's entity could name anyone's DID.
  CHECK(verify_claims(links, {}).empty());
  // Only the repo half (Mallory's wallet named in Alice's repo, no entity of Mallory's): nothing either.
  CHECK(verify_claims(links, {repo_record(kAliceDid, kMallory)}).empty());
  // The record in another repo than the DID claimed: nothing.
  CHECK(verify_claims(links, {repo_record(kBobDid, kAlice)}).empty());
  // A record under another key than the wallet it names: nothing.
  RepoRecord moved = repo_record(kAliceDid, kAlice);
  moved.rkey = "self";
  CHECK(verify_claims(links, {moved}).empty());
  // Both halves.
  const auto claims = verify_claims(links, {repo_record(kAliceDid, kAlice)});
  REQUIRE(claims.size() == 1);
  CHECK(claims[0].did == kAliceDid);
  CHECK(claims[0].wallet.str() == kAlice);
  // Alice links another DID later: that one is her claim now, the first is over.
  const auto relinked = verified({link_entity(kAlice, kAliceDid, kAlice, 5), link_entity(kAlice, kBobDid, kAlice, 9)});
  CHECK(verify_claims(relinked, {repo_record(kAliceDid, kAlice)}).empty());
  const auto now_bob = verify_claims(relinked, {repo_record(kAliceDid, kAlice), repo_record(kBobDid, kAlice)});
  REQUIRE(now_bob.size() == 1);
  CHECK(now_bob[0].did == kBobDid);
}

TEST_CASE("bluesky claims: a person going on both sides is counted once; Bluesky-only people are listed by DID") {
  const std::string event = "at://did:plc:org/community.lexicon.calendar.event/3lbcdefghijk2";
  const auto rsvp = [&](const char* did) {
    Json j = {{"$type", "community.lexicon.calendar.rsvp"},
              {"subject", {{"uri", event}, {"cid", "bafyreib2rxk3rybk3aobmv5cjuql3bm2twh4jo5uxgf5eze3x2eswdtc7u"}}},
              {"status", "community.lexicon.calendar.rsvp#going"}};
    return parse_rsvp_record(j, did, deterministic_tid("x", did, at("2026-12-01T10:00:00Z")), "r");
  };
  const std::vector<Rsvp> rsvps = {rsvp(kAliceDid), rsvp(kBobDid)};
  const auto claims = verify_claims(verified({link_entity(kAlice, kAliceDid, kAlice, 5)}), {repo_record(kAliceDid, kAlice)});
  const std::vector<entities::Wallet> arkiv_going = {entities::Wallet::parse(kAlice, "w")};
  // Before: no claims, two Bluesky people, none known on Arkiv.
  RsvpCounts c = count_rsvps(rsvps, event);
  CHECK(c.going == 2);
  CHECK(c.also_on_arkiv == 0);
  // With Alice's claim and her Arkiv RSVP: she is the same person.
  c = count_rsvps(rsvps, event, claims, arkiv_going);
  CHECK(c.going == 2);
  CHECK(c.also_on_arkiv == 1);
  REQUIRE(c.people.size() == 2);
  CHECK(c.people[0].did == kAliceDid);
  CHECK(c.people[0].wallet.has_value());
  CHECK(c.people[0].also_on_arkiv);
  CHECK(c.people[1].did == kBobDid);
  CHECK_FALSE(c.people[1].wallet.has_value());
  // Claimed but not on Arkiv: linked, not double-counted.
  c = count_rsvps(rsvps, event, claims, {});
  CHECK(c.also_on_arkiv == 0);
  CHECK(c.people[0].wallet.has_value());
}
