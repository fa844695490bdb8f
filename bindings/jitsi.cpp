// Embind: core.jitsi.* (docs/domain.md#package-surface). Strings in, JSON envelopes out.
#include <emscripten/bind.h>

#include "bindings/guard.h"
#include "core/jitsi/room.h"

using namespace convene;

namespace {
std::string room_name(std::string session_key) {
  return bindings::guard_json([&] { return Json(jitsi::session_room_name(session_key)); });
}
std::string join_url(std::string room, std::string base_url) {
  return bindings::guard_json([&] {
    return Json(base_url.empty() ? jitsi::join_url(room) : jitsi::join_url(room, base_url));
  });
}
std::string gathering_room_name() {
  return bindings::guard_json([&] {
    SodiumRandom r;
    return Json(jitsi::gathering_room_name(r));
  });
}
}  // namespace

EMSCRIPTEN_BINDINGS(convene_jitsi) {
  emscripten::function("jitsi_roomName", &room_name);
  emscripten::function("jitsi_joinUrl", &join_url);
  emscripten::function("jitsi_gatheringRoomName", &gathering_room_name);
}
