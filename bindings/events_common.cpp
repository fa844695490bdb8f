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

emscripten::val js_text(const std::string& text) {
  static const emscripten::val decoder = emscripten::val::global("TextDecoder").new_();
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  return decoder.call<emscripten::val>("decode", emscripten::val(emscripten::typed_memory_view(text.size(), bytes)));
}

}  // namespace convene::bindings
