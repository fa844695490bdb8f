// Embind: core.entities.*, core.sessions.*, core.gatherings.* (docs/domain.md#package-surface). JSON in, JSON envelopes out.
#include <emscripten/bind.h>


#include "bindings/catalogue_calls.h"
#include "bindings/context.h"
#include "bindings/guard.h"
#include "core/entities/catalogue.h"
#include "core/entities/expiry.h"
#include "core/entities/gathering.h"
#include "core/entities/slug.h"
#include "core/entities/time_attributes.h"
#include "core/sessions/confirm.h"
#include "core/sessions/extension.h"
#include "core/sessions/status.h"
#include "core/series/head.h"

using namespace convene;

namespace {

std::string skill_slug(std::string name) {
  return bindings::guard_json([&] { return Json(entities::skill_slug(name)); });
}

std::string time_query(std::string args) {
  return bindings::guard_json([&] {
    Json j = parse_json(args, "args");
    Input in(j, "");
    auto q = entities::time_query(entities::parse_time_window(in.str("when"), "when"), in.instant("now"));
    Json where = Json::array();
    for (const auto& b : q.where)
      where.push_back({{"attribute", std::string(b.attribute)}, {"op", std::string(b.op)}, {"value", b.value}});
    return Json{{"where", std::move(where)}, {"orderBy", {{"attribute", std::string(q.order_by)}, {"descending", q.descending}}}};
  });
}

std::string expiry(std::string args) {
  return bindings::guard_json([&] {
    Json j = parse_json(args, "args");
    Input in(j, "");
    auto block = in.opt_number("expiresAtBlock");
    auto current = in.opt_number("currentBlock");
    if (!block) throw Error(code::kMissingField, "expiresAtBlock", "expiresAtBlock is required");
    if (!current) throw Error(code::kMissingField, "currentBlock", "currentBlock is required");
    return Json(format_iso8601(entities::expires_at_from_block(static_cast<std::int64_t>(*block),
                                                               static_cast<std::int64_t>(*current), in.instant("now"))));
  });
}

std::string session_status(std::string args) {
  return bindings::guard_json([&] {
    Json j = parse_json(args, "args");
    Input in(j, "");
    // `series` (optional): the series an occurrence RSVP's gathering may belong to after a split.
    const auto links = series::split_links(in.get("series"), "series");
    return sessions::compute_status(sessions::read_session_evidence(in, &links), in.instant("now")).to_json();
  });
}

std::string rsvp_extension(std::string args) {
  return bindings::guard_json([&] {
    Json j = parse_json(args, "args");
    Input in(j, "");
    return sessions::plan_rsvp_extension(in, in.instant("now"));
  });
}

std::string session_statuses(std::string args) {
  return bindings::guard_json([&] {
    Json j = parse_json(args, "args");
    Input in(j, "");
    return sessions::compute_statuses(in, in.instant("now"));
  });
}

std::string plan_confirmation(std::string input, std::string options) {
  return bindings::guard_json([&] {
    SodiumRandom random;
    auto ctx = bindings::build_context(parse_json(options, "options"), random);
    Json j = parse_json(input, "input");
    return sessions::to_json(sessions::plan_confirmation(Input(j, "input"), ctx));
  });
}

std::string upcoming(std::string args) {
  return bindings::guard_json([&] {
    Json j = parse_json(args, "args");
    Input in(j, "");
    return entities::upcoming_gatherings(in.get("entities"), in.get("series"), in.opt_str("community").value_or(""),
                                         in.instant("now"));
  });
}

std::string list(std::string args) {
  return bindings::guard_json([&] {
    Json j = parse_json(args, "args");
    Input in(j, "");
    std::optional<entities::TimeState> when;
    if (auto w = in.opt_str("when")) {
      if (*w == "upcoming") when = entities::TimeState::Upcoming;
      else if (*w == "happening") when = entities::TimeState::Happening;
      else if (*w == "past") when = entities::TimeState::Past;
      else if (*w != "all") throw Error(code::kInvalidInput, "when", "when must be 'upcoming', 'happening', 'past' or 'all'");
    }
    double limit = in.opt_number("limit").value_or(50);
    if (limit < 1 || limit > 10000 || limit != static_cast<double>(static_cast<std::size_t>(limit)))
      throw Error(code::kInvalidInput, "limit", "limit must be a whole number between 1 and 10000");
    return entities::list_gatherings(in.get("entities"), in.get("series"), in.opt_str("community").value_or(""), when,
                                     static_cast<std::size_t>(limit), in.instant("now"));
  });
}

std::string rsvp_count(std::string args) {
  return bindings::guard_json([&] {
    Json j = parse_json(args, "args");
    Input in(j, "");
    return Json(entities::rsvp_count(in.get("rsvps"), in.str("gatheringKey")));
  });
}

std::string rsvp_summary(std::string args) {
  return bindings::guard_json([&] {
    Json j = parse_json(args, "args");
    Input in(j, "");
    std::optional<entities::Wallet> viewer;
    if (auto v = in.opt_str("viewer")) viewer = entities::Wallet::parse(*v, in.field("viewer"));
    const auto links = series::split_links(in.get("series"), "series");
    return entities::rsvp_summary(in.get("rsvps"), viewer, in.get("gatherings"), &links);
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(convene_entities) {
  emscripten::function("entities_build", &bindings::build_entity_call<&entities::build_entity>);
  emscripten::function("entities_parse", &bindings::parse_entity_call<&entities::parse_entity>);
  emscripten::function("entities_skillSlug", &skill_slug);
  emscripten::function("entities_types", &bindings::entity_types_call<&entities::entity_types>);
  emscripten::function("entities_timeQuery", &time_query);
  emscripten::function("entities_expiresAt", &expiry);
  emscripten::function("sessions_status", &session_status);
  emscripten::function("sessions_statuses", &session_statuses);
  emscripten::function("sessions_planRsvpExtension", &rsvp_extension);
  emscripten::function("sessions_planConfirmation", &plan_confirmation);
  emscripten::function("gatherings_upcoming", &upcoming);
  emscripten::function("gatherings_list", &list);
  emscripten::function("gatherings_rsvpCount", &rsvp_count);
  emscripten::function("gatherings_rsvpSummary", &rsvp_summary);
}
