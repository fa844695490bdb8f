#include <doctest/doctest.h>

#include <array>
#include <set>
#include <vector>
#include <string>

#include "core/events/uuid7.h"
#include "events_test_support.h"

using namespace convene;
using namespace convene::events;
using events::testing::at;

TEST_CASE("UUIDv7 layout: 48-bit ms time, version 7, RFC variant (RFC 9562 §5.7)") {
  UuidV7Generator gen;
  testing::ConstantRandom ones(0xff);
  std::string id = gen.next(at(0), ones);
  CHECK(id.size() == 36);
  CHECK(id[8] == '-');
  CHECK(id[13] == '-');
  CHECK(id[14] == '7');                                     // version
  CHECK(std::string("89ab").find(id[19]) != std::string::npos);  // variant 10xx
  CHECK(uuid_v7_millis(id) == to_epoch_ms(at(0)));
  // 2026-01-01T00:00:00Z = 1767225600000 ms = 0x019b76da_a800
  CHECK(id.substr(0, 13) == "019b76da-a800");
  CHECK(uuid_v7_millis("not-a-uuid") == -1);
}

TEST_CASE("UUIDv7 ids are strictly increasing within one millisecond and across a clock step back") {
  UuidV7Generator gen;
  testing::CountingRandom r;
  std::string prev = gen.next(at(5), r);
  for (int i = 0; i < 5000; ++i) {  // more than the 12-bit counter holds: forces a rollover
    std::string id = gen.next(at(5), r);
    REQUIRE(id > prev);
    prev = id;
  }
  std::string after_step_back = gen.next(at(1), r);
  CHECK(after_step_back > prev);
  std::string later = gen.next(at(60000), r);
  CHECK(later > after_step_back);
  CHECK(uuid_v7_millis(later) == to_epoch_ms(at(60000)));
}

TEST_CASE("UUIDv7 random bits come from the Random parameter") {
  UuidV7Generator g1, g2;
  testing::ConstantRandom zero(0), ff(0xff);
  CHECK(g1.next(at(0), zero) != g2.next(at(0), ff));
  std::set<std::string> seen;
  UuidV7Generator g;
  testing::CountingRandom r;
  for (int i = 0; i < 1000; ++i) seen.insert(g.next(at(i / 10), r));
  CHECK(seen.size() == 1000);
}

TEST_CASE("PooledRandom: a refill takes one 32-byte key from the source and never repeats bytes") {
  struct Counting : Random {
    std::size_t calls = 0, bytes = 0;
    std::uint8_t next = 0;
    void fill(std::span<std::uint8_t> out) override {
      ++calls;
      bytes += out.size();
      for (auto& b : out) b = next++;
    }
  } src;
  PooledRandom pool(src);
  std::vector<std::uint8_t> a(65536), b(65536);
  pool.fill(a);
  CHECK(src.calls == 1);
  CHECK(src.bytes == 32);
  pool.fill(std::span<std::uint8_t>(b.data(), 10));
  CHECK(src.calls == 2);  // second block, new key
  CHECK(a != std::vector<std::uint8_t>(65536, 0));
  CHECK(std::vector<std::uint8_t>(a.begin(), a.begin() + 10) != std::vector<std::uint8_t>(b.begin(), b.begin() + 10));
}

TEST_CASE("SodiumRandom fills every byte of any length (whole words, then the tail)") {
  SodiumRandom sodium;
  for (std::size_t n = 1; n <= 9; ++n) {
    // OR of 64 draws: a byte position left unwritten stays 0 (a written one is 0 with
    // probability 2^-512).
    std::vector<std::uint8_t> any(n + 1, 0);
    for (int k = 0; k < 64; ++k) {
      std::vector<std::uint8_t> buf(n + 1, 0);
      sodium.fill(std::span<std::uint8_t>(buf.data(), n));
      CHECK(buf[n] == 0);  // nothing past the end
      for (std::size_t i = 0; i < n; ++i) any[i] |= buf[i];
    }
    for (std::size_t i = 0; i < n; ++i) CHECK_MESSAGE(any[i] != 0, "n=" << n << " i=" << i);
  }
}

TEST_CASE("format_uuid: 8-4-4-4-12 lowercase hex of the 16 bytes in order (RFC 9562 §4)") {
  std::array<std::uint8_t, 16> b{};
  for (std::size_t i = 0; i < 16; ++i) b[i] = static_cast<std::uint8_t>(i * 17 + (i & 1) * 0xa0);
  CHECK(format_uuid(b) == "00b122d3-44f5-6617-8839-aa5bcc7dee9f");
  std::array<std::uint8_t, 16> c{};
  for (std::size_t i = 0; i < 16; ++i) c[i] = static_cast<std::uint8_t>(0x01 + i);
  CHECK(format_uuid(c) == "01020304-0506-0708-090a-0b0c0d0e0f10");
}
