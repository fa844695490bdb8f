/**
 * Synthetic chain objects: block hashes, blocks, transactions, receipts and
 * logs in the JSON shapes of Ethereum JSON-RPC (all quantities hex).
 *
 * There is no real block production: a block is a time slot of the block
 * clock and holds the transactions received while it was current. Block
 * hashes are synthetic but stable: 24 bytes derived from the chain's genesis
 * time and chain id, followed by the 8-byte block number (so a hash can be
 * mapped back to its number).
 */
import { hexToBytes, keccak256, parseTransaction, toHex } from "viem"
import { blockTimestamp } from "./clock.js"
import { logsBloom } from "./events.js"

/** Chain id of the SDK's `localhost` chain. */
export const CHAIN_ID = 1337
/** Base fee reported for every block, in wei (1 gwei). */
export const BASE_FEE = 1_000_000_000n
/** Priority fee suggested by eth_maxPriorityFeePerGas, in wei. */
export const PRIORITY_FEE = 1_000_000n
/** Gas limit of every block. */
export const BLOCK_GAS_LIMIT = 1_000_000_000n
/** Balance reported for every account, in wei (10^30: "unlimited"). */
export const BALANCE = 10n ** 30n

const ZERO32 = `0x${"0".repeat(64)}`
const EMPTY_TRIE = "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421"
const EMPTY_UNCLES = "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347"

/** @param {number|bigint} n @returns {string} hex quantity. */
export const q = (n) => `0x${BigInt(n).toString(16)}`

/**
 * Intrinsic gas of a transaction: 21000 + 16 per non-zero and 4 per zero calldata byte.
 * This is also the gas an accepted transaction uses.
 * @param {string} input calldata hex.
 * @returns {bigint}
 */
export function intrinsicGas(input) {
  let gas = 21000n
  for (const b of hexToBytes(input && input !== "0x" ? input : "0x")) gas += b === 0 ? 4n : 16n
  return gas
}

/**
 * Builds the synthetic view helpers for a store.
 * @param {import("./store.js").Store} store
 */
export function chainView(store) {
  const prefix = keccak256(toHex(`convene-arkiv-node:${store.clock.genesisTime}:${store.state.chainId}`)).slice(2, 50)

  /** @param {number} n @returns {string} */
  const blockHash = (n) => `0x${prefix}${n.toString(16).padStart(16, "0")}`

  /** @param {string} h @returns {number|null} */
  const blockNumberOfHash = (h) => {
    if (typeof h !== "string" || h.length !== 66 || h.slice(2, 50).toLowerCase() !== prefix) return null
    const n = Number.parseInt(h.slice(50), 16)
    return Number.isSafeInteger(n) && n <= store.currentBlock() ? n : null
  }

  const formatLog = (rec, log) => ({
    address: log.address,
    topics: log.topics,
    data: log.data,
    blockNumber: q(rec.blockNumber),
    blockHash: blockHash(rec.blockNumber),
    transactionHash: rec.hash,
    transactionIndex: q(rec.txIndex),
    logIndex: q(log.logIndex),
    removed: false,
  })

  const formatTx = (rec) => {
    const t = parseTransaction(rec.raw)
    const out = {
      hash: rec.hash,
      type: { legacy: "0x0", eip2930: "0x1", eip1559: "0x2" }[t.type] ?? "0x0",
      chainId: q(t.chainId ?? 0),
      nonce: q(rec.nonce),
      blockHash: blockHash(rec.blockNumber),
      blockNumber: q(rec.blockNumber),
      transactionIndex: q(rec.txIndex),
      from: rec.from,
      to: rec.to,
      value: q(t.value ?? 0n),
      gas: q(t.gas ?? 0n),
      gasPrice: q(BigInt(rec.effectiveGasPrice)),
      input: t.data ?? "0x",
      r: t.r,
      s: t.s,
      v: q(t.v ?? BigInt(t.yParity ?? 0)),
    }
    if (t.type !== "legacy") {
      out.yParity = q(t.yParity ?? 0)
      out.accessList = t.accessList ?? []
    }
    if (t.type === "eip1559") {
      out.maxFeePerGas = q(t.maxFeePerGas ?? 0n)
      out.maxPriorityFeePerGas = q(t.maxPriorityFeePerGas ?? 0n)
    }
    return out
  }

  const formatReceipt = (rec) => {
    const info = store.blockInfo(rec.blockNumber)
    let cumulative = 0n
    for (const h of info.txs) {
      const r = store.getTx(h)
      cumulative += BigInt(r.gasUsed)
      if (h === rec.hash) break
    }
    const t = parseTransaction(rec.raw)
    return {
      transactionHash: rec.hash,
      transactionIndex: q(rec.txIndex),
      blockHash: blockHash(rec.blockNumber),
      blockNumber: q(rec.blockNumber),
      from: rec.from,
      to: rec.to,
      cumulativeGasUsed: q(cumulative),
      gasUsed: q(BigInt(rec.gasUsed)),
      effectiveGasPrice: q(BigInt(rec.effectiveGasPrice)),
      contractAddress: null,
      logs: rec.logs.map((l) => formatLog(rec, l)),
      logsBloom: logsBloom(rec.logs),
      status: rec.status ? "0x1" : "0x0",
      type: { legacy: "0x0", eip2930: "0x1", eip1559: "0x2" }[t.type] ?? "0x0",
    }
  }

  const formatBlock = (n, fullTxs) => {
    const info = store.blockInfo(n)
    const recs = info.txs.map((h) => store.getTx(h))
    const gasUsed = recs.reduce((a, r) => a + BigInt(r.gasUsed), 0n)
    return {
      number: q(n),
      hash: blockHash(n),
      parentHash: n === 0 ? ZERO32 : blockHash(n - 1),
      nonce: "0x0000000000000000",
      mixHash: ZERO32,
      sha3Uncles: EMPTY_UNCLES,
      logsBloom: logsBloom(recs.flatMap((r) => r.logs)),
      transactionsRoot: recs.length ? keccak256(toHex(info.txs.join(""))) : EMPTY_TRIE,
      stateRoot: ZERO32,
      receiptsRoot: recs.length ? keccak256(toHex(`r${info.txs.join("")}`)) : EMPTY_TRIE,
      miner: "0x0000000000000000000000000000000000000000",
      difficulty: "0x0",
      totalDifficulty: "0x0",
      extraData: "0x",
      size: q(600 + recs.reduce((a, r) => a + (r.raw.length - 2) / 2, 0)),
      gasLimit: q(BLOCK_GAS_LIMIT),
      gasUsed: q(gasUsed),
      timestamp: q(blockTimestamp(store.clock, n)),
      baseFeePerGas: q(BASE_FEE),
      transactions: fullTxs ? recs.map(formatTx) : [...info.txs],
      uncles: [],
    }
  }

  return { blockHash, blockNumberOfHash, formatLog, formatTx, formatReceipt, formatBlock }
}
