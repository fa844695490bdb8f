// Browser end-to-end test of live pages (docs/domain.md#time-attributes, web/src/live.js): the app
// subscribes to the node over WebSocket (the SDK's subscribeEntityEvents) and a page updates by itself
// when something it shows changes, reading only what changed: a new gathering appears on the list, an
// RSVP written elsewhere updates its card's count without the list being read again, and the meeting
// page's timeline needs no Refresh button.
// Run: node --test tests/e2e/live.e2e.test.js   (needs npm/dist from `scripts/build.sh wasm` and /usr/bin/chromium)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPublicClient, createWalletClient, http } from '@arkiv-network/sdk';
import { privateKeyToAccount } from '@arkiv-network/sdk/accounts';
import { localhost } from '@arkiv-network/sdk/chains';
import { arkivSink, loadCore } from '../../npm/index.js';
import { MIN, useApp } from './harness.js';

// jitsiBaseUrl points at a closed port: the meeting page's video stays empty, its timeline works.
const env = useApp({ suite: 'live', jitsiBaseUrl: 'http://127.0.0.1:9' });
const s = {};
const ORGANIZER = privateKeyToAccount('0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6'); // anvil account 3
const ATTENDEE = privateKeyToAccount('0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a'); // anvil account 4

test('a gathering written elsewhere appears, and an RSVP to it updates its card alone', { timeout: 3 * MIN }, async () => {
  const { page, tid, textOf, until, go, createWallet, checkPage } = env;
  await page.goto(env.app.url);
  await page.waitForSelector('body[data-ready="true"]');
  await createWallet('Lou', 'a live passphrase');
  await go('/gatherings', 'gatherings');
  await page.waitForSelector(`${tid('live-status')}[data-status="live"]`);

  // What the browser asks the node from now on.
  const asked = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().startsWith(env.node.url)) asked.push(r.postData() || '');
  });

  const core = await loadCore();
  const chain = { ...localhost, rpcUrls: { default: { http: [env.node.url] } } };
  const organizer = createWalletClient({ chain, transport: http(env.node.url), account: ORGANIZER });
  const attendee = createWalletClient({ chain, transport: http(env.node.url), account: ATTENDEE });
  const now = Date.now();
  const draft = core.entities.build('virtual_gathering', { organizerWallet: ORGANIZER.address, community: 'Live Club', title: 'Live one', sessionDate: new Date(now + 5 * 86400_000).toISOString(), duration: 60 }, { now, spaceId: 'local-dev' });
  const { entityKey } = await organizer.createEntity(draft);
  s.gatheringKey = entityKey;
  const card = page.locator(`${tid('gathering')}[data-key="${entityKey}"]`);
  await card.waitFor({ timeout: 15_000 });
  assert.equal(await textOf(card.locator(tid('rsvp-count'))), '0');

  // An RSVP from another wallet, written straight to the node.
  asked.length = 0;
  const pub = createPublicClient({ chain, transport: http(env.node.url) });
  const gathering = core.entities.parse(await pub.getEntity(entityKey));
  await attendee.createEntity(core.entities.build('gathering_rsvp', { gathering, attendeeWallet: ATTENDEE.address }, { now: Date.now(), spaceId: 'local-dev' }));
  await until('the card counts the RSVP', () => textOf(card.locator(tid('rsvp-count'))), (t) => t === '1');
  // Read for it: the changed entity and that one gathering (its entity and RSVPs), never the list again.
  const listQueries = asked.filter((b) => b.includes('arkiv_query') && b.includes('endsAtSec'));
  assert.equal(listQueries.length, 0, `the list was read again: ${listQueries.join('\n')}`);
  assert.ok(asked.some((b) => b.includes('arkiv_query') && b.includes(entityKey)), 'the changed gathering was read');
  await checkPage('gatherings-live');
});

test('the meeting page updates live: an event written elsewhere appears, no Refresh button', { timeout: 2 * MIN }, async () => {
  const { page, tid, until, go } = env;
  await go(`/meeting/${s.gatheringKey}`, 'meeting');
  await page.waitForSelector(`${tid('live-status')}[data-status="live"]`);
  await page.locator(tid('timeline-live')).waitFor();
  assert.equal(await page.locator(tid('refresh-timeline')).count(), 0, 'no Refresh button while live');
  const total = () => page.locator(tid('timeline-status')).getAttribute('data-total');
  const before = Number(await total());
  // The organizer's own device records an event of this meeting (allowed signer: the gathering's organizer).
  const core = await loadCore();
  const chain = { ...localhost, rpcUrls: { default: { http: [env.node.url] } } };
  const organizer = createWalletClient({ chain, transport: http(env.node.url), account: ORGANIZER });
  const record = core.events.normalize('videoConferenceJoined', { roomName: 'live-room', id: 'p1', displayName: 'Org' }, { meetingId: s.gatheringKey, participantId: 'p1', now: Date.now() });
  assert.equal((await arkivSink(organizer)([record])).status, 200);
  await until('the event on the timeline', () => total(), (t) => Number(t) === before + 1);
});
