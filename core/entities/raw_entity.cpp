#include "core/entities/raw_entity.h"

#include "core/error.h"

namespace convene::entities {
namespace {

void merge_attributes(const Json& attrs, Json& out, const std::string& field) {
  if (attrs.is_array()) {
    for (std::size_t i = 0; i < attrs.size(); ++i) {
      const Json& a = attrs[i];
      if (!a.is_object() || !a.contains("key") || !a["key"].is_string())
        throw Error(code::kInvalidInput, field + "[" + std::to_string(i) + "]",
                    field + "[" + std::to_string(i) + "] must be {key, value}");
      out[a["key"].get<std::string>()] = a.contains("value") ? a["value"] : Json();
    }
  } else if (attrs.is_object()) {
    for (auto it = attrs.begin(); it != attrs.end(); ++it) out[it.key()] = it.value();
  } else if (!attrs.is_null()) {
    throw Error(code::kInvalidType, field, field + " must be an array of {key, value} or an object, got " + json_type_name(attrs));
  }
}

}  // namespace

Json flatten_entity(const Json& entity, std::string_view field) {
  Input in(entity, std::string(field));
  if (!entity.contains("attributes") && !entity.contains("payload")) return entity;

  Json out = Json::object();
  if (const Json* a = in.get("attributes")) merge_attributes(*a, out, in.field("attributes"));
  if (const Json* p = in.get("payload")) {
    Json payload;
    if (p->is_string()) {
      const auto& text = p->get_ref<const std::string&>();
      payload = text.empty() ? Json::object() : Json::parse(text, nullptr, false);
    } else {
      payload = *p;
    }
    if (!payload.is_object() || json_type_name(payload) != "object")
      throw Error(code::kInvalidInput, in.field("payload"), in.field("payload") + " must be a JSON object");
    for (auto it = payload.begin(); it != payload.end(); ++it) out[it.key()] = it.value();
  }
  if (auto key = in.opt_str("key")) out["key"] = *key;
  else if (auto ek = in.opt_str("entityKey")) out["key"] = *ek;
  if (auto owner = in.opt_str("owner")) {
    std::string o = *owner;
    for (auto& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out["owner"] = o;
  }
  if (const Json* b = in.get("expiresAtBlock")) out["expiresAtBlock"] = *b;
  return out;
}

}  // namespace convene::entities
