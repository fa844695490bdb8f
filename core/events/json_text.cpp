#include "core/events/json_text.h"

#include <charconv>
#include <cstdint>

#include "core/json_input.h"

namespace convene::events {

namespace {

/// True when every byte of `s` is ASCII and none needs escaping: its literal is `"` + s + `"`.
bool plain_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') return false;
  return true;
}

/// `v` as dump() writes it, through nlohmann's serializer (for what compact_into does not write itself).
void dump_into(std::string& out, const Json& v) {
  nlohmann::detail::serializer<Json> s(nlohmann::detail::output_adapter<char, std::string>(out), ' ',
                                       Json::error_handler_t::replace);
  s.dump(v, /*pretty_print=*/false, /*ensure_ascii=*/false, /*indent_step=*/0);
}

/// dump()'s compact text of `v`, written here for what payloads are made of (objects in key order, arrays,
/// ASCII strings, integers, booleans, null); the rest through nlohmann's serializer.
void compact_into(std::string& out, const Json& v) {
  switch (v.type()) {
    case Json::value_t::object: {
      out += '{';
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first) out += ',';
        first = false;
        append_json_string(out, it.key());
        out += ':';
        compact_into(out, it.value());
      }
      out += '}';
      return;
    }
    case Json::value_t::array: {
      out += '[';
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (i) out += ',';
        compact_into(out, v[i]);
      }
      out += ']';
      return;
    }
    case Json::value_t::string:
      append_json_string(out, v.get_ref<const std::string&>());
      return;
    case Json::value_t::boolean:
      out += v.get<bool>() ? "true" : "false";
      return;
    case Json::value_t::null:
      out += "null";
      return;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: {
      char buf[24];
      const auto res = v.is_number_unsigned()
                           ? std::to_chars(buf, buf + sizeof buf, v.get<std::uint64_t>())
                           : std::to_chars(buf, buf + sizeof buf, v.get<std::int64_t>());
      out.append(buf, res.ptr);
      return;
    }
    default:
      dump_into(out, v);  // floats (nlohmann's shortest round-trip form), binary, discarded
  }
}

}  // namespace

std::string compact_json(const Json& v, std::size_t reserve) {
  std::string out;
  out.reserve(reserve);
  compact_into(out, v);
  return out;
}

void append_json_string(std::string& out, std::string_view s) {
  if (plain_ascii(s)) {
    out += '"';
    out += s;
    out += '"';
  } else {
    dump_into(out, Json(std::string(s)));  // escapes, UTF-8 validated (and replaced where invalid)
  }
}

void append_compact_json(std::string& out, const Json& v) { compact_into(out, v); }

}  // namespace convene::events
