#!/usr/bin/env bash
# Runs every test of the project, from a fresh Debian machine or a clean clone:
#   bootstrap (apt + npm) -> native build + doctest (ctest) -> ASan+UBSan build + doctest
#   -> WASM build + the same doctest suite under Node -> TypeScript declarations (tsc)
#   -> node:test suites (package, local Arkiv node, ...) -> browser end-to-end (Chromium)
# Every stage runs even if an earlier one failed; the exit code is non-zero if any failed.
# The last line is the summary: "suites: N passed, N failed".
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
export NODE_PATH=/usr/share/nodejs

passed=0; failed=0; failures=()
stage() {  # stage <name> <command...>
  local name=$1; shift
  echo
  echo "=== $name"
  local t0=$SECONDS
  if "$@"; then
    passed=$((passed + 1)); echo "=== $name: ok ($((SECONDS - t0)) s)"
  else
    failed=$((failed + 1)); failures+=("$name"); echo "=== $name: FAILED ($((SECONDS - t0)) s)"
  fi
}

scripts/bootstrap.sh || { echo "bootstrap failed"; echo "suites: 0 passed, 1 failed"; exit 1; }

stage "build (native + WASM)" scripts/build.sh all
stage "doctest native" ctest --test-dir build/native --output-on-failure
stage "build + doctest under ASan+UBSan" bash -c 'scripts/build.sh sanitize && ctest --test-dir build/native-asan --output-on-failure'
stage "doctest in WASM (Node)" ctest --test-dir build/wasm --output-on-failure
stage "TypeScript declarations" node_modules/.bin/tsc -p tests/types
stage "node:test (package, Arkiv node)" node --test --test-concurrency=1 tests/node/
if [ -d tests/e2e ] && ls tests/e2e/*.test.js >/dev/null 2>&1; then
  stage "browser end-to-end (Chromium)" node --test --test-concurrency=1 tests/e2e/
fi

echo
[ $failed -eq 0 ] || echo "failed stages: ${failures[*]}"
echo "suites: $passed passed, $failed failed"
[ $failed -eq 0 ]
