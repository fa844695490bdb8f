// Helpers shared by the unit tests.
#pragma once

#include <doctest/doctest.h>

#include <functional>
#include <string>

#include "core/entities/draft.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/random.h"
#include "core/time.h"
#include "generated_cases.h"

namespace convene::testing {

/// Deterministic bytes first, first + 1, ... (wrapping) for tests that need a Random.
struct CountingRandom : Random {
  explicit CountingRandom(std::uint8_t first = 0) : next(first) {}
  std::uint8_t next;
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

/// The code of the Error `fn` throws, or "no error" (for checks that name only the code).
inline std::string error_code_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.code();
  }
  return "no error";
}

/// A build context at `now` (ISO 8601), space 'local-dev', with `r` as its randomness.
inline entities::BuildContext ctx_at(const char* now, Random* r = nullptr) {
  entities::BuildContext c;
  c.now = parse_iso8601(now, "now");
  c.space_id = "local-dev";
  c.random = r;
  return c;
}

/// A draft's JSON attributes as one {key: value} object.
inline Json attrs_of(const Json& draft) {
  Json o = Json::object();
  for (const auto& a : draft["attributes"]) o[a["key"].get<std::string>()] = a["value"];
  return o;
}

/// The next block number for `stored` / `signed_by`: each entity a test writes lands in a later
/// block than the one before, as on a chain.
inline std::uint64_t next_block() {
  static std::uint64_t block = 100;
  return ++block;
}

/// `e` with the signer metadata the SDK returns with `withMetadata(true)`: creator = owner =
/// `signer`, and a chain position (block 0 = the next block).
inline Json signed_by(Json e, const std::string& signer, std::uint64_t block = 0, std::uint64_t tx = 0, std::uint64_t op = 0) {
  e["creator"] = signer;
  e["owner"] = signer;
  if (block == 0) block = next_block();
  e["createdAtBlock"] = block;
  e["lastModifiedAtBlock"] = block;
  e["transactionIndexInBlock"] = tx;
  e["operationIndexInTransaction"] = op;
  return e;
}

/// A draft as the SDK returns it once `signer` stored it under `key` (attribute array, payload
/// text, metadata; block 0 = the next block).
inline Json stored(const entities::EntityDraft& d, const std::string& key, const std::string& signer,
                   std::uint64_t block = 0, std::uint64_t tx = 0, std::uint64_t op = 0) {
  Json j = d.to_json();
  return signed_by(Json{{"key", key}, {"attributes", j["attributes"]}, {"payload", j["payload"]}}, signer, block, tx, op);
}

/// `d` written with updateEntity over `previous` (same key and signer): as real Arkiv nodes keep it,
/// only `lastModifiedAtBlock` moves (to the next block); the create's block, transaction and
/// operation index stay (docs/trust.md#versions).
inline Json updated(const entities::EntityDraft& d, const Json& previous, std::uint64_t block = 0) {
  Json j = stored(d, previous.at("key").get<std::string>(), previous.at("creator").get<std::string>(), block);
  for (const char* k : {"createdAtBlock", "transactionIndexInBlock", "operationIndexInTransaction"}) j[k] = previous.at(k);
  return j;
}

}  // namespace convene::testing
