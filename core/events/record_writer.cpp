#include "core/events/record_writer.h"

#include "core/error.h"
#include "core/events/json_text.h"
#include "core/events/record.h"
#include "core/json_input.h"

namespace convene::events {
namespace {
// The keys of a record (record.h's wire form), in its order. Catalogue types and UUID text
// never need escaping.
constexpr std::string_view kEventId = "{\"eventId\":\"", kType = "\",\"type\":\"", kTimestamp = "\",\"timestamp\":\"",
                           kMeetingId = "\",\"meetingId\":", kParticipantId = ",\"participantId\":",
                           kPayload = ",\"payload\":";
}  // namespace

void RecordWriter::prepare_frame(const EventContext& ctx, UtcTime now) {
  const std::int64_t ms = to_epoch_ms(now);
  if (!has_frame_ || ms != frame_ms_ || ctx.meeting_id != frame_meeting_id_) {
    frame_middle_.assign(kTimestamp);
    frame_middle_ += format_iso8601(now);
    frame_middle_ += kMeetingId;
    append_json_string(frame_middle_, ctx.meeting_id);
    frame_ms_ = ms;
    frame_meeting_id_ = ctx.meeting_id;
    has_frame_ = true;
  }
  frame_participant_.clear();
  if (ctx.participant_id) {
    frame_participant_.assign(kParticipantId);
    append_json_string(frame_participant_, *ctx.participant_id);
  }
}

void RecordWriter::append(std::string& out, std::string_view name, std::string_view payload_json,
                          const EventContext& ctx, UtcTime now, UuidV7Generator& ids, Random& random) {
  const JitsiEventSpec* spec = find_jitsi_event(name);
  if (!spec || !scanner_.scan(*spec, payload_json.empty() ? std::string_view("{}") : payload_json)) {
    // The DOM path (and its errors, bad JSON first), as normalize_text() takes it.
    out += to_json_text(normalize(name, payload_json.empty() ? Json::object() : parse_json(payload_json, "payload"),
                                  ctx, now, ids, random));
    return;
  }
  validate_context(ctx);
  prepare_frame(ctx, now);
  scratch_.clear();
  write_scanned(scratch_, *spec, name, now, ids, random);
  out.append(scratch_.view());
}

void RecordWriter::write_dom(TextBuffer& out, std::string_view name, const Json& payload, const EventContext& ctx,
                             UtcTime now, UuidV7Generator& ids, Random& random) {
  out.append(to_json_text(normalize(name, payload, ctx, now, ids, random)));
}

void RecordWriter::write_scanned(TextBuffer& out, const JitsiEventSpec& spec, std::string_view name, UtcTime now,
                                 UuidV7Generator& ids, Random& random) {
  const std::string_view type = record_type(spec, name, scanner_.on());
  const std::size_t payload_size = scanner_.payload_size();
  // The payload's participant, else the context's (prepare_frame()).
  std::string_view participant = frame_participant_;
  bool quote_participant = false;
  if (scanner_.has_participant_id()) {
    participant = scanner_.participant_id();
    quote_participant = !json_needs_escape(participant);
    if (!quote_participant) {
      participant_json_.assign(kParticipantId);
      append_json_string(participant_json_, participant);
      participant = participant_json_;
    }
  }
  const auto id = ids.next_bytes(now, random);  // last, as in normalize_text(): errors draw nothing

  // Room for the whole record at once, then plain copies: string appends cost more than
  // the copying in WASM.
  const std::size_t participant_size = quote_participant ? kParticipantId.size() + participant.size() + 2 : participant.size();
  char* p = out.extend(kEventId.size() + 36 + kType.size() + type.size() + frame_middle_.size() + participant_size +
                       kPayload.size() + payload_size + 1);
  auto put = [&p](std::string_view s) { p = copy_bytes(p, s.data(), s.size()); };
  put(kEventId);
  format_uuid(id, std::span<char, 36>(p, 36));
  p += 36;
  put(kType);
  put(type);
  put(frame_middle_);
  if (quote_participant) {
    put(kParticipantId);
    *p++ = '"';
    put(participant);
    *p++ = '"';
  } else {
    put(participant);
  }
  put(kPayload);
  p = scanner_.write_payload(p);
  *p = '}';
}

class RecordWriter::ArrayVisitor final : public PayloadVisitor {
 public:
  ArrayVisitor(RecordWriter& w, TextBuffer& out, std::span<const KnownEvent> events, const EventContext& ctx,
               UtcTime now, UuidV7Generator& ids, Random& random)
      : w_(w), out_(out), events_(events), ctx_(ctx), now_(now), ids_(ids), random_(random) {}

  void scanned(std::size_t i, const PayloadScanner&) override {
    separate(i);
    w_.write_scanned(out_, *events_[i].spec, events_[i].name, now_, ids_, random_);
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
    if (i) out_.push_back(',');
  }
  RecordWriter& w_;
  TextBuffer& out_;
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
  for (std::size_t i = 0; i < names.size(); ++i) {
    const JitsiEventSpec* spec = find_jitsi_event(names[i]);
    if (!spec) generic_event_type(names[i], "events." + std::to_string(i) + ".name");  // validates the name
    known_[i] = KnownEvent{names[i], spec};
  }
  scratch_.clear();
  append_array(scratch_, std::span<const KnownEvent>(known_), payloads_json, ctx, now, ids, random);
  out.append(scratch_.view());
}

void RecordWriter::append_array(TextBuffer& out, std::span<const KnownEvent> events, std::string_view payloads_json,
                                const EventContext& ctx, UtcTime now, UuidV7Generator& ids, Random& random) {
  validate_context(ctx);
  prepare_frame(ctx, now);
  specs_.resize(events.size());
  bool streamable = true;  // every name in the catalogue: the one-pass scan applies
  for (std::size_t i = 0; i < events.size(); ++i) {
    specs_[i] = events[i].spec;
    streamable = streamable && events[i].spec;
  }
  const std::size_t start = out.size();
  auto count_error = [&](std::size_t count) {
    return Error(code::kInvalidInput, "payloads",
                 "payloads has " + std::to_string(count) + " elements for " + std::to_string(events.size()) +
                     " event names");
  };
  try {
    out.push_back('[');
    PayloadScanner::ArrayScan scan;  // not complete: the DOM path below
    if (streamable) {
      ArrayVisitor visitor(*this, out, events, ctx, now, ids, random);
      scan = scanner_.scan_array(specs_, payloads_json, visitor);
    }
    if (scan.too_many) throw count_error(events.size() + 1);
    if (!scan.complete) {
      // Not JSON, not an array, or text the fast reader may read differently: the DOM
      // reader decides (and names the fault), element by element.
      out.truncate(start + 1);
      const Json all = parse_json(payloads_json, "payloads");
      if (!all.is_array()) throw Error(code::kInvalidType, "payloads", "payloads must be a JSON array");
      if (all.size() != events.size()) throw count_error(all.size());
      for (std::size_t i = 0; i < events.size(); ++i) {
        if (i) out.push_back(',');
        write_dom(out, events[i].name, all[i], ctx, now, ids, random);
      }
    } else if (scan.count != events.size()) {
      throw count_error(scan.count);
    }
    out.push_back(']');
  } catch (...) {
    out.truncate(start);
    throw;
  }
}

}  // namespace convene::events
