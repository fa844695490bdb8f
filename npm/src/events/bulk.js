// The transport of core.events.normalizeManyJson / normalizeMany (bindings/events_normalize.cpp):
// event names go in as int32 codes and the payloads as the UTF-8 of one JSON.stringify,
// written straight into WASM memory; the records come back as one UTF-8 JSON array.
// Nothing else is done here: naming, reading and writing records is the core's job.
import { fromNative } from '../errors.js';
import { toJson, unwrapRaw } from '../native.js';
import { nameCodes } from './batcher.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * @param {any} M the Emscripten module
 * @returns {{json: Function, bytes: Function}} `(events, meetingId, participantId, nowMs[, into])`:
 *   events `[[name, payload], ...]` -> the records' JSON `[{...}, ...]` as a string / as UTF-8 bytes
 *   (in `into` when they fit); both throw ConveneError
 */
export function bulkNormalizer(M) {
  const table = nameCodes(M);
  let codes = new Int32Array(1024);
  let payloads = new Array(1024);
  let lastMeetingId = null;
  let lastParticipantId = null;

  // Names outside the code table, items that are not [name, payload], payloads JSON.stringify
  // refuses (BigInt, cycles): the string transport, whose errors name the item.
  const slow = (events, meetingId, participantId, nowMs) =>
    unwrapRaw(M.events_normalizeMany(toJson(events), meetingId, participantId, nowMs));

  /** The bulk call: the output's size in bytes (at events_bulkOutput()), or the slow path's text. */
  function run(events, meetingId, participantId, nowMs) {
    const n = events.length;
    if (codes.length < n) {
      codes = new Int32Array(n);
      payloads = new Array(n);
    }
    payloads.length = n;
    for (let i = 0; i < n; i++) {
      const item = events[i];
      const code = Array.isArray(item) ? table.get(item[0]) : undefined;
      if (code === undefined) return slow(events, meetingId, participantId, nowMs);
      codes[i] = code;
      payloads[i] = item[1];
    }
    let text;
    try {
      text = JSON.stringify(payloads);
    } catch {
      return slow(events, meetingId, participantId, nowMs);
    } finally {
      payloads.fill(undefined); // hold no references to the caller's payloads
    }
    // encodeInto writes at most 3 bytes per UTF-16 unit.
    const addr = M.events_bulkInbox(n, text.length * 3);
    new Int32Array(M.HEAPU8.buffer, addr, n).set(codes.subarray(0, n));
    const written = encoder.encodeInto(text, new Uint8Array(M.HEAPU8.buffer, addr + 4 * n, text.length * 3)).written;
    if (meetingId !== lastMeetingId || participantId !== lastParticipantId) {
      M.events_bulkContext(meetingId, participantId);
      lastMeetingId = meetingId;
      lastParticipantId = participantId;
    }
    const size = M.events_bulkRun(n, written, nowMs);
    if (size < 0) throw fromNative(JSON.parse(M.events_bulkError()).error);
    return size;
  }

  return {
    json(events, meetingId, participantId, nowMs) {
      const r = run(events, meetingId, participantId, nowMs);
      if (typeof r === 'string') return r;
      return decoder.decode(new Uint8Array(M.HEAPU8.buffer, M.events_bulkOutput(), r));
    },
    /** `into` (optional): written there when the records fit, and a view of it returned. */
    bytes(events, meetingId, participantId, nowMs, into) {
      const r = run(events, meetingId, participantId, nowMs);
      if (typeof r === 'string') {
        if (into) {
          const { read, written } = encoder.encodeInto(r, into);
          if (read === r.length) return into.subarray(0, written);
        }
        return encoder.encode(r);
      }
      const at = M.events_bulkOutput();
      if (into && into.length >= r) {
        into.set(M.HEAPU8.subarray(at, at + r));
        return into.subarray(0, r);
      }
      return M.HEAPU8.slice(at, at + r); // a copy: the module's buffer is reused by the next call
    },
  };
}
