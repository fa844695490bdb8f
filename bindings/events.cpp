// Embind: core.events.* (docs/domain.md#package-surface, docs/events.md). The batching state machine lives
// here as one WASM object per JS batcher; npm/src/events/batcher.js does the I/O.
//
// One convention, as everywhere in the bindings (guard.h): every call that can fail returns JSON
// text, {"ok": <result>} or {"error": {code, field, message}}.
//   push(name, payloadJson, meetingId, participantId, nowMs)
//     -> {"ok":{"eventId":"…","duplicate":bool,"decisions":<decisions>|null}}
//        (decisions: what the push asks of the adapter — a batch to send, a timer, drops —
//        or null when nothing changed; a duplicate's eventId is the earlier event's)
// Decisions embed the records' JSON unescaped:
//   {"send":{"id":N,"events":[<record>...]}|null, "wakeAt":ms|null,
//    "rejected":[{"status":S,"events":[...]}], "dropped":k, "flushDone":bool, "pending":n,
//    "failing":bool}
#include <emscripten/bind.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>
#include <memory>

#include "bindings/events_common.h"
#include "bindings/guard.h"
#include "core/events/batcher.h"
#include "core/events/batcher_options.h"
#include "core/events/normalize.h"

using namespace convene;
using namespace convene::events;
using convene::bindings::error_envelope;
using convene::bindings::guard_raw;
using convene::bindings::now_from;
using convene::bindings::pooled_random;

namespace {

// `failing`: the last delivery failed and its batch waits for a retry (the core's delivery policy,
// core/events/batcher.h: anything but 2xx or a final 4xx is retried); the JS layer gates the unload
// beacon on it instead of judging statuses itself.
std::string decisions_json(const Decisions& d, const Batcher& machine) {
  const std::size_t pending = machine.pending();
  std::string out = "{\"send\":";
  if (d.send) {
    out += "{\"id\":" + std::to_string(d.send->id) + ",";
    out.append(d.send->body, 1, std::string::npos);  // body is {"events":[...]}
  } else {
    out += "null";
  }
  out += ",\"wakeAt\":";
  out += d.wake_at ? std::to_string(to_epoch_ms(*d.wake_at)) : "null";
  out += ",\"rejected\":[";
  for (std::size_t i = 0; i < d.rejected.size(); ++i) {
    if (i) out += ',';
    out += "{\"status\":" + std::to_string(d.rejected[i].status) + ",\"events\":[";
    for (std::size_t j = 0; j < d.rejected[i].records.size(); ++j) {
      if (j) out += ',';
      out += d.rejected[i].records[j];
    }
    out += "]}";
  }
  out += "],\"dropped\":" + std::to_string(d.dropped);
  out += ",\"flushDone\":";
  out += d.flush_done ? "true" : "false";
  out += ",\"pending\":" + std::to_string(pending);
  out += machine.consecutive_failures() > 0 ? ",\"failing\":true}" : ",\"failing\":false}";
  return out;
}

/// One JS batcher's state machine plus the id generator of its events.
class EventsBatcher {
 public:
  /// Embind constructors cannot report errors as values: construct, then configure().
  EventsBatcher() = default;

  std::string configure(std::string options_json) {
    return bindings::guard_json([&] {
      batcher_ = std::make_unique<Batcher>(parse_batcher_options(parse_json(options_json, "options")));
      return Json(true);
    });
  }

  std::string push(std::string name, std::string payload_json, std::string meeting_id, std::string participant_id,
                   double now_ms) {
    return guard_raw([&] {
      const UtcTime now = now_from(now_ms);
      EventContext ctx{std::move(meeting_id), std::nullopt};
      if (!participant_id.empty()) ctx.participant_id = std::move(participant_id);
      const EventRecord rec = normalize_text(name, payload_json, ctx, now, ids_, pooled_random());
      PushResult r = machine().push(rec, now);
      std::string out = "{\"eventId\":\"" + r.event_id + "\",\"duplicate\":";  // a UUID: nothing to escape
      out += r.duplicate ? "true" : "false";
      out += ",\"decisions\":";
      out += r.news ? decisions_json(r.decisions, machine()) : "null";
      out += '}';
      return out;
    });
  }

  std::string tick(double now_ms) {
    return guard_raw([&] { return decisions_json(machine().tick(now_from(now_ms)), machine()); });
  }

  std::string flush(double now_ms) {
    return guard_raw([&] { return decisions_json(machine().flush(now_from(now_ms)), machine()); });
  }

  /// retry_after_s: NaN when the response had no usable Retry-After.
  std::string delivered(double batch_id, int status, double retry_after_s, double now_ms) {
    return guard_raw([&] {
      std::optional<double> ra;
      if (std::isfinite(retry_after_s) && retry_after_s >= 0) ra = retry_after_s;
      auto d = machine().delivered(static_cast<std::uint64_t>(batch_id), status, ra, now_from(now_ms), pooled_random());
      return decisions_json(d, machine());
    });
  }

  /// {"count": n, "body": "<{\"events\":[...]}>"} of the oldest queued events after the first
  /// `skip`, body <= max_bytes (Batcher::peek_front).
  std::string peekFront(double max_bytes, double skip) {
    return bindings::guard_json([&] {
      Batch b = machine().peek_front(static_cast<std::size_t>(std::max(1024.0, max_bytes)),
                                     static_cast<std::size_t>(std::max(0.0, skip)));
      return Json{{"count", b.event_ids.size()}, {"body", b.body}};
    });
  }

  std::string forgetFront(double count, double now_ms) {
    return guard_raw([&] {
      auto d = machine().forget_front(static_cast<std::size_t>(std::max(0.0, count)), now_from(now_ms));
      return decisions_json(d, machine());
    });
  }

  std::string snapshot() {
    return guard_raw([&] { return machine().snapshot(); });
  }

  std::string restore(std::string snapshot_json, double now_ms) {
    return guard_raw([&] {
      Decisions d;
      machine().restore(snapshot_json, now_from(now_ms), &d);
      return decisions_json(d, machine());
    });
  }

  double pending() const { return batcher_ ? static_cast<double>(batcher_->pending()) : 0; }
  double droppedTotal() const { return batcher_ ? static_cast<double>(batcher_->dropped_total()) : 0; }

 private:
  Batcher& machine() {
    if (!batcher_) throw Error(code::kInternal, "", "events batcher used before configure()");
    return *batcher_;
  }
  std::unique_ptr<Batcher> batcher_;
  UuidV7Generator ids_;
};

std::string catalogue() {
  return bindings::guard_json([] {
    Json out = Json::array();
    for (const auto& s : jitsi_event_catalogue()) {
      Json row = {{"jitsi", s.jitsi}, {"type", s.type}};
      if (!s.type_off.empty()) row["typeOff"] = s.type_off;
      out.push_back(std::move(row));
    }
    return out;
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(convene_events) {
  emscripten::class_<EventsBatcher>("events_Batcher")
      .constructor<>()
      .function("configure", &EventsBatcher::configure)
      .function("push", &EventsBatcher::push)
      .function("tick", &EventsBatcher::tick)
      .function("flush", &EventsBatcher::flush)
      .function("delivered", &EventsBatcher::delivered)
      .function("peekFront", &EventsBatcher::peekFront)
      .function("forgetFront", &EventsBatcher::forgetFront)
      .function("snapshot", &EventsBatcher::snapshot)
      .function("restore", &EventsBatcher::restore)
      .function("pending", &EventsBatcher::pending)
      .function("droppedTotal", &EventsBatcher::droppedTotal);
  emscripten::function("events_catalogue", &catalogue);
}
