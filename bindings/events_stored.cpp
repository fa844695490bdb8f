// Embind: core.events.fromEntities (docs/events.md#arkiv-arkivsink): a meeting's event records read back from the
// Arkiv entities the Arkiv sink wrote, kept only when signed by one of the meeting's allowed wallets. In the
// `events` part's module with the rest of core.events (docs/architecture.md#parts).
#include <emscripten/bind.h>

#include <set>
#include <string>

#include "bindings/guard.h"
#include "core/entities/wallet.h"
#include "core/error.h"
#include "core/events/stored.h"

using namespace convene;

namespace {

/// {entities: [entity as the SDK returns it], signers: [address, ...]} -> the records (guard_json envelope).
std::string meeting_events(std::string args) {
  return bindings::guard_json([&] {
    Json j = parse_json(args, "args");
    Input in(j, "");
    std::set<entities::Wallet> signers;
    const Json* list = in.get("signers");
    if (!list || !list->is_array()) throw Error(code::kMissingField, "options.signers", "options.signers is required (the wallets allowed to write this meeting's events)");
    for (std::size_t i = 0; i < list->size(); ++i) {
      std::string f = "options.signers[" + std::to_string(i) + "]";
      if (!(*list)[i].is_string()) throw Error(code::kInvalidType, f, f + " must be a wallet address string");
      signers.insert(entities::Wallet::parse((*list)[i].get<std::string>(), f));
    }
    return events::meeting_events_from_entities(in.get("entities"), signers);
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(convene_events_stored) { emscripten::function("events_fromEntities", &meeting_events); }
