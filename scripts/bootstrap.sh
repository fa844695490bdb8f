#!/usr/bin/env bash
# Installs everything a fresh Debian bookworm machine needs to build, run and
# test Convene. Safe to run any number of times: each step checks first.
#   - apt: PostgreSQL 15 (the collector's server backend, tools/collector), Emscripten 3.1.6 (emsdk.lock), header-only libs, libsodium/libsecp256k1
#     (native), Chromium (browser tests), dpkg-dev (for `apt-get source`),
#     a deb-src entry so the C libraries can be fetched and compiled to WASM
#   - npm: the workspace's dependencies, exactly as package-lock.json pins them
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  emscripten nlohmann-json3-dev libhowardhinnant-date-dev doctest-dev
  libsodium-dev libsecp256k1-dev tzdata chromium dpkg-dev patch
  cmake g++ make autoconf automake libtool pkg-config python3 ca-certificates
  clang libclang-rt-14-dev   # libFuzzer targets (scripts/fuzz.sh)
  python3-dateutil           # the differential recurrence test (tests/differential)
  postgresql-15              # the collector's server backend: tests start a throwaway cluster (tests/node/collector-postgres.js)
)
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

SRC_LIST=/etc/apt/sources.list.d/convene-deb-src.sources
need_update=0
if [ ! -f "$SRC_LIST" ]; then
  # Same mirrors as the binary entries, for `apt-get source libsodium libsecp256k1 abseil`.
  uris=$(grep -h '^URIs:' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1 | awk '{print $2}')
  [ -n "$uris" ] || uris=http://deb.debian.org/debian
  printf 'Types: deb-src\nURIs: %s\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uris" | $SUDO tee "$SRC_LIST" >/dev/null
  need_update=1
fi
if [ ${#missing[@]} -gt 0 ] || [ $need_update = 1 ]; then
  echo "bootstrap: apt-get install ${missing[*]:-(sources only)}"
  $SUDO apt-get update -qq
  [ ${#missing[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm dependencies, at the versions package-lock.json pins. Skip when the lockfile is unchanged since
# the last install. `npm install` rather than `npm ci`: the registry reachable here lacks rrule-rust's
# optional packages for other platforms, which `npm ci` insists on seeing in the lockfile.
stamp=node_modules/.convene-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "bootstrap: npm install (from package-lock.json)"
  npm install --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
echo "bootstrap: ok"
