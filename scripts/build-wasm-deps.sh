#!/usr/bin/env bash
# Fetches the C/C++ libraries that must be compiled to WebAssembly from Debian
# (`apt-get source`) and builds them with Emscripten into a cache inside the
# build tree. Nothing third-party is committed to the repo.
#
#   scripts/build-wasm-deps.sh [--native-only] [<cache-dir>]     (default: build/wasm-deps)
#   --native-only: only fetch cctz's sources and link the headers (what the native build needs)
#
# Produces, under <cache-dir>/prefix:
#   lib/libsodium.a, include/sodium*.h          (libsodium, Debian bookworm)
#   <cache-dir>/src/libsecp256k1/libsecp256k1-*/  (libsecp256k1 0.2.0 source, compiled by CMake)
#   src/abseil/absl/{base,time/internal/cctz}   (cctz, abseil's time-zone library, Debian bookworm's abseil source,
#                                               with cmake/patches/cctz-no-iostreams.patch applied; compiled by our
#                                               CMake into the recurrence part: docs/recurrence.md#time-zone-data)
#   include/nlohmann, include/date, include/doctest -> /usr/include/...  (header-only, from Debian packages;
#       em++ cannot see /usr/include itself, and must not see all of it)
# Each library is rebuilt only when its Debian source version or the Emscripten version changes.
set -euo pipefail
NATIVE_ONLY=0
if [ "${1:-}" = --native-only ]; then NATIVE_ONLY=1; shift; fi
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="$(mkdir -p "${1:-$ROOT/build/wasm-deps}" && cd "${1:-$ROOT/build/wasm-deps}" && pwd)"
PREFIX="$CACHE/prefix"
export NODE_PATH=/usr/share/nodejs   # Debian's emscripten needs node-acorn (docs/toolchain.md#emscripten)
mkdir -p "$PREFIX/lib" "$PREFIX/include" "$PREFIX/src" "$CACHE/src"
EMVER=$( [ $NATIVE_ONLY = 1 ] && echo none || emcc -dumpversion 2>/dev/null || echo unknown)
JOBS=$(nproc)

srcver() { apt-cache showsrc "$1" 2>/dev/null | awk '/^Version:/{print $2; exit}'; }

fetch() {  # fetch <source-package> -> prints the unpacked directory
  local pkg=$1 dir
  dir=$(find "$CACHE/src/$pkg" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | head -1 || true)
  if [ -z "$dir" ]; then
    mkdir -p "$CACHE/src/$pkg"
    (cd "$CACHE/src/$pkg" && apt-get source -qq "$pkg" >/dev/null 2>&1) \
      || { echo "build-wasm-deps: apt-get source $pkg failed (is there a deb-src entry? run scripts/bootstrap.sh)" >&2; exit 1; }
    dir=$(find "$CACHE/src/$pkg" -mindepth 1 -maxdepth 1 -type d | head -1)
  fi
  echo "$dir"
}

stamp_ok() { [ -f "$CACHE/$1.stamp" ] && [ "$(cat "$CACHE/$1.stamp")" = "$2" ]; }

# --- header-only libraries: link only the folders we use
for h in nlohmann date doctest; do ln -sfn "/usr/include/$h" "$PREFIX/include/$h"; done

# --- cctz (abseil's time-zone library): only the files core/CMakeLists.txt compiles, patched to keep
# iostreams out (cmake/patches/cctz-no-iostreams.patch says why). The patch's hash is in the stamp.
want="cctz $(srcver abseil) $(sha256sum "$ROOT/cmake/patches/cctz-no-iostreams.patch" | cut -c1-16)"
if ! stamp_ok cctz "$want" || [ ! -f "$PREFIX/src/abseil/absl/time/internal/cctz/src/time_zone_info.cc" ]; then
  d=$(fetch abseil)
  rm -rf "$PREFIX/src/abseil" && mkdir -p "$PREFIX/src/abseil/absl/time/internal"
  cp -r "$d/absl/base" "$PREFIX/src/abseil/absl/base"
  cp -r "$d/absl/time/internal/cctz" "$PREFIX/src/abseil/absl/time/internal/cctz"
  (cd "$PREFIX/src/abseil" && patch -s -p1 < "$ROOT/cmake/patches/cctz-no-iostreams.patch") \
    || { echo "build-wasm-deps: cmake/patches/cctz-no-iostreams.patch does not apply to abseil $(srcver abseil)" >&2; exit 1; }
  echo "$want" > "$CACHE/cctz.stamp"
fi
if [ $NATIVE_ONLY = 1 ]; then echo "build-wasm-deps: native sources ok ($PREFIX)"; exit 0; fi

# --- libsodium
want="libsodium $(srcver libsodium) emcc $EMVER"
if ! stamp_ok libsodium "$want" || [ ! -f "$PREFIX/lib/libsodium.a" ]; then
  echo "build-wasm-deps: building libsodium for WASM (about 2-3 minutes; cached afterwards)"
  d=$(fetch libsodium)
  (cd "$d" && { [ -x configure ] || ./autogen.sh -s >/dev/null 2>&1; } \
    && emconfigure ./configure --prefix="$PREFIX" --host=wasm32-unknown-emscripten --disable-shared \
         --disable-ssp --disable-asm --without-pthreads --disable-pie --enable-minimal=no >/dev/null \
    && emmake make -j"$JOBS" >/dev/null 2>&1 && emmake make install >/dev/null)
  echo "$want" > "$CACHE/libsodium.stamp"
fi

# --- libsecp256k1: only its source. CMake compiles it into the module (cmake/secp256k1-wasm.cmake
# says why: the 10x26 field is much faster in WASM than what its autotools build picks).
want="secp256k1-src $(srcver libsecp256k1)"
if ! stamp_ok secp256k1 "$want" || [ -z "$(find "$CACHE/src/libsecp256k1" -name secp256k1.c 2>/dev/null | head -1 || true)" ]; then
  fetch libsecp256k1 >/dev/null
  echo "$want" > "$CACHE/secp256k1.stamp"
fi

echo "build-wasm-deps: ok ($PREFIX)"
