// convene/bindings/events_common.h — what the events bindings share: the module's one
// pooled random source and the `now` argument; and js_text(), which the meetings folds use too.
#pragma once

#include <string>
#include <string_view>

#include <emscripten/val.h>

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

/// `text` (UTF-8 JSON, an envelope) as a JS string, decoded by the host's TextDecoder from a view of
/// linear memory. The same text a std::string return gives, without its cost: Emscripten 3.1.6's
/// std::string return reads every byte twice in JS (a scan for NULs, then UTF8ToString's own scan)
/// before decoding, about 10x the decode for a batch of records (bench/events.bench.js,
/// docs/events.md#performance). For the batcher's calls, whose results carry the batches, and the
/// meetings folds' add calls, whose results carry meeting summaries (bindings/meetings.cpp).
emscripten::val js_text(const std::string& text);

/// guard_raw() for a body that appends its result's JSON text to `out`: the envelope is written
/// around it in the one buffer (no copy of the result). Same envelopes as guard_raw().
template <class F>
std::string guard_append(F&& body) {
  try {
    std::string out = "{\"ok\":";
    body(out);
    out += '}';
    return out;
  } catch (...) {
    return error_envelope();
  }
}

}  // namespace convene::bindings
