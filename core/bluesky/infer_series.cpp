// convene/core/bluesky/infer_series.cpp — see infer_series.h.
#include "core/bluesky/infer_series.h"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>

#include "core/error.h"
#include "core/recurrence/infer.h"
#include "core/recurrence/zone.h"

namespace convene::bluesky {

std::string series_name_key(std::string_view name) {
  std::string out;
  bool gap = false;
  for (unsigned char c : name) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
    if (!letter) {
      gap = true;
      continue;
    }
    if (gap && !out.empty()) out.push_back(' ');
    gap = false;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c));
  }
  return out;
}

namespace {

struct Member {
  recurrence::Instant start;
  const ImportedEvent* event;
};

struct Fit {
  recurrence::RecurrenceSet rule;
  std::vector<std::size_t> kept;  // indexes into the group
  double confidence = 0;
};

/// The rule of the members `kept` (distinct starts), or nullopt; its confidence counts `dropped`.
std::optional<Fit> fit(const std::vector<Member>& group, std::vector<std::size_t> kept, std::size_t dropped, std::string_view tzid) {
  std::vector<recurrence::Instant> starts;
  for (std::size_t i : kept) starts.push_back(group[i].start);
  auto rule = recurrence::infer_rule(starts, tzid);
  if (!rule) return std::nullopt;
  const double covered = static_cast<double>(kept.size());
  const double confidence = covered / (covered + static_cast<double>(rule->exdates.size()) + static_cast<double>(dropped));
  return Fit{std::move(*rule), std::move(kept), confidence};
}

/// The best fit of a group: all of it, or with up to a quarter left out, one event at a time, each time
/// the removal that gives the highest confidence, while that raises it.
std::optional<Fit> best_fit(const std::vector<Member>& group, std::size_t min_events, std::string_view tzid) {
  std::vector<std::size_t> all(group.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  std::optional<Fit> best = fit(group, all, 0, tzid);
  std::vector<std::size_t> current = all;
  const std::size_t max_drop = group.size() / 4;
  for (std::size_t dropped = 1; dropped <= max_drop && current.size() > min_events; ++dropped) {
    std::optional<Fit> step;
    for (std::size_t j = 0; j < current.size(); ++j) {
      std::vector<std::size_t> rest = current;
      rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(j));
      auto f = fit(group, rest, dropped, tzid);
      if (f && (!step || f->confidence > step->confidence)) step = std::move(f);
    }
    if (!step || (best && step->confidence <= best->confidence)) break;
    current = step->kept;
    best = std::move(step);
  }
  return best;
}

}  // namespace

std::vector<SeriesProposal> propose_series(const std::vector<ImportedEvent>& events, std::string_view tzid,
                                           std::size_t min_events) {
  const recurrence::Zone zone = tzid.empty() ? recurrence::Zone() : recurrence::Zone(tzid, "tzid");
  min_events = std::max<std::size_t>(min_events, 2);
  // (organizer, name key, seconds into the local day) -> members; one member per distinct start.
  std::map<std::tuple<std::string, std::string, std::int64_t>, std::vector<Member>> groups;
  for (const ImportedEvent& e : events) {
    if (!e.event.starts_at || e.event.status == EventStatus::Cancelled) continue;
    const auto start = date::floor<std::chrono::seconds>(*e.event.starts_at);
    const auto local = zone.to_local(start);
    const std::int64_t tod = (local - date::floor<date::days>(local)).count();
    groups[{e.organizer, series_name_key(e.event.name), tod}].push_back(Member{start, &e});
  }
  std::vector<SeriesProposal> out;
  for (auto& [key, members] : groups) {
    std::sort(members.begin(), members.end(), [](const Member& a, const Member& b) {
      return std::tie(a.start, a.event->uri) < std::tie(b.start, b.event->uri);
    });
    // The same start twice (a re-post) is one occurrence: the first by at-uri stands, the other is left out.
    std::vector<Member> group;
    std::vector<std::string> repeats;
    for (const Member& m : members) {
      if (!group.empty() && group.back().start == m.start) repeats.push_back(m.event->uri);
      else group.push_back(m);
    }
    if (group.size() < min_events) continue;
    auto f = best_fit(group, min_events, tzid);
    if (!f) continue;
    SeriesProposal p;
    p.organizer = std::get<0>(key);
    p.name = group.front().event->event.name;
    p.gaps = f->rule.exdates.size();
    p.rule = std::move(f->rule);
    p.confidence = f->confidence;
    std::vector<bool> kept(group.size(), false);
    for (std::size_t i : f->kept) kept[i] = true;
    for (std::size_t i = 0; i < group.size(); ++i) (kept[i] ? p.uris : p.left_out).push_back(group[i].event->uri);
    p.left_out.insert(p.left_out.end(), repeats.begin(), repeats.end());
    out.push_back(std::move(p));
  }
  std::sort(out.begin(), out.end(), [](const SeriesProposal& a, const SeriesProposal& b) {
    if (a.confidence != b.confidence) return a.confidence > b.confidence;
    return std::tie(a.organizer, a.name) < std::tie(b.organizer, b.name);
  });
  return out;
}

}  // namespace convene::bluesky
