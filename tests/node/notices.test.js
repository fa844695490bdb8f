// core.notices through the package (docs/notices.md), and the app's inbox reader (web/src/notices.js)
// against a local Arkiv node read at an earlier block and now.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { loadCore } from '@convene/core';
import { createWalletClient, http } from '@arkiv-network/sdk';
import { privateKeyToAccount } from '@arkiv-network/sdk/accounts';
import { localhost } from '@arkiv-network/sdk/chains';

import { startArkivNode } from '../../tools/arkiv-node/src/index.js';
import { createArkiv } from '../../web/src/arkiv.js';
import { createInbox } from '../../web/src/notices.js';
import { asStored, asUpdated, assertConveneError, LEARNER, MENTOR, STRANGER } from './helpers.js';

const core = await loadCore();
const FOLLOWER = '0x4444444444444444444444444444444444444444';
const MUTED = '0x5555555555555555555555555555555555555555';
const NOW = '2026-03-01T12:00:00Z';
const MONDAYS = 'DTSTART;TZID=Europe/Berlin:20260302T190000\nRRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=8';
const CURRENT = 1_000_000n;

/** A series with two materialized Mondays, a follower, a muted follower and an attendee of both. */
function world() {
  const series = asStored(
    core.entities.build('event_series', { organizerWallet: MENTOR, community: 'Rust Berlin', title: 'Rust night', duration: 90, recurrence: MONDAYS }, { now: NOW }),
    '0xs',
  );
  const [g0, g1] = core.series.planMaterialization({ series, horizonDays: 10 }, { now: NOW }).create.map((d, i) => asStored(d, `0xg${i}`));
  const follows = [
    asStored(core.entities.build('event_series_follow', { series, followerWallet: FOLLOWER }, { now: NOW }), '0xf1', FOLLOWER),
    asStored(core.entities.build('event_series_follow', { series, followerWallet: MUTED, notifications: false }, { now: NOW }), '0xf2', MUTED),
  ];
  const rsvps = [g0, g1].map((g, i) =>
    asStored(core.entities.build('gathering_rsvp', { gathering: core.entities.parse(g), attendeeWallet: LEARNER }, { now: NOW }), `0xr${i}`, LEARNER),
  );
  const before = { series: [series], exceptions: [], gatherings: [g0, g1] };
  const move = asStored(
    core.entities.build('event_series_exception', { series, recurrenceId: '2026-03-09T18:00:00Z', kind: 'modified', changes: { sessionDate: '2026-03-10T18:00:00Z' } }, { now: NOW }),
    '0xx1',
  );
  const cancel = asStored(core.entities.build('event_series_exception', { series, recurrenceId: '2026-03-02T18:00:00Z', kind: 'cancelled' }, { now: NOW }), '0xx2');
  const plan = core.series.planMaterialization({ series, exceptions: [move, cancel], gatherings: [g0, g1], horizonDays: 10 }, { now: NOW });
  const gathered = [asUpdated(plan.cancel[0].draft, g0), asUpdated(plan.update[0].draft, g1)];
  const prop = core.series.planPropagation({ series, exceptions: [move, cancel], gatherings: gathered, from: '2026-03-16T00:00:00Z', changes: { title: 'Rust evening' } }, { now: NOW });
  const series2 = asUpdated(prop.series, series);
  const more = core.series.planMaterialization({ series: series2, exceptions: [move, cancel], gatherings: gathered, horizonDays: 17 }, { now: NOW });
  const g2 = asStored(more.create[0], '0xg2');
  const after = { series: [series2], exceptions: [move, cancel], gatherings: [...gathered, g2] };
  return { series, follows, rsvps, before, after, move };
}

const kinds = (r) => r.notices.map((n) => n.kind).sort();

test('core.notices.since: the attendee hears of the move and the cancellation, the follower of the series, a muted follow of nothing', () => {
  const w = world();
  const mine = core.notices.since({ wallet: LEARNER, rsvps: w.rsvps, before: w.before, after: w.after, currentBlock: CURRENT, now: NOW });
  assert.deepEqual(kinds(mine), ['occurrenceCancelled', 'occurrenceMoved']);
  const moved = mine.notices.find((n) => n.kind === 'occurrenceMoved');
  assert.equal(moved.from, '2026-03-09T18:00:00.000Z');
  assert.equal(moved.to, '2026-03-10T18:00:00.000Z');
  assert.equal(moved.gatheringKey, '0xg1');
  assert.equal(moved.seriesKey, '0xs');
  assert.equal(moved.block, Number(w.move.lastModifiedAtBlock));
  assert.match(moved.id, /^[0-9a-f]{32}$/);

  const theirs = core.notices.since({ wallet: FOLLOWER, follows: w.follows, before: w.before, after: w.after, currentBlock: CURRENT, now: NOW });
  assert.deepEqual(kinds(theirs), ['occurrenceScheduled', 'templateChanged']);
  assert.deepEqual(theirs.notices.find((n) => n.kind === 'templateChanged').changes, { title: 'Rust evening' });
  assert.equal(core.notices.since({ wallet: MUTED, follows: w.follows, before: w.before, after: w.after, currentBlock: CURRENT, now: NOW }).notices.length, 0);

  // The same change read later (a later block, a later now): the same ids.
  const later = core.notices.since({ wallet: LEARNER, rsvps: w.rsvps, before: w.before, after: w.after, currentBlock: CURRENT + 100n, now: '2026-03-01T12:03:20Z' });
  assert.deepEqual(later.notices.map((n) => n.id).sort(), mine.notices.map((n) => n.id).sort());
});

test('core.notices.since: a forged exception and a forged RSVP give nothing and are counted; malformed input is a ConveneError naming the field', () => {
  const w = world();
  const forged = asStored(
    core.entities.build('event_series_exception', { series: w.series, recurrenceId: '2026-03-09T18:00:00Z', kind: 'cancelled' }, { now: NOW }),
    '0xbad',
    STRANGER,
  );
  const forgedRsvp = { ...w.rsvps[1], key: '0xbadr', creator: STRANGER, owner: STRANGER };
  const args = { wallet: LEARNER, rsvps: [...w.rsvps, forgedRsvp], before: w.before, after: { ...w.after, exceptions: [...w.after.exceptions, forged] }, currentBlock: CURRENT, now: NOW };
  const r = core.notices.since(args);
  assert.deepEqual(kinds(r), ['occurrenceCancelled', 'occurrenceMoved'], 'the stranger cannot cancel the moved occurrence');
  assert.equal(r.ignored.unverified, 2);
  // Only the forged RSVP: no notices at all.
  assert.equal(core.notices.since({ ...args, rsvps: [forgedRsvp] }).notices.length, 0);

  assertConveneError(() => core.notices.since({ ...args, wallet: 'nope' }), 'INVALID_WALLET', 'wallet');
  assertConveneError(() => core.notices.since({ ...args, before: undefined }), 'MISSING_FIELD', 'before');
  assertConveneError(() => core.notices.since({ ...args, after: { gatherings: 'all' } }), 'INVALID_TYPE', 'after.gatherings');
  assertConveneError(() => core.notices.since({ ...args, follows: {} }), 'INVALID_TYPE', 'follows');
  assertConveneError(() => core.notices.since({ ...args, currentBlock: undefined }), 'MISSING_FIELD', 'currentBlock');
  assertConveneError(() => core.notices.since(null), 'MISSING_FIELD');
  // A malformed entity inside a list is skipped and counted, never thrown.
  const bad = core.notices.since({ ...args, rsvps: [{ key: '0xr', attributes: 'nope' }, 42] });
  assert.equal(bad.ignored.malformed, 2);
  assert.equal(bad.notices.length, 0);
});

// ---- the app's reader against a node: the state at an earlier block and now -------------------------

const ORGANIZER = privateKeyToAccount('0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6');
const ATTENDEE = privateKeyToAccount('0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a');
const FAN = privateKeyToAccount('0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba');

function memoryStorage() {
  const m = new Map();
  return { getItem: (k) => (m.has(k) ? m.get(k) : null), setItem: (k, v) => m.set(k, String(v)), removeItem: (k) => m.delete(k) };
}

test('inbox reader: notices from the node at the last look and now; read state by id; the muted follow hears nothing', { timeout: 120_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-notices-'));
  const node = await startArkivNode({ port: 0, statePath: path.join(dir, 'state.json'), blockTimeMs: 500 });
  try {
    const spaceId = 'notices';
    const chain = { ...localhost, rpcUrls: { default: { http: [node.url] } } };
    const client = (account) => createWalletClient({ chain, transport: http(node.url), account });
    const [organizer, attendee, fan] = [client(ORGANIZER), client(ATTENDEE), client(FAN)];
    const arkiv = createArkiv(node.url);
    const opts = () => ({ now: Date.now(), spaceId });
    const monday = new Date(Date.now() + 2 * 86400_000);
    const dt = monday.toISOString().replace(/[-:]/g, '').slice(0, 15);
    const { entityKey: seriesKey } = await organizer.createEntity(
      core.entities.build('event_series', { organizerWallet: ORGANIZER.address, community: 'Notices', title: 'Weekly sync', duration: 60, recurrence: `DTSTART:${dt}Z\nRRULE:FREQ=WEEKLY;COUNT=6` }, opts()),
    );
    const series = await arkiv.get(seriesKey);
    const plan = core.series.planMaterialization({ series, horizonDays: 10, currentBlock: await arkiv.blockNumber() }, opts());
    const { createdEntities: gKeys } = await organizer.mutateEntities(plan.transactions[0]);
    assert.equal(gKeys.length, 2);
    const first = await arkiv.get(gKeys[0]);
    await attendee.createEntity(core.entities.build('gathering_rsvp', { gathering: core.entities.parse(first), attendeeWallet: ATTENDEE.address }, opts()));
    await fan.createEntity(core.entities.build('event_series_follow', { series: core.entities.parse(series), followerWallet: FAN.address, notifications: false }, opts()));

    // The setup sealed in a block of its own (blocks are 500 ms here): the first look compares from it,
    // so what the organizer changes afterwards lands in a later block.
    const setupBlock = await arkiv.blockNumber();
    while ((await arkiv.blockNumber()) < setupBlock + 2n) await new Promise((r) => setTimeout(r, 100));
    const storage = memoryStorage();
    const inbox = createInbox({ core, arkiv, config: { spaceId }, clock: { now: () => Date.now() }, storage });
    const me = ATTENDEE.address.toLowerCase();
    const fanWallet = FAN.address.toLowerCase();
    assert.deepEqual(await inbox.refresh(me), [], 'nothing changed yet');
    await inbox.refresh(fanWallet);

    // The organizer moves the attendee's occurrence by an hour and materializes.
    const rid = core.entities.parse(first).recurrenceId;
    const to = new Date(Date.parse(rid) + 3600_000).toISOString();
    await organizer.createEntity(core.entities.build('event_series_exception', { series: core.entities.parse(series), recurrenceId: rid, kind: 'modified', changes: { sessionDate: to } }, opts()));
    const exceptions = await arkiv.byType('event_series_exception', spaceId);
    const gatherings = await arkiv.byType('virtual_gathering', spaceId);
    const follow = core.series.planMaterialization({ series, exceptions, gatherings, horizonDays: 10, currentBlock: await arkiv.blockNumber() }, opts());
    assert.equal(follow.update.length, 1);
    for (const tx of follow.transactions) await organizer.mutateEntities(tx);
    await new Promise((r) => setTimeout(r, 1200)); // the block with the change is sealed

    const fresh = await inbox.refresh(me);
    assert.deepEqual(fresh.map((n) => n.kind), ['occurrenceMoved']);
    assert.equal(fresh[0].from, new Date(Date.parse(rid)).toISOString());
    assert.equal(fresh[0].to, to);
    assert.equal(inbox.unread(me), 1);
    // A second look finds nothing new and keeps what it found.
    assert.deepEqual(await inbox.refresh(me), []);
    assert.equal(inbox.list(me).length, 1);
    inbox.markRead(me, [fresh[0].id]);
    assert.equal(inbox.unread(me), 0);
    assert.equal(inbox.list(me)[0].read, true);
    // The muted follower hears nothing.
    assert.deepEqual(await inbox.refresh(fanWallet), []);
    assert.equal(inbox.list(fanWallet).length, 0);
  } finally {
    await node.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('inbox reader: RSVPs to series dates that had no gathering yet hear of the cancellation, the move and — after a split — the move in the new series', { timeout: 120_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-notices-occ-'));
  const node = await startArkivNode({ port: 0, statePath: path.join(dir, 'state.json'), blockTimeMs: 500 });
  try {
    const spaceId = 'notices-occ';
    const chain = { ...localhost, rpcUrls: { default: { http: [node.url] } } };
    const client = (account) => createWalletClient({ chain, transport: http(node.url), account });
    const [organizer, attendee] = [client(ORGANIZER), client(ATTENDEE)];
    const arkiv = createArkiv(node.url);
    const opts = () => ({ now: Date.now(), spaceId });
    const start = new Date(Math.floor(Date.now() / 86400_000) * 86400_000 + 86400_000 + 18 * 3600_000);
    const dt = start.toISOString().replace(/[-:]/g, '').slice(0, 15);
    const rid = (i) => new Date(start.getTime() + i * 7 * 86400_000).toISOString();
    const { entityKey: seriesKey } = await organizer.createEntity(
      core.entities.build('event_series', { organizerWallet: ORGANIZER.address, community: 'Notices', title: 'Weekly sync', duration: 60, recurrence: `DTSTART:${dt}Z\nRRULE:FREQ=WEEKLY` }, opts()),
    );
    const series = await arkiv.get(seriesKey);
    // Nothing is materialized: the attendee RSVPs to dates 5, 6 and 7 (named by series and RECURRENCE-ID only).
    for (const i of [5, 6, 7]) await attendee.createEntity(core.entities.build('gathering_rsvp', { series, recurrenceId: rid(i), attendeeWallet: ATTENDEE.address }, opts()));
    const setupBlock = await arkiv.blockNumber();
    while ((await arkiv.blockNumber()) < setupBlock + 2n) await new Promise((r) => setTimeout(r, 100));
    const inbox = createInbox({ core, arkiv, config: { spaceId }, clock: { now: () => Date.now() }, storage: memoryStorage() });
    const me = ATTENDEE.address.toLowerCase();
    assert.deepEqual(await inbox.refresh(me), [], 'nothing changed yet');

    // The organizer cancels date 5 and moves date 6 by an hour.
    const moved6 = new Date(Date.parse(rid(6)) + 3600_000).toISOString();
    await organizer.mutateEntities({
      creates: [
        core.entities.build('event_series_exception', { series, recurrenceId: rid(5), kind: 'cancelled' }, opts()),
        core.entities.build('event_series_exception', { series, recurrenceId: rid(6), kind: 'modified', changes: { sessionDate: moved6 } }, opts()),
      ],
    });
    await new Promise((r) => setTimeout(r, 1200));
    const fresh = await inbox.refresh(me);
    assert.deepEqual(fresh.map((n) => n.kind).sort(), ['occurrenceCancelled', 'occurrenceMoved']);
    assert.equal(fresh.find((n) => n.kind === 'occurrenceMoved').to, moved6);
    assert.equal(fresh.find((n) => n.kind === 'occurrenceCancelled').from, rid(5));

    // The rule is split at date 7 (a new series continues it); then the new series moves date 7.
    const exceptions = await arkiv.byType('event_series_exception', spaceId);
    const split = core.series.planSplit({ series, exceptions, at: rid(7), changes: { title: 'Weekly sync, new room' } }, opts());
    let newKey;
    for (const tx of split.transactions) {
      const r = await organizer.mutateEntities(tx);
      if (r.createdEntities?.length) newKey = r.createdEntities[0];
    }
    const newSeries = await arkiv.get(newKey);
    const moved7 = new Date(Date.parse(rid(7)) + 2 * 3600_000).toISOString();
    await organizer.createEntity(core.entities.build('event_series_exception', { series: newSeries, recurrenceId: rid(7), kind: 'modified', changes: { sessionDate: moved7 } }, opts()));
    await new Promise((r) => setTimeout(r, 1200));
    const later = await inbox.refresh(me);
    assert.deepEqual(later.map((n) => [n.kind, n.seriesKey, n.to]), [['occurrenceMoved', newKey, moved7]]);
    assert.equal(inbox.unread(me), 3);
  } finally {
    await node.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
