// core.events: meeting event normalization and the batcher (docs/events.md, docs/domain.md#package-surface).
import { ConveneError } from './errors.js';
import { describe, nowOption, requireString, toJson, unwrapJson, unwrapRaw } from './native.js';
import { entitiesToCore } from './entity-io.js';

const encoder = new TextEncoder();
import { createBatcher, payloadJson } from './events/batcher.js';

/**
 * `now` as epoch ms, read by the core (time_instantMs: core read_instant, the rule every builder's
 * `options.now` follows): an ISO 8601 string (a date-time with an offset, or a bare date = its
 * midnight UTC), epoch milliseconds or a Date; undefined is Date.now(). Throws ConveneError naming `field`.
 */
function instantMs(M, now, field) {
  const v = nowOption(now);
  if (typeof v === 'bigint') throw new ConveneError('INVALID_TYPE', `${field} must be an ISO 8601 string or epoch milliseconds, got bigint`, field);
  return unwrapJson(M.time_instantMs(JSON.stringify(v) ?? 'null', field));
}

function readCtx(ctx, field) {
  if (ctx === null || typeof ctx !== 'object') {
    throw new ConveneError('INVALID_TYPE', `${field} must be an object, got ${describe(ctx)}`, field);
  }
  requireString(ctx.meetingId, `${field}.meetingId`);
  if (ctx.participantId != null) requireString(ctx.participantId, `${field}.participantId`);
  return { meetingId: ctx.meetingId, participantId: ctx.participantId ?? '' };
}

/** @param {any} M the Emscripten module */
export function makeEvents(M) {
  let catalogue = null;
  // [[name, payload], ...] -> the records' JSON text, by the core (bindings/events_normalize.cpp).
  const recordsJson = (events, ctx, now) =>
    unwrapRaw(M.events_normalizeMany(toJson(events), ctx.meetingId, ctx.participantId, now));
  // `into` is written only when the whole text fits (a UTF-16 unit takes at most 3 bytes of UTF-8).
  const toBytes = (text, into) => {
    if (into && into.length >= text.length * 3) return into.subarray(0, encoder.encodeInto(text, into).written);
    const bytes = encoder.encode(text);
    if (!into || into.length < bytes.length) return bytes;
    into.set(bytes);
    return into.subarray(0, bytes.length);
  };
  const many = (withInto) => function normalizeManyAs(events, options) {
    if (!Array.isArray(events)) {
      throw new ConveneError('INVALID_TYPE', `events must be an array, got ${describe(events)}`, 'events');
    }
    const ctx = readCtx(options, 'options');
    const now = instantMs(M, options.now, 'options.now');
    const into = withInto ? options.into ?? undefined : undefined; // null: none, as for participantId
    if (into !== undefined && !(into instanceof Uint8Array)) {
      throw new ConveneError('INVALID_TYPE', `options.into must be a Uint8Array, got ${describe(into)}`, 'options.into');
    }
    const text = recordsJson(events, ctx, now);
    return withInto ? toBytes(text, into) : text;
  };
  const normalizeManyJson = many(false);
  const normalizeManyBytes = many(true);
  return Object.freeze({
    /**
     * Meeting events read back from `meeting_event` entities: only records signed by one of
     * `options.signers` (for a session its mentor and learner; for a gathering its organizer and the
     * attendees with a verified RSVP), deduplicated per signer by eventId, in timestamp order, each with `signer`.
     * @param {object[]} entities as the Arkiv SDK returns them (read withMetadata(true))
     * @param {{ signers: string[] }} options
     * @returns {{ events: (MeetingEvent & { signer: string })[], ignored: Ignored }}
     */
    fromEntities(entities, options) {
      const signers = options && typeof options === 'object' ? options.signers : undefined;
      return unwrapJson(M.events_fromEntities(toJson({ entities: entitiesToCore(entities), signers })));
    },
    /**
     * One IFrame API event -> `{eventId, type, timestamp, meetingId, participantId?, payload}`.
     * @param {string} name Jitsi event name (`participantJoined`) or Convene type (`participant.joined`)
     * @param {unknown} payload what the IFrame API listener received
     * @param {{meetingId: string, participantId?: string, now?: string|number|Date}} options
     */
    normalize(name, payload, options) {
      requireString(name, 'name');
      const ctx = readCtx(options, 'options');
      const now = instantMs(M, options.now, 'options.now');
      const text = M.events_normalize(name, payloadJson(payload), ctx.meetingId,
        ctx.participantId, now);
      return unwrapJson(text);
    },
    /**
     * Many events of one meeting observed at one instant, in one call:
     * `[[name, payload], ...]` -> records, in order (each what normalize() returns).
     * @param {Array<[string, unknown]>} events
     * @param {{meetingId: string, participantId?: string, now?: string|number|Date}} options
     */
    normalizeMany(events, options) {
      return JSON.parse(normalizeManyJson(events, options));
    },
    /**
     * normalizeMany() as JSON text (`[{...}, ...]`, UTF-8 safe, what a collector's
     * `{"events": [...]}` body embeds), no record objects built in JS.
     * @param {Array<[string, unknown]>} events
     * @param {{meetingId: string, participantId?: string, now?: string|number|Date}} options
     * @returns {string}
     */
    normalizeManyJson,
    /**
     * normalizeManyJson() as UTF-8 bytes: for a fetch / sendBeacon body or a socket, without
     * a second copy. A new Uint8Array; with `options.into`,
     * a view of `into` from its start when the records fit (`into.subarray(0, size)`; reuse one
     * buffer across calls and nothing is allocated per call), else a new array as without it.
     * @param {Array<[string, unknown]>} events
     * @param {{meetingId: string, participantId?: string, now?: string|number|Date, into?: Uint8Array}} options
     * @returns {Uint8Array}
     */
    normalizeManyBytes,
    /** The event-name mapping: `[{jitsi, type, typeOff?}]` (core/events/jitsi_events.cpp). */
    catalogue() {
      if (!catalogue) catalogue = Object.freeze(unwrapJson(M.events_catalogue()).map((r) => Object.freeze(r)));
      return catalogue;
    },
    /**
     * A batcher: `{ push(name, payload, ctx) -> eventId, flush() -> Promise, close() -> Promise, pending }`.
     * See npm/types/events.d.ts for every option.
     */
    createBatcher(options) {
      return createBatcher(M, options);
    },
  });
}


