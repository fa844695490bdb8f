// convene/core/events/uuid7.h — time-ordered event ids (UUIDv7, RFC 9562 §5.7).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "core/random.h"
#include "core/time.h"

namespace convene::events {

/// Generates UUIDv7 strings (`xxxxxxxx-xxxx-7xxx-yxxx-xxxxxxxxxxxx`, lowercase hex):
/// 48-bit big-endian Unix milliseconds (`now`), version 7, a 12-bit counter in
/// `rand_a`, the RFC 4122 variant `10`, and 62 random bits in `rand_b`.
///
/// Monotonic within one generator (RFC 9562 §6.2, method 1 "fixed bit-length
/// dedicated counter"): the counter starts from a random 11-bit value at each
/// new millisecond (leaving headroom) and is incremented for further ids in the
/// same millisecond. If the counter overflows, or `now` goes backwards (clock
/// adjustments), the generator keeps using its last timestamp, advanced by one
/// millisecond on overflow, so ids from one generator always sort in creation order.
/// The clock and randomness are parameters; nothing here reads either.
class UuidV7Generator {
 public:
  /// A new id for an event observed at `now`; random bits come from `random`.
  std::string next(UtcTime now, Random& random);

  /// The same id as 16 raw bytes (big-endian, RFC 9562 §5.7 layout).
  std::array<std::uint8_t, 16> next_bytes(UtcTime now, Random& random);

 private:
  std::int64_t last_ms_ = -1;
  std::uint16_t counter_ = 0;  // 12 bits used
};

/// 16 bytes -> canonical 36-character UUID text (8-4-4-4-12, lowercase).
std::string format_uuid(std::span<const std::uint8_t, 16> bytes);

/// format_uuid() written into `out` (exactly 36 characters, no terminator).
void format_uuid(std::span<const std::uint8_t, 16> bytes, std::span<char, 36> out);

/// Unix milliseconds stored in a UUIDv7 string's first 48 bits; -1 if `id` is not a UUIDv7.
std::int64_t uuid_v7_millis(std::string_view id);

/// Serves small random reads from a 64 KiB buffer: each refill takes a fresh
/// 32-byte key from `source` and expands it with libsodium's ChaCha20-based
/// `randombytes_buf_deterministic`. One event id then costs a copy, not a call
/// into the host (in WASM every 4 bytes of SodiumRandom are one
/// crypto.getRandomValues call from WASM into JS, the dominant cost of a push
/// without the pool; a refill, 8 such calls and 64 KiB of ChaCha20, serves
/// ~6,500 event ids). Bytes handed out are wiped from the pool.
class PooledRandom final : public Random {
 public:
  explicit PooledRandom(Random& source) : source_(source) {}
  void fill(std::span<std::uint8_t> out) override;

 private:
  void refill();
  Random& source_;
  std::array<std::uint8_t, 65536> buf_{};
  std::size_t pos_ = buf_.size();
};

}  // namespace convene::events
