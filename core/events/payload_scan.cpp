#include "core/events/payload_scan.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "core/events/field_rules.h"
#include "core/events/json_text.h"
#include "core/events/normalize.h"
#include "core/json_input.h"

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

namespace convene::events {
namespace {

constexpr std::size_t kMaxNodes = 64;   // trie nodes of one row (bit set of seen nodes)
constexpr std::size_t kMaxRules = 32;   // kept fields of one row (bit set of rules)
constexpr int kMaxTracked = 16;         // nesting of followed objects

// The row's paths as a trie: node 0 is the payload object.
struct Node {
  std::string key;
  std::vector<int> children;
  std::uint32_t rules = 0;  // bit i: rule i ends here
  bool participant = false;
  bool on = false;
};

// One key of the output payload and the rule writing it; kept in sorted key order, as
// Json::dump writes an object.
struct OutKey {
  std::string prefix;  // "\"out\":"
  int rule;
};

struct Plan {
  bool streamable = false;
  std::vector<Node> nodes;
  std::vector<OutKey> out_keys;
  std::vector<std::size_t> max_string;  // per rule
  std::uint32_t message_id_rules = 0;   // rules whose out is "messageID"
  std::uint32_t final_rules = 0;        // rules whose out is "final"
};

int child(const std::vector<Node>& nodes, int parent, std::string_view key) {
  for (int c : nodes[static_cast<std::size_t>(parent)].children)
    if (nodes[static_cast<std::size_t>(c)].key == key) return c;
  return -1;
}

int insert_path(std::vector<Node>& nodes, const std::vector<std::string>& path) {
  int cur = 0;
  for (const auto& key : path) {
    int next = child(nodes, cur, key);
    if (next < 0) {
      next = static_cast<int>(nodes.size());
      nodes.push_back(Node{key, {}, 0, false, false});
      nodes[static_cast<std::size_t>(cur)].children.push_back(next);
    }
    cur = next;
  }
  return cur;
}

Plan make_plan(const SpecRules& rules) {
  Plan p;
  if (rules.whole_payload || rules.rules.size() > kMaxRules) return p;
  p.nodes.push_back(Node{});
  for (std::size_t i = 0; i < rules.rules.size(); ++i) {
    const FieldRule& r = rules.rules[i];
    if (r.path.empty()) return Plan{};
    p.nodes[static_cast<std::size_t>(insert_path(p.nodes, r.path))].rules |= 1u << i;
    p.max_string.push_back(r.max_string);
    if (r.out == "messageID") p.message_id_rules |= 1u << i;
    if (r.out == "final") p.final_rules |= 1u << i;
    const std::string prefix = Json(r.out).dump() + ":";
    auto same = std::find_if(p.out_keys.begin(), p.out_keys.end(), [&](const OutKey& k) { return k.prefix == prefix; });
    if (same != p.out_keys.end()) return Plan{};  // two rules, one key: left to the DOM path
    p.out_keys.push_back(OutKey{prefix, static_cast<int>(i)});
  }
  if (!rules.participant.empty()) p.nodes[static_cast<std::size_t>(insert_path(p.nodes, rules.participant))].participant = true;
  if (!rules.on_field.empty()) p.nodes[static_cast<std::size_t>(insert_path(p.nodes, rules.on_field))].on = true;
  if (p.nodes.size() > kMaxNodes) return Plan{};
  std::sort(p.out_keys.begin(), p.out_keys.end(), [](const OutKey& a, const OutKey& b) { return a.prefix < b.prefix; });
  p.streamable = true;
  return p;
}

const Plan& plan_for(const JitsiEventSpec& spec) {
  static const std::unordered_map<const JitsiEventSpec*, Plan> cache = [] {
    std::unordered_map<const JitsiEventSpec*, Plan> m;
    for (const auto& row : jitsi_event_catalogue()) m.emplace(&row, make_plan(spec_rules(row)));
    return m;
  }();
  return cache.at(&spec);
}

template <class T>
void append_integer(std::string& out, T v) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

// RapidJSON accepts a lone low surrogate escape (\udc00) and writes it as ED B0..BF xx;
// nlohmann rejects the document. Such text goes to the DOM path, which reports it.
bool has_encoded_surrogate(const char* s, std::size_t n) {
  for (std::size_t i = 0; i + 1 < n; ++i)
    if (static_cast<unsigned char>(s[i]) == 0xED && static_cast<unsigned char>(s[i + 1]) >= 0xA0) return true;
  return false;
}

// The SAX handler (RapidJSON's Reader): follows the plan's trie through the objects on
// its paths, skips everything else, writes kept scalars into `slots_`, and stops
// (returns false) the moment the fast path cannot match the DOM path.
class Scanner : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Scanner> {
 public:
  explicit Scanner(const Plan& plan) : plan_(plan) { text_.reserve(128); }

  bool Null() { return scalar([&](std::string& o, std::size_t) { o += "null"; }, {}, false); }
  bool Bool(bool v) {
    if (target() >= 0 && plan_.nodes[static_cast<std::size_t>(target())].on) result_.on = v;
    return scalar([&](std::string& o, std::size_t) { o += v ? "true" : "false"; }, {}, false);
  }
  bool Int(int v) { return integer(v); }
  bool Uint(unsigned v) { return integer(v); }
  bool Int64(std::int64_t v) { return integer(v); }
  bool Uint64(std::uint64_t v) { return integer(v); }
  // Floats are rare in IFrame API payloads; their shortest form is Json::dump's business,
  // and nlohmann's and RapidJSON's readers may round differently: DOM path when kept.
  bool Double(double) {
    const int n = target();
    if (n >= 0 && plan_.nodes[static_cast<std::size_t>(n)].rules != 0) return false;
    return scalar([](std::string&, std::size_t) {}, {}, false);
  }
  bool String(const char* s, rapidjson::SizeType len, bool) {
    if (has_encoded_surrogate(s, len)) return false;
    const std::string_view v(s, len);
    const int n = target();
    if (n >= 0 && plan_.nodes[static_cast<std::size_t>(n)].participant && !v.empty() && v.size() <= kMaxIdBytes)
      result_.participant_id = std::string(v);
    return scalar([&](std::string& o, std::size_t cap) { append_json_string(o, utf8_prefix(v, cap)); }, v, true);
  }
  bool Key(const char* s, rapidjson::SizeType len, bool) {
    if (has_encoded_surrogate(s, len)) return false;
    pending_ = depth_ == tracked_ ? child(plan_.nodes, stack_[tracked_ - 1], std::string_view(s, len)) : -1;
    return true;
  }
  bool StartObject() {
    if (!started_) {  // the payload itself
      started_ = true;
      depth_ = tracked_ = 1;
      stack_[0] = 0;
      pending_ = -1;
      return true;
    }
    const int n = take();
    ++depth_;
    if (n == kRepeated) return false;
    if (n < 0) return true;
    const Node& node = plan_.nodes[static_cast<std::size_t>(n)];
    if (node.rules != 0) return false;  // a kept object: sanitize() decides its shape
    if (!node.children.empty()) {
      if (tracked_ >= kMaxTracked) return false;
      stack_[tracked_++] = n;
    }
    return true;
  }
  bool EndObject(rapidjson::SizeType) {
    if (depth_ == tracked_) --tracked_;
    --depth_;
    pending_ = -1;
    return true;
  }
  bool StartArray() {
    if (!started_) return false;  // payload not an object
    const int n = take();
    ++depth_;
    if (n == kRepeated) return false;
    return n < 0 || plan_.nodes[static_cast<std::size_t>(n)].rules == 0;
  }
  bool EndArray(rapidjson::SizeType) {
    --depth_;
    pending_ = -1;
    return true;
  }

  std::optional<ScannedPayload> finish() {
    if (!started_ || depth_ != 0) return std::nullopt;
    std::string& out = result_.payload_text;
    out.reserve(text_.size() + 64);
    out += '{';
    bool first = true;
    for (const OutKey& k : plan_.out_keys) {
      if (!(present_ & (1u << k.rule))) continue;
      const Slot& s = slots_[static_cast<std::size_t>(k.rule)];
      if (!first) out += ',';
      first = false;
      out += k.prefix;
      out.append(text_, s.offset, s.length);
    }
    out += '}';
    if (out.size() > kMaxPayloadBytes) return std::nullopt;
    return std::move(result_);
  }

 private:
  struct Slot {
    std::size_t offset = 0;
    std::size_t length = 0;
  };
  static constexpr int kRepeated = -2;

  // The trie node the value being read sits at, or -1.
  int target() const { return depth_ == tracked_ ? pending_ : -1; }

  // Consumes the pending node for a value; a node reached twice means a repeated key.
  int take() {
    const int n = target();
    pending_ = -1;
    if (n < 0) return -1;
    const std::uint64_t bit = std::uint64_t{1} << n;
    if (seen_ & bit) return kRepeated;
    seen_ |= bit;
    return n;
  }

  template <class T>
  bool integer(T v) {
    return scalar([&](std::string& o, std::size_t) { append_integer(o, v); }, {}, false);
  }

  template <class Write>
  bool scalar(Write&& write, std::string_view str, bool is_string) {
    if (!started_) return false;  // payload not an object
    const int n = take();
    if (n == kRepeated) return false;
    if (n < 0) return true;
    std::uint32_t rules = plan_.nodes[static_cast<std::size_t>(n)].rules;
    for (std::size_t i = 0; rules != 0; ++i, rules >>= 1) {
      if (!(rules & 1u)) continue;
      Slot& s = slots_[i];
      s.offset = text_.size();
      write(text_, plan_.max_string[i]);
      s.length = text_.size() - s.offset;
      present_ |= 1u << i;
      if (is_string && (plan_.message_id_rules & (1u << i))) result_.message_id = utf8_prefix(str, plan_.max_string[i]);
      if (plan_.final_rules & (1u << i)) result_.final_text = is_string && !str.empty();
    }
    return true;
  }

  const Plan& plan_;
  ScannedPayload result_;
  std::string text_;  // kept values, serialized, back to back
  std::array<Slot, kMaxRules> slots_{};
  std::uint32_t present_ = 0;
  std::uint64_t seen_ = 0;
  std::array<int, kMaxTracked> stack_{};
  int depth_ = 0;    // open containers
  int tracked_ = 0;  // leading open containers that are followed objects
  int pending_ = -1;
  bool started_ = false;
};

}  // namespace

std::optional<ScannedPayload> scan_payload(const JitsiEventSpec& spec, std::string_view payload_json) {
  const Plan& plan = plan_for(spec);
  if (!plan.streamable) return std::nullopt;
  Scanner scanner(plan);
  rapidjson::Reader reader;
  rapidjson::MemoryStream stream(payload_json.data(), payload_json.size());
  // Iterative: no recursion on deep input. Encoding validated, as nlohmann's reader does.
  constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;
  if (reader.Parse<kFlags>(stream, scanner).IsError()) return std::nullopt;
  return scanner.finish();
}

}  // namespace convene::events
