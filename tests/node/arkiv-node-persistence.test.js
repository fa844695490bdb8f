// Persistence of the development Arkiv node: append-only log + snapshots,
// replay after SIGKILL (torn last line ignored), snapshot rotation, migration
// of old single-JSON state files, history across restarts.
import assert from "node:assert/strict"
import { spawn } from "node:child_process"
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { after, before, describe, test } from "node:test"
import { createPublicClient, createWalletClient, http } from "@arkiv-network/sdk"
import { privateKeyToAccount } from "@arkiv-network/sdk/accounts"
import { localhost } from "@arkiv-network/sdk/chains"
import { eq } from "@arkiv-network/sdk/query"
import { jsonToPayload } from "@arkiv-network/sdk/utils"
import { startArkivNode } from "../../tools/arkiv-node/src/index.js"
import { LEGACY_STATE_FORMAT, STATE_FORMAT, readSnapshotFile } from "../../tools/arkiv-node/src/store.js"

const here = path.dirname(fileURLToPath(import.meta.url))
const alice = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")
let dir

const entity = (type, n = 0) => ({
  payload: jsonToPayload({ type, n }),
  contentType: "application/json",
  attributes: [
    { key: "type", value: type },
    { key: "n", value: n },
  ],
  expiresIn: 3600,
})

function clients(url) {
  const chain = { ...localhost, rpcUrls: { default: { http: [url] } } }
  return {
    pub: createPublicClient({ chain, transport: http(url) }),
    wallet: createWalletClient({ chain, transport: http(url), account: alice }),
  }
}

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "arkiv-node-persist-"))
})
after(() => fs.rmSync(dir, { recursive: true, force: true }))

async function startCli(state) {
  const child = spawn(process.execPath, [path.join(here, "../../tools/arkiv-node/bin/arkiv-node.js"), "--port", "0", "--state", state, "--block-time-ms", "100"], {
    stdio: ["ignore", "pipe", "pipe"],
  })
  const url = await new Promise((resolve, reject) => {
    let out = ""
    child.stdout.on("data", (d) => {
      out += d
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m) resolve(m[1])
    })
    child.on("exit", (code) => reject(new Error(`exited with ${code}`)))
    setTimeout(() => reject(new Error("timeout")), 10_000).unref()
  })
  return { child, url }
}

describe("append-only log and snapshots", () => {
  test("SIGKILL mid-run loses nothing; an incomplete last log line is ignored; history survives", async () => {
    const state = path.join(dir, "kill.json")
    let { child, url } = await startCli(state)
    let c = clients(url)
    const keys = []
    for (let i = 0; i < 5; i++) keys.push((await c.wallet.createEntity(entity("killed", i))).entityKey)
    const { txHash } = await c.wallet.mutateEntities({ creates: [entity("killed", 5), entity("killed", 6)] })
    const before = await c.pub.getBlockNumber({ cacheTime: 0 })
    await new Promise((r) => setTimeout(r, 250)) // the update lands in a later block
    await c.wallet.updateEntity({ entityKey: keys[0], ...entity("killed-updated", 100) })
    const nonce = await c.pub.getTransactionCount({ address: alice.address })
    let exited = new Promise((r) => child.on("exit", r))
    child.kill("SIGKILL")
    await exited
    assert.ok(fs.existsSync(`${state}.log`))
    const lines = fs.readFileSync(`${state}.log`, "utf8").split("\n").filter(Boolean)
    assert.equal(lines.length, 7) // one record per accepted transaction
    // A crash in the middle of an append leaves a torn line.
    fs.appendFileSync(`${state}.log`, lines[6].slice(0, 40))

    ;({ child, url } = await startCli(state))
    c = clients(url)
    try {
      const res = await c.pub.buildQuery().where(eq("type", "killed")).withAttributes(true).fetch()
      assert.equal(res.entities.length, 6)
      assert.equal((await c.pub.getEntity(keys[0])).attributes.find((a) => a.key === "type").value, "killed-updated")
      assert.equal(await c.pub.getTransactionCount({ address: alice.address }), nonce)
      assert.equal((await c.pub.getTransactionReceipt({ hash: txHash })).status, "success")
      // The version before the update is still there for atBlock.
      const past = await c.pub.buildQuery().where(eq("type", "killed")).validAtBlock(before).fetch()
      assert.equal(past.entities.length, 7)
      // The restart folded the log into a new snapshot and writes go on.
      assert.equal(fs.statSync(`${state}.log`).size, 0)
      await c.wallet.createEntity(entity("killed", 7))
      assert.equal(fs.readFileSync(`${state}.log`, "utf8").split("\n").filter(Boolean).length, 1)
    } finally {
      exited = new Promise((r) => child.on("exit", r))
      child.kill("SIGTERM")
      assert.equal(await exited, 0)
    }
    // A clean stop leaves the snapshot only.
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith("kill")), ["kill.json"])
    assert.equal(readSnapshotFile(state).format, STATE_FORMAT)
  })

  test("the log is folded into a snapshot once it outgrows the last one; replay skips records already in it", async () => {
    const state = path.join(dir, "rotate.json")
    const node = await startArkivNode({ port: 0, statePath: state, blockTimeMs: 50, snapshotMinBytes: 1, log: () => {} })
    try {
      const c = clients(node.url)
      for (let i = 0; i < 6; i++) await c.wallet.createEntity(entity("rotate", i))
      // Each snapshot is larger than one record, so the log is emptied every few records.
      assert.ok(node.store.stats.snapshots >= 2, `snapshots: ${node.store.stats.snapshots}`)
      assert.ok(fs.statSync(`${state}.log`).size < fs.statSync(state).size)
      // Simulate a crash between the snapshot's rename and the log's truncation:
      // log records already contained in the snapshot must be skipped.
      node.store.snapshot()
      const snap = readSnapshotFile(state)
      const copy = path.join(dir, "rotate-copy.json")
      fs.writeFileSync(copy, JSON.stringify(snap))
      const rec = { s: snap.txSeq, tx: snap.txs[Object.keys(snap.txs).at(-1)], c: [] }
      fs.writeFileSync(`${copy}.log`, `${JSON.stringify(rec)}\n`)
      const again = await startArkivNode({ port: 0, statePath: copy, blockTimeMs: 50, log: () => {} })
      try {
        assert.equal(again.store.stats.replayed, 0)
        assert.equal(again.store.txSeq, snap.txSeq)
        assert.equal((await clients(again.url).pub.buildQuery().where(eq("type", "rotate")).fetch()).entities.length, 6)
      } finally {
        await again.close()
      }
    } finally {
      await node.close()
    }
  })

  test("a corrupt line before the end of the log refuses to start instead of dropping data", async () => {
    const state = path.join(dir, "corrupt.json")
    const node = await startArkivNode({ port: 0, statePath: state, blockTimeMs: 50, log: () => {} })
    const c = clients(node.url)
    await c.wallet.createEntity(entity("corrupt"))
    await c.wallet.createEntity(entity("corrupt"))
    const log = fs.readFileSync(`${state}.log`, "utf8")
    node.store.logFd && fs.closeSync(node.store.logFd)
    node.store.logFd = null
    node.store.statePath = null // do not snapshot on close
    await node.close()
    const lines = log.split("\n")
    fs.writeFileSync(`${state}.log`, [lines[0].slice(0, 10), ...lines.slice(1)].join("\n"))
    await assert.rejects(startArkivNode({ port: 0, statePath: state, blockTimeMs: 50, log: () => {} }), /line 1 is corrupt/)
  })

  test("a snapshot is JSON Lines: a header, then one line per entity, transaction and block; a /2 single-JSON file is migrated", async () => {
    const state = path.join(dir, "lines.json")
    let node = await startArkivNode({ port: 0, statePath: state, blockTimeMs: 50, log: () => {} })
    const c = clients(node.url)
    const keys = []
    for (let i = 0; i < 3; i++) keys.push((await c.wallet.createEntity(entity("lines", i))).entityKey)
    await node.close()
    const lines = fs.readFileSync(state, "utf8").split("\n").filter(Boolean)
    const header = JSON.parse(lines[0])
    assert.equal(header.format, STATE_FORMAT)
    assert.ok(!("entities" in header) && !("txs" in header), "the large maps are not in the header")
    const entries = lines.slice(1).map((l) => JSON.parse(l))
    assert.deepEqual(entries.filter((e) => e[0] === "entities").map((e) => e[1]).sort(), [...keys].sort())
    assert.equal(entries.filter((e) => e[0] === "txs").length, 3)
    // No line holds more than one entity: the file's size is not bounded by one string's.
    assert.ok(lines.every((l) => l.length < 64 * 1024))
    // The single-JSON format of the previous version loads and is rewritten as lines.
    const whole = readSnapshotFile(state)
    whole.format = "convene-arkiv-node/2"
    fs.writeFileSync(state, JSON.stringify(whole))
    node = await startArkivNode({ port: 0, statePath: state, blockTimeMs: 50, log: () => {} })
    try {
      assert.equal(node.store.stats.migrated, true)
      assert.equal(JSON.parse(fs.readFileSync(state, "utf8").split("\n")[0]).format, STATE_FORMAT)
      assert.equal((await clients(node.url).pub.buildQuery().where(eq("type", "lines")).fetch()).entities.length, 3)
    } finally {
      await node.close()
    }
  })

  test("an old single-JSON state file (convene-arkiv-node/1) is loaded and migrated on first start", async () => {
    const state = path.join(dir, "legacy.json")
    let node = await startArkivNode({ port: 0, statePath: state, blockTimeMs: 50, log: () => {} })
    let c = clients(node.url)
    const { entityKey } = await c.wallet.createEntity(entity("legacy", 42))
    await node.close()
    // The old node wrote exactly this shape, with format /1 and no log.
    const old = readSnapshotFile(state)
    old.format = LEGACY_STATE_FORMAT
    fs.writeFileSync(state, JSON.stringify(old))
    assert.ok(!fs.existsSync(`${state}.log`))

    node = await startArkivNode({ port: 0, statePath: state, blockTimeMs: 50, log: () => {} })
    try {
      assert.equal(node.store.stats.migrated, true)
      assert.equal(readSnapshotFile(state).format, STATE_FORMAT)
      c = clients(node.url)
      assert.equal((await c.pub.getEntity(entityKey)).key, entityKey)
      const res = await c.pub.buildQuery().where(eq("type", "legacy")).fetch()
      assert.deepEqual(res.entities.map((e) => e.key), [entityKey])
      await c.wallet.createEntity(entity("legacy", 43))
    } finally {
      await node.close()
    }
    node = await startArkivNode({ port: 0, statePath: state, blockTimeMs: 50, log: () => {} })
    try {
      assert.equal(node.store.stats.migrated, false)
      assert.equal((await clients(node.url).pub.buildQuery().where(eq("type", "legacy")).fetch()).entities.length, 2)
    } finally {
      await node.close()
    }
  })

  test("history pruning (--history-blocks) still drops old versions, and their index entries", async () => {
    let t = 1_900_000_000_000
    const state = path.join(dir, "prune.json")
    const node = await startArkivNode({ port: 0, statePath: state, blockTimeMs: 1000, historyBlocks: 5, now: () => t, log: () => {} })
    try {
      const c = clients(node.url)
      const { entityKey } = await c.wallet.createEntity({ ...entity("prune", 1), expiresIn: 4 }) // 2 blocks
      assert.equal(node.store.index.lookup("type", "string", "prune").size, 1)
      t += 3000
      await c.wallet.createEntity(entity("other"))
      assert.ok(node.store.state.entities[entityKey]) // expired, still in history
      t += 10_000
      await c.wallet.createEntity(entity("other"))
      assert.equal(node.store.state.entities[entityKey], undefined)
      assert.equal(node.store.index.lookup("type", "string", "prune"), undefined)
      assert.equal(node.store.index.numeric("n").size, 2)
    } finally {
      await node.close()
    }
  })
})
