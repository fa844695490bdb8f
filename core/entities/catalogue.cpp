#include "core/entities/catalogue.h"

#include <map>

#include "core/bluesky/account_link.h"
#include "core/bluesky/publication.h"
#include "core/entities/gathering.h"
#include "core/entities/raw_entity.h"
#include "core/entities/session.h"
#include "core/entities/session_companions.h"
#include "core/entities/wallet.h"
#include "core/error.h"
#include "core/series/rsvp.h"
#include "core/series/series.h"

namespace convene::entities {
namespace {

using Builder = EntityDraft (*)(const Input&, const BuildContext&);

const std::map<std::string, Builder, std::less<>>& builders() {
  static const std::map<std::string, Builder, std::less<>> kBuilders = {
      {"session", &build_session},
      {"session_confirmation", &build_session_confirmation},
      {"session_rejection", &build_session_rejection},
      {"session_jitsi", &build_session_jitsi},
      {"session_payment_submission", &build_payment_submission},
      {"session_payment_validation", &build_payment_validation},
      {"session_txhash", &build_session_txhash},
      {"virtual_gathering", &build_virtual_gathering},
      {"virtual_gathering_txhash", &build_gathering_txhash},
      {"gathering_rsvp", &series::build_rsvp},
      {"event_series", &series::build_event_series},
      {"event_series_exception", &series::build_series_exception},
      {"event_series_follow", &series::build_series_follow},
      {"bluesky_publication", &bluesky::build_publication},
      {"bluesky_account_link", &bluesky::build_account_link},
  };
  return kBuilders;
}

// Wallet-valued fields of companion entities, lowercased on read.
constexpr std::string_view kWalletFields[] = {"mentorWallet", "learnerWallet", "organizerWallet", "confirmedBy",
                                              "rejectedBy",   "submittedBy",   "validatedBy",     "followerWallet"};

Json parse_companion(Json flat) {
  for (auto f : kWalletFields) {
    auto it = flat.find(f);
    if (it != flat.end() && it->is_string()) {
      std::string v = it->get<std::string>();
      for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      *it = v;
    }
  }
  if (auto it = flat.find("validated"); it != flat.end() && it->is_string()) *it = (*it == "true");
  return flat;
}

}  // namespace

std::vector<std::string> entity_types() {
  std::vector<std::string> out;
  for (const auto& [name, _] : builders()) out.push_back(name);
  return out;
}

EntityDraft build_entity(std::string_view type, const Json& input, const BuildContext& ctx) {
  auto it = builders().find(type);
  if (it == builders().end()) {
    std::string known;
    for (const auto& [name, _] : builders()) known += (known.empty() ? "" : ", ") + name;
    throw Error(code::kUnknownEntityType, "type", "type '" + std::string(type) + "' is not an entity Convene writes (" + known + ")");
  }
  EntityDraft draft = it->second(Input(input, "input"), ctx);
  draft.check_size("input");
  return draft;
}

Json parse_entity(const Json& entity) {
  Json flat = flatten_entity(entity, "entity");
  auto t = flat.find("type");
  if (t == flat.end() || !t->is_string() || t->get_ref<const std::string&>().empty())
    throw Error(code::kMissingField, "entity.type", "entity.type is required (the `type` attribute)");
  const std::string type = t->get<std::string>();
  if (type == "session") return parse_session(std::move(flat), "entity");
  if (type == "virtual_gathering") return parse_gathering(std::move(flat), "entity");
  if (type == "event_series") return series::parse_series(std::move(flat), "entity");
  return parse_companion(std::move(flat));
}

}  // namespace convene::entities
