#include "core/events/normalize.h"

#include "core/error.h"
#include "core/events/field_rules.h"
#include "core/events/payload_scan.h"

namespace convene::events {
namespace {

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

constexpr std::string_view kChunkType = "transcription.chunk.received";

}  // namespace

const JitsiEventSpec& known_event(std::string_view name, const std::string& field) {
  const JitsiEventSpec* spec = find_jitsi_event(name);
  if (!spec)
    throw Error(code::kUnknownEventType, field,
                field + " '" + truncate_utf8(name, 64) + "' is not a Jitsi IFrame API event or a Convene event type");
  return *spec;
}

std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  std::size_t end = max_bytes;
  // Back up over continuation bytes (10xxxxxx) so that no sequence is split.
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

std::string truncate_utf8(std::string_view s, std::size_t max_bytes) { return std::string(utf8_prefix(s, max_bytes)); }

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
  const JitsiEventSpec& spec = known_event(name, "name");
  validate_context(ctx);
  static const Json kEmpty = Json::object();
  const Json& in = payload.is_object() ? payload : kEmpty;

  const SpecRules& ps = spec_rules(spec);
  EventRecord r;
  r.meeting_id = ctx.meeting_id;
  r.timestamp = now;
  const Json* on = ps.on_field.empty() ? nullptr : at_path(in, ps.on_field);
  r.type = record_type(spec, name, on && on->is_boolean() && on->get<bool>());

  if (const Json* pid = ps.participant.empty() ? nullptr : at_path(in, ps.participant); pid && pid->is_string() && !pid->get_ref<const std::string&>().empty() &&
                                                          pid->get_ref<const std::string&>().size() <= kMaxIdBytes)
    r.participant_id = pid->get<std::string>();
  else
    r.participant_id = ctx.participant_id;

  if (ps.whole_payload) {
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
  if (r.type == kChunkType) {
    if (auto mid = r.payload.find("messageID"); mid != r.payload.end() && mid->is_string()) r.message_id = *mid;
    auto fin = r.payload.find("final");
    r.final_text = fin != r.payload.end() && fin->is_string() && !fin->get_ref<const std::string&>().empty();
  }
  r.event_id = ids.next(now, random);
  return r;
}

EventRecord normalize_text(std::string_view name, std::string_view payload_json, const EventContext& ctx, UtcTime now,
                           UuidV7Generator& ids, Random& random) {
  // Reused between calls: the reader's stack and the scratch buffers (results depend
  // only on the arguments).
  thread_local PayloadScanner scanner;
  const JitsiEventSpec* spec = find_jitsi_event(name);
  if (!spec || !scanner.scan(*spec, payload_json.empty() ? std::string_view("{}") : payload_json)) {
    // The DOM path: also the one that reports bad JSON, then an unknown name, as before.
    const Json payload = payload_json.empty() ? Json::object() : parse_json(payload_json, "payload");
    return normalize(name, payload, ctx, now, ids, random);
  }
  validate_context(ctx);
  EventRecord r;
  r.type = record_type(*spec, name, scanner.on());
  r.timestamp = now;
  r.meeting_id = ctx.meeting_id;
  if (scanner.has_participant_id()) r.participant_id = std::string(scanner.participant_id());
  else r.participant_id = ctx.participant_id;
  r.payload = Json();  // not built: payload_text is the payload
  r.payload_text = scanner.payload_text();
  if (r.type == kChunkType) {
    r.message_id = scanner.message_id();
    r.final_text = scanner.final_text();
  }
  r.event_id = ids.next(now, random);
  return r;
}

}  // namespace convene::events
