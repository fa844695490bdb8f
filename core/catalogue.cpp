#include "core/catalogue.h"

#include <algorithm>
#include <map>

#include "core/bluesky/account_link.h"
#include "core/bluesky/publication.h"
#include "core/entities/catalogue.h"
#include "core/entities/raw_entity.h"
#include "core/error.h"
#include "core/series/rsvp.h"
#include "core/series/series.h"

namespace convene::catalogue {
namespace {

using Builder = entities::EntityDraft (*)(const Input&, const entities::BuildContext&);

/// The builders the domain catalogue leaves to this one (entities::recurrence_part_types(), and
/// gathering_rsvp, whose occurrence RSVPs expand the series' rule).
const std::map<std::string, Builder, std::less<>>& builders() {
  static const std::map<std::string, Builder, std::less<>> kBuilders = {
      {"gathering_rsvp", &series::build_rsvp},
      {"event_series", &series::build_event_series},
      {"event_series_exception", &series::build_series_exception},
      {"event_series_follow", &series::build_series_follow},
      {"bluesky_publication", &bluesky::build_publication},
      {"bluesky_account_link", &bluesky::build_account_link},
  };
  return kBuilders;
}

}  // namespace

std::vector<std::string> entity_types() {
  std::vector<std::string> out = entities::entity_types();
  for (const auto& [name, _] : builders())
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  std::sort(out.begin(), out.end());
  return out;
}

entities::EntityDraft build_entity(std::string_view type, const Json& input, const entities::BuildContext& ctx) {
  auto it = builders().find(type);
  if (it == builders().end()) return entities::build_entity(type, input, ctx);
  entities::EntityDraft draft = it->second(Input(input, "input"), ctx);
  draft.check_size("input");
  return draft;
}

Json parse_entity(const Json& entity) {
  Json flat = entities::flatten_entity(entity, "entity");
  auto t = flat.find("type");
  if (t != flat.end() && t->is_string() && t->get_ref<const std::string&>() == "event_series")
    return series::parse_series(std::move(flat), "entity");
  return entities::parse_flat_entity(std::move(flat));
}

}  // namespace convene::catalogue
