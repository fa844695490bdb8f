// Embind: core.series.* (docs/domain.md#event-series). JSON in, JSON envelopes out.
#include <emscripten/bind.h>

#include "bindings/context.h"
#include "bindings/guard.h"
#include "core/entities/record.h"
#include "core/series/occurrences.h"
#include "core/series/next_many.h"
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
  Json j = {{"entityKey", u.entity_key}, {"recurrenceId", u.recurrence_id}, {"draft", u.draft.to_json()}};
  if (!u.reason.empty()) j["reason"] = u.reason;
  return j;
}

Json updates_json(const std::vector<series::Update>& list) {
  Json out = Json::array();
  for (const auto& u : list) out.push_back(update_json(u));
  return out;
}

Json problems_json(const std::vector<series::Problem>& list) {
  Json out = Json::array();
  for (const auto& p : list) {
    Json j = {{"recurrenceId", p.recurrence_id.empty() ? Json() : Json(p.recurrence_id)}, {"code", p.code}, {"message", p.message}};
    if (!p.field.empty()) j["field"] = p.field;
    out.push_back(std::move(j));
  }
  return out;
}

/// Transactions as index lists into the plan's arrays; the JS layer turns them into mutateEntities arguments.
Json transactions_json(const std::vector<series::Transaction>& list) {
  Json out = Json::array();
  for (const auto& t : list) {
    Json j = Json::object();
    if (!t.create.empty()) j["create"] = t.create;
    if (!t.update.empty()) j["update"] = t.update;
    if (!t.cancel.empty()) j["cancel"] = t.cancel;
    if (!t.extend.empty()) j["extend"] = t.extend;
    if (t.series) j["series"] = true;
    if (t.new_series) j["newSeries"] = true;
    out.push_back(std::move(j));
  }
  return out;
}

std::string plan_materialization(std::string args, std::string options) {
  return bindings::guard_json([&] {
    Call c(args);
    SodiumRandom random;
    auto ctx = bindings::build_context(parse_json(options, "options"), random);
    double days = c.in.opt_number("horizonDays").value_or(28);
    if (days <= 0 || days > 366) throw Error(code::kInvalidInput, "horizonDays", "horizonDays must be between 0 and 366");
    std::optional<std::int64_t> current_block;
    if (auto b = c.in.opt_number("currentBlock")) {
      if (*b < 0 || *b > 9007199254740991.0 || *b != static_cast<double>(static_cast<std::int64_t>(*b)))
        throw Error(code::kInvalidInput, "currentBlock", "currentBlock must be a block number (a whole number >= 0)");
      current_block = static_cast<std::int64_t>(*b);
    }
    auto st = series::read_series_state(c.in);
    auto plan = series::plan_materialization(st, std::chrono::hours{static_cast<std::int64_t>(days * 24)}, ctx, current_block);
    Json out = {{"create", Json::array()}, {"update", updates_json(plan.update)}, {"cancel", updates_json(plan.cancel)},
                {"extend", Json::array()}, {"problems", problems_json(plan.problems)},
                {"transactions", transactions_json(plan.transactions)}, {"ignored", st.ignored.to_json()}};
    for (const auto& d : plan.create) out["create"].push_back(d.to_json());
    for (const auto& e : plan.extend) out["extend"].push_back({{"entityKey", e.entity_key}, {"expiresIn", e.expires_in}});
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
    return Json{{"series", p.series.to_json()}, {"update", updates_json(p.update)}, {"problems", problems_json(p.problems)},
                {"transactions", transactions_json(p.transactions)}, {"ignored", st.ignored.to_json()}};
  });
}

std::string plan_split(std::string args, std::string options) {
  return bindings::guard_json([&] {
    Call c(args);
    SodiumRandom random;
    auto ctx = bindings::build_context(parse_json(options, "options"), random);
    auto st = series::read_series_state(c.in);
    auto s = series::plan_split(st, c.in.instant("at"), c.changes(), ctx);
    auto handed = [](const std::vector<series::Handed>& list) {
      Json out = Json::array();
      for (const auto& h : list) out.push_back({{"entityKey", h.entity_key}, {"recurrenceId", h.recurrence_id}});
      return out;
    };
    return Json{{"oldSeries", s.old_series.to_json()},
                {"newSeries", s.new_series.to_json()},
                {"handoff", {{"exceptions", handed(s.handoff_exceptions)}, {"gatherings", handed(s.handoff_gatherings)}}},
                {"transactions", transactions_json(s.transactions)},
                {"ignored", st.ignored.to_json()}};
  });
}

std::string plan_handoff(std::string args, std::string options) {
  return bindings::guard_json([&] {
    Call c(args);
    SodiumRandom random;
    auto ctx = bindings::build_context(parse_json(options, "options"), random);
    auto st = series::read_series_state(c.in);
    const Json* n = c.in.get("newSeries");
    if (!n) throw Error(code::kMissingField, "newSeries", "newSeries is required (the event_series entity the split created)");
    auto next = series::verify_series(entities::decode_entity(*n, "newSeries"), "newSeries");
    auto h = series::plan_handoff(st, next, ctx);
    return Json{{"update", updates_json(h.update)}, {"problems", problems_json(h.problems)},
                {"transactions", transactions_json(h.transactions)}, {"ignored", st.ignored.to_json()}};
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

std::string next_many(std::string args) {
  return bindings::guard_json([&] {
    Call c(args);
    return series::next_occurrences(c.in, c.in.instant("now"));
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
  emscripten::function("series_planHandoff", &plan_handoff);
  emscripten::function("series_next", &next);
  emscripten::function("series_nextMany", &next_many);
  emscripten::function("series_followers", &followers);
}
