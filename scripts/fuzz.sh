#!/usr/bin/env bash
# Runs every libFuzzer target of tests/fuzz for a bounded time (a smoke run in CI; longer by hand).
#   scripts/fuzz.sh [seconds-per-target=20]
# Builds with clang + ASan + UBSan (scripts/build.sh fuzz: the tree of scripts/build.sh sanitize).
# Exits non-zero if any target finds a crash; crash inputs are left in build/native-asan/fuzz/artifacts/.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
secs=${1:-20}
scripts/build.sh fuzz >/dev/null
mkdir -p build/native-asan/fuzz/artifacts
status=0
for bin in build/native-asan/tests/fuzz/*_fuzz; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  corpus="build/native-asan/fuzz/corpus/$name"; mkdir -p "$corpus"
  dict=""; [ -f "tests/fuzz/${name%_fuzz}.dict" ] && dict="-dict=tests/fuzz/${name%_fuzz}.dict"
  seeds=""; [ -d "tests/fuzz/corpus/${name%_fuzz}" ] && seeds="tests/fuzz/corpus/${name%_fuzz}"  # read, never written
  echo "fuzz: $name for ${secs}s"
  if "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 $dict \
       -artifact_prefix="build/native-asan/fuzz/artifacts/${name}-" "$corpus" $seeds 2>"build/native-asan/fuzz/$name.log"; then
    grep -E "stat::number_of_executed_units" "build/native-asan/fuzz/$name.log" | sed "s/^/fuzz: $name /" || true
  else
    status=1; echo "fuzz: $name FAILED (see build/native-asan/fuzz/$name.log)"; tail -30 "build/native-asan/fuzz/$name.log"
  fi
done
exit $status
