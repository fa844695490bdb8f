// Embind: core.meetings.* (docs/meetings.md). JSON in, the guard_json envelope out.
#include <emscripten/bind.h>

#include "bindings/events_common.h"
#include "bindings/guard.h"
#include "core/meetings/folds.h"
#include "core/meetings/summary.h"

using namespace convene;

namespace {
/// `records_json` = [record, ...] -> {"meetings": [...], "ignored": {...}}.
std::string summarize(std::string records_json) {
  return bindings::guard_json([&] { return meetings::summarize_json(parse_json(records_json, "records")); });
}

/// `records_json` = [record, ...] -> [{"at"} | {"error": {code, field, message}}, ...] (meetings::check_json).
std::string check(std::string records_json) {
  return bindings::guard_json([&] { return meetings::check_json(parse_json(records_json, "records")); });
}

/// core.meetings.createFolds(): meetings::MeetingFolds behind an Embind class. Every method runs in guard_json
/// (errors come back as values); npm/src/meetings.js deletes the object on dispose() or garbage collection.
class Folds {
 public:
  // add and add_new take the records as UTF-8 text (a JS string, or its bytes: npm/src/meetings.js passes
  // TextEncoder's, which embind copies without its UTF-8 encoding loop) and hand their result, which holds
  // whole meeting summaries, back through js_text (TextDecoder, not embind's byte-by-byte std::string read).

  /// [record, ...] -> {"meetings": [changed], "removed": [...], "ignored": {...}} (MeetingFolds::add_json).
  emscripten::val add(std::string records_json) {
    return bindings::js_text(bindings::guard_json([&] { return folds_.add_json(parse_json(records_json, "records")); }));
  }
  /// [record, ...] -> add_json's object plus "entries" (MeetingFolds::add_new_json: the first record of an eventId stays).
  emscripten::val add_new(std::string records_json) {
    return bindings::js_text(bindings::guard_json([&] { return folds_.add_new_json(parse_json(records_json, "records")); }));
  }
  /// The summary of one held meeting as JSON (INVALID_INPUT `meetingId` when none is held).
  std::string summary(std::string meeting_id) {
    return bindings::guard_json([&] { return meetings::to_json(folds_.summary(meeting_id)); });
  }
  /// Drops the meetings named in `meeting_ids_json` (a JSON array of strings); returns records held after.
  std::string forget(std::string meeting_ids_json) {
    return bindings::guard_json([&] {
      const Json ids = parse_json(meeting_ids_json, "meetingIds");
      if (!ids.is_array()) throw Error(code::kInvalidType, "meetingIds", "meetingIds must be an array of strings");
      for (const Json& id : ids) {
        if (!id.is_string()) throw Error(code::kInvalidType, "meetingIds", "meetingIds must be an array of strings");
        folds_.forget(id.get<std::string>());
      }
      return Json(folds_.size());
    });
  }
  /// Records held for one meeting (0 when none).
  double count(std::string meeting_id) const { return static_cast<double>(folds_.count(meeting_id)); }
  /// Records held in all.
  double size() const { return static_cast<double>(folds_.size()); }

 private:
  meetings::MeetingFolds folds_;
};
}  // namespace

EMSCRIPTEN_BINDINGS(convene_meetings) {
  emscripten::function("meetings_summarize", &summarize);
  emscripten::function("meetings_check", &check);
  emscripten::class_<Folds>("MeetingFolds")
      .constructor<>()
      .function("add", &Folds::add)
      .function("addNew", &Folds::add_new)
      .function("summary", &Folds::summary)
      .function("forget", &Folds::forget)
      .function("count", &Folds::count)
      .function("size", &Folds::size);
}
