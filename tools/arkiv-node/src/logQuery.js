/**
 * eth_getLogs and polling filters (eth_newFilter, eth_newBlockFilter,
 * eth_getFilterChanges, eth_getFilterLogs, eth_uninstallFilter), which viem's
 * watchEvent and so the SDK's subscribeEntityEvents use.
 *
 * Besides the logs of stored transactions, an ArkivEntityExpired log is
 * synthesised for each entity that expired (rather than being deleted) in
 * the range, at its expiry block, after the block's transaction logs. On a real
 * node that log comes from a housekeeping deposit transaction; here its
 * transactionHash is synthetic (keccak256("arkiv-node:housekeeping:<block>"))
 * and has no receipt.
 */
import { keccak256, toHex } from "viem"
import { INVALID_PARAMS, RpcError } from "./errors.js"
import { addressTopic, logMatches, TOPICS } from "./events.js"
import { ARKIV_ADDRESS } from "./txdecode.js"
import { q } from "./chain.js"

const FILTER_TTL_MS = 5 * 60 * 1000

/**
 * Builds the log query and filter handlers over a store. Filters live in
 * memory (lost on restart) and are dropped after 5 minutes without a poll.
 * @param {import("./store.js").Store} store
 * @param {ReturnType<typeof import("./chain.js").chainView>} view
 * @returns {{getLogs: Function, newFilter: Function, newBlockFilter: Function,
 *   getFilterChanges: Function, getFilterLogs: Function, uninstallFilter: Function,
 *   resolveBlock: (tag: unknown, dflt: number) => number, collect: Function}} handlers taking the JSON-RPC
 *   params array; `resolveBlock` maps a block tag or hex quantity to a block number;
 *   `collect(from, to, criteria)` lists matching logs of a block range.
 */
export function logQueries(store, view) {
  const filters = new Map()
  let nextFilterId = 1

  /**
   * Logs in a block range, ordered by block then log index.
   * @param {number} from first block (inclusive).
   * @param {number} to last block (inclusive).
   * @param {object} criteria {address?, topics?}.
   * @returns {{id: string, block: number, log: object}[]} id identifies a log across polls.
   */
  const collect = (from, to, criteria) => {
    const out = []
    const blocks = []
    if (to - from + 1 <= store.blockCount()) {
      for (let n = from; n <= to; n++) if (store.state.blocks[n]) blocks.push(n)
    } else {
      for (const b of Object.keys(store.state.blocks)) {
        const n = Number(b)
        if (n >= from && n <= to) blocks.push(n)
      }
    }
    for (const n of blocks) {
      for (const h of store.blockInfo(n).txs) {
        const rec = store.getTx(h)
        for (const l of rec.logs) {
          if (!logMatches(l, criteria)) continue
          out.push({ id: `${h}:${l.logIndex}`, block: n, order: [rec.txIndex, l.logIndex], log: view.formatLog(rec, l) })
        }
      }
    }
    const current = store.currentBlock()
    const expired = []
    // Only entities with a version ending in the range can have expired in it.
    for (const key of store.keysEndingIn(from, Math.min(to, current))) {
      const versions = store.state.entities[key]
      if (!versions) continue
      const v = versions[versions.length - 1]
      if (v.to !== null || v.expiresAt < from || v.expiresAt > to || v.expiresAt > current) continue
      expired.push({ key, v })
    }
    expired.sort((a, b) => a.v.expiresAt - b.v.expiresAt || (a.key < b.key ? -1 : 1))
    const perBlock = new Map()
    for (const { key, v } of expired) {
      const n = v.expiresAt
      const raw = { address: ARKIV_ADDRESS, topics: [TOPICS.expired, key, addressTopic(v.owner)], data: "0x" }
      const i = perBlock.get(n) ?? 0
      perBlock.set(n, i + 1)
      if (!logMatches(raw, criteria)) continue
      const info = store.blockInfo(n)
      out.push({
        id: `expired:${key}`,
        block: n,
        order: [info.txs.length, info.logCount + i],
        log: {
          ...raw,
          blockNumber: q(n),
          blockHash: view.blockHash(n),
          transactionHash: keccak256(toHex(`arkiv-node:housekeeping:${n}`)),
          transactionIndex: q(info.txs.length),
          logIndex: q(info.logCount + i),
          removed: false,
        },
      })
    }
    out.sort((a, b) => a.block - b.block || a.order[0] - b.order[0] || a.order[1] - b.order[1])
    return out
  }

  const resolveBlock = (tag, dflt) => {
    if (tag === undefined || tag === null) return dflt
    if (tag === "latest" || tag === "pending" || tag === "safe" || tag === "finalized") return store.currentBlock()
    if (tag === "earliest") return 0
    if (typeof tag === "string" && /^0x[0-9a-fA-F]+$/.test(tag)) return Number.parseInt(tag, 16)
    throw new RpcError(INVALID_PARAMS, `invalid block tag ${JSON.stringify(tag)}`)
  }

  const parseCriteria = (f) => {
    if (!f || typeof f !== "object" || Array.isArray(f)) throw new RpcError(INVALID_PARAMS, "filter must be an object")
    if (f.topics !== undefined && f.topics !== null && !Array.isArray(f.topics)) throw new RpcError(INVALID_PARAMS, "filter.topics must be an array")
    return { address: f.address ?? null, topics: f.topics ?? [] }
  }

  const sweep = () => {
    const now = Date.now()
    for (const [id, f] of filters) if (now - f.touched > FILTER_TTL_MS) filters.delete(id)
  }

  const getFilter = (id) => {
    sweep()
    const f = filters.get(String(id).toLowerCase())
    if (!f) throw new RpcError(-32000, "filter not found")
    f.touched = Date.now()
    return f
  }

  return {
    /** eth_getLogs([filter]) */
    getLogs([f]) {
      const criteria = parseCriteria(f)
      const current = store.currentBlock()
      if (f.blockHash) {
        const n = view.blockNumberOfHash(f.blockHash)
        if (n === null) throw new RpcError(-32000, "unknown block")
        return collect(n, n, criteria).map((x) => x.log)
      }
      const from = resolveBlock(f.fromBlock, current)
      const to = Math.min(resolveBlock(f.toBlock, current), current)
      if (from > to) return []
      return collect(from, to, criteria).map((x) => x.log)
    },
    /** eth_newFilter([filter]) -> id */
    newFilter([f]) {
      sweep()
      const criteria = parseCriteria(f)
      const current = store.currentBlock()
      const from = f.fromBlock === undefined || f.fromBlock === null || f.fromBlock === "latest" ? current : resolveBlock(f.fromBlock, current)
      const id = q(nextFilterId++)
      filters.set(id, { kind: "logs", criteria, from, toTag: f.toBlock, doneBefore: from, seen: new Set(), touched: Date.now() })
      return id
    },
    /** eth_newBlockFilter() -> id */
    newBlockFilter() {
      sweep()
      const id = q(nextFilterId++)
      filters.set(id, { kind: "blocks", last: store.currentBlock(), touched: Date.now() })
      return id
    },
    /** eth_getFilterChanges([id]) */
    getFilterChanges([id]) {
      const f = getFilter(id)
      const current = store.currentBlock()
      if (f.kind === "blocks") {
        const out = []
        for (let n = f.last + 1; n <= current && out.length < 1000; n++) out.push(view.blockHash(n))
        f.last = Math.max(f.last, current)
        return out
      }
      const to = f.toTag === undefined || f.toTag === null ? current : Math.min(resolveBlock(f.toTag, current), current)
      if (to < f.doneBefore) return []
      const logs = collect(f.doneBefore, to, f.criteria).filter((x) => !(x.block === f.doneBefore && f.seen.has(x.id)))
      const seenAtTo = new Set(collect(to, to, f.criteria).map((x) => x.id))
      f.doneBefore = to
      f.seen = seenAtTo
      return logs.map((x) => x.log)
    },
    /** eth_getFilterLogs([id]) */
    getFilterLogs([id]) {
      const f = getFilter(id)
      if (f.kind !== "logs") throw new RpcError(-32000, "filter not found")
      const current = store.currentBlock()
      const to = f.toTag === undefined || f.toTag === null ? current : Math.min(resolveBlock(f.toTag, current), current)
      return collect(f.from, to, f.criteria).map((x) => x.log)
    },
    /** eth_uninstallFilter([id]) -> boolean */
    uninstallFilter([id]) {
      return filters.delete(String(id).toLowerCase())
    },
    resolveBlock,
    collect,
  }
}
