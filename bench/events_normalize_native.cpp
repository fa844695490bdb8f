// Native normalization throughput of core/events (the same C++ the WASM module runs),
// printed next to the per-call cost of nlohmann::json parse+dump of the same payloads
// (the floor of any DOM-based normalizer), measured in the same run.
// Build and run (after scripts/build.sh native):
//   g++ -std=c++20 -O2 -I. bench/events_normalize_native.cpp build/native/core/libconvene_core.a -lsodium \
//       -o build/native/events_normalize_native && build/native/events_normalize_native
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "core/events/normalize.h"
#include "core/events/record_writer.h"

using namespace convene;
using namespace convene::events;

int main() {
  SodiumRandom sodium;
  PooledRandom random(sodium);
  UuidV7Generator ids;
  std::vector<std::pair<std::string, std::string>> events;
  for (int i = 0; i < 1000; ++i) {
    switch (i % 5) {
      case 0: events.push_back({"participantJoined", R"({"id":"p)" + std::to_string(i) + R"(","displayName":"User","formattedDisplayName":"User"})"}); break;
      case 1: events.push_back({"participantMuted", R"({"id":"p)" + std::to_string(i) + R"(","isMuted":true,"mediaType":"audio"})"}); break;
      case 2: events.push_back({"dominantSpeakerChanged", R"({"id":"p)" + std::to_string(i) + R"("})"}); break;
      case 3: events.push_back({"incomingMessage", R"({"from":"p1","nick":"Ada","message":"message number )" + std::to_string(i) + R"(","privateMessage":false})"}); break;
      default: events.push_back({"transcriptionChunkReceived", R"({"data":{"messageID":"m)" + std::to_string(i) + R"(","language":"en","participant":{"id":"p7","name":"Grace"},"final":"words","stable":"","unstable":""}})"});
    }
  }
  const int rounds = 200;
  std::size_t sink = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (int r = 0; r < rounds; ++r)
    for (const auto& [name, text] : events) {
      Json payload = Json::parse(text);
      EventRecord rec = normalize(name, payload, {"meeting-bench", std::string("local")}, UtcTime(Millis(1767225600000LL + r)), ids, random);
      sink += to_json_text(rec).size();
    }
  auto t1 = std::chrono::steady_clock::now();
  for (int r = 0; r < rounds; ++r)
    for (const auto& [name, text] : events) sink += Json::parse(text).dump().size();
  auto t2 = std::chrono::steady_clock::now();
  for (int r = 0; r < rounds; ++r)
    for (const auto& [name, text] : events)
      sink += to_json_text(normalize_text(name, text, {"meeting-bench", std::string("local")},
                                          UtcTime(Millis(1767225600000LL + r)), ids, random)).size();
  auto t3 = std::chrono::steady_clock::now();
  // The bulk form: the payloads as one JSON array, records written into one buffer.
  RecordWriter writer;
  std::vector<std::string_view> names;
  std::string array = "[", out;
  for (const auto& [name, text] : events) {
    if (names.size()) array += ',';
    array += text;
    names.push_back(name);
  }
  array += ']';
  auto t4 = std::chrono::steady_clock::now();
  for (int r = 0; r < rounds; ++r) {
    out.clear();
    writer.append_array(out, names, array, {"meeting-bench", std::string("local")}, UtcTime(Millis(1767225600000LL + r)),
                        ids, random);
    sink += out.size();
  }
  auto t5 = std::chrono::steady_clock::now();
  const double n = static_cast<double>(rounds) * events.size();
  const double norm = n / std::chrono::duration<double>(t1 - t0).count();
  const double floor = n / std::chrono::duration<double>(t2 - t1).count();
  const double fast = n / std::chrono::duration<double>(t3 - t2).count();
  std::printf("native normalize (parse + normalize + serialize): %.3f M events/s; nlohmann parse+dump alone: %.3f M/s; ratio %.2fx\n",
              norm / 1e6, floor / 1e6, floor / norm);
  const double bulk = n / std::chrono::duration<double>(t5 - t4).count();
  std::printf("native normalize_text (streaming scan + serialize): %.3f M events/s (%.2fx the DOM path)\n", fast / 1e6,
              fast / norm);
  std::printf("native RecordWriter::append_array (1000 per call): %.3f M events/s (%.2fx the DOM path) (%zu)\n",
              bulk / 1e6, bulk / norm, sink % 10);
}
