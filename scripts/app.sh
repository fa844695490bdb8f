#!/usr/bin/env bash
# Runs the main job: the reference app (web/) against a local Arkiv node, from a clean clone
# on a fresh Debian machine.
#   1. scripts/bootstrap.sh      apt + npm dependencies (idempotent)
#   2. scripts/build.sh wasm     the core -> npm/dist (incremental)
#   3. the local Arkiv node      tools/arkiv-node, state kept in .arkiv-node/
#   4. the meeting-events collector  tools/collector on the embedded PostgreSQL (PGlite), data in .collector/
#   5. the local ATProto PDS     tools/pds (the reference PDS from npm), demo accounts created on start
#   6. the app                   vite build + vite preview (or vite dev), with the node's and the collector's URLs baked in
# Prints the URL to open; Ctrl-C stops all four cleanly (the node saves its state; the PDS is new each start).
#
# Environment (all optional):
#   ARKIV_HOST=127.0.0.1  ARKIV_PORT=8545 (0 = a free port)  ARKIV_STATE=.arkiv-node/state.json
#   COLLECTOR_PORT=8546 (0 = a free port)  COLLECTOR_DATA_DIR=.collector/pglite  DATABASE_URL (a PostgreSQL server instead)
#   PDS_PORT=2583 (0 = a free port)  PDS_ACCOUNTS=alice,bob  PDS_PASSWORD=convene-dev
#   APP_HOST=127.0.0.1    APP_PORT=5173                       APP_MODE=preview|dev
#   SKIP_SETUP=1          skip steps 1 and 2 (dependencies and the WASM build are already there)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

case "${1:-}" in
  -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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

node_pid=""; app_pid=""; collector_pid=""; pds_pid=""
cleanup() {
  trap - INT TERM EXIT
  echo
  echo "app: stopping"
  [ -z "$app_pid" ] || kill -TERM "$app_pid" 2>/dev/null || true
  [ -z "$collector_pid" ] || kill -TERM "$collector_pid" 2>/dev/null || true
  [ -z "$pds_pid" ] || kill -TERM "$pds_pid" 2>/dev/null || true
  [ -z "$node_pid" ] || kill -TERM "$node_pid" 2>/dev/null || true
  [ -z "$app_pid" ] || wait "$app_pid" 2>/dev/null || true
  [ -z "$collector_pid" ] || wait "$collector_pid" 2>/dev/null || true
  [ -z "$pds_pid" ] || wait "$pds_pid" 2>/dev/null || true
  [ -z "$node_pid" ] || wait "$node_pid" 2>/dev/null || true
  echo "app: stopped (node state in $ARKIV_STATE)"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# listening_url <what> <log prefix> <pid> <log> <tries of 0.1 s>: the URL a service prints as
# "<prefix> listening on <url>", once it has; exits the script with the log if the service stops or never says.
listening_url() {
  local what=$1 prefix=$2 pid=$3 log=$4 tries=$5 url=""
  for _ in $(seq 1 "$tries"); do
    url=$(sed -n "s/^$prefix listening on \\(http[^ ]*\\).*/\\1/p" "$log" | head -1)
    [ -n "$url" ] && { echo "$url"; return 0; }
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "app: $what did not start" >&2; exit 1; }
    sleep 0.1
  done
  cat "$log" >&2; echo "app: $what did not report its URL" >&2; exit 1
}

# The local Arkiv node; its URL is read from its "listening on" line (works with ARKIV_PORT=0 too).
mkdir -p "$(dirname "$ARKIV_STATE")"
NODE_LOG="$(dirname "$ARKIV_STATE")/arkiv-node.log"
: > "$NODE_LOG"
node tools/arkiv-node/bin/arkiv-node.js --host "$ARKIV_HOST" --port "$ARKIV_PORT" --state "$ARKIV_STATE" >>"$NODE_LOG" 2>&1 &
node_pid=$!
ARKIV_URL=$(listening_url "the Arkiv node" "arkiv-node" "$node_pid" "$NODE_LOG" 100)
echo "app: Arkiv node on $ARKIV_URL (chain 1337, state $ARKIV_STATE, log $NODE_LOG)"

# The meeting-events collector (tools/collector), on PGlite in .collector/ unless DATABASE_URL is set;
# its URL is read from its "listening on" line, as the node's.
COLLECTOR_PORT=${COLLECTOR_PORT:-8546}
COLLECTOR_DATA_DIR=${COLLECTOR_DATA_DIR:-.collector/pglite}
mkdir -p .collector
COLLECTOR_LOG=.collector/collector.log
: > "$COLLECTOR_LOG"
node tools/collector/bin/collector.js --host "$ARKIV_HOST" --port "$COLLECTOR_PORT" --data-dir "$COLLECTOR_DATA_DIR" >>"$COLLECTOR_LOG" 2>&1 &
collector_pid=$!
# PGlite's first start (initdb in WASM) takes a while: up to 90 s.
COLLECTOR_URL=$(listening_url "the collector" "collector" "$collector_pid" "$COLLECTOR_LOG" 900)
echo "app: meeting-events collector on $COLLECTOR_URL (log $COLLECTOR_LOG)"

# The local ATProto PDS (tools/pds): PLC in memory, so every start is a new network with the demo
# accounts created again; their handles and passwords are printed below.
mkdir -p .pds
PDS_LOG=.pds/pds.log
: > "$PDS_LOG"
node tools/pds/bin/pds.js --port "${PDS_PORT:-2583}" --accounts "${PDS_ACCOUNTS:-alice,bob}" --password "${PDS_PASSWORD:-convene-dev}" >>"$PDS_LOG" 2>&1 &
pds_pid=$!
PDS_URL=$(listening_url "the PDS" "pds" "$pds_pid" "$PDS_LOG" 600)
echo "app: ATProto PDS on $PDS_URL (log $PDS_LOG)"

# The app, with the node's, the collector's and the PDS's URLs as its build-time VITE_ARKIV_RPC_URL / VITE_COLLECTOR_URL / VITE_PDS_URL.
export VITE_ARKIV_RPC_URL="$ARKIV_URL"
export VITE_COLLECTOR_URL="$COLLECTOR_URL"
export VITE_PDS_URL="$PDS_URL"
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
echo "  Meeting-events collector: $COLLECTOR_URL  (GET /api/meetings, POST /api/meetings/events)"
echo "  ATProto PDS: $PDS_URL  accounts (handle, password):"
sed -n 's/^pds account \([^ ]*\) [^ ]* \(.*\)$/    \1  \2/p' "$PDS_LOG"
echo

# Runs until Ctrl-C, or until either process exits.
set +e
wait -n "$node_pid" "$app_pid" "$collector_pid" "$pds_pid"
status=$?
if [ "$status" -lt 128 ]; then  # not Ctrl-C: one of them stopped on its own
  kill -0 "$node_pid" 2>/dev/null || echo "app: the Arkiv node exited (see $NODE_LOG)" >&2
  kill -0 "$app_pid" 2>/dev/null || echo "app: the web server exited" >&2
  kill -0 "$collector_pid" 2>/dev/null || echo "app: the collector exited (see $COLLECTOR_LOG)" >&2
  kill -0 "$pds_pid" 2>/dev/null || echo "app: the PDS exited (see $PDS_LOG)" >&2
fi
exit "$status"
