// Shared fixtures for the package's node:test suites.
import assert from 'node:assert/strict';

export const MENTOR = '0x1111111111111111111111111111111111111111';
export const LEARNER = '0x2222222222222222222222222222222222222222';
export const STRANGER = '0x3333333333333333333333333333333333333333';
/** EIP-55 checksummed form of a lowercase address (0x7e5f… is the address of private key 1). */
export const CHECKSUMMED = '0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf';

/** Asserts that `fn` throws a ConveneError with `code` whose field (and message) names `field`. */
export function assertConveneError(fn, code, field) {
  assert.throws(fn, (err) => {
    assert.equal(err.name, 'ConveneError', `expected ConveneError, got ${err.name}: ${err.message}`);
    assert.equal(err.code, code, err.message);
    if (field !== undefined) {
      assert.equal(err.field, field, err.message);
      if (field) assert.ok(err.message.includes(field), `message should name ${field}: ${err.message}`);
    }
    assert.ok(err instanceof Error);
    return true;
  });
}

let lastBlock = 100;

/**
 * Turns a draft into what the SDK returns on read with `withMetadata(true)`: attributes array, payload
 * bytes, key, and the signer metadata (creator = owner = `signer`) with a chain position as BigInt.
 * `block` defaults to the next block, so entities made later are later on the chain.
 */
export function asStored(draft, key, signer = MENTOR, block = ++lastBlock, tx = 0, op = 0) {
  lastBlock = Math.max(lastBlock, block);
  return {
    key,
    attributes: draft.attributes,
    payload: draft.payload,
    contentType: draft.contentType,
    creator: signer,
    owner: signer,
    createdAtBlock: BigInt(block),
    lastModifiedAtBlock: BigInt(block),
    transactionIndexInBlock: BigInt(tx),
    operationIndexInTransaction: BigInt(op),
    expiresAtBlock: BigInt(block + 1000),
  };
}

/**
 * `draft` written with `updateEntity` over `stored` (the same key, by the same signer): as real Arkiv
 * nodes keep it, the version moves only `lastModifiedAtBlock` (to the next block) and keeps the create's
 * block, transaction and operation index (docs/trust.md#versions).
 */
export function asUpdated(draft, stored, block = ++lastBlock) {
  return {
    ...asStored(draft, stored.key, stored.creator, block),
    createdAtBlock: stored.createdAtBlock,
    transactionIndexInBlock: stored.transactionIndexInBlock,
    operationIndexInTransaction: stored.operationIndexInTransaction,
  };
}

/** A seeded PRNG (mulberry32) returning numbers in [0, 1): repeatable shuffles and inputs, so a failing seed can be replayed. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
