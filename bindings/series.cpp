// Embind: core.series.* (docs/domain.md#event-series). JSON in, JSON envelopes out.
#include <emscripten/bind.h>

#include "bindings/context.h"
#include "bindings/guard.h"
#include "core/series/occurrences.h"
#include "core/series/plan.h"

using namespace convene;

namespace {

/// One bound call's arguments: `args` (JSON object) and, for planners, the `{now, spaceId}` options.
struct Call {
  Json args;
  Input in;
  Json empty = Json::object();
  explicit Call(const std::string& text) : args(parse_json(text, "args")), in(args, "") {}
  /// `args.changes`, or an empty object when absent.
  Input changes() const { return in.opt_object("changes").value_or(Input(empty, "changes")); }
};

std::optional<UtcTime> opt_instant(const Input& in, std::string_view key) {
  if (!in.has(key)) return std::nullopt;
  return in.instant(key);
}

std::string occurrences(std::string args) {
  return bindings::guard_json([&] {
    Call c(args);
    auto st = series::read_series_state(c.in);
    std::optional<std::size_t> limit;
    if (auto l = c.in.opt_number("limit")) {
      if (*l < 0 || *l > 1e6) throw Error(code::kInvalidInput, "limit", "limit must be between 0 and 1000000");
      limit = static_cast<std::size_t>(*l);
    }
    Json out = Json::array();
    for (const auto& o : series::list_occurrences(st, opt_instant(c.in, "after"), opt_instant(c.in, "before"), limit))
      out.push_back(o.to_json(*st.series));
    return Json{{"occurrences", std::move(out)}, {"ignored", st.ignored.to_json()}};
  });
}

Json update_json(const series::Update& u) {
  return Json{{"entityKey", u.entity_key}, {"recurrenceId", u.recurrence_id}, {"draft", u.draft.to_json()}};
}

std::string plan_materialization(std::string args, std::string options) {
  return bindings::guard_json([&] {
    Call c(args);
    SodiumRandom random;
    auto ctx = bindings::build_context(parse_json(options, "options"), random);
    double days = c.in.opt_number("horizonDays").value_or(28);
    if (days <= 0 || days > 366) throw Error(code::kInvalidInput, "horizonDays", "horizonDays must be between 0 and 366");
    auto st = series::read_series_state(c.in);
    auto plan = series::plan_materialization(st, std::chrono::hours{static_cast<std::int64_t>(days * 24)}, ctx);
    Json out = {{"create", Json::array()}, {"update", Json::array()}, {"cancel", Json::array()}, {"ignored", st.ignored.to_json()}};
    for (const auto& d : plan.create) out["create"].push_back(d.to_json());
    for (const auto& u : plan.update) out["update"].push_back(update_json(u));
    for (const auto& [key, rid] : plan.cancel) out["cancel"].push_back({{"entityKey", key}, {"recurrenceId", rid}});
    return out;
  });
}

std::string plan_propagation(std::string args, std::string options) {
  return bindings::guard_json([&] {
    Call c(args);
    SodiumRandom random;
    auto ctx = bindings::build_context(parse_json(options, "options"), random);
    auto st = series::read_series_state(c.in);
    auto p = series::plan_propagation(st, c.in.instant("from"), c.changes(), ctx);
    Json out = {{"series", p.series.to_json()}, {"update", Json::array()}, {"ignored", st.ignored.to_json()}};
    for (const auto& u : p.update) out["update"].push_back(update_json(u));
    return out;
  });
}

std::string plan_split(std::string args, std::string options) {
  return bindings::guard_json([&] {
    Call c(args);
    SodiumRandom random;
    auto ctx = bindings::build_context(parse_json(options, "options"), random);
    auto s = series::plan_split(series::read_series_state(c.in), c.in.instant("at"), c.changes(), ctx);
    return Json{{"oldSeries", s.old_series.to_json()}, {"newSeries", s.new_series.to_json()}};
  });
}

std::string next(std::string args) {
  return bindings::guard_json([&] {
    Call c(args);
    auto st = series::read_series_state(c.in);
    auto o = series::next_occurrence(st, c.in.instant("now"));
    return o ? o->to_json(*st.series) : Json();
  });
}

std::string followers(std::string args) {
  return bindings::guard_json([&] {
    Call c(args);
    std::optional<entities::Wallet> viewer;
    if (auto v = c.in.opt_str("viewer")) viewer = entities::Wallet::parse(*v, c.in.field("viewer"));
    return series::followers(c.in.get("follows"), c.in.str("seriesKey"), viewer);
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(convene_series) {
  emscripten::function("series_occurrences", &occurrences);
  emscripten::function("series_planMaterialization", &plan_materialization);
  emscripten::function("series_planPropagation", &plan_propagation);
  emscripten::function("series_planSplit", &plan_split);
  emscripten::function("series_next", &next);
  emscripten::function("series_followers", &followers);
}
