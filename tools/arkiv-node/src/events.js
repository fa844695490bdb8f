/**
 * Arkiv event logs: topics, data encoding, log blooms and log filtering.
 *
 * Event signatures are those of arkiv-op-geth, which the SDK's
 * `subscribeEntityEvents` decodes:
 *   ArkivEntityCreated(uint256 indexed entityKey, address indexed owner, uint256 expirationBlock, uint256 cost)
 *   ArkivEntityUpdated(uint256 indexed entityKey, address indexed owner, uint256 oldExpirationBlock, uint256 newExpirationBlock, uint256 cost)
 *   ArkivEntityDeleted(uint256 indexed entityKey, address indexed owner)
 *   ArkivEntityBTLExtended(uint256 indexed entityKey, address indexed owner, uint256 oldExpirationBlock, uint256 newExpirationBlock, uint256 cost)
 *   ArkivEntityOwnerChanged(uint256 indexed entityKey, address indexed oldOwner, address indexed newOwner)
 *   ArkivEntityExpired(uint256 indexed entityKey, address indexed owner)
 * topics[1] is always the entity key, which is where the SDK reads it.
 */
import { keccak256, toHex } from "viem"
import { ARKIV_ADDRESS } from "./txdecode.js"

const sig = (s) => keccak256(toHex(s))

/** topic0 of each Arkiv event. */
export const TOPICS = Object.freeze({
  created: sig("ArkivEntityCreated(uint256,address,uint256,uint256)"),
  updated: sig("ArkivEntityUpdated(uint256,address,uint256,uint256,uint256)"),
  deleted: sig("ArkivEntityDeleted(uint256,address)"),
  extended: sig("ArkivEntityBTLExtended(uint256,address,uint256,uint256,uint256)"),
  ownerChanged: sig("ArkivEntityOwnerChanged(uint256,address,address)"),
  expired: sig("ArkivEntityExpired(uint256,address)"),
})

/**
 * 32-byte big-endian word.
 * @param {number|bigint} n unsigned integer.
 * @returns {string} 64 hex chars, no 0x.
 */
export function word(n) {
  return BigInt(n).toString(16).padStart(64, "0")
}

/**
 * An address left-padded to a 32-byte topic.
 * @param {string} address 0x + 40 hex.
 * @returns {string} 0x + 64 hex, lowercase.
 */
export function addressTopic(address) {
  return `0x${address.slice(2).toLowerCase().padStart(64, "0")}`
}

/**
 * Builds an Arkiv log (without block/tx positions).
 * @param {keyof typeof TOPICS} kind
 * @param {string} entityKey 0x + 64 hex.
 * @param {string[]} extraTopics further indexed topics (already 32-byte hex).
 * @param {(number|bigint)[]} dataWords uint256 data words.
 * @returns {{address: string, topics: string[], data: string}}
 */
export function arkivLog(kind, entityKey, extraTopics, dataWords) {
  return {
    address: ARKIV_ADDRESS,
    topics: [TOPICS[kind], entityKey, ...extraTopics],
    data: `0x${dataWords.map(word).join("")}`,
  }
}

/**
 * Ethereum 2048-bit log bloom of a set of logs.
 * @param {{address: string, topics: string[]}[]} logs
 * @returns {string} 0x + 512 hex.
 */
export function logsBloom(logs) {
  const bloom = new Uint8Array(256)
  const add = (hex) => {
    const h = keccak256(hex, "bytes")
    for (let i = 0; i < 6; i += 2) {
      const bit = ((h[i] << 8) | h[i + 1]) & 2047
      bloom[255 - (bit >> 3)] |= 1 << (bit & 7)
    }
  }
  for (const log of logs) {
    add(log.address)
    for (const t of log.topics) add(t)
  }
  return toHex(bloom)
}

/**
 * Whether a log matches an eth_getLogs / eth_newFilter criterion.
 * @param {{address: string, topics: string[]}} log
 * @param {{address?: string|string[]|null, topics?: (string|string[]|null)[]|null}} filter
 * @returns {boolean}
 */
export function logMatches(log, filter) {
  if (filter.address) {
    const addrs = (Array.isArray(filter.address) ? filter.address : [filter.address]).map((a) => String(a).toLowerCase())
    if (addrs.length && !addrs.includes(log.address.toLowerCase())) return false
  }
  const topics = filter.topics ?? []
  for (let i = 0; i < topics.length; i++) {
    const want = topics[i]
    if (want === null || want === undefined) continue
    const options = (Array.isArray(want) ? want : [want]).map((t) => String(t).toLowerCase())
    if (options.length === 0) continue
    const have = log.topics[i]
    if (have === undefined || !options.includes(have.toLowerCase())) return false
  }
  return true
}
