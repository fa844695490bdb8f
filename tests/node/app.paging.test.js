// The reference app's list services read one page at a time from the node (docs/domain.md#time-attributes):
// the gatherings list through the real SDK against the local Arkiv node, page by page, equals the whole
// list the core computes from every gathering; the entities read per page stay bounded by the page, not
// by the space (past gatherings and other gatherings' RSVPs are not read).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { loadCore } from '@convene/core';
import { createWalletClient, http } from '@arkiv-network/sdk';
import { privateKeyToAccount } from '@arkiv-network/sdk/accounts';
import { localhost } from '@arkiv-network/sdk/chains';
import { startArkivNode } from '../../tools/arkiv-node/src/index.js';
import { createArkiv } from '../../web/src/arkiv.js';
import { createGatheringService } from '../../web/src/gatherings.js';
import { createSeriesService } from '../../web/src/series.js';
import { readLiveExceptions } from '../../web/src/arkiv-reads.js';

const ORGANIZER = privateKeyToAccount('0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6');
const ATTENDEE = privateKeyToAccount('0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a');
const DAY = 86400_000;

/** Counts the entities each arkiv_query returns (what a page view reads), by wrapping fetch. */
function countingFetch() {
  const counter = { calls: 0, entities: 0, bytes: 0 };
  const real = globalThis.fetch;
  globalThis.fetch = async (...args) => {
    const res = await real(...args);
    const body = args[1] && typeof args[1].body === 'string' ? args[1].body : '';
    if (!body.includes('arkiv_query')) return res;
    const text = await res.clone().text();
    counter.calls += 1;
    counter.bytes += text.length;
    const parsed = JSON.parse(text);
    for (const r of Array.isArray(parsed) ? parsed : [parsed]) counter.entities += (r.result && r.result.data ? r.result.data.length : 0);
    return res;
  };
  return { counter, restore: () => (globalThis.fetch = real) };
}

/** Runs `fn(node)` against a fresh local Arkiv node (1 s blocks, state in a temp dir), then removes it. */
async function withNode(fn) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-paging-'));
  const node = await startArkivNode({ port: 0, statePath: path.join(dir, 'state.json'), blockTimeMs: 1000 });
  try {
    return await fn(node);
  } finally {
    await node.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('gatherings list: pages read from the node equal the core list, and a page reads only what it shows', { timeout: 120_000 }, async () => {
  await withNode(async (node) => {
    const core = await loadCore();
    const chain = { ...localhost, rpcUrls: { default: { http: [node.url] } } };
    const organizer = createWalletClient({ chain, transport: http(node.url), account: ORGANIZER });
    const attendee = createWalletClient({ chain, transport: http(node.url), account: ATTENDEE });
    const now = Date.now();
    const build = (i, start, builtAt) =>
      core.entities.build('virtual_gathering', { organizerWallet: ORGANIZER.address, community: 'Paging', title: `g${String(i).padStart(2, '0')}`, sessionDate: new Date(start).toISOString(), duration: 60 }, { now: builtAt, spaceId: 'paging' });
    // 19 upcoming (in shuffled creation order), 30 past (written before they ended).
    const upcoming = Array.from({ length: 19 }, (_, i) => build(i, now + ((i * 7) % 19 + 1) * DAY, now));
    const past = Array.from({ length: 30 }, (_, i) => build(100 + i, now - (i + 2) * DAY, now - (i + 3) * DAY));
    const { createdEntities: upKeys } = await organizer.mutateEntities({ creates: upcoming });
    await organizer.mutateEntities({ creates: past });
    // RSVPs: one to each upcoming gathering, five to every past one.
    const raws = await Promise.all(upKeys.map((k) => createArkiv(node.url).get(k)));
    const rsvps = raws.map((raw) => core.entities.build('gathering_rsvp', { gathering: core.entities.parse(raw), attendeeWallet: ATTENDEE.address }, { now, spaceId: 'paging' }));
    await attendee.mutateEntities({ creates: rsvps });

    const arkiv = createArkiv(node.url);
    const service = createGatheringService({ core, arkiv, clock: { now: () => Date.now() }, config: { spaceId: 'paging' } });
    const viewer = { address: ATTENDEE.address.toLowerCase() };

    const { counter, restore } = countingFetch();
    let pages = 0;
    const seen = [];
    const perPage = [];
    try {
      let cursor = null;
      do {
        const before = counter.entities;
        const p = await service.list({ viewer, tab: 'upcoming', cursor, limit: 8 });
        perPage.push(counter.entities - before);
        seen.push(...p.items.map((v) => v.gathering.title));
        for (const v of p.items) assert.equal(v.rsvpCount, 1, `${v.gathering.title}: its RSVP counted`);
        assert.ok(p.items.every((v) => v.myRsvp), 'the viewer sees their own RSVP on every card');
        cursor = p.cursor;
        pages += 1;
      } while (cursor && pages < 10);
    } finally {
      restore();
    }
    const expected = Array.from({ length: 19 }, (_, i) => ({ i, start: now + ((i * 7) % 19 + 1) * DAY }))
      .sort((a, b) => a.start - b.start)
      .map(({ i }) => `g${String(i).padStart(2, '0')}`);
    assert.deepEqual(seen, expected, 'soonest first, across pages, nothing twice, nothing missing');
    assert.equal(pages, 3);
    // Each page reads its 8 gatherings, their 8 RSVPs and the viewer's 8 confirmations, never the 30 past
    // gatherings or their 150 RSVPs.
    for (const n of perPage) assert.ok(n <= 3 * 8, `entities read by one page: ${n}`);
    console.log(`paging: ${pages} pages, entities read per page ${perPage.join(', ')} (space: 49 gatherings, 19 RSVPs + confirmations)`);

    // The past tab, most recent first, one page.
    const pastPage = await service.list({ viewer, tab: 'past', limit: 5 });
    assert.deepEqual(pastPage.items.map((v) => v.gathering.title), ['g100', 'g101', 'g102', 'g103', 'g104']);
    assert.ok(pastPage.cursor);
  });
});

test('sessions list: per tab, page by page, only the viewer\'s sessions and their companions', { timeout: 120_000 }, async () => {
  const { createSessionService } = await import('../../web/src/sessions.js');
  await withNode(async (node) => {
    const core = await loadCore();
    const chain = { ...localhost, rpcUrls: { default: { http: [node.url] } } };
    const learner = createWalletClient({ chain, transport: http(node.url), account: ATTENDEE });
    const other = privateKeyToAccount('0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba');
    const otherClient = createWalletClient({ chain, transport: http(node.url), account: other });
    const now = Date.now();
    const session = (i, start, builtAt, learnerWallet = ATTENDEE.address) =>
      core.entities.build('session', { mentorWallet: ORGANIZER.address, learnerWallet, skill: `s${String(i).padStart(2, '0')}`, sessionDate: new Date(start).toISOString(), duration: 30 }, { now: builtAt, spaceId: 'paging' });
    const upcoming = Array.from({ length: 13 }, (_, i) => session(i, now + ((i * 5) % 13 + 1) * DAY, now));
    const past = Array.from({ length: 7 }, (_, i) => session(50 + i, now - (i + 2) * DAY, now - (i + 3) * DAY));
    const { createdEntities: upKeys } = await learner.mutateEntities({ creates: upcoming });
    await learner.mutateEntities({ creates: past });
    // Sessions between other wallets: never read for this viewer.
    await otherClient.mutateEntities({ creates: Array.from({ length: 20 }, (_, i) => session(80 + i, now + (i + 1) * DAY, now, other.address)) });
    // The learner withdraws the first upcoming one: its time is still ahead, its status is past.
    const withdrawn = core.entities.parse(await createArkiv(node.url).get(upKeys[0]));
    await learner.mutateEntities({ creates: [core.entities.build('session_rejection', { session: withdrawn, rejectedBy: ATTENDEE.address, reason: 'withdrawn' }, { now, spaceId: 'paging' })] });

    const service = createSessionService({ core, arkiv: createArkiv(node.url), clock: { now: () => Date.now() }, config: { spaceId: 'paging' } });
    const viewer = { address: ATTENDEE.address.toLowerCase() };
    const { counter, restore } = countingFetch();
    const seen = [];
    let cursor = null;
    let pages = 0;
    try {
      do {
        const p = await service.list({ viewer, tab: 'upcoming', cursor, limit: 5 });
        seen.push(...p.items.map((v) => `${v.session.skill}:${v.phase}`));
        cursor = p.cursor;
        pages += 1;
      } while (cursor && pages < 10);
    } finally {
      restore();
    }
    const order = Array.from({ length: 13 }, (_, i) => ({ i, start: (i * 5) % 13 })).sort((a, b) => a.start - b.start);
    assert.deepEqual(seen, order.map(({ i }) => `s${String(i).padStart(2, '0')}:${i === 0 ? 'past' : 'upcoming'}`), 'soonest first; the withdrawn one says past');
    assert.equal(pages, 3);
    assert.ok(counter.entities <= 13 + 1 + 3 * 5, `entities read: ${counter.entities} (13 sessions, 1 rejection; none of the 20 other sessions or 7 past ones)`);

    const pastTab = await service.list({ viewer, tab: 'past', limit: 4 });
    assert.deepEqual(pastTab.items.map((v) => v.session.skill), ['s00', 's50', 's51', 's52', 's53'], 'the withdrawn future one first, then most recent first');
    assert.ok(pastTab.cursor);
    const rest = await service.list({ viewer, tab: 'past', cursor: pastTab.cursor, limit: 4 });
    assert.deepEqual(rest.items.map((v) => v.session.skill), ['s54', 's55', 's56']);
    assert.equal(rest.cursor, null);
  });
});

test('a gathering moved later: opening it extends the attendee\'s own RSVP and confirmation on the node', { timeout: 120_000 }, async () => {
  await withNode(async (node) => {
    const core = await loadCore();
    const chain = { ...localhost, rpcUrls: { default: { http: [node.url] } } };
    const organizer = createWalletClient({ chain, transport: http(node.url), account: ORGANIZER });
    const arkiv = createArkiv(node.url);
    const clock = { now: () => Date.now() };
    const service = createGatheringService({ core, arkiv, clock, config: { spaceId: 'keep' } });
    const start = Date.now() + 2 * DAY;
    const draft = core.entities.build('virtual_gathering', { organizerWallet: ORGANIZER.address, community: 'Keep', title: 'Moves', sessionDate: new Date(start).toISOString(), duration: 60 }, { now: Date.now(), spaceId: 'keep' });
    const { entityKey } = await organizer.createEntity(draft);
    // The attendee RSVPs through the app's own flow (RSVP + own confirmation), with an unlocked account.
    const attendee = { address: ATTENDEE.address.toLowerCase(), account: ATTENDEE, label: 'Att' };
    const rsvpKey = await service.rsvp({ gathering: core.entities.parse(await arkiv.get(entityKey)), attendee });
    const before = await arkiv.get(rsvpKey);

    // Nothing moved: opening the gathering writes nothing.
    const first = await service.one({ key: entityKey, viewer: attendee });
    assert.equal(first.rsvpKept, null);

    // The organizer moves it three days later (same key, same room).
    const g = core.entities.parse(await arkiv.get(entityKey));
    const moved = core.entities.build('virtual_gathering', { organizerWallet: ORGANIZER.address, community: 'Keep', title: 'Moves', sessionDate: new Date(start + 3 * DAY).toISOString(), duration: 60, videoRoomName: g.videoRoomName }, { now: Date.now(), spaceId: 'keep' });
    await organizer.updateEntity({ entityKey, ...moved });
    const opened = await service.one({ key: entityKey, viewer: attendee });
    assert.deepEqual(opened.rsvpKept, { extended: 2 }, 'the RSVP and the attendee\'s confirmation');
    const after = await arkiv.get(rsvpKey);
    const blocks = Number(after.expiresAtBlock - before.expiresAtBlock);
    assert.ok(Math.abs(blocks - (3 * DAY) / 2000) <= 2, `RSVP extended by ${blocks} blocks (3 days = ${(3 * DAY) / 2000})`);
    // Opening it again: nothing more to do.
    assert.equal((await service.one({ key: entityKey, viewer: attendee })).rsvpKept, null);
  });
});

test('gatherings list: a card counts the RSVPs made to its series date before it had a gathering, through a split too', { timeout: 120_000 }, async () => {
  await withNode(async (node) => {
    const core = await loadCore();
    const chain = { ...localhost, rpcUrls: { default: { http: [node.url] } } };
    const organizer = createWalletClient({ chain, transport: http(node.url), account: ORGANIZER });
    const attendee = createWalletClient({ chain, transport: http(node.url), account: ATTENDEE });
    const arkiv = createArkiv(node.url);
    const now = Date.now();
    const opts = { now, spaceId: 'occ' };
    // Weekly from tomorrow 18:00 UTC.
    const start = new Date(Math.floor(now / DAY) * DAY + DAY + 18 * 3600_000);
    const dtstart = start.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const seriesDraft = core.entities.build('event_series', { organizerWallet: ORGANIZER.address, community: 'Occ', title: 'Weekly', duration: 60, recurrence: `DTSTART:${dtstart}\nRRULE:FREQ=WEEKLY` }, opts);
    const { entityKey: seriesKey } = await organizer.createEntity(seriesDraft);
    const seriesRaw = await arkiv.get(seriesKey);
    const rid = (i) => new Date(start.getTime() + i * 7 * DAY).toISOString();
    // Occurrence RSVPs before anything is materialized: dates 1 and 3.
    for (const i of [1, 3]) await attendee.createEntity(core.entities.build('gathering_rsvp', { series: seriesRaw, recurrenceId: rid(i), attendeeWallet: ATTENDEE.address }, opts));
    // Split at date 3 (both series and the handoff, as the app writes them), then materialize both.
    const split = core.series.planSplit({ series: seriesRaw, at: rid(3), changes: { title: 'Weekly, later' } }, opts);
    let newKey;
    for (const tx of split.transactions) {
      const r = await organizer.mutateEntities(tx);
      if (r.createdEntities?.length) newKey = r.createdEntities[0];
    }
    for (const key of [seriesKey, newKey]) {
      const plan = core.series.planMaterialization({ series: await arkiv.get(key), horizonDays: 28 }, opts);
      for (const tx of plan.transactions) await organizer.mutateEntities(tx);
    }
    const service = createGatheringService({ core, arkiv, clock: { now: () => Date.now() }, config: { spaceId: 'occ' } });
    const page = await service.list({ viewer: { address: ATTENDEE.address.toLowerCase() }, tab: 'upcoming', limit: 20 });
    const count = Object.fromEntries([...page.now, ...page.items].map((v) => [new Date(v.startsAt).toISOString(), v.rsvpCount]));
    assert.deepEqual(
      [0, 1, 2, 3].map((i) => count[rid(i)]),
      [0, 1, 0, 1],
      `cards: ${JSON.stringify(count)}`,
    );
    const mine = [...page.now, ...page.items].filter((v) => v.myRsvp).map((v) => new Date(v.startsAt).toISOString());
    assert.deepEqual(mine.sort(), [rid(1), rid(3)], 'the viewer sees their own occurrence RSVPs on the cards');
  });
});

test('series pages read the exceptions that can still matter: not the ended ones, and every version of a date still in play', { timeout: 120_000 }, async () => {
  await withNode(async (node) => {
    const core = await loadCore();
    const chain = { ...localhost, rpcUrls: { default: { http: [node.url] } } };
    const organizer = createWalletClient({ chain, transport: http(node.url), account: ORGANIZER });
    const arkiv = createArkiv(node.url);
    const now = Date.now();
    const opts = { now, spaceId: 'live' };
    // Weekly 18:00 UTC, 60 minutes, from three weeks ago.
    const start = new Date(Math.floor(now / DAY) * DAY - 21 * DAY + 18 * 3600_000);
    const dtstart = start.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const seriesDraft = core.entities.build('event_series', { organizerWallet: ORGANIZER.address, community: 'Live', title: 'Weekly', duration: 60, recurrence: `DTSTART:${dtstart}\nRRULE:FREQ=WEEKLY;COUNT=8` }, opts);
    const { entityKey: seriesKey } = await organizer.createEntity(seriesDraft);
    const series = await arkiv.get(seriesKey);
    const rid = (i) => new Date(start.getTime() + i * 7 * DAY).toISOString();
    const exception = (i, kind, changes) => core.entities.build('event_series_exception', { series, recurrenceId: rid(i), kind, ...(changes ? { changes } : {}) }, opts);
    const write = async (draft) => (await organizer.createEntity(draft)).entityKey;
    const ended = await write(exception(0, 'cancelled'));  // three weeks ago: over
    // Date 1 (two weeks ago) moved to the day after tomorrow, then back: the newest wins, the date is over,
    // though the older exception alone would say "not over".
    const movedLater = await write(exception(1, 'modified', { sessionDate: new Date(now + 2 * DAY).toISOString() }));
    const movedBack = await write(exception(1, 'modified', { sessionDate: rid(1), title: 'Back where it was' }));
    // Date 2 (last week) cancelled by an older writer: no endsAtSec, so it is read (and is over).
    const legacyDraft = exception(2, 'cancelled');
    const legacy = await write({ ...legacyDraft, attributes: legacyDraft.attributes.filter((a) => a.key !== 'endsAtSec') });
    const upcoming = await write(exception(4, 'cancelled'));  // in a week
    // The attendee's date RSVP (no gathering yet) to date 5.
    const attendee = createWalletClient({ chain, transport: http(node.url), account: ATTENDEE });
    await attendee.createEntity(core.entities.build('gathering_rsvp', { series, recurrenceId: rid(5), attendeeWallet: ATTENDEE.address }, opts));
    assert.ok((await arkiv.get(movedLater)).attributes.some((a) => a.key === 'endsAtSec'), 'exceptions carry endsAtSec');

    const { counter, restore } = countingFetch();
    let read;
    try {
      read = await readLiveExceptions(core, arkiv, 'live', [seriesKey], now);
    } finally {
      restore();
    }
    assert.deepEqual(new Set(read.map((e) => e.key)), new Set([movedLater, movedBack, legacy, upcoming]));
    assert.equal(read.length, 4);
    assert.equal(counter.entities, 4, 'each exception comes from the node once');
    assert.ok(!read.some((e) => e.key === ended), 'an exception whose date is over is not read');

    // The pages show what reading every exception shows.
    const clock = { now: () => now };
    const gatherings = createGatheringService({ core, arkiv, clock, config: { spaceId: 'live' } });
    const service = createSeriesService({ core, arkiv, clock, config: { spaceId: 'live' }, gatherings });
    const page = await service.page({ seriesKey, viewer: { address: ATTENDEE.address.toLowerCase() } });
    const all = await arkiv.byType('event_series_exception', 'live');
    assert.equal(all.length, 5);
    const expected = core.series.occurrences({ series, exceptions: all, gatherings: [], after: now - DAY, limit: 20 })
      .filter((o) => Date.parse(o.endsAt) > now)
      .map((o) => `${o.recurrenceId} ${o.state} ${o.startsAt}`);
    assert.deepEqual(page.occurrences.map(({ occurrence: o }) => `${o.recurrenceId} ${o.state} ${o.startsAt}`), expected);
    assert.ok(!page.occurrences.some(({ occurrence: o }) => o.recurrenceId === rid(1)), 'the date moved later and back is over');
    assert.equal(page.occurrences.find(({ occurrence: o }) => o.recurrenceId === rid(4)).occurrence.state, 'cancelled');
    assert.deepEqual(page.occurrences.filter((v) => v.myRsvp).map(({ occurrence: o }) => o.recurrenceId), [rid(5)], 'the RSVP to a shown date is read and shown');
    const list = await service.list();
    assert.deepEqual(list.items.map((i) => i.next && i.next.recurrenceId), [core.series.next({ series, exceptions: all, gatherings: [], now }).recurrenceId]);
  });
});

test('series list: each series\' next date is placed by its exceptions, and only that date\'s gathering is read', { timeout: 120_000 }, async () => {
  await withNode(async (node) => {
    const core = await loadCore();
    const arkiv = createArkiv(node.url);
    const now = Date.now();
    const clock = { now: () => now };
    const config = { spaceId: 'list' };
    const gatherings = createGatheringService({ core, arkiv, clock, config });
    const service = createSeriesService({ core, arkiv, clock, config, gatherings });
    const organizer = { address: ORGANIZER.address.toLowerCase(), account: ORGANIZER };
    // Two weekly series from tomorrow 18:00 UTC, their window materialized (several gatherings each);
    // the first one's next date moved a day later.
    const tomorrow = new Date(Math.floor(now / DAY) * DAY + DAY + 18 * 3600_000);
    const dtstart = tomorrow.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const keys = [];
    for (const title of ['Moved', 'Plain']) {
      const { seriesKey } = await service.create({ organizer, community: 'List', title, description: '', duration: 60, recurrence: `DTSTART:${dtstart}\nRRULE:FREQ=WEEKLY;COUNT=10` });
      keys.push(seriesKey);
    }
    const moved = await arkiv.get(keys[0]);
    await arkiv.write(organizer, [core.entities.build('event_series_exception', { series: moved, recurrenceId: tomorrow.toISOString(), kind: 'modified', changes: { sessionDate: new Date(tomorrow.getTime() + DAY).toISOString() } }, { now, spaceId: 'list' })]);
    await service.materialize({ seriesKey: keys[0], organizer });
    const allGatherings = await arkiv.byType('virtual_gathering', 'list');
    assert.ok(allGatherings.length >= 6, `a window of gatherings per series (${allGatherings.length})`);

    const { counter, restore } = countingFetch();
    let list;
    try {
      list = await service.list();
    } finally {
      restore();
    }
    // What the core says with every entity of the space.
    const allExceptions = await arkiv.byType('event_series_exception', 'list');
    const expected = await Promise.all(keys.map(async (k) => core.series.next({ series: await arkiv.get(k), exceptions: allExceptions.filter((x) => x.attributes.some((a) => a.key === 'seriesKey' && a.value === k)), gatherings: allGatherings.filter((g) => g.attributes.some((a) => a.key === 'seriesKey' && a.value === k)), now })));
    const shown = new Map(list.items.map((i) => [i.series.key, i.next]));
    for (const [i, k] of keys.entries()) assert.deepEqual(shown.get(k), expected[i], `series ${i}`);
    assert.equal(Date.parse(shown.get(keys[0]).startsAt), tomorrow.getTime() + DAY, 'the moved date is next, where it moved');
    assert.ok(shown.get(keys[0]).gatheringKey && shown.get(keys[1]).gatheringKey, 'the next dates\' gatherings are attached');
    // 2 series + the exception + 2 gatherings (each next date's), not the whole window (it read 12 before).
    assert.equal(counter.entities, 5, `entities read: ${counter.entities}`);
  });
});
