// convene/core/events/batcher_options.h — BatcherConfig from the JS options object.
#pragma once

#include "core/events/batcher.h"
#include "core/json_input.h"

namespace convene::events {

/// Reads `createBatcher` options (docs/domain.md#package-surface), all optional, integers:
///   flushAt (events, default 5), flushIntervalMs (2000), maxBatchBytes (61440),
///   flushBytes (49152), maxBatchEvents (50), maxQueue (10000),
///   backoffBaseMs (1000), backoffMaxMs (60000), retryAfterMaxMs (3600000), dedupWindowMs (1000).
/// Unknown members are ignored (the JS side also passes `send`, `storage`, ...
/// which it keeps). Throws INVALID_TYPE / INVALID_INPUT naming `options.<name>`.
BatcherConfig parse_batcher_options(const Json& options);

}  // namespace convene::events
