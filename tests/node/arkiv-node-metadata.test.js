// Signer metadata and chain position on the development Arkiv node
// (tools/arkiv-node), through the real @arkiv-network/sdk 0.6.8 clients:
// creator / owner, createdBy / ownedBy ($creator / $owner), ownership change,
// createdAtBlock / lastModifiedAtBlock / transactionIndexInBlock /
// operationIndexInTransaction, with three signing wallets.
import assert from "node:assert/strict"
import { after, before, describe, test } from "node:test"
import { createPublicClient, createWalletClient, EntityMutationError, http, keccak256, toHex } from "@arkiv-network/sdk"
import { privateKeyToAccount } from "@arkiv-network/sdk/accounts"
import { localhost } from "@arkiv-network/sdk/chains"
import { eq, or } from "@arkiv-network/sdk/query"
import { jsonToPayload } from "@arkiv-network/sdk/utils"
import { startArkivNode } from "../../tools/arkiv-node/src/index.js"

const BLOCK_MS = 50
const OWNER_CHANGED_TOPIC = keccak256(toHex("ArkivEntityOwnerChanged(uint256,address,address)"))

// Well-known development keys (anvil/hardhat accounts 1-4); the node holds no keys.
const alice = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")
const bob = privateKeyToAccount("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a")
const carol = privateKeyToAccount("0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6")
const dave = privateKeyToAccount("0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a")

// The addresses as the node returns them, and as viem gives them (EIP-55 mixed case).
const A = alice.address.toLowerCase()
const B = bob.address.toLowerCase()
const C = carol.address.toLowerCase()
const D = dave.address.toLowerCase()
const upperHex = (addr) => `0x${addr.slice(2).toUpperCase()}`

const attr = (entity, key) => entity.attributes.find((a) => a.key === key)?.value
const decode = (bytes) => JSON.parse(new TextDecoder().decode(bytes))
const notOwner = (err) => err instanceof EntityMutationError && /is not the owner/.test(err.message)

function entityInput(attributes, payload = {}, expiresIn = 3600) {
  return { payload: jsonToPayload(payload), contentType: "application/json", attributes, expiresIn }
}

/**
 * SDK clients for a node. `pub` records the body of every arkiv_query it sends
 * in `sent`, so tests can check the exact query string the SDK builds.
 */
function clients(url) {
  const chain = { ...localhost, rpcUrls: { default: { http: [url] } } }
  const sent = []
  const pub = createPublicClient({
    chain,
    transport: http(url, {
      onFetchRequest: async (request) => {
        const body = JSON.parse(await request.clone().text())
        for (const m of Array.isArray(body) ? body : [body]) if (m.method === "arkiv_query") sent.push(m.params)
      },
    }),
  })
  const wallet = (account) => createWalletClient({ chain, transport: http(url), account })
  return { pub, sent, alice: wallet(alice), bob: wallet(bob), carol: wallet(carol), dave: wallet(dave) }
}

/** (lastModifiedAtBlock, transactionIndexInBlock, operationIndexInTransaction) order; BigInt fields. */
function compareChainPosition(x, y) {
  for (const k of ["lastModifiedAtBlock", "transactionIndexInBlock", "operationIndexInTransaction"]) {
    if (x[k] !== y[k]) return x[k] < y[k] ? -1 : 1
  }
  return 0
}

const position = (e) => ({
  createdAtBlock: e.createdAtBlock,
  lastModifiedAtBlock: e.lastModifiedAtBlock,
  transactionIndexInBlock: e.transactionIndexInBlock,
  operationIndexInTransaction: e.operationIndexInTransaction,
})

describe("metadata with the wall clock (50 ms blocks)", () => {
  let node
  let c

  before(async () => {
    node = await startArkivNode({ port: 0, statePath: null, blockTimeMs: BLOCK_MS, log: () => {} })
    c = clients(node.url)
  })
  after(async () => {
    await node?.close()
  })

  test("withMetadata(true): every field, its type and exact value; without it none", async () => {
    const { entityKey, txHash } = await c.bob.createEntity(
      entityInput([{ key: "type", value: "meta_fields" }, { key: "n", value: 7 }], { hello: "metadata" }, 101),
    )
    const receipt = await c.pub.getTransactionReceipt({ hash: txHash })
    const block = receipt.blockNumber

    const { entities } = await c.pub.buildQuery().where(eq("type", "meta_fields")).withMetadata(true).fetch()
    assert.equal(entities.length, 1)
    const e = entities[0]
    assert.equal(e.key, entityKey)
    assert.equal(e.contentType, "application/json")
    assert.equal(e.owner, B)
    assert.equal(e.creator, B)
    assert.notEqual(e.owner, bob.address) // lowercase, not EIP-55
    for (const k of ["expiresAtBlock", "createdAtBlock", "lastModifiedAtBlock", "transactionIndexInBlock", "operationIndexInTransaction"]) {
      assert.equal(typeof e[k], "bigint", k)
    }
    assert.equal(e.createdAtBlock, block)
    assert.equal(e.lastModifiedAtBlock, block)
    assert.equal(e.expiresAtBlock, block + 51n) // ceil(101 / 2)
    assert.equal(e.transactionIndexInBlock, BigInt(receipt.transactionIndex))
    assert.equal(e.operationIndexInTransaction, 0n)
    // withMetadata alone brings neither payload nor attributes.
    assert.equal(e.payload, undefined)
    assert.deepEqual(e.attributes, [])

    // The SDK asked for every metadata field.
    const [query, options] = c.sent.at(-1)
    assert.equal(query, 'type = "meta_fields"')
    assert.deepEqual(options.includeData, {
      key: true,
      attributes: false,
      payload: false,
      contentType: true,
      expiration: true,
      owner: true,
      creator: true,
      createdAtBlock: true,
      lastModifiedAtBlock: true,
      transactionIndexInBlock: true,
      operationIndexInTransaction: true,
    })

    // Wire format: hex quantities and lowercase addresses.
    const res = await fetch(node.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "arkiv_query", params: [query, options] }),
    })
    const wire = (await res.json()).result.data[0]
    assert.deepEqual(wire, {
      key: entityKey,
      contentType: "application/json",
      expiresAt: toHex(block + 51n),
      owner: B,
      creator: B,
      createdAtBlock: toHex(block),
      lastModifiedAtBlock: toHex(block),
      transactionIndexInBlock: toHex(receipt.transactionIndex),
      operationIndexInTransaction: "0x0",
    })

    const bare = (await c.pub.buildQuery().where(eq("type", "meta_fields")).fetch()).entities[0]
    for (const k of ["owner", "creator", "contentType", "expiresAtBlock", "createdAtBlock", "lastModifiedAtBlock", "transactionIndexInBlock", "operationIndexInTransaction"]) {
      assert.equal(bare[k], undefined, k)
    }
  })

  test("getEntity always returns owner and creator, the same as a full query", async () => {
    const { entityKey } = await c.carol.createEntity(entityInput([{ key: "type", value: "meta_get" }, { key: "n", value: 3 }], { v: 1 }))
    const got = await c.pub.getEntity(entityKey)
    assert.equal(got.owner, C)
    assert.equal(got.creator, C)
    assert.deepEqual(decode(got.payload), { v: 1 })
    assert.deepEqual(got.attributes, [{ key: "type", value: "meta_get" }, { key: "n", value: 3 }])
    const [query] = c.sent.at(-1)
    assert.equal(query, `$key = ${entityKey}`)

    const full = (await c.pub.buildQuery().where(eq("type", "meta_get")).withMetadata(true).withPayload(true).withAttributes(true).fetch()).entities
    assert.equal(full.length, 1)
    assert.deepEqual(full[0], got)
  })

  describe("createdBy / ownedBy (own node, so unfiltered queries see only these entities)", () => {
    const keys = {}
    const T = "meta_filter"
    let own
    let c
    before(async () => {
      own = await startArkivNode({ port: 0, statePath: null, blockTimeMs: BLOCK_MS, log: () => {} })
      c = clients(own.url)
      keys.a = (await c.alice.createEntity(entityInput([{ key: "type", value: T }, { key: "tag", value: "x" }, { key: "n", value: 1 }]))).entityKey
      keys.b = (await c.bob.createEntity(entityInput([{ key: "type", value: T }, { key: "tag", value: "x" }, { key: "n", value: 2 }]))).entityKey
      keys.c = (await c.carol.createEntity(entityInput([{ key: "type", value: T }, { key: "tag", value: "y" }, { key: "n", value: 3 }]))).entityKey
      // Another type by alice, so createdBy alone returns more than the filtered set.
      keys.a2 = (await c.alice.createEntity(entityInput([{ key: "type", value: `${T}_other` }]))).entityKey
    })
    after(async () => {
      await own?.close()
    })
    const fetchKeys = async (qb) => (await qb.fetch()).entities.map((e) => e.key)

    test("the SDK sends $creator=ADDR / $owner=ADDR appended with &&, the address as given", async () => {
      await c.pub.buildQuery().where(eq("type", T)).createdBy(alice.address).fetch()
      assert.equal(c.sent.at(-1)[0], `type = "${T}" && $creator=${alice.address}`)
      await c.pub.buildQuery().where(eq("type", T)).ownedBy(bob.address).createdBy(carol.address).fetch()
      assert.equal(c.sent.at(-1)[0], `type = "${T}" && $owner=${bob.address} && $creator=${carol.address}`)
      await c.pub.buildQuery().createdBy(alice.address).fetch()
      assert.equal(c.sent.at(-1)[0], `$creator=${alice.address}`)
      await c.pub.buildQuery().where(or([eq("tag", "x"), eq("tag", "y")])).ownedBy(carol.address).fetch()
      assert.equal(c.sent.at(-1)[0], `(tag = "x" || tag = "y") && $owner=${carol.address}`)
    })

    test("createdBy and ownedBy alone, in any address case", async () => {
      assert.deepEqual(await fetchKeys(c.pub.buildQuery().createdBy(alice.address)), [keys.a, keys.a2])
      assert.deepEqual(await fetchKeys(c.pub.buildQuery().createdBy(A)), [keys.a, keys.a2])
      assert.deepEqual(await fetchKeys(c.pub.buildQuery().createdBy(upperHex(A))), [keys.a, keys.a2])
      assert.deepEqual(await fetchKeys(c.pub.buildQuery().ownedBy(bob.address)), [keys.b])
      assert.deepEqual(await fetchKeys(c.pub.buildQuery().ownedBy(upperHex(C))), [keys.c])
      assert.deepEqual(await fetchKeys(c.pub.buildQuery().createdBy(dave.address)), [])
      assert.equal(await c.pub.buildQuery().createdBy(alice.address).count(), 2)
    })

    test("combined with eq(), or() and each other", async () => {
      assert.deepEqual(await fetchKeys(c.pub.buildQuery().where(eq("type", T)).createdBy(alice.address)), [keys.a])
      assert.deepEqual(await fetchKeys(c.pub.buildQuery().where([eq("type", T), eq("tag", "x")]).createdBy(bob.address)), [keys.b])
      assert.deepEqual(await fetchKeys(c.pub.buildQuery().where([eq("type", T), eq("tag", "y")]).createdBy(bob.address)), [])
      assert.deepEqual(await fetchKeys(c.pub.buildQuery().where([eq("type", T), or([eq("tag", "x"), eq("tag", "y")])]).ownedBy(carol.address)), [keys.c])
      assert.deepEqual(await fetchKeys(c.pub.buildQuery().where(or([eq("n", 1), eq("n", 3)])).createdBy(carol.address)), [keys.c])
      assert.deepEqual(await fetchKeys(c.pub.buildQuery().where(eq("type", T)).createdBy(alice.address).ownedBy(alice.address)), [keys.a])
      assert.deepEqual(await fetchKeys(c.pub.buildQuery().where(eq("type", T)).createdBy(alice.address).ownedBy(bob.address)), [])
    })

    test("raw $creator / $owner terms: ||, !=, IN, quoted, mixed case", async () => {
      const q = async (s) => (await c.pub.query(s, { includeData: { payload: false } })).entities.map((e) => e.key)
      assert.deepEqual(await q(`type = "${T}" && ($creator = ${alice.address} || $creator = ${upperHex(B)})`), [keys.a, keys.b])
      assert.deepEqual(await q(`type = "${T}" && $owner != ${bob.address}`), [keys.a, keys.c])
      assert.deepEqual(await q(`type = "${T}" && $creator IN (${C} ${alice.address})`), [keys.a, keys.c])
      assert.deepEqual(await q(`type = "${T}" && $owner = "${carol.address}"`), [keys.c])
      assert.deepEqual(await q(`$creator = ${bob.address} || $owner = ${carol.address} && tag = "y"`), [keys.b, keys.c])
      assert.deepEqual(await q(`$creator = ${bob.address} || $owner = ${carol.address} && tag = "x"`), [keys.b])
      assert.deepEqual(await q(`$owner = ${alice.address}`), [keys.a, keys.a2])
    })
  })

  test("ownership change: only the owner; owner moves, creator stays; filters follow", async () => {
    const T = "meta_owner"
    const { entityKey } = await c.alice.createEntity(entityInput([{ key: "type", value: T }], { v: 1 }))
    const before = await c.pub.getEntity(entityKey)

    // Non-owners are refused, whether estimation catches it or the transaction is mined.
    await assert.rejects(c.bob.changeOwnership({ entityKey, newOwner: bob.address }), notOwner)
    await assert.rejects(c.carol.changeOwnership({ entityKey, newOwner: carol.address }, { gas: 100_000n }), (err) => notOwner(err) && /reverted/.test(err.message))
    assert.equal((await c.pub.getEntity(entityKey)).owner, A)

    // mutateEntities with only ownershipChanges is refused by the SDK itself.
    await assert.rejects(c.alice.mutateEntities({ ownershipChanges: [{ entityKey, newOwner: bob.address }] }), /No operations to perform/)

    const res = await c.alice.changeOwnership({ entityKey, newOwner: bob.address })
    assert.deepEqual(res, { txHash: res.txHash, entityKey })
    const receipt = await c.pub.getTransactionReceipt({ hash: res.txHash })
    assert.equal(receipt.logs.length, 1)
    assert.deepEqual(receipt.logs[0].topics, [
      OWNER_CHANGED_TOPIC,
      entityKey,
      `0x${A.slice(2).padStart(64, "0")}`,
      `0x${B.slice(2).padStart(64, "0")}`,
    ])

    const after = await c.pub.getEntity(entityKey)
    assert.equal(after.owner, B)
    assert.equal(after.creator, A)
    // An ownership change is not a modification of the content.
    assert.deepEqual(position(after), position(before))
    assert.equal(after.expiresAtBlock, before.expiresAtBlock)

    const keysOf = async (qb) => (await qb.where(eq("type", T)).fetch()).entities.map((e) => e.key)
    assert.deepEqual(await keysOf(c.pub.buildQuery().ownedBy(bob.address)), [entityKey])
    assert.deepEqual(await keysOf(c.pub.buildQuery().ownedBy(alice.address)), [])
    assert.deepEqual(await keysOf(c.pub.buildQuery().createdBy(alice.address)), [entityKey])
    assert.deepEqual(await keysOf(c.pub.buildQuery().createdBy(bob.address)), [])
    assert.deepEqual(await keysOf(c.pub.buildQuery().createdBy(alice.address).ownedBy(bob.address)), [entityKey])

    // The old owner has lost every right; the new owner has them.
    await assert.rejects(c.alice.updateEntity({ entityKey, ...entityInput([{ key: "type", value: T }], { v: "alice" }) }), notOwner)
    await assert.rejects(c.alice.changeOwnership({ entityKey, newOwner: alice.address }), notOwner)
    await assert.rejects(c.alice.deleteEntity({ entityKey }), notOwner)

    // The new owner updates and hands over in one transaction (update runs first).
    const mut = await c.bob.mutateEntities({
      updates: [{ entityKey, ...entityInput([{ key: "type", value: T }, { key: "by", value: "bob" }], { v: 2 }) }],
      ownershipChanges: [{ entityKey, newOwner: dave.address }],
    })
    assert.deepEqual(mut.updatedEntities, [entityKey])
    assert.deepEqual(mut.ownershipChanges, [entityKey])
    const last = await c.pub.getEntity(entityKey)
    assert.equal(last.owner, D)
    assert.equal(last.creator, A)
    assert.equal(attr(last, "by"), "bob")
    assert.deepEqual(decode(last.payload), { v: 2 })
    assert.equal(last.createdAtBlock, before.createdAtBlock)
    assert.equal(last.lastModifiedAtBlock, (await c.pub.getTransactionReceipt({ hash: mut.txHash })).blockNumber)
    assert.deepEqual(await keysOf(c.pub.buildQuery().ownedBy(dave.address)), [entityKey])
    assert.deepEqual(await keysOf(c.pub.buildQuery().createdBy(alice.address)), [entityKey])
  })
})

describe("chain position with an injected clock (2 s blocks)", () => {
  const t0 = 1_900_000_000_000
  let t = t0
  let node
  let c

  before(async () => {
    node = await startArkivNode({ port: 0, statePath: null, blockTimeMs: 2000, now: () => t, log: () => {} })
    c = clients(node.url)
  })
  after(async () => {
    await node?.close()
  })

  const blockOf = async (txHash) => (await c.pub.getTransactionReceipt({ hash: txHash })).blockNumber
  const meta = async (T) => (await c.pub.buildQuery().where(eq("type", T)).withMetadata(true).withAttributes(true).fetch()).entities

  test("several transactions and several operations in one block: the later compares greater", async () => {
    t = t0 + 5 * 2000 + 10 // block 5 for everything below
    const T = "pos_one_block"
    const p = await c.alice.createEntity(entityInput([{ key: "type", value: T }, { key: "name", value: "p" }]))
    const q = await c.bob.createEntity(entityInput([{ key: "type", value: T }, { key: "name", value: "q" }]))
    const r = await c.carol.mutateEntities({
      creates: [
        entityInput([{ key: "type", value: T }, { key: "name", value: "r0" }]),
        entityInput([{ key: "type", value: T }, { key: "name", value: "r1" }]),
        entityInput([{ key: "type", value: T }, { key: "name", value: "r2" }]),
      ],
    })
    for (const h of [p.txHash, q.txHash, r.txHash]) assert.equal(await blockOf(h), 5n)
    assert.equal((await c.pub.getTransactionReceipt({ hash: r.txHash })).transactionIndex, 2)

    const got = await meta(T)
    const byName = Object.fromEntries(got.map((e) => [attr(e, "name"), e]))
    const expect = {
      p: [A, 0n, 0n],
      q: [B, 1n, 0n],
      r0: [C, 2n, 0n],
      r1: [C, 2n, 1n],
      r2: [C, 2n, 2n],
    }
    for (const [name, [creator, tx, op]] of Object.entries(expect)) {
      const e = byName[name]
      assert.equal(e.creator, creator, name)
      assert.equal(e.owner, creator, name)
      assert.deepEqual(position(e), { createdAtBlock: 5n, lastModifiedAtBlock: 5n, transactionIndexInBlock: tx, operationIndexInTransaction: op }, name)
    }
    assert.equal(byName.p.key, p.entityKey)
    assert.equal(byName.q.key, q.entityKey)
    assert.deepEqual([byName.r0.key, byName.r1.key, byName.r2.key], r.createdEntities)

    // Written order = chain-position order, strictly increasing.
    const written = ["p", "q", "r0", "r1", "r2"].map((n) => byName[n])
    const shuffled = [written[3], written[0], written[4], written[2], written[1]]
    assert.deepEqual(shuffled.sort(compareChainPosition).map((e) => attr(e, "name")), ["p", "q", "r0", "r1", "r2"])
    for (let i = 1; i < written.length; i++) assert.equal(compareChainPosition(written[i - 1], written[i]), -1)
    // Creation order is also the node's result order.
    assert.deepEqual(got.map((e) => attr(e, "name")), ["p", "q", "r0", "r1", "r2"])

    // Operation indexes count per kind (creates 0.., updates 0..), as arkiv-events numbers them.
    const s = await c.carol.mutateEntities({
      creates: [entityInput([{ key: "type", value: T }, { key: "name", value: "s0" }])],
      updates: [{ entityKey: r.createdEntities[2], ...entityInput([{ key: "type", value: T }, { key: "name", value: "r2b" }]) }],
    })
    assert.equal(await blockOf(s.txHash), 5n)
    const again = Object.fromEntries((await meta(T)).map((e) => [attr(e, "name"), e]))
    assert.deepEqual(position(again.s0), { createdAtBlock: 5n, lastModifiedAtBlock: 5n, transactionIndexInBlock: 3n, operationIndexInTransaction: 0n })
    assert.equal(compareChainPosition(again.r1, again.s0), -1)
    // An update keeps the create's transaction / operation index (arkiv-op-geth's query store does).
    assert.deepEqual(position(again.r2b), { createdAtBlock: 5n, lastModifiedAtBlock: 5n, transactionIndexInBlock: 2n, operationIndexInTransaction: 2n })
  })

  test("an update advances lastModifiedAtBlock and keeps creator, owner, createdAtBlock and the create's position", async () => {
    const T = "pos_update"
    t = t0 + 20 * 2000
    await c.alice.createEntity(entityInput([{ key: "type", value: "pos_filler" }])) // tx 0 of block 20
    const { entityKey, txHash } = await c.alice.createEntity(entityInput([{ key: "type", value: T }, { key: "v", value: 1 }], { v: 1 }, 100))
    assert.equal(await blockOf(txHash), 20n)
    const created = await c.pub.getEntity(entityKey)
    assert.deepEqual(position(created), { createdAtBlock: 20n, lastModifiedAtBlock: 20n, transactionIndexInBlock: 1n, operationIndexInTransaction: 0n })
    assert.equal(created.expiresAtBlock, 70n)

    t = t0 + 23 * 2000 + 500
    const u1 = await c.alice.updateEntity({ entityKey, ...entityInput([{ key: "type", value: T }, { key: "v", value: 2 }], { v: 2 }, 10) })
    assert.equal(await blockOf(u1.txHash), 23n)
    const updated = await c.pub.getEntity(entityKey)
    assert.deepEqual(decode(updated.payload), { v: 2 })
    assert.equal(updated.creator, A)
    assert.equal(updated.owner, A)
    assert.deepEqual(position(updated), { createdAtBlock: 20n, lastModifiedAtBlock: 23n, transactionIndexInBlock: 1n, operationIndexInTransaction: 0n })
    assert.equal(updated.expiresAtBlock, 28n) // 23 + ceil(10 / 2)

    // Ownership change and extension do not move lastModifiedAtBlock.
    t = t0 + 25 * 2000
    await c.alice.changeOwnership({ entityKey, newOwner: bob.address })
    await c.carol.extendEntity({ entityKey, expiresIn: 20 })
    const moved = await c.pub.getEntity(entityKey)
    assert.equal(moved.owner, B)
    assert.equal(moved.creator, A)
    assert.equal(moved.expiresAtBlock, 38n)
    assert.deepEqual(position(moved), position(updated))

    t = t0 + 27 * 2000
    await assert.rejects(c.alice.updateEntity({ entityKey, ...entityInput([{ key: "type", value: T }], { v: "x" }) }), notOwner)
    const u2 = await c.bob.updateEntity({ entityKey, ...entityInput([{ key: "type", value: T }, { key: "v", value: 3 }], { v: 3 }) })
    assert.equal(await blockOf(u2.txHash), 27n)
    const final = await c.pub.getEntity(entityKey)
    assert.equal(final.creator, A)
    assert.equal(final.owner, B)
    assert.deepEqual(position(final), { createdAtBlock: 20n, lastModifiedAtBlock: 27n, transactionIndexInBlock: 1n, operationIndexInTransaction: 0n })
    assert.ok(compareChainPosition(updated, final) < 0)
    assert.ok(compareChainPosition(created, updated) < 0)

    // Past states keep their own metadata.
    const at = async (block) => (await c.pub.buildQuery().where(eq("type", T)).withMetadata(true).withAttributes(true).validAtBlock(block).fetch()).entities
    const [v1] = await at(22n)
    assert.deepEqual([attr(v1, "v"), v1.owner, v1.lastModifiedAtBlock], [1, A, 20n])
    const [v2] = await at(24n)
    assert.deepEqual([attr(v2, "v"), v2.owner, v2.lastModifiedAtBlock], [2, A, 23n])
    const [v2b] = await at(26n)
    assert.deepEqual([attr(v2b, "v"), v2b.owner, v2b.lastModifiedAtBlock], [2, B, 23n])
    const filtered = await c.pub.buildQuery().where(eq("type", T)).ownedBy(alice.address).validAtBlock(24n).fetch()
    assert.deepEqual(filtered.entities.map((e) => e.key), [entityKey])
    const filteredNow = await c.pub.buildQuery().where(eq("type", T)).ownedBy(alice.address).fetch()
    assert.deepEqual(filteredNow.entities, [])
  })
})
