// Raw JSON-RPC tests of the development Arkiv node: malformed input, transaction
// validation, batches, CORS, the query language and the CLI.
import assert from "node:assert/strict"
import { spawn } from "node:child_process"
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { brotliCompressSync } from "node:zlib"
import { after, before, describe, test } from "node:test"
import { fileURLToPath } from "node:url"
import { parseTransaction, serializeTransaction, toHex, toRlp } from "viem"
import { privateKeyToAccount } from "viem/accounts"
import { compileQuery, parseQuery } from "../../tools/arkiv-node/src/query.js"
import { ARKIV_ADDRESS, startArkivNode } from "../../tools/arkiv-node/src/index.js"

const here = path.dirname(fileURLToPath(import.meta.url))
const account = privateKeyToAccount("0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a")

let node
let dir
let nextId = 1

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "arkiv-node-rpc-"))
  node = await startArkivNode({ port: 0, statePath: path.join(dir, "state.json"), blockTimeMs: 50, log: () => {} })
})
after(async () => {
  await node?.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

async function post(body, headers = {}) {
  const res = await fetch(node.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null }
}

async function call(method, params = []) {
  const id = nextId++
  const { json } = await post({ jsonrpc: "2.0", id, method, params })
  assert.equal(json.id, id)
  return json
}

async function result(method, params) {
  const r = await call(method, params)
  assert.equal(r.error, undefined, `${method} failed: ${JSON.stringify(r.error)}`)
  return r.result
}

/** brotli(RLP([creates, updates, deletes, extends, ownerChanges])) like the SDK. */
function calldata({ creates = [], updates = [], deletes = [], extensions = [], ownerChanges = [] }) {
  const rlp = toRlp([creates, updates, deletes, extensions, ownerChanges])
  return toHex(brotliCompressSync(Buffer.from(rlp.slice(2), "hex")))
}

function create({ btl = 100, contentType = "application/json", payload = "{}", str = [], num = [] } = {}) {
  return [toHex(btl), toHex(contentType), toHex(payload), str.map(([k, v]) => [toHex(k), toHex(v)]), num.map(([k, v]) => [toHex(k), v === 0 ? "0x" : toHex(v)])]
}

async function signed({ data = "0x", nonce, to = ARKIV_ADDRESS, chainId = 1337, gas = 5_000_000n, signer = account } = {}) {
  const n = nonce ?? Number.parseInt(await result("eth_getTransactionCount", [signer.address, "pending"]), 16)
  return signer.signTransaction({ type: "eip1559", chainId, nonce: n, to, data, gas, maxFeePerGas: 3_000_000_000n, maxPriorityFeePerGas: 1n })
}

async function assertAlive() {
  const r = await call("eth_blockNumber")
  assert.match(r.result, /^0x[0-9a-f]+$/)
}

describe("malformed requests get JSON-RPC errors and the node keeps serving", () => {
  test("bad JSON -> -32700", async () => {
    const { status, json } = await post('{"jsonrpc":"2.0","id":1,"method":')
    assert.equal(status, 200)
    assert.equal(json.error.code, -32700)
    assert.equal(json.id, null)
    await assertAlive()
  })

  test("unknown method -> -32601", async () => {
    const r = await call("eth_doesNotExist", [])
    assert.equal(r.error.code, -32601)
    await assertAlive()
  })

  test("invalid request objects -> -32600, non-array params -> -32602", async () => {
    assert.equal((await post({ id: 1, method: "eth_chainId" })).json.error.code, -32600)
    assert.equal((await post({ jsonrpc: "2.0", id: 2, method: 7 })).json.error.code, -32600)
    assert.equal((await post("42")).json.error.code, -32600)
    assert.equal((await post([])).json.error.code, -32600)
    assert.equal((await post({ jsonrpc: "2.0", id: 3, method: "eth_getBalance", params: { a: 1 } })).json.error.code, -32602)
    assert.equal((await call("eth_getBalance", ["not-an-address"])).error.code, -32602)
    assert.equal((await call("eth_getTransactionReceipt", ["0x1234"])).error.code, -32602)
    await assertAlive()
  })

  test("garbage raw transactions are rejected", async () => {
    assert.equal((await call("eth_sendRawTransaction", ["hello"])).error.code, -32602)
    assert.equal((await call("eth_sendRawTransaction", [])).error.code, -32602)
    const g = await call("eth_sendRawTransaction", ["0xdeadbeef"])
    assert.equal(g.error.code, -32000)
    assert.match(g.error.message, /undecodable|not supported|invalid/)
    await assertAlive()
  })

  test("a signature for another chain id is rejected", async () => {
    const raw = await signed({ data: calldata({ creates: [create()] }), chainId: 1 })
    const r = await call("eth_sendRawTransaction", [raw])
    assert.equal(r.error.code, -32000)
    assert.match(r.error.message, /chain id/)
  })

  test("signatures are verified: malleated, zero and altered signatures never act for the signer", async () => {
    const raw = await signed({ data: calldata({ creates: [create({ str: [["type", "tampered"]] })] }) })
    const tx = parseTransaction(raw)
    const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n
    const { r, s, yParity, v: _v, ...unsigned } = tx
    // High-s twin of a valid signature (EIP-2): recovers the same address, must be refused.
    const highS = serializeTransaction(unsigned, { r, s: toHex(N - BigInt(s), { size: 32 }), yParity: yParity ? 0 : 1 })
    const a = await call("eth_sendRawTransaction", [highS])
    assert.match(a.error.message, /invalid transaction v, r, s/)
    const zero = serializeTransaction(unsigned, { r: toHex(0n, { size: 32 }), s, yParity })
    assert.equal((await call("eth_sendRawTransaction", [zero])).error.code, -32000)
    // Altered r: recovers some other address (or nothing); never the signer.
    const fresh = privateKeyToAccount(`0x${"42".repeat(32)}`)
    const t2 = parseTransaction(await signed({ data: calldata({ creates: [create({ str: [["type", "tampered"]] })] }), signer: fresh, nonce: 0 }))
    const { r: r2, s: s2, yParity: p2, v: _v2, ...unsigned2 } = t2
    const altered = serializeTransaction(unsigned2, { r: toHex(BigInt(r2) ^ 1n, { size: 32 }), s: s2, yParity: p2 })
    const c = await call("eth_sendRawTransaction", [altered])
    if (c.result) assert.notEqual((await result("eth_getTransactionByHash", [c.result])).from, fresh.address.toLowerCase())
    assert.equal(await result("eth_getTransactionCount", [fresh.address, "latest"]), "0x0")
    const q = await result("arkiv_query", ['type = "tampered"', { includeData: { owner: true } }])
    for (const e of q.data) assert.notEqual(e.owner, fresh.address.toLowerCase())
    await assertAlive()
  })

  test("wrong nonces are rejected", async () => {
    const nonce = Number.parseInt(await result("eth_getTransactionCount", [account.address, "latest"]), 16)
    const high = await call("eth_sendRawTransaction", [await signed({ data: calldata({ creates: [create()] }), nonce: nonce + 100 })])
    assert.match(high.error.message, /nonce too high/)
    const ok = await result("eth_sendRawTransaction", [await signed({ data: calldata({ creates: [create()] }), nonce })])
    assert.match(ok, /^0x[0-9a-f]{64}$/)
    const low = await call("eth_sendRawTransaction", [await signed({ data: calldata({ creates: [create({ payload: "{\"x\":1}" })] }), nonce })])
    assert.match(low.error.message, /nonce too low/)
    assert.match((await call("eth_sendRawTransaction", [await signed({ data: calldata({ creates: [create()] }), nonce })])).error.message, /already known|nonce too low/)
  })

  test("a slightly-ahead nonce waits for the gap to fill (parallel sends with local nonces)", async () => {
    const nonce = Number.parseInt(await result("eth_getTransactionCount", [account.address, "latest"]), 16)
    const second = signed({ data: calldata({ creates: [create({ payload: '{"p":2}' })] }), nonce: nonce + 1 }).then((raw) => call("eth_sendRawTransaction", [raw]))
    await new Promise((r) => setTimeout(r, 30))
    const first = await call("eth_sendRawTransaction", [await signed({ data: calldata({ creates: [create({ payload: '{"p":1}' })] }), nonce })])
    assert.match(first.result, /^0x/)
    assert.match((await second).result, /^0x/)
    assert.equal(await result("eth_getTransactionCount", [account.address, "latest"]), `0x${(nonce + 2).toString(16)}`)
  })

  test("undecodable or invalid Arkiv calldata is rejected", async () => {
    for (const [data, why] of [
      ["0x0102030405", /brotli/],
      [toHex(brotliCompressSync(Buffer.from("not rlp at all"))), /rlp/],
      [calldata({ creates: [create({ btl: 0 })] }), /BTL is 0/],
      [calldata({ creates: [create({ contentType: "" })] }), /contentType is empty/],
      [calldata({ creates: [create({ str: [["1bad", "x"]] })] }), /invalid attribute key/],
      [calldata({ creates: [create({ str: [["a", "x"], ["a", "y"]] })] }), /duplicated/],
      [calldata({ deletes: ["0x1234"] }), /32 bytes/],
      [calldata({}), /no operations/],
    ]) {
      const r = await call("eth_sendRawTransaction", [await signed({ data })])
      assert.equal(r.error?.code, -32000, `expected a rejection for ${why}`)
      assert.match(r.error.message, /invalid arkiv transaction/)
      assert.match(r.error.message, why)
      const est = await call("eth_estimateGas", [{ from: account.address, to: ARKIV_ADDRESS, data }])
      assert.equal(est.error?.code, -32000)
    }
    await assertAlive()
  })

  test("signed transactions over 128 KiB are rejected", async () => {
    const big = toHex(new Uint8Array(130 * 1024).fill(7))
    const r = await call("eth_sendRawTransaction", [await signed({ data: big, gas: 30_000_000n })])
    assert.equal(r.error.code, -32000)
    assert.match(r.error.message, /oversized data/)
    await assertAlive()
  })

  test("bad query strings and options -> -32602", async () => {
    for (const q of ['type = "unterminated', "type = ", "(a = 1", "a = 1 b = 2", "$nope = 1", "a ? 1", '$expiration > "x"']) {
      const r = await call("arkiv_query", [q, {}])
      assert.equal(r.error?.code, -32602, q)
      assert.match(r.error.message, /invalid query/)
    }
    assert.equal((await call("arkiv_query", [42])).error.code, -32602)
    assert.equal((await call("arkiv_query", ["$all", { resultsPerPage: "lots" }])).error.code, -32602)
    assert.equal((await call("arkiv_query", ["$all", { cursor: "0xnothex" }])).error.code, -32602)
    assert.equal((await call("arkiv_query", ["$all", { orderBy: [{ name: "a", type: "date" }] }])).error.code, -32602)
    assert.equal((await call("arkiv_query", ["(".repeat(5000)])).error.code, -32602)
    const future = await call("arkiv_query", ["$all", { atBlock: "0xffffffff" }])
    assert.equal(future.error.code, -32000)
    await assertAlive()
  })

  test("oversized bodies are refused", async () => {
    const res = await fetch(node.url, { method: "POST", headers: { "content-type": "application/json" }, body: `"${"x".repeat(9 * 1024 * 1024)}"` })
    assert.equal(res.status, 413)
    await assertAlive()
  })
})

describe("JSON-RPC transport", () => {
  test("batches are answered in order, errors included; notifications get no answer", async () => {
    const { json } = await post([
      { jsonrpc: "2.0", id: "a", method: "eth_chainId" },
      { jsonrpc: "2.0", id: "b", method: "nope" },
      { jsonrpc: "2.0", method: "eth_blockNumber" },
      { jsonrpc: "2.0", id: 3, method: "net_version" },
    ])
    assert.deepEqual(json.map((r) => r.id), ["a", "b", 3])
    assert.equal(json[0].result, "0x539")
    assert.equal(json[1].error.code, -32601)
    assert.equal(json[2].result, "1337")
    const n = await post({ jsonrpc: "2.0", method: "eth_chainId" })
    assert.equal(n.status, 204)
  })

  test("CORS preflight and headers for a browser app on another port", async () => {
    const pre = await fetch(node.url, {
      method: "OPTIONS",
      headers: { Origin: "http://localhost:5173", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type" },
    })
    assert.equal(pre.status, 204)
    assert.equal(pre.headers.get("access-control-allow-origin"), "http://localhost:5173")
    assert.match(pre.headers.get("access-control-allow-methods"), /POST/)
    assert.match(pre.headers.get("access-control-allow-headers"), /content-type/)
    const r = await post({ jsonrpc: "2.0", id: 1, method: "eth_chainId" }, { Origin: "http://localhost:5173" })
    assert.equal(r.headers.get("access-control-allow-origin"), "http://localhost:5173")
  })

  test("standard chain methods answer in Ethereum shapes", async () => {
    assert.equal(await result("eth_chainId"), "0x539")
    assert.ok(BigInt(await result("eth_getBalance", [account.address, "latest"])) >= 10n ** 24n)
    const block = await result("eth_getBlockByNumber", ["latest", false])
    assert.match(block.hash, /^0x[0-9a-f]{64}$/)
    assert.ok(BigInt(block.baseFeePerGas) > 0n)
    assert.deepEqual(await result("eth_getBlockByHash", [block.hash, false]), { ...block, transactions: block.transactions })
    assert.equal(await result("eth_getBlockByNumber", ["0xffffffffff", false]), null)
    const fh = await result("eth_feeHistory", ["0x4", "latest", [50]])
    assert.equal(fh.baseFeePerGas.length, fh.gasUsedRatio.length + 1)
    assert.equal(await result("eth_getTransactionReceipt", [`0x${"00".repeat(32)}`]), null)
    assert.equal(await result("eth_call", [{ to: "0x0000000000000000000000000000000000000001", data: "0x" }, "latest"]), "0x")
  })

  test("eth_call / eth_estimateGas report why an Arkiv transaction would revert", async () => {
    const data = calldata({ deletes: [`0x${"11".repeat(32)}`] })
    const r = await call("eth_estimateGas", [{ from: account.address, to: ARKIV_ADDRESS, data }])
    assert.equal(r.error.code, 3)
    assert.match(r.error.message, /execution reverted: .*entity not found/)
    const c = await call("eth_call", [{ from: account.address, to: ARKIV_ADDRESS, data }, "latest"])
    assert.equal(c.error.code, 3)
  })

  test("raw arkiv_query: default includeData, numeric literals, cursor of a different query", async () => {
    const hash = await result("eth_sendRawTransaction", [
      await signed({ data: calldata({ creates: [1, 2, 3].map((i) => create({ payload: `{"i":${i}}`, str: [["kind", "raw"]], num: [["i", i]] })) }) }),
    ])
    const receipt = await result("eth_getTransactionReceipt", [hash])
    assert.equal(receipt.status, "0x1")
    assert.equal(receipt.logs.length, 3)
    const r = await result("arkiv_query", ['kind = "raw" && i >= 2'])
    assert.deepEqual(r.data.map((e) => e.numericAttributes), [[{ key: "i", value: 2 }], [{ key: "i", value: 3 }]])
    assert.equal(r.data[0].owner, account.address.toLowerCase())
    assert.equal(r.data[0].value, toHex('{"i":2}'))
    assert.match(r.blockNumber, /^0x/)
    assert.equal(r.cursor, undefined)
    const page = await result("arkiv_query", ['kind = "raw"', { resultsPerPage: "0x1" }])
    assert.equal(page.data.length, 1)
    assert.ok(page.cursor)
    const wrong = await call("arkiv_query", ['kind = "other"', { cursor: page.cursor }])
    assert.equal(wrong.error.code, -32602)
    assert.equal(await result("arkiv_getEntityCount") >= 3, true)
  })
})

describe("query language", () => {
  const entity = (stringAttributes, numericAttributes = [], owner = "0xabc0000000000000000000000000000000000001") => ({
    key: `0x${"ab".repeat(32)}`,
    version: {
      owner,
      creator: owner,
      expiresAt: 500,
      lastModifiedAtBlock: 7,
      txIndex: 0,
      opIndex: 0,
      stringAttributes: stringAttributes.map(([key, value]) => ({ key, value })),
      numericAttributes: numericAttributes.map(([key, value]) => ({ key, value: String(value) })),
    },
  })
  const matches = (q, e) => compileQuery(parseQuery(q))(e)

  test("strings, numbers, and attributes of the other type", () => {
    const e = entity([["name", "Ada"], ["age", "x"]], [["age", 36], ["big", 18446744073709551615n]])
    assert.ok(matches('name = "Ada"', e))
    assert.ok(!matches('name = "ada"', e))
    assert.ok(matches("age = 36", e))
    assert.ok(matches('age = "x"', e))
    assert.ok(matches("age > 9", e)) // numeric, not lexicographic
    assert.ok(matches("big = 18446744073709551615 && big > 9007199254740993", e))
    assert.ok(!matches("missing != 1", e)) // a comparison needs the attribute
    assert.ok(matches("!(missing = 1)", e))
    assert.ok(matches("!missing && name", e))
    assert.ok(matches('name < "B" && name >= "Ad"', e))
  })

  test("glob, IN, keywords, meta attributes", () => {
    const e = entity([["file", "doc_1.pdf"]], [["n", 2]])
    assert.ok(matches('file ~ "doc_*.pdf"', e))
    assert.ok(matches('file GLOB "doc_?.pdf" and not file !~ "*.pdf"', e))
    assert.ok(!matches('file ~ "DOC*"', e))
    assert.ok(matches('file NOT GLOB "*.txt"', e))
    assert.ok(matches("n IN (1, 2, 3) OR n = 9", e))
    assert.ok(matches("n NOT IN (1 3)", e))
    assert.ok(matches("$owner = 0xABC0000000000000000000000000000000000001", e))
    assert.ok(matches('$creator = "0xabc0000000000000000000000000000000000001"', e))
    assert.ok(matches("$expiration = 500 && $sequence > 0", e))
    assert.ok(matches("$all", e))
    assert.ok(matches("", e))
  })

  test("&& binds tighter than ||", () => {
    const e = entity([], [["a", 1], ["b", 0]])
    assert.ok(matches("a = 1 || b = 1 && a = 2", e))
    assert.ok(!matches("(a = 1 || b = 1) && a = 2", e))
  })
})

describe("CLI", () => {
  test("starts on --port 0, prints its URL, serves, and stops on SIGTERM", async () => {
    const state = path.join(dir, "cli-state.json")
    const child = spawn(process.execPath, [path.join(here, "../../tools/arkiv-node/bin/arkiv-node.js"), "--port", "0", "--state", state, "--block-time-ms", "100"], {
      stdio: ["ignore", "pipe", "pipe"],
    })
    try {
      const line = await new Promise((resolve, reject) => {
        let out = ""
        child.stdout.on("data", (d) => {
          out += d
          const m = /arkiv-node listening on (http:\/\/127\.0\.0\.1:\d+) \(chain 1337\)/.exec(out)
          if (m) resolve(m[1])
        })
        child.on("exit", (code) => reject(new Error(`exited with ${code}`)))
        setTimeout(() => reject(new Error("timeout")), 10_000).unref()
      })
      const res = await fetch(line, { method: "POST", body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId" }) })
      assert.equal((await res.json()).result, "0x539")
      assert.ok(fs.existsSync(state))
    } finally {
      const exited = new Promise((r) => child.on("exit", r))
      child.kill("SIGTERM")
      assert.equal(await exited, 0)
    }
  })
})
