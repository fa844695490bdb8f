#include "core/events/json_text.h"

#include "core/json_input.h"

namespace convene::events {

bool json_needs_escape(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == '"' || c == '\\') return true;
  return false;
}

void append_json_string(std::string& out, std::string_view s) {
  if (json_needs_escape(s)) {
    out += Json(std::string(s)).dump(-1, ' ', false, Json::error_handler_t::replace);
    return;
  }
  out += '"';
  out += s;
  out += '"';
}

}  // namespace convene::events
