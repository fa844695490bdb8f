// Embind: core.notices.* (docs/notices.md). JSON in, JSON envelope out.
#include <emscripten/bind.h>

#include "bindings/guard.h"
#include "core/series/notices.h"

using namespace convene;

namespace {

/// `args`: {wallet, follows?, rsvps?, before, after, currentBlock, now} (now already defaulted by JS).
std::string since(std::string args) {
  return bindings::guard_json([&] {
    Json a = parse_json(args, "args");
    Input in(a, "");
    return series::notices_json(series::compute_notices(in, in.instant("now")));
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(convene_notices) {
  emscripten::function("notices_since", &since);
}
