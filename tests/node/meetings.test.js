// core.meetings.summarize from Node: records made by the real pipeline (core.events.normalize, as
// each participant's client would), folded into meetings and participants (docs/meetings.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCore, ConveneError } from '@convene/core';
import { prng } from './helpers.js';

const core = await loadCore();
const T0 = Date.UTC(2026, 4, 1, 9, 0, 0);
const iso = (ms) => new Date(T0 + ms).toISOString();

/** One client of a meeting: its local participant is `me` once it has joined (as attachJitsi does). */
function client(meetingId, me) {
  const records = [];
  return {
    records,
    on(ms, name, payload = {}) {
      records.push(core.events.normalize(name, payload, { meetingId, participantId: me, now: T0 + ms }));
      return this;
    },
  };
}

const person = (meeting, id) => meeting.participants.find((p) => p.id === id);

test('meetings.summarize: two clients, one meeting, one participant per person; rejoin; speaking, sharing, muted', () => {
  const ada = client('room-1', 'ada');
  const bob = client('room-1', 'bob');
  ada.on(0, 'videoConferenceJoined', { id: 'ada', displayName: 'Ada', roomName: 'room-1' });
  bob.on(2000, 'videoConferenceJoined', { id: 'bob', displayName: 'Bob', roomName: 'room-1' })
    .on(2000, 'participantJoined', { id: 'ada', displayName: 'Ada' });
  ada.on(2010, 'participantJoined', { id: 'bob', displayName: 'Bob' })
    .on(2500, 'participantRoleChanged', { id: 'ada', role: 'moderator' })
    .on(3000, 'dominantSpeakerChanged', { id: 'ada' });
  bob.on(3005, 'dominantSpeakerChanged', { id: 'ada' })
    .on(4000, 'screenSharingStatusChanged', { on: true, details: { sourceType: 'screen' } })
    .on(9000, 'screenSharingStatusChanged', { on: false })
    .on(10000, 'audioMuteStatusChanged', { muted: true })
    .on(12000, 'audioMuteStatusChanged', { muted: false });
  ada.on(13000, 'dominantSpeakerChanged', { id: 'bob' })
    .on(14000, 'displayNameChange', { id: 'bob', displayname: 'Robert' });
  // Bob reloads: left and back.
  bob.on(20000, 'videoConferenceLeft', { roomName: 'room-1' });
  ada.on(20050, 'participantLeft', { id: 'bob' })
    .on(25000, 'participantJoined', { id: 'bob', displayName: 'Robert' });
  bob.on(25020, 'videoConferenceJoined', { id: 'bob', displayName: 'Robert', roomName: 'room-1' })
    .on(40000, 'videoConferenceLeft', { roomName: 'room-1' });
  ada.on(40010, 'participantLeft', { id: 'bob' })
    .on(41000, 'videoConferenceLeft', { roomName: 'room-1' });

  const { meetings, ignored } = core.meetings.summarize([...ada.records, ...bob.records]);
  assert.deepEqual(ignored, { malformed: 0, conflicting: 0, total: 0 });
  assert.equal(meetings.length, 1);
  const [m] = meetings;
  assert.equal(m.meetingId, 'room-1');
  assert.equal(m.startedAt, iso(0));
  assert.equal(m.endedAt, iso(41000));
  assert.deepEqual(m.participants.map((p) => p.id), ['ada', 'bob']);
  const a = person(m, 'ada');
  const b = person(m, 'bob');
  assert.deepEqual(a.intervals, [{ joinedAt: iso(0), leftAt: iso(41000) }]);
  assert.deepEqual(b.intervals, [{ joinedAt: iso(2000), leftAt: iso(20000) }, { joinedAt: iso(25000), leftAt: iso(40000) }]);
  assert.equal(a.role, 'moderator');
  assert.equal(b.displayName, 'Robert');
  assert.equal(a.presenceSeconds, 41);
  assert.equal(b.presenceSeconds, 33);
  assert.equal(a.speakingSeconds, 10); // 3 s to 13 s
  assert.equal(b.speakingSeconds, 7); // 13 s until he left at 20 s; not after his rejoin (no change said so)
  assert.equal(b.screenShareSeconds, 5);
  assert.equal(b.mutedSeconds, 2);
  assert.equal(a.mutedSeconds, 0);
});

test('meetings.summarize: live meetings have null ends; a vanished client ends at its last record', () => {
  const ada = client('room-2', 'ada');
  const bob = client('room-2', 'bob');
  ada.on(0, 'videoConferenceJoined', { id: 'ada', roomName: 'room-2' });
  bob.on(1000, 'videoConferenceJoined', { id: 'bob', roomName: 'room-2' });
  ada.on(30000, 'audioMuteStatusChanged', { muted: true }); // Ada's last record: her tab crashes here
  let [m] = core.meetings.summarize([...ada.records, ...bob.records]).meetings;
  assert.equal(m.endedAt, null);
  assert.equal(person(m, 'ada').intervals[0].leftAt, null);
  assert.equal(m.asOf, iso(30000));
  assert.equal(person(m, 'bob').presenceSeconds, 29); // counted up to asOf
  bob.on(90000, 'videoConferenceLeft', { roomName: 'room-2' });
  [m] = core.meetings.summarize([...ada.records, ...bob.records]).meetings;
  assert.deepEqual(person(m, 'ada').intervals, [{ joinedAt: iso(0), leftAt: iso(30000) }]);
  assert.equal(person(m, 'ada').lastSeenAt, iso(30000));
  assert.equal(m.endedAt, iso(90000));
});

test('meetings.summarize: bad input is skipped and counted, never thrown; only a non-array throws', () => {
  const ada = client('room-3', 'ada');
  ada.on(0, 'videoConferenceJoined', { id: 'ada', roomName: 'room-3' });
  const circular = { eventId: 'c' };
  circular.self = circular;
  const bad = [null, 7, 'x', [], {}, { ...ada.records[0], timestamp: 'later' }, { ...ada.records[0], payload: [1] },
    { ...ada.records[0], eventId: 10n }, circular, undefined];
  const forged = { ...ada.records[0], timestamp: iso(99000) }; // same eventId, other content
  const { meetings, ignored } = core.meetings.summarize([...bad, forged, ...ada.records, ...ada.records]);
  assert.deepEqual(ignored, { malformed: bad.length, conflicting: 1, total: bad.length + 1 });
  assert.deepEqual(person(meetings[0], 'ada').intervals, [{ joinedAt: iso(0), leftAt: null }]);
  for (const notArray of [undefined, null, {}, 'records', 3, { length: 1, 0: ada.records[0] }]) {
    assert.throws(() => core.meetings.summarize(notArray),
      (e) => e instanceof ConveneError && e.code === 'INVALID_TYPE' && e.field === 'records');
  }
  assert.deepEqual(core.meetings.summarize([]), { meetings: [], ignored: { malformed: 0, conflicting: 0, total: 0 } });
});

/** Random meetings through the real pipeline: each event observed by one to three clients. */
function randomRecords(seed) {
  const rnd = prng(seed);
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const people = ['ada', 'bob', 'carol', 'dan'];
  const names = ['participantJoined', 'participantLeft', 'videoConferenceJoined', 'videoConferenceLeft',
    'dominantSpeakerChanged', 'screenSharingStatusChanged', 'audioMuteStatusChanged', 'participantMuted',
    'participantRoleChanged', 'displayNameChange', 'contentSharingParticipantsChanged', 'tileViewChanged',
    'someFutureEvent'];
  const records = [];
  const meetings = 1 + Math.floor(rnd() * 2);
  for (let mi = 0; mi < meetings; mi++) {
    const meetingId = `room-${mi}`;
    const count = 5 + Math.floor(rnd() * 40);
    for (let i = 0; i < count; i++) {
      const name = pick(names);
      const who = pick(people);
      const ms = Math.floor(rnd() * 40) * 250;
      const payload = {
        id: who, displayName: `n${Math.floor(rnd() * 3)}`, displayname: `d${Math.floor(rnd() * 3)}`,
        on: rnd() < 0.5, muted: rnd() < 0.5, isMuted: rnd() < 0.5, mediaType: rnd() < 0.7 ? 'audio' : 'video',
        role: rnd() < 0.5 ? 'moderator' : 'participant', enabled: true,
        data: { sharingParticipantIds: people.filter(() => rnd() < 0.3) },
      };
      const observers = 1 + Math.floor(rnd() * 3);
      for (let c = 0; c < observers; c++) {
        const local = c === 0 ? who : pick(people);
        records.push(core.events.normalize(name, payload, { meetingId, participantId: local, now: T0 + ms + c * 5 }));
      }
    }
    // Most meetings end: everyone leaves but some, who vanish without a trace.
    if (rnd() < 0.75) {
      for (const who of people) {
        if (rnd() < 0.25) continue;
        records.push(core.events.normalize('participantLeft', { id: who }, { meetingId, participantId: pick(people), now: T0 + 10000 + Math.floor(rnd() * 8) * 250 }));
      }
    }
  }
  return records;
}

function shuffle(list, rnd) {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

test('meetings.summarize: the same summary whatever the order and repetition of the records (200 seeds)', () => {
  let records = 0;
  let participants = 0;
  for (let seed = 1; seed <= 200; seed++) {
    const log = randomRecords(seed);
    records += log.length;
    const expected = core.meetings.summarize(log);
    participants += expected.meetings.reduce((n, m) => n + m.participants.length, 0);
    const rnd = prng(seed * 7919);
    for (let round = 0; round < 3; round++) {
      assert.deepEqual(core.meetings.summarize(shuffle(log, rnd)), expected, `seed ${seed} round ${round}`);
      const repeated = [...log];
      for (const r of log) for (let k = Math.floor(rnd() * 3); k > 0; k--) repeated.push(rnd() < 0.5 ? r : structuredClone(r));
      assert.deepEqual(core.meetings.summarize(shuffle(repeated, rnd)), expected, `seed ${seed} round ${round} (repeated)`);
    }
  }
  assert.ok(records > 5000 && participants > 400, `${records} records, ${participants} participants`);
});

test('meetings.createFolds: after every batch, each meeting equals summarize of all records so far (shuffled, repeated, any batching; 100 seeds)', () => {
  let batches = 0;
  for (let seed = 1; seed <= 100; seed++) {
    const rnd = prng(seed * 104729);
    const log = randomRecords(seed);
    // A few records claim an eventId already used, with other content (another instant, some another meeting).
    for (let i = 0; i < 3; i++) {
      const copy = { ...log[Math.floor(rnd() * log.length)], timestamp: iso(Math.floor(rnd() * 40) * 250) };
      if (rnd() < 0.5) copy.meetingId = 'room-x';
      log.push(copy);
    }
    const deliveries = shuffle([...log, ...log.filter(() => rnd() < 0.3).map((r) => (rnd() < 0.5 ? r : structuredClone(r)))], rnd);
    const folds = core.meetings.createFolds();
    try {
      const current = new Map();
      const soFar = [];
      for (let k = 0; k < deliveries.length;) {
        const batch = deliveries.slice(k, k + 1 + Math.floor(rnd() * 25));
        k += batch.length;
        soFar.push(...batch);
        batches++;
        const change = rnd() < 0.5 ? folds.add(batch) : folds.addJson(JSON.stringify(batch));
        for (const m of change.meetings) current.set(m.meetingId, m);
        for (const id of change.removed) current.delete(id);
        const want = core.meetings.summarize(soFar).meetings;
        assert.deepEqual([...current.values()].sort((a, b) => (a.meetingId < b.meetingId ? -1 : 1)), want, `seed ${seed} after ${k}`);
        assert.equal(want.reduce((n, m) => n + folds.count(m.meetingId), 0), folds.size);
      }
      // A rebuild: forget a meeting, add its records again.
      const [first] = core.meetings.summarize(log).meetings;
      if (first) {
        folds.forget([first.meetingId]);
        assert.equal(folds.count(first.meetingId), 0);
        assert.throws(() => folds.summary(first.meetingId), (e) => e instanceof ConveneError && e.code === 'INVALID_INPUT' && e.field === 'meetingId');
        const change = folds.add(log.filter((r) => r.meetingId === first.meetingId));
        assert.deepEqual(change.meetings, [first]);
        assert.deepEqual(folds.summary(first.meetingId), first);
      }
    } finally {
      folds.dispose();
    }
  }
  assert.ok(batches > 500, `${batches} batches`);
});

test('meetings.createFolds: bad input is counted or a typed error, never an abort; dispose() is final', () => {
  const folds = core.meetings.createFolds();
  const r = core.events.normalize('participantJoined', { id: 'a' }, { meetingId: 'm', participantId: 'a', now: T0 });
  assert.deepEqual(folds.add([r, 5, { eventId: 'x' }]).ignored, { malformed: 2, conflicting: 0, total: 2 });
  assert.throws(() => folds.add({}), (e) => e.code === 'INVALID_TYPE' && e.field === 'records');
  assert.throws(() => folds.addJson('[{'), (e) => e.code === 'INVALID_INPUT' && e.field === 'records');
  assert.throws(() => folds.forget('m'), (e) => e.code === 'INVALID_TYPE' && e.field === 'meetingIds');
  assert.throws(() => folds.forget([1]), (e) => e.code === 'INVALID_TYPE' && e.field === 'meetingIds');
  assert.throws(() => folds.count(5), (e) => e.code === 'INVALID_TYPE');
  assert.equal(folds.count('m'), 1);
  assert.equal(folds.forget(['m', 'nope']), 0);
  folds.dispose();
  folds.dispose();
  assert.throws(() => folds.size, (e) => e.code === 'DISPOSED');
  assert.throws(() => folds.add([r]), (e) => e.code === 'DISPOSED');
  // The module is still usable.
  assert.equal(core.meetings.summarize([r]).meetings.length, 1);
});

test('meetings.checkJson: one entry per record, its instant or the reason summarize would skip it', () => {
  const r = core.events.normalize('participantJoined', { id: 'a' }, { meetingId: 'm', participantId: 'a', now: T0 + 1 });
  const out = core.meetings.checkJson(JSON.stringify([r, { ...r, timestamp: 'yesterday' }, 'x', { ...r, meetingId: '' }]));
  assert.deepEqual(out[0], { at: iso(1) });
  assert.equal(out[1].error.code, 'INVALID_DATE');
  assert.equal(out[1].error.field, 'records[1].timestamp');
  assert.ok(out[2].error && out[3].error);
  assert.equal(core.meetings.summarize([r, { ...r, timestamp: 'yesterday' }, 'x', { ...r, meetingId: '' }]).ignored.malformed, 3);
  assert.throws(() => core.meetings.checkJson('{}'), (e) => e.code === 'INVALID_TYPE' && e.field === 'records');
  assert.throws(() => core.meetings.checkJson(5), (e) => e.code === 'INVALID_TYPE' && e.field === 'records');
});
