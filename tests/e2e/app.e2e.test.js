// Browser end-to-end test of the reference app (web/): the whole gathering and session flow,
// driven through the UI in headless Debian Chromium (playwright-core), against the local Arkiv node.
//
// How it serves the app: `vite build` (the web/ config) into a temp folder, then web/server.js serves
// it on a free port and answers /config.json with the node's URL (the app's runtime config, which
// wins over the build-time VITE_ARKIV_RPC_URL). The node is startArkivNode on port 0 with a temp state file.
// Run: node --test tests/e2e/   (needs npm/dist from `scripts/build.sh wasm` and /usr/bin/chromium)
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
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
const SCREENSHOT = path.join(ROOT, 'build', 'e2e-app.png');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const MIN = 60_000;

let tmp, node, app, context, page;
const consoleErrors = [];

before(async () => {
  assert.ok(fs.existsSync(path.join(ROOT, 'npm/dist/convene.wasm')), 'npm/dist/convene.wasm is missing: run scripts/build.sh wasm');
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium (scripts/bootstrap.sh)`);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-e2e-'));
  const outDir = path.join(tmp, 'dist');
  await build({ configFile: path.join(ROOT, 'web/vite.config.js'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  node = await startArkivNode({ port: 0, statePath: path.join(tmp, 'state.json'), blockTimeMs: 2000 });
  app = await serveApp({ root: outDir, port: 0, config: { arkivRpcUrl: node.url } });
  context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timezoneId: 'UTC',
    locale: 'en-GB',
    viewport: { width: 1280, height: 1000 },
  });
  page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(20_000);
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
});

after(async () => {
  try {
    if (page) {
      fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true }).catch(() => {});
    }
  } finally {
    await context?.close().catch(() => {});
    await app?.close().catch(() => {});
    await node?.close().catch(() => {});
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
});

// ---- helpers -------------------------------------------------------------------------------

const tid = (id) => `[data-testid="${id}"]`;

/** Polls `read` until `ok(value)`; fails with the last value seen. */
async function until(what, read, ok, timeout = 20_000) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await read();
      if (ok(last)) return last;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) assert.fail(`${what}: timed out, last value ${JSON.stringify(String(last))}; page errors: ${consoleErrors.join(' | ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const textOf = (locator) => locator.textContent({ timeout: 2000 }).then((t) => (t ?? '').trim());
const waitText = (what, locator, expected, timeout) =>
  until(what, () => textOf(locator), (t) => (expected instanceof RegExp ? expected.test(t) : t === expected), timeout);

/** `datetime-local` value for epoch ms (the browser context runs in UTC). */
const localInput = (ms) => new Date(ms).toISOString().slice(0, 16);

/** Waits until no action is running (body[data-busy] back to 0). */
const idle = () => page.waitForFunction(() => !Number(document.body.dataset.busy || 0));

async function actAs(label) {
  const select = page.locator(tid('identity-select'));
  const value = await select.locator('option', { hasText: label }).getAttribute('value');
  await select.selectOption(value);
  await waitText(`active identity ${label}`, page.locator(tid('active-address')), value);
  // Both panels have been re-read from the node for this identity.
  await page.waitForSelector(`#gatherings[data-viewer="${value}"]`, { state: 'attached' });
  await page.waitForSelector(`#sessions[data-viewer="${value}"]`, { state: 'attached' });
  await idle();
  return value;
}

const gatheringCard = (title) => page.locator(tid('gathering')).filter({ hasText: title });
const sessionCard = (skill) => page.locator(tid('session')).filter({ has: page.locator(tid('session-skill-text'), { hasText: skill }) });
const statusOf = (skill) => sessionCard(skill).locator(tid('session-status'));

async function requestSession({ skill, startMs, minutes }) {
  await page.fill(tid('session-skill'), skill);
  await page.fill(tid('session-date'), localInput(startMs));
  await page.fill(tid('session-duration'), String(minutes));
  await page.click(tid('session-request'));
  await waitText(`session ${skill} listed`, statusOf(skill), 'pending');
}

// ---- the flow ------------------------------------------------------------------------------

test('gathering and session flow through the UI', { timeout: 2 * MIN }, async () => {
  const t0 = Date.now();
  await page.goto(app.url);
  await page.waitForSelector('body[data-ready="true"]');
  await waitText('node reachable', page.locator(tid('node-chain')), 'chain 1337');
  assert.equal(await textOf(page.locator(tid('dev-key-notice'))), 'development key — not a wallet');
  const options = await page.locator(`${tid('identity-select')} option`).allTextContents();
  assert.ok(options.length >= 2, `at least two development identities, got ${options}`);

  // Identity A creates a gathering; its Jitsi room exists at once.
  const alice = await actAs('Alice');
  const title = 'E2E Rust meetup';
  // A bad date first: the core's error code and message are shown, nothing is written.
  await page.fill(tid('gathering-title'), title);
  await page.fill(tid('gathering-community'), 'Rust Berlin');
  await page.fill(tid('gathering-date'), localInput(t0 - 24 * 3600_000));
  await page.click(tid('gathering-create'));
  await waitText('past gathering refused', page.locator(tid('error-code')), 'SESSION_ENDED');
  assert.match(await textOf(page.locator(tid('error-message'))), /sessionDate/);
  await page.fill(tid('gathering-date'), localInput(t0 + 3 * 3600_000));
  await page.fill(tid('gathering-description'), 'Written by the browser e2e test');
  await page.click(tid('gathering-create'));
  const gathering = gatheringCard(title);
  await gathering.waitFor();
  assert.equal(await textOf(gathering.locator(tid('gathering-community-slug'))), 'rust-berlin');
  const gatheringUrl = await gathering.locator(tid('gathering-join')).getAttribute('href');
  assert.match(gatheringUrl, /^https:\/\/meet\.jit\.si\/gathering-[0-9a-f]{32}$/);
  assert.equal(await textOf(gathering.locator(tid('rsvp-count'))), '0');
  // The community filter lists it under its slug.
  await page.selectOption(tid('community-filter'), 'rust-berlin');
  await waitText('filtered list', page.locator(tid('gatherings-state')), /^1 upcoming/);

  // Identity B RSVPs: count 1, a second RSVP is not possible.
  const bob = await actAs('Bob');
  assert.notEqual(alice, bob);
  await gathering.locator(tid('rsvp')).click();
  await waitText('RSVP count', gathering.locator(tid('rsvp-count')), '1');
  await waitText('own RSVP status', gathering.locator(tid('my-rsvp-status')), 'you: scheduled');
  assert.equal(await gathering.locator(tid('rsvp')).isDisabled(), true, 'second RSVP button is disabled');
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  await waitText('RSVP count after reload', gathering.locator(tid('rsvp-count')), '1');
  assert.equal(await gathering.locator(tid('rsvp')).isDisabled(), true, 'still disabled after reload');

  // B requests sessions from A. A form with no date shows the core's INVALID_DATE.
  await page.fill(tid('session-skill'), 'No date');
  await page.fill(tid('session-date'), '');
  await page.click(tid('session-request'));
  await waitText('empty date refused', page.locator(tid('error-code')), 'INVALID_DATE');
  const now = Date.now();
  await requestSession({ skill: 'Rust lifetimes', startMs: now + 10 * MIN, minutes: 30 });
  await requestSession({ skill: 'Decline me', startMs: now + 20 * MIN, minutes: 30 });
  await requestSession({ skill: 'Ghost session', startMs: now + 5 * MIN, minutes: 30 });

  // A sees them pending, confirms one and declines another.
  await actAs('Alice');
  await waitText('A sees pending', statusOf('Rust lifetimes'), 'pending');
  await sessionCard('Rust lifetimes').locator(tid('session-confirm')).click();
  await waitText('mentor confirmed', sessionCard('Rust lifetimes').locator(tid('session-evidence')), /^mentor ✓ · learner ○/);
  assert.equal(await textOf(statusOf('Rust lifetimes')), 'pending');
  assert.equal(await sessionCard('Rust lifetimes').locator(tid('session-join')).count(), 0, 'no join link before both confirmed');
  await sessionCard('Decline me').locator(tid('session-decline')).click();
  await waitText('declined', statusOf('Decline me'), 'cancelled');
  assert.match(await textOf(sessionCard('Decline me').locator(tid('session-evidence'))), /declined by Alice/);

  // B confirms: the pair is complete, session_jitsi is written, the join link appears.
  await actAs('Bob');
  await sessionCard('Rust lifetimes').locator(tid('session-confirm')).click();
  await waitText('scheduled', statusOf('Rust lifetimes'), 'scheduled');
  const card = sessionCard('Rust lifetimes');
  const key = await card.getAttribute('data-key');
  assert.match(key, /^0x[0-9a-f]{64}$/);
  const room = await textOf(card.locator(tid('session-room')));
  assert.match(room, /^mg-0x[0-9a-f]{64}-[0-9a-f]{16}$/);
  assert.equal(room, `mg-${key}-${createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 16)}`);
  assert.equal(await card.locator(tid('session-join')).getAttribute('href'), `https://meet.jit.si/${room}`);
  assert.equal(await card.locator(tid('session-confirm')).count(), 0);
  assert.equal(await textOf(statusOf('Ghost session')), 'pending');

  // A sees the same link.
  await actAs('Alice');
  await waitText('A sees scheduled', statusOf('Rust lifetimes'), 'scheduled');
  assert.equal(await textOf(sessionCard('Rust lifetimes').locator(tid('session-room'))), room);

  // Moving the app's clock: +15 min -> in-progress (started at +10), the unconfirmed one expired.
  await page.click(tid('clock-plus-15m'));
  await waitText('clock offset', page.locator(tid('clock-offset')), '+15m');
  await waitText('in-progress', statusOf('Rust lifetimes'), 'in-progress');
  await waitText('expired', statusOf('Ghost session'), 'expired');
  assert.equal(await textOf(statusOf('Decline me')), 'cancelled');
  // +1 h more -> completed.
  await page.click(tid('clock-plus-1h'));
  await waitText('completed', statusOf('Rust lifetimes'), 'completed');
  assert.equal(await textOf(statusOf('Ghost session')), 'expired');
  assert.equal(await textOf(statusOf('Decline me')), 'cancelled');
  // The gathering (3 h ahead) is still upcoming with its one attendee.
  await waitText('gathering still listed', gathering.locator(tid('rsvp-count')), '1');
  // Leave a calm page for the screenshot: the last action's message, not the error from earlier.
  await idle();
  const unexpected = consoleErrors.filter((e) => !/config\.json|favicon/.test(e));
  assert.deepEqual(unexpected, [], 'no page errors');
});
