// Embind: the one reading of an instant the package accepts (docs/domain.md#package-surface).
// Every surface that takes `now` — builders through bindings/context.h, the event normalizers
// through npm/src/events.js — reads it with core read_instant (core/json_input.h): an ISO 8601
// string (a date-time with an offset, or a bare date, its midnight UTC) or epoch milliseconds.
#include <emscripten/bind.h>

#include <string>

#include "bindings/guard.h"
#include "core/json_input.h"
#include "core/time.h"

namespace {

/// `value_json` (JSON text of the JS value) -> {"ok": epoch ms} or the error envelope naming `field`.
std::string instant_ms(std::string value_json, std::string field) {
  return convene::bindings::guard_json([&] {
    const convene::Json v = convene::parse_json(value_json, field);
    return static_cast<double>(convene::to_epoch_ms(convene::read_instant(v, field)));
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(convene_time) { emscripten::function("time_instantMs", &instant_ms); }
