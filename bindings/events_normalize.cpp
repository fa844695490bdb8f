// Embind: core.events.normalize / normalizeMany / normalizeManyJson (docs/domain.md#package-surface, docs/events.md).
// All three write records with one core RecordWriter (core/events/record_writer.h).
//
// Bulk path (npm/src/events.js normalizeManyJson; normalizeMany parses its result): no
// per-event string crosses the boundary.
//   1. events_bulkInbox(count, textBytes) -> address A (4-byte aligned) of `count` int32
//      name codes (events_nameCodes()) followed by textBytes bytes of payload text.
//   2. JS writes the codes at A and the UTF-8 of JSON.stringify(payloads) at A + 4*count.
//   3. events_bulkContext(meetingId, participantId) when the context differs from the last
//      call's ("" = no participant; JS keeps the last pair, so a stream of calls for one
//      meeting passes no strings), then events_bulkRun(count, textBytes, nowMs) -> the
//      output's size in bytes, or -1 (events_bulkError() is the error envelope).
//   4. events_bulkOutput() -> address of the output `[record,...]` (UTF-8 JSON), valid
//      until the next bulk call.
// String path (events_normalizeMany(itemsJson, ...)): `[[name, payload], ...]` as JSON text,
// for names outside the code table and items that are not [name, payload] pairs; the same
// writer, so the same records and errors.
#include <emscripten/bind.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "bindings/events_common.h"
#include "core/error.h"
#include "core/events/record_writer.h"

using namespace convene;
using namespace convene::events;
using namespace convene::bindings;

namespace {

EventContext context(std::string meeting_id, std::string participant_id) {
  EventContext ctx{std::move(meeting_id), std::nullopt};
  if (!participant_id.empty()) ctx.participant_id = std::move(participant_id);
  return ctx;
}

// The module's normalizer: one id generator (ids sort in creation order across calls)
// and one writer whose buffers are reused from call to call.
struct Normalizer {
  RecordWriter writer;
  UuidV7Generator ids;
  std::vector<std::int32_t> inbox;  // codes, then payload text
  std::vector<KnownEvent> events;
  TextBuffer out;  // the bulk output, reused: no fill, no shrinking
  EventContext bulk_context{"", std::nullopt};  // events_bulkContext()
  std::string last_error;
};

Normalizer& normalizer() {
  static Normalizer n;
  return n;
}

std::string normalize_one(std::string name, std::string payload_json, std::string meeting_id,
                          std::string participant_id, double now_ms) {
  return guard_raw([&] {
    Normalizer& n = normalizer();
    const UtcTime now = now_from(now_ms);
    std::string record;
    n.writer.append(record, name, payload_json, context(std::move(meeting_id), std::move(participant_id)), now, n.ids,
                    pooled_random());
    return record;
  });
}

double bulk_inbox(double count, double text_bytes) {
  Normalizer& n = normalizer();
  const auto codes = static_cast<std::size_t>(std::clamp(count, 0.0, 16.0 * 1024 * 1024));
  const auto bytes = static_cast<std::size_t>(std::clamp(text_bytes, 0.0, 1024.0 * 1024 * 1024));
  const std::size_t words = codes + (bytes + 3) / 4;
  if (n.inbox.size() < words) n.inbox.resize(words);
  return static_cast<double>(reinterpret_cast<std::uintptr_t>(n.inbox.data()));
}

void bulk_context(std::string meeting_id, std::string participant_id) {
  normalizer().bulk_context = context(std::move(meeting_id), std::move(participant_id));
}

double bulk_run(double count, double text_bytes, double now_ms) {
  Normalizer& n = normalizer();
  try {
    const auto codes = static_cast<std::size_t>(std::clamp(count, 0.0, static_cast<double>(n.inbox.size())));
    const auto bytes = static_cast<std::size_t>(
        std::clamp(text_bytes, 0.0, static_cast<double>((n.inbox.size() - codes) * sizeof(std::int32_t))));
    const UtcTime now = now_from(now_ms);
    n.events.resize(codes);
    for (std::size_t i = 0; i < codes; ++i) {
      try {
        n.events[i] = known_event_for_code(n.inbox[i]);
      } catch (const Error& e) {
        const std::string field = "events." + std::to_string(i) + ".name";
        throw Error(e.code(), field, field + ": " + e.what());
      }
    }
    const std::string_view text(reinterpret_cast<const char*>(n.inbox.data() + codes), bytes);
    n.out.clear();
    n.writer.append_array(n.out, std::span<const KnownEvent>(n.events), text, n.bulk_context, now, n.ids,
                          pooled_random());
    return static_cast<double>(n.out.size());
  } catch (...) {
    n.out.clear();
    n.last_error = error_envelope();
    return -1;
  }
}

double bulk_output() { return static_cast<double>(reinterpret_cast<std::uintptr_t>(normalizer().out.data())); }

std::string bulk_error() { return normalizer().last_error; }

/// `items_json` = [[name, payload], ...] -> [record, ...].
std::string normalize_many(std::string items_json, std::string meeting_id, std::string participant_id, double now_ms) {
  return guard_raw([&] {
    Normalizer& n = normalizer();
    const UtcTime now = now_from(now_ms);
    const Json items = parse_json(items_json, "events");
    if (!items.is_array()) throw Error(code::kInvalidType, "events", "events must be an array of [name, payload]");
    std::vector<std::string_view> names;
    std::string payloads = "[";
    for (std::size_t i = 0; i < items.size(); ++i) {
      const Json& item = items[i];
      const std::string field = "events." + std::to_string(i);
      if (!item.is_array() || item.empty())
        throw Error(code::kInvalidType, field, field + " must be [name, payload]");
      if (!item[0].is_string())
        throw Error(code::kInvalidType, field + ".name", field + ".name must be a string");
      names.push_back(item[0].get_ref<const std::string&>());
      if (i) payloads += ',';
      payloads += item.size() > 1 ? item[1].dump(-1, ' ', false, Json::error_handler_t::replace) : "{}";
    }
    payloads += ']';
    std::string out;
    n.writer.append_array(out, names, payloads, context(std::move(meeting_id), std::move(participant_id)), now, n.ids,
                          pooled_random());
    return out;
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(convene_events_normalize) {
  emscripten::function("events_normalize", &normalize_one);
  emscripten::function("events_normalizeMany", &normalize_many);
  emscripten::function("events_bulkInbox", &bulk_inbox);
  emscripten::function("events_bulkContext", &bulk_context);
  emscripten::function("events_bulkRun", &bulk_run);
  emscripten::function("events_bulkOutput", &bulk_output);
  emscripten::function("events_bulkError", &bulk_error);
}
