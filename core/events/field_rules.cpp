#include "core/events/field_rules.h"

#include <map>
#include <string_view>
#include <unordered_map>

#include "core/events/normalize.h"

namespace convene::events {
namespace {

bool is_text_field(std::string_view out) {
  return out == "message" || out == "final" || out == "stable" || out == "unstable" || out == "description";
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t end = s.find(sep, start);
    if (end == std::string_view::npos) end = s.size();
    if (end > start) parts.emplace_back(s.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

SpecRules parse_row(const JitsiEventSpec& row) {
  SpecRules p;
  p.whole_payload = row.fields == "*";
  if (!p.whole_payload) {
    for (const auto& entry : split(row.fields, ',')) {
      auto eq = entry.find('=');
      FieldRule r;
      r.path = split(entry.substr(0, eq), '.');
      r.out = eq == std::string::npos ? r.path.back() : entry.substr(eq + 1);
      r.max_string = is_text_field(r.out) ? kMaxTextBytes : kMaxStringBytes;
      p.rules.push_back(std::move(r));
    }
  }
  std::map<std::string, std::vector<std::size_t>> groups;  // std::map: the key order of an object's dump()
  for (std::size_t i = 0; i < p.rules.size(); ++i) groups[p.rules[i].out].push_back(i);
  for (auto& [out, indices] : groups) p.by_out.push_back(std::move(indices));
  p.participant = split(row.participant, '.');
  p.on_field = split(row.on_field, '.');
  return p;
}

}  // namespace

const SpecRules& spec_rules(const JitsiEventSpec& spec) {
  // All rows at first use, so that later lookups need no locking.
  static const std::unordered_map<const JitsiEventSpec*, SpecRules> cache = [] {
    std::unordered_map<const JitsiEventSpec*, SpecRules> m;
    for (const auto& row : jitsi_event_catalogue()) m.emplace(&row, parse_row(row));
    return m;
  }();
  return cache.at(&spec);
}

}  // namespace convene::events
