#include "core/entities/catalogue.h"

#include <algorithm>
#include <map>

#include "core/entities/gathering.h"
#include "core/entities/raw_entity.h"
#include "core/entities/session.h"
#include "core/entities/session_companions.h"
#include "core/entities/wallet.h"
#include "core/error.h"

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
      {"gathering_rsvp", &build_domain_rsvp},
  };
  return kBuilders;
}

/// Throws PART_NOT_LOADED naming `field`: `what` (a sentence's subject that names the field) is the
/// recurrence part's to build or parse.
[[noreturn]] void other_part(const std::string& what, std::string field) {
  throw Error(code::kPartNotLoaded, std::move(field),
              what + " is read in the \"recurrence\" part, which this module does not hold (docs/architecture.md#parts)");
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

const std::vector<std::string>& recurrence_part_types() {
  static const std::vector<std::string> kTypes = {"bluesky_account_link", "bluesky_publication", "event_series",
                                                  "event_series_exception", "event_series_follow"};
  return kTypes;
}

EntityDraft build_domain_rsvp(const Input& in, const BuildContext& ctx) {
  if (in.has("series") && !in.has("gathering")) other_part(in.field("series") + " (an RSVP to an occurrence of a series)", in.field("series"));
  return build_gathering_rsvp(in, ctx);
}

std::vector<std::string> entity_types() {
  std::vector<std::string> out;
  for (const auto& [name, _] : builders()) out.push_back(name);
  return out;
}

EntityDraft build_entity(std::string_view type, const Json& input, const BuildContext& ctx) {
  auto it = builders().find(type);
  if (it == builders().end()) {
    const auto& others = recurrence_part_types();
    if (std::find(others.begin(), others.end(), type) != others.end()) other_part("type '" + std::string(type) + "'", "type");
    std::string known;
    for (const auto& [name, _] : builders()) known += (known.empty() ? "" : ", ") + name;
    for (const auto& name : others) known += ", " + name;
    throw Error(code::kUnknownEntityType, "type", "type '" + std::string(type) + "' is not an entity Convene writes (" + known + ")");
  }
  EntityDraft draft = it->second(Input(input, "input"), ctx);
  draft.check_size("input");
  return draft;
}

Json parse_entity(const Json& entity) { return parse_flat_entity(flatten_entity(entity, "entity")); }

Json parse_flat_entity(Json flat) {
  auto t = flat.find("type");
  if (t == flat.end() || !t->is_string() || t->get_ref<const std::string&>().empty())
    throw Error(code::kMissingField, "entity.type", "entity.type is required (the `type` attribute)");
  const std::string type = t->get<std::string>();
  if (type == "session") return parse_session(std::move(flat), "entity");
  if (type == "virtual_gathering") return parse_gathering(std::move(flat), "entity");
  if (type == "event_series") other_part("entity.type 'event_series' (its rule)", "entity.type");
  return parse_companion(std::move(flat));
}

}  // namespace convene::entities
