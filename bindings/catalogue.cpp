// Embind, the recurrence part: the whole entity catalogue (core/catalogue.h) under the names the main part's
// domain catalogue has (bindings/catalogue_calls.h), so core.entities calls this module for what the main part
// answers with PART_NOT_LOADED (docs/architecture.md#parts).
#include <emscripten/bind.h>

#include "bindings/catalogue_calls.h"
#include "core/catalogue.h"

using namespace convene;

EMSCRIPTEN_BINDINGS(convene_catalogue) {
  emscripten::function("entities_build", &bindings::build_entity_call<&catalogue::build_entity>);
  emscripten::function("entities_parse", &bindings::parse_entity_call<&catalogue::parse_entity>);
  emscripten::function("entities_types", &bindings::entity_types_call<&catalogue::entity_types>);
}
