// convene/core/events/json_text.h — JSON string literals for record text (record.cpp).
#pragma once

#include <cstddef>
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

}  // namespace convene::events
