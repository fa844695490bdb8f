// convene/bindings/context.h — reading the `{ now, spaceId }` options object shared by builders.
#pragma once

#include "core/entities/arkiv_limits.h"
#include "core/entities/draft.h"
#include "core/error.h"
#include "core/json_input.h"

namespace convene::bindings {

/// Options as the JS layer passes them: `now` already defaulted to Date.now() there;
/// `spaceId` defaults to 'local-dev' (docs/domain.md#entities-on-arkiv).
inline entities::BuildContext build_context(const Json& options, Random& random) {
  Input in(options, "options");
  entities::BuildContext ctx;
  ctx.now = in.instant("now");
  if (auto s = in.opt_str("spaceId")) {
    if (s->empty()) throw Error(code::kMissingField, "options.spaceId", "options.spaceId must not be empty");
    entities::validate_attribute_string(*s, "options.spaceId");
    ctx.space_id = *s;
  }
  ctx.random = &random;
  return ctx;
}

}  // namespace convene::bindings
