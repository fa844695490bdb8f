#include "core/entities/raw_entity.h"

#include "core/entities/record.h"

namespace convene::entities {

Json flatten_entity(const Json& entity, std::string_view field) { return decode_entity(entity, field).merged(field); }

}  // namespace convene::entities
