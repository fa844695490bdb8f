/**
 * State store: entities (with their version history), account nonces,
 * transactions and blocks, with secondary indexes and crash-safe persistence.
 *
 * Every change to an entity appends a version; a version is visible at block
 * B when it started at or before B, had not ended by B, and `B < expiresAt`.
 * That gives `atBlock` queries point-in-time state. Transactions join the
 * current block as they arrive, so within the current block versions are also
 * ordered by a global transaction sequence number (`seq`): a snapshot is
 * (block, seq), which keeps paged queries stable while the block fills up.
 * Versions that ended more than `historyBlocks` blocks ago are pruned
 * (incrementally, from per-block buckets of version end blocks).
 *
 * Persistence (see the README, "Persistence"): a snapshot file (`statePath`,
 * one JSON object, written atomically: temp file, fsync, rename) plus an
 * append-only log (`statePath + ".log"`, one JSON line per accepted
 * transaction, fdatasync'd before the transaction's result is returned). On
 * start the snapshot is loaded and the log replayed (records already in the
 * snapshot are skipped; an incomplete or unparsable last line, from a crash
 * mid-write, is ignored). A new snapshot is written, and the log emptied, when
 * the log has grown as large as the last snapshot (at least
 * `snapshotMinBytes`), on start when the log held records, and on close (which
 * also removes the log file). Snapshots grow geometrically apart, so the total
 * work of writing stays linear in the number of transactions. A snapshot is
 * JSON Lines (`convene-arkiv-node/3`): a header line with the small fields,
 * then one line per entry of the large maps (`["entities", key, versions]`,
 * likewise `txs`, `blocks`, `nonces`), written and read line by line, so its
 * size is not limited by the longest string V8 can hold (about 512 MiB: one
 * JSON.stringify of the state failed at about 400,000 entities). State files
 * of the older single-JSON formats (`convene-arkiv-node/1` without a log,
 * `/2` with one) are loaded and rewritten in the new format on first start.
 */
import fs from "node:fs"
import path from "node:path"
import { blockAt, newClock, rebaseClock } from "./clock.js"
import { EntityIndex } from "./indexes.js"

/** Identifies the snapshot format (JSON Lines; a log next to it). */
export const STATE_FORMAT = "convene-arkiv-node/3"
/** The first format: one JSON file holding everything, no log. Loaded and migrated. */
export const LEGACY_STATE_FORMAT = "convene-arkiv-node/1"
/** One JSON file holding everything, with a log next to it. Loaded and migrated. */
export const SINGLE_JSON_STATE_FORMAT = "convene-arkiv-node/2"
/** The state's maps written one entry per line in a snapshot. */
const LINE_MAPS = ["entities", "txs", "blocks", "nonces"]
/** Smallest log size (bytes) at which a snapshot is written; above it, the last snapshot's size. */
export const SNAPSHOT_MIN_BYTES = 4 * 1024 * 1024

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
 * The node's whole state, with load, the transaction log and snapshots.
 */
export class Store {
  /**
   * @param {object} opts
   * @param {string|null} opts.statePath snapshot file path (the log is `statePath + ".log"`),
   *   or null for an in-memory store.
   * @param {() => number} opts.now clock, unix ms.
   * @param {number} opts.blockTimeMs block duration in ms.
   * @param {number} opts.chainId
   * @param {number} opts.historyBlocks how many blocks of history to keep for `atBlock` queries.
   * @param {number} [opts.snapshotMinBytes] log size that may trigger a snapshot (default 4 MiB).
   */
  constructor({ statePath, now, blockTimeMs, chainId, historyBlocks, snapshotMinBytes = SNAPSHOT_MIN_BYTES }) {
    this.statePath = statePath
    this.logPath = statePath ? `${statePath}.log` : null
    this.now = now
    this.historyBlocks = historyBlocks
    this.snapshotMinBytes = snapshotMinBytes
    this.index = new EntityIndex()
    this.index.versionsOf = (key) => this.state.entities[key] || []
    /** @type {Map<number, Set<string>>} block -> keys with a version ending (expiry or replacement) there */
    this.endBuckets = new Map()
    this.prunedThrough = -1
    /**
     * Entities in creation order ({k: key, b, t, o: block, transaction and
     * operation index of the create}); pruned entities stay as tombstones until
     * they are half of the list. `creationOrdered` stays true while creates
     * arrive in increasing position, which the block clock guarantees.
     * @type {{k: string, b: number, t: number, o: number}[]}
     */
    this.created = []
    this.createdDead = 0
    this.creationOrdered = true
    /** @type {Set<(tx: TxRecord) => void>} */
    this.commitListeners = new Set()
    this.logFd = null
    this.logBytes = 0
    this.snapshotBytes = 0
    this.stats = { snapshots: 0, logRecords: 0, replayed: 0, migrated: false }

    const loaded = statePath ? readState(statePath) : null
    let needSnapshot = Boolean(statePath)
    if (loaded) {
      this.state = loaded.state
      this.stats.migrated = loaded.migrated
      this.snapshotBytes = loaded.bytes
      needSnapshot = loaded.migrated
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
    for (const [key, versions] of Object.entries(this.state.entities)) {
      this._noteCreate(key, versions[0])
      for (const v of versions) this._track(key, v)
    }
    if (this.logPath) {
      const replayed = this._replayLog()
      this.stats.replayed = replayed.records
      if (replayed.bytes > 0) needSnapshot = true
    }
    const clock = rebaseClock(this.state.clock, now(), blockTimeMs, this.state.lastTxBlock)
    if (clock.epochTime !== this.state.clock.epochTime || clock.blockTimeMs !== this.state.clock.blockTimeMs) needSnapshot = true
    this.state.clock = clock
    this.prune()
    if (statePath && needSnapshot) this.snapshot()
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
   * All entities visible in a snapshot (a scan of every retained entity).
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
   * Keys of all retained entities (any version).
   * @returns {string[]}
   */
  allKeys() {
    return Object.keys(this.state.entities)
  }

  /**
   * Keys of entities with a version ending (expiring or replaced) in [from, to].
   * @param {number} from
   * @param {number} to
   * @returns {Set<string>}
   */
  keysEndingIn(from, to) {
    const out = new Set()
    if (to < from) return out
    if (to - from + 1 <= this.endBuckets.size) {
      for (let b = from; b <= to; b++) for (const k of this.endBuckets.get(b) ?? []) out.add(k)
    } else {
      for (const [b, keys] of this.endBuckets) if (b >= from && b <= to) for (const k of keys) out.add(k)
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
   * Records an executed transaction and its entity changes: appends it to the
   * log (synced) and applies it in memory, then tells the commit listeners.
   * @param {object} args
   * @param {TxRecord} args.tx the record (blockNumber, txIndex and logIndex already set).
   * @param {Map<string, EntityVersion|null>} args.changes final state per touched entity key
   *   (null: deleted); applied at `tx.blockNumber`.
   */
  commitTransaction({ tx, changes }) {
    const seq = this.state.txSeq + 1
    const c = [...changes]
    if (this.logPath) this._append(`${JSON.stringify({ s: seq, tx, c })}\n`)
    this._apply(seq, tx, c)
    this.prune()
    if (this.logPath && this.logBytes >= Math.max(this.snapshotMinBytes, this.snapshotBytes)) this.snapshot()
    for (const f of this.commitListeners) {
      try {
        f(tx)
      } catch {
        // listeners report their own errors
      }
    }
  }

  /** Applies a committed transaction in memory (live and on replay). */
  _apply(seq, tx, changes) {
    const s = this.state
    const block = tx.blockNumber
    s.txSeq = seq
    for (const [key, next] of changes) {
      const versions = s.entities[key] ?? []
      if (versions.length === 0 && next) this._noteCreate(key, next)
      const last = versions[versions.length - 1]
      if (last && last.to === null) {
        last.to = block
        last.toSeq = seq
        this._bucket(block, key)
      }
      if (next) {
        const v = { ...next, from: block, seq, to: null, toSeq: null }
        versions.push(v)
        this._track(key, v)
      }
      if (versions.length) s.entities[key] = versions
    }
    s.txs[tx.hash] = tx
    s.nonces[tx.from] = tx.nonce + 1
    const b = (s.blocks[block] ??= { txs: [], logCount: 0 })
    b.txs.push(tx.hash)
    b.logCount += tx.logs.length
    s.lastTxBlock = Math.max(s.lastTxBlock, block)
  }

  _noteCreate(key, v) {
    const e = { k: key, b: v.createdAtBlock, t: v.createdTxIndex, o: v.createdOpIndex }
    const last = this.created[this.created.length - 1]
    if (!Number.isSafeInteger(e.b) || !Number.isSafeInteger(e.t) || !Number.isSafeInteger(e.o)) this.creationOrdered = false
    else if (last && (last.b - e.b || last.t - e.t || last.o - e.o || (last.k < e.k ? -1 : 1)) > 0) this.creationOrdered = false
    this.created.push(e)
  }

  _bucket(block, key) {
    let set = this.endBuckets.get(block)
    if (!set) this.endBuckets.set(block, (set = new Set()))
    set.add(key)
  }

  /** Indexes a retained version and files it under its end block(s). */
  _track(key, v) {
    this.index.add(key, v)
    this._bucket(v.expiresAt, key)
    if (v.to !== null) this._bucket(v.to, key)
  }

  /**
   * Transactions and log count of a block.
   * @param {number} block
   * @returns {{txs: string[], logCount: number}}
   */
  blockInfo(block) {
    return this.state.blocks[block] ?? { txs: [], logCount: 0 }
  }

  /** @returns {number} number of blocks holding transactions. */
  blockCount() {
    return Object.keys(this.state.blocks).length
  }

  /**
   * @param {string} hash lowercase tx hash.
   * @returns {TxRecord|null}
   */
  getTx(hash) {
    return this.state.txs[hash] ?? null
  }

  /**
   * Drops entity versions that ended before the history window: those whose
   * min(end of version, expiresAt) <= oldest queryable block. Only entities
   * filed in the end buckets up to that block are looked at.
   */
  prune() {
    const oldest = this.oldestQueryableBlock()
    if (oldest <= this.prunedThrough) return
    const blocks = []
    if (oldest - this.prunedThrough <= this.endBuckets.size) {
      for (let b = this.prunedThrough + 1; b <= oldest; b++) if (this.endBuckets.has(b)) blocks.push(b)
    } else {
      for (const b of this.endBuckets.keys()) if (b <= oldest) blocks.push(b)
    }
    this.prunedThrough = oldest
    const keys = new Set()
    for (const b of blocks) {
      for (const k of this.endBuckets.get(b)) keys.add(k)
      this.endBuckets.delete(b)
    }
    for (const key of keys) {
      const versions = this.state.entities[key]
      if (!versions) continue
      const kept = []
      for (const v of versions) {
        if (Math.min(v.to ?? Infinity, v.expiresAt) > oldest) kept.push(v)
        else this.index.remove(key, v)
      }
      if (kept.length) this.state.entities[key] = kept
      else {
        delete this.state.entities[key]
        this.createdDead++
      }
    }
    if (this.createdDead > 1024 && this.createdDead * 2 > this.created.length) {
      this.created = this.created.filter((e) => this.state.entities[e.k])
      this.createdDead = 0
    }
  }

  /**
   * Writes a snapshot atomically and empties the log (no-op in memory).
   */
  snapshot() {
    if (!this.statePath) return
    this.snapshotBytes = writeSnapshot(this.statePath, this.state)
    this.stats.snapshots++
    // Every logged record is now in the snapshot: start the log afresh.
    if (this.logFd === null) this.logFd = fs.openSync(this.logPath, "a")
    fs.ftruncateSync(this.logFd, 0)
    fs.fsyncSync(this.logFd)
    this.logBytes = 0
  }

  /** Kept for callers of the old API: writes a snapshot. */
  save() {
    this.snapshot()
  }

  /**
   * Writes a final snapshot and removes the log (no-op in memory).
   */
  close() {
    if (!this.statePath) return
    this.snapshot()
    fs.closeSync(this.logFd)
    this.logFd = null
    fs.rmSync(this.logPath, { force: true })
  }

  _append(line) {
    if (this.logFd === null) {
      fs.mkdirSync(path.dirname(this.logPath), { recursive: true })
      this.logFd = fs.openSync(this.logPath, "a")
    }
    const buf = Buffer.from(line, "utf8")
    let off = 0
    while (off < buf.length) off += fs.writeSync(this.logFd, buf, off)
    fs.fdatasyncSync(this.logFd)
    this.logBytes += buf.length
    this.stats.logRecords++
  }

  /** Replays the log over the loaded snapshot. @returns {{records: number, bytes: number}} */
  _replayLog() {
    let buf
    try {
      buf = fs.readFileSync(this.logPath)
    } catch (err) {
      if (err.code === "ENOENT") return { records: 0, bytes: 0 }
      throw err
    }
    let records = 0
    let start = 0
    let lineNo = 0
    while (start < buf.length) {
      let end = buf.indexOf(10, start)
      const complete = end !== -1
      if (!complete) end = buf.length
      lineNo++
      const text = buf.toString("utf8", start, end)
      start = end + 1
      if (!text.trim()) continue
      let rec
      try {
        rec = JSON.parse(text)
        if (!Number.isSafeInteger(rec?.s) || !rec.tx || !Array.isArray(rec.c)) throw new Error("not a log record")
      } catch (err) {
        // A crash mid-append leaves an incomplete last line: ignore it.
        if (start >= buf.length) break
        throw new Error(`arkiv-node: log ${this.logPath} line ${lineNo} is corrupt (${err.message}); move it away to start from the snapshot`)
      }
      if (rec.s <= this.state.txSeq) continue // already in the snapshot
      if (rec.s !== this.state.txSeq + 1) throw new Error(`arkiv-node: log ${this.logPath} line ${lineNo} skips from transaction ${this.state.txSeq} to ${rec.s}`)
      this._apply(rec.s, rec.tx, rec.c)
      records++
    }
    return { records, bytes: buf.length }
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
  let buf
  try {
    buf = fs.readFileSync(file)
  } catch (err) {
    if (err.code === "ENOENT") return null
    throw err
  }
  const state = parseSnapshot(buf, file)
  if (!state || (state.format !== STATE_FORMAT && state.format !== SINGLE_JSON_STATE_FORMAT && state.format !== LEGACY_STATE_FORMAT)) {
    throw new Error(`arkiv-node: state file ${file} is not a ${STATE_FORMAT} state file`)
  }
  const migrated = state.format !== STATE_FORMAT
  state.format = STATE_FORMAT
  state.txSeq ??= 0
  return { state, migrated, bytes: buf.length }
}

/**
 * The state a snapshot file holds, in any format (JSON Lines, or the older single JSON).
 * @param {Buffer} buf file contents.
 * @param {string} file for error messages.
 */
function parseSnapshot(buf, file) {
  const bad = (err) => new Error(`arkiv-node: state file ${file} is not valid (${err.message}); move it away to start a fresh chain`)
  let end = buf.indexOf(10)
  if (end < 0) end = buf.length
  let header
  try {
    header = JSON.parse(buf.subarray(0, end).toString("utf8"))
  } catch (err) {
    // A single-JSON file written on several lines cannot be one; anything else is not a state file.
    throw bad(err)
  }
  // Single JSON (formats /1 and /2, or a whole state written by hand): the first line is everything.
  if (!header || header.format !== STATE_FORMAT || LINE_MAPS.some((m) => m in header)) return header
  for (const m of LINE_MAPS) header[m] = {}
  let lineNo = 1
  for (let start = end + 1; start < buf.length; start = end + 1) {
    end = buf.indexOf(10, start)
    if (end < 0) end = buf.length
    lineNo++
    if (end === start) continue
    let entry
    try {
      entry = JSON.parse(buf.subarray(start, end).toString("utf8"))
    } catch (err) {
      throw bad(new Error(`line ${lineNo}: ${err.message}`))
    }
    if (!Array.isArray(entry) || entry.length !== 3 || !LINE_MAPS.includes(entry[0])) throw bad(new Error(`line ${lineNo} is not a [map, key, value] entry`))
    header[entry[0]][entry[1]] = entry[2]
  }
  return header
}

/**
 * Reads a snapshot file into the state object it holds (any format); for tests and tools.
 * @param {string} file
 */
export function readSnapshotFile(file) {
  return parseSnapshot(fs.readFileSync(file), file)
}

/**
 * Writes `state` as a JSON Lines snapshot, atomically (temp file in the same directory, fsync,
 * rename), in chunks of about 1 MiB. @returns {number} bytes written
 */
function writeSnapshot(file, state) {
  const dir = path.dirname(path.resolve(file))
  fs.mkdirSync(dir, { recursive: true })
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`)
  const fd = fs.openSync(tmp, "w")
  let bytes = 0
  try {
    let chunk = []
    let size = 0
    const flush = () => {
      if (!chunk.length) return
      const buf = Buffer.from(chunk.join(""), "utf8")
      let off = 0
      while (off < buf.length) off += fs.writeSync(fd, buf, off)
      bytes += buf.length
      chunk = []
      size = 0
    }
    const put = (line) => {
      chunk.push(line, "\n")
      size += line.length + 1
      if (size >= 1 << 20) flush()
    }
    const header = {}
    for (const [k, v] of Object.entries(state)) if (!LINE_MAPS.includes(k)) header[k] = v
    put(JSON.stringify(header))
    for (const m of LINE_MAPS) for (const [k, v] of Object.entries(state[m] || {})) put(JSON.stringify([m, k, v]))
    flush()
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  fs.renameSync(tmp, file)
  return bytes
}
