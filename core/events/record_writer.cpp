#include "core/events/record_writer.h"

#include <array>
#include <cstring>

#include "core/error.h"
#include "core/events/json_text.h"
#include "core/events/record.h"
#include "core/json_input.h"

namespace convene::events {
std::string_view RecordWriter::timestamp_text(UtcTime now) {
  const std::int64_t ms = to_epoch_ms(now);
  if (ms != timestamp_ms_) {
    timestamp_ = format_iso8601(now);
    timestamp_ms_ = ms;
  }
  return timestamp_;
}

std::string_view RecordWriter::meeting_json(const std::string& meeting_id) {
  if (!has_meeting_ || meeting_id != meeting_id_) {
    meeting_json_.clear();
    append_json_string(meeting_json_, meeting_id);
    meeting_id_ = meeting_id;
    has_meeting_ = true;
  }
  return meeting_json_;
}

void RecordWriter::append(std::string& out, std::string_view name, std::string_view payload_json,
                          const EventContext& ctx, UtcTime now, UuidV7Generator& ids, Random& random) {
  const JitsiEventSpec* spec = find_jitsi_event(name);
  if (!spec || !scanner_.scan(*spec, payload_json.empty() ? std::string_view("{}") : payload_json)) {
    // The DOM path (and its errors, bad JSON first), as normalize_text() takes it.
    write_dom(out, name, payload_json.empty() ? Json::object() : parse_json(payload_json, "payload"), ctx, now, ids,
              random);
    return;
  }
  validate_context(ctx);
  write_scanned(out, *spec, name, ctx, now, ids, random);
}

void RecordWriter::write_dom(std::string& out, std::string_view name, const Json& payload, const EventContext& ctx,
                             UtcTime now, UuidV7Generator& ids, Random& random) {
  out += to_json_text(normalize(name, payload, ctx, now, ids, random));
}

void RecordWriter::write_scanned(std::string& out, const JitsiEventSpec& spec, std::string_view name,
                                 const EventContext& ctx, UtcTime now, UuidV7Generator& ids, Random& random) {
  const std::string_view meeting = meeting_json(ctx.meeting_id);
  const std::string_view timestamp = timestamp_text(now);
  const std::string_view type = record_type(spec, name, scanner_.on());
  const std::size_t payload_size = scanner_.payload_size();
  const std::string_view participant =
      scanner_.has_participant_id() ? scanner_.participant_id()
                                    : ctx.participant_id ? std::string_view(*ctx.participant_id) : std::string_view();
  const bool has_participant = scanner_.has_participant_id() || ctx.participant_id.has_value();
  const bool plain_participant = has_participant && !json_needs_escape(participant);
  if (has_participant && !plain_participant) {
    participant_json_.clear();
    append_json_string(participant_json_, participant);
  }
  const auto id = ids.next_bytes(now, random);  // last, as in normalize_text(): errors draw nothing

  // One resize, then plain copies: string appends cost more than the copying in WASM.
  // Catalogue types and UUID text never need escaping.
  static constexpr std::string_view k1 = "{\"eventId\":\"", k2 = "\",\"type\":\"", k3 = "\",\"timestamp\":\"",
                                    k4 = "\",\"meetingId\":", k5 = ",\"participantId\":", k6 = ",\"payload\":";
  const std::size_t participant_size =
      !has_participant ? 0 : k5.size() + (plain_participant ? participant.size() + 2 : participant_json_.size());
  const std::size_t base = out.size();
  out.resize(base + k1.size() + 36 + k2.size() + type.size() + k3.size() + timestamp.size() + k4.size() +
             meeting.size() + participant_size + k6.size() + payload_size + 1);
  char* p = out.data() + base;
  auto put = [&p](std::string_view s) { p = copy_bytes(p, s.data(), s.size()); };
  put(k1);
  format_uuid(id, std::span<char, 36>(p, 36));
  p += 36;
  put(k2);
  put(type);
  put(k3);
  put(timestamp);
  put(k4);
  put(meeting);
  if (plain_participant) {
    put(k5);
    *p++ = '"';
    put(participant);
    *p++ = '"';
  } else if (has_participant) {
    put(k5);
    put(participant_json_);
  }
  put(k6);
  p = scanner_.write_payload(p);
  *p = '}';
}

class RecordWriter::ArrayVisitor final : public PayloadVisitor {
 public:
  ArrayVisitor(RecordWriter& w, std::string& out, std::span<const KnownEvent> events, const EventContext& ctx,
               UtcTime now, UuidV7Generator& ids, Random& random)
      : w_(w), out_(out), events_(events), ctx_(ctx), now_(now), ids_(ids), random_(random) {}

  void scanned(std::size_t i, const PayloadScanner&) override {
    separate(i);
    w_.write_scanned(out_, *events_[i].spec, events_[i].name, ctx_, now_, ids_, random_);
  }
  void declined(std::size_t i, std::string_view payload_json) override {
    separate(i);
    write_dom(out_, events_[i].name, parse_json(payload_json, "payloads." + std::to_string(i)), ctx_, now_, ids_,
              random_);
  }
  void not_object(std::size_t i) override {
    separate(i);
    write_dom(out_, events_[i].name, Json::object(), ctx_, now_, ids_, random_);
  }

 private:
  void separate(std::size_t i) {
    if (i) out_ += ',';
  }
  RecordWriter& w_;
  std::string& out_;
  std::span<const KnownEvent> events_;
  const EventContext& ctx_;
  UtcTime now_;
  UuidV7Generator& ids_;
  Random& random_;
};

void RecordWriter::append_array(std::string& out, std::span<const std::string_view> names,
                                std::string_view payloads_json, const EventContext& ctx, UtcTime now,
                                UuidV7Generator& ids, Random& random) {
  known_.resize(names.size());
  for (std::size_t i = 0; i < names.size(); ++i)
    known_[i] = KnownEvent{names[i], &known_event(names[i], "events." + std::to_string(i) + ".name")};
  append_array(out, std::span<const KnownEvent>(known_), payloads_json, ctx, now, ids, random);
}

void RecordWriter::append_array(std::string& out, std::span<const KnownEvent> events, std::string_view payloads_json,
                                const EventContext& ctx, UtcTime now, UuidV7Generator& ids, Random& random) {
  validate_context(ctx);
  specs_.resize(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) specs_[i] = events[i].spec;
  const std::size_t start = out.size();
  auto count_error = [&](std::size_t count) {
    return Error(code::kInvalidInput, "payloads",
                 "payloads has " + std::to_string(count) + " elements for " + std::to_string(events.size()) +
                     " event names");
  };
  try {
    out += '[';
    ArrayVisitor visitor(*this, out, events, ctx, now, ids, random);
    const PayloadScanner::ArrayScan scan = scanner_.scan_array(specs_, payloads_json, visitor);
    if (scan.too_many) throw count_error(events.size() + 1);
    if (!scan.complete) {
      // Not JSON, not an array, or text the fast reader may read differently: the DOM
      // reader decides (and names the fault), element by element.
      out.resize(start + 1);
      const Json all = parse_json(payloads_json, "payloads");
      if (!all.is_array()) throw Error(code::kInvalidType, "payloads", "payloads must be a JSON array");
      if (all.size() != events.size()) throw count_error(all.size());
      for (std::size_t i = 0; i < events.size(); ++i) {
        if (i) out += ',';
        write_dom(out, events[i].name, all[i], ctx, now, ids, random);
      }
    } else if (scan.count != events.size()) {
      throw count_error(scan.count);
    }
    out += ']';
  } catch (...) {
    out.resize(start);
    throw;
  }
}

}  // namespace convene::events
