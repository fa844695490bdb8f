// libFuzzer target: parse + serialize + expand of arbitrary recurrence text (built with -DCONVENE_FUZZ=ON, clang).
//
// Input: the first byte picks options (limit, includeDtstart, a window), the rest is the
// iCalendar text. Anything but a convene::Error escaping is a bug (the bindings would
// report it as INTERNAL), and so is a canonical text that does not parse back to the same
// set. ASan+UBSan are on for the whole build. Run:
//   build/fuzz/tests/fuzz/recurrence_fuzz -max_total_time=60 -dict=tests/fuzz/recurrence.dict CORPUS_DIR
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "core/error.h"
#include "core/recurrence/expand.h"
#include "core/recurrence/parse.h"

using namespace convene;
using namespace convene::recurrence;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t flags = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  RecurrenceSet set;
  try {
    set = parse_recurrence_set(text);
  } catch (const Error&) {
    return 0;
  }
  const std::string canonical = format_recurrence_set(set);
  try {
    if (!(parse_recurrence_set(canonical) == set)) {
      std::fprintf(stderr, "round-trip changed the set:\n%s\n", canonical.c_str());
      std::abort();
    }
  } catch (const Error& e) {
    std::fprintf(stderr, "canonical text does not parse (%s):\n%s\n", e.what(), canonical.c_str());
    std::abort();
  }
  ExpandOptions opt;
  opt.limit = 1 + (flags & 0x3f);
  opt.include_dtstart = flags & 0x40;
  opt.work_budget = 2'000'000;  // keep each input fast; the budget error is a valid outcome
  if (flags & 0x80) {
    opt.after = Instant{set.dtstart.local.time_since_epoch()} + std::chrono::hours(24 * 365 * (flags & 0x1f));
    opt.before = *opt.after + std::chrono::hours(24 * 400);
  }
  try {
    const auto occ = expand(set, opt);
    for (std::size_t i = 1; i < occ.size(); ++i)
      if (!(occ[i - 1].instant < occ[i].instant)) {
        std::fprintf(stderr, "instances out of order or repeated:\n%s\n", canonical.c_str());
        std::abort();
      }
  } catch (const Error&) {
  }
  return 0;
}
