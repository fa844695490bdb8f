// The meeting page's replay (web/src/meeting/replay.js) from Node: the recorded stand-up
// (web/src/meeting/replays/standup.json) driven through IFrame-API-shaped emitters into the package's
// real pipeline (attachJitsi -> core.events.createBatcher) with a sink that keeps what it receives, then
// folded by core.meetings.summarize. Checks that the records carry the recording's relative times
// exactly, that the replay's records are marked by their meetingId, and that the fold reads the
// recording as a person would (rejoin, one participant seen by several clients, a crashed tab).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { loadCore } from '@convene/core';
import { checkRecording, createIFrameApiEmitter, newReplayRunId, replayMeetingId, startReplay } from '../../web/src/meeting/replay.js';

const core = await loadCore();
const RECORDING = JSON.parse(fs.readFileSync(new URL('../../web/src/meeting/replays/standup.json', import.meta.url), 'utf8'));
const START = Date.UTC(2026, 10, 30, 23, 0, 0);

/** Runs the whole recording at `speed` into a sink that stores every batch (optionally failing some first). */
async function replay({ speed = 2000, failFirst = 0 } = {}) {
  const received = [];
  let calls = 0;
  const send = async (records) => {
    calls += 1;
    if (calls <= failFirst) return { status: 503 };
    received.push(...records);
    return { status: 200 };
  };
  const meetingId = replayMeetingId('mtg-1', newReplayRunId(START));
  const progress = [];
  const run = startReplay({ core, recording: RECORDING, meetingId, send, startMs: START, speed, onProgress: (p) => progress.push(p) });
  const end = await run.done;
  return { received, end, meetingId, progress };
}

test('replay: every recorded IFrame API event goes through attachJitsi and the batcher, at the recording’s times', async () => {
  checkRecording(RECORDING);
  const { received, end, meetingId, progress } = await replay();
  assert.match(meetingId, /^mtg-1\/replay\/20261130T230000Z-[0-9a-f]{4}$/);
  assert.equal(end.state, 'done');
  assert.equal(end.emitted, RECORDING.events.length);
  // The batcher drops Jitsi's second videoConferenceLeft; everything else is one record.
  assert.equal(received.length, RECORDING.events.length - 1);
  assert.equal(end.delivered, received.length);
  assert.equal(end.pending, 0);
  assert.ok(progress.some((p) => p.state === 'running' && p.emitted < p.total), 'progress is reported while running');
  assert.equal(new Set(received.map((r) => r.eventId)).size, received.length);
  assert.ok(received.every((r) => r.meetingId === meetingId), 'every record carries the replay’s meetingId');
  // Each record's timestamp is the recording's atMs after the start, exactly.
  const wanted = RECORDING.events.filter((e, i, all) => !(e.name === 'videoConferenceLeft' && all[i - 1]?.name === 'videoConferenceLeft')).map((e) => new Date(START + e.atMs).toISOString()).sort();
  assert.deepEqual(received.map((r) => r.timestamp).sort(), wanted);
});

test('replay: the fold of its records reads the stand-up as it happened', async () => {
  const { received, meetingId } = await replay();
  const { meetings, ignored } = core.meetings.summarize(received);
  assert.equal(ignored.total, 0);
  assert.equal(meetings.length, 1);
  const m = meetings[0];
  const at = (s) => new Date(START + s * 1000).toISOString();
  assert.equal(m.meetingId, meetingId);
  assert.equal(m.startedAt, at(0));
  assert.equal(m.endedAt, at(115));
  assert.equal(m.asOf, at(116));
  const by = Object.fromEntries(m.participants.map((p) => [p.displayName, p]));
  assert.deepEqual(Object.keys(by), ['Ada', 'Ben Okafor', 'Chloé', 'Dan (phone)']);
  assert.deepEqual(by.Ada.intervals, [{ joinedAt: at(0), leftAt: at(115) }]);
  assert.equal(by.Ada.role, 'moderator');
  assert.deepEqual(by['Ben Okafor'].intervals, [{ joinedAt: at(4), leftAt: at(60) }, { joinedAt: at(72), leftAt: at(110) }], 'a rejoin is a second interval');
  assert.deepEqual(by['Chloé'].intervals, [{ joinedAt: at(12), leftAt: at(100) }], 'the crashed tab ends at its last sign of life');
  assert.deepEqual(by['Dan (phone)'].intervals, [{ joinedAt: at(20), leftAt: at(105) }], 'seen by three clients, one participant');
  assert.deepEqual(m.participants.map((p) => [p.presenceSeconds, p.speakingSeconds, p.screenShareSeconds, p.mutedSeconds]), [
    [115, 59, 45, 0],
    [94, 38, 0, 15],
    [88, 8, 0, 0],
    [85, 0, 0, 25],
  ]);
});

test('replay: a sink that fails at first only delays the records (the batcher retries in recording time)', async () => {
  const { received, end } = await replay({ speed: 500, failFirst: 2 });
  assert.equal(end.pending, 0);
  assert.equal(received.length, RECORDING.events.length - 1);
  assert.equal(new Set(received.map((r) => r.eventId)).size, received.length);
});

test('replay: stop() ends early and still flushes what was emitted', async () => {
  const received = [];
  const run = startReplay({
    core, recording: RECORDING, meetingId: 'mtg-2/replay/x', startMs: START, speed: 20,
    send: async (records) => { received.push(...records); return { status: 200 }; },
  });
  await new Promise((r) => setTimeout(r, 500)); // about 10 s of the recording
  const end = await run.stop();
  assert.equal(end.state, 'stopped');
  assert.ok(end.emitted > 0 && end.emitted < RECORDING.events.length, `emitted ${end.emitted}`);
  assert.equal(received.length, end.emitted);
  assert.equal(end.pending, 0);
});

test('replay: the emitter is what attachJitsi needs; bad recordings are named', () => {
  const api = createIFrameApiEmitter();
  const seen = [];
  const fn = (x) => seen.push(x);
  api.addListener('participantJoined', fn);
  api.emit('participantJoined', { id: 'a' });
  api.removeListener('participantJoined', fn);
  api.emit('participantJoined', { id: 'b' });
  assert.deepEqual(seen, [{ id: 'a' }]);
  assert.throws(() => checkRecording({ clients: { a: '' }, events: [{ atMs: 5, client: 'a', name: 'x' }, { atMs: 1, client: 'a', name: 'y' }] }), /events\.1\.atMs/);
  assert.throws(() => checkRecording({ clients: { a: '' }, events: [{ atMs: 0, client: 'b', name: 'x' }] }), /events\.0\.client/);
});
