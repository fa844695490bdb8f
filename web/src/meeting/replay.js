// Replay of a recorded meeting through the real capture pipeline, for where the Jitsi IFrame API script
// cannot load (offline, CI): each recorded client gets an object shaped like JitsiMeetExternalAPI's event
// side (addListener / removeListener) that the replay emits the recorded IFrame API events on, and the
// package's own pipeline does the rest, as on a live call: attachJitsi -> core.events.createBatcher
// (normalize, dedup, batching, retries) -> the sink the page gives (arkivSink on the local node). Nothing
// of the pipeline is imitated; only the source of the events is a recording instead of a Jitsi iframe.
//
// The records are marked as a replay by their meetingId: `<meeting>/replay/<run>` (replayMeetingId), so
// they never mix with the meeting's own events, and every run folds into a meeting of its own
// (docs/meetings.md#replay).
import { attachJitsi } from '@convene/core';

/**
 * The meetingId the records of one replay run carry: the meeting whose page ran it, `/replay/`, the run id.
 * @param {string} meetingId the meeting page's meeting (an entity key, or the id of a link)
 * @param {string} runId from newReplayRunId
 */
export const replayMeetingId = (meetingId, runId) => `${meetingId}/replay/${runId}`;

/**
 * A run id: the run's start as ISO 8601 basic UTC to the second, and four random hex digits
 * ("20261130T230512Z-9f3a"), so runs sort by time and two runs in one second differ.
 * @param {number} nowMs epoch milliseconds (the app clock)
 */
export function newReplayRunId(nowMs) {
  const stamp = new Date(nowMs).toISOString().replace(/\.\d{3}/, '').replace(/[-:]/g, '');
  const b = new Uint8Array(2);
  globalThis.crypto.getRandomValues(b);
  return `${stamp}-${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * The event side of a JitsiMeetExternalAPI (an EventEmitter: addListener/on, removeListener/off), which
 * is all attachJitsi uses, plus `emit(name, payload)` for the replay to call each listener as the
 * IFrame API does (one argument: the event's data).
 */
export function createIFrameApiEmitter() {
  const listeners = new Map();
  const api = {
    addListener(name, fn) {
      if (!listeners.has(name)) listeners.set(name, new Set());
      listeners.get(name).add(fn);
      return api;
    },
    removeListener(name, fn) {
      listeners.get(name)?.delete(fn);
      return api;
    },
    emit(name, payload) {
      for (const fn of [...(listeners.get(name) ?? [])]) fn(payload);
    },
    listenerCount: (name) => listeners.get(name)?.size ?? 0,
  };
  api.on = api.addListener;
  api.off = api.removeListener;
  return api;
}

/**
 * Checks a recording's shape (web/src/meeting/replays/*.json):
 * `{ id, title, room, clients: { <client>: <description> }, events: [{ atMs, client, name, payload }] }`,
 * `atMs` whole milliseconds from the recording's start, not decreasing, `client` one of `clients`,
 * `name` an IFrame API event name. Throws TypeError naming the first problem.
 */
export function checkRecording(recording) {
  if (!recording || typeof recording !== 'object') throw new TypeError('recording must be an object');
  const { clients, events } = recording;
  if (!clients || typeof clients !== 'object' || !Object.keys(clients).length) throw new TypeError('recording.clients must name at least one client');
  if (!Array.isArray(events) || !events.length) throw new TypeError('recording.events must be a non-empty array');
  let last = 0;
  events.forEach((e, i) => {
    if (!e || !Number.isInteger(e.atMs) || e.atMs < last) throw new TypeError(`recording.events.${i}.atMs must be whole milliseconds, not before the previous event`);
    if (!Object.hasOwn(clients, e.client)) throw new TypeError(`recording.events.${i}.client must be one of recording.clients`);
    if (typeof e.name !== 'string' || !e.name) throw new TypeError(`recording.events.${i}.name must be an IFrame API event name`);
    last = e.atMs;
  });
  return recording;
}

/**
 * The replay's clock, in epoch milliseconds: `startMs` plus the recording's time, which runs `speed`
 * times faster than real time. While the events of one `atMs` are emitted it reads exactly
 * `startMs + atMs` (so the records carry the recording's relative times), and it never runs ahead of the
 * next event not yet emitted: it never goes back. The batchers take it as their `now`, so their timers
 * (2 s flush, backoff) run in recording time too.
 */
function replayClock(startMs, speed, perfNow) {
  const t0 = perfNow();
  let floor = 0; // the last atMs emitted
  let cap = 0; // the next atMs to emit
  let held = null;
  return {
    now: () => startMs + (held ?? Math.floor(Math.max(floor, Math.min(cap, (perfNow() - t0) * speed)))),
    /** Real milliseconds from now until the recording reaches `atMs`. */
    delayUntil: (atMs) => Math.max(0, t0 + atMs / speed - perfNow()),
    hold(atMs) {
      held = atMs;
      floor = atMs;
    },
    release(nextAtMs) {
      held = null;
      cap = nextAtMs;
    },
  };
}

/**
 * Starts replaying `recording` into the capture pipeline: one IFrame-API-shaped emitter, attachJitsi
 * subscription and batcher per recorded client (each client's browser has its own), all writing through
 * `send` one batch at a time (the clients of a replay share the page's wallet and its nonces).
 *
 * @param {{ core: any, recording: object, meetingId: string, send: (records: object[], opts?: object) => Promise<{ status: number }>,
 *           startMs: number, speed?: number, timers?: { setTimeout: Function, clearTimeout: Function },
 *           perfNow?: () => number, onProgress?: (p: ReplayProgress) => void, onError?: (err: Error) => void,
 *           mirror?: (records: object[], opts?: object) => Promise<{ status: number }> }} options
 *   `meetingId`: the records' meeting (replayMeetingId); `startMs`: epoch ms the recording's 0 maps to;
 *   `speed`: recording seconds per real second (default 10); `mirror`: a second store the same events go
 *   to (the meeting page's collector), through batchers of their own as on the meeting page, so its
 *   outages never hold `send` back; its deliveries are not counted in the progress.
 * @returns {{ done: Promise<ReplayProgress>, stop: () => Promise<ReplayProgress>, progress: () => ReplayProgress }}
 *   `done` resolves once every event was emitted and every batcher closed (flushed); `stop()` ends early
 *   (what was emitted is still flushed).
 * @typedef {{ state: 'running'|'done'|'stopped', total: number, emitted: number, delivered: number, rejected: number, pending: number, atMs: number }} ReplayProgress
 *   `total` / `emitted`: IFrame API events of the recording / emitted so far; `delivered`: records the sink
 *   accepted (2xx); `rejected`: records it refused for good; `pending`: records not delivered when the replay ended.
 */
export function startReplay({ core, recording, meetingId, send, startMs, speed = 10, timers = globalThis, perfNow = () => performance.now(), onProgress, onError, mirror }) {
  checkRecording(recording);
  if (typeof meetingId !== 'string' || !meetingId) throw new TypeError('startReplay: meetingId must be a non-empty string');
  if (typeof send !== 'function') throw new TypeError('startReplay: send must be a sink function');
  if (!Number.isFinite(startMs)) throw new TypeError('startReplay: startMs must be epoch milliseconds');
  if (!(speed > 0)) throw new TypeError('startReplay: speed must be a positive number');

  const events = recording.events;
  const p = { state: 'running', total: events.length, emitted: 0, delivered: 0, rejected: 0, pending: 0, atMs: 0 };
  const progress = () => ({ ...p });
  const report = () => onProgress?.(progress());
  const clock = replayClock(startMs, speed, perfNow);

  // One write at a time, in the order the batchers hand batches over.
  let chain = Promise.resolve();
  const serialSend = (records, opts) => {
    const result = chain.then(() => send(records, opts));
    chain = result.catch(() => {});
    return result.then((r) => {
      if (r && r.status >= 200 && r.status < 300) {
        p.delivered += records.length;
        report();
      }
      return r;
    });
  };

  const clients = Object.keys(recording.clients).map((client) => {
    const api = createIFrameApiEmitter();
    const batcher = core.events.createBatcher({
      send: serialSend,
      now: clock.now,
      timers,
      onRejected: (records) => {
        p.rejected += records.length;
        report();
      },
      onError,
    });
    const second = mirror ? core.events.createBatcher({ send: mirror, now: clock.now, timers, onError }) : null;
    const sink = second ? { push: (name, payload, ctx) => (second.push(name, payload, ctx), batcher.push(name, payload, ctx)) } : batcher;
    const sub = attachJitsi(api, sink, { meetingId, onError: (err) => onError?.(err) });
    return { client, api, batcher, second, sub };
  });
  const byClient = new Map(clients.map((c) => [c.client, c]));

  let timer = null;
  let stopped = false;
  let wake = null;
  const sleep = (ms) =>
    new Promise((resolve) => {
      wake = resolve;
      timer = timers.setTimeout(resolve, ms);
    });

  async function run() {
    let i = 0;
    while (i < events.length && !stopped) {
      const atMs = events[i].atMs;
      await sleep(clock.delayUntil(atMs));
      if (stopped) break;
      clock.hold(atMs);
      for (; i < events.length && events[i].atMs === atMs; i++) {
        const e = events[i];
        byClient.get(e.client).api.emit(e.name, e.payload);
        p.emitted += 1;
      }
      p.atMs = atMs;
      clock.release(i < events.length ? events[i].atMs : Infinity);
      report();
    }
    for (const c of clients) c.sub.detach();
    const [closed] = await Promise.all([Promise.all(clients.map((c) => c.batcher.close())), Promise.all(clients.map((c) => c.second?.close()))]);
    p.pending = closed.reduce((n, r) => n + r.pending, 0);
    p.state = stopped ? 'stopped' : 'done';
    report();
    return progress();
  }

  const done = run();
  return {
    done,
    progress,
    stop() {
      if (!stopped) {
        stopped = true;
        if (timer !== null) timers.clearTimeout(timer);
        wake?.();
      }
      return done;
    },
  };
}
