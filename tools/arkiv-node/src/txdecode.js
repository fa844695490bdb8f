/**
 * Decoding of signed transactions and of Arkiv calldata.
 *
 * A signed transaction is parsed and its sender recovered with viem. Calldata
 * sent to the Arkiv address is `brotli(RLP([creates, updates, deletes,
 * extends, ownerChanges]))`, exactly as @arkiv-network/sdk 0.6.8's
 * `opsToTxData` + `compress` produce it (and as arkiv-op-geth's
 * `UnpackArkivTransaction` reads it):
 *
 *   create      = [btl, contentType, payload, [[key, strValue]...], [[key, uintValue]...]]
 *   update      = [entityKey, contentType, btl, payload, [[key, strValue]...], [[key, uintValue]...]]
 *   delete      = entityKey
 *   extend      = [entityKey, numberOfBlocks]
 *   ownerChange = [entityKey, newOwnerAddress]
 *
 * Integers are big-endian unsigned (the SDK encodes the number 0 as the empty
 * string). Everything here is stateless; owner and existence checks happen in
 * executor.js.
 */
import { brotliDecompressSync } from "node:zlib"
import { fromRlp, hexToBytes, isHex, keccak256, parseTransaction, recoverTransactionAddress } from "viem"
import { RpcError, SERVER_ERROR } from "./errors.js"

/** The address Arkiv transactions are sent to ("arkiv" in ASCII). */
export const ARKIV_ADDRESS = "0x00000000000000000000000000000061726b6976"
/** Largest accepted signed transaction, in bytes (geth's txMaxSize, 128 KiB). */
export const MAX_TX_BYTES = 128 * 1024
/** Largest accepted decompressed Arkiv payload, in bytes (arkiv-op-geth's 20 MiB). */
export const MAX_DECOMPRESSED_BYTES = 20 * 1024 * 1024
/** Most operations accepted in one transaction (all kinds together). */
export const MAX_OPERATIONS = 1000
/** Largest accepted blocks-to-live / extension, in blocks (keeps block numbers exact in JS). */
export const MAX_BTL = 2 ** 48
/** Attribute keys (docs/toolchain.md#limits). */
export const ATTRIBUTE_KEY_RE = /^[\p{L}_][\p{L}\p{N}_]*$/u

const SECP256K1_HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n
const UINT64_MAX = (1n << 64n) - 1n
const utf8 = new TextDecoder("utf-8")

/**
 * @typedef {object} DecodedTransaction
 * @property {`0x${string}`} hash     keccak256 of the raw signed bytes.
 * @property {`0x${string}`} raw      the raw signed transaction (hex).
 * @property {string} from            sender, lowercase 0x address.
 * @property {string|null} to         recipient, lowercase, or null for contract creation.
 * @property {number} nonce
 * @property {number} chainId
 * @property {`0x${string}`} input    calldata (hex, "0x" when empty).
 * @property {bigint} gas             gas limit.
 * @property {bigint} value           wei.
 * @property {string} type            viem transaction type ("legacy", "eip2930", "eip1559", ...).
 * @property {object} parsed          viem's parseTransaction result.
 */

/**
 * Parses a raw signed transaction, verifies its signature, size and chain id.
 * Nonce checks are left to the caller (they need state).
 * @param {unknown} raw hex string of the signed transaction.
 * @param {{chainId: number}} opts the chain id the transaction must be signed for.
 * @returns {Promise<DecodedTransaction>}
 * @throws {RpcError} -32602 for a non-hex param, -32000 for anything else
 *   (oversized data, undecodable transaction, bad signature, wrong chain id).
 */
export async function decodeRawTransaction(raw, { chainId }) {
  if (typeof raw !== "string" || !isHex(raw, { strict: true }) || raw.length < 4 || raw.length % 2 !== 0) {
    throw new RpcError(-32602, "invalid argument 0: raw transaction must be a 0x-prefixed hex string")
  }
  const size = (raw.length - 2) / 2
  if (size > MAX_TX_BYTES) {
    throw new RpcError(SERVER_ERROR, `oversized data: transaction size ${size}, limit ${MAX_TX_BYTES}`)
  }
  let parsed
  try {
    parsed = parseTransaction(raw)
  } catch (err) {
    throw new RpcError(SERVER_ERROR, `rlp: undecodable transaction: ${shortMessage(err)}`)
  }
  if (!["legacy", "eip2930", "eip1559"].includes(parsed.type)) {
    throw new RpcError(SERVER_ERROR, `transaction type not supported: ${parsed.type}`)
  }
  if (parsed.r === undefined || parsed.s === undefined) {
    throw new RpcError(SERVER_ERROR, "invalid sender: transaction is not signed")
  }
  const r = BigInt(parsed.r)
  const s = BigInt(parsed.s)
  if (r === 0n || s === 0n || s > SECP256K1_HALF_N) {
    throw new RpcError(SERVER_ERROR, "invalid transaction v, r, s values")
  }
  if (parsed.chainId === undefined) {
    throw new RpcError(SERVER_ERROR, "only replay-protected (EIP-155) transactions allowed over RPC")
  }
  if (parsed.chainId !== chainId) {
    throw new RpcError(SERVER_ERROR, `invalid chain id for signer: have ${parsed.chainId} want ${chainId}`)
  }
  let from
  try {
    from = (await recoverTransactionAddress({ serializedTransaction: raw })).toLowerCase()
  } catch (err) {
    throw new RpcError(SERVER_ERROR, `invalid sender: ${shortMessage(err)}`)
  }
  return {
    hash: keccak256(raw),
    raw,
    from,
    to: parsed.to ? parsed.to.toLowerCase() : null,
    nonce: parsed.nonce ?? 0,
    chainId: parsed.chainId,
    input: parsed.data ?? "0x",
    gas: parsed.gas ?? 0n,
    value: parsed.value ?? 0n,
    type: parsed.type,
    parsed,
  }
}

/**
 * @typedef {{key: string, value: string}} StringAttribute
 * @typedef {{key: string, value: bigint}} NumericAttribute
 * @typedef {object} CreateOp
 * @property {number} btl blocks to live (>= 1).
 * @property {string} contentType
 * @property {`0x${string}`} payload hex.
 * @property {StringAttribute[]} stringAttributes
 * @property {NumericAttribute[]} numericAttributes uint64 values.
 * @typedef {CreateOp & {entityKey: string}} UpdateOp
 * @typedef {{entityKey: string, blocks: number}} ExtendOp
 * @typedef {{entityKey: string, newOwner: string}} OwnerChangeOp
 * @typedef {object} ArkivOps
 * @property {CreateOp[]} creates
 * @property {UpdateOp[]} updates
 * @property {string[]} deletes entity keys (lowercase 0x + 64 hex).
 * @property {ExtendOp[]} extends
 * @property {OwnerChangeOp[]} ownerChanges
 */

/**
 * Decompresses, RLP-decodes and validates Arkiv calldata.
 * @param {`0x${string}`} data transaction input (hex).
 * @returns {ArkivOps}
 * @throws {RpcError} -32000 "invalid arkiv transaction: ..." when the data is not
 *   brotli, not the expected RLP layout, or breaks a stateless rule (BTL 0,
 *   empty or > 128 char content type, bad or duplicate attribute key, more than
 *   {@link MAX_OPERATIONS} operations).
 */
export function decodeArkivCalldata(data) {
  try {
    return decodeOps(data)
  } catch (err) {
    if (err instanceof RpcError) throw err
    throw new RpcError(SERVER_ERROR, `invalid arkiv transaction: ${shortMessage(err)}`)
  }
}

function decodeOps(data) {
  const compressed = Buffer.from(hexToBytes(data))
  if (compressed.length === 0) fail("empty calldata")
  let rlpBytes
  try {
    rlpBytes = brotliDecompressSync(compressed, { maxOutputLength: MAX_DECOMPRESSED_BYTES })
  } catch (err) {
    fail(`brotli: ${err.code === "ERR_BUFFER_TOO_LARGE" ? "decompressed data exceeds 20 MiB" : shortMessage(err)}`)
  }
  let top
  try {
    top = fromRlp(new Uint8Array(rlpBytes), "hex")
  } catch (err) {
    fail(`rlp: ${shortMessage(err)}`)
  }
  list(top, "transaction")
  if (top.length < 4 || top.length > 5) fail(`rlp: expected 5 operation lists, got ${top.length}`)
  const [creates, updates, deletes, extendsList, ownerChanges = []] = top
  for (const [l, name] of [[creates, "creates"], [updates, "updates"], [deletes, "deletes"], [extendsList, "extends"], [ownerChanges, "ownerChanges"]]) {
    list(l, name)
  }
  const total = creates.length + updates.length + deletes.length + extendsList.length + ownerChanges.length
  if (total === 0) fail("no operations")
  if (total > MAX_OPERATIONS) fail(`too many operations: ${total} (limit ${MAX_OPERATIONS})`)

  const ops = {
    creates: creates.map((item, i) => {
      const what = `create[${i}]`
      list(item, what)
      if (item.length !== 5) fail(`${what}: expected 5 fields, got ${item.length}`)
      return entityFields(what, { btl: item[0], contentType: item[1], payload: item[2], str: item[3], num: item[4] })
    }),
    updates: updates.map((item, i) => {
      const what = `update[${i}]`
      list(item, what)
      if (item.length !== 6) fail(`${what}: expected 6 fields, got ${item.length}`)
      return {
        entityKey: entityKey(item[0], `${what}.entityKey`),
        ...entityFields(what, { contentType: item[1], btl: item[2], payload: item[3], str: item[4], num: item[5] }),
      }
    }),
    deletes: deletes.map((item, i) => entityKey(item, `delete[${i}]`)),
    extends: extendsList.map((item, i) => {
      const what = `extend[${i}]`
      list(item, what)
      if (item.length !== 2) fail(`${what}: expected 2 fields, got ${item.length}`)
      const blocks = uint(item[1], `${what}.numberOfBlocks`)
      if (blocks === 0n) fail(`${what}: number of blocks is 0`)
      if (blocks > BigInt(MAX_BTL)) fail(`${what}: number of blocks too large`)
      return { entityKey: entityKey(item[0], `${what}.entityKey`), blocks: Number(blocks) }
    }),
    ownerChanges: ownerChanges.map((item, i) => {
      const what = `changeOwner[${i}]`
      list(item, what)
      if (item.length !== 2) fail(`${what}: expected 2 fields, got ${item.length}`)
      const owner = bytes(item[1], `${what}.newOwner`)
      if ((owner.length - 2) / 2 !== 20) fail(`${what}: new owner must be a 20-byte address`)
      return { entityKey: entityKey(item[0], `${what}.entityKey`), newOwner: owner.toLowerCase() }
    }),
  }
  return ops
}

function entityFields(what, { btl, contentType, payload, str, num }) {
  const blocks = uint(btl, `${what}.btl`)
  if (blocks === 0n) fail(`${what}: BTL is 0`)
  if (blocks > BigInt(MAX_BTL)) fail(`${what}: BTL too large`)
  const ct = text(contentType, `${what}.contentType`)
  if (ct === "") fail(`${what}: contentType is empty`)
  if (ct.length > 128) fail(`${what}: contentType is too long`)
  const pl = bytes(payload, `${what}.payload`)
  list(str, `${what}.stringAttributes`)
  list(num, `${what}.numericAttributes`)
  const stringAttributes = attributes(str, `${what}.stringAttributes`, (v, w) => text(v, w))
  const numericAttributes = attributes(num, `${what}.numericAttributes`, (v, w) => uint(v, w))
  return { btl: Number(blocks), contentType: ct, payload: pl.toLowerCase(), stringAttributes, numericAttributes }
}

function attributes(items, what, readValue) {
  const seen = new Set()
  return items.map((pair, i) => {
    const w = `${what}[${i}]`
    list(pair, w)
    if (pair.length !== 2) fail(`${w}: expected [key, value]`)
    const key = text(pair[0], `${w}.key`)
    if (!ATTRIBUTE_KEY_RE.test(key)) fail(`invalid attribute key (must match ${ATTRIBUTE_KEY_RE.source}): ${JSON.stringify(key)}`)
    if (seen.has(key)) fail(`${w}: attribute key ${key} is duplicated`)
    seen.add(key)
    return { key, value: readValue(pair[1], `${w}.value`) }
  })
}

function fail(message) {
  throw new RpcError(SERVER_ERROR, `invalid arkiv transaction: ${message}`)
}
function list(x, what) {
  if (!Array.isArray(x)) fail(`${what}: expected an RLP list`)
}
function bytes(x, what) {
  if (typeof x !== "string") fail(`${what}: expected an RLP string`)
  return x
}
function text(x, what) {
  return utf8.decode(hexToBytes(bytes(x, what)))
}
function uint(x, what) {
  const h = bytes(x, what)
  if ((h.length - 2) / 2 > 8) fail(`${what}: integer larger than uint64`)
  const v = h === "0x" ? 0n : BigInt(h)
  if (v > UINT64_MAX) fail(`${what}: integer larger than uint64`)
  return v
}
function entityKey(x, what) {
  const h = bytes(x, what)
  if ((h.length - 2) / 2 !== 32) fail(`${what}: entity key must be 32 bytes`)
  return h.toLowerCase()
}

/**
 * First line of an error's message, for embedding in RPC error messages.
 * @param {unknown} err
 * @returns {string}
 */
export function shortMessage(err) {
  const m = err && typeof err === "object" ? err.shortMessage ?? err.message : String(err)
  return String(m ?? err).split("\n")[0]
}
