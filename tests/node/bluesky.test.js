// core.bluesky through the package (docs/bluesky.md): a gathering's calendar record against the lexicon
// kept in lexicons/, deterministic record keys, reading records and counting RSVPs; bad input is a
// ConveneError naming the field and the module stays usable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadCore, ConveneError } from '@convene/core';
import { asStored } from './helpers.js';

const core = await loadCore();
const lexicon = JSON.parse(readFileSync(new URL('../../lexicons/community/lexicon/calendar/event.json', import.meta.url), 'utf8'));
const ORGANIZER = '0x1111111111111111111111111111111111111111';

function gathering(key, input) {
  const draft = core.entities.build('virtual_gathering', { organizerWallet: ORGANIZER, community: 'rust', title: 'Rust meetup',
    description: 'Bring questions', duration: 90, ...input }, { now: '2026-03-01T12:00:00Z', spaceId: 's' });
  return asStored(draft, key, ORGANIZER);
}

test('a gathering becomes an event record the lexicon accepts, under a key that does not change on retry', () => {
  const g = gathering('0x' + 'a'.repeat(64), { sessionDate: '2026-03-05T18:00:00Z' });
  const a = core.bluesky.gatheringEvent({ gathering: g, pageUrl: 'https://convene.example/#/gatherings/x', createdAt: '2026-03-02T09:00:00Z' });
  assert.equal(a.collection, 'community.lexicon.calendar.event');
  assert.match(a.rkey, /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/);
  const b = core.bluesky.gatheringEvent({ gathering: g, pageUrl: 'https://convene.example/#/gatherings/x', createdAt: '2026-03-02T09:00:00Z' });
  assert.deepEqual(b, a); // a retry or a second device writes the same record under the same key
  const r = a.record;
  assert.equal(r.startsAt, '2026-03-05T18:00:00.000Z');
  assert.equal(r.endsAt, '2026-03-05T19:30:00.000Z');
  assert.equal(r.status, 'community.lexicon.calendar.event#scheduled');
  // Every member is declared by the lexicon, required ones are present, tokens are known values.
  const main = lexicon.defs.main.record;
  for (const k of main.required) assert.ok(k in r, k);
  for (const k of Object.keys(r)) if (k !== '$type') assert.ok(k in main.properties, `undeclared ${k}`);
  assert.ok(lexicon.defs.status.knownValues.includes(r.status));
  assert.ok(lexicon.defs.mode.knownValues.includes(r.mode));
  assert.equal(r.locations[0].$type, 'community.lexicon.calendar.event#uri');
  const back = core.bluesky.parseEventRecord(r);
  assert.equal(back.status, 'scheduled');
  assert.equal(back.mode, 'virtual');
  assert.equal(back.startsAt, r.startsAt);
});

test('a cancelled gathering is #cancelled without a join link; a moved occurrence keeps its occurrence key', () => {
  const c = core.bluesky.gatheringEvent({ gathering: gathering('0x' + 'b'.repeat(64), { sessionDate: '2026-03-05T18:00:00Z', status: 'cancelled' }) });
  assert.equal(c.record.status, 'community.lexicon.calendar.event#cancelled');
  assert.equal(c.record.locations, undefined);
  const seriesKey = '0x' + 'c'.repeat(64);
  const recurrenceId = '2026-03-05T18:00:00Z';
  const moved = core.bluesky.gatheringEvent({ gathering: gathering('0x' + 'd'.repeat(64), { sessionDate: '2026-03-06T18:00:00Z', seriesKey, recurrenceId }) });
  assert.equal(moved.record.status, 'community.lexicon.calendar.event#rescheduled');
  assert.equal(moved.rkey, core.bluesky.occurrenceRkey({ seriesKey, recurrenceId: new Date(recurrenceId) }));
});

test('a forged or malformed gathering, a bad page URL and bad records are ConveneErrors naming the field; the module stays usable', () => {
  const g = gathering('0x' + 'e'.repeat(64), { sessionDate: '2026-03-05T18:00:00Z' });
  const forged = { ...g, owner: '0x9999999999999999999999999999999999999999', creator: '0x9999999999999999999999999999999999999999' };
  assert.throws(() => core.bluesky.gatheringEvent({ gathering: forged }), (e) => e instanceof ConveneError && e.code === 'UNVERIFIED_ENTITY');
  assert.throws(() => core.bluesky.gatheringEvent({ gathering: { key: 'x', payload: '{' } }), (e) => e instanceof ConveneError && e.field.startsWith('gathering'));
  assert.throws(() => core.bluesky.gatheringEvent({ gathering: g, pageUrl: 'no scheme' }),
    (e) => e instanceof ConveneError && e.code === 'INVALID_URL' && e.field === 'event.uris.0.uri');
  assert.throws(() => core.bluesky.gatheringEvent({}), (e) => e instanceof ConveneError && e.field === 'gathering');
  assert.throws(() => core.bluesky.parseEventRecord({ name: 'x', createdAt: '2026-01-01' }),
    (e) => e instanceof ConveneError && e.field === 'record.createdAt');
  assert.throws(() => core.bluesky.parseEventRecord(null), (e) => e instanceof ConveneError);
  assert.equal(core.bluesky.gatheringEvent({ gathering: g }).collection, 'community.lexicon.calendar.event');
});

test('RSVPs: one per DID, the newest wins; other subjects and invalid records are not counted', () => {
  const subject = 'at://did:plc:org/community.lexicon.calendar.event/3lbcdefghijk2';
  const cid = 'bafyreib2rxk3rybk3aobmv5cjuql3bm2twh4jo5uxgf5eze3x2eswdtc7u';
  const rsvp = (status, s = subject) => ({ $type: 'community.lexicon.calendar.rsvp', subject: { uri: s, cid }, status: `community.lexicon.calendar.rsvp#${status}` });
  const counts = core.bluesky.countRsvps({ subject, rsvps: [
    { did: 'did:plc:a', rkey: '3lbcdefghijk2', record: rsvp('going') },
    { did: 'did:plc:a', rkey: '3lbcdefghijk3', record: rsvp('notgoing') }, // newer
    { did: 'did:plc:b', rkey: '3lbcdefghijk2', record: rsvp('interested') },
    { did: 'did:plc:c', rkey: '3lbcdefghijk2', record: rsvp('going', 'at://did:plc:org/community.lexicon.calendar.event/other') },
    { did: 'did:plc:d', rkey: 'not-a-tid', record: rsvp('going') },
    { did: 'did:plc:e', rkey: '3lbcdefghijk2', record: { subject: 'nope' } },
  ] });
  const { people, ignoredLinks, ...numbers } = counts;
  assert.deepEqual(numbers, { going: 0, interested: 1, notGoing: 1, alsoOnArkiv: 0, ignored: 2 });
  assert.deepEqual(people.map((p) => `${p.did} ${p.status} ${p.wallet}`), ['did:plc:a notgoing null', 'did:plc:b interested null']);
});

test('claims: a DID and a wallet merge only when both halves exist; RSVPs of a claimed DID going on Arkiv count once', () => {
  const WALLET = '0x2222222222222222222222222222222222222222';
  const OTHER = '0x3333333333333333333333333333333333333333';
  const link = (key, wallet, did, signer = wallet) =>
    asStored(core.entities.build('bluesky_account_link', { wallet, did }, { now: '2026-03-01T12:00:00Z', spaceId: 's' }), key, signer);
  const repoHalf = (did, wallet) => {
    const r = core.bluesky.walletLinkRecord({ wallet, createdAt: '2026-03-01T12:00:00Z' });
    assert.equal(r.collection, 'app.convene.walletLink');
    assert.equal(r.rkey, wallet.toLowerCase());
    return { did, rkey: r.rkey, record: r.record };
  };
  const links = [
    link('0x' + 'a1'.repeat(32), WALLET, 'did:plc:alice'),
    link('0x' + 'a2'.repeat(32), OTHER, 'did:plc:bob'), // the Arkiv half only: Bob never named OTHER in his repo
    link('0x' + 'a3'.repeat(32), OTHER, 'did:plc:carol', WALLET), // signed by someone else than the wallet it names
  ];
  const linkRecords = [repoHalf('did:plc:alice', WALLET), repoHalf('did:plc:dave', OTHER)];
  const { claims, ignored } = core.bluesky.claims({ links, linkRecords });
  assert.deepEqual(claims, [{ wallet: WALLET, did: 'did:plc:alice' }]);
  assert.equal(ignored.total, 1, 'the forged link is no evidence');
  // Malformed entities (a link without its DID; no entity at all) are counted, not thrown.
  const noDid = { ...links[0], key: '0x' + 'a4'.repeat(32), attributes: links[0].attributes.filter((a) => a.key !== 'did') };
  const malformed = core.bluesky.claims({ links: [noDid, { key: '0x' + 'a5'.repeat(32), attributes: 'nope' }, ...links], linkRecords });
  assert.deepEqual(malformed.claims, claims);
  assert.equal(malformed.ignored.malformed, 2);

  const subject = 'at://did:plc:org/community.lexicon.calendar.event/3lbcdefghijk2';
  const cid = 'bafyreib2rxk3rybk3aobmv5cjuql3bm2twh4jo5uxgf5eze3x2eswdtc7u';
  const going = { $type: 'community.lexicon.calendar.rsvp', subject: { uri: subject, cid }, status: 'community.lexicon.calendar.rsvp#going' };
  const rsvps = ['did:plc:alice', 'did:plc:bob'].map((did) => ({ did, rkey: '3lbcdefghijk2', record: going }));
  const counts = core.bluesky.countRsvps({ subject, rsvps, links, linkRecords, arkivGoing: [WALLET] });
  assert.equal(counts.going, 2);
  assert.equal(counts.alsoOnArkiv, 1, 'Alice is going on both sides: one person');
  assert.deepEqual(counts.people.map((p) => [p.did, p.wallet, p.alsoOnArkiv]), [['did:plc:alice', WALLET, true], ['did:plc:bob', null, false]]);
  assert.equal(counts.ignoredLinks.total, 1);
  // Without the claims, nobody is merged.
  assert.equal(core.bluesky.countRsvps({ subject, rsvps, arkivGoing: [WALLET] }).alsoOnArkiv, 0);
  assert.throws(() => core.bluesky.countRsvps({ subject, rsvps, arkivGoing: ['not a wallet'] }), (e) => e instanceof ConveneError && e.field === 'arkivGoing.0');
  assert.throws(() => core.bluesky.walletLinkRecord({ wallet: 'nope' }), (e) => e instanceof ConveneError && e.field === 'wallet');
});

test('publications: only those signed by their organizer count, the newest per gathering or occurrence', () => {
  const g = gathering('0x' + 'b1'.repeat(32), { sessionDate: '2026-03-10T18:00:00Z' });
  const { record } = core.bluesky.gatheringEvent({ gathering: g, createdAt: '2026-03-02T09:00:00Z' });
  const pub = (key, cid, signer = ORGANIZER, block) =>
    asStored(core.entities.build('bluesky_publication', { organizerWallet: ORGANIZER, did: 'did:plc:org',
      uri: 'at://did:plc:org/community.lexicon.calendar.event/3lbcdefghijk2', cid, record, gatheringKey: g.key },
    { now: '2026-03-02T09:00:00Z', spaceId: 's' }), key, signer, block);
  const first = pub('0x' + 'c1'.repeat(32), 'bafyreib2rxk3rybk3aobmv5cjuql3bm2twh4jo5uxgf5eze3x2eswdtc7u');
  const newer = pub('0x' + 'c2'.repeat(32), 'bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm');
  const forged = pub('0x' + 'c3'.repeat(32), 'bafyreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku', '0x9999999999999999999999999999999999999999');
  const { publications, ignored } = core.bluesky.publications({ publications: [newer, forged, first] });
  assert.equal(publications.length, 1);
  assert.equal(publications[0].key, newer.key);
  assert.equal(publications[0].gatheringKey, g.key);
  assert.equal(publications[0].seriesKey, null);
  assert.equal(publications[0].createdAt, '2026-03-02T09:00:00.000Z');
  assert.equal(ignored.total, 1);
  const noUri = { ...first, key: '0x' + 'c4'.repeat(32), payload: '{}' };
  const withMalformed = core.bluesky.publications({ publications: [newer, noUri, { key: '0x' + 'c5'.repeat(32), attributes: 'nope' }] });
  assert.deepEqual(withMalformed.publications, publications, 'malformed entities are passed over');
  assert.equal(withMalformed.ignored.malformed, 2);
});
