// Browser end-to-end test of the meeting page (web/meeting.html): a stand-in JitsiMeetExternalAPI
// replays a meeting's IFrame API events (tests/e2e/fixtures/jitsi-meeting-events.json); the page
// captures them with core.events into the Arkiv sink on a local node and shows the timeline read
// back from Arkiv (filters by type and participant). Then the tail of the meeting happens as the tab
// closes: what is left is stored on pagehide and the next load sends it once the wallet that signs
// the entities is unlocked. A second context without
// the stand-in checks that the page says so when the Jitsi script cannot load.
// Run: node --test tests/e2e/meeting.e2e.test.js (needs npm/dist and /usr/bin/chromium)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { startArkivNode } from '../../tools/arkiv-node/src/index.js';
import { serveApp } from '../../web/server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const FIXTURE = JSON.parse(fs.readFileSync(new URL('./fixtures/jitsi-meeting-events.json', import.meta.url), 'utf8'));
const MEETING = 'mtg-e2e-0001';
const ROOM = 'mg-e2e-room';

let tmp, node, app, browser;
const pageErrors = [];

before(async () => {
  assert.ok(fs.existsSync(path.join(ROOT, 'npm/dist/convene.wasm')), 'npm/dist/convene.wasm is missing: run scripts/build.sh wasm');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-meeting-e2e-'));
  const outDir = path.join(tmp, 'dist');
  // The app's vite config builds index.html; the meeting page is a second input.
  await build({
    configFile: path.join(ROOT, 'web/vite.config.js'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  node = await startArkivNode({ port: 0, statePath: path.join(tmp, 'state.json'), blockTimeMs: 500 });
  // jitsiBaseUrl points at a closed port: only the stand-in (injected below) can provide the API.
  app = await serveApp({ root: outDir, port: 0, config: { arkivRpcUrl: node.url, jitsiBaseUrl: 'http://127.0.0.1:9' } });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close().catch(() => {});
  await app?.close().catch(() => {});
  await node?.close().catch(() => {});
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

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

// ?kdf=interactive: the app's visible test setting for cheap Argon2id (wallets made through the UI).
const url = () => new URL(`meeting.html?meeting=${MEETING}&room=${ROOM}&kdf=interactive`, app.url).href;
const PASSPHRASE = 'correct horse battery staple';
const tid = (id) => `[data-testid="${id}"]`;

async function open(context) {
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(url());
  await page.waitForSelector('body[data-ready="true"]');
  return page;
}

async function waitForTotal(page, total) {
  await page.waitForFunction((n) => document.querySelector('[data-testid="timeline-status"]')?.dataset.total === String(n), total, { timeout: 40_000, polling: 500 });
}

const walletState = (page) => page.locator('#identity').getAttribute('data-state');

/** Creates a wallet through the wallet bar (made and sealed in WASM); it is then active and unlocked. */
async function createWallet(page, label) {
  if (await page.locator(tid('wallet-new')).count()) await page.click(tid('wallet-new'));
  await page.fill(tid('wallet-new-name'), label);
  await page.fill(tid('wallet-new-passphrase'), PASSPHRASE);
  await page.fill(tid('wallet-new-confirm'), PASSPHRASE);
  await page.click(tid('wallet-create'));
  await page.waitForSelector('#identity[data-state="unlocked"]', { timeout: 60_000 });
}

async function unlock(page) {
  await page.fill(tid('wallet-passphrase'), PASSPHRASE);
  await page.click(tid('wallet-unlock'));
  await page.waitForSelector('#identity[data-state="unlocked"]', { timeout: 60_000 });
}

const timeline = (page) => page.$$eval('[data-testid="timeline-event"]', (els) => els.map((e) => ({ type: e.dataset.type, participant: e.dataset.participant, eventId: e.dataset.eventId, text: e.textContent })));

test('meeting page: captured Jitsi events land on Arkiv and read back as a filterable timeline; closing the tab keeps the rest', { timeout: 180_000 }, async () => {
  const context = await browser.newContext();
  await context.addInitScript(installStandIn);
  const page = await open(context);
  await createWallet(page, 'Alice');
  assert.match(await page.textContent(tid('jitsi')), /stand-in for https:\/\/127\.0\.0\.1:9\/mg-e2e-room/);
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

  // Close the tab mid-meeting: the tail happens during unload, fewer than flushAt events, before the 2 s timer.
  await page.evaluate((tail) => {
    window.__tail = tail;
  }, FIXTURE.tail);
  await page.close({ runBeforeUnload: true });

  // The next load of the app in this browser replays the stored remainder once its wallet is unlocked
  // (a new page starts locked: the events wait, nothing is lost).
  const again = await open(context);
  assert.equal(await walletState(again), 'locked');
  await waitForTotal(again, 11);
  assert.equal(await again.evaluate(() => window.__conveneMeeting.batcher.ready), 2, 'the two tail events were adopted from storage');
  assert.equal(await again.evaluate(() => window.__conveneMeeting.batcher.pending), 2);
  await unlock(again);
  await waitForTotal(again, 13);
  const all = await timeline(again);
  assert.deepEqual(all.slice(-2).map((e) => e.type), ['participant.left', 'conference.left']);
  assert.equal(all.filter((e) => e.type === 'conference.left').length, 1, "Jitsi's second videoConferenceLeft is dropped");
  assert.equal(new Set(all.map((e) => e.eventId)).size, all.length, 'the timeline is deduplicated by eventId');
  assert.equal(await again.evaluate(() => window.__conveneMeeting.batcher.pending), 0);
  await context.close();
  assert.deepEqual(pageErrors, []);
});

test('meeting page offline: the Jitsi script cannot load and the page says so', async () => {
  const context = await browser.newContext(); // no stand-in
  const page = await open(context);
  const status = await page.textContent(tid('jitsi-status'));
  assert.match(status, /could not be loaded from http:\/\/127\.0\.0\.1:9\/external_api\.js/);
  assert.equal(await page.getAttribute(tid('jitsi-status'), 'data-offline'), 'true');
  assert.match(await page.textContent(tid('capture-status')), /No events are captured/);
  await context.close();
});
