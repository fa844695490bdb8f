// Embind: core.recurrence.* (docs/domain.md#package-surface). Text/JSON in; JSON envelopes or one Float64Array out.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <vector>

#include "bindings/guard.h"
#include "core/recurrence/describe.h"
#include "core/recurrence/expand.h"
#include "core/recurrence/infer.h"
#include "core/recurrence/json.h"
#include "core/recurrence/parse.h"
#include "core/recurrence/zone.h"

using namespace convene;
using namespace convene::recurrence;

namespace {

std::vector<Occurrence> run(const std::string& ical, const std::string& options_json) {
  const RecurrenceSet set = parse_recurrence_set(ical);
  return expand(set, expand_options_from_json(parse_json(options_json, "options"), set.dtstart.kind));
}

std::string expand_strings(std::string ical, std::string options_json) {
  return bindings::guard_json([&] {
    const RecurrenceSet set = parse_recurrence_set(ical);
    const auto occ = expand(set, expand_options_from_json(parse_json(options_json, "options"), set.dtstart.kind));
    Json out = Json::array();
    for (const auto& o : occ) out.push_back(format_occurrence(o, set.dtstart.kind));
    return out;
  });
}

// The result lives here until the next call; JS copies it out of the view at once.
std::vector<double>& epoch_buffer() {
  static std::vector<double> buffer;
  return buffer;
}

emscripten::val expand_epoch_ms(std::string ical, std::string options_json) {
  return bindings::guard_val([&] {
    const auto occ = run(ical, options_json);
    auto& buf = epoch_buffer();
    buf.resize(occ.size());
    for (std::size_t i = 0; i < occ.size(); ++i)
      buf[i] = static_cast<double>(occ[i].instant.time_since_epoch().count()) * 1000.0;
    return emscripten::val(emscripten::typed_memory_view(buf.size(), buf.data()));
  });
}

std::string parse(std::string ical) {
  return bindings::guard_json([&] { return to_json(parse_recurrence_set(ical)); });
}

std::string serialize(std::string set_json) {
  return bindings::guard_json(
      [&] { return Json(format_recurrence_set(recurrence_set_from_json(parse_json(set_json, "set")))); });
}

std::string tzdata_version_json() {
  return bindings::guard_json([&] { return Json(tzdata_version()); });
}

std::string describe_set(std::string ical) {
  return bindings::guard_json([&] {
    auto d = describe(parse_recurrence_set(ical));
    return Json{{"text", d.text}, {"exact", d.exact}};
  });
}

std::string infer(std::string input_json) {
  return bindings::guard_json([&] {
    const Json j = parse_json(input_json, "input");
    Input in(j, "input");
    const Json* list = in.get("startTimes");
    if (!list || !list->is_array()) in.type_error("startTimes", "an array of instants");
    std::vector<Instant> starts;
    for (std::size_t i = 0; i < list->size(); ++i)
      starts.push_back(date::floor<std::chrono::seconds>(
          read_instant((*list)[i], "startTimes[" + std::to_string(i) + "]")));
    const auto tzid = in.opt_str("tzid").value_or("");
    const auto set = infer_rule(std::move(starts), tzid);
    if (!set) return Json(nullptr);
    return Json{{"ical", format_recurrence_set(*set)}, {"rrule", format_rrule(*set->rrule)}};
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(convene_recurrence) {
  emscripten::function("recurrence_expand", &expand_strings);
  emscripten::function("recurrence_expandEpochMs", &expand_epoch_ms);
  emscripten::function("recurrence_parse", &parse);
  emscripten::function("recurrence_serialize", &serialize);
  emscripten::function("recurrence_tzdataVersion", &tzdata_version_json);
  emscripten::function("recurrence_inferRule", &infer);
  emscripten::function("recurrence_describe", &describe_set);
}
