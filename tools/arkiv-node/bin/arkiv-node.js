#!/usr/bin/env node
/**
 * CLI of the development Arkiv node.
 *
 *   node tools/arkiv-node/bin/arkiv-node.js [--port 8545] [--host 127.0.0.1]
 *        [--state .arkiv-node/state.json] [--block-time-ms 2000] [--history-blocks 3600]
 *
 * Serves JSON-RPC over HTTP and WebSocket on the same port. `--port 0` picks a free port. Prints
 * `arkiv-node listening on http://127.0.0.1:PORT (chain 1337)` once ready.
 */
import { parseArgs } from "node:util"
import { startArkivNode } from "../src/index.js"

const usage = `usage: arkiv-node [--port N] [--host H] [--state FILE] [--block-time-ms MS] [--history-blocks N]
  --port            TCP port (default 8545; 0 = pick a free port)
  --host            interface (default 127.0.0.1)
  --state           snapshot file (default .arkiv-node/state.json under the cwd);
                    the transaction log is the same path + ".log"
  --block-time-ms   block duration in ms (default 2000)
  --history-blocks  blocks of history kept for atBlock queries (default 3600)`

let args
try {
  ;({ values: args } = parseArgs({
    options: {
      port: { type: "string", default: "8545" },
      host: { type: "string", default: "127.0.0.1" },
      state: { type: "string" },
      "block-time-ms": { type: "string", default: "2000" },
      "history-blocks": { type: "string", default: "3600" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  }))
} catch (err) {
  console.error(`${err.message}\n${usage}`)
  process.exit(2)
}
if (args.help) {
  console.log(usage)
  process.exit(0)
}
const int = (v, name) => {
  if (!/^[0-9]+$/.test(v)) {
    console.error(`--${name} must be a non-negative integer\n${usage}`)
    process.exit(2)
  }
  return Number(v)
}

// Last resort: bad input is answered with JSON-RPC errors, but never let an
// unexpected exception take the node down.
process.on("uncaughtException", (err) => console.error(`arkiv-node: uncaught exception: ${err?.stack ?? err}`))
process.on("unhandledRejection", (err) => console.error(`arkiv-node: unhandled rejection: ${err?.stack ?? err}`))

try {
  const node = await startArkivNode({
    port: int(args.port, "port"),
    host: args.host,
    statePath: args.state,
    blockTimeMs: int(args["block-time-ms"], "block-time-ms"),
    historyBlocks: int(args["history-blocks"], "history-blocks"),
  })
  console.log(`arkiv-node listening on ${node.url} (chain ${node.chainId})`)
  console.log(`arkiv-node state: ${node.statePath}`)
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    await node.close()
    process.exit(0)
  }
  process.on("SIGINT", stop)
  process.on("SIGTERM", stop)
} catch (err) {
  console.error(`arkiv-node: ${err.message}`)
  process.exit(1)
}
