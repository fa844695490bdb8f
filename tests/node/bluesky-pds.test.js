// Publishing to a real PDS (docs/bluesky.md): the reference ATProto PDS from npm runs locally
// (tools/pds: @atproto/dev-env TestNetworkNoAppView, PLC in memory, PDS on SQLite). Alice publishes a
// gathering with web/src/bluesky.js; the records the PDS stores are the core's, under the core's keys;
// retries and two publishers at once leave one record; a move updates it with swapRecord; a foreign
// edit is detected and not overwritten; a cancellation is #cancelled; Bob's RSVP from his own repo is
// counted. Every record read back from the PDS is checked against the lexicon by the core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Lexicons } from '@atproto/lexicon';
import { schemas } from '@atproto/api';
import { loadCore } from '@convene/core';
import { startPds } from '../../tools/pds/src/index.js';
import { createBlueskyPublisher, BlueskyError } from '../../web/src/bluesky.js';
import { asStored } from './helpers.js';

const core = await loadCore();
const ORGANIZER = '0x1111111111111111111111111111111111111111';
const EVENT = 'community.lexicon.calendar.event';
const RSVP = 'community.lexicon.calendar.rsvp';
// The reference implementation's validator, over the lexicons kept in the repository (lexicons/README.md):
// every record read back from the PDS is checked by it, independently of the core's own checks.
const lexicon = (name) => JSON.parse(readFileSync(new URL(`../../lexicons/community/lexicon/calendar/${name}.json`, import.meta.url), 'utf8'));
const lexicons = new Lexicons([...schemas.filter((s) => s.id === 'com.atproto.repo.strongRef'), lexicon('event'), lexicon('rsvp')]);
let pds;
let alice;
let bob;
let carol;

before(async () => {
  pds = await startPds({ accounts: ['alice', 'bob', 'carol'] });
  [alice, bob, carol] = pds.accounts;
});
after(async () => pds && (await pds.close()));

function gathering(key, input) {
  const draft = core.entities.build('virtual_gathering', { organizerWallet: ORGANIZER, community: 'rust', title: 'Rust meetup',
    description: 'Bring questions', duration: 90, ...input }, { now: '2026-03-01T12:00:00Z', spaceId: 's' });
  return asStored(draft, key, ORGANIZER);
}

async function recordsOf(agent, did, collection) {
  const out = [];
  let cursor;
  do {
    const res = await agent.com.atproto.repo.listRecords({ repo: did, collection, limit: 100, cursor });
    out.push(...res.data.records);
    cursor = res.data.cursor;
  } while (cursor);
  for (const r of out) lexicons.assertValidRecord(collection, r.value);
  return out;
}

test('publish, retry, two publishers at once, move, foreign edit, cancel: one record, the core\'s, never overwritten blindly', { timeout: 60_000 }, async () => {
  const agentA = await pds.agent(alice);
  const agentA2 = await pds.agent(alice); // a second device of the same account
  const publisher = createBlueskyPublisher({ core, agent: agentA });
  const second = createBlueskyPublisher({ core, agent: agentA2 });
  const key = '0x' + '1'.repeat(64);
  const g = gathering(key, { sessionDate: '2026-03-05T18:00:00Z' });
  const pageUrl = 'https://convene.example/#/gatherings/1';

  // Two publishers at once, neither with a stored CID: one record, both end up with its at-uri and CID.
  const [p1, p2] = await Promise.all([
    publisher.publishGathering({ gathering: g, pageUrl, createdAt: '2026-03-02T09:00:00Z' }),
    second.publishGathering({ gathering: g, pageUrl, createdAt: '2026-03-02T09:00:00.500Z' }),
  ]);
  assert.equal(p1.uri, p2.uri);
  assert.equal(p1.cid, p2.cid);
  const { rkey } = core.bluesky.gatheringEvent({ gathering: g, pageUrl });
  assert.equal(p1.uri, `at://${alice.did}/${EVENT}/${rkey}`);
  // A retry with the stored CID changes nothing.
  const p3 = await publisher.publishGathering({ gathering: g, pageUrl, published: p1 });
  assert.equal(p3.cid, p1.cid);
  assert.equal(p3.unchanged, true);
  let stored = await recordsOf(agentA, alice.did, EVENT);
  assert.equal(stored.length, 1, 'one record');
  assert.equal(core.bluesky.parseEventRecord(stored[0].value).startsAt, '2026-03-05T18:00:00.000Z');

  // Moved: the same record updated (its stored key, swapRecord = the stored CID), createdAt kept.
  const moved = gathering(key, { sessionDate: '2026-03-06T18:00:00Z' });
  const p4 = await publisher.publishGathering({ gathering: moved, pageUrl, published: p1 });
  assert.equal(p4.uri, p1.uri);
  assert.notEqual(p4.cid, p1.cid);
  stored = await recordsOf(agentA, alice.did, EVENT);
  assert.equal(stored.length, 1);
  const read = core.bluesky.parseEventRecord(stored[0].value);
  assert.equal(read.startsAt, '2026-03-06T18:00:00.000Z');
  assert.equal(read.createdAt, p1.createdAt);

  // Someone edits the record in Alice's repo with another client: the CID changes. Publishing with the
  // CID Convene stored is refused by the PDS (InvalidSwap) and reported, not overwritten.
  const foreign = { ...stored[0].value, name: 'Edited elsewhere' };
  await agentA2.com.atproto.repo.putRecord({ repo: alice.did, collection: EVENT, rkey, record: foreign });
  await assert.rejects(
    publisher.publishGathering({ gathering: moved, pageUrl, published: p4 }),
    (e) => e instanceof BlueskyError && e.code === 'RECORD_CHANGED' && e.uri === p1.uri && e.cid !== p4.cid,
  );
  stored = await recordsOf(agentA, alice.did, EVENT);
  assert.equal(core.bluesky.parseEventRecord(stored[0].value).name, 'Edited elsewhere', 'the foreign edit stands');

  // Cancelled, published over the record as it now is (the organizer chose to, with its CID): #cancelled, no join link.
  const cancelled = gathering(key, { sessionDate: '2026-03-06T18:00:00Z', status: 'cancelled' });
  const p5 = await publisher.publishGathering({ gathering: cancelled, pageUrl, published: { ...p4, cid: stored[0].cid } });
  stored = await recordsOf(agentA, alice.did, EVENT);
  assert.equal(stored.length, 1);
  assert.equal(stored[0].cid, p5.cid);
  const c = core.bluesky.parseEventRecord(stored[0].value);
  assert.equal(c.status, 'cancelled');
  assert.deepEqual(c.locations, []);
});

test('RSVPs made on Bluesky, in the attendees\' own repos, are counted: one per DID, the newest wins', { timeout: 60_000 }, async () => {
  const publisher = createBlueskyPublisher({ core, agent: await pds.agent(alice) });
  const g = gathering('0x' + '2'.repeat(64), { sessionDate: '2026-04-05T18:00:00Z' });
  const published = await publisher.publishGathering({ gathering: g, pageUrl: 'https://convene.example/#/gatherings/2' });
  const subject = { uri: published.uri, cid: published.cid };
  const rsvp = async (account, status) => {
    const agent = await pds.agent(account);
    await agent.com.atproto.repo.createRecord({ repo: account.did, collection: RSVP,
      record: { $type: RSVP, subject, status: `${RSVP}#${status}`, createdAt: new Date().toISOString() } });
  };
  await rsvp(bob, 'interested');
  await rsvp(bob, 'going'); // Bob changes his mind: the newer record wins
  await rsvp(carol, 'notgoing');
  const counts = await publisher.rsvpCounts({ subject: published.uri, dids: [alice.did, bob.did, carol.did] });
  const { going, interested, notGoing, ignored, people } = counts;
  assert.deepEqual({ going, interested, notGoing, ignored }, { going: 1, interested: 0, notGoing: 1, ignored: 0 });
  assert.deepEqual(people.map((p) => `${p.did} ${p.status}`).sort(), [`${bob.did} going`, `${carol.did} notgoing`].sort());
  for (const a of [bob, carol]) assert.ok((await recordsOf(await pds.agent(a), a.did, RSVP)).length > 0);
  assert.equal((await recordsOf(await pds.agent(alice), alice.did, EVENT)).length, 2);
});

test('a PDS that cannot be reached is a BlueskyError, not a hang', { timeout: 30_000 }, async () => {
  const { AtpAgent } = await import('@atproto/api');
  const publisher = createBlueskyPublisher({ core, agent: new AtpAgent({ service: 'http://127.0.0.1:9' }), did: alice.did });
  await assert.rejects(
    publisher.publishGathering({ gathering: gathering('0x' + '3'.repeat(64), { sessionDate: '2026-04-05T18:00:00Z' }) }),
    (e) => e instanceof BlueskyError && e.code === 'PDS_UNREACHABLE',
  );
});

test('import: a weekly meetup published one event at a time on Bluesky, with a gap and noise, is proposed as a series', { timeout: 60_000 }, async () => {
  // Carol's calendar, written as another calendar app would: Thursdays 19:00 Berlin time from 1 October to
  // 19 November, across the end of DST, 22 October skipped; a repost and an unrelated event.
  const agent = await pds.agent(carol);
  // 19:00 in Berlin is 17:00Z until DST ends on 25 October, 18:00Z after.
  const starts = ['2026-10-01T17', '2026-10-08T17', '2026-10-15T17', '2026-10-29T18', '2026-11-05T18', '2026-11-12T18', '2026-11-19T18'];
  const write = (name, startsAt) => agent.com.atproto.repo.createRecord({ repo: carol.did, collection: EVENT,
    record: { $type: EVENT, name, createdAt: new Date().toISOString(), startsAt: `${startsAt}:00:00.000Z`, mode: `${EVENT}#virtual`, status: `${EVENT}#scheduled` } });
  for (const [i, t] of starts.entries()) await write(`Jitsi hack night #${i + 1}`, t);
  await write('Jitsi Hack Night', '2026-11-05T18'); // a repost
  await write('Board game evening', '2026-10-08T17');
  // Two of Convene's own publications in her repo: one it knows it published (at-uri and CID stored), one
  // published by another device (only its link to the app's page tells).
  const publisher = createBlueskyPublisher({ core, agent });
  const mine = await publisher.publishGathering({ gathering: gathering('0x' + '4'.repeat(64), { sessionDate: '2026-10-22T17:00:00Z', title: 'Jitsi hack night' }), pageUrl: 'https://convene.example/#/gatherings/4' });
  const other = await publisher.publishGathering({ gathering: gathering('0x' + '5'.repeat(64), { sessionDate: '2026-11-26T18:00:00Z', title: 'Jitsi hack night' }), pageUrl: 'https://convene.example/#/gatherings/5' });
  const records = await recordsOf(agent, carol.did, EVENT);
  const events = records.map((r) => ({ uri: r.uri, did: carol.did, cid: r.cid, record: r.value }));
  events.push({ uri: 'at://broken', did: carol.did, record: { name: 'no createdAt' } });
  const known = { published: [{ uri: mine.uri, cid: mine.cid }], appUrl: 'https://convene.example/' };
  const kinds = core.bluesky.classifyEvents({ events, ...known });
  assert.equal(kinds.ignored, 1);
  const kindOf = new Map(kinds.events.map((e) => [e.uri, e.provenance]));
  assert.equal(kindOf.get(mine.uri), 'echo');
  assert.equal(kindOf.get(other.uri), 'linked');
  assert.equal([...kindOf.values()].filter((k) => k === 'foreign').length, records.length - 2);
  // Without telling the echoes apart, Convene's own 22 October would fill the gap and 26 November extend the rule.
  const { proposals, echoes, ignored } = core.bluesky.proposeSeries({ events, ...known, tzid: 'Europe/Berlin' });
  assert.equal(echoes, 2);
  assert.equal(ignored, 1);
  assert.equal(proposals.length, 1);
  const [p] = proposals;
  assert.equal(p.organizer, carol.did);
  assert.match(p.rrule, /FREQ=WEEKLY/);
  assert.match(p.ical, /DTSTART;TZID=Europe\/Berlin:20261001T190000/);
  assert.match(p.ical, /EXDATE/);
  assert.equal(p.gaps, 1);
  assert.equal(p.uris.length, 7);
  assert.equal(p.leftOut.length, 1);
  // The rule reproduces the events' starts exactly (the EXDATE out).
  const covered = records.filter((r) => p.uris.includes(r.uri)).map((r) => Date.parse(r.value.startsAt)).sort((a, b) => a - b);
  assert.deepEqual(Array.from(core.recurrence.expandEpochMs(p.ical, { limit: 20 })), covered);
});

test('a series on Bluesky, one occurrence at a time: created, then updated when moved, the next once it ends, two devices at once, a foreign edit reported', { timeout: 120_000 }, async () => {
  const { default: os } = await import('node:os');
  const { default: fs } = await import('node:fs');
  const { default: path } = await import('node:path');
  const { startArkivNode } = await import('../../tools/arkiv-node/src/index.js');
  const { createArkiv } = await import('../../web/src/arkiv.js');
  const { privateKeyToAccount } = await import('@arkiv-network/sdk/accounts');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-bluesky-'));
  const node = await startArkivNode({ port: 0, statePath: path.join(dir, 'state.json'), blockTimeMs: 500 });
  try {
    const account = privateKeyToAccount('0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6');
    const organizer = { address: account.address.toLowerCase(), account };
    const arkiv = createArkiv(node.url);
    const spaceId = 'bsky';
    const DAY = 86400_000;
    const t0 = Math.floor(Date.now() / DAY) * DAY + 2 * DAY + 18 * 3600_000; // the day after tomorrow, 18:00 UTC
    const dtstart = new Date(t0).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const now = Date.now();
    const seriesDraft = core.entities.build('event_series', { organizerWallet: organizer.address, community: 'Bsky', title: 'Weekly call', duration: 60,
      recurrence: `DTSTART:${dtstart}\nRRULE:FREQ=WEEKLY;COUNT=6` }, { now, spaceId });
    const { entityKeys: [seriesKey] } = await arkiv.write(organizer, [seriesDraft]);
    const agentA = await pds.agent(alice);
    const devices = [createBlueskyPublisher({ core, agent: agentA }), createBlueskyPublisher({ core, agent: await pds.agent(alice) })];
    const pageUrl = `https://convene.example/#/series/${seriesKey}`;
    const save = (tx) => arkiv.writeTransactions(organizer, [tx]);
    const publish = (i, at) => devices[i].publishSeries({ arkiv, spaceId, seriesKey, save, now: at, pageUrl });
    const recordAt = async (rid) => (await recordsOf(agentA, alice.did, EVENT)).find((r) => r.uri.endsWith(`/${core.bluesky.occurrenceRkey({ seriesKey, recurrenceId: rid })}`));

    const first = await publish(0, now);
    assert.equal(first.created.length, 1);
    assert.deepEqual(first.updated, []);
    const rid0 = new Date(t0).toISOString();
    assert.equal(core.bluesky.parseEventRecord((await recordAt(rid0)).value).startsAt, rid0);
    assert.equal((await arkiv.byType('bluesky_publication', spaceId)).length, 1);
    assert.deepEqual(await publish(1, now), { created: [], updated: [], problems: [], orphaned: [] }, 'the other device continues from the publication on Arkiv');

    // The organizer moves the first date an hour later: its record is updated, not duplicated.
    const series = await arkiv.get(seriesKey);
    await arkiv.write(organizer, [core.entities.build('event_series_exception', { series, recurrenceId: rid0, kind: 'modified',
      changes: { sessionDate: new Date(t0 + 3600_000).toISOString() } }, { now, spaceId })]);
    const moved = await publish(0, now);
    assert.equal(moved.updated.length, 1);
    const read = core.bluesky.parseEventRecord((await recordAt(rid0)).value);
    assert.equal(read.status, 'rescheduled');
    assert.equal(Date.parse(read.startsAt), t0 + 3600_000);
    assert.equal((await arkiv.byType('bluesky_publication', spaceId)).length, 1, 'the publication entity is updated in place');

    // After the first date has ended, both devices at once: one record for the next date.
    const later = t0 + 3 * 3600_000;
    const both = await Promise.all([publish(0, later), publish(1, later)]);
    assert.ok(both.flatMap((r) => r.created).length >= 1);
    // The same note written by both at once: one of them may be refused by the node; it is reported, and the
    // next run has nothing left to do.
    assert.deepEqual([...new Set(both.flatMap((r) => r.problems).map((p) => p.code))].filter((c) => c !== 'PUBLICATION_NOT_RECORDED'), []);
    assert.deepEqual(await publish(1, later), { created: [], updated: [], problems: [], orphaned: [] });
    const rid1 = new Date(t0 + 7 * DAY).toISOString();
    const records = await recordsOf(agentA, alice.did, EVENT);
    assert.equal(records.filter((r) => r.uri.endsWith(`/${core.bluesky.occurrenceRkey({ seriesKey, recurrenceId: rid1 })}`)).length, 1);
    assert.equal(records.filter((r) => r.uri.includes(core.bluesky.occurrenceRkey({ seriesKey, recurrenceId: rid0 }))).length, 1, 'the ended one stays');

    // Someone edits the next date's record with another client, then the organizer cancels that date:
    // Convene reports the record as changed and does not overwrite it.
    const rec1 = await recordAt(rid1);
    const rkey1 = rec1.uri.slice(rec1.uri.lastIndexOf('/') + 1);
    await agentA.com.atproto.repo.putRecord({ repo: alice.did, collection: EVENT, rkey: rkey1, record: { ...rec1.value, name: 'Edited elsewhere' } });
    await arkiv.write(organizer, [core.entities.build('event_series_exception', { series, recurrenceId: rid1, kind: 'cancelled' }, { now, spaceId })]);
    const after = await publish(0, later);
    assert.equal(after.problems.length, 1);
    assert.equal(after.problems[0].code, 'RECORD_CHANGED');
    assert.equal(after.problems[0].recurrenceId, rid1);
    assert.equal(core.bluesky.parseEventRecord((await recordAt(rid1)).value).name, 'Edited elsewhere');
    assert.equal(after.created.length, 1, 'the date after the cancelled one is published');
  } finally {
    await node.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
