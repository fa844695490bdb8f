// Embind: core.events.* (docs/domain.md#package-surface, docs/events.md). The batching state machine lives
// here as one WASM object per JS batcher; npm/src/events/batcher.js does the I/O.
//
// Hot path (pushEncoded): no strings cross the boundary. The adapter sets the meeting
// context once (setContext), writes the payload's UTF-8 JSON into the batcher's inbox
// (TextEncoder.encodeInto into linear memory at inbox()), names the event by its
// code (nameCodes()), and reads the 36-character eventId from outbox(). Result:
//   0  queued, nothing for the adapter to do
//   1  queued, call takeDecisions()
//   2  duplicate of an earlier event (outbox holds the earlier id), nothing queued
//  -1  error: lastError() is the guard_json error envelope
// push() is the same with strings (any event name; the adapter's fallback):
//   "<eventId>" | "!<eventId>" | "=<eventId>" | "{...}" error envelope
// Decisions travel as JSON text; batches embed the records' JSON unescaped:
//   {"send":{"id":N,"events":[<record>...]}|null, "wakeAt":ms|null,
//    "rejected":[{"status":S,"events":[...]}], "dropped":k, "flushDone":bool, "pending":n}
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
using convene::bindings::name_for_code;
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
    try {
      const UtcTime now = now_from(now_ms);
      EventContext ctx{std::move(meeting_id), std::nullopt};
      if (!participant_id.empty()) ctx.participant_id = std::move(participant_id);
      EventRecord rec = normalize_text(name, payload_json, ctx, now, ids_, pooled_random());
      PushResult r = machine().push(rec, now);
      if (r.duplicate) return "=" + r.event_id;
      if (r.news) {
        stash(std::move(r.decisions));
        return "!" + r.event_id;
      }
      return r.event_id;
    } catch (...) {
      return error_envelope();
    }
  }

  /// Address (in linear memory) of a buffer of at least `min_bytes` for pushEncoded()'s payload.
  /// Stable until the next inbox() call that asks for more.
  double inbox(double min_bytes) {
    const std::size_t want = static_cast<std::size_t>(std::clamp(min_bytes, 256.0, 64.0 * 1024 * 1024));
    if (inbox_.size() < want) inbox_.resize(want);
    return static_cast<double>(reinterpret_cast<std::uintptr_t>(inbox_.data()));
  }

  /// Address of the 36 bytes where pushEncoded() writes the eventId (ASCII).
  double outbox() const { return static_cast<double>(reinterpret_cast<std::uintptr_t>(outbox_.data())); }

  /// The meeting and local participant of the events that follow (empty participant: none).
  void setContext(std::string meeting_id, std::string participant_id) {
    ctx_.meeting_id = std::move(meeting_id);
    if (participant_id.empty()) ctx_.participant_id.reset();
    else ctx_.participant_id = std::move(participant_id);
  }

  /// push() of the event `name_code` (nameCodes()) whose payload is the first `payload_bytes`
  /// bytes of the inbox (0: no payload), in the context of setContext(). Codes above.
  int pushEncoded(int name_code, double payload_bytes, double now_ms) {
    try {
      const std::string_view name = name_for_code(name_code);
      const std::size_t n = static_cast<std::size_t>(std::clamp(payload_bytes, 0.0, static_cast<double>(inbox_.size())));
      const UtcTime now = now_from(now_ms);
      EventRecord rec = normalize_text(name, std::string_view(inbox_.data(), n), ctx_, now, ids_, pooled_random());
      PushResult r = machine().push(rec, now);
      write_outbox(r.event_id);
      if (r.duplicate) return 2;
      if (r.news) {
        stash(std::move(r.decisions));
        return 1;
      }
      return 0;
    } catch (...) {
      last_error_ = error_envelope();
      return -1;
    }
  }

  /// The error envelope of the last pushEncoded() that returned -1.
  std::string lastError() const { return last_error_; }

  /// Decisions accumulated by push() since the last call (merged).
  std::string takeDecisions() {
    return guard_raw([&] {
      Decisions d = std::move(stash_);
      stash_ = Decisions{};
      has_stash_ = false;
      return decisions_json(d, machine());
    });
  }

  std::string tick(double now_ms) {
    return guard_raw([&] { return decisions_json(merge(machine().tick(now_from(now_ms))), machine()); });
  }

  std::string flush(double now_ms) {
    return guard_raw([&] { return decisions_json(merge(machine().flush(now_from(now_ms))), machine()); });
  }

  /// retry_after_s: NaN when the response had no usable Retry-After.
  std::string delivered(double batch_id, int status, double retry_after_s, double now_ms) {
    return guard_raw([&] {
      std::optional<double> ra;
      if (std::isfinite(retry_after_s) && retry_after_s >= 0) ra = retry_after_s;
      auto d = machine().delivered(static_cast<std::uint64_t>(batch_id), status, ra, now_from(now_ms), pooled_random());
      return decisions_json(merge(std::move(d)), machine());
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
      return decisions_json(merge(std::move(d)), machine());
    });
  }

  std::string snapshot() {
    return guard_raw([&] { return machine().snapshot(); });
  }

  std::string restore(std::string snapshot_json, double now_ms) {
    return guard_raw([&] {
      Decisions d;
      machine().restore(snapshot_json, now_from(now_ms), &d);
      return decisions_json(merge(std::move(d)), machine());
    });
  }

  double pending() const { return batcher_ ? static_cast<double>(batcher_->pending()) : 0; }
  double droppedTotal() const { return batcher_ ? static_cast<double>(batcher_->dropped_total()) : 0; }

 private:
  Batcher& machine() {
    if (!batcher_) throw Error(code::kInternal, "", "events batcher used before configure()");
    return *batcher_;
  }
  void stash(Decisions d) {
    stash_ = merge(std::move(d));
    has_stash_ = true;
  }
  /// Folds pending push() decisions into `d` so nothing reported by a push is lost.
  Decisions merge(Decisions d) {
    if (!has_stash_) return d;
    if (!d.send && stash_.send) d.send = std::move(stash_.send);
    for (auto& r : stash_.rejected) d.rejected.push_back(std::move(r));
    d.dropped += stash_.dropped;
    d.flush_done = d.flush_done || stash_.flush_done;
    stash_ = Decisions{};
    has_stash_ = false;
    return d;
  }

  void write_outbox(const std::string& id) {
    outbox_.fill(' ');
    std::copy_n(id.data(), std::min(id.size(), outbox_.size()), outbox_.data());
  }

  std::unique_ptr<Batcher> batcher_;
  UuidV7Generator ids_;
  EventContext ctx_;
  std::vector<char> inbox_;
  std::array<char, 36> outbox_{};
  std::string last_error_;
  Decisions stash_;
  bool has_stash_ = false;
};

/// {"<name>": code, ...} for every name pushEncoded() accepts (name_for_code()).
std::string name_codes() {
  return guard_raw([] { return bindings::name_codes_json(); });
}

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
      .function("inbox", &EventsBatcher::inbox)
      .function("outbox", &EventsBatcher::outbox)
      .function("setContext", &EventsBatcher::setContext)
      .function("pushEncoded", &EventsBatcher::pushEncoded)
      .function("lastError", &EventsBatcher::lastError)
      .function("takeDecisions", &EventsBatcher::takeDecisions)
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
  emscripten::function("events_nameCodes", &name_codes);
}
