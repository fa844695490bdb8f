// End-to-end tests of the development Arkiv node (tools/arkiv-node), driven by
// the real @arkiv-network/sdk 0.6.8 clients.
import assert from "node:assert/strict"
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { after, before, describe, test } from "node:test"
import {
  concat,
  createPublicClient,
  createWalletClient,
  EntityMutationError,
  http,
  keccak256,
  NoEntityFoundError,
  numberToHex,
  toHex,
} from "@arkiv-network/sdk"
import { privateKeyToAccount } from "@arkiv-network/sdk/accounts"
import { localhost } from "@arkiv-network/sdk/chains"
import { and, asc, desc, eq, gt, gte, lt, lte, neq, or } from "@arkiv-network/sdk/query"
import { jsonToPayload } from "@arkiv-network/sdk/utils"
import { startArkivNode } from "../../tools/arkiv-node/src/index.js"

const BLOCK_MS = 50
const ARKIV_ADDRESS = "0x00000000000000000000000000000061726b6976"
const CREATED_TOPIC = keccak256(toHex("ArkivEntityCreated(uint256,address,uint256,uint256)"))

// Well-known development keys (anvil/hardhat accounts 1-3); the node holds no keys.
const alice = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")
const bob = privateKeyToAccount("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a")
const carol = privateKeyToAccount("0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6")

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const decode = (bytes) => JSON.parse(new TextDecoder().decode(bytes))
const attr = (entity, key) => entity.attributes.find((a) => a.key === key)?.value

let dir
let statePath
let node
let pub
let walletA
let walletB
let walletC

/** SDK clients for a node URL; the `localhost` chain (id 1337) with the URL swapped in. */
function clients(url) {
  const chain = { ...localhost, rpcUrls: { default: { http: [url] } } }
  const transport = () => http(url)
  return {
    pub: createPublicClient({ chain, transport: transport() }),
    walletA: createWalletClient({ chain, transport: transport(), account: alice }),
    walletB: createWalletClient({ chain, transport: transport(), account: bob }),
    walletC: createWalletClient({ chain, transport: transport(), account: carol }),
  }
}

async function start() {
  node = await startArkivNode({ port: 0, statePath, blockTimeMs: BLOCK_MS, log: () => {} })
  ;({ pub, walletA, walletB, walletC } = clients(node.url))
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "arkiv-node-test-"))
  statePath = path.join(dir, "state.json")
  await start()
})

after(async () => {
  await node?.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

function entityInput(attributes, payload = { hello: "world" }, expiresIn = 3600) {
  return { payload: jsonToPayload(payload), contentType: "application/json", attributes, expiresIn }
}

describe("createEntity and getEntity", () => {
  test("returns the key the node derives, a receipt in the SDK's shape, and the stored entity", async () => {
    const payload = jsonToPayload({ title: "first" })
    const { entityKey, txHash } = await walletA.createEntity({
      payload,
      contentType: "application/json",
      attributes: [
        { key: "type", value: "create_test" },
        { key: "count", value: 42 },
        { key: "zero", value: 0 },
      ],
      expiresIn: 101,
    })
    assert.match(entityKey, /^0x[0-9a-f]{64}$/)
    assert.match(txHash, /^0x[0-9a-f]{64}$/)
    // arkiv-op-geth's key derivation: keccak256(txHash ++ payload ++ uint256(opIndex)).
    assert.equal(entityKey, keccak256(concat([txHash, toHex(payload), numberToHex(0, { size: 32 })])))

    const receipt = await pub.getTransactionReceipt({ hash: txHash })
    assert.equal(receipt.status, "success")
    assert.equal(receipt.from, alice.address.toLowerCase())
    assert.equal(receipt.to, ARKIV_ADDRESS)
    assert.equal(receipt.logs.length, 1)
    assert.equal(receipt.logs[0].address, ARKIV_ADDRESS)
    assert.equal(receipt.logs[0].topics[0], CREATED_TOPIC)
    assert.equal(receipt.logs[0].topics[1], entityKey)
    assert.equal(receipt.logs[0].topics[2], `0x${alice.address.slice(2).toLowerCase().padStart(64, "0")}`)

    const tx = await pub.getTransaction({ hash: txHash })
    assert.equal(tx.from, alice.address.toLowerCase())
    assert.equal(tx.blockNumber, receipt.blockNumber)

    const e = await pub.getEntity(entityKey)
    assert.equal(e.key, entityKey)
    assert.deepEqual(decode(e.payload), { title: "first" })
    assert.equal(e.contentType, "application/json")
    assert.equal(e.owner, alice.address.toLowerCase())
    assert.equal(e.creator, alice.address.toLowerCase())
    assert.equal(e.createdAtBlock, receipt.blockNumber)
    // expiresIn 101 s -> ceil(101 / 2) = 51 blocks.
    assert.equal(e.expiresAtBlock, receipt.blockNumber + 51n)
    assert.deepEqual(e.attributes, [
      { key: "type", value: "create_test" },
      { key: "count", value: 42 },
      { key: "zero", value: 0 },
    ])
  })

  test("getEntity of an unknown key throws NoEntityFoundError", async () => {
    await assert.rejects(pub.getEntity(`0x${"ab".repeat(32)}`), NoEntityFoundError)
  })
})

describe("queries", () => {
  const keys = []
  before(async () => {
    const { createdEntities } = await walletA.mutateEntities({
      creates: Array.from({ length: 10 }, (_, n) =>
        entityInput(
          [
            { key: "type", value: "query_test" },
            { key: "n", value: n },
            { key: "color", value: n % 2 ? "red" : "blue" },
            { key: "label", value: `item-${n}` },
          ],
          { n },
        ),
      ),
    })
    keys.push(...createdEntities)
    assert.equal(keys.length, 10)
  })

  const ns = (entities) => entities.map((e) => attr(e, "n"))
  const run = async (predicates) =>
    ns((await pub.buildQuery().where([eq("type", "query_test"), ...predicates]).withAttributes(true).fetch()).entities)

  test("eq on a string attribute, in creation order", async () => {
    assert.deepEqual(await run([]), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    assert.deepEqual(await run([eq("color", "red")]), [1, 3, 5, 7, 9])
    assert.deepEqual(await run([eq("label", "item-4")]), [4])
  })

  test("numeric comparisons compare integers", async () => {
    assert.deepEqual(await run([gt("n", 7)]), [8, 9])
    assert.deepEqual(await run([gte("n", 7)]), [7, 8, 9])
    assert.deepEqual(await run([lt("n", 2)]), [0, 1])
    assert.deepEqual(await run([lte("n", 2)]), [0, 1, 2])
    assert.deepEqual(await run([neq("n", 0), lt("n", 3)]), [1, 2])
    assert.deepEqual(await run([eq("n", 0)]), [0])
    // A string literal never matches a numeric attribute.
    assert.deepEqual(await run([eq("n", "3")]), [])
  })

  test("|| and && with parentheses", async () => {
    assert.deepEqual(await run([or([eq("n", 1), eq("n", 8)])]), [1, 8])
    assert.deepEqual(await run([or([and([eq("color", "blue"), gt("n", 5)]), eq("n", 1)])]), [1, 6, 8])
    assert.deepEqual(await run([and([gte("n", 3), lte("n", 5)]), neq("color", "red")]), [4])
  })

  test("raw query strings: $owner, $key, glob, IN, NOT and $all", async () => {
    const q = async (s) => ns((await pub.query(s, { includeData: { attributes: true, payload: false } })).entities)
    assert.deepEqual(await q(`type = "query_test" && $owner = ${alice.address.toUpperCase().replace("0X", "0x")}`), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    assert.deepEqual(await q(`type = "query_test" && $owner = ${bob.address}`), [])
    assert.deepEqual(await q(`$key = ${keys[3]}`), [3])
    assert.deepEqual(await q(`type = "query_test" AND label ~ "item-[2-4]"`), [2, 3, 4])
    assert.deepEqual(await q(`type = "query_test" && n IN (1 5 9) && NOT color = "blue"`), [1, 5, 9])
    assert.deepEqual(await q(`type = "query_test" && !(n < 8)`), [8, 9])
    const all = await pub.query("$all", { includeData: { attributes: true } })
    assert.ok(all.entities.length >= 10)
  })

  test("withAttributes / withPayload / withMetadata select what comes back", async () => {
    const bare = await pub.buildQuery().where(eq("label", "item-2")).fetch()
    assert.equal(bare.entities.length, 1)
    assert.equal(bare.entities[0].key, keys[2])
    assert.deepEqual(bare.entities[0].attributes, [])
    assert.equal(bare.entities[0].payload, undefined)
    assert.equal(bare.entities[0].owner, undefined)

    const full = await pub.buildQuery().where(eq("label", "item-2")).withAttributes(true).withPayload(true).withMetadata(true).fetch()
    const e = full.entities[0]
    assert.deepEqual(decode(e.payload), { n: 2 })
    assert.deepEqual(e.attributes, [
      { key: "type", value: "query_test" },
      { key: "color", value: "blue" },
      { key: "label", value: "item-2" },
      { key: "n", value: 2 },
    ])
    assert.equal(e.owner, alice.address.toLowerCase())
    assert.equal(e.operationIndexInTransaction, 2n)
    assert.equal(typeof e.expiresAtBlock, "bigint")
  })

  test("orderBy sorts by attributes", async () => {
    const r = await pub.buildQuery().where(eq("type", "query_test")).orderBy(desc("color", "string")).orderBy(asc("n", "number")).withAttributes(true).fetch()
    assert.deepEqual(ns(r.entities), [1, 3, 5, 7, 9, 0, 2, 4, 6, 8])
  })

  test("pagination with limit and cursor walks every entity exactly once", async () => {
    const first = await pub.buildQuery().where(eq("type", "query_test")).withAttributes(true).limit(3).fetch()
    const pages = [ns(first.entities)]
    assert.ok(first.cursor)
    while (first.hasNextPage()) {
      await first.next()
      pages.push(ns(first.entities))
    }
    assert.deepEqual(pages, [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]])

    // An exactly full last page: the SDK asks once more and gets an empty page.
    const r = await pub.buildQuery().where(eq("type", "query_test")).withAttributes(true).limit(5).fetch()
    const got = [ns(r.entities)]
    while (r.hasNextPage()) {
      await r.next()
      got.push(ns(r.entities))
    }
    assert.deepEqual(got, [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], []])
  })

  test("pages stay on the first page's block even when entities change in between", async () => {
    const { createdEntities } = await walletA.mutateEntities({
      creates: [1, 2, 3, 4].map((i) => entityInput([{ key: "type", value: "paging_snapshot" }, { key: "i", value: i }])),
    })
    const r = await pub.buildQuery().where(eq("type", "paging_snapshot")).withAttributes(true).limit(2).fetch()
    assert.deepEqual(r.entities.map((e) => attr(e, "i")), [1, 2])
    await walletA.deleteEntity({ entityKey: createdEntities[2] })
    await sleep(3 * BLOCK_MS)
    await r.next()
    assert.deepEqual(r.entities.map((e) => attr(e, "i")), [3, 4])
    const now = await pub.buildQuery().where(eq("type", "paging_snapshot")).withAttributes(true).fetch()
    assert.deepEqual(now.entities.map((e) => attr(e, "i")), [1, 2, 4])
  })
})

describe("updates, deletes, extensions and ownership", () => {
  test("updateEntity: the owner replaces the entity; others are refused", async () => {
    const { entityKey } = await walletA.createEntity(entityInput([{ key: "type", value: "upd" }, { key: "v", value: 1 }], { v: 1 }))
    const before = await pub.getEntity(entityKey)
    await sleep(2 * BLOCK_MS)

    await assert.rejects(
      walletB.updateEntity({ entityKey, ...entityInput([{ key: "type", value: "hijacked" }], { v: 666 }) }),
      (err) => err instanceof EntityMutationError && /is not the owner/.test(err.message),
    )

    const res = await walletA.updateEntity({ entityKey, ...entityInput([{ key: "type", value: "upd" }, { key: "v", value: 2 }, { key: "note", value: "x" }], { v: 2 }, 20) })
    assert.equal(res.entityKey, entityKey)
    const receipt = await pub.getTransactionReceipt({ hash: res.txHash })
    const e = await pub.getEntity(entityKey)
    assert.deepEqual(decode(e.payload), { v: 2 })
    assert.deepEqual(e.attributes, [{ key: "type", value: "upd" }, { key: "note", value: "x" }, { key: "v", value: 2 }])
    assert.equal(e.owner, alice.address.toLowerCase())
    assert.equal(e.createdAtBlock, before.createdAtBlock)
    assert.equal(e.lastModifiedAtBlock, receipt.blockNumber)
    assert.ok(e.lastModifiedAtBlock > before.createdAtBlock)
    assert.equal(e.expiresAtBlock, receipt.blockNumber + 10n)
    const found = await pub.buildQuery().where(eq("type", "hijacked")).fetch()
    assert.equal(found.entities.length, 0)
  })

  test("a reverted transaction reports the node's reason", async () => {
    const { entityKey } = await walletA.createEntity(entityInput([{ key: "type", value: "revert_test" }]))
    // An explicit gas limit skips estimation, so the transaction is mined and reverts.
    await assert.rejects(
      walletB.deleteEntity({ entityKey }, { gas: 100_000n }),
      (err) => err instanceof EntityMutationError && /reverted/.test(err.message) && /is not the owner/.test(err.message),
    )
    assert.equal((await pub.getEntity(entityKey)).key, entityKey)
  })

  test("deleteEntity removes the entity; only the owner may delete", async () => {
    const { entityKey } = await walletA.createEntity(entityInput([{ key: "type", value: "del" }]))
    await assert.rejects(walletB.deleteEntity({ entityKey }), /is not the owner/)
    const res = await walletA.deleteEntity({ entityKey })
    assert.equal(res.entityKey, entityKey)
    await assert.rejects(pub.getEntity(entityKey), NoEntityFoundError)
    await assert.rejects(walletA.deleteEntity({ entityKey }), /entity not found/)
  })

  test("extendEntity adds ceil(expiresIn / 2) blocks; anyone may extend", async () => {
    const { entityKey } = await walletA.createEntity(entityInput([{ key: "type", value: "ext" }], {}, 20))
    const before = await pub.getEntity(entityKey)
    const res = await walletB.extendEntity({ entityKey, expiresIn: 99 })
    assert.equal(res.entityKey, entityKey)
    const after = await pub.getEntity(entityKey)
    assert.equal(after.expiresAtBlock, before.expiresAtBlock + 50n)
    assert.equal(after.owner, alice.address.toLowerCase())
  })

  test("mutateEntities applies several operations atomically", async () => {
    const a = await walletA.createEntity(entityInput([{ key: "type", value: "mut" }, { key: "name", value: "a" }]))
    const b = await walletA.createEntity(entityInput([{ key: "type", value: "mut" }, { key: "name", value: "b" }]))
    const c = await walletA.createEntity(entityInput([{ key: "type", value: "mut" }, { key: "name", value: "c" }], {}, 10))
    const cBefore = await pub.getEntity(c.entityKey)
    const res = await walletA.mutateEntities({
      creates: [
        entityInput([{ key: "type", value: "mut" }, { key: "name", value: "d" }]),
        entityInput([{ key: "type", value: "mut" }, { key: "name", value: "e" }]),
      ],
      updates: [{ entityKey: a.entityKey, ...entityInput([{ key: "type", value: "mut" }, { key: "name", value: "a2" }]) }],
      deletes: [{ entityKey: b.entityKey }],
      extensions: [{ entityKey: c.entityKey, expiresIn: 40 }],
    })
    assert.equal(res.createdEntities.length, 2)
    assert.deepEqual(res.updatedEntities, [a.entityKey])
    assert.deepEqual(res.deletedEntities, [b.entityKey])
    assert.deepEqual(res.extendedEntities, [c.entityKey])
    const names = (await pub.buildQuery().where(eq("type", "mut")).withAttributes(true).fetch()).entities.map((e) => attr(e, "name"))
    assert.deepEqual(names.sort(), ["a2", "c", "d", "e"])
    assert.equal((await pub.getEntity(c.entityKey)).expiresAtBlock, cBefore.expiresAtBlock + 20n)

    // One failing operation reverts the whole transaction.
    await assert.rejects(
      walletA.mutateEntities({
        creates: [entityInput([{ key: "type", value: "mut" }, { key: "name", value: "never" }])],
        deletes: [{ entityKey: b.entityKey }],
      }),
      /entity not found/,
    )
    const after = (await pub.buildQuery().where(eq("type", "mut")).withAttributes(true).fetch()).entities.map((e) => attr(e, "name"))
    assert.deepEqual(after.sort(), ["a2", "c", "d", "e"])
  })

  test("changeOwnership hands update rights to the new owner", async () => {
    const { entityKey } = await walletA.createEntity(entityInput([{ key: "type", value: "own" }]))
    await assert.rejects(walletB.changeOwnership({ entityKey, newOwner: carol.address }), /is not the owner/)
    await walletA.changeOwnership({ entityKey, newOwner: carol.address })
    const e = await pub.getEntity(entityKey)
    assert.equal(e.owner, carol.address.toLowerCase())
    assert.equal(e.creator, alice.address.toLowerCase())
    await assert.rejects(walletA.updateEntity({ entityKey, ...entityInput([{ key: "type", value: "own" }]) }), /is not the owner/)
    await walletC.updateEntity({ entityKey, ...entityInput([{ key: "type", value: "own2" }]) })
    assert.equal((await pub.buildQuery().where(eq("type", "own2")).ownedBy(carol.address).fetch()).entities.length, 1)
  })
})

describe("expiry", () => {
  test("an entity disappears after ceil(expiresIn / 2) blocks but stays visible at older blocks", async () => {
    const { entityKey, txHash } = await walletA.createEntity(entityInput([{ key: "type", value: "short_lived" }], {}, 4))
    const { blockNumber } = await pub.getTransactionReceipt({ hash: txHash })
    const e = await pub.getEntity(entityKey)
    assert.equal(e.expiresAtBlock, blockNumber + 2n)
    const deadline = Date.now() + 5000
    while ((await pub.buildQuery().where(eq("type", "short_lived")).fetch()).entities.length > 0) {
      assert.ok(Date.now() < deadline, "entity did not expire")
      await sleep(BLOCK_MS)
    }
    assert.ok((await pub.getBlockNumber({ cacheTime: 0 })) >= blockNumber + 2n)
    await assert.rejects(pub.getEntity(entityKey), NoEntityFoundError)
    await assert.rejects(walletA.extendEntity({ entityKey, expiresIn: 100 }), /entity not found/)
    const past = await pub.buildQuery().where(eq("type", "short_lived")).validAtBlock(blockNumber).fetch()
    assert.deepEqual(past.entities.map((x) => x.key), [entityKey])
  })
})

describe("events", () => {
  test("subscribeEntityEvents sees creations and expiries", async () => {
    const created = []
    const expired = []
    const errors = []
    const unsubscribe = await pub.subscribeEntityEvents(
      {
        onError: (e) => errors.push(e),
        onEntityCreated: (e) => created.push(e),
        onEntityExpired: (e) => expired.push(e),
      },
      40,
    )
    try {
      await sleep(100)
      const { entityKey } = await walletA.createEntity(entityInput([{ key: "type", value: "evt" }], {}, 2))
      const deadline = Date.now() + 5000
      while (!(created.some((e) => e.entityKey === entityKey) && expired.some((e) => e.entityKey === entityKey))) {
        assert.ok(Date.now() < deadline, "events did not arrive")
        await sleep(40)
      }
      const c = created.find((e) => e.entityKey === entityKey)
      assert.equal(c.owner.toLowerCase(), alice.address.toLowerCase())
      assert.equal(created.filter((e) => e.entityKey === entityKey).length, 1)
      assert.deepEqual(errors, [])
    } finally {
      unsubscribe()
    }
  })
})

describe("chain info", () => {
  test("getBlockTiming, getEntityCount and the block clock", async () => {
    const t = await pub.getBlockTiming()
    assert.equal(t.blockDuration, BLOCK_MS / 1000)
    assert.equal(typeof t.currentBlock, "bigint")
    assert.ok(Math.abs(t.currentBlockTime - Date.now() / 1000) < 5)
    const n1 = await pub.getBlockNumber({ cacheTime: 0 })
    await sleep(4 * BLOCK_MS)
    assert.ok((await pub.getBlockNumber({ cacheTime: 0 })) >= n1 + 2n)
    assert.equal(await pub.getChainId(), 1337)

    const count = await pub.getEntityCount()
    await walletA.createEntity(entityInput([{ key: "type", value: "count" }]))
    assert.equal(await pub.getEntityCount(), count + 1)
  })
})

describe("persistence", () => {
  test("a restart on the same state file keeps entities, nonces and the block number", async () => {
    const { entityKey } = await walletA.createEntity(entityInput([{ key: "type", value: "persist" }], { kept: true }))
    const nonce = await pub.getTransactionCount({ address: alice.address })
    const block = await pub.getBlockNumber({ cacheTime: 0 })
    await node.close()
    assert.ok(fs.existsSync(statePath))
    assert.deepEqual(fs.readdirSync(dir), ["state.json"]) // no temp files left behind

    await start()
    const e = await pub.getEntity(entityKey)
    assert.deepEqual(decode(e.payload), { kept: true })
    assert.equal(await pub.getTransactionCount({ address: alice.address }), nonce)
    assert.ok((await pub.getBlockNumber({ cacheTime: 0 })) >= block)
    const more = await walletA.createEntity(entityInput([{ key: "type", value: "persist" }]))
    assert.match(more.entityKey, /^0x[0-9a-f]{64}$/)
    assert.equal((await pub.buildQuery().where(eq("type", "persist")).fetch()).entities.length, 2)
  })
})

describe("injected clock (2 s blocks, docs/domain.md#expiry)", () => {
  test("block = floor(elapsed / 2000), expiresIn -> ceil(expiresIn / 2) blocks, block time changes keep the height", async () => {
    const t0 = 1_800_000_000_000
    let t = t0
    const file = path.join(dir, "clock-state.json")
    let n = await startArkivNode({ port: 0, statePath: file, now: () => t, log: () => {} })
    try {
      let c = clients(n.url)
      const height = () => c.pub.getBlockNumber({ cacheTime: 0 })
      assert.equal(await height(), 0n)
      t = t0 + 3 * 2000 + 1999
      assert.equal(await height(), 3n)
      const { entityKey } = await c.walletA.createEntity(entityInput([{ key: "type", value: "clocked" }], {}, 9))
      const e = await c.pub.getEntity(entityKey)
      assert.equal(e.createdAtBlock, 3n)
      assert.equal(e.expiresAtBlock, 8n) // ceil(9 / 2) = 5 blocks
      const timing = await c.pub.getBlockTiming()
      assert.deepEqual(timing, { currentBlock: 3n, currentBlockTime: Math.floor((t0 + 6000) / 1000), blockDuration: 2 })

      t = t0 + 8 * 2000 - 1
      assert.equal((await c.pub.getEntity(entityKey)).key, entityKey)
      t = t0 + 8 * 2000
      await assert.rejects(c.pub.getEntity(entityKey), NoEntityFoundError)

      // Restart with 1 s blocks: the height carries on from where it was.
      await n.close()
      n = await startArkivNode({ port: 0, statePath: file, blockTimeMs: 1000, now: () => t, log: () => {} })
      c = clients(n.url)
      assert.equal(await c.pub.getBlockNumber({ cacheTime: 0 }), 8n)
      t += 1000
      assert.equal(await c.pub.getBlockNumber({ cacheTime: 0 }), 9n)
      // A wall clock that steps back does not rewind the chain.
      t = t0
      assert.equal(await c.pub.getBlockNumber({ cacheTime: 0 }), 8n)
      const past = await c.pub.buildQuery().where(eq("type", "clocked")).validAtBlock(7n).fetch()
      assert.deepEqual(past.entities.map((x) => x.key), [entityKey])
    } finally {
      await n.close()
    }
  })
})
