#include "core/series/next_many.h"

#include <map>
#include <string>

#include "core/entities/reader.h"
#include "core/error.h"
#include "core/series/occurrences.h"
#include "core/series/plan.h"

namespace convene::series {

namespace {

/// The `seriesKey` an entity claims, from its attribute list (as the SDK returns it) or its own field
/// (as `parse` returns it); empty when it names none. Read only to group: the claim is checked later.
std::string claimed_series_key(const Json& e) {
  if (!e.is_object()) return {};
  if (auto a = e.find("attributes"); a != e.end() && a->is_array()) {
    for (const auto& attr : *a)
      if (attr.is_object() && attr.value("key", Json()) == "seriesKey" && attr.contains("value") && attr["value"].is_string())
        return attr["value"].get<std::string>();
  }
  if (auto f = e.find("seriesKey"); f != e.end() && f->is_string()) return f->get<std::string>();
  return {};
}

void check_list(const Json* list, const char* field) {
  if (list && !list->is_null() && !list->is_array())
    throw Error(code::kInvalidType, field, std::string(field) + " must be an array of entities, got " + json_type_name(*list));
}

}  // namespace

Json next_occurrences(const Input& in, UtcTime now) {
  const Json* series = in.get("series");
  const Json* exceptions = in.get("exceptions");
  const Json* gatherings = in.get("gatherings");
  check_list(series, "series");
  check_list(exceptions, "exceptions");
  check_list(gatherings, "gatherings");

  struct Group {
    Json exceptions = Json::array();
    Json gatherings = Json::array();
  };
  std::map<std::string, Group, std::less<>> groups;
  if (series && series->is_array())
    for (const auto& s : *series)
      if (s.is_object() && s.contains("key") && s["key"].is_string()) groups.try_emplace(s["key"].get<std::string>());

  std::size_t unmatched = 0;
  auto distribute = [&](const Json* list, Json Group::*member) {
    if (!list || !list->is_array()) return;
    for (const auto& e : *list) {
      auto g = groups.find(claimed_series_key(e));
      if (g == groups.end()) ++unmatched;
      else (g->second.*member).push_back(e);
    }
  };
  distribute(exceptions, &Group::exceptions);
  distribute(gatherings, &Group::gatherings);

  entities::Ignored ignored;
  Json items = Json::array();
  if (series && series->is_array()) {
    for (std::size_t i = 0; i < series->size(); ++i) {
      const Json& s = (*series)[i];
      const std::string field = "series[" + std::to_string(i) + "]";
      try {
        const auto g = s.is_object() && s.contains("key") && s["key"].is_string() ? groups.find(s["key"].get<std::string>()) : groups.end();
        Json args = {{"series", s},
                     {"exceptions", g == groups.end() ? Json::array() : g->second.exceptions},
                     {"gatherings", g == groups.end() ? Json::array() : g->second.gatherings}};
        const SeriesState st = read_series_state(Input(args, ""), "series");
        ignored += st.ignored;
        auto next = next_occurrence(st, now);
        items.push_back({{"seriesKey", st.series->key}, {"next", next ? next->to_json(*st.series) : Json()}});
      } catch (const Error& e) {
        ignored.count(e);
      } catch (const Json::exception&) {
        ignored.count_malformed();
      }
    }
  }
  return Json{{"items", std::move(items)}, {"ignored", ignored.to_json()}, {"unmatched", unmatched}};
}

}  // namespace convene::series
