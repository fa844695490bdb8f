// libFuzzer target: the entity readers (docs/trust.md) fed with entities as the SDK returns them.
//
// Input: JSON text that is taken (when it parses) as an array of entities, each as the JS layer hands it
// to the core (`{key, attributes: [{key, value}], payload: "<text>", creator, owner, lastModifiedAtBlock,
// ...}`); text that does not parse becomes the payload of one entity signed by the mentor, so arbitrary
// bytes reach the payload decoder too. Every list reader must return normally on any such list: hostile
// entities are skipped and counted, never thrown. Anything escaping is a bug. Run:
//   build/fuzz/tests/fuzz/readers_fuzz -max_total_time=60 -dict=tests/fuzz/readers.dict CORPUS_DIR
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include "core/entities/gathering.h"
#include "core/error.h"
#include "core/events/stored.h"
#include "core/series/occurrences.h"
#include "core/series/series.h"
#include "core/sessions/status.h"

using namespace convene;

namespace {
const char* kMentor = "0x1111111111111111111111111111111111111111";
const char* kLearner = "0x2222222222222222222222222222222222222222";

Json session() {
  return Json{{"key", "0xs"}, {"type", "session"}, {"mentorWallet", kMentor}, {"learnerWallet", kLearner},
              {"sessionDate", "2026-01-20T18:00:00Z"}, {"creator", kLearner}, {"owner", kLearner}, {"lastModifiedAtBlock", 1}};
}
Json series_entity() {
  return Json{{"key", "0xseries"}, {"type", "event_series"}, {"organizerWallet", kMentor}, {"title", "t"},
              {"recurrence", "DTSTART;TZID=Europe/Berlin:20260302T190000\nRRULE:FREQ=WEEKLY;COUNT=8"},
              {"creator", kMentor}, {"owner", kMentor}, {"lastModifiedAtBlock", 1}};
}

[[noreturn]] void fail(const char* reader, const char* what) {
  std::fprintf(stderr, "%s threw on a list of entities: %s\n", reader, what);
  std::abort();
}

template <class F>
void must_not_throw(const char* reader, F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    fail(reader, e.what());
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  Json list = Json::parse(text, nullptr, false);
  if (list.is_discarded() || !list.is_array()) {
    list = Json::array({Json{{"key", "0xk"}, {"attributes", Json::array({{{"key", "type"}, {"value", "virtual_gathering"}},
                                                                         {{"key", "sessionKey"}, {"value", "0xs"}},
                                                                         {{"key", "seriesKey"}, {"value", "0xseries"}}})},
                             {"payload", text}, {"creator", kMentor}, {"owner", kMentor}, {"lastModifiedAtBlock", 2}}});
  }
  const UtcTime now = parse_iso8601("2026-01-19T00:00:00Z", "now");
  must_not_throw("upcoming_gatherings", [&] { entities::upcoming_gatherings(&list, &list, "", now); });
  must_not_throw("rsvp_summary", [&] { entities::rsvp_summary(&list, entities::Wallet::parse(kLearner, "viewer")); });
  must_not_throw("sessions status", [&] {
    Json in = {{"session", session()}, {"confirmations", list}, {"rejections", list}, {"jitsi", list}, {"payments", list}};
    sessions::compute_status(sessions::read_session_evidence(Input(in, "")), now).to_json();
  });
  must_not_throw("compute_statuses", [&] {
    Json in = {{"sessions", list}, {"confirmations", list}};
    sessions::compute_statuses(Input(in, ""), now);
  });
  must_not_throw("series state", [&] {
    Json in = {{"series", series_entity()}, {"exceptions", list}, {"gatherings", list}};
    auto st = series::read_series_state(Input(in, ""));
    series::list_occurrences(st, std::nullopt, std::nullopt, 8);
  });
  must_not_throw("followers", [&] { series::followers(&list, "0xseries", std::nullopt); });
  must_not_throw("meeting events", [&] {
    events::meeting_events_from_entities(&list, {entities::Wallet::parse(kMentor, "s")});
  });
  return 0;
}
