// Helpers shared by the unit tests.
#pragma once

#include <doctest/doctest.h>

#include <functional>
#include <string>

#include "core/error.h"
#include "core/random.h"

namespace convene::testing {

/// Deterministic bytes 0, 1, 2, ... for tests that need a Random.
struct CountingRandom : Random {
  std::uint8_t next = 0;
  void fill(std::span<std::uint8_t> out) override {
    for (auto& b : out) b = next++;
  }
};

/// Runs `fn`, requires a convene::Error with `code` and `field`, and that the message names the field.
inline void expect_error(const std::function<void()>& fn, const std::string& code, const std::string& field) {
  try {
    fn();
    FAIL("expected " << code << " for " << field << ", but nothing was thrown");
  } catch (const Error& e) {
    CHECK_MESSAGE(e.code() == code, "message: " << e.what());
    CHECK(e.field() == field);
    if (!field.empty()) CHECK_MESSAGE(std::string(e.what()).find(field) != std::string::npos, e.what());
  }
}

}  // namespace convene::testing
