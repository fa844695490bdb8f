// JSON-RPC over WebSocket and eth_subscribe on the development Arkiv node,
// driven by the real @arkiv-network/sdk 0.6.8 with viem's webSocket transport.
import assert from "node:assert/strict"
import { after, before, describe, test } from "node:test"
import { createPublicClient, createWalletClient, http, parseAbiItem, webSocket } from "@arkiv-network/sdk"
import { privateKeyToAccount } from "@arkiv-network/sdk/accounts"
import { localhost } from "@arkiv-network/sdk/chains"
import { eq } from "@arkiv-network/sdk/query"
import { jsonToPayload } from "@arkiv-network/sdk/utils"
import WebSocket from "ws"
import { startArkivNode } from "../../tools/arkiv-node/src/index.js"

const BLOCK_MS = 50
const alice = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")
const bob = privateKeyToAccount("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a")
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

let node
let wsPub
let walletA
const entity = (type, extra = []) => ({
  payload: jsonToPayload({ type }),
  contentType: "application/json",
  attributes: [{ key: "type", value: type }, ...extra],
  expiresIn: 3600,
})

/** Waits until `pred()` holds, polling every 10 ms. */
async function until(pred, what, ms = 3000) {
  const end = Date.now() + ms
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(10)
  }
}

/** A raw WebSocket client: send(obj) -> next response with that id; notifications collected. */
async function rawClient(url) {
  const ws = new WebSocket(url)
  await new Promise((resolve, reject) => {
    ws.once("open", resolve)
    ws.once("error", reject)
  })
  const messages = []
  ws.on("message", (m) => messages.push(JSON.parse(String(m))))
  return {
    ws,
    messages,
    async request(body) {
      const n = messages.length
      ws.send(typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body))
      await until(() => messages.length > n, "a response")
      return messages[n]
    },
  }
}

before(async () => {
  node = await startArkivNode({ port: 0, statePath: null, blockTimeMs: BLOCK_MS, log: () => {} })
  const chain = { ...localhost, rpcUrls: { default: { http: [node.url], webSocket: [node.wsUrl] } } }
  wsPub = createPublicClient({ chain, transport: webSocket(node.wsUrl, { reconnect: false, keepAlive: false }) })
  walletA = createWalletClient({ chain, transport: http(node.url), account: alice })
})

after(async () => {
  ;(await wsPub?.transport.getRpcClient())?.close()
  await node?.close()
})

describe("JSON-RPC over WebSocket", () => {
  test("the SDK's webSocket transport: chain id, block number, queries, getEntity", async () => {
    assert.equal(await wsPub.getChainId(), 1337)
    assert.equal(typeof (await wsPub.getBlockNumber({ cacheTime: 0 })), "bigint")
    const { entityKey } = await walletA.createEntity(entity("ws-query", [{ key: "n", value: 7 }]))
    const e = await wsPub.getEntity(entityKey)
    assert.equal(e.key, entityKey)
    const res = await wsPub.buildQuery().where(eq("type", "ws-query")).withAttributes(true).fetch()
    assert.deepEqual(res.entities.map((x) => x.key), [entityKey])
    assert.equal(await wsPub.getEntityCount(), 1)
  })

  test("single requests and batches; bad messages get JSON-RPC errors and the node keeps serving", async () => {
    const c = await rawClient(node.wsUrl)
    try {
      assert.deepEqual(await c.request({ jsonrpc: "2.0", id: 1, method: "eth_chainId" }), { jsonrpc: "2.0", id: 1, result: "0x539" })
      const batch = await c.request([
        { jsonrpc: "2.0", id: 2, method: "net_version" },
        { jsonrpc: "2.0", id: 3, method: "nope" },
      ])
      assert.equal(batch.length, 2)
      assert.equal(batch[0].result, "1337")
      assert.equal(batch[1].error.code, -32601)
      assert.equal((await c.request("{not json")).error.code, -32700)
      assert.equal((await c.request("[]")).error.code, -32600)
      assert.equal((await c.request({ jsonrpc: "2.0", id: 4, method: "eth_subscribe", params: ["pendingTransactions"] })).error.code, -32602)
      assert.equal((await c.request({ jsonrpc: "2.0", id: 5, method: "eth_subscribe", params: ["logs", "x"] })).error.code, -32602)
      assert.equal((await c.request({ jsonrpc: "2.0", id: 6, method: "arkiv_query", params: ["a ==="] })).error.code, -32602)
      assert.equal((await c.request({ jsonrpc: "2.0", id: 7, method: "eth_unsubscribe", params: ["0x1234"] })).result, false)
      assert.equal((await c.request(Buffer.from([0xff, 0xfe, 0x00]))).error.code, -32700) // a binary frame of garbage
      assert.equal((await c.request({ jsonrpc: "2.0", id: 8, method: "eth_chainId" })).result, "0x539")
      // A plain HTTP request on the same port still works.
      const res = await fetch(node.url, { method: "POST", body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId" }) })
      assert.equal((await res.json()).result, "0x539")
    } finally {
      c.ws.close()
    }
  })

  test("eth_subscribe newHeads and logs (address/topics), eth_unsubscribe, no leak on close", async () => {
    const c = await rawClient(node.wsUrl)
    const heads = (await c.request({ jsonrpc: "2.0", id: 1, method: "eth_subscribe", params: ["newHeads"] })).result
    assert.match(heads, /^0x[0-9a-f]{32}$/)
    await until(() => c.messages.filter((m) => m.params?.subscription === heads).length >= 2, "two new heads")
    const h = c.messages.find((m) => m.params?.subscription === heads)
    assert.equal(h.method, "eth_subscription")
    assert.match(h.params.result.number, /^0x[0-9a-f]+$/)
    assert.match(h.params.result.hash, /^0x[0-9a-f]{64}$/)
    assert.equal((await c.request({ jsonrpc: "2.0", id: 2, method: "eth_unsubscribe", params: [heads] })).result, true)

    const created = "0x" + (await import("viem")).keccak256(new TextEncoder().encode("ArkivEntityCreated(uint256,address,uint256,uint256)")).slice(2)
    const onlyCreates = (await c.request({ jsonrpc: "2.0", id: 3, method: "eth_subscribe", params: ["logs", { address: "0x00000000000000000000000000000061726B6976", topics: [created] }] })).result
    const otherAddress = (await c.request({ jsonrpc: "2.0", id: 4, method: "eth_subscribe", params: ["logs", { address: "0x0000000000000000000000000000000000000001" }] })).result
    const { entityKey } = await walletA.createEntity(entity("ws-logs"))
    await until(() => c.messages.some((m) => m.params?.subscription === onlyCreates), "a created log")
    const log = c.messages.find((m) => m.params?.subscription === onlyCreates).params.result
    assert.equal(log.topics[0], created)
    assert.equal(log.topics[1], entityKey)
    await walletA.deleteEntity({ entityKey })
    await sleep(100)
    assert.equal(c.messages.filter((m) => m.params?.subscription === onlyCreates).length, 1) // the delete is filtered out
    assert.equal(c.messages.filter((m) => m.params?.subscription === otherAddress).length, 0)

    const before = node.wsStats()
    assert.ok(before.clients >= 1 && before.subscriptions >= 2)
    c.ws.close()
    await until(() => node.wsStats().clients === before.clients - 1, "the socket to close")
    assert.equal(node.wsStats().subscriptions, before.subscriptions - 2)
  })

  test("subscribeEntityEvents over WebSocket: created, updated, extended, ownerChanged, deleted, promptly; unsubscribe stops them", async () => {
    const events = []
    const at = () => Date.now()
    const push = (kind) => (ev) => events.push({ kind, key: ev.entityKey, t: at() })
    const unsubscribe = await wsPub.subscribeEntityEvents({
      onEntityCreated: push("created"),
      onEntityUpdated: push("updated"),
      onEntityDeleted: push("deleted"),
      onEntityExpiresInExtended: push("extended"),
      onEntityOwnerChanged: push("ownerChanged"),
      onEntityExpired: push("expired"),
      onError: (err) => events.push({ kind: "error", err }),
    })
    // SDK 0.6.8's client method drops onEntityOwnerChanged before calling
    // subscribeEntityEvents (publicArkivActions passes the other five only), so
    // owner changes are watched with viem's watchEvent on the same transport.
    const owners = []
    const unwatch = wsPub.watchEvent({
      event: parseAbiItem("event ArkivEntityOwnerChanged(uint256 indexed entityKey, address indexed oldOwner, address indexed newOwner)"),
      onLogs: (logs) => {
        for (const l of logs) owners.push({ kind: "ownerChanged", key: l.topics[1], newOwner: l.args.newOwner, t: at() })
      },
    })
    // viem subscribes with eth_subscribe("logs") over a WebSocket transport.
    await until(() => node.wsStats().subscriptions >= 2, "the subscriptions")
    const t0 = at()
    const { entityKey } = await walletA.createEntity(entity("ws-events"))
    await until(() => events.some((e) => e.kind === "created" && e.key === entityKey), "created")
    assert.ok(events.find((e) => e.kind === "created").t - t0 < 1000)
    await walletA.updateEntity({ entityKey, ...entity("ws-events-2") })
    await walletA.extendEntity({ entityKey, expiresIn: 600 })
    await walletA.changeOwnership({ entityKey, newOwner: bob.address })
    const bobWallet = createWalletClient({ chain: { ...localhost, rpcUrls: { default: { http: [node.url] } } }, transport: http(node.url), account: bob })
    await bobWallet.deleteEntity({ entityKey })
    await until(() => events.some((e) => e.kind === "deleted"), "deleted")
    assert.deepEqual(
      events.filter((e) => e.key === entityKey).map((e) => e.kind),
      ["created", "updated", "extended", "deleted"],
    )
    await until(() => owners.length === 1, "ownerChanged")
    assert.equal(owners[0].key, entityKey)
    assert.equal(owners[0].newOwner, bob.address)
    unwatch()
    assert.ok(!events.some((e) => e.kind === "error"))

    // A short-lived entity: its ArkivEntityExpired log arrives when its expiry block starts.
    const short = await walletA.createEntity({ ...entity("ws-expiring"), expiresIn: 2 })
    await until(() => events.some((e) => e.kind === "expired" && e.key === short.entityKey), "expired", 5000)

    unsubscribe()
    await until(() => node.wsStats().subscriptions === 0, "the unsubscribe")
    const n = events.length
    await walletA.createEntity(entity("ws-after"))
    await sleep(150)
    assert.equal(events.length, n)
  })
})
