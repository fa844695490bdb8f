// convene/core/events/batcher.h — the delivery policy for meeting events, as a pure state machine.
//
// docs/events.md#delivery-policy and issue #4. Inputs: events (`push`), clock ticks (`tick`),
// flush requests, and delivery results (`delivered`). Output of every input:
// `Decisions` — which batch to send now, when to be woken up next, which
// events were given up or dropped. The machine never reads a clock, never
// sleeps and never does I/O: the JS adapter (npm/src/events/) owns timers,
// fetch/sendBeacon and storage, and does exactly what the decisions say.
//
// Rules (each has a unit test in tests/unit/events_batcher_test.cpp):
// - Flush when `flush_at` (5) unsent events are queued, or `flush_interval`
//   (2000 ms) after the OLDEST unsent event was queued — a fixed timer: later
//   events do not push the deadline back (the pipeline of docs/sources.md#seed-003 used a 2 s debounce).
// - Flush early when the unsent events' batch body reaches `flush_bytes`; a
//   batch body (`{"events":[...]}`) never exceeds `max_batch_bytes`, which
//   keeps a batch sendable as one beacon (browsers allow 64 KiB in flight).
// - One batch in flight at a time. A batch takes events from the front, oldest first.
// - Delivery results (`status` is the HTTP status; 0 means a network failure
//   or a rejected send promise):
//     2xx                      -> the batch's events are done.
//     0, 408, 429, 5xx, other  -> the batch goes back to the front; retry after
//                                 an exponential backoff with jitter:
//                                 d = min(backoff_max, backoff_base * 2^(n-1)) for the
//                                 n-th consecutive failure, wait d/2 + u * d/2 (u in
//                                 [0,1) from the Random parameter) — at most 60 s —
//                                 or `Retry-After` seconds if that is longer
//                                 (RFC 9110 §10.2.3; capped at `retry_after_max`).
//     4xx other than 408/429   -> given up: the events are removed and reported
//                                 in `Decisions::rejected` (the app decides).
// - The queue holds at most `max_queue` events; beyond it the oldest unsent
//   event is dropped and counted (`Decisions::dropped`, `dropped_total()`).
// - Duplicates are dropped at push (dedup.h: a repeat of the immediately preceding event of
//   the same meeting and participant, equal in full, within `dedup_window`), and a
//   transcription chunk replaces an unsent chunk with the same `messageID` (the newest,
//   final text wins).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/events/dedup.h"
#include "core/events/record.h"
#include "core/random.h"
#include "core/time.h"

namespace convene::events {

/// Tunables. Defaults: docs/events.md#delivery-policy.
struct BatcherConfig {
  std::size_t flush_at = 5;                    ///< events; flush as soon as this many are unsent
  Millis flush_interval{2000};                 ///< fixed timer from the oldest unsent event
  std::size_t max_batch_bytes = 60 * 1024;     ///< body bytes of one batch (beacon quota is 64 KiB)
  std::size_t flush_bytes = 48 * 1024;         ///< flush early once unsent events make a body this big
  std::size_t max_batch_events = 50;           ///< events per batch: a backlog drains in batches of 50, and a
                                               ///< response lost after the collector stored a batch re-sends at most 50
  std::size_t max_queue = 10000;               ///< queued events (unsent + in flight) before dropping
  Millis backoff_base{1000};                   ///< first retry waits 0.5..1 s
  Millis backoff_max{60000};                   ///< cap of the exponential backoff
  Millis retry_after_max{3600 * 1000};         ///< longest Retry-After honoured
  Millis dedup_window{1000};                   ///< a repeat of the preceding event closer than this is one event
};

/// Throws INVALID_INPUT naming `options.<field>` for a config that cannot work
/// (flush_at 0, max_batch_bytes below one record's cap, negative times, ...).
void validate(const BatcherConfig& c);

/// One batch to hand to the sink.
struct Batch {
  std::uint64_t id = 0;                  ///< pass back to delivered()
  std::vector<std::string> event_ids;    ///< in send order
  std::string body;                      ///< `{"events":[<record>,...]}` (record.h wire form)
};

/// Events the machine gave up on (4xx other than 408/429).
struct Rejected {
  int status = 0;
  std::vector<std::string> records;  ///< record JSON texts
};

/// What the adapter must do after an input.
struct Decisions {
  std::optional<Batch> send;        ///< send this batch now (it is in flight from here on)
  std::optional<UtcTime> wake_at;   ///< call tick() at this instant; nullopt = no timer
  std::vector<Rejected> rejected;   ///< report these to the app
  std::uint64_t dropped = 0;        ///< events dropped (queue cap) since the previous Decisions
  bool flush_done = false;          ///< a requested flush finished (queue drained, or stopped at a failure)
};

/// Result of push().
struct PushResult {
  std::string event_id;   ///< the new event's id, or the earlier event's id for a duplicate
  bool duplicate = false; ///< nothing was queued
  bool news = false;      ///< `decisions` asks for something (send, a different timer, drops)
  Decisions decisions;
};

/// The state machine. Not thread-safe (one per page / per JS batcher).
class Batcher {
 public:
  explicit Batcher(BatcherConfig config = {});

  /// Queues a normalized record observed at `now`. Takes the record by value: pass it with
  /// std::move (the push path does) and its ids and text are moved into the queue, not copied.
  PushResult push(EventRecord record, UtcTime now);
  /// The clock reached `now` (a timer armed from `wake_at` fired).
  Decisions tick(UtcTime now);
  /// Send everything queued now, ignoring flush_at, the interval and a running
  /// backoff (the app knows conditions changed: back online, wallet unlocked,
  /// page closing); the one-in-flight rule still holds, and the failure count is
  /// kept, so a new failure backs off longer. `flush_done` is reported once all
  /// events queued before the request are delivered or given up, or at the
  /// first failed delivery.
  Decisions flush(UtcTime now);
  /// The sink answered batch `batch_id`. `retry_after_s`: the Retry-After header in
  /// seconds, if any. `random` draws the jitter. A stale or unknown id is ignored.
  Decisions delivered(std::uint64_t batch_id, int status, std::optional<double> retry_after_s, UtcTime now,
                      Random& random);

  /// For pagehide: the oldest queued events (in flight included) after the first `skip` as one
  /// body of at most `max_bytes` (the first of them even when it alone is larger), without
  /// changing any state. Empty body when nothing is queued beyond `skip`. Successive bodies
  /// (skip = the events of the bodies before) hand a backlog to the browser's keepalive quota.
  Batch peek_front(std::size_t max_bytes, std::size_t skip = 0) const;
  /// The first `count` queued events were handed to the browser (sendBeacon
  /// accepted them): forget them. A result for a batch among them is then ignored.
  Decisions forget_front(std::size_t count, UtcTime now);

  /// Every queued event (in flight included) as a JSON array of records, for storage.
  std::string snapshot() const;
  /// Puts records from a snapshot (another page load's) in front of the
  /// unsent events, skipping eventIds already queued and entries that are not
  /// record objects. Returns how many were queued. They are due at once.
  std::size_t restore(std::string_view snapshot_json, UtcTime now, Decisions* out = nullptr);

  std::size_t pending() const { return queue_.size(); }
  std::size_t in_flight() const { return in_flight_; }
  std::uint64_t dropped_total() const { return dropped_total_; }
  unsigned consecutive_failures() const { return failures_; }
  const BatcherConfig& config() const { return cfg_; }

  /// The backoff before retry number `failures` (1-based) for `u` in [0,1):
  /// d/2 + u*d/2 with d = min(backoff_max, backoff_base * 2^(failures-1)).
  Millis backoff(unsigned failures, double u) const;

 private:
  struct Queued {
    std::string event_id;
    std::string json;
    std::string meeting_id;  // transcription chunks with a messageID only (else empty): the chunk rule's key
    std::string message_id;  // transcription chunks with a messageID only
    UtcTime queued_at{};
    std::uint64_t seq = 0;
  };
  Decisions evaluate(UtcTime now, Decisions d);
  std::size_t unsent_body_bytes() const;
  void enqueue_back(Queued q);
  void drop_oldest_unsent();
  void erase_unsent(std::size_t index);

  BatcherConfig cfg_;
  Deduplicator dedup_;
  std::deque<Queued> queue_;       // [0, in_flight_) is the batch in flight
  std::size_t in_flight_ = 0;
  std::uint64_t in_flight_id_ = 0;
  std::uint64_t next_batch_id_ = 1;
  std::uint64_t next_seq_ = 1;
  std::size_t unsent_json_bytes_ = 0;  // sum of json sizes of unsent events
  unsigned failures_ = 0;
  std::optional<UtcTime> retry_at_;
  std::optional<std::uint64_t> flush_through_;  // seq up to which a flush was requested
  std::uint64_t dropped_total_ = 0;
  std::uint64_t dropped_unreported_ = 0;
  std::optional<UtcTime> last_wake_;
  // "meetingId\x1fmessageID" -> eventId of a final transcription chunk already queued/sent.
  std::unordered_map<std::string, std::string> final_chunks_;
};

}  // namespace convene::events
