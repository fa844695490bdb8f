#include "core/meetings/event.h"

#include <string_view>
#include <tuple>

#include "core/entities/record.h"
#include "core/error.h"
#include "core/events/normalize.h"

namespace convene::meetings {
namespace {

std::string required_id(const Input& in, std::string_view key, std::size_t max_bytes) {
  std::string s = in.str(key);
  if (s.size() > max_bytes)
    throw Error(code::kInvalidInput, in.field(key), in.field(key) + " is longer than " + std::to_string(max_bytes) + " bytes");
  return s;
}

/// A non-empty string member of `payload`, capped like any payload string (normalize.h).
std::optional<std::string> text_field(const Json& payload, const char* key) {
  auto it = payload.find(key);
  if (it == payload.end() || !it->is_string()) return std::nullopt;
  const auto& s = it->get_ref<const std::string&>();
  if (s.empty()) return std::nullopt;
  return events::truncate_utf8(s, events::kMaxStringBytes);
}

std::optional<bool> bool_field(const Json& payload, const char* key) {
  auto it = payload.find(key);
  if (it == payload.end() || !it->is_boolean()) return std::nullopt;
  return it->get<bool>();
}

}  // namespace

bool MeetingEvent::content_less(const MeetingEvent& o) const {
  return std::tie(at, type, meeting_id, participant_id, payload_text) <
         std::tie(o.at, o.type, o.meeting_id, o.participant_id, o.payload_text);
}

bool MeetingEvent::same_content(const MeetingEvent& o) const {
  return at == o.at && type == o.type && meeting_id == o.meeting_id && participant_id == o.participant_id &&
         payload_text == o.payload_text;
}

void classify(MeetingEvent& e, const Json& payload) {
  const std::string& t = e.type;
  e.kind = EventKind::kOther;
  if (t == "participant.joined" || t == "conference.joined") {
    e.kind = EventKind::kJoined;
    e.display_name = text_field(payload, "displayName");
  } else if (t == "participant.left" || t == "conference.left" || t == "participant.kicked") {
    e.kind = EventKind::kLeft;
  } else if (t == "participant.display.name.changed") {
    if ((e.display_name = text_field(payload, "displayName"))) e.kind = EventKind::kDisplayName;
  } else if (t == "participant.role.changed") {
    if ((e.role = text_field(payload, "role"))) e.kind = EventKind::kRole;
  } else if (t == "dominant.speaker.changed") {
    e.kind = EventKind::kDominantSpeaker;
  } else if (t == "screen.share.started") {
    e.kind = EventKind::kScreenShareOn;
  } else if (t == "screen.share.stopped") {
    e.kind = EventKind::kScreenShareOff;
  } else if (t == "content.sharing.participants.changed") {
    auto ids = payload.find("participantIds");
    if (ids != payload.end() && ids->is_array()) {
      e.kind = EventKind::kSharingSet;
      for (const auto& id : *ids)
        if (id.is_string() && !id.get_ref<const std::string&>().empty()) e.sharing.push_back(id.get<std::string>());
    }
  } else if (t == "audio.mute.changed") {
    if (auto muted = bool_field(payload, "muted")) {
      e.kind = EventKind::kAudioMute;
      e.on = *muted;
    }
  } else if (t == "participant.muted") {
    auto media = payload.find("mediaType");
    auto muted = bool_field(payload, "isMuted");
    if (muted && media != payload.end() && *media == "audio") {
      e.kind = EventKind::kAudioMute;
      e.on = *muted;
    }
  }
  // Who an event is about is the record's participantId: without one, nothing to attribute.
  if (!e.participant_id && e.kind != EventKind::kSharingSet) e.kind = EventKind::kOther;
}

MeetingEvent decode_event(const Json& record, const std::string& field) {
  Input in(record, field);
  MeetingEvent e;
  e.event_id = required_id(in, "eventId", kMaxEventIdBytes);
  e.type = required_id(in, "type", kMaxTypeBytes);
  e.meeting_id = required_id(in, "meetingId", events::kMaxIdBytes);
  const Json* ts = in.get("timestamp");
  if (!ts) throw Error(code::kMissingField, in.field("timestamp"), in.field("timestamp") + " is required");
  if (!ts->is_string()) in.type_error("timestamp", "an ISO 8601 string");
  e.at = parse_iso8601(ts->get_ref<const std::string&>(), in.field("timestamp"));
  if (auto p = in.opt_str("participantId"); p && !p->empty()) {
    if (p->size() > events::kMaxIdBytes)
      throw Error(code::kInvalidInput, in.field("participantId"),
                  in.field("participantId") + " is longer than " + std::to_string(events::kMaxIdBytes) + " bytes");
    e.participant_id = std::move(*p);
  }
  static const Json kEmpty = Json::object();
  const Json* payload = in.get("payload");
  if (payload && !payload->is_object()) in.type_error("payload", "an object");
  if (payload && entities::json_value_nesting_exceeds(*payload, kMaxPayloadNesting))
    throw Error(code::kInvalidInput, in.field("payload"),
                in.field("payload") + " nests deeper than " + std::to_string(kMaxPayloadNesting) + " levels");
  const Json& p = payload ? *payload : kEmpty;
  e.payload_text = p.dump(-1, ' ', false, Json::error_handler_t::replace);
  classify(e, p);
  return e;
}

}  // namespace convene::meetings
