// The meeting-events collector (tools/collector, docs/collector.md): the 200/207/413/401 contract, signatures and the
// allow-list, replays, idempotency, the read queries, and derived tables equal to the fold of the log whatever the
// order and repetition of deliveries. Every suite runs on PGlite and on a PostgreSQL 15 server the test starts
// (skipped, saying so, where postgresql-15 is not installed).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { batchMessage, httpSink, signBatch } from '@convene/core';
import { parseAllowList } from '../../tools/collector/src/auth.js';
import { startCollector } from '../../tools/collector/src/server.js';
import { createFoldState, ingest } from '../../tools/collector/src/store.js';
import { backends, derivedAndFold, loadCore, meetingLog, post, shuffle, signers } from './collector-helpers.js';
import { prng } from './helpers.js';
import { postgresAvailable } from './collector-postgres.js';

const core = await loadCore();
const [alice, bob, carol] = await signers(core);
const list = await backends();
const body = (events) => JSON.stringify({ events });
const get = async (url) => {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
};

test('the PostgreSQL server backend is available (postgresql-15, scripts/bootstrap.sh)', { skip: postgresAvailable() ? false : 'postgresql-15 not installed' }, () => {
  assert.ok(list.some((b) => b.name === 'postgres'));
});

after(() => {
  for (const b of list) b.stop?.();
});

test('signBatch refuses a signer that answers with a Promise (the unload path cannot wait)', () => {
  const asyncSigner = { address: alice.address, signDigest: async (d) => alice.signDigest(d) };
  assert.throws(() => signBatch(asyncSigner, '{"events":[]}'), TypeError);
});

test('core.wallet.recoverSigner (how the collector verifies a batch) agrees with viem; garbage is a typed error', async () => {
  const { hashMessage, recoverMessageAddress } = await import('viem');
  for (const who of [alice, bob, carol]) {
    for (let i = 0; i < 5; i++) {
      const text = body([{ n: i, who: who.address }]);
      const { signature, signedAt } = signBatch(who, text);
      const message = batchMessage(text, signedAt);
      const got = core.wallet.recoverSigner(hashMessage(message), signature);
      assert.equal(got.address, who.address);
      assert.equal(got.publicKey, who.publicKey);
      assert.equal(got.address, await recoverMessageAddress({ message, signature }));
      // v as a yParity (0/1) recovers the same key.
      const v = parseInt(signature.slice(130), 16) - 27;
      assert.equal(core.wallet.recoverSigner(hashMessage(message), signature.slice(0, 130) + `0${v}`).address, who.address);
      // Another message: some other address (only the comparison refuses it).
      assert.notEqual(core.wallet.recoverSigner(hashMessage(`${message}.`), signature).address, who.address);
    }
  }
  const digest = `0x${'ab'.repeat(32)}`;
  assert.throws(() => core.wallet.recoverSigner(digest, '0x1234'), (e) => e.code === 'INVALID_INPUT' && e.field === 'signature');
  assert.throws(() => core.wallet.recoverSigner(digest, `0x${'00'.repeat(64)}1b`), (e) => e.code === 'INVALID_INPUT' && e.field === 'signature');
  assert.throws(() => core.wallet.recoverSigner(digest, `0x${'ff'.repeat(64)}1b`), (e) => e.code === 'INVALID_INPUT' && e.field === 'signature');
  assert.throws(() => core.wallet.recoverSigner(digest, `0x${'11'.repeat(64)}1d`), (e) => e.code === 'INVALID_INPUT' && e.field === 'signature');
  assert.throws(() => core.wallet.recoverSigner('0x12', `0x${'11'.repeat(65)}`), (e) => e.code === 'INVALID_INPUT' && e.field === 'digest');
  assert.throws(() => core.wallet.recoverSigner(digest, 5), (e) => e.code === 'INVALID_TYPE' && e.field === 'signature');
});

test('core.meetings.summarizeJson (how the collector folds its log) equals summarize of the same records', () => {
  const records = [...meetingLog(core, { meetingId: 'sj', participants: 3, steps: 20, random: prng(21) }), { not: 'a record' }, 7];
  assert.deepEqual(core.meetings.summarizeJson(JSON.stringify(records)), core.meetings.summarize(records));
  assert.throws(() => core.meetings.summarizeJson('['), (e) => e.code === 'INVALID_INPUT' && e.field === 'records');
  assert.throws(() => core.meetings.summarizeJson('{}'), (e) => e.code === 'INVALID_TYPE' && e.field === 'records');
  assert.throws(() => core.meetings.summarizeJson([]), (e) => e.code === 'INVALID_TYPE' && e.field === 'records');
});

for (const backend of list) {
  describe(`collector on ${backend.name}`, () => {
    let db;
    let c;
    const opened = [];
    const open = async () => {
      const d = await backend.open();
      opened.push(d);
      return d;
    };
    before(async () => {
      db = await open();
      c = await startCollector({ db, core, maxBodyBytes: 64 * 1024, maxRecordBytes: 4096 });
    });
    after(async () => {
      await c?.close();
      for (const d of opened) await d.close();
    });
    const count = async (sql = 'SELECT count(*)::int AS n FROM meeting_events', params) => (await db.query(sql, params)).rows[0].n;

    test('200: a signed batch is stored with its signer; the meeting is the fold of its records', async () => {
      const records = meetingLog(core, { meetingId: 'm200', participants: 3, steps: 10, random: prng(1) });
      const r = await post(c.url, body(records), { signer: alice });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body, { stored: records.length });
      assert.equal(await count('SELECT count(*)::int AS n FROM meeting_events WHERE meeting_id = $1 AND signer = $2', ['m200', alice.address]), records.length);
      const m = await get(`${c.url}/api/meetings/m200`);
      assert.equal(m.status, 200);
      const { room, events, ...meeting } = m.body;
      assert.deepEqual(meeting, core.meetings.summarize(records).meetings[0]);
      assert.equal(room, 'room-m200');
      assert.equal(events, records.length);
    });

    test('207: invalid and oversized records get their own 400, the rest is stored', async () => {
      const good = meetingLog(core, { meetingId: 'm207', participants: 2, steps: 2, random: prng(2) });
      const bad = [
        { ...good[0], eventId: 'bad-type', type: 5 },
        { ...good[0], eventId: 'bad-time', timestamp: 'yesterday' },
        { ...good[0], eventId: 'bad-meeting', meetingId: '' },
        { ...good[0], eventId: 'too-big', payload: { text: 'x'.repeat(5000) } },
        'not a record',
      ];
      const r = await post(c.url, body([...bad, ...good]), { signer: alice });
      assert.equal(r.status, 207);
      const byId = new Map(r.body.results.map((x) => [x.eventId, x.status]));
      for (const id of ['bad-type', 'bad-time', 'bad-meeting', 'too-big']) assert.equal(byId.get(id), 400, id);
      assert.equal(r.body.results.filter((x) => x.eventId === null && x.status === 400).length, 1);
      for (const g of good) assert.equal(byId.get(g.eventId), 200);
      assert.equal(await count('SELECT count(*)::int AS n FROM meeting_events WHERE meeting_id = $1', ['m207']), good.length);
      assert.equal(await count("SELECT count(*)::int AS n FROM meeting_events WHERE event_id IN ('bad-type','bad-time','too-big')"), 0);
    });

    test('413: a body over the limit is refused before it is stored; 400 for a body that is not {events:[...]}', async () => {
      const big = JSON.stringify({ events: [], pad: 'x'.repeat(70 * 1024) });
      assert.equal((await post(c.url, big, { signer: alice })).status, 413);
      assert.equal((await post(c.url, '{"events":', { signer: alice })).status, 400);
      assert.equal((await post(c.url, '{"records":[]}', { signer: alice })).status, 400);
      assert.equal((await post(c.url, body([]), { signer: alice })).status, 200);
    });

    test('401: unsigned, forged, malformed and stale signatures store nothing', async () => {
      const records = meetingLog(core, { meetingId: 'm401', participants: 2, steps: 3, random: prng(3) });
      const text = body(records);
      const raw = (b, headers) => fetch(`${c.url}/api/meetings/events`, { method: 'POST', body: b,
        headers: { 'content-type': 'application/json', ...headers } }).then(async (r) => (await r.text(), r.status));
      assert.equal(await raw(text, {}), 401, 'unsigned');
      const s = signBatch(alice, text);
      const sig = { 'convene-signer': alice.address, 'convene-signature': s.signature, 'convene-signed-at': String(s.signedAt) };
      // The body altered after signing: the signature recovers some other address, not the claimed one.
      assert.equal(await raw(text.replace('Person', 'Persom'), sig), 401, 'altered body');
      assert.equal(await raw(text, { ...sig, 'convene-signer': bob.address }), 401, 'claims another signer');
      assert.equal(await raw(text, { ...sig, 'convene-signed-at': String(s.signedAt + 1) }), 401, 'another signing time');
      assert.equal(await raw(text, { ...sig, 'convene-signature': '0x1234' }), 401, 'malformed signature');
      assert.equal((await post(c.url, text, { signer: alice, signedAt: Date.now() - 11 * 60 * 1000 })).status, 401, 'stale');
      assert.equal((await post(c.url, text, { signer: alice, signedAt: Date.now() + 11 * 60 * 1000 })).status, 401, 'from the future');
      assert.equal(await count('SELECT count(*)::int AS n FROM meeting_events WHERE meeting_id = $1', ['m401']), 0);
      assert.equal(await raw(text, sig), 200, 'the genuine one');
    });

    test('allow-list: a valid signature of a wallet not on the list is refused with 403', async () => {
      const d = await open();
      const only = await startCollector({ db: d, core, allow: parseAllowList(`${alice.address.toLowerCase()}, ${carol.address}`) });
      try {
        const records = meetingLog(core, { meetingId: 'mallow', participants: 2, steps: 2, random: prng(4) });
        assert.equal((await post(only.url, body(records), { signer: bob })).status, 403);
        assert.equal((await d.query('SELECT count(*)::int AS n FROM meeting_events')).rows[0].n, 0);
        assert.equal((await post(only.url, body(records), { signer: carol })).status, 200);
        assert.equal((await d.query('SELECT count(*)::int AS n FROM meeting_events WHERE signer = $1', [carol.address])).rows[0].n, records.length);
      } finally {
        await only.close();
      }
    });

    test('replay: the same signed batch again stores nothing new; re-signed by someone else it is a 409 per event', async () => {
      const records = meetingLog(core, { meetingId: 'mreplay', participants: 3, steps: 8, random: prng(5) });
      const text = body(records);
      const s = signBatch(alice, text);
      const headers = { 'content-type': 'application/json', 'convene-signer': alice.address, 'convene-signature': s.signature, 'convene-signed-at': String(s.signedAt) };
      const send = () => fetch(`${c.url}/api/meetings/events`, { method: 'POST', body: text, headers }).then(async (r) => ({ status: r.status, body: await r.json() }));
      assert.equal((await send()).status, 200);
      const before = await derivedAndFold(db, core);
      assert.deepEqual(await send(), { status: 200, body: { stored: records.length } }, 'an identical replay: already stored');
      const theft = await post(c.url, text, { signer: bob });
      assert.equal(theft.status, 207);
      assert.ok(theft.body.results.every((r) => r.status === 409));
      assert.equal(await count('SELECT count(*)::int AS n FROM meeting_events WHERE signer = $1', [bob.address]), 0);
      assert.deepEqual(await derivedAndFold(db, core), before);
    });

    test('idempotency: the same events in other batches, repeated, change nothing', async () => {
      const records = meetingLog(core, { meetingId: 'midem', participants: 3, steps: 20, random: prng(6) });
      assert.equal((await post(c.url, body(records), { signer: alice })).status, 200);
      const before = await derivedAndFold(db, core);
      const random = prng(7);
      for (let i = 0; i < 3; i++) {
        const again = shuffle(records, random);
        for (let k = 0; k < again.length; k += 7) assert.equal((await post(c.url, body(again.slice(k, k + 7)), { signer: alice })).status, 200);
      }
      assert.deepEqual(await derivedAndFold(db, core), before);
      assert.equal(before.stored.midem.participants.length, 3);
    });

    test('derived tables equal the fold of the log after every batch, whatever the order and repetition', async () => {
      const random = prng(8);
      const records = [];
      for (let m = 0; m < 4; m++) records.push(...meetingLog(core, { meetingId: `order-${m}`, participants: 2 + m, steps: 25, random }));
      const want = core.meetings.summarize(records).meetings;
      const finals = [];
      for (let run = 0; run < 2; run++) {
        const d = await open();
        const cc = await startCollector({ db: d, core });
        try {
          // Deliveries: shuffled, a fifth of them twice, in batches of 1-40 records.
          const deliveries = shuffle([...records, ...records.filter(() => random() < 0.2)], random);
          let batches = 0;
          for (let k = 0; k < deliveries.length;) {
            const n = 1 + Math.floor(random() * 40);
            assert.equal((await post(cc.url, body(deliveries.slice(k, k + n)), { signer: run ? bob : alice })).status, 200);
            k += n;
            if (++batches % 5 === 0) {
              const { stored, folded } = await derivedAndFold(d, core);
              assert.deepEqual(stored, folded, `after batch ${batches}`);
            }
          }
          const { stored, folded, events } = await derivedAndFold(d, core);
          assert.equal(events, records.length);
          assert.deepEqual(stored, folded);
          finals.push(stored);
        } finally {
          await cc.close();
        }
      }
      assert.deepEqual(finals[0], finals[1]);
      assert.deepEqual(Object.values(finals[0]).sort((a, b) => (a.meetingId < b.meetingId ? -1 : 1)), want);
    });

    test('two collectors on one database, and a restart: each rebuilds from the log what the other wrote', async () => {
      const d = await open();
      const one = await startCollector({ db: d, core });
      let two = await startCollector({ db: d, core });
      try {
        const random = prng(10);
        const records = [];
        for (let m = 0; m < 3; m++) records.push(...meetingLog(core, { meetingId: `two-${m}`, participants: 3, steps: 30, random }));
        const deliveries = shuffle([...records, ...records.filter(() => random() < 0.2)], random);
        let batches = 0;
        for (let k = 0; k < deliveries.length;) {
          const n = 1 + Math.floor(random() * 30);
          const batch = deliveries.slice(k, k + n);
          k += n;
          // Alternating collectors, sometimes both at once with overlapping records.
          const sends = [post((batches % 2 ? one : two).url, body(batch), { signer: alice })];
          if (random() < 0.3) sends.push(post((batches % 2 ? two : one).url, body(shuffle(batch, random)), { signer: alice }));
          for (const r of await Promise.all(sends)) assert.equal(r.status, 200, JSON.stringify(r.body));
          if (++batches === 10) {
            // A restart: a collector with an empty fold state.
            await two.close();
            two = await startCollector({ db: d, core });
          }
          const { stored, folded } = await derivedAndFold(d, core);
          assert.deepEqual(stored, folded, `after batch ${batches}`);
        }
        const { stored, folded, events } = await derivedAndFold(d, core);
        assert.equal(events, records.length);
        assert.deepEqual(stored, folded);
        const rows = await d.query('SELECT meeting_id, events, room FROM meetings ORDER BY meeting_id');
        for (const r of rows.rows) {
          assert.equal(r.events, records.filter((x) => x.meetingId === r.meeting_id).length);
          assert.equal(r.room, `room-${r.meeting_id}`);
        }
        assert.ok(one.stats.fold.rebuilds + two.stats.fold.rebuilds > 0, 'some batch found its meeting written by the other');
      } finally {
        await one.close();
        await two.close();
      }
    });

    test('group commit: a write concurrency that would store nothing is refused when the collector starts', () => {
      for (const bad of [0, -1, 1.5, NaN]) assert.throws(() => createFoldState(core, { writeConcurrency: bad }), RangeError);
    });

    for (const behind of [false, true]) {
      test(`group commit${behind ? ', the fold state behind the log' : ''}: batches that arrive while one is stored go together; each row keeps its batch's signer, an eventId in two batches of a group is stored once`, async () => {
        const d = await open();
        const state = createFoldState(core, { writeConcurrency: 1 });
        try {
          const random = prng(behind ? 13 : 12);
          const a = meetingLog(core, { meetingId: 'grp-0', participants: 3, steps: 10, random });
          const b = meetingLog(core, { meetingId: 'grp-1', participants: 3, steps: 10, random });
          const opts = { maxRecordBytes: 4096 };
          const early = b[b.length - 1];
          if (behind) {
            // Another collector (its own fold state) stored one of grp-1's records: this state's group is refused as
            // stale and each of its batches runs as a transaction that rebuilds grp-1 from the log.
            const other = createFoldState(core);
            assert.equal((await ingest(d, core, [early], bob.address, other, opts)).results[0].status, 200);
            other.dispose();
          }
          // Called together: the first batch is a group of its own, the three others wait and form the second.
          const [ra, rb, rc, rd, re, rf] = await Promise.all([
            ingest(d, core, a, alice.address, state, opts),
            ingest(d, core, b, bob.address, state, opts),
            // b[0]: bob's, earlier in the same group -> 409; a[1]: alice's, stored by the first group -> 409.
            ingest(d, core, [b[0], a[1]], carol.address, state, opts),
            // b[1] again from bob, same text -> 200; a record the core refuses -> 400.
            ingest(d, core, [b[1], { eventId: 'x', meetingId: 'grp-1' }], bob.address, state, opts),
            // a[1] again from alice, who stored it: 200, though carol's copy came earlier in the group.
            ingest(d, core, [a[1]], alice.address, state, opts),
            // U+0000, which PostgreSQL text cannot hold: refused alone (400), not failing the group's statement.
            ingest(d, core, [{ ...b[2], eventId: 'nul', participantId: 'p\u0000' }], bob.address, state, opts),
          ]);
          assert.equal(state.stats.groups, 2);
          assert.equal(state.stats.fallbacks, behind ? 1 : 0);
          const statuses = (r) => Object.fromEntries(r.results.map((x) => [x.eventId, x.status]));
          assert.deepEqual(ra.refused, []);
          assert.ok(ra.results.length === a.length && ra.results.every((x) => x.status === 200));
          assert.ok(rb.results.length === b.length && rb.results.every((x) => x.status === 200), JSON.stringify(rb));
          assert.deepEqual(statuses(rc), { [b[0].eventId]: 409, [a[1].eventId]: 409 });
          assert.deepEqual(statuses(rd), { [b[1].eventId]: 200 });
          assert.deepEqual(rd.refused.map((x) => [x.eventId, x.status]), [['x', 400]]);
          assert.deepEqual(statuses(re), { [a[1].eventId]: 200 });
          assert.deepEqual(rf.results, []);
          assert.deepEqual(rf.refused.map((x) => [x.eventId, x.status]), [['nul', 400]]);
          const bySigner = await d.query('SELECT signer, count(*)::int AS n FROM meeting_events GROUP BY signer ORDER BY signer');
          assert.deepEqual(Object.fromEntries(bySigner.rows.map((r) => [r.signer, r.n])),
            Object.fromEntries([[alice.address, a.length], [bob.address, b.length]]));
          const { stored, folded, events } = await derivedAndFold(d, core);
          assert.equal(events, a.length + b.length);
          assert.deepEqual(stored, folded);
        } finally {
          state.dispose();
        }
      });
    }

    test('group commit: a batch the database refuses fails alone — the group is retried batch by batch; a literal backslash-u0000 is text, not U+0000', async () => {
      const real = await open();
      // The real database, refusing every statement that carries the eventId `poison` (a fault injected here: no
      // record the collector accepts makes PostgreSQL fail by itself any more).
      // A data exception (SQLSTATE 22021, as PostgreSQL answers an invalid byte sequence), or, for `down`, a
      // connection failure (08006), which every batch would get: not retried batch by batch.
      const refuses = (params) => JSON.stringify(params ?? []).includes('poison');
      const injected = (params) => {
        const down = JSON.stringify(params ?? []).includes('"down"');
        return Promise.reject(Object.assign(new Error(`injected: ${down ? 'connection lost' : 'refused'}`), { code: down ? '08006' : '22021' }));
      };
      const d = {
        ...real,
        query: (text, params, name) => (refuses(params) ? injected(params) : real.query(text, params, name)),
        transaction: (fn) => real.transaction((q) => fn({
          query: (text, params) => (refuses(params) ? injected(params) : q.query(text, params)),
        })),
      };
      const state = createFoldState(core, { writeConcurrency: 1 });
      try {
        const random = prng(14);
        const a = meetingLog(core, { meetingId: 'iso-0', participants: 2, steps: 6, random });
        const b = meetingLog(core, { meetingId: 'iso-1', participants: 2, steps: 6, random });
        const opts = { maxRecordBytes: 4096 };
        const slash = { ...b[0], eventId: 'slash', payload: { note: 'C:\\u0000x' } };
        const [ra, rb, rp] = await Promise.allSettled([
          ingest(d, core, a, alice.address, state, opts), // a group of its own
          ingest(d, core, [...b, slash], bob.address, state, opts), // these two: one group, whose statement fails
          ingest(d, core, [{ ...a[0], eventId: 'poison' }], carol.address, state, opts),
        ]);
        assert.equal(ra.status, 'fulfilled');
        assert.equal(rb.status, 'fulfilled', String(rb.reason));
        assert.ok(rb.value.results.length === b.length + 1 && rb.value.results.every((x) => x.status === 200), JSON.stringify(rb.value));
        assert.deepEqual(rb.value.refused, []);
        assert.equal(rp.status, 'rejected');
        assert.match(rp.reason.message, /injected/);
        assert.equal(state.stats.groupFailures, 1);
        // A connection failure fails the whole group at once (no retry batch by batch).
        const c = meetingLog(core, { meetingId: 'iso-2', participants: 2, steps: 3, random });
        const [rq, rc, rdown] = await Promise.allSettled([
          ingest(d, core, [c[0]], alice.address, state, opts),
          ingest(d, core, c.slice(1), bob.address, state, opts),
          ingest(d, core, [{ ...c[0], eventId: 'poison', meetingId: 'down' }], carol.address, state, opts),
        ]);
        assert.equal(rq.status, 'fulfilled');
        assert.equal(rc.status, 'rejected');
        assert.equal(rdown.status, 'rejected');
        assert.match(rc.reason.message, /connection lost/);
        assert.equal(state.stats.groupFailures, 1, 'not counted: the group failed as a whole');
        const stored = await real.query("SELECT record FROM meeting_events WHERE event_id = 'slash'");
        assert.equal(JSON.parse(stored.rows[0].record).payload.note, 'C:\\u0000x');
        const { stored: derived, folded, events } = await derivedAndFold(real, core);
        assert.equal(events, a.length + b.length + 1 + 1);
        assert.deepEqual(derived, folded);
      } finally {
        state.dispose();
      }
    });

    test('a small fold cache: meetings are forgotten and rebuilt, the derived rows stay the fold', async () => {
      const d = await open();
      const small = await startCollector({ db: d, core, foldCacheRecords: 40 });
      try {
        const random = prng(11);
        const records = [];
        for (let m = 0; m < 4; m++) records.push(...meetingLog(core, { meetingId: `lru-${m}`, participants: 3, steps: 25, random }));
        const deliveries = shuffle(records, random);
        for (let k = 0; k < deliveries.length; k += 15) {
          assert.equal((await post(small.url, body(deliveries.slice(k, k + 15)), { signer: alice })).status, 200);
        }
        const { stored, folded } = await derivedAndFold(d, core);
        assert.deepEqual(stored, folded);
        assert.ok(small.stats.fold.evicted > 0 && small.stats.fold.rebuilds > 0);
      } finally {
        await small.close();
      }
    });

    test('queries: meetings by room and time, one meeting, the timeline by type and participant, a participant across meetings, paged', async () => {
      const d = await open();
      const q = await startCollector({ db: d, core });
      try {
        const random = prng(9);
        const all = [];
        for (let m = 0; m < 5; m++) {
          all.push(...meetingLog(core, { meetingId: `q${m}`, room: m < 3 ? 'standup' : 'retro', participants: 3, steps: 12,
            start: Date.UTC(2026, 10, 2 + m, 9), random }));
        }
        // The same person (q-shared) in meetings q1 and q3.
        all.push(core.events.normalize('videoConferenceJoined', { id: 'q-shared', roomName: 'standup', displayName: 'Sam' }, { meetingId: 'q1', participantId: 'q-shared', now: Date.UTC(2026, 10, 3, 9, 0, 30) }));
        all.push(core.events.normalize('videoConferenceJoined', { id: 'q-shared', roomName: 'retro', displayName: 'Sam' }, { meetingId: 'q3', participantId: 'q-shared', now: Date.UTC(2026, 10, 5, 9, 0, 30) }));
        assert.equal((await post(q.url, body(all), { signer: alice })).status, 200);

        const pages = async (path) => {
          const items = [];
          let cursor = null;
          let n = 0;
          do {
            const sep = path.includes('?') ? '&' : '?';
            const r = await get(`${q.url}${path}${sep}limit=2${cursor ? `&cursor=${cursor}` : ''}`);
            assert.equal(r.status, 200, JSON.stringify(r.body));
            assert.ok(r.body.items.length <= 2);
            items.push(...r.body.items);
            cursor = r.body.nextCursor;
            assert.ok(++n < 1000);
          } while (cursor);
          return items;
        };
        assert.deepEqual((await pages('/api/meetings')).map((m) => m.meetingId), ['q0', 'q1', 'q2', 'q3', 'q4']);
        assert.deepEqual((await pages('/api/meetings?room=standup')).map((m) => m.meetingId), ['q0', 'q1', 'q2']);
        assert.deepEqual((await pages('/api/meetings?room=retro')).map((m) => m.meetingId), ['q3', 'q4']);
        const range = await pages(`/api/meetings?from=${new Date(Date.UTC(2026, 10, 3, 12)).toISOString()}&to=${new Date(Date.UTC(2026, 10, 5, 12)).toISOString()}`);
        assert.deepEqual(range.map((m) => m.meetingId), ['q2', 'q3']);

        const one = await get(`${q.url}/api/meetings/q1`);
        const { room, events, ...meeting } = one.body;
        assert.deepEqual(meeting, core.meetings.summarize(all.filter((r) => r.meetingId === 'q1')).meetings[0]);
        assert.equal(room, 'standup');
        assert.equal((await get(`${q.url}/api/meetings/nope`)).status, 404);

        const q2 = all.filter((r) => r.meetingId === 'q2');
        const order = (a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : a.eventId < b.eventId ? -1 : 1);
        const strip = (list) => list.map(({ signer, ...r }) => (assert.equal(signer, alice.address), r));
        assert.deepEqual(strip(await pages('/api/meetings/q2/events')), [...q2].sort(order));
        const types = ['audio.mute.changed', 'dominant.speaker.changed'];
        assert.deepEqual(strip(await pages(`/api/meetings/q2/events?type=${types.join(',')}`)), q2.filter((r) => types.includes(r.type)).sort(order));
        assert.deepEqual(strip(await pages('/api/meetings/q2/events?participant=q2-p1&type=audio.mute.changed')),
          q2.filter((r) => r.participantId === 'q2-p1' && r.type === 'audio.mute.changed').sort(order));

        const history = await pages('/api/participants/q-shared/meetings');
        assert.deepEqual(history.map((h) => [h.meetingId, h.displayName]), [['q1', 'Sam'], ['q3', 'Sam']]);
        assert.equal((await get(`${q.url}/api/meetings?cursor=garbage`)).status, 400);
        assert.equal((await get(`${q.url}/api/meetings?limit=0`)).status, 400);
      } finally {
        await q.close();
      }
    });

    test('httpSink with a signer: the package batcher delivers signed batches, and signed beacons on unload', async () => {
      const d = await open();
      const cc = await startCollector({ db: d, core });
      try {
        const beacons = [];
        const sink = httpSink(`${cc.url}/api/meetings/events`, {
          signer: carol,
          sendBeacon: (url, data) => {
            beacons.push(fetch(url, { method: 'POST', body: data, headers: { 'content-type': 'application/json' } }).then((r) => r.status));
            return true;
          },
        });
        const batcher = core.events.createBatcher({ send: sink, flushAt: 3, lifecycle: null, document: null });
        const ctx = { meetingId: 'msink', participantId: 'me' };
        batcher.push('videoConferenceJoined', { id: 'me', roomName: 'sink', displayName: 'Me' }, ctx);
        for (let i = 0; i < 6; i++) batcher.push('audioMuteStatusChanged', { muted: i % 2 === 0 }, ctx);
        await batcher.flush();
        await batcher.close();
        assert.equal((await d.query('SELECT count(*)::int AS n FROM meeting_events WHERE signer = $1', [carol.address])).rows[0].n, 7);
        // The unload path: the beacon carries the signature in its query string.
        const unload = core.events.createBatcher({ send: sink, flushAt: 100, flushIntervalMs: 60000, lifecycle: null, document: null });
        for (let i = 0; i < 4; i++) unload.push('raiseHandUpdated', { id: 'me', handRaised: i % 2 }, ctx);
        unload.pagehide();
        assert.equal(beacons.length, 1);
        assert.equal(await beacons[0], 200);
        unload.abandon();
        assert.equal((await d.query('SELECT count(*)::int AS n FROM meeting_events WHERE signer = $1', [carol.address])).rows[0].n, 11);
      } finally {
        await cc.close();
      }
    });
  });
}
