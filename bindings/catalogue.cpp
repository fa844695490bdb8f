// Embind, the recurrence part: the whole entity catalogue (core/catalogue.h) under the names the main part's
// domain catalogue has (entities_build, entities_parse, entities_types), so core.entities forwards to this module
// what the main part answers with PART_NOT_LOADED (docs/architecture.md#parts). JSON in, JSON envelopes out.
#include <emscripten/bind.h>

#include "bindings/context.h"
#include "bindings/guard.h"
#include "core/catalogue.h"

using namespace convene;

namespace {

std::string build(std::string type, std::string input, std::string options) {
  return bindings::guard_json([&] {
    SodiumRandom random;
    auto ctx = bindings::build_context(parse_json(options, "options"), random);
    return catalogue::build_entity(type, parse_json(input, "input"), ctx).to_json();
  });
}

std::string parse(std::string entity) {
  return bindings::guard_json([&] { return catalogue::parse_entity(parse_json(entity, "entity")); });
}

std::string types() {
  return bindings::guard_json([&] { return Json(catalogue::entity_types()); });
}

}  // namespace

EMSCRIPTEN_BINDINGS(convene_catalogue) {
  emscripten::function("entities_build", &build);
  emscripten::function("entities_parse", &parse);
  emscripten::function("entities_types", &types);
}
