#include "core/events/payload_scan.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <functional>
#include <span>
#include <vector>

#include "core/error.h"
#include "core/events/field_rules.h"
#include "core/events/json_text.h"
#include "core/events/normalize.h"
#include "core/events/text_buffer.h"
#include "core/json_input.h"

#include <rapidjson/reader.h>

namespace convene::events {
namespace {

constexpr std::size_t kMaxNodes = 64;   // trie nodes of one row (bit set of seen nodes)
constexpr std::size_t kMaxRules = 32;   // kept fields of one row (bit set of rules)
constexpr int kMaxTracked = 16;         // nesting of followed objects
// Containers open at once. The reader recurses once per level and the handlers refuse
// deeper input (the DOM path takes it), so the call stack stays small on any input.
constexpr int kMaxNesting = 48;

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

// Runs once per key of every followed object: sizes first, then an inline compare (keys
// are a few bytes; a memcmp call costs more than that in WASM).
int child(const std::vector<Node>& nodes, int parent, std::string_view key) {
  for (int c : nodes[static_cast<std::size_t>(parent)].children) {
    const std::string& k = nodes[static_cast<std::size_t>(c)].key;
    if (k.size() != key.size()) continue;
    std::size_t i = 0;
    while (i < key.size() && k[i] == key[i]) ++i;
    if (i == key.size()) return c;
  }
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

// `spec` is a row of jitsi_event_catalogue() (find_jitsi_event / known_event give no other).
const Plan& plan_for(const JitsiEventSpec& spec) {
  static const std::vector<Plan> plans = [] {
    std::vector<Plan> v;
    for (const auto& row : jitsi_event_catalogue()) v.push_back(make_plan(spec_rules(row)));
    return v;
  }();
  const auto rows = jitsi_event_catalogue();
  const std::less<const JitsiEventSpec*> before;
  if (before(&spec, rows.data()) || !before(&spec, rows.data() + rows.size()))
    throw Error(code::kInternal, "", "event spec outside the catalogue");
  return plans[static_cast<std::size_t>(&spec - rows.data())];
}

template <class T>
void append_integer(TextBuffer& out, T v) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(std::string_view(buf, static_cast<std::size_t>(res.ptr - buf)));
}

// RapidJSON accepts a lone low surrogate escape (\udc00) and writes it as ED B0..BF xx;
// nlohmann rejects the document. Such text goes to the DOM path, which reports it.
bool has_encoded_surrogate(const char* s, std::size_t n) {
  for (std::size_t i = 0; i + 1 < n; ++i)
    if (static_cast<unsigned char>(s[i]) == 0xED && static_cast<unsigned char>(s[i + 1]) >= 0xA0) return true;
  return false;
}

// What one scan found; the buffers keep their capacity from scan to scan.
struct ScanResult {
  std::string payload_text;  // built on demand (payload_text())
  bool payload_built = false;
  std::string participant_id;
  bool has_participant_id = false;
  bool on = false;
  std::string message_id;
  bool final_text = false;
};

// The SAX handler (RapidJSON's Reader): follows the plan's trie through the objects on
// its paths, skips everything else, writes kept scalars into `slots_`, and stops
// (returns false) the moment the fast path cannot match the DOM path.
class Scanner : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Scanner> {
 public:
  // Starts a scan of a payload for `plan`; `out` receives the result.
  // `plain`: the text holds no backslash, so no string in it has an escape: none decodes
  // to a surrogate or to a character JSON output must escape (raw ones are invalid JSON).
  void reset(const Plan& plan, ScanResult& out, bool plain) {
    plan_ = &plan;
    plain_ = plain;
    result_ = &out;
    out.payload_text.clear();
    out.payload_built = false;
    out.participant_id.clear();
    out.has_participant_id = false;
    out.on = false;
    out.message_id.clear();
    out.final_text = false;
    text_.clear();
    present_ = 0;
    seen_ = 0;
    depth_ = tracked_ = 0;
    pending_ = -1;
    started_ = false;
  }

  bool Null() { return scalar([&](TextBuffer& o, std::size_t) { o.append("null"); }, {}, false); }
  bool Bool(bool v) {
    if (target() >= 0 && plan_->nodes[static_cast<std::size_t>(target())].on) result_->on = v;
    return scalar([&](TextBuffer& o, std::size_t) { o.append(v ? "true" : "false"); }, {}, false);
  }
  bool Int(int v) { return integer(v); }
  bool Uint(unsigned v) { return integer(v); }
  bool Int64(std::int64_t v) { return integer(v); }
  bool Uint64(std::uint64_t v) { return integer(v); }
  // Floats are rare in IFrame API payloads; their shortest form is Json::dump's business,
  // and nlohmann's and RapidJSON's readers may round differently: DOM path when kept.
  bool Double(double) {
    const int n = target();
    if (n >= 0 && plan_->nodes[static_cast<std::size_t>(n)].rules != 0) return false;
    return scalar([](TextBuffer&, std::size_t) {}, {}, false);
  }
  bool String(const char* s, rapidjson::SizeType len, bool) {
    if (!plain_ && has_encoded_surrogate(s, len)) return false;
    const std::string_view v(s, len);
    const int n = target();
    if (n >= 0 && plan_->nodes[static_cast<std::size_t>(n)].participant && !v.empty() && v.size() <= kMaxIdBytes) {
      result_->participant_id.assign(v);
      result_->has_participant_id = true;
    }
    return scalar(
        [&](TextBuffer& o, std::size_t cap) {
          const std::string_view kept = utf8_prefix(v, cap);
          if (!plain_) {
            escaped_.clear();
            append_json_string(escaped_, kept);
            return o.append(escaped_);
          }
          char* p = o.extend(kept.size() + 2);
          *p++ = '"';
          p = copy_bytes(p, kept.data(), kept.size());
          *p = '"';
        },
        v, true);
  }
  bool Key(const char* s, rapidjson::SizeType len, bool) {
    if (!plain_ && has_encoded_surrogate(s, len)) return false;
    pending_ = depth_ == tracked_ ? child(plan_->nodes, stack_[tracked_ - 1], std::string_view(s, len)) : -1;
    return true;
  }
  bool StartObject() {
    if (depth_ >= kMaxNesting) return false;  // bounds the reader's recursion
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
    const Node& node = plan_->nodes[static_cast<std::size_t>(n)];
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
    if (depth_ >= kMaxNesting) return false;
    const int n = take();
    ++depth_;
    if (n == kRepeated) return false;
    return n < 0 || plan_->nodes[static_cast<std::size_t>(n)].rules == 0;
  }
  bool EndArray(rapidjson::SizeType) {
    --depth_;
    pending_ = -1;
    return true;
  }

  // The payload object has been closed (its EndObject was seen).
  bool done() const { return started_ && depth_ == 0; }

  // Sizes the payload text; false when the scan cannot stand for the DOM path.
  bool finish() {
    if (!started_ || depth_ != 0) return false;
    std::size_t n = 2, fields = 0;
    for (const OutKey& k : plan_->out_keys) {
      if (!(present_ & (1u << k.rule))) continue;
      n += k.prefix.size() + slots_[static_cast<std::size_t>(k.rule)].length;
      ++fields;
    }
    payload_size_ = n + (fields ? fields - 1 : 0);
    return payload_size_ <= kMaxPayloadBytes;
  }

  // After finish(): the payload text's size, and the text itself written at `p`
  // (keys in sorted order, as Json::dump writes an object). Returns the end.
  std::size_t payload_size() const { return payload_size_; }
  char* write_payload(char* p) const {
    auto put = [&p](const char* s, std::size_t n) { p = copy_bytes(p, s, n); };
    *p++ = '{';
    bool first = true;
    for (const OutKey& k : plan_->out_keys) {
      if (!(present_ & (1u << k.rule))) continue;
      const Slot& s = slots_[static_cast<std::size_t>(k.rule)];
      if (!first) *p++ = ',';
      first = false;
      put(k.prefix.data(), k.prefix.size());
      put(text_.data() + s.offset, s.length);
    }
    *p++ = '}';
    return p;
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
    return scalar([&](TextBuffer& o, std::size_t) { append_integer(o, v); }, {}, false);
  }

  template <class Write>
  bool scalar(Write&& write, std::string_view str, bool is_string) {
    if (!started_) return false;  // payload not an object
    const int n = take();
    if (n == kRepeated) return false;
    if (n < 0) return true;
    std::uint32_t rules = plan_->nodes[static_cast<std::size_t>(n)].rules;
    for (std::size_t i = 0; rules != 0; ++i, rules >>= 1) {
      if (!(rules & 1u)) continue;
      Slot& s = slots_[i];
      s.offset = text_.size();
      write(text_, plan_->max_string[i]);
      s.length = text_.size() - s.offset;
      present_ |= 1u << i;
      if (is_string && (plan_->message_id_rules & (1u << i))) result_->message_id.assign(utf8_prefix(str, plan_->max_string[i]));
      if (plan_->final_rules & (1u << i)) result_->final_text = is_string && !str.empty();
    }
    return true;
  }

  const Plan* plan_ = nullptr;
  ScanResult* result_ = nullptr;
  TextBuffer text_;     // kept values, serialized, back to back
  std::string escaped_;  // a kept string with escapes, escaped (text with a backslash)
  std::array<Slot, kMaxRules> slots_{};
  std::uint32_t present_ = 0;
  std::size_t payload_size_ = 0;
  std::uint64_t seen_ = 0;
  std::array<int, kMaxTracked> stack_{};
  int depth_ = 0;    // open containers
  int tracked_ = 0;  // leading open containers that are followed objects
  int pending_ = -1;
  bool started_ = false;
  bool plain_ = false;
};

// Drives a Scanner over the elements of a JSON array of payloads, in one pass of the
// reader: element i is scanned for specs[i]; object elements the Scanner declines are
// handed to the visitor as text (their offsets in the original), non-objects as such.
// Stops the parse (returns false) on more elements than specs and on an encoded lone
// surrogate anywhere (the DOM reader rejects the whole text; the caller takes that path).
class ArrayDriver : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, ArrayDriver> {
 public:
  ArrayDriver(std::span<const JitsiEventSpec* const> specs, std::string_view original,
              rapidjson::InsituStringStream& stream, Scanner& scanner, ScanResult& result,
              const PayloadScanner& owner, PayloadVisitor& visitor, bool plain)
      : plain_(plain), specs_(specs), original_(original), stream_(stream), scanner_(scanner), result_(result), owner_(owner),
        visitor_(visitor) {}

  std::size_t count() const { return index_; }
  bool too_many() const { return too_many_; }

  bool Null() { return scalar([&] { return scanner_.Null(); }); }
  bool Bool(bool v) { return scalar([&] { return scanner_.Bool(v); }); }
  bool Int(int v) { return scalar([&] { return scanner_.Int(v); }); }
  bool Uint(unsigned v) { return scalar([&] { return scanner_.Uint(v); }); }
  bool Int64(std::int64_t v) { return scalar([&] { return scanner_.Int64(v); }); }
  bool Uint64(std::uint64_t v) { return scalar([&] { return scanner_.Uint64(v); }); }
  bool Double(double v) { return scalar([&] { return scanner_.Double(v); }); }
  bool String(const char* s, rapidjson::SizeType len, bool copy) {
    if (!plain_ && has_encoded_surrogate(s, len)) return false;
    return scalar([&] { return scanner_.String(s, len, copy); });
  }
  bool Key(const char* s, rapidjson::SizeType len, bool copy) {
    if (!plain_ && has_encoded_surrogate(s, len)) return false;
    if (mode_ == Mode::kScan && !scanner_.Key(s, len, copy)) mode_ = Mode::kDeclined;
    return true;
  }
  bool StartArray() {
    if (depth_ >= kMaxNesting) return false;  // the DOM route takes it
    if (depth_ == 0) {  // the array of payloads
      depth_ = 1;
      return true;
    }
    if (depth_ == 1) {  // an element that is an array: not an object
      if (!begin_element()) return false;
      mode_ = Mode::kNotObject;
    } else if (mode_ == Mode::kScan && !scanner_.StartArray()) {
      mode_ = Mode::kDeclined;
    }
    ++depth_;
    return true;
  }
  bool EndArray(rapidjson::SizeType n) {
    --depth_;
    if (depth_ == 1) return end_element();
    if (mode_ == Mode::kScan && !scanner_.EndArray(n)) mode_ = Mode::kDeclined;
    return true;
  }
  bool StartObject() {
    if (depth_ == 0) return false;  // not an array
    if (depth_ >= kMaxNesting) return false;
    if (depth_ == 1) {
      if (!begin_element()) return false;
      // The (recursive) reader calls StartObject after taking the '{'.
      start_ = stream_.Tell() - 1;
      const JitsiEventSpec* spec = specs_[index_ - 1];
      const Plan& plan = plan_for(*spec);
      if (plan.streamable) {
        scanner_.reset(plan, result_, plain_);
        mode_ = Mode::kScan;
      } else {
        mode_ = Mode::kDeclined;
      }
    }
    if (mode_ == Mode::kScan && !scanner_.StartObject()) mode_ = Mode::kDeclined;
    ++depth_;
    return true;
  }
  bool EndObject(rapidjson::SizeType n) {
    --depth_;
    if (mode_ == Mode::kScan && !scanner_.EndObject(n)) mode_ = Mode::kDeclined;
    if (depth_ != 1) return true;
    if (mode_ == Mode::kScan && scanner_.done() && scanner_.finish()) {
      visitor_.scanned(index_ - 1, owner_);
    } else {
      // ...and EndObject after taking the '}'.
      const std::size_t end = stream_.Tell();
      visitor_.declined(index_ - 1, original_.substr(start_, end - start_));
    }
    mode_ = Mode::kNone;
    return true;
  }

 private:
  enum class Mode { kNone, kScan, kDeclined, kNotObject };

  bool begin_element() {
    if (index_ >= specs_.size()) {
      too_many_ = true;
      return false;
    }
    ++index_;
    return true;
  }
  // The end of a non-object element (a scalar, or an array closing).
  bool end_element() {
    visitor_.not_object(index_ - 1);
    mode_ = Mode::kNone;
    return true;
  }
  template <class Forward>
  bool scalar(Forward&& forward) {
    if (depth_ == 0) return false;  // not an array
    if (depth_ == 1) return begin_element() && end_element();
    if (mode_ == Mode::kScan && !forward()) mode_ = Mode::kDeclined;
    return true;
  }

  bool plain_;  // as Scanner::reset()
  std::span<const JitsiEventSpec* const> specs_;
  std::string_view original_;
  rapidjson::InsituStringStream& stream_;
  Scanner& scanner_;
  ScanResult& result_;
  const PayloadScanner& owner_;
  PayloadVisitor& visitor_;
  std::size_t index_ = 0;
  std::size_t start_ = 0;
  int depth_ = 0;
  Mode mode_ = Mode::kNone;
  bool too_many_ = false;
};

// Encoding validated, as nlohmann's reader does. In place (insitu): strings are unescaped
// into the working copy, not a second buffer. Recursive (the faster mode): the handlers
// stop the read beyond kMaxNesting open containers.
constexpr unsigned kReadFlags = rapidjson::kParseInsituFlag | rapidjson::kParseValidateEncodingFlag;

}  // namespace

struct PayloadScanner::Impl {
  rapidjson::Reader reader;
  std::string copy;  // the text, read in place
  Scanner scanner;
  ScanResult result;

  // Copies `text` for the in-place reader; false when it holds a NUL byte (the reader
  // would stop there: such text is the DOM path's to judge). `plain`: no backslash in it.
  bool load(std::string_view text, bool& plain) {
    if (std::memchr(text.data(), '\0', text.size()) != nullptr) return false;
    plain = std::memchr(text.data(), '\\', text.size()) == nullptr;
    copy.assign(text);
    return true;
  }
};

PayloadScanner::PayloadScanner() : impl_(std::make_unique<Impl>()) {}
PayloadScanner::~PayloadScanner() = default;

bool PayloadScanner::scan(const JitsiEventSpec& spec, std::string_view payload_json) {
  const Plan& plan = plan_for(spec);
  if (!plan.streamable) return false;
  Impl& m = *impl_;
  bool plain = false;
  if (!m.load(payload_json, plain)) return false;
  m.scanner.reset(plan, m.result, plain);
  rapidjson::InsituStringStream stream(m.copy.data());
  if (m.reader.Parse<kReadFlags>(stream, m.scanner).IsError()) return false;
  return m.scanner.finish();
}

PayloadScanner::ArrayScan PayloadScanner::scan_array(std::span<const JitsiEventSpec* const> specs,
                                                     std::string_view array_json, PayloadVisitor& visitor) {
  Impl& m = *impl_;
  bool plain = false;
  if (!m.load(array_json, plain)) return {false, 0, false};
  rapidjson::InsituStringStream stream(m.copy.data());
  ArrayDriver driver(specs, array_json, stream, m.scanner, m.result, *this, visitor, plain);
  const bool ok = !m.reader.Parse<kReadFlags>(stream, driver).IsError();
  return {ok, driver.count(), driver.too_many()};
}

std::string_view PayloadScanner::payload_text() const {
  ScanResult& r = impl_->result;
  if (!r.payload_built) {
    r.payload_text.resize(impl_->scanner.payload_size());
    impl_->scanner.write_payload(r.payload_text.data());
    r.payload_built = true;
  }
  return r.payload_text;
}
std::size_t PayloadScanner::payload_size() const { return impl_->scanner.payload_size(); }
char* PayloadScanner::write_payload(char* out) const { return impl_->scanner.write_payload(out); }
bool PayloadScanner::has_participant_id() const { return impl_->result.has_participant_id; }
std::string_view PayloadScanner::participant_id() const { return impl_->result.participant_id; }
bool PayloadScanner::on() const { return impl_->result.on; }
std::string_view PayloadScanner::message_id() const { return impl_->result.message_id; }
bool PayloadScanner::final_text() const { return impl_->result.final_text; }

std::optional<ScannedPayload> scan_payload(const JitsiEventSpec& spec, std::string_view payload_json) {
  PayloadScanner scanner;
  if (!scanner.scan(spec, payload_json)) return std::nullopt;
  ScannedPayload out;
  out.payload_text = std::string(scanner.payload_text());
  if (scanner.has_participant_id()) out.participant_id = std::string(scanner.participant_id());
  out.on = scanner.on();
  out.message_id = std::string(scanner.message_id());
  out.final_text = scanner.final_text();
  return out;
}

}  // namespace convene::events
