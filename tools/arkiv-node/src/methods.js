/**
 * JSON-RPC method implementations: the Ethereum subset viem and the SDK call,
 * and the arkiv_* methods.
 */
import { isAddress, serializeTransaction } from "viem"
import { arkivQuery, entityCount, quantity } from "./arkivQuery.js"
import { BALANCE, BASE_FEE, CHAIN_ID, PRIORITY_FEE, chainView, intrinsicGas, q } from "./chain.js"
import { blockTimestamp } from "./clock.js"
import { ArkivExecutionError, EXECUTION_REVERTED, INVALID_PARAMS, RpcError, SERVER_ERROR } from "./errors.js"
import { executeArkiv } from "./executor.js"
import { logQueries } from "./logQuery.js"
import { ARKIV_ADDRESS, decodeArkivCalldata, decodeRawTransaction } from "./txdecode.js"

/** How long a transaction with a future nonce waits for the missing ones, in ms. */
export const FUTURE_NONCE_WAIT_MS = 2000
/** Largest nonce gap that is waited for at all. */
export const MAX_NONCE_GAP = 64

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"
const ZERO_HASH = `0x${"0".repeat(64)}`

/**
 * Builds the method table.
 * @param {object} ctx
 * @param {import("./store.js").Store} ctx.store
 * @param {(ms: number) => Promise<void>} ctx.sleep
 * @param {string} [ctx.clientVersion]
 * @param {ReturnType<typeof chainView>} [ctx.view] shared with the subscriptions.
 * @param {ReturnType<typeof logQueries>} [ctx.logs] shared with the subscriptions.
 * @returns {Record<string, (params: unknown[]) => unknown | Promise<unknown>>}
 */
export function createMethods({ store, sleep, clientVersion = "convene-arkiv-node/0.1.0", view = chainView(store), logs = logQueries(store, view) }) {

  const blockOf = (tag) => {
    const n = logs.resolveBlock(tag, store.currentBlock())
    return n <= store.currentBlock() ? n : null
  }

  const address = (v, what = "address") => {
    if (typeof v !== "string" || !isAddress(v, { strict: false })) throw new RpcError(INVALID_PARAMS, `${what} must be a 0x address`)
    return v.toLowerCase()
  }
  const hash32 = (v) => {
    if (typeof v !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(v)) throw new RpcError(INVALID_PARAMS, "expected a 32-byte 0x hash")
    return v.toLowerCase()
  }
  const callObject = (c) => {
    if (!c || typeof c !== "object" || Array.isArray(c)) throw new RpcError(INVALID_PARAMS, "call object expected")
    const input = c.input ?? c.data ?? "0x"
    if (typeof input !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(input)) throw new RpcError(INVALID_PARAMS, "call data must be hex")
    return {
      from: c.from ? address(c.from, "from") : ZERO_ADDRESS,
      to: c.to ? address(c.to, "to") : null,
      input,
    }
  }

  /** Runs Arkiv calldata against the current state without committing. */
  const dryRun = (c) => {
    const ops = decodeArkivCalldata(c.input)
    const block = store.currentBlock()
    try {
      executeArkiv({ store, block, txIndex: store.blockInfo(block).txs.length, txHash: ZERO_HASH, from: c.from, ops })
    } catch (err) {
      if (err instanceof ArkivExecutionError) {
        throw new RpcError(EXECUTION_REVERTED, `execution reverted: ${err.message}`)
      }
      throw err
    }
  }

  const sendRawTransaction = async ([raw]) => {
    const tx = await decodeRawTransaction(raw, { chainId: CHAIN_ID })
    if (store.getTx(tx.hash)) throw new RpcError(SERVER_ERROR, "already known")
    // No mempool: a transaction whose nonce is slightly ahead (clients that
    // manage nonces locally and send in parallel) waits briefly for the gap to fill.
    const deadline = Date.now() + FUTURE_NONCE_WAIT_MS
    while (tx.nonce > store.nonceOf(tx.from) && tx.nonce - store.nonceOf(tx.from) <= MAX_NONCE_GAP && Date.now() < deadline) {
      await sleep(5)
    }
    if (store.getTx(tx.hash)) throw new RpcError(SERVER_ERROR, "already known")
    const expected = store.nonceOf(tx.from)
    if (tx.nonce < expected) throw new RpcError(SERVER_ERROR, `nonce too low: address ${tx.from}, tx: ${tx.nonce} state: ${expected}`)
    if (tx.nonce > expected) throw new RpcError(SERVER_ERROR, `nonce too high: address ${tx.from}, tx: ${tx.nonce} state: ${expected} (this node has no mempool)`)
    if (tx.to === null) throw new RpcError(SERVER_ERROR, "contract creation is not supported by the Arkiv development node")
    const gasUsed = intrinsicGas(tx.input)
    if (tx.gas < gasUsed) throw new RpcError(SERVER_ERROR, `intrinsic gas too low: have ${tx.gas}, want ${gasUsed}`)
    const isArkiv = tx.to === ARKIV_ADDRESS
    const ops = isArkiv ? decodeArkivCalldata(tx.input) : null

    // Everything below is synchronous: the transaction is executed and
    // committed without interleaving with other requests.
    const block = store.currentBlock()
    const info = store.blockInfo(block)
    const txIndex = info.txs.length
    let status = 1
    let revertReason
    let rawLogs = []
    let changes = new Map()
    if (ops) {
      try {
        ;({ changes, logs: rawLogs } = executeArkiv({ store, block, txIndex, txHash: tx.hash, from: tx.from, ops }))
      } catch (err) {
        if (!(err instanceof ArkivExecutionError)) throw err
        status = 0
        revertReason = err.message
        changes = new Map()
        rawLogs = []
      }
    }
    const p = tx.parsed
    const effectiveGasPrice =
      tx.type === "eip1559"
        ? minBig(p.maxFeePerGas ?? 0n, BASE_FEE + (p.maxPriorityFeePerGas ?? 0n))
        : (p.gasPrice ?? BASE_FEE)
    const record = {
      hash: tx.hash,
      raw: tx.raw,
      from: tx.from,
      to: tx.to,
      nonce: tx.nonce,
      blockNumber: block,
      txIndex,
      status,
      gasUsed: gasUsed.toString(),
      effectiveGasPrice: effectiveGasPrice.toString(),
      logs: rawLogs.map((l, i) => ({ ...l, logIndex: info.logCount + i })),
    }
    if (revertReason) record.revertReason = revertReason
    store.commitTransaction({ tx: record, changes })
    return tx.hash
  }

  const feeHistory = ([count, newest, percentiles]) => {
    const n = Math.min(quantity(count, "blockCount"), 1024)
    const last = blockOf(newest ?? "latest") ?? store.currentBlock()
    const first = Math.max(0, last - n + 1)
    const len = last - first + 1
    const out = {
      oldestBlock: q(first),
      baseFeePerGas: Array.from({ length: len + 1 }, () => q(BASE_FEE)),
      gasUsedRatio: Array.from({ length: len }, () => 0),
    }
    if (Array.isArray(percentiles)) out.reward = Array.from({ length: len }, () => percentiles.map(() => q(PRIORITY_FEE)))
    return out
  }

  /**
   * eth_fillTransaction (geth): fills nonce, gas and fees of a transaction
   * request; viem tries it before the individual calls.
   */
  const fillTransaction = ([c]) => {
    const call = callObject(c)
    const big = (v, what) => (v === undefined || v === null ? undefined : BigInt(quantity(v, what)))
    if (call.to === null) throw new RpcError(SERVER_ERROR, "contract creation is not supported by the Arkiv development node")
    if (call.to === ARKIV_ADDRESS) dryRun(call)
    const legacy = c.gasPrice !== undefined && c.gasPrice !== null && (c.maxFeePerGas === undefined || c.maxFeePerGas === null)
    const nonce = c.nonce === undefined || c.nonce === null ? store.nonceOf(call.from) : quantity(c.nonce, "nonce")
    const tx = {
      chainId: CHAIN_ID,
      nonce,
      to: call.to,
      gas: big(c.gas, "gas") ?? intrinsicGas(call.input),
      value: big(c.value, "value") ?? 0n,
      data: call.input,
      ...(legacy
        ? { type: "legacy", gasPrice: big(c.gasPrice, "gasPrice") }
        : {
            type: "eip1559",
            maxFeePerGas: big(c.maxFeePerGas, "maxFeePerGas") ?? 2n * BASE_FEE + PRIORITY_FEE,
            maxPriorityFeePerGas: big(c.maxPriorityFeePerGas, "maxPriorityFeePerGas") ?? PRIORITY_FEE,
            accessList: [],
          }),
    }
    const out = {
      type: legacy ? "0x0" : "0x2",
      chainId: q(CHAIN_ID),
      nonce: q(nonce),
      from: call.from,
      to: call.to,
      gas: q(tx.gas),
      value: q(tx.value),
      input: call.input,
    }
    if (legacy) out.gasPrice = q(tx.gasPrice)
    else {
      out.maxFeePerGas = q(tx.maxFeePerGas)
      out.maxPriorityFeePerGas = q(tx.maxPriorityFeePerGas)
      out.accessList = []
    }
    return { raw: serializeTransaction(tx), tx: out }
  }

  /** @type {Record<string, (params: any[]) => any>} */
  const methods = {
    web3_clientVersion: () => clientVersion,
    net_version: () => String(CHAIN_ID),
    net_listening: () => true,
    net_peerCount: () => "0x0",
    eth_chainId: () => q(CHAIN_ID),
    eth_syncing: () => false,
    eth_mining: () => false,
    eth_accounts: () => [],
    eth_blockNumber: () => q(store.currentBlock()),
    eth_gasPrice: () => q(BASE_FEE + PRIORITY_FEE),
    eth_maxPriorityFeePerGas: () => q(PRIORITY_FEE),
    eth_feeHistory: feeHistory,
    eth_getBalance: ([a]) => (address(a), q(BALANCE)),
    eth_getCode: ([a]) => (address(a), "0x"),
    eth_getStorageAt: ([a]) => (address(a), ZERO_HASH),
    eth_getTransactionCount: ([a]) => q(store.nonceOf(address(a))),
    eth_estimateGas: ([c]) => {
      const call = callObject(c)
      if (call.to === ARKIV_ADDRESS) dryRun(call)
      return q(intrinsicGas(call.input))
    },
    eth_call: ([c]) => {
      const call = callObject(c)
      if (call.to === ARKIV_ADDRESS) dryRun(call)
      return "0x"
    },
    eth_fillTransaction: fillTransaction,
    eth_sendRawTransaction: sendRawTransaction,
    eth_getTransactionReceipt: ([h]) => {
      const rec = store.getTx(hash32(h))
      return rec ? view.formatReceipt(rec) : null
    },
    eth_getTransactionByHash: ([h]) => {
      const rec = store.getTx(hash32(h))
      return rec ? view.formatTx(rec) : null
    },
    eth_getBlockByNumber: ([tag, full]) => {
      const n = blockOf(tag)
      return n === null ? null : view.formatBlock(n, full === true)
    },
    eth_getBlockByHash: ([h, full]) => {
      const n = view.blockNumberOfHash(hash32(h))
      return n === null ? null : view.formatBlock(n, full === true)
    },
    eth_getBlockTransactionCountByNumber: ([tag]) => {
      const n = blockOf(tag)
      return n === null ? null : q(store.blockInfo(n).txs.length)
    },
    eth_getLogs: (p) => logs.getLogs(p),
    eth_newFilter: (p) => logs.newFilter(p),
    eth_newBlockFilter: (p) => logs.newBlockFilter(p),
    eth_getFilterChanges: (p) => logs.getFilterChanges(p),
    eth_getFilterLogs: (p) => logs.getFilterLogs(p),
    eth_uninstallFilter: (p) => logs.uninstallFilter(p),

    arkiv_query: (p) => arkivQuery(store, p, { sleep }),
    arkiv_getEntityCount: () => entityCount(store),
    arkiv_getBlockTiming: () => {
      const n = store.currentBlock()
      return {
        current_block: n,
        current_block_time: blockTimestamp(store.clock, n),
        duration: store.clock.blockTimeMs / 1000,
      }
    },
  }
  return methods
}

function minBig(a, b) {
  return a < b ? a : b
}
