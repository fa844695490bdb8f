#include "core/jitsi/jwt.h"

#include <sodium.h>

#include <string>
#include <vector>

#include "core/crypto/sodium.h"
#include "core/error.h"
#include "core/json_input.h"

namespace convene::jitsi {
namespace {

[[noreturn]] void bad(std::string_view field, const std::string& why) {
  throw Error(code::kInvalidJwt, std::string(field), std::string(field) + " is not a usable Jitsi JWT: " + why);
}

Json decode_segment(std::string_view seg, std::string_view field, const char* what) {
  crypto::ensure_sodium();
  std::vector<unsigned char> bin(seg.size() + 3);
  size_t len = 0;
  if (sodium_base642bin(bin.data(), bin.size(), seg.data(), seg.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
    bad(field, std::string(what) + " is not base64url");
  // Through a string_view, as parse_json does: one instantiation of nlohmann's parser per module.
  Json j = Json::parse(std::string_view(reinterpret_cast<const char*>(bin.data()), len), nullptr, false);
  if (!j.is_object()) bad(field, std::string(what) + " is not a JSON object");
  return j;
}

}  // namespace

void check_jwt(std::string_view token, UtcTime now, std::string_view field) {
  auto d1 = token.find('.');
  auto d2 = d1 == std::string_view::npos ? d1 : token.find('.', d1 + 1);
  if (d2 == std::string_view::npos || token.find('.', d2 + 1) != std::string_view::npos)
    bad(field, "expected header.claims.signature");
  Json header = decode_segment(token.substr(0, d1), field, "the header");
  Json claims = decode_segment(token.substr(d1 + 1, d2 - d1 - 1), field, "the claims");
  auto alg = header.value("alg", std::string());
  if (alg != "HS256" && alg != "RS256") bad(field, "alg must be HS256 or RS256, got '" + alg + "'");
  if (!claims.contains("exp") || !claims["exp"].is_number()) bad(field, "the claims have no numeric exp");
  double exp_s = claims["exp"].get<double>();
  if (exp_s * 1000.0 <= static_cast<double>(to_epoch_ms(now))) bad(field, "it has expired (exp is in the past)");
}

}  // namespace convene::jitsi
