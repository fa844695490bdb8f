#!/usr/bin/env node
// Write throughput of the development Arkiv node (tools/arkiv-node) through
// the real @arkiv-network/sdk: small entities created in transactions of up to
// --batch creates (mutateEntities), one run per size. Prints writes per second
// over the first and the last 10% of each run and their ratio (last / first:
// about 1 when writing stays linear, far below 1 when each write costs more as
// the state grows), the state size on disk, and the time to restart after a
// SIGKILL (snapshot + log replay) and after a clean stop (snapshot only).
// A benchmark: it prints numbers, it asserts nothing.
//
//   node bench/arkiv-node-writes.bench.js [--sizes 20000,200000] [--batch 500]
//        [--node-bin tools/arkiv-node/bin/arkiv-node.js]
//
// --node-bin runs another build of the node (e.g. an older checkout's
// tools/arkiv-node/bin/arkiv-node.js) for before/after comparisons.
import { spawn } from "node:child_process"
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { createPublicClient, createWalletClient, http } from "@arkiv-network/sdk"
import { privateKeyToAccount } from "@arkiv-network/sdk/accounts"
import { localhost } from "@arkiv-network/sdk/chains"
import { eq } from "@arkiv-network/sdk/query"
import { jsonToPayload } from "@arkiv-network/sdk/utils"

const here = path.dirname(fileURLToPath(import.meta.url))
const { values: args } = parseArgs({
  options: {
    sizes: { type: "string", default: "20000,200000" },
    batch: { type: "string", default: "500" },
    "node-bin": { type: "string", default: path.join(here, "../tools/arkiv-node/bin/arkiv-node.js") },
  },
})
const sizes = args.sizes.split(",").map(Number)
const batch = Number(args.batch)
const nodeBin = path.resolve(args["node-bin"])
const account = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")

async function startNode(state) {
  const t0 = performance.now()
  const child = spawn(process.execPath, ["--max-old-space-size=4096", nodeBin, "--port", "0", "--state", state, "--block-time-ms", "2000"], {
    stdio: ["ignore", "pipe", "inherit"],
  })
  const url = await new Promise((resolve, reject) => {
    let out = ""
    child.stdout.on("data", (d) => {
      out += d
      const m = /listening on (http:\/\/[^ ]+) /.exec(out)
      if (m) resolve(m[1])
    })
    child.on("exit", (code) => reject(new Error(`node exited with ${code}`)))
  })
  const chain = { ...localhost, rpcUrls: { default: { http: [url] } } }
  const pub = createPublicClient({ chain, transport: http(url, { timeout: 600_000 }), pollingInterval: 100 })
  const wallet = createWalletClient({ chain, transport: http(url, { timeout: 600_000 }), account, pollingInterval: 100 })
  return { child, url, pub, wallet, startMs: performance.now() - t0 }
}

async function stop(child, signal) {
  const exited = new Promise((r) => child.on("exit", r))
  child.kill(signal)
  await exited
}

const diskBytes = (dir) => fs.readdirSync(dir).reduce((a, f) => a + fs.statSync(path.join(dir, f)).size, 0)
const mb = (n) => `${(n / 1024 / 1024).toFixed(1)} MB`

async function run(total) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arkiv-bench-"))
  const state = path.join(dir, "state.json")
  try {
    let node = await startNode(state)
    const marks = [{ n: 0, t: performance.now() }]
    let written = 0
    while (written < total) {
      const k = Math.min(batch, total - written)
      const creates = []
      for (let i = 0; i < k; i++) {
        const n = written + i
        creates.push({
          payload: jsonToPayload({ i: n }),
          contentType: "application/json",
          attributes: [
            { key: "type", value: "bench" },
            { key: "n", value: n },
          ],
          expiresIn: 86_400,
        })
      }
      await node.wallet.mutateEntities({ creates })
      written += k
      marks.push({ n: written, t: performance.now() })
    }
    const rate = (fromN, toN) => {
      const a = marks.find((m) => m.n >= fromN)
      const b = marks.find((m) => m.n >= toN)
      return ((b.n - a.n) / (b.t - a.t)) * 1000
    }
    const first = rate(0, total * 0.1)
    const last = rate(total * 0.9, total)
    const overall = (total / (marks.at(-1).t - marks[0].t)) * 1000
    const runningBytes = diskBytes(dir)

    // Restart after SIGKILL: snapshot + log replay.
    await stop(node.child, "SIGKILL")
    const killedBytes = diskBytes(dir)
    node = await startNode(state)
    const count1 = await node.pub.getEntityCount()
    const killRestartMs = node.startMs
    const q0 = performance.now()
    const page = await node.pub.buildQuery().where(eq("type", "bench")).limit(50).fetch()
    const queryMs = performance.now() - q0
    // Clean restart: snapshot only.
    await stop(node.child, "SIGTERM")
    const closedBytes = diskBytes(dir)
    node = await startNode(state)
    const count2 = await node.pub.getEntityCount()
    const cleanRestartMs = node.startMs
    await stop(node.child, "SIGTERM")

    console.log(
      [
        `entities ${total} (batches of ${batch}, ${marks.length - 1} transactions), ${overall.toFixed(0)} writes/s overall`,
        `  first 10%: ${first.toFixed(0)} writes/s   last 10%: ${last.toFixed(0)} writes/s   ratio last/first: ${(last / first).toFixed(2)}`,
        `  state on disk: ${mb(runningBytes)} while running, ${mb(killedBytes)} after SIGKILL, ${mb(closedBytes)} after a clean stop`,
        `  restart after SIGKILL: ${killRestartMs.toFixed(0)} ms (entities: ${count1}); clean restart: ${cleanRestartMs.toFixed(0)} ms (entities: ${count2})`,
        `  first page of 50 (type = "bench") after restart: ${queryMs.toFixed(0)} ms, ${page.entities.length} entities`,
      ].join("\n"),
    )
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

console.log(`arkiv-node write benchmark: ${nodeBin}`)
for (const n of sizes) await run(n)
