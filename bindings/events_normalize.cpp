// Embind: core.events.normalize / normalizeMany (docs/domain.md#package-surface, docs/events.md).
// Both return the envelope of guard.h: {"ok": <record> | [<record>, ...]} or {"error": {...}}.
// One definition of a record: core/events/normalize.h (normalize_text parses the payload text,
// then normalize() decides); the records' text is to_json_text (core/events/record.h).
#include <emscripten/bind.h>

#include <string>

#include "bindings/events_common.h"
#include "core/error.h"
#include "core/events/normalize.h"
#include "core/events/record.h"

using namespace convene;
using namespace convene::events;
using namespace convene::bindings;

namespace {

EventContext context(std::string meeting_id, std::string participant_id) {
  EventContext ctx{std::move(meeting_id), std::nullopt};
  if (!participant_id.empty()) ctx.participant_id = std::move(participant_id);
  return ctx;
}

// The module's id generator: ids sort in creation order across calls.
UuidV7Generator& ids() {
  static UuidV7Generator g;
  return g;
}

std::string normalize_one(std::string name, std::string payload_json, std::string meeting_id,
                          std::string participant_id, double now_ms) {
  return guard_raw([&] {
    const UtcTime now = now_from(now_ms);
    return to_json_text(normalize_text(name, payload_json, context(std::move(meeting_id), std::move(participant_id)),
                                       now, ids(), pooled_random()));
  });
}

/// `items_json` = [[name, payload], ...] -> [record, ...]; an error names the item (`events.<i>…`).
std::string normalize_many(std::string items_json, std::string meeting_id, std::string participant_id, double now_ms) {
  return guard_raw([&] {
    const UtcTime now = now_from(now_ms);
    const EventContext ctx = context(std::move(meeting_id), std::move(participant_id));
    const Json items = parse_json(items_json, "events");
    if (!items.is_array()) throw Error(code::kInvalidType, "events", "events must be an array of [name, payload]");
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) {
      const Json& item = items[i];
      const std::string field = "events." + std::to_string(i);
      if (!item.is_array() || item.empty()) throw Error(code::kInvalidType, field, field + " must be [name, payload]");
      if (!item[0].is_string()) throw Error(code::kInvalidType, field + ".name", field + ".name must be a string");
      try {
        const EventRecord r = normalize(item[0].get_ref<const std::string&>(), item.size() > 1 ? item[1] : Json::object(),
                                        ctx, now, ids(), pooled_random());
        if (i) out += ',';
        out += to_json_text(r);
      } catch (const Error& e) {
        // Context errors name the context; an item's own error names the item.
        if (e.field().rfind("ctx.", 0) == 0) throw;
        const std::string f = e.field().empty() ? field : field + "." + e.field();
        throw Error(e.code(), f, f + ": " + e.what());
      }
    }
    out += ']';
    return out;
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(convene_events_normalize) {
  emscripten::function("events_normalize", &normalize_one);
  emscripten::function("events_normalizeMany", &normalize_many);
}
