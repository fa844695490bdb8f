#include <doctest/doctest.h>

#include <cstring>

#include "core/error.h"
#include "core/jitsi/room.h"
#include "test_support.h"

using namespace convene;
using convene::testing::CountingRandom;

TEST_CASE("session room name matches the p2pmentor vector (docs/domain.md#jitsi-rooms)") {
  CHECK(jitsi::session_room_name("test-session-key") == "mg-test-session-key-6841b27545a1131e");
  CHECK(jitsi::session_room_name("0xabc") == jitsi::session_room_name("0xabc"));
  CHECK_THROWS_AS(jitsi::session_room_name(""), Error);
  CHECK_THROWS_WITH_AS(jitsi::session_room_name("a b"), doctest::Contains("sessionKey"), Error);
}

TEST_CASE("gathering room name is gathering- plus 128 random bits in hex") {
  CountingRandom r;
  CHECK(jitsi::gathering_room_name(r) == "gathering-000102030405060708090a0b0c0d0e0f");
  CHECK(jitsi::gathering_room_name(r) == "gathering-101112131415161718191a1b1c1d1e1f");
}

TEST_CASE("join URL trims trailing slashes and encodes the room") {
  CHECK(jitsi::join_url("mg-x-1") == "https://meet.jit.si/mg-x-1");
  CHECK(jitsi::join_url("mg-x-1", "https://jitsi.example.org///") == "https://jitsi.example.org/mg-x-1");
  CHECK(jitsi::join_url("caf\xc3\xa9") == "https://meet.jit.si/caf%C3%A9");
  try {
    jitsi::join_url("room", "ftp://x");
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK(e.code() == "INVALID_URL");
    CHECK(e.field() == "baseUrl");
  }
  try {
    jitsi::join_url("bad room?");
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK(e.code() == "INVALID_ROOM_NAME");
  }
}
