// core.events from Node: normalization, errors, the JS batcher under a fake clock,
// persistence and replay, the unload path, attachJitsi and the sinks.
import { asStored } from './helpers.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import {
  loadCore, ConveneError, attachJitsi, httpSink, arkivSink, memoryStorage, JITSI_EVENT_NAMES,
} from '@convene/core';
import { FakeClock } from './helpers/fake-clock.js';
import { fakeLocks } from './helpers/fake-locks.js';
import { withLock } from '../../npm/src/events/storage.js';

const core = await loadCore();
const ctx = { meetingId: 'meeting-1', participantId: 'local1' };

/** A sink that records calls and answers from a script (default 200). */
function scriptedSink(answers = []) {
  const calls = [];
  const send = async (records) => {
    calls.push(records);
    const a = answers.length ? answers.shift() : { status: 200 };
    if (a instanceof Error) throw a;
    return a;
  };
  return { send, calls };
}

const locks = fakeLocks(); // one origin: all "tabs" of a test share it

function makeBatcher(clock, extra = {}) {
  return core.events.createBatcher({ now: clock.now, timers: clock, lifecycle: null, document: null, locks, ...extra });
}

test('normalize: Jitsi payload -> record; errors name the field and the module stays usable', () => {
  const r = core.events.normalize('participantJoined', { id: 'abc', displayName: 'Ada', avatarURL: 'x' },
    { meetingId: 'm1', now: '2026-11-21T06:00:00Z' });
  assert.equal(r.type, 'participant.joined');
  assert.equal(r.participantId, 'abc');
  assert.equal(r.timestamp, '2026-11-21T06:00:00.000Z');
  assert.deepEqual(r.payload, { displayName: 'Ada' });
  assert.match(r.eventId, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(parseInt(r.eventId.slice(0, 8) + r.eventId.slice(9, 13), 16), Date.parse('2026-11-21T06:00:00Z'));

  const bad = [
    [() => core.events.normalize('no such event', {}, { meetingId: 'm' }), 'INVALID_EVENT_NAME', 'name'],
    [() => core.events.normalize('participantLeft', {}, { meetingId: '' }), 'MISSING_FIELD', 'ctx.meetingId'],
    [() => core.events.normalize('participantLeft', {}, {}), 'INVALID_TYPE', 'options.meetingId'],
    [() => core.events.normalize('participantLeft', {}, { meetingId: 'm', now: 'yesterday' }), 'INVALID_DATE', 'options.now'],
    [() => core.events.normalize(42, {}, { meetingId: 'm' }), 'INVALID_TYPE', 'name'],
  ];
  for (const [fn, code, field] of bad) {
    assert.throws(fn, (e) => e instanceof ConveneError && e.code === code && e.field === field && e.message.includes(field));
  }
  // Unserializable values are dropped, not fatal; the module still works after every error above.
  const odd = core.events.normalize('proxyConnectionEvent', { n: 10n, f() {}, ok: 1, nan: NaN }, { meetingId: 'm' });
  assert.deepEqual(odd.payload, { ok: 1 });
  assert.equal(core.events.normalize('participantLeft', { id: 'p' }, { meetingId: 'm' }).type, 'participant.left');
});

test('names outside the catalogue are captured as x.<words>, in every form; bad names are typed errors', async () => {
  const opts = { meetingId: 'm', participantId: 'me', now: '2026-11-21T06:00:00Z' };
  const r = core.events.normalize('someFutureEvent', { a: 1, deep: { b: 'x' }, n: 10n }, opts);
  assert.equal(r.type, 'x.some.future.event');
  assert.equal(r.participantId, 'me');
  assert.deepEqual(r.payload, { a: 1, deep: { b: 'x' } });
  assert.equal(core.events.normalize('HTTPRequestSent', {}, opts).type, 'x.http.request.sent');
  assert.equal(core.events.normalize('x.some.future.event', {}, opts).type, 'x.some.future.event');
  assert.equal(core.events.normalize('appNote', { text: 'é'.repeat(600) }, opts).payload.text.length, 256); // 512 bytes
  // The bulk forms take them too (the string transport), with catalogue names around them.
  const events = [['participantJoined', { id: 'p1' }], ['someFutureEvent', { a: 1 }], ['participantLeft', { id: 'p1' }]];
  const types = (records) => records.map((x) => x.type);
  assert.deepEqual(types(core.events.normalizeMany(events, opts)), ['participant.joined', 'x.some.future.event', 'participant.left']);
  assert.deepEqual(types(JSON.parse(core.events.normalizeManyJson(events, opts))), types(core.events.normalizeMany(events, opts)));
  assert.deepEqual(types(JSON.parse(new TextDecoder().decode(core.events.normalizeManyBytes(events, opts)))),
    ['participant.joined', 'x.some.future.event', 'participant.left']);
  for (const bad of ['', '9lives', 'has space', 'a..b', 'caf\u00e9', 'a'.repeat(65), 'semi;colon']) {
    assert.throws(() => core.events.normalize(bad, {}, opts),
      (e) => e instanceof ConveneError && e.code === 'INVALID_EVENT_NAME' && e.field === 'name', JSON.stringify(bad));
  }
  // The batcher queues them like any event.
  const clock = new FakeClock();
  const sink = scriptedSink();
  const b = makeBatcher(clock, { send: sink.send });
  const id = b.push('someFutureEvent', { a: 2 }, ctx);
  assert.equal(b.push('someFutureEvent', { a: 2 }, ctx), id); // pushed twice in a row: one event
  assert.throws(() => b.push('bad name', {}, ctx), (e) => e.code === 'INVALID_EVENT_NAME' && e.field === 'name');
  await b.close();
  assert.deepEqual(sink.calls.flat().map((x) => [x.type, x.participantId, x.payload]), [['x.some.future.event', 'local1', { a: 2 }]]);
});

test('batcher: real changes inside the dedup window are kept; the same event twice in a row is one', async () => {
  const clock = new FakeClock();
  const sink = scriptedSink();
  const b = makeBatcher(clock, { send: sink.send, flushAt: 1000 });
  // mute -> unmute -> mute within a second: three events, the log ends muted.
  const m1 = b.push('audioMuteStatusChanged', { muted: true }, ctx);
  await clock.advance(100);
  const m2 = b.push('audioMuteStatusChanged', { muted: false }, ctx);
  await clock.advance(100);
  const m3 = b.push('audioMuteStatusChanged', { muted: true }, ctx);
  assert.equal(new Set([m1, m2, m3]).size, 3);
  // join -> leave -> rejoin within a second: the rejoin is kept.
  const j1 = b.push('participantJoined', { id: 'p9', displayName: 'Ada' }, ctx);
  const l1 = b.push('participantLeft', { id: 'p9' }, ctx);
  const j2 = b.push('participantJoined', { id: 'p9', displayName: 'Ada' }, ctx);
  assert.equal(new Set([j1, l1, j2]).size, 3);
  // A double subscription: each event arrives twice, back to back.
  const api = new EventEmitter();
  attachJitsi(api, b, { meetingId: ctx.meetingId, participantId: ctx.participantId });
  attachJitsi(api, b, { meetingId: ctx.meetingId, participantId: ctx.participantId });
  api.emit('audioMuteStatusChanged', { muted: false });
  api.emit('audioMuteStatusChanged', { muted: true });
  assert.equal(b.pending, 8);
  await b.close();
  assert.deepEqual(sink.calls.flat().map((r) => r.payload.muted ?? r.type),
    [true, false, true, 'participant.joined', 'participant.left', 'participant.joined', false, true]);
});

test('catalogue and attachJitsi agree on the 73 IFrame API event names', () => {
  const names = core.events.catalogue().map((r) => r.jitsi).sort();
  assert.deepEqual([...JITSI_EVENT_NAMES].sort(), names);
  assert.equal(names.length, 73);
  const screen = core.events.catalogue().find((r) => r.jitsi === 'screenSharingStatusChanged');
  assert.deepEqual({ ...screen }, { jitsi: 'screenSharingStatusChanged', type: 'screen.share.started', typeOff: 'screen.share.stopped' });
});

test('normalizeMany: one crossing for many events', () => {
  const out = core.events.normalizeMany([['audioMuteStatusChanged', { muted: true }], ['participantLeft', { id: 'p9' }]],
    { meetingId: 'm', participantId: 'me', now: 0 });
  assert.deepEqual(out.map((r) => [r.type, r.participantId]), [['audio.mute.changed', 'me'], ['participant.left', 'p9']]);
});

test('normalizeManyJson: the records of normalize(), event by event, as one JSON text', () => {
  // Every catalogue name (Jitsi and Convene forms) with a payload that fills its usual fields.
  const names = core.events.catalogue().flatMap((r) => [r.jitsi, r.type, ...(r.typeOff ? [r.typeOff] : [])]);
  const payload = (i) => ({
    id: `p${i}`, from: `f${i}`, participantId: `q${i}`, displayName: `Ada "${i}"\n`, on: i % 2 === 0, muted: i % 3 === 0,
    message: `m${i} caf\u00e9 \u{1F600}`, data: { messageID: `x${i}`, final: i % 4 ? 'done' : '', participant: { id: `d${i}` } },
    error: { name: 'E', isFatal: false }, devices: { audioInput: [{ label: 'mic', deviceId: `d${i}` }] }, level: 0.5, skip: undefined,
  });
  const events = names.map((n, i) => [n, i % 11 === 5 ? undefined : payload(i)]);
  const opts = { meetingId: 'meeting \u00e9', participantId: 'me', now: '2026-11-21T06:00:00.123Z' };
  const text = core.events.normalizeManyJson(events, opts);
  assert.equal(typeof text, 'string');
  const records = JSON.parse(text);
  assert.equal(records.length, events.length);
  const withoutId = ({ eventId, ...rest }) => rest;
  records.forEach((r, i) => assert.deepEqual(withoutId(r), withoutId(core.events.normalize(events[i][0], events[i][1], opts)), names[i]));
  // Ids: UUIDv7, all distinct, in event order. Their time is `now`, or later: the module's
  // generator is monotonic across calls (uuid7.h), and earlier tests in this file used later clocks.
  const ids = records.map((r) => r.eventId);
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual([...ids].sort(), ids);
  const idMs = (id) => parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
  assert.ok(idMs(ids[0]) >= Date.parse(opts.now));
  const later = JSON.parse(core.events.normalizeManyJson([['participantLeft', { id: 'p' }]], { ...opts, now: '2099-01-01T00:00:00.000Z' }));
  assert.equal(idMs(later[0].eventId), Date.parse('2099-01-01T00:00:00.000Z'));
  assert.equal(core.events.normalizeManyJson([], opts), '[]');
  // A batch larger than the first buffers (they grow) gives as many records.
  const big = Array.from({ length: 20000 }, (_, i) => ['participantJoined', { id: `p${i}`, displayName: 'x'.repeat(i % 700) }]);
  const bigRecords = JSON.parse(core.events.normalizeManyJson(big, opts));
  assert.equal(bigRecords.length, 20000);
  assert.equal(bigRecords[19999].participantId, 'p19999');
  assert.equal(bigRecords[699].payload.displayName.length, 512); // capped (normalize.h kMaxStringBytes)
});

test('normalizeManyJson: bad input is a ConveneError naming the item; the fallback transport agrees', () => {
  const opts = { meetingId: 'm', now: 0 };
  const bad = [
    [() => core.events.normalizeManyJson([['participantJoined', {}], ['no such event', {}]], opts), 'INVALID_EVENT_NAME', 'events.1.name'],
    [() => core.events.normalizeManyJson([['participantJoined', {}], 'participantLeft'], opts), 'INVALID_TYPE', 'events.1'],
    [() => core.events.normalizeManyJson([[7, {}]], opts), 'INVALID_TYPE', 'events.0.name'],
    [() => core.events.normalizeManyJson({}, opts), 'INVALID_TYPE', 'events'],
    [() => core.events.normalizeManyJson([['participantJoined', {}]], { meetingId: ' ' }), 'MISSING_FIELD', 'ctx.meetingId'],
    [() => core.events.normalizeMany([['participantJoined', {}], ['no pe', {}]], opts), 'INVALID_EVENT_NAME', 'events.1.name'],
  ];
  for (const [fn, code, field] of bad) {
    assert.throws(fn, (e) => e instanceof ConveneError && e.code === code && e.field === field && e.message.includes(field));
  }
  // BigInt makes JSON.stringify throw: the fallback transport marks and drops it, like normalize().
  const [odd] = core.events.normalizeMany([['proxyConnectionEvent', { n: 10n, ok: 1 }]], opts);
  assert.deepEqual(odd.payload, { ok: 1 });
  // Still usable after every error above.
  assert.equal(JSON.parse(core.events.normalizeManyJson([['participantLeft', { id: 'p' }]], opts))[0].participantId, 'p');
});

test('normalizeManyJson / normalizeManyBytes: each call writes its own context, as calls switch between them', () => {
  // Switching contexts back and forth, and a failing context in between, must not leave a stale
  // one behind (an earlier transport passed the context only when it changed).
  const events = [['participantJoined', { displayName: 'Ada' }], ['participantLeft', { id: 'p2' }]];
  const contexts = [
    { meetingId: 'a', participantId: 'me', now: 1000 },
    { meetingId: 'b', now: 2000 },
    { meetingId: 'a', now: 3000 },
    { meetingId: 'a', participantId: 'you', now: 3000 },
    { meetingId: 'b', participantId: 'you', now: 4000 },
  ];
  const decoder = new TextDecoder();
  for (let round = 0; round < 2; round++) {
    for (const opts of contexts) {
      const fromJson = JSON.parse(core.events.normalizeManyJson(events, opts));
      const fromBytes = JSON.parse(decoder.decode(core.events.normalizeManyBytes(events, opts)));
      for (const records of [fromJson, fromBytes]) {
        assert.deepEqual(records.map((r) => [r.meetingId, r.participantId, r.timestamp]), [
          [opts.meetingId, opts.participantId, new Date(opts.now).toISOString()],
          [opts.meetingId, 'p2', new Date(opts.now).toISOString()],
        ]);
      }
      if (round === 1) {  // round 0 switches between good contexts only; round 1 fails between them
        assert.throws(() => core.events.normalizeManyBytes(events, { ...opts, meetingId: ' ' }),
          (e) => e instanceof ConveneError && e.code === 'MISSING_FIELD' && e.field === 'ctx.meetingId');
      }
    }
  }
});

test('normalizeManyBytes into a caller buffer: a view of it when the records fit, a new array when not', () => {
  const opts = { meetingId: 'm', participantId: 'me', now: 5000 };
  const events = Array.from({ length: 40 }, (_, i) => ['participantJoined', { id: `p${i}`, displayName: `Ada ${i}` }]);
  const plain = core.events.normalizeManyBytes(events, opts);
  const decoder = new TextDecoder();
  const withoutIds = (bytes) => JSON.parse(decoder.decode(bytes)).map(({ eventId, ...r }) => r);
  const expected = withoutIds(plain);
  const buffer = new Uint8Array(plain.length + 100).fill(0x2a);
  const into = buffer.subarray(3); // a view that does not start at its buffer's start
  const got = core.events.normalizeManyBytes(events, { ...opts, into });
  assert.equal(got.buffer, buffer.buffer);
  assert.equal(got.byteOffset, 3);
  assert.equal(got.length, plain.length);
  assert.deepEqual(withoutIds(got), expected);
  assert.equal(buffer[2], 0x2a); // nothing before the view
  assert.equal(buffer[3 + got.length], 0x2a); // nor after the records
  // Too small: a new array with the same records; the small buffer is left as it was.
  const small = new Uint8Array(10);
  const fresh = core.events.normalizeManyBytes(events, { ...opts, into: small });
  assert.notEqual(fresh.buffer, small.buffer);
  assert.deepEqual(withoutIds(fresh), expected);
  assert.deepEqual([...small], new Array(10).fill(0));
  // A payload with a BigInt (marked by toJson, dropped by the core) honours `into` too.
  const odd = core.events.normalizeManyBytes([['proxyConnectionEvent', { n: 1n, ok: 1 }]], { ...opts, into });
  assert.equal(odd.buffer, buffer.buffer);
  assert.deepEqual(JSON.parse(decoder.decode(odd))[0].payload, { ok: 1 });
  assert.ok(core.events.normalizeManyBytes(events, { ...opts, into: null }).length > 0); // null: no buffer
  for (const bad of [[1, 2], new Uint16Array(4), 'text', 0]) {
    assert.throws(() => core.events.normalizeManyBytes(events, { ...opts, into: bad }),
      (e) => e instanceof ConveneError && e.code === 'INVALID_TYPE' && e.field === 'options.into');
  }
  assert.equal(typeof core.events.normalizeManyJson(events, { ...opts, into: 'ignored by the string form' }), 'string');
});

test('batcher: flushes at 5 events and 2 s after the oldest (fixed timer), in push order', async () => {
  const clock = new FakeClock();
  const sink = scriptedSink();
  const b = makeBatcher(clock, { send: sink.send });
  const ids = [];
  for (let i = 0; i < 4; i++) ids.push(b.push('participantJoined', { id: `p${i}` }, ctx));
  await clock.settle();
  assert.equal(sink.calls.length, 0);
  ids.push(b.push('participantJoined', { id: 'p4' }, ctx));
  await clock.settle();
  assert.equal(sink.calls.length, 1);
  assert.deepEqual(sink.calls[0].map((r) => r.eventId), ids);

  b.push('audioMuteStatusChanged', { muted: true }, ctx); // t = 0
  await clock.advance(1500);
  b.push('audioMuteStatusChanged', { muted: false }, ctx); // does not move the deadline
  await clock.advance(499);
  assert.equal(sink.calls.length, 1);
  await clock.advance(1);
  assert.equal(sink.calls.length, 2);
  assert.deepEqual(sink.calls[1].map((r) => r.payload.muted), [true, false]);
  assert.equal(b.pending, 0);
  await b.close();
});

test('batcher: failures retry with backoff and Retry-After; 4xx is given up and reported', async () => {
  const clock = new FakeClock();
  const rejected = [];
  const sink = scriptedSink([{ status: 503 }, new Error('ECONNRESET'), { status: 429, retryAfter: 5 }, { status: 200 },
    { status: 400 }]);
  const times = [];
  const send = (records) => (times.push(clock.now()), sink.send(records));
  const b = makeBatcher(clock, { send, onRejected: (records, status) => rejected.push([records.length, status]) });
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push(b.push('participantJoined', { id: `p${i}` }, ctx));
  await clock.advance(20000);
  assert.equal(sink.calls.length, 4); // 503, network error, 429, 200
  const gaps = times.slice(1).map((t, i) => t - times[i]);
  assert.ok(gaps[0] >= 500 && gaps[0] <= 1000, `1st backoff ${gaps[0]} in [500, 1000]`);
  assert.ok(gaps[1] >= 1000 && gaps[1] <= 2000, `2nd backoff ${gaps[1]} in [1000, 2000]`);
  assert.equal(gaps[2], 5000); // Retry-After 5 s beats the 3rd backoff (2..4 s)
  for (const call of sink.calls) assert.deepEqual(call.map((r) => r.eventId), ids); // same batch, same order
  assert.equal(b.pending, 0);

  for (let i = 0; i < 5; i++) b.push('participantLeft', { id: `p${i}` }, ctx);
  await clock.settle();
  assert.deepEqual(rejected, [[5, 400]]);
  assert.equal(b.pending, 0);
  await b.close();
});

test('batcher: errors are ConveneErrors; push works after a bad push; close() flushes', async () => {
  const clock = new FakeClock();
  const sink = scriptedSink();
  assert.throws(() => makeBatcher(clock, { send: 'nope' }), (e) => e.code === 'INVALID_TYPE' && e.field === 'options.send');
  assert.throws(() => makeBatcher(clock, { send: sink.send, flushAt: 0 }), (e) => e.code === 'INVALID_INPUT' && e.field === 'options.flushAt');
  const b = makeBatcher(clock, { send: sink.send });
  assert.throws(() => b.push('bo gus', {}, ctx), (e) => e.code === 'INVALID_EVENT_NAME' && e.field === 'name');
  assert.throws(() => b.push('participantLeft', {}, { meetingId: 7 }), (e) => e.code === 'INVALID_TYPE' && e.field === 'ctx.meetingId');
  assert.throws(() => b.push('participantLeft', {}, null), (e) => e.code === 'INVALID_TYPE' && e.field === 'ctx');
  const id = b.push('participantLeft', { id: 'x' }, ctx);
  assert.equal(b.pending, 1);
  // Duplicates: the same event twice, and Jitsi's second videoConferenceLeft.
  assert.equal(b.push('participantLeft', { id: 'x' }, ctx), id);
  const left = b.push('videoConferenceLeft', { roomName: 'r' }, ctx);
  await clock.advance(5000);
  assert.equal(b.push('videoConferenceLeft', { roomName: 'r' }, ctx), left);
  const res = await b.close();
  assert.deepEqual(res, { pending: 0 });
  assert.deepEqual(sink.calls.flat().map((r) => r.type), ['participant.left', 'conference.left']);
  assert.throws(() => b.push('participantLeft', {}, ctx), (e) => e instanceof ConveneError);
});

test('push through the binding\'s I/O buffer: non-ASCII text, payloads larger than the buffer, memory growth, errors', async () => {
  // bindings/events.cpp ioView: the name and payload go in as UTF-8 and the envelope comes back in one buffer, which
  // grows, moves, detaches when memory grows, and shrinks back after a large payload. Every record must come out
  // as normalize() makes it from the same input, whatever happened to the buffer in between.
  const clock = new FakeClock();
  const sink = scriptedSink();
  const b = makeBatcher(clock, { send: sink.send, flushAt: 1000 });
  await b.ready;
  const inputs = [
    ['incomingMessage', { from: 'p1', nick: 'Zoë 🎉', message: 'grüße, 日本語, 😀 and a lone \ud800 surrogate' }],
    ['incomingMessage', { from: 'p2', nick: 'big', message: 'x'.repeat(3 * 1024 * 1024) }], // past 1 KiB and 256 KiB
    ['participantJoined', { id: 'p3', displayName: 'ä'.repeat(600) }], // 2 bytes per unit: past a 1 KiB guess
    ['incomingMessage', { from: 'p4', nick: 'n', message: '🎉'.repeat(200000) }], // 4 bytes per pair; memory grows
    ['participantJoined', { id: 'p5', displayName: 'after' }],
  ];
  const ids = inputs.map(([name, payload]) => b.push(name, payload, ctx));
  assert.throws(() => b.push('no such event', {}, ctx), (err) => err.code === 'INVALID_EVENT_NAME' && err.field === 'name');
  ids.push(b.push('participantLeft', { id: 'p6' }, ctx)); // usable after the error
  await b.flush();
  const sent = sink.calls.flat();
  assert.deepEqual(sent.map((r) => r.eventId), ids);
  const expected = [...inputs, ['participantLeft', { id: 'p6' }]].map(([name, payload]) => core.events.normalize(name, payload, ctx, clock.now()));
  assert.deepEqual(sent.map((r) => r.payload), expected.map((r) => r.payload));
  assert.equal(sent[1].payload.message.length, 4096);
  assert.equal(sent[0].payload.nick, 'Zoë 🎉');
  assert.equal(sent[0].payload.message, 'grüße, 日本語, 😀 and a lone \ufffd surrogate'); // as TextEncoder writes it (docs/domain.md#text-from-javascript)
  await b.close();
});

test('queue cap drops the oldest and reports the count', async () => {
  const clock = new FakeClock();
  let dropped = 0;
  const sink = scriptedSink([new Error('offline')]);
  const b = makeBatcher(clock, { send: sink.send, maxQueue: 20, onDropped: (n) => (dropped += n) });
  for (let i = 0; i < 30; i++) b.push('participantJoined', { id: `p${i}` }, ctx);
  await clock.settle();
  assert.equal(b.pending, 20);
  assert.equal(dropped, 10);
  assert.equal(b.dropped, 10);
  b.abandon();
});

/** The next load on `storage`: it replays `ids` from storage and sends them, in order. Returns its batcher. */
async function nextLoadSends(clock, storage, ids) {
  const online = scriptedSink();
  const b = makeBatcher(clock, { send: online.send, storage });
  assert.equal(await b.ready, ids.length);
  await clock.advance(10);
  assert.deepEqual(online.calls.flat().map((r) => r.eventId), ids);
  return b;
}

test('unsent events survive a reload (pagehide -> storage -> next load) and are sent once', async () => {
  const clock = new FakeClock();
  const storage = memoryStorage();
  const offline = scriptedSink([new Error('offline'), new Error('offline'), new Error('offline')]);
  const a = makeBatcher(clock, { send: offline.send, storage });
  await a.ready;
  const ids = [];
  for (let i = 0; i < 7; i++) ids.push(a.push('participantJoined', { id: `p${i}` }, ctx));
  await clock.settle();
  a.pagehide(); // no beacon: everything goes to storage with lease 0
  const stored = JSON.parse(storage.getItem(`convene.events.q.${a.id}`));
  assert.equal(stored.lease, 0);
  assert.deepEqual(stored.records.map((r) => r.eventId), ids);
  a.abandon();

  const b = await nextLoadSends(clock, storage, ids);
  // A third load finds nothing left to replay.
  const c = makeBatcher(clock, { send: scriptedSink().send, storage });
  assert.equal(await c.ready, 0);
  await b.close();
  await c.close();
});

test('pagehide cancels a request in flight: its events stay stored and the next load sends them again', async () => {
  // At-least-once (docs/events.md#unload-persistence-tabs): the page cannot know whether a cancelled request was
  // stored, so its events are replayed; the collector deduplicates on eventId. events_faults.test.js meets this case
  // by chance (a collector that stored such a request and answered 200 to a page already gone).
  const clock = new FakeClock();
  const storage = memoryStorage();
  const inFlight = [];
  const hanging = (records, { signal } = {}) => new Promise((resolve, reject) => {
    inFlight.push(records);
    signal?.addEventListener('abort', () => reject(new DOMException('cancelled by pagehide', 'AbortError')));
  });
  const a = makeBatcher(clock, { send: hanging, storage });
  await a.ready;
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push(a.push('participantJoined', { id: `p${i}` }, ctx));
  await clock.settle();
  assert.deepEqual(inFlight.flat().map((r) => r.eventId), ids, 'the batch is in flight');
  a.pagehide();
  assert.deepEqual(JSON.parse(storage.getItem(`convene.events.q.${a.id}`)).records.map((r) => r.eventId), ids);
  await clock.settle(); // the cancelled request settles after pagehide: it acknowledges nothing
  a.abandon();

  const b = await nextLoadSends(clock, storage, ids);
  await b.close();
});

test('two tabs never adopt each other\'s live queue', async () => {
  const clock = new FakeClock();
  const storage = memoryStorage();
  const never = () => new Promise(() => {}); // a request that never returns: events stay queued
  const a = makeBatcher(clock, { send: never, storage, leaseMs: 10000 });
  await a.ready;
  for (let i = 0; i < 3; i++) a.push('participantJoined', { id: `p${i}` }, ctx);
  await clock.advance(300); // persisted with a live lease
  const bSink = scriptedSink();
  const b = makeBatcher(clock, { send: bSink.send, storage, leaseMs: 10000 });
  assert.equal(await b.ready, 0);
  // Tab A crashes (no pagehide): its lease runs out and tab B adopts the queue on its heartbeat.
  a.abandon();
  await clock.advance(16000);
  assert.deepEqual(bSink.calls.flat().map((r) => r.payload.displayName ?? r.participantId), ['p0', 'p1', 'p2']);
  await b.close();
});

test('pagehide: a healthy tail goes out in one beacon (< 64 KB); of a backlog, what the quota takes', async () => {
  const clock = new FakeClock();
  const never = () => new Promise(() => {});
  const opts = { send: never, flushAt: 1000, flushIntervalMs: 3600000 };
  // Small tail: one beacon with everything; storage keeps a copy (at-least-once; the collector dedupes).
  let bodies = [];
  let storage = memoryStorage();
  let b = makeBatcher(clock, { ...opts, storage, beacon: (body) => (bodies.push(body), true) });
  await b.ready;
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push(b.push('incomingMessage', { from: `p${i}`, message: `m${i}`, nick: 'n' }, ctx));
  b.pagehide();
  assert.equal(bodies.length, 1);
  assert.deepEqual(JSON.parse(bodies[0]).events.map((r) => r.eventId), ids);
  assert.equal(b.pending, 0);
  assert.deepEqual(JSON.parse(storage.getItem(`convene.events.q.${b.id}`)).records.map((r) => r.eventId), ids);
  b.abandon();

  // Backlog larger than one 60 KB chunk: the oldest go out within the 64 KiB keepalive quota, all of it
  // stays in storage with lease 0 (the rest for the next load; the beaconed ones at-least-once).
  bodies = [];
  storage = memoryStorage();
  b = makeBatcher(clock, { ...opts, storage, beacon: (body) => (bodies.push(body), true) });
  await b.ready;
  const backlog = [];
  for (let i = 0; i < 40; i++) backlog.push(b.push('incomingMessage', { from: `p${i}`, message: 'x'.repeat(4000), nick: 'n' }, ctx));
  b.pagehide();
  const bytes = (body) => new TextEncoder().encode(body).length;
  assert.ok(bodies.length >= 1);
  assert.ok(bodies.every((body) => bytes(body) <= 60 * 1024));
  assert.ok(bodies.reduce((n, body) => n + bytes(body), 0) <= 64 * 1024);
  const sent = bodies.flatMap((body) => JSON.parse(body).events.map((r) => r.eventId));
  assert.deepEqual(sent, backlog.slice(0, sent.length)); // oldest first
  assert.equal(b.pending, 40 - sent.length);
  const entry = JSON.parse(storage.getItem(`convene.events.q.${b.id}`));
  assert.equal(entry.lease, 0);
  assert.equal(entry.records.length, 40);
  b.abandon();

  // A failing sink: the tail is not beaconed either.
  bodies = [];
  const failing = scriptedSink([{ status: 503 }]);
  b = makeBatcher(clock, { send: failing.send, storage: memoryStorage(), beacon: (body) => (bodies.push(body), true) });
  for (let i = 0; i < 5; i++) b.push('participantJoined', { id: `q${i}` }, ctx);
  await clock.settle();
  b.pagehide();
  assert.equal(bodies.length, 0);
  assert.equal(b.pending, 5);
  b.abandon();
});

/** A browser's keepalive quota: at most 64 KiB of sendBeacon / fetch(keepalive) bodies in flight (none completes here). */
function keepaliveQuota(used = 0) {
  const q = { used, accepted: [], refused: 0 };
  q.take = (bytes) => {
    if (q.used + bytes > 64 * 1024) {
      q.refused++;
      return false;
    }
    q.used += bytes;
    return true;
  };
  return q;
}

test('pagehide: a backlog goes out oldest first, in bodies under 60 KiB, as far as the 64 KiB keepalive quota takes; the rest stays stored', async () => {
  const clock = new FakeClock();
  const opts = { flushAt: 1000, flushIntervalMs: 3600000, maxBatchBytes: 1024 * 1024, flushBytes: 1024 * 1024 };
  const bytes = (body) => new TextEncoder().encode(body).length;
  /** 150 events (~170 KB) queued, then pagehide through httpSink's unload path. */
  const run = async (sinkOptions, quota, { minSent }) => {
    const sink = httpSink('http://collector.test/api/meetings/events', sinkOptions);
    const send = () => new Promise(() => {}); // nothing is delivered before the page goes away
    send.beacon = sink.beacon;
    const storage = memoryStorage();
    const b = makeBatcher(clock, { ...opts, send, storage });
    await b.ready;
    const ids = [];
    for (let i = 0; i < 150; i++) ids.push(b.push('incomingMessage', { from: `p${i}`, message: `${i} ${'y'.repeat(1000)}`, nick: 'n' }, ctx));
    b.pagehide();
    await clock.settle();
    const stored = JSON.parse(storage.getItem(`convene.events.q.${b.id}`));
    const pending = b.pending;
    b.abandon();
    const bodies = await Promise.all(quota.accepted.map((body) => (typeof body === 'string' ? body : body.text())));
    const sent = bodies.flatMap((body) => JSON.parse(body).events.map((r) => r.eventId));
    assert.ok(sent.length >= minSent, `sent ${sent.length} events in ${bodies.length} bodies (at least ${minSent})`);
    assert.deepEqual(sent, ids.slice(0, sent.length), 'oldest first, each once');
    for (const body of bodies) assert.ok(bytes(body) <= 60 * 1024, `body of ${bytes(body)} bytes`);
    assert.ok(quota.used <= 64 * 1024);
    assert.equal(pending, 150 - sent.length);
    // Never dropped: everything stays stored for the next load (the beaconed ones too: at-least-once).
    assert.equal(stored.lease, 0);
    assert.deepEqual(stored.records.map((r) => r.eventId), ids);
    return { bodies, sent };
  };
  const beaconInto = (quota) => (url, blob) => {
    const ok = quota.take(blob.size);
    if (ok) quota.accepted.push(blob);
    return ok;
  };

  // navigator.sendBeacon (a Blob body).
  let quota = keepaliveQuota();
  let result = await run({ sendBeacon: beaconInto(quota) }, quota, { minSent: 50 });
  assert.ok(result.bodies.length >= 2, 'more than one body');
  assert.ok(quota.used > 60 * 1024, `the quota is used beyond one body (${quota.used} bytes)`);
  assert.equal(quota.refused, 0);

  // fetch(keepalive) when there is no sendBeacon: the same quota, enforced by a rejected promise.
  quota = keepaliveQuota();
  const fetch = async (url, init) => {
    if (!init.keepalive) throw new Error('not an unload request');
    if (!quota.take(bytes(init.body))) throw new TypeError('keepalive quota exceeded');
    quota.accepted.push(init.body);
    return new Response(null, { status: 200 });
  };
  result = await run({ fetch }, quota, { minSent: 50 });
  assert.ok(result.bodies.length >= 2, 'more than one body');
  assert.equal(quota.refused, 0);

  // Another keepalive request already holds 40 KiB: smaller bodies still go out, nothing is lost.
  quota = keepaliveQuota(40 * 1024);
  await run({ sendBeacon: beaconInto(quota) }, quota, { minSent: 10 });
});

test('attachJitsi subscribes to every event, tracks the local participant and detaches', async () => {
  const api = new EventEmitter();
  const pushed = [];
  const batcher = { push: (name, payload, c) => (pushed.push([name, c.participantId ?? null]), 'id') };
  const sub = attachJitsi(api, batcher, { meetingId: 'm1' });
  assert.equal(sub.events.length, JITSI_EVENT_NAMES.length - 1); // mouseMove ignored by default
  for (const name of JITSI_EVENT_NAMES) assert.equal(api.listenerCount(name), name === 'mouseMove' ? 0 : 1);
  api.emit('audioMuteStatusChanged', { muted: true });
  api.emit('videoConferenceJoined', { id: 'me1', roomName: 'r' });
  api.emit('audioMuteStatusChanged', { muted: false });
  assert.deepEqual(pushed, [['audioMuteStatusChanged', null], ['videoConferenceJoined', 'me1'], ['audioMuteStatusChanged', 'me1']]);
  sub.detach();
  for (const name of JITSI_EVENT_NAMES) assert.equal(api.listenerCount(name), 0);
  api.emit('participantJoined', { id: 'x' });
  assert.equal(pushed.length, 3);
});

test('attachJitsi: extraEvents adds names beyond the catalogue (typed list), catalogue names once', () => {
  const api = new EventEmitter();
  const pushed = [];
  const batcher = { push: (name, payload) => (pushed.push([name, payload]), 'id') };
  const sub = attachJitsi(api, batcher, { meetingId: 'm1', extraEvents: ['someFutureEvent', 'participantJoined', 'appNote'] });
  assert.equal(sub.events.length, JITSI_EVENT_NAMES.length - 1 + 2);
  assert.ok(sub.events.includes('someFutureEvent') && sub.events.includes('appNote'));
  assert.equal(api.listenerCount('participantJoined'), 1);
  api.emit('someFutureEvent', { a: 1 });
  api.emit('appNote', { text: 't' });
  assert.deepEqual(pushed, [['someFutureEvent', { a: 1 }], ['appNote', { text: 't' }]]);
  sub.detach();
  assert.equal(api.listenerCount('someFutureEvent'), 0);
  assert.throws(() => attachJitsi(api, batcher, { meetingId: 'm1', extraEvents: 'someFutureEvent' }), TypeError);
  assert.throws(() => attachJitsi(api, batcher, { meetingId: 'm1', extraEvents: [42] }), TypeError);
});

test('httpSink posts {events}, reads Retry-After; arkivSink writes one mutateEntities per batch', async () => {
  const requests = [];
  const fetch = async (url, init) => {
    requests.push([url, JSON.parse(init.body)]);
    return { status: 429, headers: new Headers({ 'retry-after': '7' }) };
  };
  const send = httpSink('http://127.0.0.1:1/api/meetings/events', { fetch });
  const rec = core.events.normalize('participantJoined', { id: 'p' }, { meetingId: 'm1' });
  assert.deepEqual(await send([rec]), { status: 429, retryAfter: 7 });
  assert.deepEqual(requests[0][1], { events: [rec] });

  const txs = [];
  const wallet = { mutateEntities: async (p) => (txs.push(p), { txHash: '0x1', createdEntities: [] }) };
  const arkiv = arkivSink(wallet, { spaceId: 'beta-launch' });
  const rec2 = core.events.normalize('audioMuteStatusChanged', { muted: true }, { meetingId: 'm1' });
  assert.deepEqual(await arkiv([rec, rec2]), { status: 200 });
  assert.equal(txs.length, 1);
  assert.equal(txs[0].creates.length, 2);
  const c0 = txs[0].creates[0];
  assert.equal(c0.expiresIn, 7776000);
  assert.equal(c0.contentType, 'application/json');
  const attrs = Object.fromEntries(c0.attributes.map((a) => [a.key, a.value]));
  assert.deepEqual(attrs, { type: 'meeting_event', meetingId: 'm1', eventType: 'participant.joined', eventId: rec.eventId,
    spaceId: 'beta-launch', createdAt: rec.timestamp, participantId: 'p' });
  assert.ok(!txs[0].creates[1].attributes.some((a) => a.key === 'participantId'));
  // Readers keep the allowed signers' records, dedupe by eventId (a retried batch can land twice) and
  // sort by time; a record in the same meeting written by another wallet is left out and counted.
  const alice = '0x1111111111111111111111111111111111111111';
  const mallory = '0x3333333333333333333333333333333333333333';
  const [c0b, c1b] = txs[0].creates;
  const back = core.events.fromEntities([asStored(c0b, '0xe1', alice, 1), asStored(c1b, '0xe2', alice, 1, 0, 1),
    asStored(c0b, '0xe3', alice, 2), asStored(c1b, '0xe4', mallory, 3)], { signers: [alice.toUpperCase().replace('0X', '0x')] });
  assert.deepEqual(back.events.map((r) => r.eventId), [rec.eventId, rec2.eventId].sort());
  assert.ok(back.events.every((r) => r.signer === alice));
  assert.equal(back.ignored.unverified, 1);
  assert.throws(() => core.events.fromEntities([], {}), { code: 'MISSING_FIELD', field: 'options.signers' });
  const failing = arkivSink({ mutateEntities: async () => { throw Object.assign(new Error('x'), { name: 'InvalidParamsRpcError' }); } });
  assert.deepEqual(await failing([rec]), { status: 400 });
  await assert.rejects(arkivSink({ mutateEntities: async () => { throw new Error('socket hang up'); } })([rec]));
});

test('storage lease lock (no Web Locks): one holder at a time', async () => {
  const storage = memoryStorage();
  const timers = globalThis;
  let inside = 0;
  let max = 0;
  const run = (owner) => withLock({ storage, locks: null, name: 'L', owner, now: Date.now, timers }, async () => {
    inside++;
    max = Math.max(max, inside);
    await new Promise((resolve) => setTimeout(resolve, 30));
    inside--;
    return owner;
  });
  const results = await Promise.all([run('a'), run('b'), run('c')]);
  assert.equal(max, 1);
  assert.equal(results.filter(Boolean).length >= 1, true);
  assert.equal(storage.getItem('L.lock'), null); // released
  assert.equal(await run('d'), 'd');
});

test('unload order: a visibilitychange after pagehide (Chrome) keeps the lease at 0', async () => {
  const clock = new FakeClock();
  const storage = memoryStorage();
  const win = new EventTarget();
  const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
  const b = makeBatcher(clock, { send: () => new Promise(() => {}), storage, lifecycle: win, document: doc });
  await b.ready;
  b.push('participantLeft', { id: 'x' }, ctx);
  win.dispatchEvent(new Event('pagehide'));
  b.push('videoConferenceLeft', { roomName: 'r' }, ctx); // Jitsi during unload: stored at once
  doc.visibilityState = 'hidden';
  doc.dispatchEvent(new Event('visibilitychange'));
  const entry = JSON.parse(storage.getItem(`convene.events.q.${b.id}`));
  assert.equal(entry.lease, 0);
  assert.deepEqual(entry.records.map((r) => r.type), ['participant.left', 'conference.left']);
  b.abandon();
});

test('one delivery policy: a 3xx is a failure the core retries, so the JS batcher does not beacon past it either', async () => {
  // The core (core/events/batcher.cpp) retries anything but 2xx and a final 4xx; the JS layer
  // used to call a 3xx healthy on its own and beaconed the tail behind a batch the core would retry.
  const clock = new FakeClock();
  const bodies = [];
  for (const status of [301, 302, 307, 308]) {
    const sink = scriptedSink([{ status }]);
    const b = makeBatcher(clock, { send: sink.send, storage: memoryStorage(), beacon: (body) => (bodies.push(body), true) });
    for (let i = 0; i < 5; i++) b.push('participantJoined', { id: `r${status}-${i}` }, ctx);
    await clock.settle();
    assert.equal(sink.calls.length, 1, `${status}: one delivery attempt`);
    b.pagehide();
    assert.equal(bodies.length, 0, `${status}: nothing beaconed behind a batch the core retries`);
    assert.equal(b.pending, 5, `${status}: the batch is still queued`);
    b.abandon();
  }
});

test('one instant rule: normalize accepts every `now` form entities.build accepts (a bare date is its midnight UTC)', () => {
  const built = core.entities.build('session', {
    mentorWallet: '0x' + '1'.repeat(40), learnerWallet: '0x' + '2'.repeat(40), skill: 'Rust',
    sessionDate: '2026-02-01T18:00:00Z', duration: 60,
  }, { spaceId: 's', now: '2026-01-20' });
  assert.ok(built, 'entities.build takes a bare date');
  const r = core.events.normalize('participantJoined', { id: 'abc' }, { meetingId: 'm', now: '2026-01-20' });
  assert.equal(r.timestamp, '2026-01-20T00:00:00.000Z');
  const many = core.events.normalizeMany([['participantJoined', { id: 'a' }]], { meetingId: 'm', now: '2026-01-20' });
  assert.equal(many[0].timestamp, '2026-01-20T00:00:00.000Z');
  // What both refuse, both refuse with the same code and field.
  for (const bad of ['2026-01-20T10:00:00', 'yesterday', '']) {
    assert.throws(() => core.events.normalize('participantJoined', { id: 'a' }, { meetingId: 'm', now: bad }),
      (e) => e.code === 'INVALID_DATE' && e.field === 'options.now', `normalize now=${JSON.stringify(bad)}`);
  }
});
