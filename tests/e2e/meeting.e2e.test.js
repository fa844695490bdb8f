// Browser end-to-end test of the meeting page (#/meeting/<key>?room=<room>): without a meeting it
// explains itself; a gathering's "Meeting page" link opens its call; a stand-in JitsiMeetExternalAPI
// replays a meeting's IFrame API events (tests/e2e/fixtures/jitsi-meeting-events.json); the page
// captures them with core.events into the Arkiv sink on a local node and shows the timeline read back
// from Arkiv (filters by type and participant). Then the tail of the meeting happens as the tab
// closes: what is left is stored on pagehide and the next load sends it once the wallet that signs
// the entities is unlocked. A browser without the stand-in checks that the page says so when the
// Jitsi script cannot load, without a spinner. Old links (meeting.html?meeting=…&room=…) still work.
// Run: node --test tests/e2e/meeting.e2e.test.js (needs npm/dist and /usr/bin/chromium)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, runAxe, useApp } from './harness.js';

const FIXTURE = JSON.parse(fs.readFileSync(new URL('./fixtures/jitsi-meeting-events.json', import.meta.url), 'utf8'));
const MEETING = 'mtg-e2e-0001';
const ROOM = 'mg-e2e-room';
const PASSPHRASE = 'correct horse battery staple';
// jitsiBaseUrl points at a closed port: only the stand-in (injected below) can provide the API.
// ?kdf=interactive: the app's visible test setting for cheap Argon2id (wallets made through the UI).
const env = useApp({ suite: 'meeting', jitsiBaseUrl: 'http://127.0.0.1:9', blockTimeMs: 500 });
const tid = (id) => `[data-testid="${id}"]`;
const pageErrors = [];

/** A stand-in for JitsiMeetExternalAPI: an event emitter the test drives. */
function installStandIn() {
  window.JitsiMeetExternalAPI = class JitsiMeetExternalAPI {
    constructor(domain, options) {
      this.listeners = new Map();
      const frame = document.createElement('div');
      frame.dataset.testid = 'jitsi-stand-in';
      frame.textContent = `stand-in for https://${domain}/${options.roomName}`;
      options.parentNode?.append(frame);
      window.__jitsi = this;
    }
    addListener(name, fn) {
      if (!this.listeners.has(name)) this.listeners.set(name, new Set());
      this.listeners.get(name).add(fn);
    }
    on(name, fn) {
      this.addListener(name, fn);
    }
    removeListener(name, fn) {
      this.listeners.get(name)?.delete(fn);
    }
    emit(name, payload) {
      for (const fn of this.listeners.get(name) ?? []) fn(payload);
    }
  };
  // Jitsi reports the local user leaving (twice) while the page unloads.
  window.addEventListener('pagehide', () => {
    for (const [name, payload] of window.__tail ?? []) window.__jitsi?.emit(name, payload);
  });
}

const appUrl = (route) => `${env.app.url}?kdf=interactive#${route}`;

async function open(page, route) {
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(appUrl(route));
  await page.waitForSelector('body[data-ready="true"]');
}

async function waitForTotal(page, total) {
  await page.waitForFunction((n) => document.querySelector('[data-testid="timeline-status"]')?.dataset.total === String(n), total, { timeout: 40_000, polling: 500 });
}

const timeline = (page) => page.$$eval('[data-testid="timeline-event"]', (els) => els.map((e) => ({ type: e.dataset.type, participant: e.dataset.participant, eventId: e.dataset.eventId, text: e.textContent })));

test('meeting page without a meeting: a page that says what it is for, no error, no spinner', { timeout: 120_000 }, async () => {
  await env.context.addInitScript(installStandIn);
  // The events part (core.events, core.meetings: its own WASM module) is fetched when a meeting page opens, not before.
  const wasm = [];
  const onRequest = (r) => /\.wasm(\?|$)/.test(r.url()) && wasm.push(r.url().split('/').pop());
  env.page.on('request', onRequest);
  await open(env.page, '/meeting');
  await env.ready('meeting-help');
  assert.ok(!wasm.some((n) => /^events/.test(n)), `the help page fetched no events part: ${wasm.join(', ')}`);
  assert.match(await env.textOf(env.page.locator(tid('meeting-help'))), /Open it from a gathering or a confirmed session/);
  assert.equal(await env.page.locator(tid('jitsi-status')).count(), 0);
  await env.checkPage('meeting-help');
  // A meeting that has no room yet (not on the node, no room in the link): said plainly.
  // The events part's module cannot be fetched: the page says so in its own words, and "Try again" loads it once
  // the network is back.
  await env.page.route(/\/events[^/]*\.wasm(\?|$)/, (r) => r.abort());
  await env.go(`/meeting/${MEETING}`, 'part-events');
  const failed = env.page.locator(tid('part-error'));
  await env.waitText('part error', failed, /Could not load the meeting tools .*try again/);
  assert.equal(await failed.getAttribute('role'), 'alert');
  assert.equal(await env.textOf(env.page.locator(tid('page-title'))), 'Could not load the meeting tools');
  await env.page.unroute(/\/events[^/]*\.wasm(\?|$)/);
  await env.page.click(tid('part-retry'));
  await env.ready('meeting');
  await env.page.waitForFunction(() => document.activeElement?.matches('main h1'), null, { timeout: 10_000 });
  await env.waitText('no room', env.page.locator(tid('jitsi-status')), /names no video room/);
  env.page.off('request', onRequest);
  assert.ok(wasm.some((n) => /^events/.test(n)), `the meeting page fetched the events part: ${wasm.join(', ')}`);
  console.log(`meeting pages fetched these WASM modules: ${wasm.join(', ')}`);
});

test('meeting page: a gathering’s link opens its call; captured Jitsi events land on Arkiv and read back as a filterable timeline; closing the tab keeps the rest', { timeout: 240_000 }, async () => {
  const { page, context } = env;
  // A wallet (cheap test KDF, the banner says so) and a gathering whose "Meeting page" link opens the call.
  await env.go('/wallets', 'wallets');
  await page.waitForSelector(tid('kdf-test-banner'));
  await env.fillWalletForm('Alice', PASSPHRASE);
  await page.waitForSelector('#identity[data-state="unlocked"]', { timeout: 60_000 });
  await env.go('/gatherings/new', 'gathering-new');
  await page.fill(tid('gathering-title'), 'Meeting e2e');
  await page.fill(tid('gathering-community'), 'Jitsi');
  await page.fill(tid('gathering-date'), env.localInput(Date.now() + 3600_000));
  await page.click(tid('gathering-create'));
  await env.ready('gathering');
  const room = (await page.locator(tid('gathering-join')).getAttribute('href')).split('/').pop();
  await page.click(tid('gathering-meeting'));
  await env.ready('meeting');
  await env.waitText('title', page.locator(tid('page-title')), 'Meeting: Meeting e2e');
  assert.match(await env.textOf(page.locator(tid('meeting-info'))), /^The gathering Meeting e2e$/);
  assert.equal(await env.textOf(page.locator(tid('jitsi-stand-in'))), `stand-in for https://127.0.0.1:9/${room}`);

  // The synthetic meeting of the fixture.
  await env.go(`/meeting/${MEETING}?room=${ROOM}`, 'meeting');
  await env.waitText('stand-in', page.locator(tid('jitsi')), /stand-in for https:\/\/127\.0\.0\.1:9\/mg-e2e-room/);
  await page.waitForFunction(() => Boolean(window.__jitsi && window.__conveneMeeting?.api));
  await page.evaluate((events) => {
    for (const [name, payload] of events) window.__jitsi.emit(name, payload);
  }, FIXTURE.events);

  // 13 events in: mouseMove is ignored, the three transcription chunks of one message collapse into the final one.
  await waitForTotal(page, 11);
  const first = await timeline(page);
  assert.deepEqual(first.map((e) => e.type), [
    'conference.joined', 'participant.joined', 'audio.mute.changed', 'dominant.speaker.changed', 'message.received',
    'transcription.chunk.received', 'screen.share.started', 'recording.started', 'audio.mute.changed',
    'participant.hand.changed', 'screen.share.stopped',
  ]);
  const chunk = first.find((e) => e.type === 'transcription.chunk.received');
  assert.match(chunk.text, /final: let us look at the plan/);
  assert.equal(chunk.participant, 'e5f6a7b8');
  assert.equal(first.find((e) => e.type === 'audio.mute.changed').participant, 'a1b2c3d4'); // the local user, from videoConferenceJoined

  await page.selectOption(tid('filter-type'), 'audio.mute.changed');
  assert.equal((await timeline(page)).length, 2);
  await page.selectOption(tid('filter-type'), '');
  await page.selectOption(tid('filter-participant'), 'e5f6a7b8');
  assert.deepEqual((await timeline(page)).map((e) => e.type),
    ['participant.joined', 'dominant.speaker.changed', 'message.received', 'transcription.chunk.received', 'participant.hand.changed']);
  assert.match(await page.textContent(tid('timeline-status')), /^5 of 11 events$/);
  await env.checkPage('meeting');

  // Close the tab mid-meeting: the tail happens during unload, fewer than flushAt events, before the 2 s timer.
  await page.evaluate((tail) => {
    window.__tail = tail;
  }, FIXTURE.tail);
  await page.close({ runBeforeUnload: true });

  // The next load of the app in this browser replays the stored remainder once its wallet is unlocked
  // (a new page starts locked: the events wait, nothing is lost). The old link form leads to the same page.
  const again = await context.newPage();
  again.on('pageerror', (e) => pageErrors.push(String(e)));
  // This page starts with a wallet Worker of its own. With the shared one it would depend on the browser whether
  // the closed tab's SharedWorker is still alive when this page connects: if it is, the page adopts the unlocked
  // wallet and sends the tail at once (by design: docs/wallet.md#sharing-one-unlocked-wallet-between-tabs).
  await again.addInitScript(() => {
    delete window.SharedWorker;
  });
  await again.goto(`${env.app.url}meeting.html?meeting=${MEETING}&room=${ROOM}&kdf=interactive`);
  await again.waitForSelector('body[data-ready="true"]');
  assert.equal(new URL(again.url()).hash, `#/meeting/${MEETING}?room=${ROOM}`);
  assert.equal(new URL(again.url()).search, '?kdf=interactive');
  assert.equal(await again.locator('#identity').getAttribute('data-state'), 'locked');
  await waitForTotal(again, 11);
  await again.waitForFunction(() => Boolean(window.__conveneMeeting?.batcher));
  assert.equal(await again.evaluate(() => window.__conveneMeeting.batcher.ready), 2, 'the two tail events were adopted from storage');
  assert.equal(await again.evaluate(() => window.__conveneMeeting.batcher.pending), 2);
  await again.fill(tid('wallet-passphrase'), PASSPHRASE);
  await again.click(tid('wallet-unlock'));
  await again.waitForSelector('#identity[data-state="unlocked"]', { timeout: 60_000 });
  await waitForTotal(again, 13);
  const all = await timeline(again);
  assert.deepEqual(all.slice(-2).map((e) => e.type), ['participant.left', 'conference.left']);
  assert.equal(all.filter((e) => e.type === 'conference.left').length, 1, "Jitsi's second videoConferenceLeft is dropped");
  assert.equal(new Set(all.map((e) => e.eventId)).size, all.length, 'the timeline is deduplicated by eventId');
  assert.equal(await again.evaluate(() => window.__conveneMeeting.batcher.pending), 0);
  assert.deepEqual(pageErrors, []);
});

test('meeting page offline: the Jitsi script cannot load, the page says so and offers to try again', { timeout: 120_000 }, async () => {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'UTC', viewport: { width: 390, height: 844 } }); // no stand-in
    const page = await context.newPage();
    await open(page, `/meeting/${MEETING}?room=${ROOM}`);
    await page.waitForSelector(`${tid('jitsi-status')}[data-offline="true"]`, { timeout: 20_000 });
    assert.match(await page.textContent(tid('jitsi-status')), /could not be loaded from http:\/\/127\.0\.0\.1:9\/external_api\.js/);
    assert.match(await page.textContent(tid('capture-status')), /No events are captured/);
    assert.equal(await page.getByText('Connecting to Jitsi').count(), 0, 'no spinner left');
    await page.waitForSelector(tid('jitsi-retry'));
    env.axe.push({ ...(await runAxe(page, 'meeting/offline at 390 px')), width: 390 });
    await page.screenshot({ path: new URL('../../build/e2e-meeting-offline-390.png', import.meta.url).pathname, fullPage: true });
    env.shots.push('e2e-meeting-offline-390.png');
    await page.click(tid('jitsi-retry'));
    await page.waitForSelector(`${tid('jitsi-status')}[data-offline="true"]`, { timeout: 20_000 });
    await context.close();
  } finally {
    await browser.close();
  }
});
