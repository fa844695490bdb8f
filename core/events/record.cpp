#include "core/events/record.h"

namespace convene::events {
namespace {
void append_string(std::string& out, const std::string& s) {
  out += Json(s).dump(-1, ' ', false, Json::error_handler_t::replace);
}
}  // namespace

Json to_json(const EventRecord& r) {
  Json j = Json::object();
  j["eventId"] = r.event_id;
  j["type"] = r.type;
  j["timestamp"] = format_iso8601(r.timestamp);
  j["meetingId"] = r.meeting_id;
  if (r.participant_id) j["participantId"] = *r.participant_id;
  j["payload"] = r.payload;
  return j;
}

std::string to_json_text(const EventRecord& r) {
  if (!r.payload_text.empty()) return to_json_text(r, r.payload_text);
  return to_json_text(r, r.payload.dump(-1, ' ', false, Json::error_handler_t::replace));
}

std::string to_json_text(const EventRecord& r, std::string_view payload_text) {
  std::string out;
  out.reserve(160 + payload_text.size());
  out += "{\"eventId\":";
  append_string(out, r.event_id);
  out += ",\"type\":";
  append_string(out, r.type);
  out += ",\"timestamp\":\"";
  out += format_iso8601(r.timestamp);
  out += "\",\"meetingId\":";
  append_string(out, r.meeting_id);
  if (r.participant_id) {
    out += ",\"participantId\":";
    append_string(out, *r.participant_id);
  }
  out += ",\"payload\":";
  out += payload_text;
  out += '}';
  return out;
}

}  // namespace convene::events
