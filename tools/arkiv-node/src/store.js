/**
 * State store: entities (with their version history), account nonces,
 * transactions and blocks, persisted as one JSON file.
 *
 * Every change to an entity appends a version; a version is visible at block
 * B when it started at or before B, had not ended by B, and `B < expiresAt`.
 * That gives `atBlock` queries point-in-time state. Transactions join the
 * current block as they arrive, so within the current block versions are also
 * ordered by a global transaction sequence number (`seq`): a snapshot is
 * (block, seq), which keeps paged queries stable while the block fills up.
 * Versions that ended more than `historyBlocks` blocks ago are pruned when the
 * state is saved.
 *
 * The file is written atomically (temp file in the same directory, fsync,
 * rename) after every accepted transaction, so a restart loses nothing.
 */
import fs from "node:fs"
import path from "node:path"
import { blockAt, newClock, rebaseClock } from "./clock.js"

/** Identifies the file format. */
export const STATE_FORMAT = "convene-arkiv-node/1"

/**
 * @typedef {object} EntityVersion
 * @property {number} from               block in which this version was written.
 * @property {number} seq                transaction sequence number that wrote it.
 * @property {number|null} to            block in which it was replaced or deleted (null: open).
 * @property {number|null} toSeq         transaction sequence number that replaced or deleted it.
 * @property {string} owner              lowercase address.
 * @property {string} creator            lowercase address.
 * @property {string} contentType
 * @property {string} payload            hex ("0x..." bytes).
 * @property {{key: string, value: string}[]} stringAttributes
 * @property {{key: string, value: string}[]} numericAttributes values are uint64 as decimal strings.
 * @property {number} expiresAt          first block at which the entity is expired.
 * @property {number} createdAtBlock
 * @property {number} createdTxIndex     transaction index of the create in its block.
 * @property {number} createdOpIndex     operation index of the create in its transaction.
 * @property {number} lastModifiedAtBlock
 * @property {number} txIndex            transactionIndexInBlock as reported: the create's
 *                                       (state files written before this rule may hold the
 *                                       last update's; readers use createdTxIndex).
 * @property {number} opIndex            operationIndexInTransaction as reported: the create's.
 */

/**
 * @typedef {object} StoredLog
 * @property {string} address lowercase.
 * @property {string[]} topics 32-byte hex.
 * @property {string} data hex.
 * @property {number} logIndex index within the block.
 */

/**
 * @typedef {object} TxRecord
 * @property {string} hash
 * @property {string} raw        raw signed transaction (hex).
 * @property {string} from
 * @property {string|null} to
 * @property {number} nonce
 * @property {number} blockNumber
 * @property {number} txIndex
 * @property {0|1} status
 * @property {string} gasUsed    decimal string.
 * @property {string} effectiveGasPrice decimal string (wei).
 * @property {StoredLog[]} logs
 * @property {string} [revertReason]
 */

/**
 * The node's whole state, with load/save.
 */
export class Store {
  /**
   * @param {object} opts
   * @param {string|null} opts.statePath JSON file path, or null for an in-memory store.
   * @param {() => number} opts.now clock, unix ms.
   * @param {number} opts.blockTimeMs block duration in ms.
   * @param {number} opts.chainId
   * @param {number} opts.historyBlocks how many blocks of history to keep for `atBlock` queries.
   */
  constructor({ statePath, now, blockTimeMs, chainId, historyBlocks }) {
    this.statePath = statePath
    this.now = now
    this.historyBlocks = historyBlocks
    const loaded = statePath ? readState(statePath) : null
    if (loaded) {
      this.state = loaded
      this.state.clock = rebaseClock(loaded.clock, now(), blockTimeMs, loaded.lastTxBlock)
    } else {
      this.state = {
        format: STATE_FORMAT,
        chainId,
        clock: newClock(now(), blockTimeMs),
        lastTxBlock: 0,
        nonces: {},
        entities: {},
        txs: {},
        blocks: {},
        txSeq: 0,
      }
    }
  }

  /** @returns {import("./clock.js").ClockState} */
  get clock() {
    return this.state.clock
  }

  /** @returns {number} sequence number of the last committed transaction. */
  get txSeq() {
    return this.state.txSeq
  }

  /** @returns {number} the current block number. */
  currentBlock() {
    return blockAt(this.state.clock, this.now(), this.state.lastTxBlock)
  }

  /**
   * Next nonce of an account.
   * @param {string} address any case.
   * @returns {number}
   */
  nonceOf(address) {
    return this.state.nonces[address.toLowerCase()] ?? 0
  }

  /**
   * The version of an entity visible in a snapshot, or null.
   * @param {string} key lowercase 0x + 64 hex.
   * @param {number} block
   * @param {number} [seq=Infinity] transaction sequence number of the snapshot
   *   (Infinity: everything committed so far).
   * @returns {EntityVersion|null}
   */
  versionAt(key, block, seq = Infinity) {
    const versions = this.state.entities[key]
    if (!versions) return null
    for (let i = versions.length - 1; i >= 0; i--) {
      const v = versions[i]
      if (isVisible(v, block, seq)) return v
    }
    return null
  }

  /**
   * All entities visible in a snapshot.
   * @param {number} block
   * @param {number} [seq=Infinity] see {@link Store#versionAt}.
   * @returns {{key: string, version: EntityVersion}[]} unordered.
   */
  entitiesAt(block, seq = Infinity) {
    const out = []
    for (const key of Object.keys(this.state.entities)) {
      const version = this.versionAt(key, block, seq)
      if (version) out.push({ key, version })
    }
    return out
  }

  /**
   * Earliest block still answerable by `atBlock` queries.
   * @returns {number}
   */
  oldestQueryableBlock() {
    return Math.max(0, this.currentBlock() - this.historyBlocks)
  }

  /**
   * Records an executed transaction and its entity changes, then saves.
   * @param {object} args
   * @param {TxRecord} args.tx the record (blockNumber, txIndex and logIndex already set).
   * @param {Map<string, EntityVersion|null>} args.changes final state per touched entity key
   *   (null: deleted); applied at `tx.blockNumber`.
   */
  commitTransaction({ tx, changes }) {
    const s = this.state
    const block = tx.blockNumber
    const seq = s.txSeq + 1
    s.txSeq = seq
    for (const [key, next] of changes) {
      const versions = s.entities[key] ?? []
      const last = versions[versions.length - 1]
      if (last && last.to === null) {
        last.to = block
        last.toSeq = seq
      }
      if (next) versions.push({ ...next, from: block, seq, to: null, toSeq: null })
      if (versions.length) s.entities[key] = versions
    }
    s.txs[tx.hash] = tx
    s.nonces[tx.from] = tx.nonce + 1
    const b = (s.blocks[block] ??= { txs: [], logCount: 0 })
    b.txs.push(tx.hash)
    b.logCount += tx.logs.length
    s.lastTxBlock = Math.max(s.lastTxBlock, block)
    this.save()
  }

  /**
   * Transactions and log count of a block.
   * @param {number} block
   * @returns {{txs: string[], logCount: number}}
   */
  blockInfo(block) {
    return this.state.blocks[block] ?? { txs: [], logCount: 0 }
  }

  /**
   * @param {string} hash lowercase tx hash.
   * @returns {TxRecord|null}
   */
  getTx(hash) {
    return this.state.txs[hash] ?? null
  }

  /** Drops entity versions that ended before the history window. */
  prune() {
    const oldest = this.oldestQueryableBlock()
    for (const [key, versions] of Object.entries(this.state.entities)) {
      const kept = versions.filter((v) => Math.min(v.to ?? Infinity, v.expiresAt) > oldest)
      if (kept.length) this.state.entities[key] = kept
      else delete this.state.entities[key]
    }
  }

  /** Prunes and writes the state file atomically (no-op for an in-memory store). */
  save() {
    this.prune()
    if (!this.statePath) return
    writeAtomic(this.statePath, JSON.stringify(this.state))
  }
}

/**
 * Whether an entity version is visible in a snapshot.
 * @param {EntityVersion} v
 * @param {number} block
 * @param {number} [seq=Infinity] transaction sequence number of the snapshot.
 * @returns {boolean}
 */
export function isVisible(v, block, seq = Infinity) {
  const started = v.from < block || (v.from === block && v.seq <= seq)
  const ended = v.to !== null && (v.to < block || (v.to === block && v.toSeq <= seq))
  return started && !ended && block < v.expiresAt
}

function readState(file) {
  let text
  try {
    text = fs.readFileSync(file, "utf8")
  } catch (err) {
    if (err.code === "ENOENT") return null
    throw err
  }
  let state
  try {
    state = JSON.parse(text)
  } catch (err) {
    throw new Error(`arkiv-node: state file ${file} is not valid JSON (${err.message}); move it away to start a fresh chain`)
  }
  if (!state || state.format !== STATE_FORMAT) {
    throw new Error(`arkiv-node: state file ${file} is not a ${STATE_FORMAT} state file`)
  }
  return state
}

/**
 * Writes a file atomically: temp file in the same directory, fsync, rename.
 * @param {string} file destination path.
 * @param {string} text contents (UTF-8).
 */
export function writeAtomic(file, text) {
  const dir = path.dirname(path.resolve(file))
  fs.mkdirSync(dir, { recursive: true })
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`)
  const fd = fs.openSync(tmp, "w")
  try {
    fs.writeSync(fd, text)
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  fs.renameSync(tmp, file)
}
