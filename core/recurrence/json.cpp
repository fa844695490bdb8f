#include "core/recurrence/json.h"

#include <cmath>

#include "core/error.h"
#include "core/recurrence/parse.h"

namespace convene::recurrence {
namespace {

constexpr const char* kKinds[] = {"date", "floating", "utc", "zoned"};

Json value_json(const DateTimeValue& v) {
  Json j{{"kind", kKinds[static_cast<int>(v.kind)]},
         {"value", format_basic(v.local, v.kind == ValueKind::Date) + (v.kind == ValueKind::Utc ? "Z" : "")}};
  if (v.kind == ValueKind::Zoned) j["tzid"] = v.tzid;
  return j;
}

/// A Value object back to its property line, e.g. `RDATE;TZID=Europe/Berlin:20240105T180000`.
std::string value_line(const Input& in, std::string_view name) {
  std::string line(name);
  auto kind = in.opt_str("kind");
  auto tzid = in.opt_str("tzid");
  if (tzid && !tzid->empty()) line += ";TZID=" + *tzid;
  if (kind && *kind == "date") line += ";VALUE=DATE";
  return line + ":" + in.str("value");
}

void int_list(Json& r, const char* key, const std::vector<int>& v) {
  if (!v.empty()) r[key] = v;
}

}  // namespace

Json to_json(const RecurrenceSet& set) {
  Json j{{"dtstart", value_json(set.dtstart)}, {"rdate", Json::array()}, {"exdate", Json::array()}};
  for (const auto& v : set.rdates) j["rdate"].push_back(value_json(v));
  for (const auto& v : set.exdates) j["exdate"].push_back(value_json(v));
  if (set.rrule) {
    const RRule& r = *set.rrule;
    static constexpr const char* kFreq[] = {"YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY"};
    Json o{{"freq", kFreq[static_cast<int>(r.freq)]}, {"interval", r.interval}};
    if (r.count) o["count"] = *r.count;
    if (r.until) o["until"] = value_json(*r.until);
    int_list(o, "bysecond", r.bysecond);
    int_list(o, "byminute", r.byminute);
    int_list(o, "byhour", r.byhour);
    if (!r.byday.empty()) {
      Json days = Json::array();
      for (const auto& w : r.byday)
        days.push_back((w.ordinal ? std::to_string(w.ordinal) : "") + std::string(weekday_name(w.weekday)));
      o["byday"] = days;
    }
    int_list(o, "bymonthday", r.bymonthday);
    int_list(o, "byyearday", r.byyearday);
    int_list(o, "byweekno", r.byweekno);
    int_list(o, "bymonth", r.bymonth);
    int_list(o, "bysetpos", r.bysetpos);
    if (r.wkst) o["wkst"] = std::string(weekday_name(*r.wkst));
    if (r.rscale) o["rscale"] = *r.rscale;
    if (r.skip) o["skip"] = *r.skip == Skip::Omit ? "OMIT" : *r.skip == Skip::Backward ? "BACKWARD" : "FORWARD";
    j["rrule"] = o;
  }
  return j;
}

RecurrenceSet recurrence_set_from_json(const Json& j) {
  Input in(j, "set");
  auto dtstart = in.opt_object("dtstart");
  if (!dtstart) throw Error(code::kMissingField, "set.dtstart", "set.dtstart is required");
  std::string text = value_line(*dtstart, "DTSTART");
  if (auto rule = in.opt_object("rrule")) {
    std::string r = "FREQ=" + rule->str("freq");
    for (const auto& [key, value] : rule->json().items()) {
      if (key == "freq" || value.is_null()) continue;
      std::string part;
      for (char c : key) part += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      std::string v;
      if (key == "until") {
        Input u(value, rule->field("until"));
        v = u.str("value");
      } else if (value.is_array()) {
        for (const auto& x : value) {
          if (!v.empty()) v += ',';
          if (x.is_string()) v += x.get<std::string>();
          else if (x.is_number_integer()) v += std::to_string(x.get<long long>());
          else rule->type_error(key, "an array of integers or strings");
        }
        if (v.empty()) continue;
      } else if (value.is_string()) {
        v = value.get<std::string>();
      } else if (value.is_number_integer()) {
        v = std::to_string(value.get<long long>());
      } else {
        rule->type_error(key, "a string, an integer or an array");
      }
      r += ";" + part + "=" + v;
    }
    text += "\nRRULE:" + r;
  }
  for (const char* key : {"rdate", "exdate"}) {
    const Json* list = in.get(key);
    if (!list) continue;
    if (!list->is_array()) in.type_error(key, "an array");
    std::string name = key == std::string("rdate") ? "RDATE" : "EXDATE";
    for (std::size_t i = 0; i < list->size(); ++i)
      text += "\n" + value_line(Input((*list)[i], in.field(key) + "[" + std::to_string(i) + "]"), name);
  }
  return parse_recurrence_set(text);
}

ExpandOptions expand_options_from_json(const Json& j, ValueKind dtstart_kind) {
  ExpandOptions opt;
  if (j.is_null()) return opt;
  Input in(j, "options");
  using std::chrono::ceil;
  using std::chrono::floor;
  const bool wall = dtstart_kind == ValueKind::Floating || dtstart_kind == ValueKind::Date;
  // A floating or DATE set's instances are wall times read as UTC; a bound written the same way
  // (the output form, without an offset) is read the same way.
  auto bound = [&](const Json& v, const std::string& field) {
    if (wall && v.is_string()) {
      const auto& text = v.get_ref<const std::string&>();
      if (text.size() > 10 && text.find_first_of("Zz+", 10) == std::string::npos && text.find('-', 10) == std::string::npos) {
        try {
          return parse_iso8601(text + "Z", field);
        } catch (const Error&) {
          // not a wall time after all: the message below names the text as given
        }
      }
    }
    return read_instant(v, field);
  };
  if (const Json* a = in.get("after")) opt.after = ceil<std::chrono::seconds>(bound(*a, in.field("after")));
  if (const Json* b = in.get("before")) opt.before = floor<std::chrono::seconds>(bound(*b, in.field("before")));
  if (auto limit = in.opt_number("limit")) {
    if (*limit < 0 || std::floor(*limit) != *limit)
      throw Error(code::kInvalidInput, in.field("limit"), in.field("limit") + " must be an integer >= 0");
    opt.limit = static_cast<std::size_t>(std::min(*limit, 1e15));
  }
  if (auto inc = in.opt_bool("includeDtstart")) opt.include_dtstart = *inc;
  return opt;
}

std::string format_occurrence(const Occurrence& o, ValueKind kind) {
  switch (kind) {
    case ValueKind::Date: return format_extended(o.local, true);
    case ValueKind::Floating: return format_extended(o.local, false);
    default: return format_extended(LocalTime{o.instant.time_since_epoch()}, false) + "Z";
  }
}

}  // namespace convene::recurrence
