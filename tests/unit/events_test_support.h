// Helpers shared by the events unit tests: deterministic randomness and a fake clock.
#pragma once

#include <cstdint>
#include <span>

#include "core/random.h"
#include "core/time.h"

namespace convene::events::testing {

/// Every byte is `value` (0x00 -> jitter u = 0, 0xff -> u just below 1).
struct ConstantRandom : Random {
  std::uint8_t value;
  explicit ConstantRandom(std::uint8_t v = 0) : value(v) {}
  void fill(std::span<std::uint8_t> out) override {
    for (auto& b : out) b = value;
  }
};

/// 0, 1, 2, ... (different bytes every call).
struct CountingRandom : Random {
  std::uint8_t next = 0;
  void fill(std::span<std::uint8_t> out) override {
    for (auto& b : out) b = next++;
  }
};

/// Milliseconds after a fixed epoch (2026-01-01T00:00:00Z).
inline UtcTime at(std::int64_t ms) { return UtcTime(Millis(1767225600000LL + ms)); }

}  // namespace convene::events::testing
