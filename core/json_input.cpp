#include "json_input.h"

#include <cmath>

#include "error.h"

namespace convene {

std::string json_type_name(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return "boolean";
    case Json::value_t::string: return "string";
    case Json::value_t::array: return "array";
    case Json::value_t::binary: return "binary";
    case Json::value_t::discarded: return "undefined";
    case Json::value_t::object: {
      auto it = v.find("$jsType");
      if (it != v.end() && it->is_string() && v.size() == 1) return it->get<std::string>();
      return "object";
    }
    default: return "number";
  }
}

namespace {

/// The code unit of the `\uXXXX` escape at `text[at]`, or -1 when there is none there.
int escaped_unit(std::string_view text, std::size_t at) {
  if (at + 6 > text.size() || text[at] != '\\' || text[at + 1] != 'u') return -1;
  int unit = 0;
  for (std::size_t k = at + 2; k < at + 6; ++k) {
    const char c = text[k];
    const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (digit < 0) return -1;
    unit = unit * 16 + digit;
  }
  return unit;
}

}  // namespace

std::optional<std::string> replace_lone_surrogate_escapes(std::string_view text) {
  std::optional<std::string> out;
  std::size_t copied = 0;  // text[0, copied) is in `out` already
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') continue;
    const int unit = escaped_unit(text, i);
    if (unit < 0xD800 || unit > 0xDFFF) {
      ++i;  // any other escape, `\\` included: its second character is not the start of one
      continue;
    }
    if (unit <= 0xDBFF) {
      const int next = escaped_unit(text, i + 6);
      if (next >= 0xDC00 && next <= 0xDFFF) {
        i += 11;  // a pair: kept
        continue;
      }
    }
    if (!out) out.emplace();
    out->append(text.substr(copied, i - copied));
    out->append("\\ufffd");
    copied = i + 6;
    i += 5;
  }
  if (out) out->append(text.substr(copied));
  return out;
}

Json parse_json(std::string_view text, std::string_view field) {
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    if (auto repaired = replace_lone_surrogate_escapes(text)) {
      // Through a string_view, as above: one instantiation of the parser (docs/architecture.md#package-size-issue-17).
      j = Json::parse(std::string_view(*repaired), nullptr, /*allow_exceptions=*/false);
    }
  }
  if (j.is_discarded())
    throw Error(code::kInvalidInput, std::string(field), std::string(field) + " is not valid JSON");
  return j;
}

Input::Input(const Json& value, std::string path) : v_(&value), path_(std::move(path)) {
  if (!value.is_object() || json_type_name(value) != "object")
    throw Error(value.is_null() ? code::kMissingField : code::kInvalidType, path_,
                path_ + " must be an object, got " + json_type_name(value));
}

std::string Input::field(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

const Json* Input::get(std::string_view key) const {
  auto it = v_->find(key);
  if (it == v_->end() || it->is_null()) return nullptr;
  return &*it;
}

void Input::type_error(std::string_view key, std::string_view expected) const {
  const Json* j = get(key);
  std::string got = j ? json_type_name(*j) : "null";
  throw Error(code::kInvalidType, field(key), field(key) + " must be " + std::string(expected) + ", got " + got);
}

std::string Input::str(std::string_view key) const {
  auto s = opt_str(key);
  if (!s || s->find_first_not_of(" \t\r\n") == std::string::npos)
    throw Error(code::kMissingField, field(key), field(key) + " is required (a non-empty string)");
  return *s;
}

std::optional<std::string> Input::opt_str(std::string_view key) const {
  const Json* j = get(key);
  if (!j) return std::nullopt;
  if (!j->is_string()) type_error(key, "a string");
  return j->get<std::string>();
}

std::optional<bool> Input::opt_bool(std::string_view key) const {
  const Json* j = get(key);
  if (!j) return std::nullopt;
  if (j->is_boolean()) return j->get<bool>();
  if (j->is_string()) {
    const auto& s = j->get_ref<const std::string&>();
    if (s == "true") return true;
    if (s == "false") return false;
  }
  type_error(key, "a boolean");
}

std::optional<double> Input::opt_number(std::string_view key) const {
  const Json* j = get(key);
  if (!j) return std::nullopt;
  if (j->is_number()) {
    double d = j->get<double>();
    if (std::isfinite(d)) return d;
  } else if (j->is_string()) {
    const auto& s = j->get_ref<const std::string&>();
    if (!s.empty()) {
      char* end = nullptr;
      double d = std::strtod(s.c_str(), &end);
      if (end && *end == '\0' && std::isfinite(d)) return d;
    }
  }
  type_error(key, "a finite number");
}

UtcTime read_instant(const Json& v, std::string_view field) {
  if (v.is_string()) return parse_iso8601(v.get_ref<const std::string&>(), field);
  if (v.is_number()) return from_epoch_ms(v.get<double>(), field);
  throw Error(v.is_null() ? code::kMissingField : code::kInvalidType, std::string(field),
              std::string(field) + " must be an ISO 8601 string or epoch milliseconds, got " + json_type_name(v));
}

UtcTime Input::instant(std::string_view key) const {
  const Json* j = get(key);
  if (!j) throw Error(code::kMissingField, field(key), field(key) + " is required (an ISO 8601 date-time)");
  return read_instant(*j, field(key));
}

std::optional<Input> Input::opt_object(std::string_view key) const {
  const Json* j = get(key);
  if (!j) return std::nullopt;
  return Input(*j, field(key));
}

}  // namespace convene
