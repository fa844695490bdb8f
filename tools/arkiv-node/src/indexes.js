/**
 * In-memory secondary indexes over the retained entity versions.
 *
 * The indexes cover every version the store still holds (current and
 * historical), reference-counted per (value, entity key), so a lookup returns
 * a superset of the entity keys whose version visible in any retained
 * snapshot has that value; the query evaluator then re-checks the whole
 * predicate on the visible version. That keeps results identical to a plain
 * scan, for current and `atBlock` snapshots alike.
 *
 * - `eq`: hash index (attribute, type, value) -> entity keys, for string and
 *   numeric attributes, `$owner` and `$creator`.
 * - `num`: per numeric attribute, a sorted list of (value, entity key), for
 *   ranges and ordering.
 * - `numOf`: per numeric attribute, entity key -> its values (any retained
 *   version), so a candidate set from another index can be cut to a range
 *   without looking at the versions.
 * - `comp`: composite indexes (equality, numeric attribute) -> sorted (value,
 *   entity key) of the versions having both, made on first use by a query that
 *   pairs them (`learnerWallet = X && endsAtSec > T`) and kept up to date from
 *   then on, so such a query costs what it returns, however many entities have
 *   the equality outside the range (a wallet's many past sessions).
 * - `compStr`: the same for (equality, string attribute), in Arkiv's string
 *   order (UTF-8 bytes, that is code points), made on first use by a query
 *   ordered by that string attribute (`type = "event_series" && …` newest
 *   `createdAt` first), so a page of it costs what it returns.
 * - `absent`: (equality, attribute name) -> entity keys with a version having
 *   the equality but not the attribute, made on first use and kept up to date:
 *   `type = "virtual_gathering" && !startsAtSec` (entities written before an
 *   attribute existed) costs what it finds, not every gathering.
 */

/** Entries per chunk of a {@link SortedList} before it is split. */
const CHUNK = 512

/**
 * Compares two strings in code point order, which is the order of their UTF-8
 * bytes (how Arkiv orders string attributes, src/query.js compareValues),
 * without encoding them: UTF-16 code units agree with it except where a
 * surrogate (U+D800..U+DFFF, half of a code point above U+FFFF) meets a unit
 * of U+E000..U+FFFF, which it must sort after.
 * @param {string} a
 * @param {string} b
 * @returns {number} negative, 0 or positive.
 */
export function compareCodePoints(a, b) {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x === y) continue
    const sx = x >= 0xd800 && x <= 0xdfff
    const sy = y >= 0xd800 && y <= 0xdfff
    if (sx !== sy && (sx ? y : x) >= 0xe000) return sx ? 1 : -1
    return x - y
  }
  return a.length - b.length
}

/** Value order of a numeric {@link SortedList}. */
const compareBigints = (a, b) => (a < b ? -1 : a > b ? 1 : 0)

/**
 * A sorted list of [value, string key] entries kept as an array of sorted
 * chunks (a flat B+-tree): insert and delete cost O(log n + CHUNK), iteration
 * from any position is sequential. Values are bigints (numeric attributes,
 * the default) or strings (`new SortedList(compareCodePoints)`).
 */
export class SortedList {
  /** @param {(a: any, b: any) => number} [compareValue] the order of the values. */
  constructor(compareValue = compareBigints) {
    /** @type {[bigint|string, string][][]} */
    this.chunks = []
    this.size = 0
    this.compareValue = compareValue
  }

  /**
   * Entry order of a numeric list: by value, then by entity key.
   * @param {[bigint, string]} a
   * @param {[bigint, string]} b
   * @returns {number}
   */
  static cmp(a, b) {
    if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1
    return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0
  }

  /** Entry order of this list: by value, then by entity key. */
  cmp(a, b) {
    if (a[0] !== b[0]) return this.compareValue(a[0], b[0])
    return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0
  }

  /** Index of the first chunk whose last entry is >= x (chunks.length if none). */
  _chunkFor(x) {
    let lo = 0
    let hi = this.chunks.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      const c = this.chunks[mid]
      if (this.cmp(c[c.length - 1], x) < 0) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** Index of the first entry of chunk `c` not below `x` (binary search). */
  firstNotBelow(c, x) {
    let lo = 0
    let hi = c.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.cmp(c[mid], x) < 0) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** @param {[bigint, string]} x */
  insert(x) {
    if (this.chunks.length === 0) {
      this.chunks.push([x])
      this.size = 1
      return
    }
    let ci = this._chunkFor(x)
    if (ci === this.chunks.length) ci--
    const c = this.chunks[ci]
    const lo = this.firstNotBelow(c, x)
    c.splice(lo, 0, x)
    this.size++
    if (c.length > 2 * CHUNK) this.chunks.splice(ci + 1, 0, c.splice(CHUNK))
  }

  /** @param {[bigint, string]} x @returns {boolean} whether it was present. */
  remove(x) {
    const ci = this._chunkFor(x)
    if (ci === this.chunks.length) return false
    const c = this.chunks[ci]
    const lo = this.firstNotBelow(c, x)
    if (lo >= c.length || this.cmp(c[lo], x) !== 0) return false
    c.splice(lo, 1)
    this.size--
    if (c.length === 0) this.chunks.splice(ci, 1)
    return true
  }

  /**
   * Position of the first entry whose value is >= v (strict: > v).
   * @param {bigint|string} v
   * @param {boolean} strict
   * @returns {{ci: number, i: number}}
   */
  lowerBound(v, strict) {
    const c0 = this.compareValue
    const before = strict ? (e) => c0(e[0], v) <= 0 : (e) => c0(e[0], v) < 0
    let lo = 0
    let hi = this.chunks.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      const c = this.chunks[mid]
      if (before(c[c.length - 1])) lo = mid + 1
      else hi = mid
    }
    if (lo === this.chunks.length) return { ci: lo, i: 0 }
    const c = this.chunks[lo]
    let a = 0
    let b = c.length
    while (a < b) {
      const mid = (a + b) >> 1
      if (before(c[mid])) a = mid + 1
      else b = mid
    }
    return { ci: lo, i: a }
  }

  /** Number of entries before a position. */
  rank(pos) {
    let n = 0
    for (let k = 0; k < pos.ci && k < this.chunks.length; k++) n += this.chunks[k].length
    return n + pos.i
  }

  /**
   * Bounds of a value range as positions [start, end).
   * @param {{lo?: bigint, loStrict?: boolean, hi?: bigint, hiStrict?: boolean}} r
   */
  bounds(r) {
    const start = r.lo === undefined ? { ci: 0, i: 0 } : this.lowerBound(r.lo, r.loStrict === true)
    const end = r.hi === undefined ? { ci: this.chunks.length, i: 0 } : this.lowerBound(r.hi, r.hiStrict !== true)
    return { start, end }
  }

  /** Number of entries in a value range. */
  countRange(r) {
    const { start, end } = this.bounds(r)
    return Math.max(0, this.rank(end) - this.rank(start))
  }

  /**
   * Entries in a value range, ascending.
   * @returns {Generator<[bigint, string]>}
   */
  *range(r) {
    const { start, end } = this.bounds(r)
    let { ci, i } = start
    while (ci < this.chunks.length && (ci < end.ci || (ci === end.ci && i < end.i))) {
      const c = this.chunks[ci]
      const stop = ci === end.ci ? end.i : c.length
      for (; i < stop; i++) yield c[i]
      ci++
      i = 0
    }
  }

  /**
   * Entries with value <= hi (all when hi is undefined), descending.
   * @param {bigint} [hi]
   * @returns {Generator<[bigint, string]>}
   */
  *descending(hi) {
    let { ci, i } = hi === undefined ? { ci: this.chunks.length, i: 0 } : this.lowerBound(hi, true)
    // Position (ci, i) is the first entry after the range; walk back from it.
    for (;;) {
      if (i === 0) {
        ci--
        if (ci < 0) return
        i = this.chunks[ci].length
      }
      i--
      yield this.chunks[ci][i]
    }
  }
}

const eqKey = (attr, type, value) => `${attr}\u0000${type}\u0000${value}`

/** Whether an entity version has attribute `attr` (string or numeric). */
const hasAttribute = (v, attr) => v.stringAttributes.some((a) => a.key === attr) || v.numericAttributes.some((a) => a.key === attr)

/** The equality index keys of one entity version. */
function eqKeysOf(v) {
  const keys = [eqKey("$owner", "string", v.owner), eqKey("$creator", "string", v.creator)]
  for (const a of v.stringAttributes) keys.push(eqKey(a.key, "string", a.value))
  for (const a of v.numericAttributes) keys.push(eqKey(a.key, "number", BigInt(a.value).toString()))
  return keys
}

/**
 * The store's secondary indexes (see the module comment).
 */
export class EntityIndex {
  constructor() {
    /** @type {Map<string, Map<string, number>>} eqKey -> entity key -> version count */
    this.eq = new Map()
    /** @type {Map<string, SortedList>} numeric attribute -> sorted (value, key) */
    this.num = new Map()
    /** @type {Map<string, number>} `${attr}\0${value}\0${key}` -> version count */
    this.numRefs = new Map()
    /** @type {Map<string, Map<string, bigint[]>>} numeric attribute -> entity key -> distinct values */
    this.numOf = new Map()
    /** @type {Map<string, Map<string, SortedList>>} eqKey -> numeric attribute -> sorted (value, key) */
    this.comp = new Map()
    /** @type {Map<string, Map<string, SortedList>>} eqKey -> string attribute -> sorted (value, key), code point order */
    this.compStr = new Map()
    /** @type {Map<string, number>} composite entry (numeric or string) -> version count */
    this.compRefs = new Map()
    /** @type {Map<string, Map<string, Map<string, number>>>} eqKey -> attribute -> entity key -> versions lacking it */
    this.absent = new Map()
    /** @type {(key: string) => object[]} the retained versions of an entity (set by the store) */
    this.versionsOf = () => []
  }

  _compAdd(k, attr, value, key, d, list) {
    const rk = `${k}\u0001${attr}\u0001${typeof value}\u0001${value}\u0001${key}`
    const n = (this.compRefs.get(rk) ?? 0) + d
    if (n > 0) {
      this.compRefs.set(rk, n)
      if (n === 1 && d > 0) list.insert([value, key])
    } else {
      this.compRefs.delete(rk)
      list.remove([value, key])
    }
  }

  /**
   * The entities with a retained version that has equality `k` (an eqKey) and lacks attribute `attr`
   * (of either type): entity key -> such versions. Built from the versions on first use.
   * @param {string} k
   * @param {string} attr
   * @returns {Map<string, number>}
   */
  lacking(k, attr) {
    return this._derived(this.absent, k, attr, () => new Map(), (m, key, v) => {
      if (!hasAttribute(v, attr)) m.set(key, (m.get(key) ?? 0) + 1)
    })
  }

  /**
   * The composite index of equality `k` (an eqKey) and numeric attribute `attr`: sorted (value,
   * entity key) over the retained versions having both. Built from the versions on first use.
   * @param {string} k
   * @param {string} attr
   * @returns {SortedList}
   */
  composite(k, attr) {
    return this._derived(this.comp, k, attr, () => new SortedList(), (list, key, v) => {
      for (const a of v.numericAttributes) if (a.key === attr) this._compAdd(k, attr, BigInt(a.value), key, 1, list)
    })
  }

  /**
   * The composite index of equality `k` (an eqKey) and string attribute `attr`: sorted (value,
   * entity key) in code point order ({@link compareCodePoints}) over the retained versions having
   * both. Built from the versions on first use.
   * @param {string} k
   * @param {string} attr
   * @returns {SortedList}
   */
  compositeString(k, attr) {
    return this._derived(this.compStr, k, attr, () => new SortedList(compareCodePoints), (list, key, v) => {
      for (const a of v.stringAttributes) if (a.key === attr) this._compAdd(k, attr, a.value, key, 1, list)
    })
  }

  /**
   * A derived index of (equality `k`, attribute `attr`) kept in `store` (eqKey -> attribute -> index):
   * the existing one, or a new one (`make()`) filled by `add(index, entityKey, version)` for every
   * retained version having the equality. Kept up to date by {@link EntityIndex#_apply} from then on.
   */
  _derived(store, k, attr, make, add) {
    let byAttr = store.get(k)
    if (!byAttr) store.set(k, (byAttr = new Map()))
    let index = byAttr.get(attr)
    if (index) return index
    byAttr.set(attr, (index = make()))
    for (const key of this.eq.get(k)?.keys() ?? []) {
      for (const v of this.versionsOf(key)) if (eqKeysOf(v).includes(k)) add(index, key, v)
    }
    return index
  }

  _eqAdd(k, key, d) {
    let m = this.eq.get(k)
    if (!m) {
      if (d < 0) return
      m = new Map()
      this.eq.set(k, m)
    }
    const n = (m.get(key) ?? 0) + d
    if (n > 0) m.set(key, n)
    else {
      m.delete(key)
      if (m.size === 0) this.eq.delete(k)
    }
  }

  _numAdd(attr, value, key, d) {
    const rk = `${attr}\u0000${value}\u0000${key}`
    const n = (this.numRefs.get(rk) ?? 0) + d
    if (n > 0) {
      this.numRefs.set(rk, n)
      if (n === 1 && d > 0) {
        let l = this.num.get(attr)
        if (!l) this.num.set(attr, (l = new SortedList()))
        l.insert([BigInt(value), key])
        let byKey = this.numOf.get(attr)
        if (!byKey) this.numOf.set(attr, (byKey = new Map()))
        const values = byKey.get(key)
        if (values) values.push(BigInt(value))
        else byKey.set(key, [BigInt(value)])
      }
    } else {
      this.numRefs.delete(rk)
      const l = this.num.get(attr)
      if (l) {
        l.remove([BigInt(value), key])
        if (l.size === 0) this.num.delete(attr)
      }
      const byKey = this.numOf.get(attr)
      const values = byKey && byKey.get(key)
      if (values) {
        const v = BigInt(value)
        const rest = values.filter((x) => x !== v)
        if (rest.length) byKey.set(key, rest)
        else {
          byKey.delete(key)
          if (byKey.size === 0) this.numOf.delete(attr)
        }
      }
    }
  }

  _apply(key, v, d) {
    const keys = eqKeysOf(v)
    for (const k of keys) this._eqAdd(k, key, d)
    for (const a of v.numericAttributes) this._numAdd(a.key, BigInt(a.value).toString(), key, d)
    if (this.absent.size) {
      for (const k of keys) {
        const byAttr = this.absent.get(k)
        if (!byAttr) continue
        for (const [attr, m] of byAttr) {
          if (hasAttribute(v, attr)) continue
          const n = (m.get(key) ?? 0) + d
          if (n > 0) m.set(key, n)
          else m.delete(key)
        }
      }
    }
    if (this.comp.size) {
      for (const k of keys) {
        const byAttr = this.comp.get(k)
        if (!byAttr) continue
        for (const a of v.numericAttributes) {
          const list = byAttr.get(a.key)
          if (list) this._compAdd(k, a.key, BigInt(a.value), key, d, list)
        }
      }
    }
    if (this.compStr.size) {
      for (const k of keys) {
        const byAttr = this.compStr.get(k)
        if (!byAttr) continue
        for (const a of v.stringAttributes) {
          const list = byAttr.get(a.key)
          if (list) this._compAdd(k, a.key, a.value, key, d, list)
        }
      }
    }
  }

  /** Indexes one retained version of an entity. */
  add(key, version) {
    this._apply(key, version, 1)
  }

  /** Drops one retained version of an entity. */
  remove(key, version) {
    this._apply(key, version, -1)
  }

  /**
   * Entity keys having (in some retained version) attribute = value.
   * @param {string} attr attribute name, `$owner` or `$creator`.
   * @param {"string"|"number"} type
   * @param {string|bigint} value
   * @returns {Map<string, number>|undefined} keys of the map are the entity keys.
   */
  lookup(attr, type, value) {
    return this.eq.get(EntityIndex.key(attr, type, value))
  }

  /** The eqKey of `attr = value` (what {@link EntityIndex#lookup} and {@link EntityIndex#composite} take). */
  static key(attr, type, value) {
    return eqKey(attr, type, type === "number" ? BigInt(value).toString() : value)
  }

  /**
   * Whether some retained version of entity `key` has numeric attribute `attr` within `r`
   * ({lo?, loStrict?, hi?, hiStrict?}, bigint bounds). False when no version has the attribute.
   * @param {string} attr
   * @param {string} key
   * @param {{lo?: bigint, loStrict?: boolean, hi?: bigint, hiStrict?: boolean}} r
   * @returns {boolean}
   */
  hasValueIn(attr, key, r) {
    const values = this.numOf.get(attr)?.get(key)
    if (!values) return false
    for (const v of values) {
      if (r.lo !== undefined && (v < r.lo || (r.loStrict && v === r.lo))) continue
      if (r.hi !== undefined && (v > r.hi || (r.hiStrict && v === r.hi))) continue
      return true
    }
    return false
  }

  /**
   * The sorted (value, key) list of a numeric attribute.
   * @param {string} attr
   * @returns {SortedList|undefined}
   */
  numeric(attr) {
    return this.num.get(attr)
  }
}
