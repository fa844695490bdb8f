/**
 * Block clock: block numbers advance with wall time.
 *
 * block = epochBlock + floor((now - epochTime) / blockTimeMs)
 *
 * On a fresh chain epochTime is the genesis time and epochBlock is 0, so this
 * is `floor((now - genesisTime) / 2000)`, the 2 s blocks of docs/domain.md#expiry. When a
 * node is restarted with a different block time the epoch is moved to "now"
 * (see {@link rebaseClock}) so block numbers never jump or go backwards. The
 * block number is also clamped to `floorBlock` (the highest block that already
 * holds a transaction), so a wall clock that steps backwards cannot rewind the
 * chain.
 */

/**
 * @typedef {object} ClockState
 * @property {number} genesisTime  unix time in ms of block 0.
 * @property {number} epochTime    unix time in ms at which `epochBlock` started.
 * @property {number} epochBlock   block number that started at `epochTime`.
 * @property {number} blockTimeMs  block duration in ms.
 */

/**
 * Creates the clock state of a new chain.
 * @param {number} nowMs current unix time in ms.
 * @param {number} blockTimeMs block duration in ms (> 0).
 * @returns {ClockState}
 */
export function newClock(nowMs, blockTimeMs) {
  return { genesisTime: nowMs, epochTime: nowMs, epochBlock: 0, blockTimeMs }
}

/**
 * Block number at a given time.
 * @param {ClockState} clock
 * @param {number} nowMs unix time in ms.
 * @param {number} [floorBlock=0] lowest block number that may be returned.
 * @returns {number} block number (integer >= 0).
 */
export function blockAt(clock, nowMs, floorBlock = 0) {
  const elapsed = Math.max(0, nowMs - clock.epochTime)
  const n = clock.epochBlock + Math.floor(elapsed / clock.blockTimeMs)
  return Math.max(n, floorBlock)
}

/**
 * Start time of a block.
 * @param {ClockState} clock
 * @param {number} block block number.
 * @returns {number} unix time in ms at which the block starts (for blocks before
 *   the current epoch this uses the current block time, an approximation).
 */
export function blockStartMs(clock, block) {
  return clock.epochTime + (block - clock.epochBlock) * clock.blockTimeMs
}

/**
 * Block timestamp as Ethereum reports it.
 * @param {ClockState} clock
 * @param {number} block
 * @returns {number} unix time in whole seconds.
 */
export function blockTimestamp(clock, block) {
  return Math.floor(blockStartMs(clock, block) / 1000)
}

/**
 * Moves the epoch to `nowMs` when the block time changes, keeping the current
 * block number. Returns the clock unchanged when the block time is the same.
 * @param {ClockState} clock
 * @param {number} nowMs unix time in ms.
 * @param {number} blockTimeMs the new block duration in ms.
 * @param {number} [floorBlock=0] see {@link blockAt}.
 * @returns {ClockState} a new clock state object.
 */
export function rebaseClock(clock, nowMs, blockTimeMs, floorBlock = 0) {
  if (clock.blockTimeMs === blockTimeMs) return { ...clock }
  const current = blockAt(clock, nowMs, floorBlock)
  return { ...clock, epochTime: nowMs, epochBlock: current, blockTimeMs }
}
