// The package surface of the trust rule (docs/trust.md) without a node: entities shaped exactly as the
// SDK returns them with withMetadata(true) (BigInt blocks and indexes, payload bytes).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConveneError, loadCore } from '../../npm/index.js';
import { asStored } from './helpers.js';

const core = await loadCore();
const enc = new TextEncoder();
const ALICE = '0x1111111111111111111111111111111111111111';
const BOB = '0x2222222222222222222222222222222222222222';
const MALLORY = '0x3333333333333333333333333333333333333333';
const NOW = '2027-01-01T00:00:00Z';

const series = asStored(core.entities.build('event_series', {
  organizerWallet: ALICE, community: 'Rust', title: 'Rust night',
  recurrence: 'DTSTART;TZID=Europe/Berlin:20270104T190000\nRRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=8',
}, { now: NOW }), '0xseries', ALICE, 10);

test('builders take entities as the SDK returns them (BigInt metadata) for series and existingFollows', () => {
  const follow = asStored(core.entities.build('event_series_follow', { series, followerWallet: BOB }, { now: NOW }), '0xf', BOB, 11);
  assert.throws(() => core.entities.build('event_series_follow', { series, followerWallet: BOB, existingFollows: [follow] }, { now: NOW }),
    { code: 'ALREADY_FOLLOWING', field: 'input.followerWallet' });
  // A follow written in Bob's name by another wallet blocks nothing.
  const forged = { ...follow, creator: MALLORY, owner: MALLORY };
  assert.ok(core.entities.build('event_series_follow', { series, followerWallet: BOB, existingFollows: [forged] }, { now: NOW }));
  const x = core.entities.build('event_series_exception', { series, recurrenceId: '2027-01-04T18:00:00Z', kind: 'cancelled' }, { now: NOW });
  assert.equal(x.attributes.find((a) => a.key === 'seriesKey').value, '0xseries');
});

test('parse keeps creator, owner and chain position, so a parsed entity stays verifiable', () => {
  const parsed = core.entities.parse(series);
  assert.equal(parsed.creator, ALICE);
  assert.equal(parsed.owner, ALICE);
  assert.equal(parsed.lastModifiedAtBlock, 10);
  assert.equal(parsed.transactionIndexInBlock, 0);
  assert.equal(parsed.operationIndexInTransaction, 0);
  assert.equal(core.series.occurrences({ series: parsed, limit: 2 }).length, 2);
  // A payload that claims metadata is malformed; attributes and payload must agree.
  const claims = { ...series, payload: enc.encode(JSON.stringify({ creator: ALICE })) };
  assert.throws(() => core.entities.parse(claims), { code: 'MALFORMED_ENTITY', field: 'entity.payload.creator' });
  const payload = JSON.parse(new TextDecoder().decode(series.payload));
  const conflicting = { ...series, payload: enc.encode(JSON.stringify({ ...payload, organizerWallet: MALLORY })) };
  assert.throws(() => core.entities.parse(conflicting), { code: 'CONFLICTING_FIELDS', field: 'entity.organizerWallet' });
});

test('readers given an unverified entity as their own argument throw a coded error; lists count', () => {
  const forgedSeries = { ...series, creator: MALLORY, owner: MALLORY };
  assert.throws(() => core.series.occurrences({ series: forgedSeries, limit: 1 }), (e) => e instanceof ConveneError && e.code === 'UNVERIFIED_ENTITY' && e.field === 'series');
  const transferred = { ...series, owner: BOB };
  assert.throws(() => core.series.next({ series: transferred, now: NOW }), { code: 'UNVERIFIED_ENTITY' });
  const occ = core.series.occurrences({ series, exceptions: [{ ...series, key: '0xjunk', payload: enc.encode('[1,2]') }, 42], limit: 1 });
  assert.deepEqual(occ.ignored, { unverified: 0, conflicting: 0, malformed: 2, total: 2 });
  assert.equal(Object.keys(occ).includes('ignored'), false, 'ignored is not enumerable: the array stays an array of occurrences');
});

test('hostile nesting never escapes as a RangeError: a coded error for the caller\'s own argument, skipped in lists', () => {
  let deep = [];
  for (let i = 0; i < 20000; i++) deep = [deep];
  assert.throws(() => core.gatherings.upcoming([{ key: '0xd', deep }], { now: NOW }), (e) => e instanceof ConveneError && typeof e.code === 'string');
  const text = `{"x":${'['.repeat(20000)}${']'.repeat(20000)}}`;
  const gathering = { key: '0xd', attributes: [{ key: 'type', value: 'virtual_gathering' }], payload: enc.encode(text), creator: ALICE, owner: ALICE };
  const r = core.gatherings.upcoming([gathering], { now: NOW });
  assert.deepEqual(r.gatherings, []);
  assert.equal(r.ignored.malformed, 1);
  assert.equal(core.entities.skillSlug('Still usable'), 'still-usable');
});
