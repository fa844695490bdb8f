// Generated Jitsi payloads for the events unit tests: random JSON around each catalogue
// row's paths (scalars, containers, strings at the caps, repeated keys, whitespace).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/events/field_rules.h"
#include "core/events/jitsi_events.h"

namespace convene::events::testing {

struct XorShift {
  std::uint64_t s;
  std::uint64_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
};

inline const char* const kStrings[] = {"", "Ada", "p1", "caf\u00e9 \U0001F600", "line\nbreak \"quoted\" back\\slash", "\t\x01\x1f",
                                "\u00e9\u00e9\u00e9\u00e9", "</script>", "null"};

// A random JSON value: mostly scalars, sometimes containers; long strings hit the caps.
inline nlohmann::ordered_json value(XorShift& rng, int depth) {
  switch (rng.below(depth > 2 ? 7 : 9)) {
    case 0: return nullptr;
    case 1: return rng.below(2) == 0;
    case 2: return static_cast<std::int64_t>(rng.next() % 2000001) - 1000000;
    case 3: return static_cast<double>(rng.next() % 100000) / 64.0 - 500.0;
    case 4: return rng.next();  // unsigned beyond int64 half the time
    case 5: return std::string(kStrings[rng.below(std::size(kStrings))]);
    case 6: {
      // Long text around the 512 and 4096 byte caps, with multi-byte characters at the cut.
      std::string s;
      const std::size_t n = 500 + rng.below(3700);
      while (s.size() < n) s += rng.below(3) ? "a" : "\u00e9\u20ac";
      return s;
    }
    case 7: {
      nlohmann::ordered_json a = nlohmann::ordered_json::array();
      for (std::size_t i = rng.below(4); i > 0; --i) a.push_back(value(rng, depth + 1));
      return a;
    }
    default: {
      nlohmann::ordered_json o = nlohmann::ordered_json::object();
      for (std::size_t i = rng.below(4); i > 0; --i) o[std::string(1, static_cast<char>('a' + rng.below(5)))] = value(rng, depth + 1);
      return o;
    }
  }
}

inline void put(nlohmann::ordered_json& root, const std::vector<std::string>& path, nlohmann::ordered_json v) {
  nlohmann::ordered_json* cur = &root;
  for (std::size_t i = 0; i + 1 < path.size(); ++i) {
    if (!cur->is_object()) return;
    cur = &(*cur)[path[i]];
    if (cur->is_null()) *cur = nlohmann::ordered_json::object();
  }
  if (cur->is_object()) (*cur)[path.back()] = std::move(v);
}

// A payload for `spec`: its paths filled (or not) with random values, plus noise keys, in random order.
inline std::string payload_for(const JitsiEventSpec& spec, XorShift& rng) {
  const SpecRules& rules = spec_rules(spec);
  nlohmann::ordered_json root = nlohmann::ordered_json::object();
  std::vector<const std::vector<std::string>*> paths;
  for (const auto& r : rules.rules) paths.push_back(&r.path);
  if (!rules.participant.empty()) paths.push_back(&rules.participant);
  if (!rules.on_field.empty()) paths.push_back(&rules.on_field);
  for (std::size_t i = 0; i < paths.size(); ++i) std::swap(paths[i], paths[rng.below(paths.size())]);
  for (const auto* p : paths) {
    if (rng.below(5) == 0) continue;
    const bool scalar_only = rng.below(4) != 0;
    nlohmann::ordered_json v = value(rng, 0);
    while (scalar_only && v.is_structured()) v = value(rng, 0);
    if (p == &rules.participant && rng.below(2)) v = "participant-" + std::to_string(rng.below(100));
    if (p == &rules.on_field && rng.below(2)) v = rng.below(2) == 0;
    put(root, *p, std::move(v));
  }
  for (std::size_t i = rng.below(3); i > 0; --i) root["noise" + std::to_string(i)] = value(rng, 1);
  std::string text = root.dump();
  // Now and then: a repeated key (the DOM keeps the last one) or whitespace.
  if (rng.below(10) == 0 && !paths.empty() && text.size() > 2)
    text = "{\"" + paths[0]->front() + "\":" + value(rng, 2).dump() + "," + text.substr(1);
  if (rng.below(10) == 0) text = " \n" + text + "\t";
  return text;
}

}  // namespace convene::events::testing
