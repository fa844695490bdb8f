#include "core/entities/expiry.h"

#include <algorithm>

#include "core/error.h"

namespace convene::entities {

UtcTime session_expires_at(UtcTime session_date, std::int64_t duration_minutes) {
  return session_date + std::chrono::minutes{duration_minutes} + std::chrono::seconds{kSessionBufferSeconds};
}

std::int64_t session_expires_in(UtcTime session_date, std::int64_t duration_minutes, UtcTime now) {
  auto window_end = session_date + std::chrono::minutes{duration_minutes};
  if (window_end <= now)
    throw Error(code::kSessionEnded, "input.sessionDate",
                "input.sessionDate + duration has already passed at `now` (" + format_iso8601(window_end) +
                    "); a session whose window has ended is not stored");
  auto ms = (session_expires_at(session_date, duration_minutes) - now).count();
  return std::max<std::int64_t>(1, ms / 1000);
}

std::int64_t expires_in_blocks(std::int64_t expires_in_seconds) {
  return (std::max<std::int64_t>(expires_in_seconds, 0) + kBlockSeconds - 1) / kBlockSeconds;
}

UtcTime expires_at_from_block(std::int64_t expires_at_block, std::int64_t current_block, UtcTime now) {
  return now + std::chrono::seconds{(expires_at_block - current_block) * kBlockSeconds};
}

}  // namespace convene::entities
