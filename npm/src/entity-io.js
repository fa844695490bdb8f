// Converting entities between the Arkiv SDK's JS shapes and the core's JSON.
import { nowOption, toJson } from './native.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** BigInt -> Number when exact (Arkiv numbers are uint64; JS-safe ones only), else decimal string. */
function unbig(v) {
  if (typeof v !== 'bigint') return v;
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= 0n ? Number(v) : v.toString();
}

/**
 * The metadata fields the SDK returns as BigInt with `withMetadata(true)` (docs/trust.md): block
 * numbers and indexes. `creator` and `owner` are strings.
 */
const METADATA_NUMBERS = ['expiresAtBlock', 'createdAtBlock', 'lastModifiedAtBlock', 'transactionIndexInBlock', 'operationIndexInTransaction'];

/**
 * An entity as the SDK returns it -> plain JSON-safe object for the core:
 * payload bytes decoded as UTF-8 text, BigInt block numbers and attribute values made numbers.
 * Parsed (flat) objects pass through unchanged.
 * @param {any} entity
 */
export function entityToCore(entity) {
  if (entity === null || typeof entity !== 'object' || Array.isArray(entity)) return entity;
  const out = { ...entity };
  if (!('attributes' in entity) && !('payload' in entity)) {
    for (const k of METADATA_NUMBERS) if (k in entity) out[k] = unbig(entity[k]);
    return out;
  }
  if (entity.payload instanceof Uint8Array) out.payload = decoder.decode(entity.payload);
  if (Array.isArray(entity.attributes)) {
    out.attributes = entity.attributes.map((a) => (a && typeof a === 'object' ? { key: a.key, value: unbig(a.value) } : a));
  }
  for (const k of METADATA_NUMBERS) {
    if (k in entity) out[k] = unbig(entity[k]);
  }
  return out;
}

/** Maps entityToCore over an array (non-arrays are passed on for the core to reject by name). */
export function entitiesToCore(list) {
  return Array.isArray(list) ? list.map(entityToCore) : list;
}

/**
 * A draft from the core -> what `createEntity` takes: payload as UTF-8 bytes.
 * @param {{payload: string, contentType: string, attributes: {key: string, value: string|number}[], expiresIn: number}} d
 */
export function draftFromCore(d) {
  return { payload: encoder.encode(d.payload), contentType: d.contentType, attributes: d.attributes, expiresIn: d.expiresIn };
}

/** `{ now, spaceId }` -> JSON text, reading the clock here when `now` is omitted. */
export function optionsJson(options = {}) {
  if (options === null || typeof options !== 'object') return toJson(options);
  return toJson({ ...options, now: nowOption(options.now) });
}
