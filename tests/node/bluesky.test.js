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
  assert.deepEqual(counts, { going: 0, interested: 1, notGoing: 1, ignored: 2 });
});
