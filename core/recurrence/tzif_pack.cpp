#include "core/recurrence/tzif_pack.h"

#include <cstdint>
#include <optional>

namespace convene::recurrence {
namespace {

// A TZif header's six counts (RFC 8536 section 3.1), in file order.
struct Counts {
  std::int64_t isut, isstd, leap, time, type, chars;
};

constexpr std::size_t kHeader = 44;

std::uint32_t be32(std::string_view s, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = v << 8 | static_cast<unsigned char>(s[at + i]);
  return v;
}

/// The counts of the header at `at`, or nothing when it is cut off, not TZif, or has a negative count.
std::optional<Counts> header(std::string_view s, std::size_t at) {
  if (at > s.size() || s.size() - at < kHeader || s.substr(at, 4) != "TZif") return std::nullopt;
  std::int64_t c[6];
  for (std::size_t i = 0; i < 6; ++i) {
    const auto v = static_cast<std::int32_t>(be32(s, at + 20 + 4 * i));
    if (v < 0) return std::nullopt;
    c[i] = v;
  }
  return Counts{c[0], c[1], c[2], c[3], c[4], c[5]};
}

}  // namespace

std::string unpack_tzif(std::string_view packed) {
  const auto v1 = header(packed, 0);
  if (!v1 || packed[4] < '2') return {};  // header() saw 44 bytes
  // The version 1 block: 4-byte times, 4-byte leap-second records. Summed in 64 bits (each count < 2^31) and
  // compared with the input before it becomes an offset: size_t is 32 bits in WASM.
  const std::int64_t v1_size = static_cast<std::int64_t>(kHeader) + v1->time * 5 + v1->type * 6 + v1->chars +
                               v1->leap * 8 + v1->isstd + v1->isut;
  if (v1_size > static_cast<std::int64_t>(packed.size())) return {};
  const auto v1_end = static_cast<std::size_t>(v1_size);
  const auto v2 = header(packed, v1_end);
  if (!v2) return {};
  // Every time is at least one byte: more times than bytes left is not the packed form (and never allocates).
  if (v2->time > static_cast<std::int64_t>(packed.size() - v1_end - kHeader)) return {};
  std::string out;
  out.reserve(packed.size() + static_cast<std::size_t>(v2->time) * 7);
  out.append(packed.substr(0, v1_end + kHeader));
  std::size_t at = v1_end + kHeader;
  std::uint64_t time = 0;  // unsigned: differences add modulo 2^64, the two's complement of the signed sum
  for (std::int64_t n = 0; n < v2->time; ++n) {
    std::uint64_t code = 0;
    for (unsigned shift = 0;; shift += 7) {
      if (at >= packed.size() || shift > 63) return {};
      const auto byte = static_cast<unsigned char>(packed[at++]);
      if (shift == 63 && (byte & 0x7E) != 0) return {};  // bits past the 64th
      code |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) break;
    }
    const std::uint64_t zz = code >> 1;
    const std::uint64_t delta = (zz >> 1) ^ (~(zz & 1) + 1);  // zigzag back to two's complement
    time += (code & 1) ? delta : delta * 60;
    for (int b = 56; b >= 0; b -= 8) out.push_back(static_cast<char>(time >> b & 0xFF));
  }
  out.append(packed.substr(at));
  return out;
}

}  // namespace convene::recurrence
