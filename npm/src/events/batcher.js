// The JS half of core.events.createBatcher: I/O only. The policy (when to send,
// what, retry timing, dedup, queue cap) is the WASM state machine
// (core/events/batcher.h); this file runs its timers, calls `send`, beacons on
// unload, and persists/replays unsent events (./storage.js).
import { ConveneError } from '../errors.js';
import { describe, toJson, unwrapJson, unwrapJsonFast, unwrapRaw } from '../native.js';
import { readJson, withLock } from './storage.js';

const NUMERIC_OPTIONS = ['flushAt', 'flushIntervalMs', 'maxBatchBytes', 'flushBytes', 'maxBatchEvents', 'maxQueue',
  'backoffBaseMs', 'backoffMaxMs', 'retryAfterMaxMs', 'dedupWindowMs'];
/** Body cap for one beacon: browsers queue at most 64 KiB of keepalive data. */
const BEACON_BYTES = 60 * 1024;
/** The browser's keepalive quota: sendBeacon and fetch(keepalive) bodies in flight per page, in all (Fetch spec, 64 KiB). */
const KEEPALIVE_QUOTA = 64 * 1024;
/** A beacon body smaller than this is not worth trying. */
const MIN_BEACON_BYTES = 1024;
/** The events binding's I/O buffer is given back down to this after a push that grew it past it (bindings/events.cpp ioView). */
const IO_KEPT_BYTES = 256 * 1024;

/**
 * Payload -> JSON text on the push path. Plain JSON.stringify first (functions and
 * undefined vanish, NaN becomes null — all fine for a payload, whose unserializable
 * values are dropped anyway); only a BigInt makes it throw, then toJson marks it.
 */
export function payloadJson(payload) {
  if (payload === undefined) return '';
  try {
    return JSON.stringify(payload) ?? '';
  } catch {
    return toJson(payload);
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function randomId() {
  const b = new Uint8Array(8);
  globalThis.crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/**
 * @param {any} M the Emscripten module
 * @param {object} options see npm/types/events.d.ts (BatcherOptions)
 */
export function createBatcher(M, options = {}) {
  if (options === null || typeof options !== 'object') {
    throw new ConveneError('INVALID_TYPE', `options must be an object, got ${describe(options)}`, 'options');
  }
  const { send, storage, onRejected, onDropped, onError } = options;
  if (typeof send !== 'function') {
    throw new ConveneError('INVALID_TYPE', `options.send must be a function, got ${describe(send)}`, 'options.send');
  }
  const beacon = options.beacon ?? send.beacon;
  const now = options.now ?? Date.now;
  const timers = options.timers ?? globalThis;
  const prefix = options.storageKey ?? 'convene.events';
  const leaseMs = options.leaseMs ?? 10000;
  const locks = options.locks === undefined ? globalThis.navigator?.locks : options.locks;
  const target = options.lifecycle === undefined ? (typeof window !== 'undefined' ? window : null) : options.lifecycle;
  const doc = options.document === undefined ? (typeof document !== 'undefined' ? document : null) : options.document;

  const numeric = {};
  for (const k of NUMERIC_OPTIONS) if (options[k] !== undefined) numeric[k] = options[k];
  const sm = new M.events_Batcher();
  /** The binding's I/O buffer as a view at least `bytes` long (bindings/events.cpp ioView). */
  const ioView = (bytes) => {
    const view = sm.ioView(bytes);
    if (view === null) throw new ConveneError('INTERNAL', `out of memory for an event of ${bytes} bytes`, 'payload');
    return view;
  };
  let io = null; // push()'s name and payload in, its envelope out: a view of the binding's I/O buffer
  /** `name` then `text` as UTF-8 at the start of the I/O buffer, grown when they do not fit; their byte lengths. */
  function writeIo(name, text) {
    // ASCII first: one byte per UTF-16 unit; text that is not needs at most 3 per unit.
    if (io === null || io.byteLength < name.length + text.length + 1) io = ioView(name.length + text.length + 1); // or detached
    for (;;) {
      const a = encoder.encodeInto(name, io);
      const b = text === '' ? { read: 0, written: 0 } : encoder.encodeInto(text, io.subarray(a.written));
      if (a.read === name.length && b.read === text.length) return [a.written, b.written];
      io = ioView(3 * (name.length + text.length) + 1);
    }
  }
  try {
    unwrapJson(sm.configure(toJson(numeric)));
  } catch (err) {
    sm.delete();
    throw err;
  }

  const id = randomId();
  const queueKey = `${prefix}.q.${id}`;
  const report = (err) => {
    if (onError) onError(err);
  };
  let timer = null;
  let timerAt = null;
  let persistTimer = null;
  let heartbeat = null;
  let closed = false;
  let disposed = false;
  let unloading = false; // between pagehide and a pageshow from the back/forward cache
  let failing = false; // the core's `failing`: the last delivery failed and waits for a retry
  let inFlight = 0;
  let flushWaiters = [];
  let idleWaiters = [];
  let ctxMeetingId = null; // the context last handed to the core (sm.setContext)
  let ctxParticipantId = null;

  // --- decisions -----------------------------------------------------------
  function apply(text) {
    applyDecisions(unwrapJson(text));
  }
  /** Acts on the core's decisions (bindings/events.cpp: wakeAt, failing, and send, rejected, dropped, flushDone only when set). */
  function applyDecisions(d) {
    failing = d.failing === true; // the core's delivery policy decides what failed (core/events/batcher.h)
    let unsent = null;
    if (d.send && unloading) {
      // After pagehide nothing new goes out (the request would race the next load's
      // replay): the batch is reported as not sent below; it is back at the front, in storage.
      unsent = d.send;
    } else if (d.send) {
      deliver(d.send);
    }
    if (d.wakeAt === null) {
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      timerAt = null;
    } else if (d.wakeAt !== timerAt) {
      if (timer !== null) timers.clearTimeout(timer);
      timerAt = d.wakeAt;
      timer = timers.setTimeout(() => {
        timer = null;
        timerAt = null;
        if (!disposed) apply(sm.tick(now()));
      }, Math.max(0, d.wakeAt - now()));
    }
    for (const r of d.rejected ?? []) {
      try {
        onRejected?.(r.events, r.status);
      } catch (err) {
        report(err);
      }
    }
    if (d.dropped > 0) {
      try {
        onDropped?.(d.dropped);
      } catch (err) {
        report(err);
      }
    }
    if (d.flushDone) {
      const waiters = flushWaiters;
      flushWaiters = [];
      for (const w of waiters) w();
    }
    persistSoon();
    if (unsent) apply(sm.delivered(unsent.id, 0, NaN, now()));
  }

  const aborts = new Set();
  async function deliver(batch) {
    inFlight++;
    let status = 0;
    let retryAfter = NaN;
    const abort = typeof AbortController === 'function' ? new AbortController() : null;
    if (abort) aborts.add(abort);
    try {
      const res = await send(batch.events, { signal: abort?.signal });
      status = Number.isInteger(res?.status) ? res.status : 0;
      if (typeof res?.retryAfter === 'number' && Number.isFinite(res.retryAfter)) retryAfter = res.retryAfter;
    } catch (err) {
      status = 0; // a rejected promise is a network failure
    }
    inFlight--;
    if (abort) aborts.delete(abort);
    if (!disposed) apply(sm.delivered(batch.id, status, retryAfter, now()));
    if (inFlight === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  // --- persistence ---------------------------------------------------------
  function persistSoon() {
    if (!storage || persistTimer !== null || disposed) return;
    persistTimer = timers.setTimeout(() => {
      persistTimer = null;
      persist(now() + leaseMs).catch(report);
    }, 200);
  }

  // The entry stays (possibly with no records) while the page lives, so that
  // other pages see a live lease rather than a missing queue.
  const entryText = (lease) => `{"v":1,"lease":${lease},"records":${unwrapRaw(sm.snapshot())}}`;

  async function persist(lease) {
    if (!storage || disposed) return;
    await storage.setItem(queueKey, entryText(lease));
  }

  function persistNowSync(lease) {
    // Unload path: storage writes must happen before the page goes away.
    if (!storage || disposed) return;
    try {
      storage.setItem(queueKey, entryText(lease));
    } catch (err) {
      report(err);
    }
  }

  async function adopt(wait = false) {
    if (!storage || disposed) return 0;
    let adopted = 0;
    await withLock({ storage, locks, name: `${prefix}.adopt`, owner: id, now, timers, wait }, async () => {
      const index = await readJson(storage, `${prefix}.index`, []);
      const keep = [];
      for (const other of Array.isArray(index) ? index : []) {
        if (other === id || typeof other !== 'string') continue;
        const entry = await readJson(storage, `${prefix}.q.${other}`, null);
        if (!entry) continue; // gone: drop from the index
        if (typeof entry.lease === 'number' && entry.lease > now()) {
          keep.push(other); // a live page owns it
          continue;
        }
        if (!disposed && Array.isArray(entry.records)) {
          try {
            const before = sm.pending();
            apply(sm.restore(JSON.stringify(entry.records), now()));
            adopted += sm.pending() - before;
          } catch (err) {
            report(err);
          }
        }
        await storage.removeItem(`${prefix}.q.${other}`);
      }
      keep.push(id);
      await storage.setItem(`${prefix}.index`, JSON.stringify(keep));
      await persist(now() + leaseMs);
    });
    return adopted;
  }

  // --- unload --------------------------------------------------------------
  // When the page goes away (a closed tab may never load again), the queue goes out in
  // beacons, oldest first, as far as the browser's keepalive quota takes it: bodies of at
  // most 60 KiB, 64 KiB in all. A body the browser refuses (other keepalive requests hold
  // part of the quota) is tried again at half its size. Bodies may arrive in any order: the
  // collector dedupes on eventId and readers sort. What does not fit waits in storage for
  // the next load; the caller stores the whole queue first, so beaconed events stay there
  // too (at-least-once). Skipped while the sink is failing: the next load retries in order.
  function drainToBeacon() {
    if (!beacon || disposed || failing) return;
    let budget = KEEPALIVE_QUOTA;
    let handed = 0; // events the browser accepted, from the front
    for (;;) {
      const cap = Math.min(BEACON_BYTES, budget);
      if (cap < MIN_BEACON_BYTES) break;
      const { count, body } = unwrapJson(sm.peekFront(cap, handed));
      if (!count) break;
      const size = encoder.encode(body).length;
      if (size > cap) break; // the next event alone is larger than the room left
      let accepted = false;
      try {
        accepted = beacon(body) === true;
      } catch (err) {
        report(err);
        break;
      }
      if (accepted) {
        handed += count;
        budget -= size;
      } else {
        budget = Math.floor(size / 2);
      }
    }
    if (handed > 0) apply(sm.forgetFront(handed, now()));
  }
  const onPageHide = () => {
    // The page is going away: a request in flight would be cancelled by the browser anyway.
    // Its events stay queued (snapshot includes them); the collector dedupes if it did arrive.
    unloading = true;
    for (const a of aborts) a.abort();
    // At-least-once: a beacon is fire-and-forget (accepted is not delivered), so what
    // is beaconed also stays in storage and the next load replays it; the collector
    // deduplicates on eventId. Lease 0: the next load may adopt it at once.
    persistNowSync(0);
    drainToBeacon();
  };
  const onVisibility = () => {
    if (doc && doc.visibilityState === 'hidden') {
      // During unload Chrome fires visibilitychange after pagehide: keep pagehide's lease 0.
      if (unloading) {
        persistNowSync(0);
        return;
      }
      // Stored before the beacons, as on pagehide: a page killed while hidden leaves them to the next load.
      persistNowSync(now() + leaseMs);
      drainToBeacon();
    }
  };
  const onPageShow = (event) => {
    // Back from the back/forward cache after a pagehide (lease 0): if another tab
    // adopted our stored queue meanwhile, those events are its to send now.
    if (!event?.persisted || disposed) return;
    unloading = false;
    apply(sm.tick(now()));
    if (!storage) return;
    Promise.resolve(storage.getItem(queueKey)).then((entry) => {
      if (disposed) return;
      if (entry == null) apply(sm.forgetFront(sm.pending(), now()));
      return persist(now() + leaseMs);
    }).catch(report);
  };
  if (target?.addEventListener) {
    target.addEventListener('pageshow', onPageShow);
    target.addEventListener('pagehide', onPageHide);
    (doc ?? target).addEventListener('visibilitychange', onVisibility);
  }

  const ready = storage
    ? adopt(true).catch((err) => {
      report(err);
      return 0;
    })
    : Promise.resolve(0);
  if (storage) {
    heartbeat = timers.setInterval(() => {
      persist(now() + leaseMs).then(() => adopt(false)).catch(report);
    }, Math.max(50, Math.floor(leaseMs / 2)));
    heartbeat?.unref?.();
  }

  function dispose() {
    disposed = true;
    if (timer !== null) timers.clearTimeout(timer);
    if (persistTimer !== null) timers.clearTimeout(persistTimer);
    if (heartbeat !== null) timers.clearInterval(heartbeat);
    timer = persistTimer = heartbeat = null;
    if (target?.removeEventListener) {
      target.removeEventListener('pageshow', onPageShow);
      target.removeEventListener('pagehide', onPageHide);
      (doc ?? target).removeEventListener('visibilitychange', onVisibility);
    }
    sm.delete();
  }

  // What a push leaves to do: decisions to apply, and the stored copy to refresh.
  function afterPush(decisions, duplicate) {
    if (decisions) {
      applyDecisions(decisions);
      if (unloading) persistNowSync(0);
      return;
    }
    if (duplicate) return;
    if (unloading) persistNowSync(0); // e.g. Jitsi's videoConferenceLeft during unload
    else persistSoon();
  }

  const batcher = {
    /**
     * Normalizes and queues one event; returns its eventId (an earlier event's id
     * for a duplicate). Synchronous; throws ConveneError on bad input.
     */
    push(name, payload, ctx) {
      if (closed) throw new ConveneError('INVALID_INPUT', 'push() after close()', 'batcher');
      if (typeof name !== 'string') {
        throw new ConveneError('INVALID_TYPE', `name must be a string, got ${describe(name)}`, 'name');
      }
      if (ctx === null || typeof ctx !== 'object') {
        throw new ConveneError('INVALID_TYPE', `ctx must be an object, got ${describe(ctx)}`, 'ctx');
      }
      const { meetingId, participantId } = ctx;
      if (typeof meetingId !== 'string') {
        throw new ConveneError('INVALID_TYPE', `ctx.meetingId must be a string, got ${describe(meetingId)}`, 'ctx.meetingId');
      }
      if (participantId != null && typeof participantId !== 'string') {
        throw new ConveneError('INVALID_TYPE', `ctx.participantId must be a string, got ${describe(participantId)}`,
          'ctx.participantId');
      }
      const pid = participantId ?? '';
      if (meetingId !== ctxMeetingId || pid !== ctxParticipantId) {
        // The core keeps the context between pushes: sent when it changes, not with every event.
        sm.setContext(meetingId, pid);
        ctxMeetingId = meetingId;
        ctxParticipantId = pid;
      }
      // The name and payload text go to the core as UTF-8 in its I/O buffer, and its envelope comes back there
      // (bindings/events.cpp ioView).
      const text = payloadJson(payload);
      const at = now(); // before writeIo: no caller code runs between writing the buffer and push reading it
      const [nameBytes, payloadBytes] = writeIo(name, text);
      const length = sm.push(nameBytes, payloadBytes, at);
      if (io.byteLength < length) io = ioView(length); // the envelope outgrew the view, or memory grew
      const envelope = decoder.decode(io.subarray(0, length));
      if (io.byteLength > IO_KEPT_BYTES) io = ioView(0); // a large payload's buffer is given back, error or not
      const r = unwrapJsonFast(envelope);
      if (typeof r === 'string') { // queued, nothing else to do (bindings/events.cpp)
        afterPush(null, false);
        return r;
      }
      afterPush(r.decisions, r.duplicate);
      return r.eventId;
    },
    /**
     * Sends everything queued now, also during a backoff (one batch at a time). Resolves `{ pending }`
     * once the events queued before the call are delivered or given up, or at the
     * first failed delivery (they then wait for their backoff).
     */
    flush() {
      if (disposed) return Promise.resolve({ pending: 0 });
      return new Promise((resolve) => {
        flushWaiters.push(() => resolve({ pending: sm.pending() }));
        apply(sm.flush(now()));
      });
    },
    /**
     * Stops accepting events, flushes, waits for the batch in flight, stores
     * what is left for the next load, removes listeners and frees the WASM state.
     */
    async close() {
      if (disposed) return { pending: 0 };
      closed = true;
      await ready;
      await batcher.flush();
      if (inFlight > 0) await new Promise((resolve) => idleWaiters.push(resolve));
      const pending = sm.pending();
      try {
        if (storage && pending === 0) await storage.removeItem(queueKey);
        else await persist(0); // lease 0: the next load replays what is left
      } catch (err) {
        report(err);
      }
      dispose();
      return { pending };
    },
    /** Events queued (unsent and in flight). */
    get pending() {
      return disposed ? 0 : sm.pending();
    },
    /** Events dropped by the queue cap since creation. */
    get dropped() {
      return disposed ? 0 : sm.droppedTotal();
    },
    /** Resolves with the number of events adopted from storage once replay is done. */
    ready,
    /** This page load's id (its storage key suffix). */
    id,
    /** Test hook and unload handler: beacon what is left, store the rest, release the lease. */
    pagehide: onPageHide,
    /** Test hook: drop everything in memory without flushing (what a crash does). */
    abandon() {
      closed = true;
      dispose();
    },
  };
  return batcher;
}
