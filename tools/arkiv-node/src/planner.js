/**
 * Query planning over the store's indexes (src/indexes.js).
 *
 * - A comparison `attr = literal` (string or numeric attribute, `$owner`,
 *   `$creator`, `$key`) and a non-negated `IN` use the hash index; `<`, `<=`,
 *   `>`, `>=` with a number on an ordinary attribute use the sorted numeric
 *   index.
 * - `a && b && …`: the indexable conjunct with the fewest candidates is used,
 *   cut by the numeric ranges the other top-level conjuncts put on attributes
 *   (the key -> values index: no version is read for that), and the whole
 *   predicate is checked on each remaining candidate.
 * - `a = v && !b` (an equality, or a union of them, with an absence): the
 *   entities having the equality and lacking the attribute, from their own index.
 * - `a || b || …`: the union of the children's candidates, when every child
 *   is indexable.
 * - Anything else (`!`, `!=`, globs, presence, `$expiration`, `$sequence`,
 *   string ranges, `$all`) scans every retained entity.
 *
 * Candidates are a superset (the indexes hold every retained version); the
 * visible version of each is checked with the compiled predicate, so results
 * are exactly those of a scan, at the current block and at past ones.
 *
 * Ordering by a numeric attribute (`orderBy[0]`, type numeric, with
 * `resultsPerPage`) walks that attribute's sorted index from the cursor, so a
 * page costs about what it returns (plus what the filter rejects); entities
 * without the attribute come last, from the filter's candidates. Comparisons
 * on that attribute among the query's top-level conjuncts (`a > 5 && …`)
 * bound the walk: it starts at the range and stops at its end, and no entity
 * without the attribute can match, so none are looked for.
 *
 * Ordering by a string attribute walks the same way through the composite
 * (equality, string attribute) index of a top-level equality of the query
 * (`type = "event_series" && spaceId = …` newest `createdAt` first); a query
 * without such an equality sorts its candidates.
 */
import { EntityIndex } from "./indexes.js"
import { attributeValue } from "./query.js"

/**
 * @typedef {{size: number, keys: () => Iterable<string>}} Plan
 */

const fixed = (keys) => ({ size: keys.length, keys: () => keys })
const fromMap = (m) => (m ? { size: m.size, keys: () => m.keys() } : fixed([]))
const indexableMeta = (attr) => attr === "$owner" || attr === "$creator"

/**
 * Candidate entity keys for a query node from the indexes, or null (scan).
 * @param {import("./store.js").Store} store
 * @param {import("./query.js").Node} node
 * @returns {Plan|null}
 */
export function plan(store, node) {
  const idx = store.index
  switch (node.kind) {
    case "cmp": {
      const { attr, op, value } = node
      if (attr === "$key") return op === "=" ? fixed(store.state.entities[value.value] ? [value.value] : []) : null
      if (attr.startsWith("$") && !indexableMeta(attr)) return null
      if (op === "=") return fromMap(idx.lookup(attr, value.type, value.value))
      if (op === "!=" || value.type !== "number" || attr.startsWith("$")) return null
      const list = idx.numeric(attr)
      if (!list) return fixed([])
      const v = value.value
      const r = op === "<" ? { hi: v, hiStrict: true } : op === "<=" ? { hi: v } : op === ">" ? { lo: v, loStrict: true } : { lo: v }
      return {
        size: list.countRange(r),
        keys: function* () {
          for (const e of list.range(r)) yield e[1]
        },
      }
    }
    case "in": {
      const { attr, negate, values } = node
      if (negate) return null
      if (attr === "$key") return fixed(values.map((l) => l.value).filter((k) => store.state.entities[k]))
      if (attr.startsWith("$") && !indexableMeta(attr)) return null
      return union(values.map((l) => fromMap(idx.lookup(attr, l.type, l.value))))
    }
    case "and": {
      let best = null
      let bestItem = null
      for (const item of node.items) {
        const p = plan(store, item)
        if (p && (best === null || p.size < best.size)) [best, bestItem] = [p, item]
      }
      if (best === null) return null
      // An equality (or a union of them) with `!attr` among the other conjuncts: the entities having the
      // equality and lacking the attribute, from their own index (entities written before it existed).
      const eqs = equalityKeys(bestItem)
      const lacking = eqs ? absentAttributes(node) : []
      if (lacking.length) {
        const maps = eqs.map((k) => idx.lacking(k, lacking[0]))
        return union(maps.map(fromMap))
      }
      const ranges = []
      for (const name of rangedAttributes(node)) {
        if (bestItem && bestItem.kind === "cmp" && bestItem.attr === name) continue
        ranges.push([name, rangeOn(node, name)])
      }
      if (!ranges.length) return best
      // An equality (or a union of them) with a numeric range among the other conjuncts: walk the
      // composite index of each equality over the narrowest range (a wallet's upcoming sessions cost
      // what they are, however many past ones it has); the other ranges cut what it yields.
      if (eqs) {
        let pick = null
        for (const [name, r] of ranges) {
          const lists = eqs.map((k) => idx.composite(k, name))
          const size = lists.reduce((n, l) => n + l.countRange(r), 0)
          if (pick === null || size < pick.size) pick = { name, r, lists, size }
        }
        const others = ranges.filter(([name]) => name !== pick.name)
        return {
          size: pick.size,
          keys: function* () {
            for (const l of pick.lists) for (const e of l.range(pick.r)) if (others.every(([name, r]) => idx.hasValueIn(name, e[1], r))) yield e[1]
          },
        }
      }
      // Otherwise the ranges cut the candidates through the key -> values index, before any version is read.
      const keys = []
      for (const k of best.keys()) if (ranges.every(([name, r]) => idx.hasValueIn(name, k, r))) keys.push(k)
      return fixed(keys)
    }
    case "or": {
      const plans = []
      for (const item of node.items) {
        const p = plan(store, item)
        if (!p) return null
        plans.push(p)
      }
      return union(plans)
    }
    default:
      return null
  }
}

/**
 * The equality index keys a node stands for, when it is an equality on an indexed name (`a = v`,
 * `$owner` / `$creator` too), a non-negated `IN`, or an `||` of those; null otherwise.
 * @returns {string[]|null}
 */
function equalityKeys(node) {
  if (!node) return null
  const indexed = (attr) => !attr.startsWith("$") || indexableMeta(attr)
  if (node.kind === "cmp") return node.op === "=" && indexed(node.attr) ? [EntityIndex.key(node.attr, node.value.type, node.value.value)] : null
  if (node.kind === "in") return !node.negate && indexed(node.attr) ? node.values.map((l) => EntityIndex.key(node.attr, l.type, l.value)) : null
  if (node.kind === "or") {
    const out = []
    for (const item of node.items) {
      const k = equalityKeys(item)
      if (!k) return null
      out.push(...k)
    }
    return out
  }
  return null
}

/** Attributes whose absence (`!attr`) is a top-level conjunct of `node` (nested `&&` flattened). */
function absentAttributes(node) {
  const names = []
  const visit = (n) => {
    if (n.kind === "and") return n.items.forEach(visit)
    if (n.kind === "not" && n.expr.kind === "has" && !n.expr.attr.startsWith("$")) names.push(n.expr.attr)
  }
  visit(node)
  return names
}

/** Ordinary attributes compared with a number by a top-level conjunct of `node` (nested `&&` flattened). */
function rangedAttributes(node) {
  const names = new Set()
  const visit = (n) => {
    if (n.kind === "and") return n.items.forEach(visit)
    if (n.kind === "cmp" && n.value.type === "number" && !n.attr.startsWith("$") && ["<", "<=", ">", ">=", "="].includes(n.op)) names.add(n.attr)
  }
  visit(node)
  return names
}

function union(plans) {
  return {
    size: plans.reduce((a, p) => a + p.size, 0),
    keys: function* () {
      for (const p of plans) yield* p.keys()
    },
  }
}

/**
 * Entities of a snapshot matching a query, unordered.
 * @param {import("./store.js").Store} store
 * @param {object} q
 * @param {import("./query.js").Node} q.ast
 * @param {(e: {key: string, version: object}) => boolean} q.match compiled `ast`.
 * @param {number} q.block
 * @param {number} q.seq
 * @param {boolean} q.useIndex false: always scan (the reference path).
 * @param {Plan|null} [q.plan] a plan already made for `ast`.
 * @returns {{key: string, version: object}[]}
 */
export function matchingEntities(store, { ast, match, block, seq, useIndex, plan: p }) {
  const chosen = useIndex ? (p !== undefined ? p : plan(store, ast)) : null
  const keys = chosen ? new Set(chosen.keys()) : store.allKeys()
  const out = []
  for (const key of keys) {
    const version = store.versionAt(key, block, seq)
    if (!version) continue
    const e = { key, version }
    if (match(e)) out.push(e)
  }
  return out
}

/**
 * The range the top-level conjuncts of `ast` put on numeric attribute `name`
 * (nested `&&` flattened): `{lo?, loStrict?, hi?, hiStrict?}` with bigint
 * bounds, `{}` when they put none. Rows outside it cannot match.
 * @param {import("./query.js").Node} ast
 * @param {string} name
 */
export function rangeOn(ast, name) {
  const r = {}
  const visit = (n) => {
    if (n.kind === "and") return n.items.forEach(visit)
    if (n.kind !== "cmp" || n.attr !== name || n.value.type !== "number") return
    const v = n.value.value
    const raiseLo = (strict) => {
      if (r.lo === undefined || v > r.lo || (v === r.lo && strict)) Object.assign(r, { lo: v, loStrict: strict })
    }
    const lowerHi = (strict) => {
      if (r.hi === undefined || v < r.hi || (v === r.hi && strict)) Object.assign(r, { hi: v, hiStrict: strict })
    }
    if (n.op === ">" || n.op === ">=") raiseLo(n.op === ">")
    else if (n.op === "<" || n.op === "<=") lowerHi(n.op === "<")
    else if (n.op === "=") {
      raiseLo(false)
      lowerHi(false)
    }
  }
  visit(ast)
  return r
}

/**
 * Rows in `orderBy` order after the cursor, walking the sorted index of
 * `orderBy[0]` (a numeric, non-meta attribute).
 * @param {import("./store.js").Store} store
 * @param {object} q
 * @param {{name: string, type: string, desc: boolean}[]} q.orderBy
 * @param {(e: object, orderBy: object[]) => any[]} q.sortKey
 * @param {(a: any[], b: any[]) => number} q.cmp sort key comparison.
 * @param {any[]|null} q.after sort key of the cursor (rows <= it are skipped).
 * @param {() => {key: string, version: object}[]} q.filtered all matching entities
 *   (used only for those without the attribute, after the indexed ones).
 * @param {(e: object) => boolean} q.match
 * @param {number} q.block
 * @param {number} q.seq
 * @param {{lo?: bigint, hi?: bigint}} [q.range] rangeOn(query, orderBy[0].name): where the walk starts and stops.
 * @param {import("./indexes.js").SortedList} [q.list] the sorted list to walk instead of the attribute's
 *   own: a composite index of a top-level equality of the query ({@link walkList}).
 * @returns {Generator<{e: object, sk: any[]}>}
 */
export function* orderedByIndex(store, { orderBy, sortKey, cmp, after, filtered, match, block, seq, range = {}, list: through }) {
  const o = orderBy[0]
  const list = through !== undefined ? through : o.type === "number" ? store.index.numeric(o.name) : undefined
  const past = (row) => after === null || cmp(row.sk, after) > 0
  const bounded = range.lo !== undefined || range.hi !== undefined
  if (list && !(after && after[0] === null)) {
    const at = after ? (o.type === "number" ? BigInt(after[0][1]) : after[0][1]) : undefined
    // Ascending: from the later of the cursor and the range's start, up to its end; descending: from the
    // earlier of the cursor and the range's end, down to its start (string orderings have no range).
    // Equal values are all visited (the cursor compares the whole sort key); the filter applies strictness.
    const lo = o.desc ? range.lo : at === undefined ? range.lo : range.lo === undefined || at > range.lo ? at : range.lo
    const hi = !o.desc ? range.hi : at === undefined ? range.hi : range.hi === undefined || at < range.hi ? at : range.hi
    const it = o.desc ? list.descending(hi) : list.range({ ...(lo === undefined ? {} : { lo }), ...(hi === undefined ? {} : { hi }) })
    let group = []
    let gv
    const flush = function* () {
      group.sort((a, b) => cmp(a.sk, b.sk))
      for (const row of group) if (past(row)) yield row
      group = []
    }
    for (const [v, key] of it) {
      if (o.desc && lo !== undefined && v < lo) break
      if (v !== gv) {
        yield* flush()
        gv = v
      }
      const version = store.versionAt(key, block, seq)
      if (!version) continue
      const e = { key, version }
      if (attributeValue(e, o.name, o.type) !== v || !match(e)) continue
      group.push({ e, sk: sortKey(e, orderBy) })
    }
    yield* flush()
  }
  // Entities without the attribute cannot satisfy a comparison on it.
  if (bounded) return
  const rest = filtered()
    .filter((e) => attributeValue(e, o.name, o.type) === undefined)
    .map((e) => ({ e, sk: sortKey(e, orderBy) }))
    .sort((a, b) => cmp(a.sk, b.sk))
  for (const row of rest) if (past(row)) yield row
}

/**
 * The sorted list an ordered walk by numeric attribute `name` goes through: the composite index of the
 * top-level equality conjunct of `ast` with the fewest entities and `name` (`type = "virtual_gathering"
 * && … orderBy startsAtSec` passes gatherings only, not every entity with a start time), or the
 * attribute's own list when the query has no such conjunct.
 * @param {import("./store.js").Store} store
 * @param {import("./query.js").Node} ast
 * @param {string} name
 * @returns {import("./indexes.js").SortedList|undefined}
 */
export function walkList(store, ast, name, type = "number") {
  let best = null
  const visit = (n) => {
    if (n.kind === "and") return n.items.forEach(visit)
    const k = n.kind === "cmp" ? equalityKeys(n) : null
    if (!k) return
    const size = store.index.eq.get(k[0])?.size ?? 0
    if (best === null || size < best.size) best = { k: k[0], size }
  }
  visit(ast)
  if (type === "string") return best ? store.index.compositeString(best.k, name) : undefined
  return best ? store.index.composite(best.k, name) : store.index.numeric(name)
}

/**
 * Whether {@link orderedByIndex} can order by these orderBy terms: the first is an ordinary attribute
 * (numeric, or string when the query has a top-level equality to walk through: {@link walkList}), and
 * the cursor, if any, holds a value of its type or none.
 * @param {{name: string, type: string}[]} orderBy
 * @param {any[]|null} after cursor sort key.
 * @returns {boolean}
 */
export function canWalkIndex(orderBy, after) {
  if (!orderBy.length || orderBy[0].name.startsWith("$")) return false
  const tag = orderBy[0].type === "number" ? "n" : orderBy[0].type === "string" ? "s" : null
  if (tag === null) return false
  return !after || after[0] === null || after[0][0] === tag
}

/**
 * Rows in creation order (the order of a query without orderBy) after the
 * cursor, walking the store's creation-ordered entity list: a page costs what
 * it returns plus what the filter rejects. Only when `store.creationOrdered`.
 * @param {import("./store.js").Store} store
 * @param {object} q
 * @param {any[]|null} q.after cursor sort key ([block, tx, op, key]).
 * @param {(e: object) => boolean} q.match
 * @param {number} q.block
 * @param {number} q.seq
 * @param {(e: object, orderBy: object[]) => any[]} q.sortKey
 * @returns {Generator<{e: object, sk: any[]}>}
 */
export function* inCreationOrder(store, { after, match, block, seq, sortKey }) {
  const list = store.created
  let i = 0
  if (after) {
    const [b, t, o] = after.slice(0, 3).map((x) => Number(x[1]))
    const k = after[3][1]
    const cmp = (e) => e.b - b || e.t - t || e.o - o || (e.k < k ? -1 : e.k > k ? 1 : 0)
    let lo = 0
    let hi = list.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cmp(list[mid]) <= 0) lo = mid + 1
      else hi = mid
    }
    i = lo
  }
  for (; i < list.length; i++) {
    const key = list[i].k
    const version = store.versionAt(key, block, seq)
    if (!version) continue
    const e = { key, version }
    if (match(e)) yield { e, sk: sortKey(e, []) }
  }
}

/**
 * Whether {@link inCreationOrder} can produce the order of a query.
 * @param {import("./store.js").Store} store
 * @param {object[]} orderBy
 * @param {any[]|null} after cursor sort key.
 * @returns {boolean}
 */
export function canWalkCreation(store, orderBy, after) {
  if (orderBy.length || !store.creationOrdered) return false
  if (!after) return true
  return (
    after.length === 4 &&
    after.slice(0, 3).every((x) => x && x[0] === "n" && Number.isSafeInteger(Number(x[1]))) &&
    after[3] !== null &&
    after[3][0] === "s" &&
    /^[\x00-\x7f]*$/.test(after[3][1])
  )
}
