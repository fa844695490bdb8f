/**
 * Applies decoded Arkiv operations to the state, with arkiv-op-geth's rules:
 *
 * - Order of execution (and of the emitted logs): creates, deletes, updates,
 *   extends, owner changes; the whole transaction is atomic.
 * - Entity key of a create: keccak256(txHash ++ payload ++ uint256(opIndex)),
 *   as arkiv-op-geth derives it.
 * - Owner and creator of a new entity: the sender. expiresAt = block + BTL.
 * - Update, delete and owner change: only the current owner. An update replaces
 *   content type, payload and all attributes, resets expiresAt to block + BTL,
 *   sets lastModifiedAtBlock to the block and keeps owner, creator,
 *   createdAtBlock and the create's transaction / operation index (as the
 *   query store of arkiv-op-geth does).
 * - Owner change: sets owner only; creator, lastModifiedAtBlock and the chain
 *   position stay. Extend: sets expiresAt only.
 * - Operation index: the index of the operation among the operations of its
 *   kind in the transaction (creates 0.., updates 0.., ...), as arkiv-events
 *   numbers them.
 * - Extend: anyone may extend any live entity (as in arkiv-op-geth, which does
 *   not check ownership); expiresAt += numberOfBlocks.
 * - An expired or deleted entity does not exist for any operation.
 * - Storage cost is always 0 (the SDK 0.6.8 sends value 0).
 */
import { concat, keccak256, numberToHex } from "viem"
import { ArkivExecutionError } from "./errors.js"
import { addressTopic, arkivLog } from "./events.js"

/**
 * @typedef {import("./store.js").EntityVersion} EntityVersion
 * @typedef {import("./txdecode.js").ArkivOps} ArkivOps
 */

/**
 * Derives the key of a created entity.
 * @param {string} txHash 0x + 64 hex.
 * @param {string} payload hex bytes.
 * @param {number} opIndex index of the create within the transaction.
 * @returns {string} lowercase 0x + 64 hex.
 */
export function entityKeyFor(txHash, payload, opIndex) {
  return keccak256(concat([txHash, payload, numberToHex(opIndex, { size: 32 })])).toLowerCase()
}

/**
 * Executes Arkiv operations against the state visible at `block`, without
 * changing the store.
 * @param {object} args
 * @param {import("./store.js").Store} args.store
 * @param {number} args.block block the transaction is included in.
 * @param {number} args.txIndex index of the transaction in that block.
 * @param {string} args.txHash
 * @param {string} args.from sender, lowercase.
 * @param {ArkivOps} args.ops
 * @returns {{changes: Map<string, EntityVersion|null>, logs: {address: string, topics: string[], data: string}[]}}
 *   `changes`: final version (without from/to) per touched key, null when deleted.
 * @throws {ArkivExecutionError} with the revert reason when any operation fails.
 */
export function executeArkiv({ store, block, txIndex, txHash, from, ops }) {
  const changes = new Map()
  const logs = []
  const get = (key) => (changes.has(key) ? changes.get(key) : store.versionAt(key, block))
  const requireEntity = (key, what) => {
    const v = get(key)
    if (!v) throw new ArkivExecutionError(`failed to ${what} entity ${key}: entity not found`)
    return v
  }
  const requireOwner = (v, key, what) => {
    if (v.owner !== from) throw new ArkivExecutionError(`failed to ${what} entity ${key}: ${from} is not the owner`)
  }

  ops.creates.forEach((c, opIndex) => {
    const key = entityKeyFor(txHash, c.payload, opIndex)
    if (get(key)) throw new ArkivExecutionError(`failed to create entity ${key}: entity already exists`)
    const version = {
      owner: from,
      creator: from,
      contentType: c.contentType,
      payload: c.payload,
      stringAttributes: c.stringAttributes.map(({ key, value }) => ({ key, value })),
      numericAttributes: c.numericAttributes.map(({ key, value }) => ({ key, value: value.toString() })),
      expiresAt: block + c.btl,
      createdAtBlock: block,
      createdTxIndex: txIndex,
      createdOpIndex: opIndex,
      lastModifiedAtBlock: block,
      txIndex,
      opIndex,
    }
    changes.set(key, version)
    logs.push(arkivLog("created", key, [addressTopic(from)], [version.expiresAt, 0]))
  })

  for (const key of ops.deletes) {
    const v = requireEntity(key, "delete")
    requireOwner(v, key, "delete")
    changes.set(key, null)
    logs.push(arkivLog("deleted", key, [addressTopic(v.owner)], []))
  }

  ops.updates.forEach((u, opIndex) => {
    const key = u.entityKey
    const old = requireEntity(key, "update")
    requireOwner(old, key, "update")
    const version = {
      owner: old.owner,
      creator: old.creator,
      contentType: u.contentType,
      payload: u.payload,
      stringAttributes: u.stringAttributes.map(({ key, value }) => ({ key, value })),
      numericAttributes: u.numericAttributes.map(({ key, value }) => ({ key, value: value.toString() })),
      expiresAt: block + u.btl,
      createdAtBlock: old.createdAtBlock,
      createdTxIndex: old.createdTxIndex,
      createdOpIndex: old.createdOpIndex,
      lastModifiedAtBlock: block,
      // arkiv-op-geth's query store keeps the create's transaction and
      // operation index (and $sequence) across updates; only
      // lastModifiedAtBlock moves.
      txIndex: old.createdTxIndex,
      opIndex: old.createdOpIndex,
    }
    changes.set(key, version)
    logs.push(arkivLog("updated", key, [addressTopic(old.owner)], [old.expiresAt, version.expiresAt, 0]))
  })

  for (const e of ops.extends) {
    const key = e.entityKey
    const old = requireEntity(key, "extend")
    const expiresAt = old.expiresAt + e.blocks
    if (!Number.isSafeInteger(expiresAt)) throw new ArkivExecutionError(`failed to extend entity ${key}: expiration overflow`)
    changes.set(key, { ...stripRange(old), expiresAt })
    logs.push(arkivLog("extended", key, [addressTopic(old.owner)], [old.expiresAt, expiresAt, 0]))
  }

  for (const c of ops.ownerChanges) {
    const key = c.entityKey
    const old = requireEntity(key, "change owner of")
    requireOwner(old, key, "change owner of")
    changes.set(key, { ...stripRange(old), owner: c.newOwner })
    logs.push(arkivLog("ownerChanged", key, [addressTopic(old.owner), addressTopic(c.newOwner)], []))
  }

  return { changes, logs }
}

function stripRange(v) {
  const { from: _f, to: _t, ...rest } = v
  return rest
}
