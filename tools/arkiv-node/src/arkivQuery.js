/**
 * arkiv_query: filtering, ordering, pagination and result shaping.
 *
 * Request:  arkiv_query(query: string, options?: {
 *             includeData?: {key, attributes, payload, contentType, expiration, owner,
 *                            creator, createdAtBlock, lastModifiedAtBlock,
 *                            transactionIndexInBlock, operationIndexInTransaction: boolean},
 *             atBlock?: hex|number, resultsPerPage?: hex|number, cursor?: string,
 *             orderBy?: [{name: string, type: "string"|"numeric", desc: boolean}] })
 * Response: {data: RpcEntity[], blockNumber: hex, cursor?: string}
 *
 * RpcEntity fields (only those requested): key, value (payload, hex), contentType,
 * expiresAt (hex block), owner, creator (lowercase addresses), createdAtBlock,
 * lastModifiedAtBlock, transactionIndexInBlock, operationIndexInTransaction (hex),
 * stringAttributes [{key, value}], numericAttributes [{key, value: number}].
 * transactionIndexInBlock / operationIndexInTransaction locate the create (with
 * createdAtBlock), not the last update, as on arkiv-op-geth; lastModifiedAtBlock
 * is the block of the last create or update (not of an extend or owner change).
 * Without includeData the defaults of arkiv-op-geth apply: key, payload,
 * contentType, expiration, owner and attributes; unknown includeData fields are
 * ignored.
 *
 * Order: the orderBy attributes first (entities without the attribute last,
 * whatever the direction), then creation order (block, transaction index,
 * operation index of the create; kept across updates), then key.
 * The cursor is opaque (hex of a small JSON object) and keyset-based: it holds
 * the snapshot (block, and the transaction sequence number when the block was
 * still current), a hash of query + orderBy and the sort position of the last
 * entity returned, so later pages see the same state as the first. As on
 * arkiv-op-geth a cursor is returned whenever a page is full (resultsPerPage
 * reached or the 512 KiB response cap hit), even when nothing follows; the next
 * page is then empty.
 */
import { createHash } from "node:crypto"
import { INVALID_PARAMS, RpcError, SERVER_ERROR } from "./errors.js"
import { canWalkCreation, canWalkIndex, inCreationOrder, matchingEntities, orderedByIndex, plan, rangeOn, walkList } from "./planner.js"
import { attributeValue, compareValues, compileQuery, parseQuery, sequenceOf } from "./query.js"

/** Response size cap of one page, in bytes of JSON (arkiv-op-geth's 512 KiB). */
export const MAX_RESPONSE_BYTES = 512 * 1024

const DEFAULT_INCLUDE = {
  key: true,
  attributes: true,
  payload: true,
  contentType: true,
  expiration: true,
  owner: true,
}
const INCLUDE_FLAGS = [
  "key",
  "attributes",
  "payload",
  "contentType",
  "expiration",
  "owner",
  "creator",
  "createdAtBlock",
  "lastModifiedAtBlock",
  "transactionIndexInBlock",
  "operationIndexInTransaction",
  "syntheticAttributes",
]

/** ARKIV_NODE_SLOW_MS=<ms>: every arkiv_query that takes at least that long is written to stderr (diagnostics). */
const SLOW_MS = process.env.ARKIV_NODE_SLOW_MS ? Number(process.env.ARKIV_NODE_SLOW_MS) : null

/**
 * Runs arkiv_query.
 * @param {import("./store.js").Store} store
 * @param {unknown[]} params JSON-RPC params: [query, options?].
 * @param {{sleep: (ms: number) => Promise<void>, mode?: "auto"|"scan"|"index", explain?: object}} io waiting for a
 *   block that has not started yet; `mode` picks the evaluation path (see {@link queryRows}); `explain`, an
 *   object, is filled with the path taken.
 * @returns {Promise<{data: object[], blockNumber: string, cursor?: string}>}
 * @throws {RpcError} -32602 for a bad query or option, -32000 for a block outside the kept history.
 */
export async function arkivQuery(store, params, io) {
  if (!Array.isArray(params) || params.length < 1 || params.length > 2) {
    throw new RpcError(INVALID_PARAMS, "arkiv_query expects [query, options?]")
  }
  const [query, rawOptions] = params
  const ast = parseQuery(query)
  const options = rawOptions ?? {}
  if (typeof options !== "object" || Array.isArray(options)) throw new RpcError(INVALID_PARAMS, "arkiv_query options must be an object")

  const include = parseInclude(options.includeData)
  const orderBy = parseOrderBy(options.orderBy)
  const limit = options.resultsPerPage === undefined || options.resultsPerPage === null ? 0 : quantity(options.resultsPerPage, "resultsPerPage")
  const queryHash = createHash("sha256").update(JSON.stringify([query, orderBy])).digest("hex").slice(0, 16)
  const cursor = options.cursor === undefined || options.cursor === null || options.cursor === "" ? null : decodeCursor(options.cursor, queryHash)

  let block
  if (options.atBlock !== undefined && options.atBlock !== null) block = quantity(options.atBlock, "atBlock")
  else if (cursor) block = cursor.b
  else block = store.currentBlock()

  await waitForBlock(store, block, io)
  if (block < store.oldestQueryableBlock()) {
    throw new RpcError(SERVER_ERROR, `state of block ${block} is no longer available (this node keeps ${store.historyBlocks} blocks of history)`)
  }
  // The current block still takes transactions: pin the snapshot to the
  // transactions committed so far (and keep that pin in the cursor).
  let seq = null
  if (cursor && cursor.b === block) seq = cursor.s
  else if (block >= store.currentBlock()) seq = store.txSeq

  const started = SLOW_MS === null ? 0 : performance.now()
  const explain = io.explain ?? (SLOW_MS === null ? null : {})
  const rows = queryRows(store, { ast, orderBy, block, seq: seq ?? Infinity, after: cursor ? cursor.k : null, limit, mode: io.mode ?? "auto", explain })
  const data = []
  let size = 0
  let full = false
  for (const row of rows) {
    if (limit && data.length >= limit) {
      full = true
      break
    }
    const out = shapeEntity(row.e, include)
    const bytes = JSON.stringify(out).length + 1
    if (data.length > 0 && size + bytes > MAX_RESPONSE_BYTES) {
      full = true
      break
    }
    size += bytes
    data.push({ out, sk: row.sk })
  }
  if (limit && data.length === limit) full = true

  if (SLOW_MS !== null && performance.now() - started >= SLOW_MS) {
    const ms = (performance.now() - started).toFixed(1)
    process.stderr.write(`arkiv_query ${ms} ms, ${data.length} rows${full ? "+" : ""} ${JSON.stringify(explain)}: ${query}${orderBy.length ? ` orderBy ${JSON.stringify(orderBy)}` : ""}\n`)
  }
  const result = { data: data.map((d) => d.out), blockNumber: hex(block) }
  if (full && data.length) result.cursor = encodeCursor({ v: 1, b: block, s: seq, q: queryHash, k: data[data.length - 1].sk })
  return result
}

/**
 * The matching entities of a snapshot in result order, after a cursor.
 * @param {import("./store.js").Store} store
 * @param {object} q
 * @param {import("./query.js").Node} q.ast parsed query.
 * @param {{name: string, type: "string"|"number", desc: boolean}[]} q.orderBy parsed orderBy.
 * @param {number} q.block
 * @param {number} q.seq snapshot transaction sequence number (Infinity: all).
 * @param {any[]|null} q.after sort key of the cursor, or null.
 * @param {number} q.limit resultsPerPage (0: no limit).
 * @param {object|null} [q.explain] when given, filled with the path taken ("walk" | "creation" | "sort")
 *   and the counts that chose it (candidates, walk, passes): diagnostics and the planner's tests.
 * @param {"auto"|"scan"|"index"} [q.mode="auto"] "scan": plain scan and sort (the
 *   reference); "index": always use the indexes (and the ordered index walk when
 *   orderBy allows it, or the creation-ordered list without orderBy); "auto":
 *   indexes, walking an ordered structure when a page is asked for and the
 *   filter alone would yield many more rows.
 * @returns {Iterable<{e: {key: string, version: object}, sk: any[]}>}
 */
export function queryRows(store, { ast, orderBy, block, seq, after, limit, mode = "auto", explain = null }) {
  const match = compileQuery(ast)
  const cmp = (a, b) => compareSortKeys(a, b, orderBy)
  const useIndex = mode !== "scan"
  const p = useIndex ? plan(store, ast) : null
  const filtered = () => matchingEntities(store, { ast, match, block, seq, useIndex, plan: p })
  const wide = mode === "index" || (limit > 0 && (p === null || p.size > 4 * limit))
  if (useIndex && wide && canWalkIndex(orderBy, after)) {
    const range = rangeOn(ast, orderBy[0].name)
    // Walk the ordered index unless sorting the filter's candidates is cheaper. A walk stops after
    // `limit` rows: with the candidates spread along the range, it passes about limit * walk / candidates
    // entries (never more than the range holds). Sorting wins when that is more than the candidates
    // themselves: a wallet's 50 sessions among a busy space's 50,000 RSVPs. The walk wins when most of
    // the range matches: "not ended, soonest first, 8" among thousands of upcoming gatherings.
    const list = walkList(store, ast, orderBy[0].name, orderBy[0].type)
    const walk = list ? list.countRange(range) : 0
    const passes = p === null ? walk : Math.min(walk, Math.ceil((limit * walk) / Math.max(1, p.size)))
    if (explain) Object.assign(explain, { path: "walk", candidates: p?.size ?? null, walk, passes })
    // A string ordering walks only through a composite index (a query without an equality sorts).
    const walkable = list !== undefined || orderBy[0].type === "number"
    if (walkable && (mode === "index" || p === null || p.size > passes)) return orderedByIndex(store, { orderBy, sortKey, cmp, after, filtered, match, block, seq, range, list })
  }
  if (useIndex && wide && canWalkCreation(store, orderBy, after)) {
    if (explain) Object.assign(explain, { path: "creation", candidates: p?.size ?? null })
    return inCreationOrder(store, { after, match, block, seq, sortKey })
  }
  if (explain) Object.assign(explain, { path: "sort", candidates: p?.size ?? null })
  const rows = filtered().map((e) => ({ e, sk: sortKey(e, orderBy) }))
  rows.sort((a, b) => cmp(a.sk, b.sk))
  let start = 0
  if (after) {
    let lo = 0
    let hi = rows.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cmp(rows[mid].sk, after) <= 0) lo = mid + 1
      else hi = mid
    }
    start = lo
  }
  return start ? rows.slice(start) : rows
}

/**
 * Number of entities alive at the current block.
 * @param {import("./store.js").Store} store
 * @returns {number}
 */
export function entityCount(store) {
  return store.entitiesAt(store.currentBlock()).length
}

async function waitForBlock(store, block, io) {
  const deadline = Date.now() + 2 * store.clock.blockTimeMs + 50
  while (block > store.currentBlock()) {
    if (Date.now() > deadline) throw new RpcError(SERVER_ERROR, `block ${block} is in the future (current block ${store.currentBlock()})`)
    await io.sleep(Math.min(50, store.clock.blockTimeMs))
  }
}

function parseInclude(inc) {
  if (inc === undefined || inc === null) return { ...DEFAULT_INCLUDE }
  if (typeof inc !== "object" || Array.isArray(inc)) throw new RpcError(INVALID_PARAMS, "includeData must be an object")
  const out = {}
  for (const [k, v] of Object.entries(inc)) {
    if (!INCLUDE_FLAGS.includes(k)) continue
    if (typeof v !== "boolean") throw new RpcError(INVALID_PARAMS, `includeData.${k} must be a boolean`)
    out[k] = v
  }
  return out
}

function parseOrderBy(ob) {
  if (ob === undefined || ob === null) return []
  if (!Array.isArray(ob)) throw new RpcError(INVALID_PARAMS, "orderBy must be an array")
  return ob.map((o, i) => {
    if (!o || typeof o !== "object" || typeof o.name !== "string" || !o.name) throw new RpcError(INVALID_PARAMS, `orderBy[${i}].name must be a string`)
    if (o.type !== "string" && o.type !== "numeric") throw new RpcError(INVALID_PARAMS, `orderBy[${i}].type must be "string" or "numeric"`)
    if (o.desc !== undefined && typeof o.desc !== "boolean") throw new RpcError(INVALID_PARAMS, `orderBy[${i}].desc must be a boolean`)
    return { name: o.name, type: o.type === "numeric" ? "number" : "string", desc: o.desc === true }
  })
}

/**
 * Parses a JSON-RPC quantity (hex string or non-negative integer number).
 * @param {unknown} v
 * @param {string} what parameter name for the error message.
 * @returns {number}
 */
export function quantity(v, what) {
  let n
  if (typeof v === "number") n = v
  else if (typeof v === "string" && /^0x[0-9a-fA-F]+$/.test(v)) n = Number.parseInt(v, 16)
  else if (typeof v === "string" && /^[0-9]+$/.test(v)) n = Number(v)
  if (n === undefined || !Number.isSafeInteger(n) || n < 0) throw new RpcError(INVALID_PARAMS, `${what} must be a non-negative integer (hex quantity)`)
  return n
}

function sortKey(e, orderBy) {
  const k = orderBy.map((o) => {
    const v = metaOrAttr(e, o.name, o.type)
    if (v === undefined) return null
    return typeof v === "bigint" ? ["n", v.toString()] : ["s", v]
  })
  const v = e.version
  k.push(["n", String(v.createdAtBlock)], ["n", String(v.createdTxIndex)], ["n", String(v.createdOpIndex)], ["s", e.key])
  return k
}

function metaOrAttr(e, name, type) {
  if (name === "$createdAtBlock") return BigInt(e.version.createdAtBlock)
  if (name === "$lastModifiedAtBlock") return BigInt(e.version.lastModifiedAtBlock)
  if (name === "$sequence") return sequenceOf(e.version)
  const v = attributeValue(e, name, type)
  if (v === undefined) return undefined
  if (typeof v === "bigint" && type === "string") return v.toString()
  return v
}

function compareSortKeys(a, b, orderBy) {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]
    const y = b[i]
    if (x === null || y === null) {
      if (x === y) continue
      return x === null ? 1 : -1
    }
    const xv = x[0] === "n" ? BigInt(x[1]) : x[1]
    const yv = y[0] === "n" ? BigInt(y[1]) : y[1]
    if (typeof xv !== typeof yv) return x[0] < y[0] ? -1 : 1
    let c = compareValues(xv, yv)
    if (i < orderBy.length && orderBy[i].desc) c = -c
    if (c !== 0) return c
  }
  return 0
}

function encodeCursor(obj) {
  return `0x${Buffer.from(JSON.stringify(obj), "utf8").toString("hex")}`
}

function decodeCursor(c, queryHash) {
  let obj
  try {
    if (typeof c !== "string") throw new Error("not a string")
    const h = c.startsWith("0x") ? c.slice(2) : c
    if (!/^[0-9a-fA-F]*$/.test(h) || h.length % 2) throw new Error("not hex")
    obj = JSON.parse(Buffer.from(h, "hex").toString("utf8"))
    if (obj?.v !== 1 || !Number.isSafeInteger(obj.b) || !Array.isArray(obj.k) || typeof obj.q !== "string") throw new Error("bad shape")
    if (obj.s !== null && !Number.isSafeInteger(obj.s)) throw new Error("bad seq")
    for (const x of obj.k) {
      if (x !== null && !(Array.isArray(x) && x.length === 2 && (x[0] === "s" || (x[0] === "n" && /^[0-9]+$/.test(x[1]))) && typeof x[1] === "string")) {
        throw new Error("bad key")
      }
    }
  } catch {
    throw new RpcError(INVALID_PARAMS, "invalid cursor")
  }
  if (obj.q !== queryHash) throw new RpcError(INVALID_PARAMS, "cursor belongs to a different query or orderBy")
  return obj
}

const hex = (n) => `0x${n.toString(16)}`

function shapeEntity({ key, version: v }, inc) {
  const out = {}
  if (inc.key) out.key = key
  if (inc.payload) out.value = v.payload
  if (inc.contentType) out.contentType = v.contentType
  if (inc.expiration) out.expiresAt = hex(v.expiresAt)
  if (inc.owner) out.owner = v.owner
  if (inc.creator) out.creator = v.creator
  if (inc.createdAtBlock) out.createdAtBlock = hex(v.createdAtBlock)
  if (inc.lastModifiedAtBlock) out.lastModifiedAtBlock = hex(v.lastModifiedAtBlock)
  if (inc.transactionIndexInBlock) out.transactionIndexInBlock = hex(v.createdTxIndex ?? v.txIndex)
  if (inc.operationIndexInTransaction) out.operationIndexInTransaction = hex(v.createdOpIndex ?? v.opIndex)
  if (inc.attributes) {
    out.stringAttributes = v.stringAttributes.map(({ key, value }) => ({ key, value }))
    out.numericAttributes = v.numericAttributes.map(({ key, value }) => {
      const n = BigInt(value)
      return { key, value: n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : `0x${n.toString(16)}` }
    })
  }
  return out
}
