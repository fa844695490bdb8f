// Browser end-to-end test of the trust model (docs/trust.md) in the reference app (web/): Alice and Bob
// use the app through the UI (a gathering, an RSVP, a session request, a weekly event series), then a
// third wallet, Mallory, writes forgeries straight to the node through the SDK from this process:
// a confirmation in Alice's name, a rejection in Bob's, RSVPs in other wallets' names, a gathering and a
// series exception and a series occurrence gathering (phishing join link) claiming Alice as organizer,
// a session_jitsi with a phishing room, a confirmation whose payload is not JSON and a gathering whose
// payload nests arrays 20,000 deep. After a reload the pages must show nothing of it except the
// "N entries ignored" notes, and a genuine confirmation must still work.
// Each forgery is checked to be on the node, matched by the app's own queries, and — handed to the
// core with its signer rewritten to the wallet it claims — to change what the core computes: so only
// the signer check keeps the pages as they are. Mallory also writes two entities that are valid evidence
// (her own gathering, her own RSVP to one occurrence); the pages must show those, so an unchanged page
// is not merely a stale one.
// Run: node --test tests/e2e/trust.e2e.test.js   (needs npm/dist from `scripts/build.sh wasm` and /usr/bin/chromium)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPublicClient, createWalletClient, http } from '@arkiv-network/sdk';
import { privateKeyToAccount } from '@arkiv-network/sdk/accounts';
import { localhost } from '@arkiv-network/sdk/chains';
import { and, eq } from '@arkiv-network/sdk/query';
import { loadCore } from '../../npm/index.js';
import { MIN, useApp } from './harness.js';

const env = useApp({ suite: 'trust' });
let page, tid, textOf, waitText, until, localInput, idle, ready, go, actAs, createWallet, setClock, checkPage;
const app = () => env.app;

/** The app clock is moved here (Mon 8 Mar 2027, 12:00 UTC); every date below is relative to it. */
const APP_NOW = Date.parse('2027-03-08T12:00:00Z');
const SPACE = 'local-dev';
const GATHERING = 'Trust meetup';
const SKILL = 'Trust check';
const SERIES = 'Trust weekly';
/** Occurrences of the series (weekly, Thursday 19:00 UTC, 6 times from 11 Mar): the 28-day window holds the first four. */
const OCC = ['2027-03-11T19:00:00.000Z', '2027-03-18T19:00:00.000Z', '2027-03-25T19:00:00.000Z', '2027-04-01T19:00:00.000Z', '2027-04-08T19:00:00.000Z', '2027-04-15T19:00:00.000Z'];
const CANCELLED_BY_MALLORY = OCC[0]; // the next occurrence: a believed cancel would also move "next"
const PHISHED_BY_MALLORY = OCC[1];
const EVIL = 'https://evil.example/';
const FORGED_TITLE = 'Forged Alice meetup';
const PHISH_TITLE = 'Trust weekly (new room!)';
const MALLORY_OWN = 'Mallory’s own meetup';

/** Mallory: a development key (anvil account 5), not in the app's wallet book. */
const mallory = privateKeyToAccount('0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba');
const M = mallory.address.toLowerCase();
/** Wallets that never used the app, in whose names Mallory RSVPs. */
const STRANGERS = ['0x1111111111111111111111111111111111111111', '0x2222222222222222222222222222222222222222'];

// Shared between the tests (they run in order).
const s = {};

const gatheringCard = (title) => page.locator(tid('gathering')).filter({ has: page.locator(tid('gathering-name'), { hasText: title }) });
const sessionCard = (skill) => page.locator(tid('session')).filter({ has: page.locator(tid('session-skill-text'), { hasText: skill }) });
const occ = (recurrenceId) => page.locator(`${tid('occurrence')}[data-recurrence-id="${recurrenceId}"]`);
const attr = (entity, key) => (entity.attributes || []).find((a) => a.key === key)?.value;
const signedAs = (entity, wallet) => ({ ...entity, creator: wallet, owner: wallet });

/** `data-total` of the "N entries ignored" note on the current page (0 when there is none), with its text. */
async function ignored(scope = '') {
  const note = page.locator(`${scope} ${tid('ignored')}`.trim());
  if (!(await note.count())) return { total: 0, unverified: 0, text: '' };
  return { total: Number(await note.first().getAttribute('data-total')), unverified: Number(await note.first().getAttribute('data-unverified')), text: await textOf(note.first()) };
}

/** Clicks "Load more" until the list is complete (paged lists read one page at a time from the node). */
async function loadAll() {
  while (await page.locator(tid('load-more')).count()) {
    const before = await page.locator(tid('shown-count')).textContent();
    await page.click(tid('load-more'));
    await until('the next page', () => page.locator(tid('shown-count')).textContent(), (t) => t !== before);
  }
}

/** Asserts the "N entries ignored" note: its data-total, data-unverified and text. */
async function expectIgnored(total, unverified, what, scope) {
  const note = await ignored(scope);
  assert.deepEqual([note.total, note.unverified], [total, unverified], `${what}: ${note.text || 'no ignored note'}`);
  assert.match(note.text, new RegExp(`^${total} ${total === 1 ? 'entry' : 'entries'} ignored: ${unverified} not signed by a wallet allowed to write them`));
  return note;
}

/** The node's clients, as the app's (web/src/arkiv.js), from this process. */
function nodeClients(url) {
  const chain = { ...localhost, rpcUrls: { default: { http: [url] } } };
  const pub = createPublicClient({ chain, transport: http(url) });
  const query = async (predicates, { createdBy } = {}) => {
    let b = pub.buildQuery().where(predicates.length === 1 ? predicates[0] : and(predicates)).withAttributes(true).withPayload(true).withMetadata(true);
    if (createdBy) b = b.createdBy(createdBy);
    const r = await b.limit(200).fetch();
    const out = [...r.entities];
    while (r.hasNextPage()) {
      await r.next();
      out.push(...r.entities);
    }
    return out;
  };
  return { pub, query, wallet: createWalletClient({ chain, transport: http(url), account: mallory }) };
}

test('Alice and Bob use the app: a gathering, an RSVP, a session, a weekly series', { timeout: 3 * MIN }, async () => {
  ({ page, tid, textOf, waitText, until, localInput, idle, ready, go, actAs, createWallet, setClock, checkPage } = env);
  await page.goto(app().url);
  await page.waitForSelector('body[data-ready="true"]');
  await waitText('node reachable', page.locator(tid('node-chain')), 'chain 1337');
  s.alice = await createWallet('Alice', 'alice trusts signatures');
  s.bob = await createWallet('Bob', 'bob trusts signatures too');
  await actAs('Alice');
  await setClock(APP_NOW);

  // Alice: a gathering tomorrow evening.
  await go('/gatherings/new', 'gathering-new');
  await page.fill(tid('gathering-title'), GATHERING);
  await page.fill(tid('gathering-community'), 'Trust Lab');
  await page.fill(tid('gathering-date'), localInput(Date.parse('2027-03-09T18:00:00Z')));
  await page.click(tid('gathering-create'));
  await ready('gathering');
  s.gatheringKey = await page.locator(tid('gathering-page')).getAttribute('data-key');
  assert.match(s.gatheringKey, /^0x[0-9a-f]{64}$/);
  assert.equal(await textOf(page.locator(tid('gathering-organizer'))), 'Alice (you)');

  // Alice: a weekly series, Thursday 19:00 UTC, 6 times; the first four are materialized as gatherings.
  await go('/series/new', 'series-new');
  await page.fill(tid('series-title'), SERIES);
  await page.fill(tid('series-community'), 'Trust Lab');
  await page.fill(tid('series-start'), '2027-03-11T19:00');
  await page.check(tid('series-weekday-TH'));
  await page.selectOption(tid('series-end'), 'count');
  await page.fill(tid('series-count'), '6');
  assert.equal(await page.locator(tid('series-ical')).inputValue(), 'DTSTART;TZID=UTC:20270311T190000\nRRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=6');
  await page.click(tid('series-create'));
  await ready('series');
  await waitText('series page', page.locator(tid('page-title')), SERIES);
  await until('four materialized, two planned', () => page.locator(tid('occurrence')).evaluateAll((els) => els.map((e) => e.dataset.state).join()), (t) => t === 'materialized,materialized,materialized,materialized,planned,planned');
  assert.deepEqual(await page.locator(tid('occurrence')).evaluateAll((els) => els.map((e) => e.dataset.recurrenceId)), OCC);
  s.seriesKey = await page.locator(tid('series-page')).getAttribute('data-key');
  s.joins = {};
  s.occGatherings = [];
  for (const id of OCC.slice(0, 4)) {
    s.joins[id] = await occ(id).locator(tid('occurrence-join')).getAttribute('href');
    assert.match(s.joins[id], /^https:\/\/meet\.jit\.si\/gathering-[0-9a-f]{32}$/);
    s.occGatherings.push(await occ(id).getAttribute('data-gathering-key'));
  }
  await go('/series', 'series-list');
  s.seriesNext = await textOf(page.locator(tid('series-card')).filter({ hasText: SERIES }).locator(tid('series-card-next')));
  assert.match(s.seriesNext, /11 Mar/);

  // Bob: RSVPs to Alice's gathering and requests a session with Alice as mentor (his own confirmation goes with it).
  await actAs('Bob');
  await go(`/gatherings/${s.gatheringKey}`, 'gathering');
  await page.click(tid('rsvp'));
  await waitText('RSVP count', page.locator(tid('rsvp-count')), '1');
  await go('/sessions/new', 'session-new');
  assert.match(await textOf(page.locator(`${tid('session-with')} option:checked`)), /^Alice \(/);
  await page.fill(tid('session-skill'), SKILL);
  await page.fill(tid('session-date'), localInput(Date.parse('2027-03-10T10:00:00Z')));
  await page.fill(tid('session-duration'), '60');
  await page.click(tid('session-request'));
  await ready('session');
  await waitText('learner confirmed', page.locator(tid('session-evidence')), 'Mentor Alice: not yet ○ · Learner Bob (you): confirmed ✓');
  assert.equal(await page.locator(tid('session')).getAttribute('data-status'), 'pending');
  s.sessionKey = await page.locator(tid('session')).getAttribute('data-key');
  // Nothing has been ignored so far.
  for (const route of ['/gatherings', '/sessions', `/series/${s.seriesKey}`]) {
    await go(route);
    await ready(route === '/gatherings' ? 'gatherings' : route === '/sessions' ? 'sessions' : 'series', s.bob);
    assert.equal((await ignored()).total, 0, `no ignored entries yet on ${route}`);
  }
});

test('Mallory forges entities through the SDK; each is on the node and would change what the core computes if its signer were the wallet it names', { timeout: MIN }, async () => {
  const { arkivRpcUrl } = await (await fetch(new URL('config.json', app().url))).json();
  const node = nodeClients(arkivRpcUrl);
  const core = await loadCore();
  const byKey = async (key) => (await node.query([eq('spaceId', SPACE)])).find((e) => e.key === key);
  const [session, gathering, series] = [await byKey(s.sessionKey), await byKey(s.gatheringKey), await byKey(s.seriesKey)];
  assert.ok(session && gathering && series, 'the genuine entities are on the node');
  assert.equal(session.creator, s.bob);
  assert.equal(series.creator, s.alice);
  const occGathering = await byKey(s.occGatherings[2]);

  const opts = { now: APP_NOW, spaceId: SPACE };
  const enc = new TextEncoder();
  const drafts = {
    // (1) Alice's (the mentor's) confirmation: would complete the pair -> scheduled.
    confirmation: core.entities.build('session_confirmation', { session, confirmedBy: s.alice }, opts),
    // (2) Bob's rejection: would cancel the session.
    rejection: core.entities.build('session_rejection', { session, rejectedBy: s.bob, reason: 'forged' }, opts),
    // A session_jitsi with a phishing join URL for the session.
    jitsi: core.entities.build('session_jitsi', { session, baseUrl: 'https://evil.example' }, opts),
    // (3) RSVPs to Alice's gathering in other wallets' names (Bob's included: he has RSVPed himself).
    ...Object.fromEntries([...STRANGERS, s.bob].map((w, i) => [`rsvp${i}`, core.entities.build('gathering_rsvp', { gathering, attendeeWallet: w }, opts)])),
    // (4) a gathering claiming Alice as organizer.
    gathering: core.entities.build('virtual_gathering', { organizerWallet: s.alice, community: 'Trust Lab', title: FORGED_TITLE, sessionDate: '2027-03-10T18:00:00Z', duration: 60 }, opts),
    // (5) an exception cancelling the next occurrence of Alice's series.
    // (`series` parsed first: build does not convert a raw SDK entity's BigInt metadata for `series`.)
    exception: core.entities.build('event_series_exception', { series: core.entities.parse(series), recurrenceId: CANCELLED_BY_MALLORY, kind: 'cancelled', reason: 'forged' }, opts),
    // (6) a later "materialized" gathering for an occurrence, with a phishing join link.
    phish: core.entities.build(
      'virtual_gathering',
      { organizerWallet: s.alice, community: 'Trust Lab', title: PHISH_TITLE, sessionDate: PHISHED_BY_MALLORY, duration: 60, videoProvider: 'custom', videoJoinUrl: `${EVIL}join`, seriesKey: s.seriesKey, recurrenceId: PHISHED_BY_MALLORY },
      { ...opts, now: APP_NOW + 24 * 3600_000 },
    ),
    // (7) a confirmation whose payload bytes are not JSON (not even UTF-8), and a gathering nesting arrays 20,000 deep.
    notJson: { ...core.entities.build('session_confirmation', { session, confirmedBy: s.bob }, opts), payload: new Uint8Array([0x7b, 0xff, 0xfe, 0x00, 0x6e, 0x6f, 0x74, 0x20, 0x4a, 0x53, 0x4f, 0x4e]) },
    deep: {
      ...core.entities.build('virtual_gathering', { organizerWallet: M, community: 'Trust Lab', title: 'Deep', sessionDate: '2027-03-10T19:00:00Z', duration: 60 }, opts),
      payload: enc.encode(`{"title":"Deep","description":${'['.repeat(20_000)}${']'.repeat(20_000)}}`),
    },
    // Positive controls, valid evidence (docs/trust.md: spam and Sybil wallets are not prevented): a
    // gathering Mallory organizes herself and her own RSVP to the third occurrence. The pages must show
    // both after the reload, so an unchanged page is not a stale one.
    own: core.entities.build('virtual_gathering', { organizerWallet: M, community: 'Trust Lab', title: MALLORY_OWN, sessionDate: '2027-03-10T20:00:00Z', duration: 60 }, opts),
    ownRsvp: core.entities.build('gathering_rsvp', { gathering: occGathering, attendeeWallet: M }, opts),
  };
  assert.match(attr(drafts.jitsi, 'videoJoinUrl') ?? new TextDecoder().decode(drafts.jitsi.payload), /evil\.example/, 'the forged room points at evil.example');
  const names = Object.keys(drafts);
  const { createdEntities } = await node.wallet.mutateEntities({ creates: Object.values(drafts) });
  assert.equal(createdEntities.length, names.length);
  const key = Object.fromEntries(names.map((n, i) => [n, createdEntities[i]]));
  s.forged = key;

  // On the node, signed by Mallory, with the claims as written.
  const forged = await node.query([eq('spaceId', SPACE)], { createdBy: M });
  const get = (n) => forged.find((e) => e.key === key[n]);
  assert.deepEqual(forged.map((e) => e.key).sort(), Object.values(key).sort(), 'every forgery is on the node');
  for (const e of forged) assert.deepEqual([e.creator, e.owner], [M, M]);
  assert.equal(attr(get('confirmation'), 'confirmedBy'), s.alice);
  assert.equal(attr(get('rejection'), 'rejectedBy'), s.bob);
  assert.equal(attr(get('gathering'), 'organizerWallet'), s.alice);
  assert.equal(attr(get('phish'), 'seriesKey'), s.seriesKey);
  assert.equal(get('deep').payload.length, 40_031);
  // ...and matched by the queries the app runs (web/src/sessions.js, gatherings.js, series.js list()).
  const sessionQuery = (type) => node.query([eq('type', type), eq('spaceId', SPACE), eq('learnerWallet', s.bob)]);
  assert.ok((await sessionQuery('session_confirmation')).some((e) => e.key === key.confirmation));
  assert.ok((await sessionQuery('session_confirmation')).some((e) => e.key === key.notJson));
  assert.ok((await sessionQuery('session_rejection')).some((e) => e.key === key.rejection));
  assert.ok((await sessionQuery('session_jitsi')).some((e) => e.key === key.jitsi));
  const rsvps = await node.query([eq('type', 'session'), eq('spaceId', SPACE), eq('skill', 'virtual_gathering_rsvp')]);
  assert.equal(rsvps.filter((e) => e.creator === M && attr(e, 'gatheringKey') === s.gatheringKey).length, 3);
  const gatherings = await node.query([eq('type', 'virtual_gathering'), eq('spaceId', SPACE)]);
  for (const n of ['gathering', 'phish', 'deep']) assert.ok(gatherings.some((e) => e.key === key[n]), n);
  const exceptions = await node.query([eq('type', 'event_series_exception'), eq('spaceId', SPACE)]);
  assert.deepEqual(exceptions.map((e) => e.key), [key.exception]);

  // The controls: the same entities with the signer they claim change the core's answers; as
  // written (signed by Mallory) they change nothing.
  const now = APP_NOW + 5 * MIN;
  const confirmations = await node.query([eq('type', 'session_confirmation'), eq('spaceId', SPACE), eq('sessionKey', s.sessionKey)]);
  const bobsOwn = confirmations.filter((e) => e.creator === s.bob);
  assert.equal(bobsOwn.length, 1);
  const status = (args) => core.sessions.status({ session, now, ...args }).status;
  assert.equal(status({ confirmations: [...bobsOwn, signedAs(get('confirmation'), s.alice)] }), 'scheduled', 'control: a confirmation signed by Alice schedules it');
  assert.equal(status({ rejections: [signedAs(get('rejection'), s.bob)] }), 'cancelled', 'control: a rejection signed by Bob cancels it');
  assert.match(core.sessions.status({ session, now, confirmations: [...bobsOwn, signedAs(get('confirmation'), s.alice)], jitsi: [signedAs(get('jitsi'), s.bob)] }).videoJoinUrl, /^https:\/\/evil\.example\//, 'control: a room signed by Bob is the join link');
  assert.equal(status({ confirmations, rejections: [get('rejection')], jitsi: [get('jitsi')] }), 'pending', 'as written: still pending');
  const counts = (list) => core.gatherings.rsvps({ rsvps: list }).counts[s.gatheringKey] || 0;
  const resigned = rsvps.map((e) => (e.creator === M ? signedAs(e, attr(e, 'learnerWallet')) : e));
  assert.equal(counts(resigned), 3, 'control: RSVPs signed by their attendees count (Bob once)');
  assert.equal(counts(rsvps), 1, 'as written: Bob alone');
  const upcoming = (list) => core.gatherings.upcoming(list, { now, series: [series] }).gatherings.map((g) => g.title);
  assert.ok(upcoming([signedAs(get('gathering'), s.alice)]).includes(FORGED_TITLE), 'control: a gathering signed by Alice is listed');
  assert.ok(!upcoming(gatherings).includes(FORGED_TITLE), 'as written: not listed');
  const genuineOcc = gatherings.filter((e) => e.creator === s.alice && attr(e, 'seriesKey') === s.seriesKey);
  assert.equal(genuineOcc.length, 4);
  const occurrences = (args) => Object.fromEntries(core.series.occurrences({ series, after: now, limit: 6, ...args }).map((o) => [o.recurrenceId, o]));
  const believed = occurrences({ exceptions: [signedAs(get('exception'), s.alice)], gatherings: [...genuineOcc, signedAs(get('phish'), s.alice)] });
  assert.equal(believed[CANCELLED_BY_MALLORY].state, 'cancelled', 'control: an exception signed by Alice cancels');
  assert.match(believed[PHISHED_BY_MALLORY].videoJoinUrl || '', /^https:\/\/evil\.example\//, 'control: a later gathering signed by Alice replaces the join link');
  const asWritten = occurrences({ exceptions: [get('exception')], gatherings: [...genuineOcc, get('phish'), get('deep')] });
  assert.equal(asWritten[CANCELLED_BY_MALLORY].state, 'materialized', 'as written: not cancelled');
  assert.equal(asWritten[PHISHED_BY_MALLORY].videoJoinUrl, s.joins[PHISHED_BY_MALLORY], 'as written: the join link stays');
});


test('after a reload the pages ignore every forgery, say so, and a genuine confirmation still works', { timeout: 3 * MIN }, async () => {
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  // A reload leaves Bob selected and locked: reading needs no key.
  assert.equal(await page.locator('#identity').getAttribute('data-state'), 'locked');

  // Bob's sessions: pending, only his own confirmation counts, no join link.
  await go('/sessions', 'sessions');
  await ready('sessions', s.bob);
  const card = sessionCard(SKILL);
  assert.equal(await card.getAttribute('data-status'), 'pending', 'not scheduled, not cancelled');
  assert.equal(await textOf(card.locator(tid('session-status'))), 'Waiting for Alice');
  assert.equal(await textOf(card.locator(tid('session-evidence'))), 'Mentor Alice: not yet ○ · Learner Bob (you): confirmed ✓');
  assert.equal(await card.locator(tid('session-join')).count(), 0);
  // Left out of Bob's list: the forged confirmation, rejection and room, the RSVP in Bob's name (a
  // session where he is the learner): unverified; the confirmation that is not JSON: unreadable.
  await expectIgnored(5, 4, "Bob's sessions");
  await checkPage('sessions-ignored');
  // The session's own page: its four forged companions.
  await card.locator(tid('session-skill-text')).click();
  await ready('session', s.bob);
  assert.equal(await page.locator(tid('session')).getAttribute('data-status'), 'pending');
  await expectIgnored(4, 3, 'the session page');

  // Gatherings: Alice's keeps one attendee; only Alice's gatherings carry her name.
  await go('/gatherings', 'gatherings');
  await ready('gatherings', s.bob);
  await loadAll();
  const g = gatheringCard(GATHERING);
  assert.equal(await textOf(g.locator(tid('rsvp-count'))), '1', 'RSVP count unchanged');
  const byAlice = await page.locator(tid('gathering')).filter({ has: page.locator(tid('gathering-organizer'), { hasText: /^Alice$/ }) }).evaluateAll((els) => els.map((e) => e.dataset.key));
  assert.deepEqual(byAlice.sort(), [s.gatheringKey, ...s.occGatherings].sort(), 'Alice’s gathering and her four occurrences, nothing else');
  const listed = await page.locator(tid('gathering')).evaluateAll((els) => els.map((e) => e.dataset.key));
  for (const n of ['gathering', 'phish', 'deep']) assert.ok(!listed.includes(s.forged[n]), `forged ${n} not listed`);
  assert.equal(await gatheringCard(FORGED_TITLE).count(), 0);
  assert.equal(await gatheringCard(PHISH_TITLE).count(), 0);
  // The control: Mallory's own gathering is listed, under her address.
  const own = gatheringCard(MALLORY_OWN).locator(tid('gathering-organizer'));
  assert.equal(await textOf(own), `${M.slice(0, 6)}…${M.slice(-4)}`);
  assert.equal(await own.getAttribute('title'), `signed by ${M}`);
  // 3 forged gatherings (Alice's name, the phishing occurrence: unverified; 20,000 deep: unreadable) + 3 forged RSVPs.
  const note = await expectIgnored(6, 5, 'gatherings');
  assert.equal(note.text, '6 entries ignored: 5 not signed by a wallet allowed to write them, 1 unreadable.');
  await checkPage('gatherings-ignored');
  // The forged gathering's own link shows nothing of it either.
  for (const n of ['gathering', 'phish']) {
    await go(`/gatherings/${s.forged[n]}`, 'gathering');
    await page.waitForSelector(tid('gathering-missing'));
    assert.match(await textOf(page.locator(tid('gathering-missing'))), /not signed by the organizer it names/);
    await expectIgnored(1, 1, `the forged ${n}'s page`);
  }

  // Series: the list's next occurrence is still the first one; on the page no occurrence is
  // cancelled, the join links are the ones Alice's browser wrote.
  await go('/series', 'series-list');
  assert.equal(await textOf(page.locator(tid('series-card')).filter({ hasText: SERIES }).locator(tid('series-card-next'))), s.seriesNext, 'next occurrence unchanged');
  async function checkSeriesPage(viewer) {
    await go(`/series/${s.seriesKey}`, 'series');
    await ready('series', viewer);
    assert.deepEqual(await page.locator(tid('occurrence')).evaluateAll((els) => els.map((e) => e.dataset.state)), ['materialized', 'materialized', 'materialized', 'materialized', 'planned', 'planned']);
    assert.equal(await occ(CANCELLED_BY_MALLORY).getAttribute('data-state'), 'materialized', 'not cancelled');
    for (const id of OCC.slice(0, 4)) assert.equal(await occ(id).locator(tid('occurrence-join')).getAttribute('href'), s.joins[id], `join link of ${id} unchanged`);
    assert.deepEqual(await page.locator(tid('occurrence-title')).allTextContents(), Array(6).fill(SERIES));
    // Only Mallory's own RSVP (the control) counts: on the third occurrence.
    assert.deepEqual(await page.locator(tid('occurrence-rsvp-count')).allTextContents(), ['0', '0', '1', '0']);
    assert.match(await textOf(page.locator(tid('series-next-text'))), /^“Trust weekly” — Thu,? 11 Mar, 19:00 UTC/);
    // The page reads exceptions and gatherings signed by the organizer only (filtered at the node), and
    // the RSVPs of its own gatherings only: the three forged RSVPs (to Alice's standalone gathering) are
    // not read here at all, so nothing is ignored.
    assert.equal((await ignored()).total, 0, 'series page: nothing read that is not its own');
  }
  await checkSeriesPage(s.bob);

  const html = await page.content();
  assert.ok(!html.includes('evil.example'), 'no evil.example anywhere in the page');
  for (const t of [FORGED_TITLE, PHISH_TITLE, '"Deep"', '>Deep<']) assert.ok(!html.includes(t), `${t} nowhere in the page`);
  assert.equal(await page.locator(tid('load-error')).count(), 0, 'no error');

  // Alice's view: opening the series page re-plans the window from what she signed: nothing to do.
  await actAs('Alice');
  await waitText('materialization found nothing to change', page.locator(tid('series-materialized')), /\(0 created, 0 updated, 0 cancelled\)\.$/);
  await checkSeriesPage(s.alice);
  await go(`/gatherings/${s.gatheringKey}`, 'gathering');
  assert.equal(await textOf(page.locator(tid('rsvp-count'))), '1');
  // Alice is the mentor of the session and the "organizer" of the three forged RSVPs: 6 unverified, 1 unreadable.
  await go('/sessions', 'sessions');
  await ready('sessions', s.alice);
  await expectIgnored(7, 6, "Alice's sessions");
  assert.equal(await sessionCard(SKILL).getAttribute('data-status'), 'pending');
  assert.equal(await textOf(sessionCard(SKILL).locator(tid('session-evidence'))), 'Mentor Alice (you): not yet ○ · Learner Bob: confirmed ✓', 'the forged confirmation in her name does not count');

  // A genuine action still works: Alice confirms; the pair is complete, the room is on meet.jit.si.
  await sessionCard(SKILL).locator(tid('session-confirm')).click();
  await until('scheduled', () => sessionCard(SKILL).getAttribute('data-status'), (st) => st === 'scheduled');
  assert.equal(await textOf(sessionCard(SKILL).locator(tid('action-ok'))), 'Confirmed by both of you: the video room is ready.');
  assert.match(await sessionCard(SKILL).locator(tid('session-join')).getAttribute('href'), new RegExp(`^https://meet\\.jit\\.si/mg-${s.sessionKey}-[0-9a-f]{16}$`));
  await idle();
  const after = await page.content();
  assert.ok(!after.includes('evil.example'), 'no evil.example after the confirmation');
  assert.equal(await page.locator(tid('load-error')).count(), 0, 'no error');
  const unexpected = env.consoleErrors.filter((e) => !/config\.json|favicon|ERR_NAME_NOT_RESOLVED/.test(e));
  assert.deepEqual(unexpected, [], 'no page errors');
});
