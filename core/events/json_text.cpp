#include "core/events/json_text.h"

#include "core/json_input.h"

namespace convene::events {

std::string compact_json(const Json& v, std::size_t reserve) {
  // What basic_json::dump() does (nlohmann 3.11), into a reserved buffer.
  std::string out;
  out.reserve(reserve);
  nlohmann::detail::serializer<Json> s(nlohmann::detail::output_adapter<char, std::string>(out), ' ',
                                       Json::error_handler_t::replace);
  s.dump(v, /*pretty_print=*/false, /*ensure_ascii=*/false, /*indent_step=*/0);
  return out;
}

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
