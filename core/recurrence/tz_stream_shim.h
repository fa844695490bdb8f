// convene/core/recurrence/tz_stream_shim.h — feeds date/tz.cpp from memory.
//
// Force-included (`-include`) into date's tz.cpp only (see core/CMakeLists.txt);
// no other translation unit sees it. tz.cpp (built with USE_OS_TZDB=0) loads the
// database by checking that its install folder exists (`::access`) and reading
// the zic source files and `version` from it with `std::ifstream`. Here both are
// redirected to the data compiled into the binary (core/recurrence/tzdb_embedded.h),
// so the WASM module needs no file system (-sFILESYSTEM=0 stays) and the native
// build never touches the host's files. The virtual folder is INSTALL/tzdata,
// i.e. `/convene-tzdb/tzdata`; the whole database is served as its first file
// name (`africa`), the other names tz.cpp asks for are absent.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <unistd.h>

#include "core/recurrence/tzdb_embedded.h"

namespace convene::recurrence::tzdb_embedded::detail {

inline constexpr std::string_view kFolder = "/convene-tzdb/tzdata";

/// An input stream over an embedded "file", with the std::ifstream members tz.cpp uses.
class EmbeddedFile : public std::istringstream {
 public:
  EmbeddedFile() = default;
  explicit EmbeddedFile(const std::string& path) { open(path); }
  void open(const std::string& path) {
    std::string_view p(path);
    std::string_view data;
    open_ = false;
    if (p.size() > kFolder.size() + 1 && p.substr(0, kFolder.size()) == kFolder) {
      std::string_view name = p.substr(kFolder.size() + 1);
      if (name == "africa") data = zic_source(), open_ = true;
      if (name == "version") data = version(), open_ = true;
    }
    str(std::string(data));
    clear(open_ ? std::ios::goodbit : std::ios::failbit);
  }
  bool is_open() const { return open_; }
  void close() { open_ = false; }

 private:
  bool open_ = false;
};

/// `access(path, mode)` for tz.cpp: only the virtual folder exists.
inline int access(const char* path, int) { return std::string_view(path) == kFolder ? 0 : -1; }

}  // namespace convene::recurrence::tzdb_embedded::detail

// tz.cpp spells these `std::ifstream` and `::access`.
namespace std {
using convene_embedded_ifstream = ::convene::recurrence::tzdb_embedded::detail::EmbeddedFile;
}
inline int convene_embedded_access(const char* path, int mode) {
  return ::convene::recurrence::tzdb_embedded::detail::access(path, mode);
}
#define ifstream convene_embedded_ifstream
#define access(path, mode) convene_embedded_access(path, mode)
