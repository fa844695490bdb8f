#include "bindings/events_common.h"

#include "core/error.h"
#include "core/json_input.h"

namespace convene::bindings {

Random& pooled_random() {
  static SodiumRandom sodium;
  static events::PooledRandom pool(sodium);
  return pool;
}

std::string_view name_for_code(int code) {
  const auto rows = events::jitsi_event_catalogue();
  const std::size_t row = static_cast<std::size_t>(code / 4);
  if (code < 0 || row >= rows.size() || code % 4 == 3)
    throw Error(code::kInvalidInput, "name", "unknown event name code " + std::to_string(code));
  const events::JitsiEventSpec& s = rows[row];
  const std::string_view name = code % 4 == 0 ? s.jitsi : code % 4 == 1 ? s.type : s.type_off;
  if (name.empty()) throw Error(code::kInvalidInput, "name", "unknown event name code " + std::to_string(code));
  return name;
}

events::KnownEvent known_event_for_code(int code) {
  const std::string_view name = name_for_code(code);  // validates the code
  return {name, &events::jitsi_event_catalogue()[static_cast<std::size_t>(code / 4)]};
}

std::string name_codes_json() {
  Json out = Json::object();
  int row = 0;
  for (const auto& s : events::jitsi_event_catalogue()) {
    out[std::string(s.jitsi)] = row * 4;
    out[std::string(s.type)] = row * 4 + 1;
    if (!s.type_off.empty()) out[std::string(s.type_off)] = row * 4 + 2;
    ++row;
  }
  return out.dump();
}

UtcTime now_from(double ms) { return from_epoch_ms(ms, "now"); }

}  // namespace convene::bindings
