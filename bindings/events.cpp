// Embind: core.events.* (docs/domain.md#package-surface, docs/events.md). The batching state machine lives
// here as one WASM object per JS batcher; npm/src/events/batcher.js does the I/O.
//
// One convention, as everywhere in the bindings (guard.h): every call that can fail returns JSON
// text, {"ok": <result>} or {"error": {code, field, message}}.
//   setContext(meetingId, participantId)   the context of the following pushes ("" = no participant);
//        cannot fail: push checks it, as normalize() does (errors name ctx.meetingId / ctx.participantId)
//   ioView(bytes) -> a Uint8Array view of the batcher's I/O buffer, at least `bytes` long. push() reads its
//        name and payload text from it (UTF-8, written by TextEncoder.encodeInto) and writes its envelope back
//        into it, instead of taking std::string arguments and returning a string (embind copies each argument
//        through a malloc, a byte loop and a free; a returned string is a call back into JS per push:
//        docs/events.md#performance). The view detaches when memory grows, and the buffer moves when an
//        envelope outgrows it: ask again whenever push's length exceeds the view's (a detached view's is 0),
//        and after a push that grew it past 256 KiB (ioView(0) then gives the memory back).
//   push(nameBytes, payloadBytes, nowMs) -> the byte length of its envelope, at the start of the I/O buffer.
//        Reads the name from the buffer's first `nameBytes` bytes and the payload's JSON text from the
//        `payloadBytes` after them (0 = no payload). The envelope:
//     -> {"ok":"<eventId>"} when the event was queued and asks nothing of the adapter (most pushes), else
//        {"ok":{"eventId":"…","duplicate":bool,"decisions":<decisions>|null}}
//        (decisions: what the push asks of the adapter — a batch to send, a timer, drops —
//        or null when nothing changed; a duplicate's eventId is the earlier event's)
// Decisions (append_decisions below) embed the records' JSON unescaped and leave out what asks nothing:
//   {"wakeAt":ms|null, "pending":n, "failing":bool
//    [, "send":{"id":N,"events":[<record>...]}] [, "rejected":[{"status":S,"events":[...]}]]
//    [, "dropped":k] [, "flushDone":true]}
// The calls whose results can carry batches (push, tick, flush, delivered, forgetFront, snapshot,
// restore) hand their text to JS through js_text() (events_common.h): the same string, decoded by
// TextDecoder instead of embind's byte-by-byte std::string read.
#include <emscripten/bind.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <vector>
#include <memory>
#include <new>
#include <string_view>

#include "bindings/events_common.h"
#include "bindings/guard.h"
#include "core/events/batcher.h"
#include "core/events/batcher_options.h"
#include "core/events/normalize.h"

using namespace convene;
using namespace convene::events;
using convene::bindings::error_envelope;
using convene::bindings::guard_append;
using convene::bindings::guard_raw;
using convene::bindings::js_text;
using convene::bindings::now_from;
using convene::bindings::pooled_random;

namespace {

/// `n` in decimal appended to `out` (no temporary string).
template <class N>
void append_number(std::string& out, N n) {
  char buf[24];
  const auto res = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, res.ptr);
}

// Decisions as JSON text, members left out when they ask nothing (most calls ask for nothing but
// a timer): {"wakeAt":ms|null,"pending":n,"failing":bool} plus, only when there is one,
// "send":{"id":N,"events":[<record>...]}, "rejected":[{"status":S,"events":[...]}], "dropped":k,
// "flushDone":true. Records are embedded unescaped.
// `failing`: the last delivery failed and its batch waits for a retry (the core's delivery policy,
// core/events/batcher.h: anything but 2xx or a final 4xx is retried); the JS layer gates the unload
// beacon on it instead of judging statuses itself.
void append_decisions(std::string& out, const Decisions& d, const Batcher& machine) {
  out.reserve(out.size() + 64 + (d.send ? d.send->body.size() + 24 : 0));
  out += "{\"wakeAt\":";
  if (d.wake_at) append_number(out, to_epoch_ms(*d.wake_at));
  else out += "null";
  out += ",\"pending\":";
  append_number(out, machine.pending());
  out += machine.consecutive_failures() > 0 ? ",\"failing\":true" : ",\"failing\":false";
  if (d.send) {
    out += ",\"send\":{\"id\":";
    append_number(out, d.send->id);
    out += ',';
    out.append(d.send->body, 1, std::string::npos);  // body is {"events":[...]}
  }
  if (!d.rejected.empty()) {
    out += ",\"rejected\":[";
    for (std::size_t i = 0; i < d.rejected.size(); ++i) {
      if (i) out += ',';
      out += "{\"status\":";
      append_number(out, d.rejected[i].status);
      out += ",\"events\":[";
      for (std::size_t j = 0; j < d.rejected[i].records.size(); ++j) {
        if (j) out += ',';
        out += d.rejected[i].records[j];
      }
      out += "]}";
    }
    out += ']';
  }
  if (d.dropped > 0) {
    out += ",\"dropped\":";
    append_number(out, d.dropped);
  }
  if (d.flush_done) out += ",\"flushDone\":true";
  out += '}';
}

std::string decisions_json(const Decisions& d, const Batcher& machine) {
  std::string out;
  append_decisions(out, d, machine);
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

  /// The meeting context of the pushes that follow (the JS layer calls it when ctx changes, not per push).
  /// Checked at push, where normalize() reports it (MISSING_FIELD / INVALID_INPUT naming ctx.meetingId or
  /// ctx.participantId), exactly as when it came with every push. "" = no local participant.
  void setContext(std::string meeting_id, std::string participant_id) {
    ctx_.meeting_id = std::move(meeting_id);
    if (participant_id.empty()) ctx_.participant_id.reset();
    else ctx_.participant_id = std::move(participant_id);
  }

  /// A view of the I/O buffer (see the header), at least `bytes` long (at least 1 KiB). A buffer that a large
  /// payload grew past 256 KiB goes back to 256 KiB when less is asked for (the old view is then stale: use this one).
  /// null when memory runs out (the JS layer throws ConveneError INTERNAL naming the payload).
  emscripten::val ioView(double bytes) {
    constexpr std::size_t kKept = 256 * 1024;
    const std::size_t want = std::isfinite(bytes) && bytes > 1024 ? static_cast<std::size_t>(bytes) : 1024;
    try {
      if (io_.size() < want) {
        io_.resize(want);
      } else if (io_.size() > kKept && want <= kKept) {
        io_.resize(kKept);
        io_.shrink_to_fit();
      }
    } catch (const std::bad_alloc&) {
      return emscripten::val::null();
    }
    return emscripten::val(emscripten::typed_memory_view(io_.size(), reinterpret_cast<unsigned char*>(io_.data())));
  }

  double push(double name_bytes, double payload_bytes, double now_ms) {
    std::string envelope = guard_append([&](std::string& out) {
      const UtcTime now = now_from(now_ms);
      if (!(name_bytes >= 0 && payload_bytes >= 0 && name_bytes + payload_bytes <= static_cast<double>(io_.size())))
        throw Error(code::kInvalidInput, "name", "push: the name and payload lengths exceed the I/O buffer");
      const auto n = static_cast<std::size_t>(name_bytes);
      const std::string_view name(io_.data(), n);
      const std::string_view payload_json(io_.data() + n, static_cast<std::size_t>(payload_bytes));
      EventRecord rec = normalize_text(name, payload_json, ctx_, now, ids_, pooled_random());
      PushResult r = machine().push(std::move(rec), now);  // its ids and text move into the queue
      if (!r.duplicate && !r.news) {  // queued, nothing for the adapter to do: the id alone
        out += '"';
        out += r.event_id;  // a UUID: nothing to escape
        out += '"';
        return;
      }
      out += "{\"eventId\":\"";
      out += r.event_id;
      out += "\",\"duplicate\":";
      out += r.duplicate ? "true" : "false";
      out += ",\"decisions\":";
      if (r.news) append_decisions(out, r.decisions, machine());
      else out += "null";
      out += '}';
    });
    // The input is consumed: the envelope goes where it was (the buffer grows only when the envelope outgrows it).
    try {
      if (io_.size() < envelope.size()) io_.resize(envelope.size());
    } catch (const std::bad_alloc&) {
      // Out of memory for a large batch's envelope: INTERNAL instead (short: the buffer holds at least 1 KiB). The
      // event is queued; its batch goes out with the next tick or delivery.
      envelope = error_envelope();
    }
    std::copy(envelope.begin(), envelope.end(), io_.begin());
    return static_cast<double>(envelope.size());
  }

  emscripten::val tick(double now_ms) {
    return js_text(guard_raw([&] { return decisions_json(machine().tick(now_from(now_ms)), machine()); }));
  }

  emscripten::val flush(double now_ms) {
    return js_text(guard_raw([&] { return decisions_json(machine().flush(now_from(now_ms)), machine()); }));
  }

  /// retry_after_s: NaN when the response had no usable Retry-After.
  emscripten::val delivered(double batch_id, int status, double retry_after_s, double now_ms) {
    return js_text(guard_raw([&] {
      std::optional<double> ra;
      if (std::isfinite(retry_after_s) && retry_after_s >= 0) ra = retry_after_s;
      auto d = machine().delivered(static_cast<std::uint64_t>(batch_id), status, ra, now_from(now_ms), pooled_random());
      return decisions_json(d, machine());
    }));
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

  emscripten::val forgetFront(double count, double now_ms) {
    return js_text(guard_raw([&] {
      auto d = machine().forget_front(static_cast<std::size_t>(std::max(0.0, count)), now_from(now_ms));
      return decisions_json(d, machine());
    }));
  }

  emscripten::val snapshot() {
    return js_text(guard_raw([&] { return machine().snapshot(); }));
  }

  emscripten::val restore(std::string snapshot_json, double now_ms) {
    return js_text(guard_raw([&] {
      Decisions d;
      machine().restore(snapshot_json, now_from(now_ms), &d);
      return decisions_json(d, machine());
    }));
  }

  double pending() const { return batcher_ ? static_cast<double>(batcher_->pending()) : 0; }
  double droppedTotal() const { return batcher_ ? static_cast<double>(batcher_->dropped_total()) : 0; }

 private:
  Batcher& machine() {
    if (!batcher_) throw Error(code::kInternal, "", "events batcher used before configure()");
    return *batcher_;
  }
  std::unique_ptr<Batcher> batcher_;
  std::vector<char> io_;  // ioView(): a push's name and payload text in, its envelope out
  UuidV7Generator ids_;
  EventContext ctx_;  // setContext(); an empty meetingId until then (push reports it as missing)
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
      .function("setContext", &EventsBatcher::setContext)
      .function("ioView", &EventsBatcher::ioView)
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
