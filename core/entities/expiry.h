// convene/core/entities/expiry.h — `expiresIn` for every entity type (docs/domain.md#expiry).
#pragma once

#include <cstdint>

#include "core/time.h"

namespace convene::entities {

/// Arkiv blocks are 2 s apart (SDK 0.6.x networks and the local node).
inline constexpr std::int64_t kBlockSeconds = 2;
/// One year, the TTL of a virtual gathering and its txhash entity (docs/domain.md#expiry).
inline constexpr std::int64_t kGatheringTtlSeconds = 31'536'000;
/// The buffer after a session's end before it expires (docs/domain.md#expiry).
inline constexpr std::int64_t kSessionBufferSeconds = 3600;

/// The instant a session and all its companions expire: `sessionDate + duration + 1 hour` (docs/domain.md#expiry).
UtcTime session_expires_at(UtcTime session_date, std::int64_t duration_minutes);

/// `expiresIn` (whole seconds) of a session or companion at `now`:
/// floor((session_expires_at - now) / 1 s), at least 1 (rounded down: docs/domain.md#expiry).
/// Throws SESSION_ENDED (field `input.sessionDate`) when the session's window
/// `[sessionDate, sessionDate + duration)` has already ended at `now`: there is
/// nothing left worth storing (docs/domain.md#expiry).
std::int64_t session_expires_in(UtcTime session_date, std::int64_t duration_minutes, UtcTime now);

/// Seconds -> blocks, as Arkiv converts: ceil(expiresIn / 2).
std::int64_t expires_in_blocks(std::int64_t expires_in_seconds);

/// When an entity read back with `expiresAtBlock` expires, given the current block
/// and the time it was observed: now + (expiresAtBlock - currentBlock) * 2 s.
UtcTime expires_at_from_block(std::int64_t expires_at_block, std::int64_t current_block, UtcTime now);

}  // namespace convene::entities
