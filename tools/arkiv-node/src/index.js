/**
 * Local development Arkiv node for @arkiv-network/sdk 0.6.8.
 *
 * @example
 * import { startArkivNode } from "./tools/arkiv-node/src/index.js"
 * const node = await startArkivNode({ port: 0, statePath: "/tmp/arkiv.json", blockTimeMs: 50 })
 * // ... point the SDK at node.url (chain id 1337) ...
 * await node.close()
 */
import path from "node:path"
import { CHAIN_ID } from "./chain.js"
import { chainView } from "./chain.js"
import { logQueries } from "./logQuery.js"
import { createMethods } from "./methods.js"
import { attachWebSocket, createRpcServer } from "./rpc.js"
import { Store } from "./store.js"
import { createSubscriptions } from "./subscriptions.js"

export { CHAIN_ID } from "./chain.js"
export { ARKIV_ADDRESS, MAX_TX_BYTES } from "./txdecode.js"

/** Default state file, relative to the current working directory. */
export const DEFAULT_STATE_PATH = ".arkiv-node/state.json"

/**
 * @typedef {object} ArkivNodeOptions
 * @property {number} [port=8545] TCP port; 0 picks a free one.
 * @property {string} [host="127.0.0.1"] interface to listen on.
 * @property {string|null} [statePath] snapshot file (the transaction log is `statePath + ".log"`); relative paths resolve
 *   against the cwd; default `.arkiv-node/state.json`; `null` keeps state in memory only.
 * @property {number} [blockTimeMs=2000] block duration in ms.
 * @property {() => number} [now=Date.now] clock (unix ms), injectable for tests.
 * @property {number} [historyBlocks=3600] blocks of history kept for `atBlock` queries
 *   (and so for paging with the SDK, which pins later pages to the first page's block).
 * @property {(line: string) => void} [log] receives internal-error reports (default: console.error).
 * @property {number} [snapshotMinBytes=4 MiB] the log is folded into a new snapshot once it
 *   is this large and at least as large as the last snapshot.
 */

/**
 * @typedef {object} ArkivNode
 * @property {string} url  `http://HOST:PORT` (the JSON-RPC endpoint, POST).
 * @property {string} wsUrl `ws://HOST:PORT` (JSON-RPC over WebSocket, with eth_subscribe).
 * @property {() => {clients: number, subscriptions: number}} wsStats open WebSocket
 *   connections and live subscriptions.
 * @property {number} port the bound port.
 * @property {string} host
 * @property {number} chainId 1337.
 * @property {string|null} statePath absolute path of the state file, or null.
 * @property {import("./store.js").Store} store the live state (for tests and tools).
 * @property {() => Promise<void>} close stops listening, drops open connections (HTTP and
 *   WebSocket), writes a final snapshot and removes the log.
 */

/**
 * Starts a development Arkiv node.
 * @param {ArkivNodeOptions} [options]
 * @returns {Promise<ArkivNode>}
 */
export async function startArkivNode(options = {}) {
  const {
    port = 8545,
    host = "127.0.0.1",
    blockTimeMs = 2000,
    now = Date.now,
    historyBlocks = 3600,
    log = (line) => console.error(line),
  } = options
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port ${port}`)
  if (!Number.isFinite(blockTimeMs) || blockTimeMs <= 0) throw new Error(`invalid blockTimeMs ${blockTimeMs}`)
  if (!Number.isInteger(historyBlocks) || historyBlocks < 0) throw new Error(`invalid historyBlocks ${historyBlocks}`)
  const statePath =
    options.statePath === null ? null : path.resolve(process.cwd(), options.statePath ?? DEFAULT_STATE_PATH)

  const store = new Store({ statePath, now, blockTimeMs, chainId: CHAIN_ID, historyBlocks, snapshotMinBytes: options.snapshotMinBytes })

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
  const view = chainView(store)
  const logs = logQueries(store, view)
  const methods = createMethods({ store, sleep, view, logs })
  const onInternalError = (err) => log(`arkiv-node: internal error: ${err instanceof Error ? err.stack : String(err)}`)
  const server = createRpcServer({
    methods,
    onInternalError,
    status: () => ({
      name: "convene-arkiv-node",
      chainId: CHAIN_ID,
      blockNumber: store.currentBlock(),
      rpc: "POST JSON-RPC 2.0 here, or open a WebSocket (eth_subscribe) on this URL",
    }),
  })
  const subscriptions = createSubscriptions({ store, view, logs, onInternalError })
  const wss = attachWebSocket(server, { methods, subscriptions, onInternalError })

  await new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(port, host, () => {
      server.off("error", reject)
      resolve()
    })
  })
  server.on("error", (err) => onInternalError(err))
  const bound = server.address().port
  const urlHost = host.includes(":") ? `[${host}]` : host

  let closed = false
  return {
    url: `http://${urlHost}:${bound}`,
    wsUrl: `ws://${urlHost}:${bound}`,
    wsStats: () => ({ clients: wss.clients.size, subscriptions: subscriptions.count() }),
    port: bound,
    host,
    chainId: CHAIN_ID,
    statePath,
    store,
    close: async () => {
      if (closed) return
      closed = true
      subscriptions.close()
      for (const ws of wss.clients) ws.terminate()
      await new Promise((resolve) => wss.close(() => resolve()))
      await new Promise((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      store.close()
    },
  }
}
