// convene/bindings/catalogue_calls.h — entities_build / entities_parse / entities_types over one entity catalogue.
// The main part binds them over the domain catalogue (core/entities/catalogue.h, bindings/entities.cpp), the
// recurrence part over the whole one (core/catalogue.h, bindings/catalogue.cpp), under the same names, so
// core.entities calls either module the same way (docs/architecture.md#parts). JSON in, JSON envelopes out.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bindings/context.h"
#include "bindings/guard.h"
#include "core/entities/draft.h"
#include "core/json_input.h"
#include "core/random.h"

namespace convene::bindings {

/// entities_build(type, input JSON, options JSON {now, spaceId}): the draft's JSON, built by `Build`.
template <entities::EntityDraft (*Build)(std::string_view, const Json&, const entities::BuildContext&)>
std::string build_entity_call(std::string type, std::string input, std::string options) {
  return guard_json([&] {
    SodiumRandom random;
    auto ctx = build_context(parse_json(options, "options"), random);
    return Build(type, parse_json(input, "input"), ctx).to_json();
  });
}

/// entities_parse(entity JSON): the typed plain object `Parse` reads.
template <Json (*Parse)(const Json&)>
std::string parse_entity_call(std::string entity) {
  return guard_json([&] { return Parse(parse_json(entity, "entity")); });
}

/// entities_types(): the type names `Types` lists.
template <std::vector<std::string> (*Types)()>
std::string entity_types_call() {
  return guard_json([&] { return Json(Types()); });
}

}  // namespace convene::bindings
