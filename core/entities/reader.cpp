#include "core/entities/reader.h"

namespace convene::entities {

void Ignored::count(const Error& e) {
  if (e.code() == code::kUnverifiedEntity) ++unverified;
  else if (e.code() == code::kConflictingFields) ++conflicting;
  else ++malformed;
}

Ignored& Ignored::operator+=(const Ignored& o) {
  unverified += o.unverified;
  conflicting += o.conflicting;
  malformed += o.malformed;
  return *this;
}

Json Ignored::to_json() const {
  return Json{{"unverified", unverified}, {"conflicting", conflicting}, {"malformed", malformed}, {"total", total()}};
}

}  // namespace convene::entities
