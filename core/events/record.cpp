#include "core/events/record.h"

#include "core/events/json_text.h"

namespace convene::events {
namespace {
void append_string(std::string& out, std::string_view s) { append_json_string(out, s); }
}  // namespace

Json record_payload(const EventRecord& r) {
  if (r.payload.is_null() && !r.payload_text.empty()) return Json::parse(std::string_view(r.payload_text));
  return r.payload;
}

Json to_json(const EventRecord& r) {
  Json j = Json::object();
  j["eventId"] = r.event_id;
  j["type"] = r.type;
  j["timestamp"] = format_iso8601(r.timestamp);
  j["meetingId"] = r.meeting_id;
  if (r.participant_id) j["participantId"] = *r.participant_id;
  j["payload"] = record_payload(r);
  return j;
}

std::string to_json_text(const EventRecord& r) {
  if (!r.payload_text.empty() || r.payload.is_null()) return to_json_text(r, r.payload_text.empty() ? "{}" : r.payload_text);
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
  append_iso8601(out, r.timestamp);
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
