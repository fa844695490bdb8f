// Browser end-to-end test of the reference app (web/): the whole gathering and session flow,
// driven through the UI in headless Debian Chromium (playwright-core), against the local Arkiv node.
//
// How it serves the app (tests/e2e/harness.js): `vite build` (the web/ config) into a temp folder, then
// web/server.js serves it on a free port and answers /config.json with the node's URL (the app's runtime
// config, which wins over the build-time VITE_ARKIV_RPC_URL). The node is startArkivNode on port 0 with a temp state file.
// Run: node --test tests/e2e/   (needs npm/dist from `scripts/build.sh wasm` and /usr/bin/chromium)
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { MIN, useApp } from './harness.js';

const env = useApp({ screenshot: 'e2e-app.png' });
let page, consoleErrors, app, tid, textOf, waitText, until, localInput, idle, actAs, createWallet, walletState;

// ---- helpers -------------------------------------------------------------------------------

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
  ({ page, consoleErrors, app, tid, textOf, waitText, until, localInput, idle, actAs, createWallet, walletState } = env);
  const t0 = Date.now();
  await page.goto(app.url);
  await page.waitForSelector('body[data-ready="true"]');
  await waitText('node reachable', page.locator(tid('node-chain')), 'chain 1337');
  // Two wallets made through the UI (keys made and sealed in WASM, keystores in IndexedDB).
  assert.equal(await page.locator(tid('dev-key-notice')).count(), 0, 'no development keys any more');
  await page.waitForSelector(tid('no-wallet'));
  assert.equal(await page.locator(tid('gathering-create')).isDisabled(), true, 'no wallet: writes disabled');
  const alice = await createWallet('Alice', 'correct horse battery staple');
  const bob = await createWallet('Bob', 'Bob’s passphrase, long enough');
  assert.notEqual(alice, bob);
  assert.deepEqual(await page.locator(`${tid('identity-select')} option`).allTextContents(), [`Alice (${alice.slice(0, 6)}…${alice.slice(-4)})`, `Bob (${bob.slice(0, 6)}…${bob.slice(-4)})`].sort());
  // Lock: write actions are disabled and say why; a wrong passphrase is refused by the core.
  await page.click(tid('wallet-lock'));
  await until('locked', walletState, (s) => s === 'locked');
  assert.equal(await page.locator(tid('gathering-create')).isDisabled(), true);
  assert.match(await page.locator(tid('gathering-create')).getAttribute('title'), /Locked: unlock Bob's wallet/);
  assert.match(await textOf(page.locator(tid('wallet-locked-notice'))), /Locked by you: write actions are disabled/);
  await page.fill(tid('wallet-passphrase'), 'not the passphrase');
  await page.click(tid('wallet-unlock'));
  await waitText('wrong passphrase refused', page.locator(tid('error-code')), 'BAD_PASSPHRASE', 60_000);
  assert.equal(await walletState(), 'locked');

  // Wallet A creates a gathering; its Jitsi room exists at once (switching unlocks A with its passphrase).
  await actAs('Alice');
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
  // ...and the meeting page (Jitsi IFrame API + event capture) for the same room.
  const meetingHref = new URL(await gathering.locator(tid('gathering-meeting')).getAttribute('href'));
  assert.equal(meetingHref.pathname.split('/').pop(), 'meeting.html');
  assert.equal(meetingHref.searchParams.get('room'), gatheringUrl.split('/').pop());
  assert.match(meetingHref.searchParams.get('meeting'), /^0x[0-9a-f]{64}$/);
  assert.equal(await textOf(gathering.locator(tid('rsvp-count'))), '0');
  // The community filter lists it under its slug.
  await page.selectOption(tid('community-filter'), 'rust-berlin');
  await waitText('filtered list', page.locator(tid('gatherings-state')), /^1 upcoming/);

  // Wallet B RSVPs: count 1, a second RSVP is not possible.
  await actAs('Bob');
  await gathering.locator(tid('rsvp')).click();
  await waitText('RSVP count', gathering.locator(tid('rsvp-count')), '1');
  await waitText('own RSVP status', gathering.locator(tid('my-rsvp-status')), 'you: scheduled');
  assert.equal(await gathering.locator(tid('rsvp')).isDisabled(), true, 'second RSVP button is disabled');
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  await waitText('RSVP count after reload', gathering.locator(tid('rsvp-count')), '1');
  assert.equal(await gathering.locator(tid('rsvp')).isDisabled(), true, 'still disabled after reload');
  // A reload keeps the keystores (IndexedDB) but not the unlocked key: B is selected and locked.
  await until('locked after reload', walletState, (s) => s === 'locked');
  assert.match(await textOf(page.locator(`${tid('identity-select')} option:checked`)), /^Bob \(/);
  await actAs('Bob');

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
  const sessionMeeting = new URL(await card.locator(tid('session-meeting')).getAttribute('href'));
  assert.deepEqual([sessionMeeting.searchParams.get('meeting'), sessionMeeting.searchParams.get('room')], [key, room]);
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
  // Auto-lock: a short delay, no activity -> locked, write actions disabled.
  await page.fill(tid('wallet-idle-minutes'), '0.05');
  await page.click(tid('wallet-idle-set'));
  await until('auto-locked after 3 s idle', walletState, (s) => s === 'locked', 15_000);
  assert.match(await textOf(page.locator(tid('wallet-locked-notice'))), /Locked after inactivity/);
  assert.equal(await page.locator(tid('gathering-create')).isDisabled(), true);
  // Leave a calm page for the screenshot: the last action's message, not the error from earlier.
  await idle();
  const unexpected = consoleErrors.filter((e) => !/config\.json|favicon/.test(e));
  assert.deepEqual(unexpected, [], 'no page errors');
});
