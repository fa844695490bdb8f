#include "core/entities/record.h"

#include <cctype>

#include "core/error.h"

namespace convene::entities {
namespace {

[[noreturn]] void malformed(const std::string& f, const std::string& what) {
  throw Error(code::kMalformedEntity, f, f + " " + what);
}


/// Rejects string values over the limit anywhere in `v` (depth already bounded).
void check_strings(const Json& v, const std::string& f) {
  if (v.is_string()) {
    if (v.get_ref<const std::string&>().size() > kMaxEntityStringBytes)
      malformed(f, "holds a string over " + std::to_string(kMaxEntityStringBytes) + " bytes");
  } else if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (it.key().size() > kMaxEntityStringBytes) malformed(f, "holds a field name over the size limit");
      check_strings(it.value(), f + "." + it.key());
    }
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) check_strings(v[i], f + "[" + std::to_string(i) + "]");
  }
}

void check_field_name(const std::string& name, const std::string& f) {
  if (is_metadata_field(name)) malformed(f, "uses the name of a metadata field ('" + name + "')");
}

Json decode_payload(const Json& p, const std::string& f) {
  Json payload;
  if (p.is_string()) {
    const auto& text = p.get_ref<const std::string&>();
    if (text.empty()) return Json::object();
    if (text.size() > kMaxEntityPayloadBytes) malformed(f, "is over " + std::to_string(kMaxEntityPayloadBytes) + " bytes");
    if (json_nesting_exceeds(text, kMaxEntityNesting)) malformed(f, "nests deeper than " + std::to_string(kMaxEntityNesting) + " levels");
    // Through a string_view, as parse_json does: one instantiation of nlohmann's parser per module.
    payload = Json::parse(std::string_view(text), nullptr, false);
    if (payload.is_discarded()) malformed(f, "is not valid JSON");
  } else {
    if (json_value_nesting_exceeds(p, kMaxEntityNesting)) malformed(f, "nests deeper than " + std::to_string(kMaxEntityNesting) + " levels");
    payload = p;
  }
  if (!payload.is_object() || json_type_name(payload) != "object")
    malformed(f, "must be a JSON object, got " + json_type_name(payload));
  return payload;
}

/// Text of a scalar claim, for comparing an attribute with a payload field.
std::optional<std::string> scalar_text(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (d == static_cast<double>(static_cast<std::int64_t>(d)) && d > -9.2e18 && d < 9.2e18)
      return std::to_string(static_cast<std::int64_t>(d));
    return v.dump();
  }
  return std::nullopt;
}

bool same_claim(const Json& a, const Json& b) {
  if (a == b) return true;
  auto x = scalar_text(a), y = scalar_text(b);
  if (!x || !y) return false;
  if (*x == *y) return true;
  auto wx = Wallet::try_parse(*x), wy = Wallet::try_parse(*y);
  return wx && wy && *wx == *wy;
}

}  // namespace

bool json_nesting_exceeds(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

bool json_value_nesting_exceeds(const Json& v, int max_depth) {
  if (!v.is_structured()) return false;
  if (max_depth <= 0) return true;
  for (const auto& child : v)
    if (json_value_nesting_exceeds(child, max_depth - 1)) return true;
  return false;
}

std::optional<std::string> EntityRecord::type() const {
  const Json& src = flat ? payload : attributes;
  auto it = src.find("type");
  if (it == src.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

Json EntityRecord::merged(std::string_view field) const {
  Json out = attributes;
  for (auto it = payload.begin(); it != payload.end(); ++it) {
    auto a = out.find(it.key());
    if (a != out.end() && !same_claim(*a, it.value()))
      throw Error(code::kConflictingFields, std::string(field) + "." + it.key(),
                  std::string(field) + "." + it.key() + " differs between the attributes and the payload");
    if (a == out.end()) out[it.key()] = it.value();
    // Equal claims: the attribute's value stays (it is what queries match).
  }
  if (!key.empty()) out["key"] = key;
  provenance.write_to(out);
  return out;
}

EntityRecord decode_entity(const Json& entity, std::string_view field) {
  const std::string f(field);
  if (!entity.is_object() || json_type_name(entity) != "object")
    malformed(f, "must be an entity object, got " + json_type_name(entity));
  EntityRecord r;
  r.provenance = read_provenance(entity, f);
  for (const char* k : {"key", "entityKey"}) {
    auto it = entity.find(k);
    if (it == entity.end() || it->is_null()) continue;
    if (!it->is_string() || it->get_ref<const std::string&>().size() > 200) malformed(f + "." + k, "must be an entity key");
    r.key = it->get<std::string>();
    break;
  }

  r.flat = !entity.contains("attributes") && !entity.contains("payload");
  if (r.flat) {
    // A parsed object: everything but the metadata is its fields.
    if (json_value_nesting_exceeds(entity, kMaxEntityNesting)) malformed(f, "nests deeper than " + std::to_string(kMaxEntityNesting) + " levels");
    for (auto it = entity.begin(); it != entity.end(); ++it)
      if (!is_metadata_field(it.key())) r.payload[it.key()] = it.value();
    check_strings(r.payload, f);
    return r;
  }

  if (auto a = entity.find("attributes"); a != entity.end() && !a->is_null()) {
    const std::string af = f + ".attributes";
    auto add = [&](const std::string& k, const Json& v, const std::string& vf) {
      if (!(v.is_string() || v.is_number_unsigned() || v.is_number_integer() || v.is_number_float()))
        malformed(vf, "must be a string or a number, got " + json_type_name(v));
      check_field_name(k, vf);
      auto prev = r.attributes.find(k);
      if (prev != r.attributes.end() && !same_claim(*prev, v))
        throw Error(code::kConflictingFields, af + "." + k, af + "." + k + " appears twice with different values");
      r.attributes[k] = v;
    };
    if (a->is_array()) {
      for (std::size_t i = 0; i < a->size(); ++i) {
        const Json& item = (*a)[i];
        std::string vf = af + "[" + std::to_string(i) + "]";
        if (!item.is_object() || !item.contains("key") || !item["key"].is_string()) malformed(vf, "must be {key, value}");
        add(item["key"].get<std::string>(), item.contains("value") ? item["value"] : Json(), vf);
      }
    } else if (a->is_object() && json_type_name(*a) == "object") {
      for (auto it = a->begin(); it != a->end(); ++it) add(it.key(), it.value(), af + "." + it.key());
    } else {
      malformed(af, "must be an array of {key, value}, got " + json_type_name(*a));
    }
    check_strings(r.attributes, af);
  }
  if (auto p = entity.find("payload"); p != entity.end() && !p->is_null()) {
    r.payload = decode_payload(*p, f + ".payload");
    for (auto it = r.payload.begin(); it != r.payload.end(); ++it) check_field_name(it.key(), f + ".payload." + it.key());
    check_strings(r.payload, f + ".payload");
  }
  return r;
}

}  // namespace convene::entities
