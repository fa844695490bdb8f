#include "core/jitsi/room.h"

#include <array>

#include "core/crypto/sodium.h"
#include "core/error.h"

namespace convene::jitsi {
namespace {

bool forbidden(unsigned char c) {
  if (c <= 0x20 || c == 0x7f) return true;
  static constexpr std::string_view kBad = ":?#[]@!$&'()*+,;=></\"\\%`{}|^";
  return kBad.find(static_cast<char>(c)) != std::string_view::npos;
}

std::string encode_uri_component(std::string_view s) {
  // ECMAScript encodeURIComponent: keep A-Z a-z 0-9 - _ . ! ~ * ' ( ), percent-encode other UTF-8 bytes.
  static constexpr std::string_view kKeep = "-_.!~*'()";
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
        kKeep.find(static_cast<char>(c)) != std::string_view::npos) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace

void validate_room_name(std::string_view name, std::string_view field) {
  std::string f(field);
  if (name.empty()) throw Error(code::kInvalidRoomName, f, f + " must not be empty");
  if (name.size() > kMaxRoomNameLength)
    throw Error(code::kInvalidRoomName, f, f + " is longer than " + std::to_string(kMaxRoomNameLength) + " bytes");
  for (unsigned char c : name)
    if (forbidden(c))
      throw Error(code::kInvalidRoomName, f,
                  f + " contains a character Jitsi room names cannot hold (whitespace or one of :?#[]@!$&'()*+,;=></\"\\)");
}

std::string session_room_name(std::string_view session_key) {
  if (session_key.empty()) throw Error(code::kMissingField, "sessionKey", "sessionKey is required");
  auto digest = crypto::sha256(session_key);
  std::string name = "mg-" + std::string(session_key) + "-" + crypto::to_hex(std::span(digest).first(8));
  try {
    validate_room_name(name, "sessionKey");
  } catch (const Error& e) {
    throw Error(code::kInvalidRoomName, "sessionKey", std::string("sessionKey cannot form a Jitsi room name: ") + e.what());
  }
  return name;
}

std::string gathering_room_name(Random& random) {
  std::array<std::uint8_t, 16> id{};
  random.fill(id);
  return "gathering-" + crypto::to_hex(id);
}

std::string join_url(std::string_view room_name, std::string_view base_url) {
  validate_room_name(room_name, "roomName");
  std::string base(base_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  auto scheme_end = base.find("://");
  bool ok = scheme_end != std::string::npos && (base.substr(0, scheme_end) == "https" || base.substr(0, scheme_end) == "http") &&
            base.size() > scheme_end + 3 && base.find_first_of("?# \t\r\n") == std::string::npos;
  if (!ok)
    throw Error(code::kInvalidUrl, "baseUrl",
                "baseUrl must be an absolute http(s) URL without query or fragment, e.g. https://meet.jit.si");
  return base + "/" + encode_uri_component(room_name);
}

}  // namespace convene::jitsi
