#include "core/events/uuid7.h"

#include <algorithm>
#include <array>
#include <cstring>

#include <sodium.h>

#include "core/crypto/sodium.h"

namespace convene::events {

std::array<std::uint8_t, 16> UuidV7Generator::next_bytes(UtcTime now, Random& random) {
  std::array<std::uint8_t, 16> b{};
  random.fill(std::span<std::uint8_t>(b.data() + 6, 10));  // rand_a/rand_b source bits
  std::int64_t ms = std::max<std::int64_t>(0, to_epoch_ms(now));
  if (ms > last_ms_) {
    last_ms_ = ms;
    counter_ = static_cast<std::uint16_t>(((b[6] << 8) | b[7]) & 0x07ff);  // random 11-bit start
  } else if (++counter_ > 0x0fff) {
    ++last_ms_;  // counter rollover: borrow the next millisecond (RFC 9562 §6.2)
    counter_ = static_cast<std::uint16_t>(((b[6] << 8) | b[7]) & 0x07ff);
  }
  const auto t = static_cast<std::uint64_t>(last_ms_) & 0xffffffffffffULL;
  for (int i = 0; i < 6; ++i) b[i] = static_cast<std::uint8_t>(t >> (40 - 8 * i));
  b[6] = static_cast<std::uint8_t>(0x70 | (counter_ >> 8));
  b[7] = static_cast<std::uint8_t>(counter_ & 0xff);
  b[8] = static_cast<std::uint8_t>(0x80 | (b[8] & 0x3f));
  return b;
}

std::string UuidV7Generator::next(UtcTime now, Random& random) {
  auto b = next_bytes(now, random);
  return format_uuid(b);
}

void format_uuid(std::span<const std::uint8_t, 16> b, std::span<char, 36> out) {
  // Two hex digits per table entry; the dashes at their fixed places (8-4-4-4-12). Unrolled
  // by the compiler: this runs once per event on the record writer's path.
  static constexpr auto kPairs = [] {
    std::array<std::array<char, 2>, 256> t{};
    constexpr char kHex[] = "0123456789abcdef";
    for (std::size_t i = 0; i < 256; ++i) t[i] = {kHex[i >> 4], kHex[i & 15]};
    return t;
  }();
  static constexpr std::array<std::uint8_t, 16> kAt = {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};
  for (std::size_t i = 0; i < 16; ++i) {
    out[kAt[i]] = kPairs[b[i]][0];
    out[kAt[i] + 1] = kPairs[b[i]][1];
  }
  out[8] = out[13] = out[18] = out[23] = '-';
}

std::string format_uuid(std::span<const std::uint8_t, 16> b) {
  std::string s(36, '-');
  format_uuid(b, std::span<char, 36>(s.data(), 36));
  return s;
}

std::int64_t uuid_v7_millis(std::string_view id) {
  if (id.size() != 36 || id[8] != '-' || id[13] != '-' || id[14] != '7' || id[18] != '-' || id[23] != '-') return -1;
  std::int64_t ms = 0;
  for (std::size_t i = 0; i < 13; ++i) {
    if (i == 8) continue;
    char c = id[i];
    int v = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
    if (v < 0) return -1;
    ms = ms * 16 + v;
  }
  return ms;
}

void PooledRandom::refill() {
  crypto::ensure_sodium();
  std::array<std::uint8_t, randombytes_SEEDBYTES> seed{};
  source_.fill(seed);
  randombytes_buf_deterministic(buf_.data(), buf_.size(), seed.data());
  sodium_memzero(seed.data(), seed.size());
  pos_ = 0;
}

void PooledRandom::fill(std::span<std::uint8_t> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    if (pos_ == buf_.size()) refill();
    const std::size_t n = std::min(out.size() - done, buf_.size() - pos_);
    std::uint8_t* src = buf_.data() + pos_;
    // Copy and wipe in one loop (reads are ~10 bytes: a call to memcpy and one to memset
    // cost more than the bytes). Never hand out the same bytes twice.
    for (std::size_t i = 0; i < n; ++i) {
      out[done + i] = src[i];
      src[i] = 0;
    }
    pos_ += n;
    done += n;
  }
}

}  // namespace convene::events
