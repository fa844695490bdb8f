#include "core/events/normalize.h"

#include <unordered_map>
#include <vector>

#include "core/error.h"

namespace convene::events {
namespace {

struct FieldRule {
  std::vector<std::string> path;  // dotted path split
  std::string out;                // payload key
  std::size_t max_string;
};

// A catalogue row's `fields`, `participant` and `on_field`, parsed once.
struct ParsedSpec {
  std::vector<FieldRule> rules;
  std::vector<std::string> participant;
  std::vector<std::string> on_field;
};

bool is_text_field(std::string_view out) {
  return out == "message" || out == "final" || out == "stable" || out == "unstable" || out == "description";
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t end = s.find(sep, start);
    if (end == std::string_view::npos) end = s.size();
    if (end > start) parts.emplace_back(s.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

// Catalogue strings parsed once per row, all rows at first use (no locking afterwards).
const ParsedSpec& parsed(const JitsiEventSpec& spec) {
  static const std::unordered_map<const JitsiEventSpec*, ParsedSpec> cache = [] {
    std::unordered_map<const JitsiEventSpec*, ParsedSpec> m;
    for (const auto& row : jitsi_event_catalogue()) {
      ParsedSpec p;
      if (row.fields != "*") {
        for (const auto& entry : split(row.fields, ',')) {
          auto eq = entry.find('=');
          FieldRule r;
          r.path = split(entry.substr(0, eq), '.');
          r.out = eq == std::string::npos ? r.path.back() : entry.substr(eq + 1);
          r.max_string = is_text_field(r.out) ? kMaxTextBytes : kMaxStringBytes;
          p.rules.push_back(std::move(r));
        }
      }
      p.participant = split(row.participant, '.');
      p.on_field = split(row.on_field, '.');
      m.emplace(&row, std::move(p));
    }
    return m;
  }();
  return cache.at(&spec);
}

const Json* at_path(const Json& root, const std::vector<std::string>& path) {
  const Json* cur = &root;
  for (const auto& key : path) {
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(key);
    if (it == cur->end()) return nullptr;
    cur = &*it;
  }
  return cur;
}

bool is_js_marker(const Json& v) {
  return v.is_object() && v.size() == 1 && v.contains("$jsType");
}

Json scalars_only(const Json& payload) {
  Json out = Json::object();
  for (auto it = payload.begin(); it != payload.end(); ++it) {
    const Json& v = it.value();
    if (v.is_string()) out[it.key()] = truncate_utf8(v.get_ref<const std::string&>(), 128);
    else if (v.is_primitive()) out[it.key()] = v;
  }
  out["truncated"] = true;
  return out;
}

}  // namespace

std::string truncate_utf8(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  std::size_t end = max_bytes;
  // Back up over continuation bytes (10xxxxxx) so that no sequence is split.
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return std::string(s.substr(0, end));
}

Json sanitize(const Json& value, std::size_t max_string, std::size_t depth) {
  switch (value.type()) {
    case Json::value_t::string: {
      const auto& s = value.get_ref<const std::string&>();
      return s.size() <= max_string ? value : Json(truncate_utf8(s, max_string));
    }
    case Json::value_t::boolean:
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
    case Json::value_t::null:
      return value;
    case Json::value_t::array: {
      if (depth >= kMaxDepth) return Json();
      Json out = Json::array();
      for (const auto& item : value) {
        if (out.size() >= kMaxItems) break;
        if (is_js_marker(item)) continue;
        out.push_back(sanitize(item, max_string, depth + 1));
      }
      return out;
    }
    case Json::value_t::object: {
      if (depth >= kMaxDepth || is_js_marker(value)) return Json();
      Json out = Json::object();
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (out.size() >= kMaxItems) break;
        if (is_js_marker(it.value())) continue;
        out[truncate_utf8(it.key(), 64)] = sanitize(it.value(), max_string, depth + 1);
      }
      return out;
    }
    default:
      return Json();  // binary / discarded: not JSON-safe
  }
}

void validate_context(const EventContext& ctx) {
  if (ctx.meeting_id.find_first_not_of(" \t\r\n") == std::string::npos)
    throw Error(code::kMissingField, "ctx.meetingId", "ctx.meetingId is required (a non-empty string)");
  if (ctx.meeting_id.size() > kMaxIdBytes)
    throw Error(code::kInvalidInput, "ctx.meetingId",
                "ctx.meetingId is longer than " + std::to_string(kMaxIdBytes) + " bytes");
  if (ctx.participant_id && ctx.participant_id->size() > kMaxIdBytes)
    throw Error(code::kInvalidInput, "ctx.participantId",
                "ctx.participantId is longer than " + std::to_string(kMaxIdBytes) + " bytes");
}

EventRecord normalize(std::string_view name, const Json& payload, const EventContext& ctx, UtcTime now,
                      UuidV7Generator& ids, Random& random) {
  const JitsiEventSpec* spec = find_jitsi_event(name);
  if (!spec)
    throw Error(code::kUnknownEventType, "name",
                "name '" + truncate_utf8(name, 64) + "' is not a Jitsi IFrame API event or a Convene event type");
  validate_context(ctx);
  static const Json kEmpty = Json::object();
  const Json& in = payload.is_object() ? payload : kEmpty;

  const ParsedSpec& ps = parsed(*spec);
  EventRecord r;
  r.meeting_id = ctx.meeting_id;
  r.timestamp = now;
  r.type = spec->type;
  if (!spec->on_field.empty()) {
    // Two types for on/off: the Jitsi boolean decides; a Convene type name given directly wins.
    const Json* on = at_path(in, ps.on_field);
    bool is_on = on && on->is_boolean() && on->get<bool>();
    if (name == spec->type) is_on = true;
    else if (name == spec->type_off) is_on = false;
    r.type = is_on ? spec->type : spec->type_off;
  }

  if (const Json* pid = ps.participant.empty() ? nullptr : at_path(in, ps.participant); pid && pid->is_string() && !pid->get_ref<const std::string&>().empty() &&
                                                          pid->get_ref<const std::string&>().size() <= kMaxIdBytes)
    r.participant_id = pid->get<std::string>();
  else
    r.participant_id = ctx.participant_id;

  if (spec->fields == "*") {
    r.payload = sanitize(in);
  } else {
    for (const auto& rule : ps.rules) {
      const Json* v = at_path(in, rule.path);
      if (!v || is_js_marker(*v)) continue;
      r.payload[rule.out] = sanitize(*v, rule.max_string, 1);
    }
  }
  r.payload_text = r.payload.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (r.payload_text.size() > kMaxPayloadBytes) {
    r.payload = scalars_only(r.payload);
    r.payload_text = r.payload.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
  r.event_id = ids.next(now, random);
  return r;
}

}  // namespace convene::events
