// convene/core/json_input.h — reading validated input out of JSON.
//
// Every public core entry point that takes structured input takes a JSON value
// (the bindings pass what JS handed them, serialized once). `Input` wraps one
// JSON object and a dotted path (`input`, `options.now`, ...) so that each
// accessor can throw an `Error` that names the exact field.
//
// Values JSON cannot carry are marked by the JS layer before serializing:
// a BigInt becomes {"$jsType":"bigint"}, a function or symbol
// {"$jsType":"function"} / {"$jsType":"symbol"}. `json_type_name` reports
// them by their JS names, so a BigInt where a string belongs is reported as
// "got bigint", never silently dropped (the Arkiv SDK drops them; docs/toolchain.md#limits).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/time.h"

namespace convene {

using Json = nlohmann::json;

/// JS-facing type name of a JSON value: "string", "number", "boolean", "null",
/// "object", "array", or a marked "bigint" / "function" / "symbol".
std::string json_type_name(const Json& v);

/// Parses JSON text; throws Error{INVALID_INPUT, field} on malformed text.
/// A `\uD800`-`\uDFFF` escape that is not half of a surrogate pair (what JSON.stringify writes for a lone
/// surrogate in a JS string, e.g. an emoji cut in half) is read as U+FFFD, the replacement character
/// TextEncoder writes for the same string (WHATWG Encoding, "UTF-8 encode"): such text is not malformed
/// (docs/domain.md#text-from-javascript).
Json parse_json(std::string_view text, std::string_view field);

/// `text` with every escaped lone surrogate (above) replaced by the escape `\ufffd`; nullopt when it has none.
/// Escapes are recognised inside and outside strings alike (outside a string a backslash is malformed anyway).
std::optional<std::string> replace_lone_surrogate_escapes(std::string_view text);

/// An instant given as an ISO 8601 string (with offset) or epoch milliseconds
/// (a JS number). Throws INVALID_DATE / INVALID_TYPE naming `field`.
UtcTime read_instant(const Json& v, std::string_view field);

/// A JSON object read as input. Accessors throw:
///   MISSING_FIELD (absent, null, or empty string where required),
///   INVALID_TYPE  (present with the wrong type; message says what it got).
class Input {
 public:
  /// Throws INVALID_TYPE naming `path` unless `value` is an object.
  Input(const Json& value, std::string path);

  const Json& json() const { return *v_; }
  const std::string& path() const { return path_; }
  /// `path.key`, for error messages.
  std::string field(std::string_view key) const;
  /// The raw member, or nullptr when absent or null.
  const Json* get(std::string_view key) const;
  bool has(std::string_view key) const { return get(key) != nullptr; }

  /// Required non-empty string (whitespace-only counts as empty).
  std::string str(std::string_view key) const;
  /// Optional string: nullopt when absent or null; "" is returned as "".
  std::optional<std::string> opt_str(std::string_view key) const;
  /// Optional boolean; also accepts the strings "true"/"false" (Arkiv attribute form).
  std::optional<bool> opt_bool(std::string_view key) const;
  /// Optional finite number; also accepts a numeric string (attribute form).
  std::optional<double> opt_number(std::string_view key) const;
  /// Required instant (ISO 8601 string or epoch ms); see read_instant.
  UtcTime instant(std::string_view key) const;
  /// Optional nested object.
  std::optional<Input> opt_object(std::string_view key) const;

  [[noreturn]] void type_error(std::string_view key, std::string_view expected) const;

 private:
  const Json* v_;
  std::string path_;
};

}  // namespace convene
