/**
 * eth_subscribe / eth_unsubscribe for WebSocket connections.
 *
 * - `["logs", {address?, topics?}]`: every matching log, pushed the moment
 *   its transaction is committed (in commit order), and the synthesised
 *   ArkivEntityExpired logs of each block when that block starts. This is
 *   what viem's `watchEvent` / `watchContractEvent` (and so the SDK's
 *   `subscribeEntityEvents`) send over a WebSocket transport.
 * - `["newHeads"]`: the header of each new block when it starts (at most the
 *   last 64 when the clock jumped).
 *
 * Notifications: `{"jsonrpc":"2.0","method":"eth_subscription",
 * "params":{"subscription": id, "result": …}}`. Subscriptions belong to
 * their connection and end with it.
 */
import { randomBytes } from "node:crypto"
import { INVALID_PARAMS, RpcError } from "./errors.js"
import { logMatches } from "./events.js"

/** Most new heads announced at once after a jump of the block clock. */
const MAX_HEADS_AT_ONCE = 64

/**
 * @param {object} ctx
 * @param {import("./store.js").Store} ctx.store
 * @param {ReturnType<typeof import("./chain.js").chainView>} ctx.view
 * @param {ReturnType<typeof import("./logQuery.js").logQueries>} ctx.logs
 * @param {(err: unknown) => void} ctx.onInternalError
 */
export function createSubscriptions({ store, view, logs, onInternalError }) {
  /** @type {Map<string, {kind: "logs"|"newHeads", criteria?: object, notify: (result: unknown) => void, owner: object}>} */
  const subs = new Map()
  let lastBlock = store.currentBlock()
  let timer = null
  const tickMs = Math.max(10, Math.min(250, Math.floor(store.clock.blockTimeMs / 4)))

  const deliver = (sub, result) => {
    try {
      sub.notify(result)
    } catch (err) {
      onInternalError(err)
    }
  }

  /** Announces blocks that started since the last tick. */
  const tick = () => {
    const current = store.currentBlock()
    if (current <= lastBlock) return
    const from = Math.max(lastBlock + 1, current - MAX_HEADS_AT_ONCE + 1)
    const expiredFrom = lastBlock + 1
    lastBlock = current
    for (const sub of subs.values()) {
      if (sub.kind === "newHeads") {
        for (let n = from; n <= current; n++) {
          const { transactions: _t, uncles: _u, ...header } = view.formatBlock(n, false)
          deliver(sub, header)
        }
      } else {
        for (const x of logs.collect(expiredFrom, current, sub.criteria)) if (x.id.startsWith("expired:")) deliver(sub, x.log)
      }
    }
  }

  const onCommit = (tx) => {
    tick()
    for (const sub of subs.values()) {
      if (sub.kind !== "logs") continue
      for (const l of tx.logs) if (logMatches(l, sub.criteria)) deliver(sub, view.formatLog(tx, l))
    }
  }
  store.commitListeners.add(onCommit)

  const updateTimer = () => {
    if (subs.size && !timer) {
      lastBlock = Math.max(lastBlock, store.currentBlock())
      timer = setInterval(() => {
        try {
          tick()
        } catch (err) {
          onInternalError(err)
        }
      }, tickMs)
      timer.unref()
    } else if (!subs.size && timer) {
      clearInterval(timer)
      timer = null
    }
  }

  return {
    /**
     * eth_subscribe.
     * @param {unknown[]} params
     * @param {(id: string, result: unknown) => void} notify sends a notification.
     * @param {object} owner the connection.
     * @returns {string} subscription id.
     */
    subscribe(params, notify, owner) {
      const [kind, filter] = params
      let criteria
      if (kind === "logs") {
        const f = filter ?? {}
        if (typeof f !== "object" || Array.isArray(f)) throw new RpcError(INVALID_PARAMS, "logs filter must be an object")
        if (f.topics !== undefined && f.topics !== null && !Array.isArray(f.topics)) throw new RpcError(INVALID_PARAMS, "filter.topics must be an array")
        criteria = { address: f.address ?? null, topics: f.topics ?? [] }
      } else if (kind !== "newHeads") {
        throw new RpcError(INVALID_PARAMS, `unsupported subscription type ${JSON.stringify(kind)} (this node has "logs" and "newHeads")`)
      }
      if (subs.size === 0) lastBlock = store.currentBlock()
      const id = `0x${randomBytes(16).toString("hex")}`
      subs.set(id, { kind, criteria, notify: (result) => notify(id, result), owner })
      updateTimer()
      return id
    },
    /** eth_unsubscribe: only the connection that subscribed may end it. */
    unsubscribe(id, owner) {
      const sub = typeof id === "string" ? subs.get(id.toLowerCase()) : undefined
      if (!sub || sub.owner !== owner) return false
      subs.delete(id.toLowerCase())
      updateTimer()
      return true
    },
    /** Ends every subscription of a connection. */
    dropOwner(owner) {
      for (const [id, sub] of subs) if (sub.owner === owner) subs.delete(id)
      updateTimer()
    },
    /** @returns {number} live subscriptions. */
    count() {
      return subs.size
    },
    /** Stops everything (node shutdown). */
    close() {
      subs.clear()
      updateTimer()
      store.commitListeners.delete(onCommit)
    },
  }
}
