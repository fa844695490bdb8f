// Embind: core.meetings.* (docs/meetings.md). JSON in, the guard_json envelope out.
#include <emscripten/bind.h>

#include "bindings/guard.h"
#include "core/meetings/summary.h"

using namespace convene;

namespace {
/// `records_json` = [record, ...] -> {"meetings": [...], "ignored": {...}}.
std::string summarize(std::string records_json) {
  return bindings::guard_json([&] { return meetings::summarize_json(parse_json(records_json, "records")); });
}
}  // namespace

EMSCRIPTEN_BINDINGS(convene_meetings) { emscripten::function("meetings_summarize", &summarize); }
