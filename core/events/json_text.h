// convene/core/events/json_text.h — writing JSON text directly, on the event hot path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace convene::events {

/// Appends `s` (valid UTF-8) as a JSON string literal, escaped exactly as
/// nlohmann's `dump(-1, ' ', false, replace)` escapes it: `"`, `\` and the
/// control characters below U+0020 only (short forms \b \t \n \f \r, else
/// \u00xx), other characters as they are. Text without anything to escape —
/// nearly every id and name — is copied without building a Json value.
void append_json_string(std::string& out, std::string_view s);

/// True when `s` holds a character append_json_string() escapes (`"`, `\`, below
/// U+0020); false means its JSON literal is `"` + s + `"`.
bool json_needs_escape(std::string_view s);

/// Copies `n` bytes from `src` to `dst` (no overlap) and returns `dst + n`. For the short,
/// unaligned copies of record writing: Emscripten 3.1.6's memcpy falls back to a byte
/// loop whenever source and destination differ in alignment, which is nearly always the
/// case here; 8-byte moves (unaligned loads and stores are legal in WebAssembly and on
/// x86) are several times faster there and no slower natively.
inline char* copy_bytes(char* dst, const char* src, std::size_t n) {
  for (; n >= 8; n -= 8, src += 8, dst += 8) {
    std::uint64_t w;
    std::memcpy(&w, src, 8);  // constant size: one unaligned load, no call
    std::memcpy(dst, &w, 8);
  }
  for (; n > 0; --n) *dst++ = *src++;
  return dst;
}

}  // namespace convene::events
