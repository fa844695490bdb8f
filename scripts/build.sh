#!/usr/bin/env bash
# Builds the core natively and to WASM.
#   scripts/build.sh            native (build/native) + WASM deps (cached) + WASM (build/wasm -> npm/dist)
#   scripts/build.sh native     native only;   scripts/build.sh wasm    WASM only
#   scripts/build.sh sanitize   clang with ASan+UBSan (build/native-asan): unit tests and libFuzzer targets
#   scripts/build.sh fuzz       only the libFuzzer targets of tests/fuzz, in that same tree
# Concurrent invocations in one checkout wait for each other (flock on build/.lock).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
export NODE_PATH=/usr/share/nodejs   # Debian's emscripten needs node-acorn (docs/toolchain.md#emscripten)
mkdir -p build
exec 9>build/.lock
flock 9
JOBS=$(nproc)
what=${1:-all}

native() {  # native <dir> [cmake args...]
  local dir=$1; shift
  # cctz's sources (abseil's, not in Debian's -dev packages as source) come from `apt-get source`, cached with the
  # WASM deps; both builds compile them from the deps prefix (scripts/build-wasm-deps.sh).
  "$ROOT/scripts/build-wasm-deps.sh" --native-only "${CONVENE_WASM_DEPS:-$ROOT/build/wasm-deps}"
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE="${CONVENE_BUILD_TYPE:-Release}" \
    -DCONVENE_DEPS_PREFIX="${CONVENE_WASM_DEPS:-$ROOT/build/wasm-deps}/prefix" "$@" >/dev/null
  cmake --build "$dir" -j"$JOBS" ${CONVENE_BUILD_TARGETS:+--target $CONVENE_BUILD_TARGETS}
}
wasm() {
  "$ROOT/scripts/build-wasm-deps.sh" "${CONVENE_WASM_DEPS:-$ROOT/build/wasm-deps}"
  emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release \
    -DCONVENE_DEPS_PREFIX="${CONVENE_WASM_DEPS:-$ROOT/build/wasm-deps}/prefix" >/dev/null
  cmake --build build/wasm -j"$JOBS"
}
case "$what" in
  native) native build/native ;;
  # One clang tree for the sanitizers: the unit tests and the libFuzzer targets link the same
  # ASan+UBSan core (compiling the core twice more cost CI six minutes). -O1: ASan's advice, and the
  # tests run three times faster than at -O0; -gline-tables-only keeps file:line in reports.
  sanitize|fuzz)
    [ "$what" = fuzz ] && export CONVENE_BUILD_TARGETS="$(cd tests/fuzz && ls *_fuzz.cpp | sed 's/\.cpp$//' | tr '\n' ' ')"
    CC=clang CXX=clang++ CONVENE_BUILD_TYPE=Debug native build/native-asan -DCONVENE_SANITIZE=ON -DCONVENE_FUZZ=ON \
      -DCMAKE_C_FLAGS_DEBUG="-O1 -gline-tables-only" -DCMAKE_CXX_FLAGS_DEBUG="-O1 -gline-tables-only" ;;
  wasm) wasm ;;
  all) native build/native; wasm ;;
  *) echo "usage: scripts/build.sh [all|native|wasm|sanitize|fuzz]" >&2; exit 2 ;;
esac
