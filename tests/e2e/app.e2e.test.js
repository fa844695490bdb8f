// Browser end-to-end test of the reference app (web/) at 1280 px: the first-run guide and the wallet
// checks, gatherings (inline errors, a page per gathering, RSVP, a confirmed cancel, happening now and
// past through the app clock), 1:1 sessions (inline errors, the requester's own confirmation, withdraw
// vs decline, a confirmed withdrawal, filters, statuses through the app clock) and auto-lock; every
// page checked with axe-core and photographed at 1280 and 390 px (tests/e2e/harness.js).
// Run: node --test --test-concurrency=1 tests/e2e/   (needs npm/dist from `scripts/build.sh wasm` and /usr/bin/chromium)
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { MIN, useApp } from './harness.js';

const env = useApp({ suite: 'app' });
let page, tid, textOf, waitText, until, localInput, idle, ready, go, fieldError, actAs, createWallet, fillWalletForm, walletState, setClock, advanceClock, checkPage;
const s = {}; // shared between the tests (they run in order)

const sessionCard = (skill) => page.locator(tid('session')).filter({ has: page.locator(tid('session-skill-text'), { hasText: skill }) });
const statusOf = (skill) => sessionCard(skill).locator(tid('session-status'));
const gatheringCard = (title) => page.locator(tid('gathering')).filter({ has: page.locator(tid('gathering-name'), { hasText: title }) });
const codeOf = (locator) => locator.getAttribute('data-code');
const hash = () => page.evaluate(() => window.location.hash);

/** Records #identity's data-state changes, to show that no key derivation (state "busy") ran. */
async function watchWalletStates() {
  await page.evaluate(() => {
    window.__seen = [];
    window.__seenObserver?.disconnect();
    window.__seenObserver = new MutationObserver(() => window.__seen.push(document.getElementById('identity')?.dataset.state));
    window.__seenObserver.observe(document.body, { attributes: true, subtree: true, attributeFilter: ['data-state'] });
  });
}
const sawBusy = () => page.evaluate(() => window.__seen.includes('busy'));

async function requestSession({ skill, startMs, minutes = 30 }) {
  await go('/sessions/new', 'session-new');
  await page.fill(tid('session-skill'), skill);
  await page.fill(tid('session-date'), localInput(startMs));
  await page.fill(tid('session-duration'), String(minutes));
  await page.click(tid('session-request'));
  await ready('session');
  await waitText(`${skill}: requested`, page.locator(tid('requested')), /with your own confirmation/);
  return page.locator(tid('session')).getAttribute('data-key');
}

test('first run: the guide starts with a wallet; names, passphrases and lock are checked before any key derivation', { timeout: 3 * MIN }, async () => {
  ({ page, tid, textOf, waitText, until, localInput, idle, ready, go, fieldError, actAs, createWallet, fillWalletForm, walletState, setClock, advanceClock, checkPage } = env);
  await page.goto(env.app.url);
  await page.waitForSelector('body[data-ready="true"]');
  await ready('welcome');
  assert.equal(await hash(), '#/welcome', 'without a wallet the app opens on the guide');
  await waitText('node reachable', page.locator(tid('node-chain')), 'chain 1337');
  await page.waitForSelector(tid('no-wallet'));
  assert.equal(await page.locator(`${tid('guide-wallet')} ${tid('wallet-new-form')}`).count(), 1, 'step 1 of the guide is the wallet form');
  await checkPage('welcome');

  // An empty passphrase is refused at once (no Argon2id run: the wallet bar never shows "busy").
  await watchWalletStates();
  await fillWalletForm('Alice', '', '');
  await waitText('empty passphrase', fieldError('passphrase'), 'Enter a passphrase.');
  assert.equal(await codeOf(fieldError('passphrase')), 'EMPTY_PASSPHRASE');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'wallet-new-passphrase', 'the focus moves to the field');
  // Two different passphrases: named at the repeat field.
  await fillWalletForm('Alice', 'correct horse battery staple', 'correct horse battery stapler');
  await waitText('mismatch', fieldError('confirm'), /differ/);
  assert.equal(await codeOf(fieldError('confirm')), 'PASSPHRASE_MISMATCH');
  assert.equal(await sawBusy(), false, 'no key derivation ran');

  s.alice = await createWallet('Alice', 'correct horse battery staple');
  await waitText('guide step done', page.locator(tid('guide-wallet')), /Create your wallet ✓/);
  // A second wallet called "alice " is refused at once.
  await go('/wallets', 'wallets');
  await watchWalletStates();
  await fillWalletForm('alice ', 'another passphrase');
  await waitText('name taken', fieldError('name'), /A wallet called “Alice” already exists/);
  assert.equal(await codeOf(fieldError('name')), 'NAME_TAKEN');
  assert.equal(await sawBusy(), false);
  s.bob = await createWallet('Bob', 'Bob’s passphrase, long enough');
  assert.notEqual(s.alice, s.bob);
  assert.deepEqual(await page.locator(`${tid('identity-select')} option`).allTextContents(), [`Alice (${s.alice.slice(0, 6)}…${s.alice.slice(-4)})`, `Bob (${s.bob.slice(0, 6)}…${s.bob.slice(-4)})`]);
  assert.equal(await page.locator(tid('wallet-row')).count(), 2);
  await checkPage('wallets');

  // Lock: writing is off, the create button and a visible hint say why.
  await page.click(tid('wallet-lock'));
  await until('locked', walletState, (st) => st === 'locked');
  assert.match(await textOf(page.locator(tid('wallet-locked-notice'))), /Locked by you: writing is off/);
  await go('/gatherings/new', 'gathering-new');
  assert.equal(await page.locator(tid('gathering-create')).isDisabled(), true);
  assert.match(await page.locator(tid('gathering-create')).getAttribute('title'), /Locked: unlock Bob's wallet/);
  assert.match(await textOf(page.locator(tid('locked-hint'))), /Bob’s wallet is locked: unlock it/);
  // Unlock with nothing typed: refused at once; with a wrong passphrase: the core's BAD_PASSPHRASE, in words, at the field.
  await watchWalletStates();
  await page.click(tid('wallet-unlock'));
  await waitText('empty unlock', fieldError('passphrase'), 'Enter a passphrase.');
  assert.equal(await sawBusy(), false, 'no Argon2id run for an empty passphrase');
  await page.fill(tid('wallet-passphrase'), 'not the passphrase');
  await page.click(tid('wallet-unlock'));
  await waitText('wrong passphrase refused', fieldError('passphrase'), /does not unlock this wallet/, 60_000);
  assert.equal(await codeOf(fieldError('passphrase')), 'BAD_PASSPHRASE');
  assert.equal(await walletState(), 'locked');
});

test('gatherings: inline errors, a page with its own URL, RSVP, a cancel that says how many RSVPd', { timeout: 3 * MIN }, async () => {
  s.t0 = Date.now();
  await actAs('Alice');
  await go('/gatherings/new', 'gathering-new');
  await checkPage('gathering-new');
  // Each refusal is named at its field, in words (the core's first complaint); the focus moves there.
  const title = 'E2E Rust meetup';
  await page.fill(tid('gathering-title'), title);
  await page.click(tid('gathering-create'));
  await waitText('community required', fieldError('community'), 'Please fill in the community.');
  assert.equal(await codeOf(fieldError('community')), 'MISSING_FIELD');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'gathering-community');
  assert.equal(await page.locator(tid('gathering-community')).getAttribute('aria-invalid'), 'true');
  await page.fill(tid('gathering-community'), '!!!');
  await page.click(tid('gathering-create'));
  await waitText('community needs letters', fieldError('community'), /at least one letter or digit/);
  assert.equal(await codeOf(fieldError('community')), 'INVALID_INPUT');
  await page.fill(tid('gathering-community'), 'Rust BERLIN');
  await page.fill(tid('gathering-title'), '');
  await page.click(tid('gathering-create'));
  await waitText('title required', fieldError('title'), 'Please fill in the title.');
  assert.equal(await fieldError('community').count(), 0, 'the fixed field is no longer marked');
  await page.fill(tid('gathering-title'), title);
  await page.fill(tid('gathering-date'), localInput(s.t0 - 24 * 3600_000));
  await page.click(tid('gathering-create'));
  await waitText('past gathering refused', fieldError('sessionDate'), /already over/);
  assert.equal(await codeOf(fieldError('sessionDate')), 'SESSION_ENDED');
  await page.fill(tid('gathering-date'), localInput(s.t0 + 3 * 3600_000));
  await page.fill(tid('gathering-description'), 'Written by the browser e2e test');
  await page.click(tid('gathering-create'));

  // The new gathering's own page (its URL can be shared), with the success in place.
  await ready('gathering');
  await page.waitForSelector(tid('created'));
  assert.match(await hash(), /^#\/gatherings\/0x[0-9a-f]{64}$/);
  s.gatheringUrl = page.url();
  s.gatheringKey = await page.locator(tid('gathering-page')).getAttribute('data-key');
  assert.equal(await textOf(page.locator(tid('page-title'))), title);
  assert.equal(await textOf(page.locator(tid('gathering-community'))), 'Rust BERLIN', 'the name as typed, not one made from the slug');
  assert.match(await textOf(page.locator(tid('gathering-when'))), /^[A-Z][a-z]{2},? \d{1,2} [A-Z][a-z]{2}( \d{4})?, \d\d:\d\d UTC$/);
  const join = await page.locator(tid('gathering-join')).getAttribute('href');
  assert.match(join, /^https:\/\/meet\.jit\.si\/gathering-[0-9a-f]{32}$/);
  const meeting = await page.locator(tid('gathering-meeting')).getAttribute('href');
  assert.equal(meeting, `#/meeting/${s.gatheringKey}?room=${join.split('/').pop()}`);
  assert.equal(await textOf(page.locator(tid('rsvp-count'))), '0');
  // Keys and signers behind "Details".
  assert.equal(await page.locator(tid('detail-key')).isVisible(), false);
  await page.locator(`${tid('gathering-details')} summary`).click();
  assert.equal(await textOf(page.locator(tid('detail-key'))), s.gatheringKey);
  assert.equal(await textOf(page.locator(tid('detail-signer'))), s.alice);
  await checkPage('gathering');

  // The list, filtered by community (the slug stays in the URL; the name is shown).
  await page.click(tid('nav-gatherings'));
  await ready('gatherings');
  await gatheringCard(title).waitFor();
  await page.selectOption(tid('community-filter'), 'rust-berlin');
  await waitText('filtered list', page.locator(tid('gatherings-state')), '1 upcoming in Rust Berlin');
  assert.match(await hash(), /\?community=rust-berlin$/);
  await checkPage('gatherings');

  // A second gathering, to be cancelled after an RSVP.
  await go('/gatherings/new', 'gathering-new');
  await page.fill(tid('gathering-title'), 'Cancel me');
  await page.fill(tid('gathering-community'), 'Rust Berlin');
  await page.fill(tid('gathering-date'), localInput(s.t0 + 5 * 3600_000));
  await page.click(tid('gathering-create'));
  await ready('gathering');
  s.cancelKey = await page.locator(tid('gathering-page')).getAttribute('data-key');

  // Bob RSVPs to both (from the shared link): counts 1, a second RSVP is not possible.
  await actAs('Bob');
  await page.goto(s.gatheringUrl); // the shared link, then a reload: the keystores stay, the key does not
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  await until('locked after reload', walletState, (st) => st === 'locked');
  await actAs('Bob');
  await ready('gathering', s.bob);
  await page.click(tid('rsvp'));
  await waitText('RSVP count', page.locator(tid('rsvp-count')), '1');
  await waitText('own RSVP', page.locator(tid('my-rsvp-status')), 'You’re going');
  assert.match(await textOf(page.locator(tid('action-ok'))), /You’re going to “E2E Rust meetup”/, 'the success is shown where the button is');
  assert.equal(await page.locator(tid('rsvp')).isDisabled(), true, 'a second RSVP is not possible');
  assert.deepEqual(await page.locator(`${tid('attendees')} li`).allTextContents(), ['Bob (you)']);
  await go(`/gatherings/${s.cancelKey}`, 'gathering');
  await page.click(tid('rsvp'));
  await waitText('RSVP count', page.locator(tid('rsvp-count')), '1');

  // Alice cancels it: the dialog says how many RSVPd; "Keep it" keeps it.
  await actAs('Alice');
  await ready('gathering', s.alice);
  await page.click(tid('gathering-cancel'));
  const dialog = page.locator(tid('confirm-dialog'));
  await dialog.waitFor();
  assert.equal(await textOf(dialog.locator(tid('confirm-count'))), '1 person');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'confirm-keep', 'the safe choice has the focus');
  await checkPage('gathering-cancel-dialog');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'gathering-cancel', 'the focus returns to the button');
  await page.click(tid('gathering-cancel'));
  await page.click(tid('confirm-yes'));
  await ready('gatherings');
  await waitText('cancel notice', page.locator(tid('page-notice')), '“Cancel me” is cancelled; 1 person had RSVP’d.');
  assert.equal(await gatheringCard('Cancel me').count(), 0);
  await gatheringCard(title).waitFor();
});

test('sessions: inline errors, a request with its own confirmation, confirm, decline, withdraw', { timeout: 4 * MIN }, async () => {
  await actAs('Bob');
  await go('/sessions/new', 'session-new');
  assert.equal(await textOf(page.locator(`${tid('session-with')} option:checked`)), `Alice (${s.alice.slice(0, 6)}…${s.alice.slice(-4)})`);
  await checkPage('session-new');
  // No date: the core's INVALID_DATE, at the date. A start in the past: refused before writing.
  await page.fill(tid('session-skill'), 'No date');
  await page.fill(tid('session-date'), '');
  await page.click(tid('session-request'));
  await waitText('empty date refused', fieldError('sessionDate'), 'Pick a date and time.');
  assert.equal(await codeOf(fieldError('sessionDate')), 'INVALID_DATE');
  await page.fill(tid('session-date'), localInput(Date.now() - 10 * MIN));
  await page.click(tid('session-request'));
  await waitText('past start refused', fieldError('sessionDate'), 'A request must start in the future: pick a later time.');
  assert.equal(await codeOf(fieldError('sessionDate')), 'START_IN_PAST');
  // Someone else's address, mistyped: the core's INVALID_WALLET at the address field.
  await page.selectOption(tid('session-with'), 'other');
  await page.fill(tid('session-with-address'), '0x1234');
  await page.fill(tid('session-date'), localInput(Date.now() + 60 * MIN));
  await page.click(tid('session-request'));
  await waitText('bad address', fieldError('mentorWallet'), /is not a wallet address/);
  assert.equal(await codeOf(fieldError('mentorWallet')), 'INVALID_WALLET');
  await go('/sessions', 'sessions');
  assert.equal(await page.locator(tid('session')).count(), 0, 'nothing was written');

  const now = Date.now();
  s.sessionStart = now + 10 * MIN;
  s.rustKey = await requestSession({ skill: 'Rust lifetimes', startMs: s.sessionStart });
  // The request carries Bob's own confirmation: he is offered Withdraw, not Confirm.
  await waitText('waiting for Alice', page.locator(tid('session-status')), 'Waiting for Alice');
  assert.equal(await textOf(page.locator(tid('session-evidence'))), 'Mentor Alice: not yet ○ · Learner Bob (you): confirmed ✓');
  assert.equal(await page.locator(tid('session-confirm')).count(), 0);
  assert.equal(await page.locator(tid('session-decline')).count(), 0);
  assert.equal(await page.locator(tid('session-withdraw')).count(), 1);
  await checkPage('session');
  await requestSession({ skill: 'Decline me', startMs: now + 20 * MIN });
  await requestSession({ skill: 'Withdraw me', startMs: now + 25 * MIN });
  await requestSession({ skill: 'Confirm then withdraw', startMs: now + 30 * MIN });
  await requestSession({ skill: 'Ghost session', startMs: now + 5 * MIN });
  // Bob withdraws a pending request (no dialog: nobody relies on it yet).
  await page.click(tid('nav-sessions'));
  await ready('sessions');
  await sessionCard('Withdraw me').locator(tid('session-withdraw')).click();
  await waitText('withdrawn', statusOf('Withdraw me'), 'Withdrawn by Bob');
  assert.equal(await statusOf('Withdraw me').getAttribute('data-status'), 'cancelled');

  // Alice: asked to confirm; Confirm completes the pair at once (the room is written), Decline declines.
  await actAs('Alice');
  await ready('sessions', s.alice);
  await waitText('asks Alice', statusOf('Rust lifetimes'), 'Asks you to confirm');
  assert.equal(await textOf(sessionCard('Rust lifetimes').locator(tid('session-who'))), 'Bob asked you · you mentor');
  assert.equal(await sessionCard('Rust lifetimes').locator(tid('session-withdraw')).count(), 0);
  await sessionCard('Rust lifetimes').locator(tid('session-confirm')).click();
  await waitText('scheduled at once', statusOf('Rust lifetimes'), 'Confirmed');
  assert.equal(await sessionCard('Rust lifetimes').getAttribute('data-status'), 'scheduled');
  assert.equal(await textOf(sessionCard('Rust lifetimes').locator(tid('action-ok'))), 'Confirmed by both of you: the video room is ready.');
  await sessionCard('Decline me').locator(tid('session-decline')).click();
  await waitText('declined', statusOf('Decline me'), 'Declined by Alice');
  await sessionCard('Confirm then withdraw').locator(tid('session-confirm')).click();
  await waitText('confirmed', statusOf('Confirm then withdraw'), 'Confirmed');
  await checkPage('sessions');

  // Bob sees the room; withdrawing a confirmed session asks first, saying Alice has confirmed.
  await actAs('Bob');
  await ready('sessions', s.bob);
  const card = sessionCard('Rust lifetimes');
  await waitText('B sees confirmed', card.locator(tid('session-status')), 'Confirmed');
  const join = await card.locator(tid('session-join')).getAttribute('href');
  const room = join.split('/').pop();
  assert.equal(room, `mg-${s.rustKey}-${createHash('sha256').update(s.rustKey, 'utf8').digest('hex').slice(0, 16)}`);
  assert.equal(join, `https://meet.jit.si/${room}`);
  assert.equal(await card.locator(tid('session-meeting')).getAttribute('href'), `#/meeting/${s.rustKey}?room=${room}`);
  const cw = sessionCard('Confirm then withdraw');
  await cw.locator(tid('session-withdraw')).click();
  await page.locator(tid('confirm-dialog')).waitFor();
  assert.match(await textOf(page.locator(tid('confirm-body'))), /^Alice has confirmed this session\. Withdrawing cancels it for both of you/);
  await page.click(tid('confirm-keep'));
  await page.locator(tid('confirm-dialog')).waitFor({ state: 'detached' });
  assert.equal(await cw.getAttribute('data-status'), 'scheduled', 'kept');
  await cw.locator(tid('session-withdraw')).click();
  await page.click(tid('confirm-yes'));
  await waitText('withdrawn after confirm', cw.locator(tid('session-status')), 'Withdrawn by Bob');

  // Declined and withdrawn ones are past; filters narrow a tab and stay in the URL.
  await page.click(tid('tab-past'));
  await ready('sessions');
  await page.selectOption(tid('filter-status'), 'cancelled');
  await until('cancelled only', () => page.locator(tid('session-skill-text')).allTextContents(), (t) => t.join() === 'Confirm then withdraw,Withdraw me,Decline me');
  assert.match(await hash(), /^#\/sessions\/past\?status=cancelled$/);
  await page.click(tid('tab-upcoming'));
  await ready('sessions');
  await page.selectOption(tid('filter-status'), 'waiting-them');
  await until('waiting for Alice', () => page.locator(tid('session-skill-text')).allTextContents(), (t) => t.join() === 'Ghost session');
  await page.selectOption(tid('filter-status'), '');
  await page.selectOption(tid('filter-role'), 'mentor');
  await waitText('none as mentor', page.locator(tid('sessions-empty')), /No sessions match these filters/);
  await page.selectOption(tid('filter-role'), '');

  // The app clock: +15 min -> the confirmed one is happening now (Join and meeting page), the unconfirmed one expired (past).
  await advanceClock('15m');
  await ready('sessions', s.bob);
  const nowCard = page.locator(`${tid('sessions-now')} ${tid('session')}`);
  await waitText('in progress', nowCard.locator(tid('session-status')), 'Happening now');
  assert.equal(await nowCard.getAttribute('data-key'), s.rustKey);
  assert.equal(await nowCard.locator(tid('session-join')).getAttribute('href'), join);
  await nowCard.locator(tid('session-meeting')).waitFor();
  await page.click(tid('tab-past'));
  await ready('sessions');
  await waitText('expired', statusOf('Ghost session'), 'Expired: not confirmed in time');
  // +1 h more -> completed, in the past, without join links.
  await advanceClock('1h');
  await ready('sessions', s.bob);
  await waitText('completed', statusOf('Rust lifetimes'), 'Done');
  assert.equal(await sessionCard('Rust lifetimes').locator(tid('session-join')).count(), 0, 'no join link once it is over');
  assert.deepEqual(await page.locator(tid('session')).evaluateAll((els) => els.map((e) => e.dataset.phase)), Array(5).fill('past'));
  await checkPage('sessions-past');
});

test('happening now through the app clock: the gathering keeps its Join links until it ends, then moves to past', { timeout: 2 * MIN }, async () => {
  // 3 h 5 min after the start of the gathering test: the gathering (3 h ahead, 60 min) is on.
  await setClock(s.t0 + 3 * 3600_000 + 5 * MIN);
  await go('/gatherings', 'gatherings');
  const live = page.locator(`${tid('gatherings-now')} ${tid('gathering')}`);
  await waitText('happening now', live.locator(tid('phase')), /^Happening now · ends in 5\d min$/);
  assert.equal(await live.getAttribute('data-key'), s.gatheringKey);
  await live.locator(tid('gathering-join')).waitFor();
  await live.locator(tid('gathering-meeting')).waitFor();
  await page.click(tid('tab-now'));
  await ready('gatherings');
  assert.equal(await page.locator(`${tid('gathering-list')} ${tid('gathering')}`).getAttribute('data-key'), s.gatheringKey);
  await checkPage('gatherings-now');
  // After its end: in the past, without Join or meeting links.
  await setClock(s.t0 + 4 * 3600_000 + 10 * MIN);
  await go('/gatherings/now', 'gatherings');
  await page.waitForSelector(tid('gatherings-empty'));
  await page.click(tid('tab-past'));
  await ready('gatherings');
  const past = gatheringCard('E2E Rust meetup');
  await waitText('ended', past.locator(tid('phase')), /^Ended/);
  assert.equal(await past.locator(tid('gathering-join')).count(), 0);
  assert.equal(await past.locator(tid('rsvp')).count(), 0);
  await past.locator(tid('gathering-name')).click();
  await ready('gathering');
  assert.equal(await page.locator(tid('gathering-join')).count(), 0);
  assert.equal(await page.locator(tid('gathering-meeting')).count(), 0);
  await checkPage('gatherings-past-one');
  await setClock(Date.now());
});

test('settings: auto-lock takes whole minutes only, and locks after that many idle minutes', { timeout: 2 * MIN }, async () => {
  await go('/settings', 'settings');
  for (const bad of ['0', '-3', '1.5', '']) {
    await page.fill(tid('wallet-idle-minutes'), bad);
    await page.click(tid('wallet-idle-set'));
    await waitText(`auto-lock ${bad || '(empty)'} refused`, fieldError('minutes'), 'Use a whole number of minutes, from 1 to 10080 (one week).');
  }
  await page.fill(tid('wallet-idle-minutes'), '1');
  await page.click(tid('wallet-idle-set'));
  await waitText('saved', page.locator(tid('form-ok')), 'Wallets now lock after 1 min without activity.');
  await checkPage('settings');

  // A second tab with a fake clock: unlock, then a minute and a bit without activity locks the wallet. The fake
  // clock drives the page's timers, not a Worker's: this tab runs the wallet on the main thread (no Worker), where
  // the app's createAutoLock keeps the time. The wallet Worker's own idle lock (what tabs with a Worker use) is
  // tested in tests/node/wallet.worker.test.js; a tab with the shared Worker would open unlocked here (the first
  // tab has Bob unlocked: tests/e2e/wallet-worker.e2e.test.js).
  const tab = await env.context.newPage();
  env.watch(tab);
  await tab.addInitScript(() => {
    delete window.Worker;
    delete window.SharedWorker;
  });
  await tab.clock.install();
  await tab.goto(`${env.app.url}#/settings`);
  await tab.waitForSelector('body[data-ready="true"]');
  await tab.fill(tid('wallet-passphrase'), env.passphrases.get('Bob'));
  await tab.click(tid('wallet-unlock'));
  await tab.waitForSelector('#identity[data-state="unlocked"]', { timeout: 60_000 });
  await tab.clock.fastForward('00:50');
  assert.equal(await tab.locator('#identity').getAttribute('data-state'), 'unlocked', 'not yet after 50 s');
  await tab.clock.fastForward('00:20');
  await tab.waitForSelector('#identity[data-state="locked"]');
  assert.match(await tab.locator(tid('wallet-locked-notice')).textContent(), /Locked after inactivity/);
  await tab.close();
  await idle();
  const unexpected = env.consoleErrors.filter((e) => !/config\.json|favicon|ERR_NAME_NOT_RESOLVED/.test(e));
  assert.deepEqual(unexpected, [], 'no page errors');
});
