// Differential test of the development Arkiv node's query planner: random
// entities (created, updated, extended, transferred, deleted over several
// blocks) and random queries evaluated through the indexes ("index" and
// "auto") and by a plain scan ("scan") must return the same keys in the same
// order, page by page, now and at past blocks.
import assert from "node:assert/strict"
import { describe, test } from "node:test"
import { arkivQuery } from "../../tools/arkiv-node/src/arkivQuery.js"
import { SortedList, compareCodePoints } from "../../tools/arkiv-node/src/indexes.js"
import { Store } from "../../tools/arkiv-node/src/store.js"

function rng(seed) {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const OWNERS = ["0x1111111111111111111111111111111111111111", "0x2222222222222222222222222222222222222222", "0x3333333333333333333333333333333333333333"]
const TYPES = ["note", "event", "person", "x y", "Émile"]
// "\uFF41" (fullwidth a) sorts before "\u{1F600}" in UTF-16 code units and after it in UTF-8 bytes,
// the order Arkiv compares strings in: the string-ordered walk has to agree with the scan on it.
const NAMES = ["a", "ab", "abc", "b", "ba", "z", "A", "[x]", "é", "\uFF41", "\u{1F600}"]

function randomVersion(r, block, txIndex, opIndex, old) {
  const pick = (xs) => xs[Math.floor(r() * xs.length)]
  const stringAttributes = []
  const numericAttributes = []
  if (r() < 0.9) stringAttributes.push({ key: "type", value: pick(TYPES) })
  if (r() < 0.6) stringAttributes.push({ key: "name", value: pick(NAMES) })
  if (r() < 0.85) numericAttributes.push({ key: "n", value: String(Math.floor(r() * 20)) })
  if (r() < 0.4) numericAttributes.push({ key: "m", value: String(Math.floor(r() * 4)) })
  if (r() < 0.1) numericAttributes.push({ key: "big", value: String(2n ** 64n - 1n - BigInt(Math.floor(r() * 3))) })
  if (r() < 0.1) stringAttributes.push({ key: "m", value: "str" }) // same name, other type
  const owner = old?.owner ?? pick(OWNERS)
  return {
    owner,
    creator: old?.creator ?? owner,
    contentType: "text/plain",
    payload: "0x",
    stringAttributes,
    numericAttributes,
    expiresAt: block + 1 + Math.floor(r() * 30),
    createdAtBlock: old?.createdAtBlock ?? block,
    createdTxIndex: old?.createdTxIndex ?? txIndex,
    createdOpIndex: old?.createdOpIndex ?? opIndex,
    lastModifiedAtBlock: block,
    txIndex: old?.createdTxIndex ?? txIndex,
    opIndex: old?.createdOpIndex ?? opIndex,
  }
}

/** Builds a store with random history; returns it and the clock setter. */
function buildStore(seed, { entities = 300, blocks = 25 } = {}) {
  const r = rng(seed)
  let t = 1_000_000
  const store = new Store({ statePath: null, now: () => t, blockTimeMs: 1000, chainId: 1337, historyBlocks: 100 })
  const keys = []
  let nonce = 0
  let made = 0
  for (let b = 0; b < blocks; b++) {
    t = 1_000_000 + b * 1000
    const block = store.currentBlock()
    const txs = 1 + Math.floor(r() * 4)
    for (let i = 0; i < txs; i++) {
      const changes = new Map()
      const creates = Math.min(entities - made, Math.floor(r() * (2 * entities / blocks / txs + 2)))
      for (let k = 0; k < creates; k++) {
        const key = `0x${(made++).toString(16).padStart(64, "0")}`
        keys.push(key)
        changes.set(key, randomVersion(r, block, i, k))
      }
      for (let k = 0; k < 3 && keys.length; k++) {
        const key = keys[Math.floor(r() * keys.length)]
        if (changes.has(key)) continue
        const old = store.versionAt(key, block)
        if (!old) continue
        const roll = r()
        if (roll < 0.3) changes.set(key, randomVersion(r, block, i, k, old))
        else if (roll < 0.5) changes.set(key, null)
        else if (roll < 0.7) changes.set(key, { ...old, expiresAt: old.expiresAt + 5 })
        else changes.set(key, { ...old, owner: OWNERS[Math.floor(r() * OWNERS.length)] })
      }
      const tx = { hash: `0x${(nonce + 1).toString(16).padStart(64, "0")}`, raw: "0x", from: OWNERS[0], to: null, nonce: nonce++, blockNumber: block, txIndex: i, status: 1, gasUsed: "0", effectiveGasPrice: "0", logs: [] }
      store.commitTransaction({ tx, changes })
    }
  }
  return { store, keys, r, setTime: (ms) => (t = ms) }
}

function randomQuery(r, keys) {
  const pick = (xs) => xs[Math.floor(r() * xs.length)]
  const str = (s) => JSON.stringify(s)
  const leaf = () => {
    switch (Math.floor(r() * 18)) {
      case 0:
        return `type = ${str(pick(TYPES))}`
      case 1:
        return `name = ${str(pick(NAMES))}`
      case 2:
        return `n ${pick(["=", "<", "<=", ">", ">=", "!="])} ${Math.floor(r() * 22)}`
      case 3:
        return `m ${pick(["=", "<", ">=", "!="])} ${Math.floor(r() * 5)}`
      case 4:
        return `$owner = ${pick(OWNERS).toUpperCase().replace("0X", "0x")}`
      case 5:
        return `$creator ${pick(["=", "!="])} ${str(pick(OWNERS))}`
      case 6:
        return `$key = ${pick(keys)}`
      case 7:
        return `type IN (${str(pick(TYPES))} ${str(pick(TYPES))})`
      case 8:
        return `n NOT IN (${Math.floor(r() * 20)}, ${Math.floor(r() * 20)})`
      case 9:
        return `name ~ ${str(pick(["a*", "?", "*b*", "[a-b]*", "[x]"]))}`
      case 10:
        return `name !~ "a*"`
      case 11:
        return pick(["name", "m", "big", "!name"])
      case 12:
        return `$expiration ${pick(["<", ">="])} ${Math.floor(r() * 50)}`
      case 13:
        return `big >= ${2n ** 64n - 2n}`
      case 14:
        return `m = "str"`
      case 16:
        // an equality with an absence (the planner's lacking-attribute index)
        return `(type = ${str(pick(TYPES))} || $owner = ${pick(OWNERS)}) && !${pick(["name", "m", "n"])}`
      case 17:
        // an equality (or a union) with a range (the planner's composite indexes)
        return `(type = ${str(pick(TYPES))} || name = ${str(pick(NAMES))}) && n ${pick(["<", ">=", ">"])} ${Math.floor(r() * 22)} && m < ${Math.floor(r() * 5)}`
      default:
        return `$key IN (${pick(keys)}, ${pick(keys)})`
    }
  }
  const expr = (depth) => {
    const roll = r()
    if (depth > 2 || roll < 0.35) return leaf()
    if (roll < 0.65) return `${expr(depth + 1)} && ${expr(depth + 1)}${r() < 0.3 ? ` && ${leaf()}` : ""}`
    if (roll < 0.9) return `(${expr(depth + 1)} || ${expr(depth + 1)})`
    return `!(${expr(depth + 1)})`
  }
  return r() < 0.05 ? "" : expr(0)
}

function randomOrderBy(r) {
  const roll = r()
  if (roll < 0.25) return undefined
  const terms = [
    { name: "n", type: "numeric", desc: r() < 0.5 },
    { name: "m", type: "numeric", desc: r() < 0.5 },
    { name: "name", type: "string", desc: r() < 0.5 },
    { name: "$sequence", type: "numeric", desc: r() < 0.5 },
    { name: "big", type: "numeric", desc: r() < 0.5 },
  ]
  const first = roll < 0.8 ? terms[Math.floor(r() * 2)] : terms[2 + Math.floor(r() * 3)]
  return r() < 0.3 ? [first, terms[2]] : [first]
}

/** All pages of a query: the keys in order. */
async function allPages(store, mode, query, options) {
  const io = { sleep: async () => {}, mode }
  const out = []
  let cursor
  for (let i = 0; i < 1000; i++) {
    const res = await arkivQuery(store, [query, { ...options, includeData: { key: true }, cursor }], io)
    out.push(res.data.map((d) => d.key))
    if (!res.cursor) return out
    cursor = res.cursor
  }
  throw new Error("too many pages")
}

describe("indexed queries equal the scan", () => {
  test("SortedList keeps order through inserts, removes, ranges and descending walks", () => {
    const r = rng(7)
    const l = new SortedList()
    const ref = []
    const cmp = (a, b) => SortedList.cmp(a, b)
    for (let i = 0; i < 5000; i++) {
      const e = [BigInt(Math.floor(r() * 300)), `k${Math.floor(r() * 50)}`]
      if (ref.some((x) => cmp(x, e) === 0)) {
        if (r() < 0.5) {
          assert.ok(l.remove(e))
          ref.splice(ref.findIndex((x) => cmp(x, e) === 0), 1)
        }
      } else {
        l.insert(e)
        ref.push(e)
      }
    }
    ref.sort(cmp)
    assert.equal(l.size, ref.length)
    assert.deepEqual([...l.range({})], ref)
    for (let i = 0; i < 50; i++) {
      const lo = BigInt(Math.floor(r() * 310))
      const hi = lo + BigInt(Math.floor(r() * 50))
      const want = ref.filter((x) => x[0] > lo && x[0] <= hi)
      assert.deepEqual([...l.range({ lo, loStrict: true, hi })], want)
      assert.equal(l.countRange({ lo, loStrict: true, hi }), want.length)
      assert.deepEqual([...l.descending(hi)], ref.filter((x) => x[0] <= hi).reverse())
    }
    assert.equal(l.remove([999n, "nope"]), false)
  })

  test("compareCodePoints orders strings as their UTF-8 bytes do (Arkiv's string order)", () => {
    const r = rng(7)
    const units = ["a", "z", "\u00e9", "\u07ff", "\u0800", "\ud7ff", "\ue000", "\uff41", "\uffff", "\u{10000}", "\u{1f600}", "\u{10ffff}"]
    const word = () => Array.from({ length: Math.floor(r() * 4) }, () => units[Math.floor(r() * units.length)]).join("")
    for (let i = 0; i < 5000; i++) {
      const a = word()
      const b = word()
      assert.equal(Math.sign(compareCodePoints(a, b)), Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")), JSON.stringify([a, b]))
    }
  })

  for (const seed of [1, 2, 3, 4]) {
    test(`seed ${seed}: 150 random queries, with orderBy and paging, now and at past blocks`, async () => {
      const { store, keys, r } = buildStore(seed)
      const current = store.currentBlock()
      let nonEmpty = 0
      for (let i = 0; i < 150; i++) {
        const query = randomQuery(r, keys)
        const options = {}
        const orderBy = randomOrderBy(r)
        if (orderBy) options.orderBy = orderBy
        if (r() < 0.7) options.resultsPerPage = 1 + Math.floor(r() * 25)
        if (r() < 0.3) options.atBlock = Math.max(0, current - Math.floor(r() * 20))
        const scan = await allPages(store, "scan", query, options)
        const index = await allPages(store, "index", query, options)
        const auto = await allPages(store, "auto", query, options)
        const label = `${query} ${JSON.stringify(options)}`
        assert.deepEqual(index, scan, label)
        assert.deepEqual(auto, scan, label)
        if (scan.flat().length) nonEmpty++
      }
      assert.ok(nonEmpty > 60, `only ${nonEmpty} queries matched anything`)
    })
  }
})

describe("the planner walks an ordered index or sorts the candidates, whichever passes fewer entities", () => {
  // 2,000 gatherings over ±100 days, one an hour apart, each 1 h long; 40 of them carry name = "mine".
  function gatherings() {
    const t = 1_000_000
    const store = new Store({ statePath: null, now: () => t, blockTimeMs: 1000, chainId: 1337, historyBlocks: 100 })
    const changes = new Map()
    for (let i = 0; i < 2000; i++) {
      const start = 1_000_000 + (i - 1000) * 3600 * 2.4
      changes.set(`0x${i.toString(16).padStart(64, "0")}`, {
        owner: OWNERS[0], creator: OWNERS[0], contentType: "text/plain", payload: "0x",
        stringAttributes: [{ key: "type", value: "gathering" }, ...(i % 50 === 0 ? [{ key: "name", value: "mine" }] : [])],
        numericAttributes: [{ key: "startsAtSec", value: String(Math.round(start)) }, { key: "endsAtSec", value: String(Math.round(start) + 3600) }],
        expiresAt: 10_000, createdAtBlock: 0, createdTxIndex: 0, createdOpIndex: i, lastModifiedAtBlock: 0, txIndex: 0, opIndex: i,
      })
    }
    const tx = { hash: `0x${"1".padStart(64, "0")}`, raw: "0x", from: OWNERS[0], to: null, nonce: 0, blockNumber: 0, txIndex: 0, status: 1, gasUsed: "0", effectiveGasPrice: "0", logs: [] }
    store.commitTransaction({ tx, changes })
    return store
  }
  const run = async (store, query) => {
    const explain = {}
    const res = await arkivQuery(store, [query, { includeData: { key: true }, orderBy: [{ name: "startsAtSec", type: "numeric", descending: false }], resultsPerPage: 8 }], { sleep: async () => {}, explain })
    return { explain, keys: res.data.map((d) => d.key) }
  }
  const store = gatherings()

  test("not ended, soonest first, 8 of about 1,000: the walk (it used to sort every candidate)", async () => {
    const { explain, keys } = await run(store, `type = "gathering" && endsAtSec > 1000000 && startsAtSec >= 395200`)
    assert.equal(explain.path, "walk", JSON.stringify(explain))
    assert.ok(explain.passes <= 16, JSON.stringify(explain))
    assert.equal(keys.length, 8)
    assert.deepEqual(keys, (await allPages(store, "scan", `type = "gathering" && endsAtSec > 1000000 && startsAtSec >= 395200`, { orderBy: [{ name: "startsAtSec", type: "numeric", descending: false }], resultsPerPage: 8 }))[0])
  })

  test("newest first by a string attribute, 12 of 100 series among 2,000 gatherings: the walk (it used to sort them all)", async () => {
    const s = gatherings()
    const changes = new Map()
    for (let i = 0; i < 100; i++) {
      changes.set(`0x${(5000 + i).toString(16).padStart(64, "0")}`, {
        owner: OWNERS[1], creator: OWNERS[1], contentType: "text/plain", payload: "0x",
        // Creation times out of key order, a few equal, a few missing (those come last).
        stringAttributes: [{ key: "type", value: "series" }, ...(i % 10 === 9 ? [] : [{ key: "createdAt", value: `2026-01-${String(1 + ((i * 37) % 28)).padStart(2, "0")}T00:00:00Z` }])],
        numericAttributes: [],
        expiresAt: 10_000, createdAtBlock: 1, createdTxIndex: 0, createdOpIndex: i, lastModifiedAtBlock: 1, txIndex: 0, opIndex: i,
      })
    }
    s.commitTransaction({ tx: { hash: `0x${"2".padStart(64, "0")}`, raw: "0x", from: OWNERS[1], to: null, nonce: 0, blockNumber: 1, txIndex: 0, status: 1, gasUsed: "0", effectiveGasPrice: "0", logs: [] }, changes })
    const q = `type = "series" && $owner = ${OWNERS[1]}`
    for (const desc of [true, false]) {
      const options = { orderBy: [{ name: "createdAt", type: "string", desc }], resultsPerPage: 12 }
      const explain = {}
      const res = await arkivQuery(s, [q, { ...options, includeData: { key: true } }], { sleep: async () => {}, explain })
      assert.equal(explain.path, "walk", JSON.stringify(explain))
      assert.ok(explain.passes <= 24, JSON.stringify(explain))
      assert.deepEqual(res.data.map((d) => d.key), (await allPages(s, "scan", q, options))[0])
      assert.deepEqual(await allPages(s, "auto", q, options), await allPages(s, "scan", q, options))
    }
  })

  test("a few candidates in a long range: sorting them", async () => {
    const { explain } = await run(store, `type = "gathering" && name = "mine" && startsAtSec >= 0`)
    assert.equal(explain.path, "sort", JSON.stringify(explain))
  })
})
