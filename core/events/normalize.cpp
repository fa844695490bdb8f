#include "core/events/normalize.h"

#include <type_traits>
#include <utility>

#include "core/error.h"
#include "core/events/field_rules.h"
#include "core/events/json_text.h"

namespace convene::events {
namespace {

/// The value at `path` below `root`, or nullptr (a `Json*` for a mutable root, else `const Json*`).
template <class J>
J* at_path(J& root, const std::vector<std::string>& path) {
  J* cur = &root;
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

/// Sets `r.payload` and its text; over kMaxPayloadBytes, only its scalars are kept (flagged).
void set_payload(EventRecord& r, Json payload) {
  r.payload = std::move(payload);
  r.payload_text = compact_json(r.payload);
  if (r.payload_text.size() > kMaxPayloadBytes) {
    r.payload = scalars_only(r.payload);
    r.payload_text = compact_json(r.payload);
  }
}

}  // namespace

std::string generic_event_type(std::string_view name, const std::string& field) {
  auto is_lower = [](char c) { return c >= 'a' && c <= 'z'; };
  auto is_upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  auto is_separator = [](char c) { return c == '.' || c == '_' || c == '-'; };
  auto refuse = [&](const std::string& why) {
    throw Error(code::kInvalidEventName, field,
                field + " " + Json(truncate_utf8(name, 64)).dump(-1, ' ', false, Json::error_handler_t::replace) +
                    " is not a catalogue event and cannot name a new one: " + why);
  };
  if (name.empty()) refuse("it is empty");
  if (name.size() > kMaxEventNameBytes)
    refuse("it is longer than " + std::to_string(kMaxEventNameBytes) + " bytes");
  if (!is_lower(name[0]) && !is_upper(name[0])) refuse("it must start with a letter");
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (!is_lower(c) && !is_upper(c) && !is_digit(c) && !is_separator(c))
      refuse("only ASCII letters, digits, '.', '_' and '-' are allowed");
    if (is_separator(c) && (i + 1 == name.size() || is_separator(name[i + 1])))
      refuse("a separator may not end it or follow another");
  }
  const std::string_view body = name.starts_with("x.") ? name.substr(2) : name;
  std::string type = "x";
  type.reserve(2 + body.size() * 2);
  bool word_start = true;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (is_separator(c)) {
      word_start = true;
      continue;
    }
    if (is_upper(c) && i > 0) {
      const char prev = body[i - 1];
      if (is_lower(prev) || is_digit(prev) || (is_upper(prev) && i + 1 < body.size() && is_lower(body[i + 1])))
        word_start = true;
    }
    if (word_start) type += '.';
    word_start = false;
    type += is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return type;
}

std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  std::size_t end = max_bytes;
  // Back up over continuation bytes (10xxxxxx) so that no sequence is split.
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

std::string truncate_utf8(std::string_view s, std::size_t max_bytes) { return std::string(utf8_prefix(s, max_bytes)); }

namespace {

/// sanitize() over a value it may read (`J` = const Json: what it keeps is copied) or consume
/// (`J` = Json: what it keeps is moved out, the rest of `value` is left in a valid but
/// unspecified state). The same rules either way: sanitize() is the const form.
template <class J>
Json sanitize_value(J& value, std::size_t max_string, std::size_t depth) {
  constexpr bool kConsume = !std::is_const_v<J>;
  switch (value.type()) {
    case Json::value_t::string: {
      const auto& s = value.template get_ref<const std::string&>();
      if (s.size() <= max_string) {
        if constexpr (kConsume) return std::move(value);
        else return value;
      }
      if constexpr (kConsume) {
        auto& owned = value.template get_ref<std::string&>();
        owned.resize(utf8_prefix(owned, max_string).size());
        return std::move(value);
      } else {
        return Json(truncate_utf8(s, max_string));
      }
    }
    case Json::value_t::boolean:
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
    case Json::value_t::null:
      return Json(value);
    case Json::value_t::array: {
      if (depth >= kMaxDepth) return Json();
      Json out = Json::array();
      for (auto& item : value) {
        if (out.size() >= kMaxItems) break;
        if (is_js_marker(item)) continue;
        out.push_back(sanitize_value(item, max_string, depth + 1));
      }
      return out;
    }
    case Json::value_t::object: {
      if (depth >= kMaxDepth || is_js_marker(value)) return Json();
      Json out = Json::object();
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (out.size() >= kMaxItems) break;
        if (is_js_marker(it.value())) continue;
        out[truncate_utf8(it.key(), 64)] = sanitize_value(it.value(), max_string, depth + 1);
      }
      return out;
    }
    default:
      return Json();  // binary / discarded: not JSON-safe
  }
}

}  // namespace

Json sanitize(const Json& value, std::size_t max_string, std::size_t depth) {
  return sanitize_value(value, max_string, depth);
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

namespace {

/// The text of the payload a catalogue row keeps: `{"out":value,…}` exactly as compact_json() writes the object
/// that `kept[rule.out] = sanitize(value)` in catalogue order builds (keys in std::map order, of rules with the same
/// `out` the last one present), without building it: each kept string is written as its capped prefix. For a
/// transcription chunk it also sets `r.message_id` and `r.final_text` from the kept `messageID` and `final`.
std::string kept_text(const Json& in, const SpecRules& ps, EventRecord& r) {
  const bool chunk = r.type == kChunkType;
  std::string out;
  out.reserve(160);
  out += '{';
  for (const auto& group : ps.by_out) {
    const Json* v = nullptr;
    const FieldRule* rule = nullptr;
    for (auto k = group.rbegin(); k != group.rend() && !v; ++k) {
      const Json* candidate = at_path(in, ps.rules[*k].path);
      if (candidate && !is_js_marker(*candidate)) {
        v = candidate;
        rule = &ps.rules[*k];
      }
    }
    if (!v) continue;
    if (out.size() > 1) out += ',';
    append_json_string(out, rule->out);
    out += ':';
    if (v->is_string()) {
      const std::string_view kept = utf8_prefix(v->get_ref<const std::string&>(), rule->max_string);
      append_json_string(out, kept);
      if (chunk && rule->out == "messageID") r.message_id = std::string(kept);
      if (chunk && rule->out == "final") r.final_text = !kept.empty();
    } else {
      append_compact_json(out, sanitize_value(*v, rule->max_string, 1));
    }
  }
  out += '}';
  return out;
}

/// normalize() over a payload it may read (`J` = const Json) or consume (`J` = Json: a whole payload
/// kept is moved out of it instead of copied; normalize_text() owns the parsed payload). One body, so
/// both give the same record.
template <class J>
EventRecord normalize_payload(std::string_view name, J& in, const EventContext& ctx, UtcTime now, UuidV7Generator& ids,
                              Random& random) {
  const JitsiEventSpec* found = find_jitsi_event(name);
  // A name outside the catalogue: the generic mapping (type from the name, whole payload, ctx participant).
  std::string generic_type = found ? std::string() : generic_event_type(name, "name");
  validate_context(ctx);

  EventRecord r;
  r.meeting_id = ctx.meeting_id;
  r.timestamp = now;
  if (!found) {
    r.type = std::move(generic_type);
    r.participant_id = ctx.participant_id;
    set_payload(r, sanitize_value(in, kMaxStringBytes, 0));
    r.event_id = ids.next(now, random);
    return r;
  }
  const JitsiEventSpec& spec = *found;
  const SpecRules& ps = spec_rules(spec);
  const Json* on = ps.on_field.empty() ? nullptr : at_path(in, ps.on_field);
  r.type = record_type(spec, name, on && on->is_boolean() && on->get<bool>());

  if (const Json* pid = ps.participant.empty() ? nullptr : at_path(in, ps.participant); pid && pid->is_string() && !pid->get_ref<const std::string&>().empty() &&
                                                          pid->get_ref<const std::string&>().size() <= kMaxIdBytes)
    r.participant_id = pid->get<std::string>();
  else
    r.participant_id = ctx.participant_id;

  if (ps.whole_payload) {
    set_payload(r, sanitize_value(in, kMaxStringBytes, 0));
  } else {
    // A row's kept payload is written as text (kept_text): the one definition of what a row keeps.
    std::string text = kept_text(std::as_const(in), ps, r);
    if (text.size() <= kMaxPayloadBytes) {
      r.payload = Json();  // record_payload() reads the text
      r.payload_text = std::move(text);
      r.event_id = ids.next(now, random);
      return r;
    }
    // Over the cap (rare): that text read back as the object, for set_payload's scalars-only form; the chunk fields
    // are then read from that form, as for every over-cap payload.
    r.message_id.clear();
    r.final_text = false;
    set_payload(r, parse_json(text, "payload"));
  }
  if (r.type == kChunkType) {
    if (auto mid = r.payload.find("messageID"); mid != r.payload.end() && mid->is_string()) r.message_id = *mid;
    auto fin = r.payload.find("final");
    r.final_text = fin != r.payload.end() && fin->is_string() && !fin->get_ref<const std::string&>().empty();
  }
  r.event_id = ids.next(now, random);
  return r;
}

const Json& empty_object() {
  static const Json kEmpty = Json::object();
  return kEmpty;
}

}  // namespace

EventRecord normalize(std::string_view name, const Json& payload, const EventContext& ctx, UtcTime now,
                      UuidV7Generator& ids, Random& random) {
  return normalize_payload(name, payload.is_object() ? payload : empty_object(), ctx, now, ids, random);
}

EventRecord normalize_text(std::string_view name, std::string_view payload_json, const EventContext& ctx, UtcTime now,
                           UuidV7Generator& ids, Random& random) {
  // One definition: the text is parsed (bad JSON is reported first), then normalize() decides —
  // the same body, consuming the parsed payload (a whole payload kept is moved, not copied).
  if (payload_json.empty()) return normalize(name, empty_object(), ctx, now, ids, random);
  Json payload = parse_json(payload_json, "payload");
  if (!payload.is_object()) return normalize(name, empty_object(), ctx, now, ids, random);
  return normalize_payload(name, payload, ctx, now, ids, random);
}

}  // namespace convene::events
