#include "core/events/batcher.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "core/error.h"

namespace convene::events {
namespace {

constexpr std::size_t kEnvelopeBytes = 13;  // {"events":[ + ]}
constexpr std::string_view kChunkType = "transcription.chunk.received";

std::string chunk_key(std::string_view meeting, std::string_view message_id) {
  std::string k(meeting);
  k += '\x1f';
  k += message_id;
  return k;
}

void invalid(const std::string& field, const std::string& why) {
  throw Error(code::kInvalidInput, "options." + field, "options." + field + " " + why);
}

}  // namespace

void validate(const BatcherConfig& c) {
  if (c.flush_at < 1 || c.flush_at > 1000) invalid("flushAt", "must be an integer from 1 to 1000");
  if (c.flush_interval.count() < 1 || c.flush_interval.count() > 3600000)
    invalid("flushIntervalMs", "must be from 1 to 3600000 milliseconds");
  if (c.max_batch_bytes < 10 * 1024 || c.max_batch_bytes > 1024 * 1024)
    invalid("maxBatchBytes", "must be from 10240 to 1048576 (one record can take ~9 KB)");
  if (c.flush_bytes < 1 || c.flush_bytes > c.max_batch_bytes) invalid("flushBytes", "must be from 1 to maxBatchBytes");
  if (c.max_batch_events < 1 || c.max_batch_events > 1000) invalid("maxBatchEvents", "must be from 1 to 1000");
  if (c.max_queue < 1 || c.max_queue > 1000000) invalid("maxQueue", "must be from 1 to 1000000");
  if (c.backoff_base.count() < 1) invalid("backoffBaseMs", "must be at least 1 millisecond");
  if (c.backoff_max < c.backoff_base) invalid("backoffMaxMs", "must be at least backoffBaseMs");
  if (c.retry_after_max.count() < 0) invalid("retryAfterMaxMs", "must not be negative");
}

Batcher::Batcher(BatcherConfig config) : cfg_(config), dedup_(config.dedup_window) { validate(cfg_); }

Millis Batcher::backoff(unsigned failures, double u) const {
  const double base = static_cast<double>(cfg_.backoff_base.count());
  const double cap = static_cast<double>(cfg_.backoff_max.count());
  const unsigned exp = failures == 0 ? 0 : std::min(failures - 1, 40u);
  const double d = std::min(cap, base * std::ldexp(1.0, static_cast<int>(exp)));
  u = std::clamp(u, 0.0, 1.0);
  return Millis(static_cast<std::int64_t>(std::floor(d / 2 + u * (d / 2))));
}

std::size_t Batcher::unsent_body_bytes() const {
  const std::size_t n = queue_.size() - in_flight_;
  return unsent_json_bytes_ + n + kEnvelopeBytes - 1;
}

void Batcher::erase_unsent(std::size_t index) {
  unsent_json_bytes_ -= queue_[index].json.size();
  queue_.erase(queue_.begin() + static_cast<std::ptrdiff_t>(index));
}

void Batcher::drop_oldest_unsent() {
  if (queue_.size() <= in_flight_) return;
  erase_unsent(in_flight_);
  ++dropped_total_;
  ++dropped_unreported_;
}

void Batcher::enqueue_back(Queued q) {
  if (queue_.size() >= cfg_.max_queue) drop_oldest_unsent();
  if (queue_.size() >= cfg_.max_queue) {  // everything queued is in flight: the new event cannot wait
    ++dropped_total_;
    ++dropped_unreported_;
    return;
  }
  unsent_json_bytes_ += q.json.size();
  queue_.push_back(std::move(q));
}

PushResult Batcher::push(EventRecord r, UtcTime now) {
  PushResult res;
  std::string dumped;  // only when normalize() did not serialize the payload already (records built by hand)
  if (r.payload_text.empty())
    dumped = r.payload.is_null() ? std::string("{}") : r.payload.dump(-1, ' ', false, Json::error_handler_t::replace);
  const std::string& payload_text = r.payload_text.empty() ? dumped : r.payload_text;
  if (auto earlier = dedup_.check(r, payload_text, now)) {
    res.event_id = *earlier;
    res.duplicate = true;
    return res;
  }
  if (r.type == kChunkType && !r.message_id.empty()) {
    const std::string key = chunk_key(r.meeting_id, r.message_id);
    if (auto fin = final_chunks_.find(key); fin != final_chunks_.end()) {
      res.event_id = fin->second;  // the final text is already queued or sent
      res.duplicate = true;
      return res;
    }
    // An unsent earlier chunk of the same message is superseded: the newest text wins, at the back.
    // Interim chunks of one message arrive close together: look at the newest 64 unsent events only.
    const std::size_t lowest = std::max(in_flight_, queue_.size() > 64 ? queue_.size() - 64 : 0);
    for (std::size_t i = queue_.size(); i-- > lowest;) {
      if (queue_[i].message_id == r.message_id && queue_[i].meeting_id == r.meeting_id) {
        erase_unsent(i);
        break;
      }
    }
    if (r.final_text) {
      if (final_chunks_.size() >= 4096) final_chunks_.clear();
      final_chunks_.emplace(key, r.event_id);
    }
  }
  Queued q{std::string(), to_json_text(r, payload_text), std::string(), std::string(), now, next_seq_++};
  if (r.type == kChunkType && !r.message_id.empty()) {  // what a later chunk of the message is compared with
    q.meeting_id = std::move(r.meeting_id);
    q.message_id = std::move(r.message_id);
  }
  res.event_id = r.event_id;
  q.event_id = std::move(r.event_id);
  enqueue_back(std::move(q));
  auto before = last_wake_;
  res.decisions = evaluate(now, {});
  res.news = res.decisions.send || res.decisions.dropped > 0 || res.decisions.flush_done ||
             res.decisions.wake_at != before;
  return res;
}

Decisions Batcher::tick(UtcTime now) { return evaluate(now, {}); }

Decisions Batcher::flush(UtcTime now) {
  Decisions d;
  if (queue_.empty()) {
    d.flush_done = true;
    return evaluate(now, std::move(d));
  }
  flush_through_ = queue_.back().seq;
  for (const auto& q : queue_) flush_through_ = std::max(*flush_through_, q.seq);
  if (retry_at_ && *retry_at_ > now) retry_at_ = now;  // retry now; failures_ keeps counting
  return evaluate(now, std::move(d));
}

Decisions Batcher::delivered(std::uint64_t batch_id, int status, std::optional<double> retry_after_s, UtcTime now,
                             Random& random) {
  Decisions d;
  if (in_flight_ == 0 || batch_id != in_flight_id_) return evaluate(now, std::move(d));
  const std::size_t n = in_flight_;
  if (status >= 200 && status <= 299) {
    for (std::size_t i = 0; i < n; ++i) queue_.pop_front();
    failures_ = 0;
  } else if (status >= 400 && status <= 499 && status != 408 && status != 429) {
    Rejected rj;
    rj.status = status;
    for (std::size_t i = 0; i < n; ++i) {
      rj.records.push_back(std::move(queue_.front().json));
      queue_.pop_front();
    }
    d.rejected.push_back(std::move(rj));
    failures_ = 0;
  } else {
    // Back to the front: the events stay where they are, now unsent again.
    for (std::size_t i = 0; i < n; ++i) unsent_json_bytes_ += queue_[i].json.size();
    ++failures_;
    std::uint8_t b[4];
    random.fill(b);
    const double u = static_cast<double>((std::uint32_t(b[0]) << 24) | (std::uint32_t(b[1]) << 16) |
                                         (std::uint32_t(b[2]) << 8) | b[3]) / 4294967296.0;
    Millis delay = backoff(failures_, u);
    if (retry_after_s && std::isfinite(*retry_after_s) && *retry_after_s > 0) {
      const double ms = std::min(*retry_after_s * 1000.0, static_cast<double>(cfg_.retry_after_max.count()));
      delay = std::max(delay, Millis(static_cast<std::int64_t>(std::ceil(ms))));
    }
    retry_at_ = now + delay;
    if (flush_through_) {
      flush_through_.reset();
      d.flush_done = true;
    }
  }
  in_flight_ = 0;
  in_flight_id_ = 0;
  return evaluate(now, std::move(d));
}

Decisions Batcher::evaluate(UtcTime now, Decisions d) {
  const std::size_t unsent = queue_.size() - in_flight_;
  if (in_flight_ == 0 && unsent > 0 && !(retry_at_ && now < *retry_at_)) {
    const bool retrying = retry_at_.has_value();
    const bool due = retrying || unsent >= cfg_.flush_at || now >= queue_.front().queued_at + cfg_.flush_interval ||
                     unsent_body_bytes() >= cfg_.flush_bytes || flush_through_.has_value();
    if (due) {
      retry_at_.reset();
      Batch b;
      b.id = next_batch_id_++;
      b.body.reserve(std::min(unsent_body_bytes(), cfg_.max_batch_bytes));
      b.body = "{\"events\":[";
      std::size_t n = 0;
      while (n < queue_.size() && n < cfg_.max_batch_events) {
        const auto& q = queue_[n];
        if (n > 0 && b.body.size() + 1 + q.json.size() + 2 > cfg_.max_batch_bytes) break;
        if (n > 0) b.body += ',';
        b.body += q.json;
        b.event_ids.push_back(q.event_id);
        unsent_json_bytes_ -= q.json.size();
        ++n;
      }
      b.body += "]}";
      in_flight_ = n;
      in_flight_id_ = b.id;
      d.send = std::move(b);
    }
  }
  if (flush_through_ && (queue_.empty() || queue_.front().seq > *flush_through_)) {
    flush_through_.reset();
    d.flush_done = true;
  }
  std::optional<UtcTime> wake;
  if (in_flight_ == 0 && !queue_.empty())
    wake = retry_at_ ? *retry_at_ : queue_.front().queued_at + cfg_.flush_interval;
  d.wake_at = wake;
  last_wake_ = wake;
  d.dropped = dropped_unreported_;
  dropped_unreported_ = 0;
  return d;
}

Batch Batcher::peek_front(std::size_t max_bytes, std::size_t skip) const {
  Batch b;
  if (skip >= queue_.size()) return b;
  b.body = "{\"events\":[";
  for (std::size_t n = skip; n < queue_.size(); ++n) {
    const auto& q = queue_[n];
    if (n > skip && b.body.size() + 1 + q.json.size() + 2 > max_bytes) break;
    if (n > skip) b.body += ',';
    b.body += q.json;
    b.event_ids.push_back(q.event_id);
  }
  b.body += "]}";
  return b;
}

Decisions Batcher::forget_front(std::size_t count, UtcTime now) {
  for (std::size_t i = 0; i < count && !queue_.empty(); ++i) {
    if (in_flight_ > 0) {
      --in_flight_;
    } else {
      unsent_json_bytes_ -= queue_.front().json.size();
    }
    queue_.pop_front();
  }
  if (in_flight_ == 0) in_flight_id_ = 0;
  return evaluate(now, {});
}

std::string Batcher::snapshot() const {
  std::size_t total = 2;
  for (const auto& q : queue_) total += q.json.size() + 1;
  std::string out;
  out.reserve(total);
  out += '[';
  for (std::size_t i = 0; i < queue_.size(); ++i) {
    if (i) out += ',';
    out += queue_[i].json;
  }
  out += ']';
  return out;
}

std::size_t Batcher::restore(std::string_view snapshot_json, UtcTime now, Decisions* out) {
  Json arr = parse_json(snapshot_json, "storage");
  if (!arr.is_array()) throw Error(code::kInvalidInput, "storage", "storage must hold a JSON array of event records");
  std::unordered_set<std::string> known;
  for (const auto& q : queue_) known.insert(q.event_id);
  std::vector<Queued> add;
  for (const auto& rec : arr) {
    if (!rec.is_object()) continue;
    auto id = rec.find("eventId");
    auto type = rec.find("type");
    auto meeting = rec.find("meetingId");
    if (id == rec.end() || !id->is_string() || type == rec.end() || !type->is_string() || meeting == rec.end() ||
        !meeting->is_string())
      continue;
    std::string event_id = id->get<std::string>();
    if (!known.insert(event_id).second) continue;
    Queued q{event_id, rec.dump(-1, ' ', false, Json::error_handler_t::replace), "", "", now - cfg_.flush_interval,
             next_seq_++};
    if (type->get_ref<const std::string&>() == kChunkType) {
      auto p = rec.find("payload");
      if (p != rec.end() && p->is_object()) {
        auto mid = p->find("messageID");
        if (mid != p->end() && mid->is_string() && !mid->get_ref<const std::string&>().empty()) {
          q.message_id = mid->get<std::string>();
          q.meeting_id = meeting->get<std::string>();
        }
      }
    }
    add.push_back(std::move(q));
  }
  for (const auto& q : add) unsent_json_bytes_ += q.json.size();
  queue_.insert(queue_.begin() + static_cast<std::ptrdiff_t>(in_flight_), std::make_move_iterator(add.begin()),
                std::make_move_iterator(add.end()));
  while (queue_.size() > cfg_.max_queue && queue_.size() > in_flight_) drop_oldest_unsent();
  Decisions d = evaluate(now, {});
  if (out) *out = std::move(d);
  return add.size();
}

}  // namespace convene::events
