// The JS side of bindings/guard.h: values in and out of the WASM module.
import { ConveneError, fromNative } from './errors.js';

const utf8 = new TextDecoder();

/**
 * Serializes a JS value for the core. Values JSON cannot carry are marked so
 * the core can name them in its error ("got bigint") instead of losing them:
 * BigInt, functions, symbols, NaN/±Infinity. Dates become ISO strings; Uint8Array
 * (entity payload bytes) becomes its UTF-8 text.
 * @param {unknown} value
 * @returns {string} JSON text
 */
export function toJson(value) {
  try {
    return stringify(value);
  } catch (err) {
    // A value nested deeper than the JS stack allows (or a cycle): the caller's own argument.
    if (err instanceof RangeError || err instanceof TypeError) {
      throw new ConveneError('INVALID_INPUT', `the arguments cannot be serialized (${err.message}): nested too deeply or circular`, '');
    }
    throw err;
  }
}

function stringify(value) {
  return JSON.stringify(value === undefined ? null : value, function replacer(key, v) {
    switch (typeof v) {
      case 'bigint': return { $jsType: 'bigint' };
      case 'function': return { $jsType: 'function' };
      case 'symbol': return { $jsType: 'symbol' };
      case 'number': return Number.isFinite(v) ? v : { $jsType: 'non-finite number' };
      default:
        // Entity payloads read from Arkiv are UTF-8 JSON bytes: pass them as text.
        if (v instanceof Uint8Array) return utf8.decode(v);
        return v;
    }
  });
}

/**
 * Unwraps a guard_json envelope: returns `ok`, or throws the ConveneError.
 * @param {string} text {"ok": ...} | {"error": {code, field, message}}
 */
export function unwrapJson(text) {
  const env = JSON.parse(text);
  if (env.error) throw fromNative(env.error);
  return env.ok;
}

/**
 * unwrapJson() without JSON.parse for the envelope of a plain string that needs no unescaping,
 * `{"ok":"<text without \\>"}` (an event id): the string is sliced out. Any other envelope is parsed.
 * @param {string} text {"ok": ...} | {"error": {code, field, message}}
 */
export function unwrapJsonFast(text) {
  if (text.startsWith('{"ok":"') && text.indexOf('\\', 7) < 0) return text.slice(7, -2);
  return unwrapJson(text);
}

/**
 * The JSON text inside a guard_json {"ok": ...} envelope, without a parse and a
 * stringify; throws the ConveneError of an error envelope.
 * @param {string} text
 * @returns {string}
 */
export function unwrapRaw(text) {
  if (text.startsWith('{"ok":')) return text.slice(6, -1);
  return JSON.stringify(unwrapJson(text));
}

/** Unwraps a guard_val result: returns the value, or throws the ConveneError. */
export function unwrapVal(v) {
  if (v !== null && typeof v === 'object' && v.$error) throw fromNative(v.$error);
  return v;
}

/**
 * Throws INVALID_TYPE unless `value` is a string (Embind would otherwise throw
 * a bare BindingError, or coerce).
 */
export function requireString(value, field) {
  if (typeof value !== 'string') {
    throw new ConveneError('INVALID_TYPE', `${field} must be a string, got ${describe(value)}`, field);
  }
  return value;
}

/** JS-facing type name used in error messages. */
export function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Uint8Array) return 'Uint8Array';
  return typeof value;
}

/**
 * Normalizes a `now` option to what the core takes: epoch ms (number) or an
 * ISO string; a Date becomes epoch ms; undefined reads the clock here, at the
 * JS edge (the core never reads a clock).
 */
export function nowOption(now) {
  if (now === undefined) return Date.now();
  if (now instanceof Date) return now.getTime();
  return now;
}
