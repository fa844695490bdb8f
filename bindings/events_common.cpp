#include "bindings/events_common.h"

#include "core/error.h"
#include "core/json_input.h"

namespace convene::bindings {

Random& pooled_random() {
  static SodiumRandom sodium;
  static events::PooledRandom pool(sodium);
  return pool;
}

UtcTime now_from(double ms) { return from_epoch_ms(ms, "now"); }

}  // namespace convene::bindings
