// Fuzz target: arbitrary JSON (and non-JSON) into events normalization and the batcher.
// Input layout: byte 0 picks an event name from the catalogue (or, when >= 0xf0, the
// name is the text up to the first '\n'); the rest is the payload as JSON text, or,
// when it does not parse, the payload is that text as a JSON string.
// Expected errors are convene::Error; anything else escaping (or a sanitizer report) is a finding,
// and so is normalize_text (the text form the bindings use) disagreeing with normalize on the
// parsed payload, a record whose wire form does not round-trip, or a payload over its cap.
// Build: cmake -S . -B build/fuzz -DCONVENE_FUZZ=ON -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 && cmake --build build/fuzz --target events_normalize_fuzz
// Run:   build/fuzz/tests/fuzz/events_normalize_fuzz -max_total_time=60 -dict=tests/fuzz/json.dict <new corpus dir> tests/fuzz/corpus/events_normalize
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/events/batcher.h"
#include "core/events/normalize.h"

using namespace convene;
using namespace convene::events;

namespace {
struct XorShift : Random {
  std::uint64_t s = 0x9e3779b97f4a7c15ULL;
  void fill(std::span<std::uint8_t> out) override {
    for (auto& b : out) {
      s ^= s << 13;
      s ^= s >> 7;
      s ^= s << 17;
      b = static_cast<std::uint8_t>(s);
    }
  }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static XorShift random;
  static UuidV7Generator ids;
  static Batcher batcher([] {
    BatcherConfig c;
    c.max_queue = 64;
    return c;
  }());
  static std::int64_t clock = 1767225600000LL;
  if (size == 0) return 0;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string name;
  std::string_view rest = in.substr(1);
  auto catalogue = jitsi_event_catalogue();
  if (static_cast<std::uint8_t>(in[0]) >= 0xf0) {
    auto nl = rest.find('\n');
    name = std::string(rest.substr(0, nl));
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
  } else {
    name = std::string(catalogue[static_cast<std::uint8_t>(in[0]) % catalogue.size()].jitsi);
  }
  Json payload = Json::parse(rest, nullptr, /*allow_exceptions=*/false);
  const bool is_json = !payload.is_discarded();
  if (!is_json) payload = Json(std::string(rest));
  clock += static_cast<std::uint8_t>(in[0]) * 7;
  const UtcTime now{Millis(clock)};
  // The text form (normalize_text) must give normalize()'s record or its error, from the same
  // id generator state and randomness.
  std::string fast;
  if (is_json) {
    UuidV7Generator ids_copy = ids;
    XorShift random_copy = random;
    try {
      fast = to_json_text(normalize_text(name, rest, {"meeting-fuzz", std::string("me")}, now, ids_copy, random_copy));
    } catch (const Error& e) {
      fast = "error " + e.code();
    }
  }
  try {
    EventRecord r = normalize(name, payload, {"meeting-fuzz", std::string("me")}, now, ids, random);
    std::string text = to_json_text(r);
    if (is_json && fast != text) __builtin_trap();
    // The wire form must be valid JSON that round-trips to the record, and stay within the caps.
    Json back = Json::parse(text);
    if (back != to_json(r)) __builtin_trap();
    if (record_payload(r).dump(-1, ' ', false, Json::error_handler_t::replace).size() > kMaxPayloadBytes) __builtin_trap();
    PushResult p = batcher.push(r, now);
    if (p.decisions.send) {
      Json body = Json::parse(p.decisions.send->body);
      if (body["events"].size() != p.decisions.send->event_ids.size()) __builtin_trap();
      const int statuses[] = {200, 207, 400, 408, 429, 500, 0};
      batcher.delivered(p.decisions.send->id, statuses[size % 7], size % 3 ? std::optional<double>(size % 50) : std::nullopt,
                        now, random);
    }
    batcher.tick(now + Millis(2000));
    if (size % 11 == 0) {
      Batcher other;
      other.restore(batcher.snapshot(), now);
    }
  } catch (const Error& e) {
    // expected: unknown names, bad ids
    if (is_json && fast != "error " + e.code()) __builtin_trap();
  }
  return 0;
}
