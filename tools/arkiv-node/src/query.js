/**
 * The Arkiv query language: tokenizer, parser and evaluator.
 *
 * What @arkiv-network/sdk 0.6.8's query builder emits, plus the rest of
 * arkiv-op-geth's documented language:
 *
 *   query      := "" | expr                      (empty query = all entities)
 *   expr       := and (("||" | OR) and)*
 *   and        := unary (("&&" | AND) unary)*
 *   unary      := ("!" | NOT) unary | "(" expr ")" | "$all" | predicate
 *   predicate  := attr op literal
 *               | attr ("~" | GLOB | "!~" | NOT GLOB) string
 *               | attr (IN | NOT IN) "(" literal (","? literal)* ")"
 *               | attr                          (attribute is present; so `!attr`, the
 *                                                 SDK's not(attr), means "absent")
 *   op         := "=" | "!=" | "<" | "<=" | ">" | ">="
 *   attr       := identifier | "$owner" | "$creator" | "$key" | "$expiration" | "$sequence"
 *   literal    := "double-quoted string" (\" and \\ escapes) | unsigned integer | 0xHEX
 *
 * Keywords are case-insensitive. A string literal compares with the entity's
 * string attribute of that name, a number with its numeric attribute (uint64,
 * compared as integers); an entity without that attribute (of that type) never
 * matches a comparison, `!=` included (SQL semantics), while `!(a = 1)` does.
 * Strings compare by UTF-8 bytes. Unquoted 0x literals are strings, kept as
 * written. `$owner`, `$creator` and `$key` hold lowercase hex and the node
 * lowercases the literal of a comparison or IN with them (quoted or not), so
 * `$owner = 0xAbC…` (what the SDK's ownedBy/createdBy send: `$owner=ADDR`,
 * `$creator=ADDR`, the address as given) matches any case; ordinary attributes
 * and glob patterns are not case-folded, as on arkiv-op-geth. GLOB is SQLite's
 * (`*`, `?`, `[...]`, case-sensitive).
 */
import { RpcError, INVALID_PARAMS } from "./errors.js"

const MAX_QUERY_LENGTH = 64 * 1024
const MAX_DEPTH = 64

/** Meta attributes and their value type. */
const META = {
  $owner: "address",
  $creator: "address",
  $key: "address",
  $expiration: "number",
  $sequence: "number",
}

/**
 * @typedef {{kind: "all"} | {kind: "not", expr: Node} | {kind: "and"|"or", items: Node[]}
 *   | {kind: "cmp", attr: string, op: string, value: Literal}
 *   | {kind: "in", attr: string, negate: boolean, values: Literal[]}
 *   | {kind: "glob", attr: string, negate: boolean, pattern: string}
 *   | {kind: "has", attr: string}} Node
 * @typedef {{type: "string", value: string} | {type: "number", value: bigint}} Literal
 */

/**
 * Error in a query string; reported as JSON-RPC -32602.
 */
export class QuerySyntaxError extends RpcError {
  /**
   * @param {string} message
   * @param {number} pos 0-based character offset.
   */
  constructor(message, pos) {
    super(INVALID_PARAMS, `invalid query: ${message} at position ${pos}`)
    this.pos = pos
  }
}

const PUNCT = ["&&", "||", "!=", "!~", "<=", ">=", "==", "(", ")", "!", "=", "<", ">", "~", ","]
const KEYWORDS = new Set(["AND", "OR", "NOT", "GLOB", "IN"])

/**
 * Splits a query into tokens.
 * @param {string} src
 * @returns {{t: string, v?: any, pos: number}[]} t is "punct", "kw", "ident", "string", "number", "hex" or "eof".
 * @throws {QuerySyntaxError}
 */
export function tokenize(src) {
  const out = []
  let i = 0
  while (i < src.length) {
    const c = src[i]
    if (/\s/.test(c)) {
      i++
      continue
    }
    const pos = i
    if (c === '"') {
      let s = ""
      i++
      for (;;) {
        if (i >= src.length) throw new QuerySyntaxError("unterminated string", pos)
        const d = src[i]
        if (d === '"') {
          i++
          break
        }
        if (d === "\\") {
          const e = src[i + 1]
          if (e === '"' || e === "\\") {
            s += e
            i += 2
            continue
          }
        }
        s += d
        i++
      }
      out.push({ t: "string", v: s, pos })
      continue
    }
    if (c === "0" && (src[i + 1] === "x" || src[i + 1] === "X")) {
      const full = /^0[xX][0-9a-fA-F]*/.exec(src.slice(i))[0]
      if (full.length === 2) throw new QuerySyntaxError("empty hex literal", pos)
      i += full.length
      if (i < src.length && /[\p{L}\p{N}_]/u.test(src[i])) throw new QuerySyntaxError("invalid hex literal", pos)
      out.push({ t: "hex", v: full, pos })
      continue
    }
    if (/[0-9]/.test(c)) {
      const num = /^[0-9]+/.exec(src.slice(i))[0]
      i += num.length
      if (i < src.length && /[\p{L}\p{N}_.]/u.test(src[i])) throw new QuerySyntaxError("invalid number", pos)
      out.push({ t: "number", v: BigInt(num), pos })
      continue
    }
    const ident = /^\$?[\p{L}_][\p{L}\p{N}_]*/u.exec(src.slice(i))
    if (ident) {
      i += ident[0].length
      const up = ident[0].toUpperCase()
      if (KEYWORDS.has(up)) out.push({ t: "kw", v: up, pos })
      else out.push({ t: "ident", v: ident[0], pos })
      continue
    }
    const p = PUNCT.find((x) => src.startsWith(x, i))
    if (p) {
      i += p.length
      out.push({ t: "punct", v: p === "==" ? "=" : p, pos })
      continue
    }
    throw new QuerySyntaxError(`unexpected character ${JSON.stringify(c)}`, pos)
  }
  out.push({ t: "eof", pos: src.length })
  return out
}

/**
 * Parses a query string.
 * @param {unknown} src the query.
 * @returns {Node}
 * @throws {QuerySyntaxError|RpcError}
 */
export function parseQuery(src) {
  if (typeof src !== "string") throw new RpcError(INVALID_PARAMS, "invalid query: must be a string")
  if (src.length > MAX_QUERY_LENGTH) throw new QuerySyntaxError("query too long", MAX_QUERY_LENGTH)
  const toks = tokenize(src)
  let k = 0
  const peek = () => toks[k]
  const next = () => toks[k++]
  const isP = (v) => peek().t === "punct" && peek().v === v
  const isK = (v) => peek().t === "kw" && peek().v === v
  const expect = (v) => {
    if (!isP(v)) throw new QuerySyntaxError(`expected ${JSON.stringify(v)}, found ${describe(peek())}`, peek().pos)
    next()
  }

  if (peek().t === "eof") return { kind: "all" }

  const parseOr = (depth) => {
    const items = [parseAnd(depth)]
    while (isP("||") || isK("OR")) {
      next()
      items.push(parseAnd(depth))
    }
    return items.length === 1 ? items[0] : { kind: "or", items }
  }
  const parseAnd = (depth) => {
    const items = [parseUnary(depth)]
    while (isP("&&") || isK("AND")) {
      next()
      items.push(parseUnary(depth))
    }
    return items.length === 1 ? items[0] : { kind: "and", items }
  }
  const parseUnary = (depth) => {
    if (depth > MAX_DEPTH) throw new QuerySyntaxError("query nested too deeply", peek().pos)
    if (isP("!") || isK("NOT")) {
      next()
      return { kind: "not", expr: parseUnary(depth + 1) }
    }
    if (isP("(")) {
      next()
      const e = parseOr(depth + 1)
      expect(")")
      return e
    }
    const tok = peek()
    if (tok.t !== "ident") throw new QuerySyntaxError(`expected an attribute, "(" or "!", found ${describe(tok)}`, tok.pos)
    next()
    if (tok.v === "$all") return { kind: "all" }
    const attr = tok.v
    if (attr.startsWith("$") && !(attr in META)) throw new QuerySyntaxError(`unknown meta attribute ${attr}`, tok.pos)
    const opTok = peek()
    if (opTok.t === "punct" && ["=", "!=", "<", "<=", ">", ">="].includes(opTok.v)) {
      next()
      const value = literal(attr)
      return { kind: "cmp", attr, op: opTok.v, value }
    }
    if ((opTok.t === "punct" && (opTok.v === "~" || opTok.v === "!~")) || isK("GLOB") || (isK("NOT") && toks[k + 1]?.t === "kw" && toks[k + 1].v === "GLOB")) {
      let negate = opTok.v === "!~"
      if (isK("NOT")) {
        next()
        negate = true
      }
      next()
      // arkiv-op-geth does not fold the case of glob patterns, $owner's included.
      const lit = literal(attr, false)
      if (lit.type !== "string") throw new QuerySyntaxError("a glob pattern must be a string", opTok.pos)
      return { kind: "glob", attr, negate, pattern: lit.value }
    }
    if (isK("IN") || (isK("NOT") && toks[k + 1]?.t === "kw" && toks[k + 1].v === "IN")) {
      let negate = false
      if (isK("NOT")) {
        next()
        negate = true
      }
      next()
      expect("(")
      const values = []
      while (!isP(")")) {
        if (values.length && isP(",")) next()
        values.push(literal(attr))
      }
      next()
      if (values.length === 0) throw new QuerySyntaxError("empty IN list", opTok.pos)
      if (new Set(values.map((v) => v.type)).size > 1) throw new QuerySyntaxError("IN list mixes strings and numbers", opTok.pos)
      return { kind: "in", attr, negate, values }
    }
    if (attr.startsWith("$")) throw new QuerySyntaxError(`expected an operator after ${attr}, found ${describe(opTok)}`, opTok.pos)
    return { kind: "has", attr }
  }
  const literal = (attr, foldAddress = true) => {
    const tok = next()
    let lit
    if (tok.t === "string") lit = { type: "string", value: tok.v }
    else if (tok.t === "hex") lit = { type: "string", value: tok.v }
    else if (tok.t === "number") {
      if (tok.v >= 1n << 64n) throw new QuerySyntaxError("number larger than uint64", tok.pos)
      lit = { type: "number", value: tok.v }
    } else throw new QuerySyntaxError(`expected a value, found ${describe(tok)}`, tok.pos)
    const meta = META[attr]
    if (meta === "number" && lit.type !== "number") throw new QuerySyntaxError(`${attr} compares with numbers`, tok.pos)
    if (meta === "address" && lit.type !== "string") throw new QuerySyntaxError(`${attr} compares with 0x hex values`, tok.pos)
    if (meta === "address" && foldAddress) lit.value = lit.value.toLowerCase()
    return lit
  }

  const ast = parseOr(0)
  if (peek().t !== "eof") throw new QuerySyntaxError(`unexpected ${describe(peek())}`, peek().pos)
  return ast
}

function describe(tok) {
  if (tok.t === "eof") return "end of query"
  if (tok.t === "string") return `string ${JSON.stringify(tok.v)}`
  return JSON.stringify(String(tok.v))
}

/**
 * The view of an entity the evaluator needs.
 * @typedef {object} QueryEntity
 * @property {string} key lowercase 0x + 64 hex.
 * @property {import("./store.js").EntityVersion} version
 */

const attrCache = new WeakMap()
function attrsOf(version) {
  let a = attrCache.get(version)
  if (!a) {
    a = {
      str: new Map(version.stringAttributes.map(({ key, value }) => [key, value])),
      num: new Map(version.numericAttributes.map(({ key, value }) => [key, BigInt(value)])),
    }
    attrCache.set(version, a)
  }
  return a
}

/**
 * `$sequence` of an entity version: its creation position,
 * `block << 32 | txIndex << 16 | opIndex` of the create, kept across updates
 * (as arkiv-op-geth's query store sets it). Versions without the created*
 * fields fall back to the last-modification ones.
 * @param {import("./store.js").EntityVersion} v
 * @returns {bigint}
 */
export function sequenceOf(v) {
  const block = v.createdAtBlock ?? v.lastModifiedAtBlock
  const tx = v.createdTxIndex ?? v.txIndex
  const op = v.createdOpIndex ?? v.opIndex
  return (BigInt(block) << 32n) | (BigInt(tx) << 16n) | BigInt(op)
}

/**
 * Value of an attribute of an entity, for a literal type.
 * @param {QueryEntity} e
 * @param {string} attr attribute or meta attribute name.
 * @param {"string"|"number"} type
 * @returns {string|bigint|undefined} undefined when the entity has no such attribute.
 */
export function attributeValue(e, attr, type) {
  switch (attr) {
    case "$owner":
      return e.version.owner
    case "$creator":
      return e.version.creator
    case "$key":
      return e.key
    case "$expiration":
      return BigInt(e.version.expiresAt)
    case "$sequence":
      return sequenceOf(e.version)
  }
  const a = attrsOf(e.version)
  return type === "number" ? a.num.get(attr) : a.str.get(attr)
}

/**
 * Compares two attribute values of the same type.
 * @param {string|bigint} a
 * @param {string|bigint} b
 * @returns {number} negative, 0 or positive.
 */
export function compareValues(a, b) {
  if (typeof a === "bigint") return a < b ? -1 : a > b ? 1 : 0
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"))
}

/**
 * Converts an SQLite GLOB pattern to a RegExp.
 * @param {string} pattern
 * @returns {RegExp}
 */
export function globToRegExp(pattern) {
  let re = ""
  const chars = [...pattern]
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]
    if (c === "*") re += "[\\s\\S]*"
    else if (c === "?") re += "[\\s\\S]"
    else if (c === "[") {
      let j = i + 1
      let neg = false
      if (chars[j] === "^") {
        neg = true
        j++
      }
      let body = ""
      if (chars[j] === "]") {
        body += "\\]"
        j++
      }
      while (j < chars.length && chars[j] !== "]") {
        const d = chars[j]
        if (d === "-" && body && chars[j + 1] !== undefined && chars[j + 1] !== "]") body += "-"
        else body += d.replace(/[\\\]^[-]/g, "\\$&")
        j++
      }
      if (j >= chars.length) {
        re += "\\["
        continue
      }
      re += `[${neg ? "^" : ""}${body}]`
      i = j
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")
  }
  return new RegExp(`^${re}$`, "u")
}

/**
 * Compiles a parsed query into a predicate.
 * @param {Node} node
 * @returns {(e: QueryEntity) => boolean}
 */
export function compileQuery(node) {
  switch (node.kind) {
    case "all":
      return () => true
    case "not": {
      const f = compileQuery(node.expr)
      return (e) => !f(e)
    }
    case "and": {
      const fs = node.items.map(compileQuery)
      return (e) => fs.every((f) => f(e))
    }
    case "or": {
      const fs = node.items.map(compileQuery)
      return (e) => fs.some((f) => f(e))
    }
    case "has":
      return (e) => {
        const a = attrsOf(e.version)
        return a.str.has(node.attr) || a.num.has(node.attr)
      }
    case "cmp": {
      const { attr, op, value } = node
      const test = {
        "=": (c) => c === 0,
        "!=": (c) => c !== 0,
        "<": (c) => c < 0,
        "<=": (c) => c <= 0,
        ">": (c) => c > 0,
        ">=": (c) => c >= 0,
      }[op]
      return (e) => {
        const v = attributeValue(e, attr, value.type)
        return v !== undefined && test(compareValues(v, value.value))
      }
    }
    case "in": {
      const { attr, negate, values } = node
      const type = values[0].type
      return (e) => {
        const v = attributeValue(e, attr, type)
        if (v === undefined) return false
        const found = values.some((l) => compareValues(v, l.value) === 0)
        return negate ? !found : found
      }
    }
    case "glob": {
      const re = globToRegExp(node.pattern)
      const { attr, negate } = node
      return (e) => {
        const v = attributeValue(e, attr, "string")
        if (v === undefined) return false
        return re.test(v) !== negate
      }
    }
    default:
      throw new Error(`unknown query node ${node.kind}`)
  }
}
