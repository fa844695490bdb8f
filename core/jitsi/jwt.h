// convene/core/jitsi/jwt.h — checking a Jitsi JWT the client was handed (docs/domain.md#jitsi-rooms).
//
// Tokens are minted by a server; the client never holds the signing secret, so it
// cannot verify the signature. It checks what it can before storing or using one:
// the shape, the algorithm (Prosody's token plugin supports HS256 and RS256 only)
// and that `exp` has not passed.
#pragma once

#include <string_view>

#include "core/time.h"

namespace convene::jitsi {

/// Throws INVALID_JWT naming `field` unless `token` is three base64url segments,
/// the header's `alg` is HS256 or RS256, and the claims' `exp` (seconds since the
/// epoch; required) is after `now`.
void check_jwt(std::string_view token, UtcTime now, std::string_view field);

}  // namespace convene::jitsi
