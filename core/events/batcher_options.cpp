#include "core/events/batcher_options.h"

#include <cmath>

#include "core/error.h"

namespace convene::events {
namespace {

template <class T>
void read_int(const Input& in, std::string_view key, T& out) {
  auto v = in.opt_number(key);
  if (!v) return;
  if (!std::isfinite(*v) || *v != std::floor(*v) || *v < 0 || *v > 9007199254740991.0)
    throw Error(code::kInvalidInput, in.field(key), in.field(key) + " must be a non-negative integer");
  if constexpr (std::is_same_v<T, Millis>) out = Millis(static_cast<std::int64_t>(*v));
  else out = static_cast<T>(*v);
}

}  // namespace

BatcherConfig parse_batcher_options(const Json& options) {
  BatcherConfig c;
  if (options.is_null()) return c;
  Input in(options, "options");
  read_int(in, "flushAt", c.flush_at);
  read_int(in, "flushIntervalMs", c.flush_interval);
  read_int(in, "maxBatchBytes", c.max_batch_bytes);
  c.flush_bytes = std::min(c.flush_bytes, c.max_batch_bytes * 4 / 5);
  read_int(in, "flushBytes", c.flush_bytes);
  read_int(in, "maxBatchEvents", c.max_batch_events);
  read_int(in, "maxQueue", c.max_queue);
  read_int(in, "backoffBaseMs", c.backoff_base);
  read_int(in, "backoffMaxMs", c.backoff_max);
  read_int(in, "retryAfterMaxMs", c.retry_after_max);
  read_int(in, "dedupWindowMs", c.dedup_window);
  validate(c);
  return c;
}

}  // namespace convene::events
