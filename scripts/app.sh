#!/usr/bin/env bash
# Runs the main job: the reference app (web/) against a local Arkiv node, from a clean clone
# on a fresh Debian machine.
#   1. scripts/bootstrap.sh      apt + npm dependencies (idempotent)
#   2. scripts/build.sh wasm     the core -> npm/dist (incremental)
#   3. the local Arkiv node      tools/arkiv-node, state kept in .arkiv-node/
#   4. the app                   vite build + vite preview (or vite dev), with the node's URL baked in
# Prints the URL to open; Ctrl-C stops both cleanly (the node saves its state).
#
# Environment (all optional):
#   ARKIV_HOST=127.0.0.1  ARKIV_PORT=8545 (0 = a free port)  ARKIV_STATE=.arkiv-node/state.json
#   APP_HOST=127.0.0.1    APP_PORT=5173                       APP_MODE=preview|dev
#   SKIP_SETUP=1          skip steps 1 and 2 (dependencies and the WASM build are already there)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

case "${1:-}" in
  -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) echo "usage: scripts/app.sh   (configure with environment variables; see --help)" >&2; exit 2 ;;
esac

ARKIV_HOST=${ARKIV_HOST:-127.0.0.1}
ARKIV_PORT=${ARKIV_PORT:-8545}
ARKIV_STATE=${ARKIV_STATE:-.arkiv-node/state.json}
APP_HOST=${APP_HOST:-127.0.0.1}
APP_PORT=${APP_PORT:-5173}
APP_MODE=${APP_MODE:-preview}
VITE_BIN="$ROOT/node_modules/vite/bin/vite.js"

if [ "${SKIP_SETUP:-0}" != 1 ]; then
  scripts/bootstrap.sh
  scripts/build.sh wasm
fi
[ -f npm/dist/convene.wasm ] || { echo "app: npm/dist/convene.wasm is missing (run scripts/build.sh wasm)" >&2; exit 1; }

node_pid=""; app_pid=""
cleanup() {
  trap - INT TERM EXIT
  echo
  echo "app: stopping"
  [ -z "$app_pid" ] || kill -TERM "$app_pid" 2>/dev/null || true
  [ -z "$node_pid" ] || kill -TERM "$node_pid" 2>/dev/null || true
  [ -z "$app_pid" ] || wait "$app_pid" 2>/dev/null || true
  [ -z "$node_pid" ] || wait "$node_pid" 2>/dev/null || true
  echo "app: stopped (node state in $ARKIV_STATE)"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The local Arkiv node; its URL is read from its "listening on" line (works with ARKIV_PORT=0 too).
mkdir -p "$(dirname "$ARKIV_STATE")"
NODE_LOG="$(dirname "$ARKIV_STATE")/arkiv-node.log"
: > "$NODE_LOG"
node tools/arkiv-node/bin/arkiv-node.js --host "$ARKIV_HOST" --port "$ARKIV_PORT" --state "$ARKIV_STATE" >>"$NODE_LOG" 2>&1 &
node_pid=$!
ARKIV_URL=""
for _ in $(seq 1 100); do
  ARKIV_URL=$(sed -n 's/^arkiv-node listening on \(http[^ ]*\).*/\1/p' "$NODE_LOG" | head -1)
  [ -n "$ARKIV_URL" ] && break
  kill -0 "$node_pid" 2>/dev/null || { cat "$NODE_LOG" >&2; echo "app: the Arkiv node did not start" >&2; exit 1; }
  sleep 0.1
done
[ -n "$ARKIV_URL" ] || { cat "$NODE_LOG" >&2; echo "app: the Arkiv node did not report its URL" >&2; exit 1; }
echo "app: Arkiv node on $ARKIV_URL (chain 1337, state $ARKIV_STATE, log $NODE_LOG)"

# The app, with the node's URL as its build-time VITE_ARKIV_RPC_URL.
export VITE_ARKIV_RPC_URL="$ARKIV_URL"
if [ "$APP_MODE" = dev ]; then
  node "$VITE_BIN" web --host "$APP_HOST" --port "$APP_PORT" --strictPort --clearScreen false &
else
  node "$VITE_BIN" build web --logLevel error
  node "$VITE_BIN" preview web --host "$APP_HOST" --port "$APP_PORT" --strictPort &
fi
app_pid=$!

APP_URL="http://$APP_HOST:$APP_PORT/"
for _ in $(seq 1 100); do
  node -e "fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" "$APP_URL" 2>/dev/null && break
  kill -0 "$app_pid" 2>/dev/null || { echo "app: the web server did not start" >&2; exit 1; }
  sleep 0.2
done
echo
echo "  Convene reference app:  $APP_URL"
echo "  (Arkiv node $ARKIV_URL; create a wallet in the page: its sealed keystore stays in the browser; Ctrl-C stops)"
echo

# Runs until Ctrl-C, or until either process exits.
set +e
wait -n "$node_pid" "$app_pid"
status=$?
if [ "$status" -lt 128 ]; then  # not Ctrl-C: one of them stopped on its own
  kill -0 "$node_pid" 2>/dev/null || echo "app: the Arkiv node exited (see $NODE_LOG)" >&2
  kill -0 "$app_pid" 2>/dev/null || echo "app: the web server exited" >&2
fi
exit "$status"
