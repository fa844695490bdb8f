// convene/bindings/events_common.h — what the events bindings share: the module's one
// pooled random source and the `now` argument.
#pragma once

#include <string>
#include <string_view>

#include "bindings/guard.h"
#include "core/events/jitsi_events.h"
#include "core/events/uuid7.h"
#include "core/time.h"

namespace convene::bindings {

/// The module's random source for event ids: libsodium behind a 64 KiB pool (uuid7.h).
Random& pooled_random();

/// `now` in epoch milliseconds -> UtcTime; Error{INVALID_DATE, "now"} when out of range.
UtcTime now_from(double ms);

/// The error envelope of the exception being handled, as JSON text (guard.h).
inline std::string error_envelope() {
  return guard_error([](Json err) { return Json{{"error", std::move(err)}}; })
      .dump(-1, ' ', false, Json::error_handler_t::replace);
}

/// guard_json() for a body that already returns JSON text: {"ok":<text>} or the error envelope.
template <class F>
std::string guard_raw(F&& body) {
  try {
    return "{\"ok\":" + body() + "}";
  } catch (...) {
    return error_envelope();
  }
}

}  // namespace convene::bindings
