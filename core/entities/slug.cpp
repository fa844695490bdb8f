#include "core/entities/slug.h"

namespace convene::entities {

std::string skill_slug(std::string_view name) {
  std::string out;
  bool pending_dash = false;  // a run of whitespace or '-' seen since the last kept character
  for (unsigned char c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    bool sep = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == '-';
    if (alnum) {
      if (pending_dash && !out.empty()) out.push_back('-');
      pending_dash = false;
      out.push_back(static_cast<char>(c));
    } else if (sep) {
      pending_dash = true;
    }  // anything else is dropped without separating ("c++ x" -> "c-x", "node.js" -> "nodejs")
  }
  return out;
}

}  // namespace convene::entities
