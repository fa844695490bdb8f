// convene/core/events/json_text.h — JSON text of records: string literals (record.cpp) and compact payload text (normalize.cpp).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/json_input.h"

namespace convene::events {

/// Appends `s` as a JSON string literal exactly as nlohmann's `dump(-1, ' ', false, replace)` writes it:
/// `"`, `\` and the control characters below U+0020 escaped (short forms \b \t \n \f \r, else \u00xx),
/// invalid UTF-8 replaced by U+FFFD, other characters as they are. Plain ASCII without anything to escape
/// (nearly every id and name) is copied; anything else goes through nlohmann's serializer.
void append_json_string(std::string& out, std::string_view s);

/// Appends compact_json(v) to `out`.
void append_compact_json(std::string& out, const Json& v);

/// `v` as compact JSON text: exactly `v.dump(-1, ' ', false, Json::error_handler_t::replace)`, written into a
/// string with `reserve` bytes reserved up front. Objects, arrays, plain ASCII strings, integers, booleans and
/// null are written here (nlohmann's serializer validates every string byte by byte, the larger part of a
/// push's serialization: docs/events.md#performance); other strings, floats and the rest go through nlohmann's
/// serializer. tests/unit/events_normalize_test.cpp compares the two. Used for the payloads of records.
std::string compact_json(const Json& v, std::size_t reserve = 160);

}  // namespace convene::events
