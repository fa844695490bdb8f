// convene/core/jitsi/room.h — Jitsi room names and join URLs (docs/domain.md#jitsi-rooms).
#pragma once

#include <string>
#include <string_view>

#include "core/random.h"

namespace convene::jitsi {

/// Default Jitsi deployment (p2pmentor's JITSI_BASE_URL default).
inline constexpr std::string_view kDefaultBaseUrl = "https://meet.jit.si";
/// Longest room name we produce or accept (Jitsi's practical limit is ~200; keep well under).
inline constexpr std::size_t kMaxRoomNameLength = 160;

/// Room of a mentorship session: `mg-{sessionKey}-{first 16 hex of sha256(utf8 sessionKey)}`
/// (docs/domain.md#jitsi-rooms; p2pmentor `buildJitsiRoomName`). Deterministic: both participants
/// compute the same room. Example: "test-session-key" -> "mg-test-session-key-6841b27545a1131e".
/// Throws MISSING_FIELD for an empty key, INVALID_ROOM_NAME (field `sessionKey`)
/// when the key holds characters Jitsi forbids in room names or the result is too long.
std::string session_room_name(std::string_view session_key);

/// Room of a virtual gathering: `gathering-{32 lowercase hex}` from 128 random bits.
/// The entity key is unknown before the transaction, so the id is made here and
/// stored on the entity (docs/domain.md#jitsi-rooms).
std::string gathering_room_name(Random& random);

/// Join URL: `base_url` with trailing '/' removed, then '/', then
/// encodeURIComponent(room_name). `base_url` must be an absolute http(s) URL
/// without query or fragment (INVALID_URL, field `baseUrl`); the room name must
/// be valid (INVALID_ROOM_NAME, field `roomName`).
std::string join_url(std::string_view room_name, std::string_view base_url = kDefaultBaseUrl);

/// Throws INVALID_ROOM_NAME naming `field` unless `name` is non-empty, at most
/// kMaxRoomNameLength bytes, and free of whitespace, control characters and
/// any of `:?#[]@!$&'()*+,;=></"` and backslash (characters that break Jitsi
/// room URLs or XMPP JIDs).
void validate_room_name(std::string_view name, std::string_view field);

}  // namespace convene::jitsi
