// Browser end-to-end test of the reference app (web/) on a phone-sized screen (390 × 844): the
// first-run guide, the keyboard path through a form (skip link, focus on the new page's heading,
// labelled fields, Enter to submit, the inline error), paging through more gatherings than fit on one
// page, a request withdrawn by its requester and one declined by the other person, a confirm dialog
// answered with the keyboard, and a session happening now through the app clock. Every page is checked
// with axe-core and photographed at 390 and 1280 px (tests/e2e/harness.js).
// Run: node --test tests/e2e/phone.e2e.test.js   (needs npm/dist from `scripts/build.sh wasm` and /usr/bin/chromium)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createWalletClient, http } from '@arkiv-network/sdk';
import { privateKeyToAccount } from '@arkiv-network/sdk/accounts';
import { localhost } from '@arkiv-network/sdk/chains';
import { loadCore } from '../../npm/index.js';
import { MIN, NARROW, useApp } from './harness.js';

const env = useApp({ suite: 'phone', viewport: NARROW });
let page, tid, textOf, waitText, until, localInput, idle, ready, go, fieldError, actAs, createWallet, fillWalletForm, setClock, checkPage;
const s = {};
const focused = () => page.evaluate(() => document.activeElement?.dataset?.testid || document.activeElement?.tagName.toLowerCase());
const sessionCard = (skill) => page.locator(tid('session')).filter({ has: page.locator(tid('session-skill-text'), { hasText: skill }) });

/** Presses Tab until the element with `testid` has the focus (at most `max` times). */
async function tabTo(testid, max = 40) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if ((await focused()) === testid) return i + 1;
  }
  assert.fail(`${testid} not reached with the Tab key`);
}

test('first run on a phone: the guide, then a wallet', { timeout: 2 * MIN }, async () => {
  ({ page, tid, textOf, waitText, until, localInput, idle, ready, go, fieldError, actAs, createWallet, fillWalletForm, setClock, checkPage } = env);
  await page.goto(env.app.url);
  await page.waitForSelector('body[data-ready="true"]');
  await ready('welcome');
  await checkPage('welcome');
  // The guide's wallet form: a mistyped repeat is named at once, then the wallet is made.
  await fillWalletForm('Ada', 'a phone passphrase', 'a phone passphrase!');
  await waitText('mismatch', fieldError('confirm'), /differ/);
  await fillWalletForm('Ada', 'a phone passphrase');
  await page.waitForSelector('#identity[data-state="unlocked"]', { timeout: 60_000 });
  env.passphrases.set('Ada', 'a phone passphrase');
  await waitText('step done', page.locator(tid('guide-wallet')), /✓/);
  s.ada = (await page.locator(tid('active-address')).textContent()).trim();
  s.bea = await createWallet('Bea', 'another phone passphrase');
});

test('the keyboard path: skip link, focus on the opened page, labelled fields, the inline error at the field', { timeout: 2 * MIN }, async () => {
  await actAs('Ada');
  await go('/gatherings', 'gatherings');
  // The skip link is the first stop and takes the focus to the page's heading.
  await page.evaluate(() => {
    // Start the Tab order at the top of the document.
    document.body.tabIndex = -1;
    document.body.focus();
    document.body.removeAttribute('tabindex');
  });
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to the page');
  await page.keyboard.press('Enter');
  assert.equal(await focused(), 'page-title');
  // "New gathering" by keyboard: the new page's heading gets the focus.
  await tabTo('gathering-new');
  await page.keyboard.press('Enter');
  await ready('gathering-new');
  await until('focus on the heading', focused, (f) => f === 'page-title');
  assert.equal(await textOf(page.locator(tid('page-title'))), 'New gathering');
  await tabTo('gathering-title');
  await page.keyboard.type('Phone meetup');
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'gathering-community');
  assert.equal(await page.evaluate(() => document.activeElement.labels[0].textContent), 'Community');
  await page.keyboard.press('Enter'); // submits with the community empty
  await waitText('community required', fieldError('community'), 'Please fill in the community.');
  assert.equal(await focused(), 'gathering-community', 'the focus stays at the field the error names');
  assert.match(await page.locator(tid('gathering-community')).getAttribute('aria-describedby'), /error/);
  await page.keyboard.type('Phone Club');
  await page.fill(tid('gathering-date'), localInput(Date.now() + 2 * 3600_000));
  await page.focus(tid('gathering-community'));
  await page.keyboard.press('Enter');
  await ready('gathering');
  await page.waitForSelector(tid('created'));
  s.gathering = await page.locator(tid('gathering-page')).getAttribute('data-key');
  await checkPage('gathering');
});

test('paging: more gatherings than one page holds', { timeout: 2 * MIN }, async () => {
  // Ten gatherings written straight to the node by another organizer (valid evidence: signed by the organizer they name).
  const { arkivRpcUrl } = await (await fetch(new URL('config.json', env.app.url))).json();
  const core = await loadCore();
  const organizer = privateKeyToAccount('0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6'); // anvil account 3
  const wallet = createWalletClient({ chain: { ...localhost, rpcUrls: { default: { http: [arkivRpcUrl] } } }, transport: http(arkivRpcUrl), account: organizer });
  const now = Date.now();
  const creates = Array.from({ length: 10 }, (_, i) =>
    core.entities.build('virtual_gathering', { organizerWallet: organizer.address, community: 'Phone Club', title: `Club night ${i + 1}`, sessionDate: new Date(now + (i + 3) * 86400_000).toISOString(), duration: 60 }, { now, spaceId: 'local-dev' }),
  );
  await wallet.mutateEntities({ creates });
  await go('/gatherings?community=phone-club', 'gatherings');
  // One page (8) read from the node, soonest first; the node says there is more.
  await waitText('first page', page.locator(tid('gatherings-state')), '8+ upcoming in Phone Club');
  assert.equal(await page.locator(`${tid('gathering-list')} ${tid('gathering')}`).count(), 8);
  assert.equal(await textOf(page.locator(tid('shown-count'))), '8 gatherings shown');
  assert.equal(await page.locator(`${tid('gathering-list')} ${tid('gathering-name')}`).first().textContent(), 'Phone meetup');
  await checkPage('gatherings-load-more');
  await page.click(tid('load-more'));
  await until('the next page appended', () => page.locator(`${tid('gathering-list')} ${tid('gathering-name')}`).allTextContents(), (t) => t.length === 11);
  const names = await page.locator(`${tid('gathering-list')} ${tid('gathering-name')}`).allTextContents();
  assert.deepEqual(names.slice(8), ['Club night 8', 'Club night 9', 'Club night 10']);
  assert.equal(await textOf(page.locator(tid('shown-count'))), '11 gatherings shown (all)');
  assert.equal(await page.locator(tid('load-more')).count(), 0);
  // Focus stays usable: the list kept its first items (nothing re-read from the start).
  assert.equal(names[0], 'Phone meetup');
});

test('withdraw vs decline, a dialog answered by keyboard, and a session happening now, on a phone', { timeout: 3 * MIN }, async () => {
  // Bea asks Ada for two sessions (from Ada's gathering page: "Ask the organizer").
  await actAs('Bea');
  await go(`/gatherings/${s.gathering}`, 'gathering');
  await page.click(tid('ask-organizer'));
  await ready('session-new');
  assert.match(await textOf(page.locator(`${tid('session-with')} option:checked`)), /^Ada \(/);
  s.start = Date.now() + 20 * MIN;
  for (const skill of ['Phone lesson', 'Take it back']) {
    await go(`/sessions/new?with=${s.ada}`, 'session-new');
    await page.fill(tid('session-skill'), skill);
    await page.fill(tid('session-date'), localInput(s.start));
    await page.click(tid('session-request'));
    await ready('session');
    await page.waitForSelector(tid('requested'));
  }
  await checkPage('session-new-result');
  // The requester withdraws: labelled "Withdraw"; no "Decline" for her.
  assert.equal(await page.locator(tid('session-decline')).count(), 0);
  await page.click(tid('session-withdraw'));
  await waitText('withdrawn', page.locator(tid('session-status')), 'Withdrawn by Bea');

  // Ada sees the other one: "Confirm" and "Decline", no "Withdraw". She confirms it.
  await actAs('Ada');
  await go('/sessions', 'sessions');
  await ready('sessions', s.ada);
  const lesson = sessionCard('Phone lesson');
  await waitText('asks Ada', lesson.locator(tid('session-status')), 'Asks you to confirm');
  assert.equal(await lesson.locator(tid('session-withdraw')).count(), 0);
  await lesson.locator(tid('session-confirm')).click();
  await waitText('confirmed', lesson.locator(tid('session-status')), 'Confirmed');
  // Declining a confirmed session asks first; Escape keeps it and gives the focus back.
  await lesson.locator(tid('session-decline')).focus();
  await page.keyboard.press('Enter');
  await page.locator(tid('confirm-dialog')).waitFor();
  assert.equal(await focused(), 'confirm-keep');
  await checkPage('decline-dialog');
  await page.keyboard.press('Escape');
  await page.locator(tid('confirm-dialog')).waitFor({ state: 'detached' });
  assert.equal(await focused(), 'session-decline');
  assert.equal(await lesson.getAttribute('data-status'), 'scheduled');

  // Five minutes after the start: happening now, with its Join and meeting-page links.
  await setClock(s.start + 5 * MIN);
  await ready('sessions', s.ada);
  const live = page.locator(`${tid('sessions-now')} ${tid('session')}`);
  await waitText('happening now', live.locator(tid('session-status')), 'Happening now');
  await live.locator(tid('session-join')).waitFor();
  await live.locator(tid('session-meeting')).waitFor();
  await checkPage('sessions-now');
  // The declined/withdrawn and the finished ones are past, without links.
  await setClock(s.start + 2 * 3600_000);
  await go('/sessions/past', 'sessions');
  await ready('sessions', s.ada);
  await waitText('done', sessionCard('Phone lesson').locator(tid('session-status')), 'Done');
  assert.equal(await sessionCard('Phone lesson').locator(tid('session-join')).count(), 0);
  assert.equal(await textOf(sessionCard('Take it back').locator(tid('session-status'))), 'Withdrawn by Bea');
  await checkPage('sessions-past');
  await go('/series', 'series-list');
  await checkPage('series-empty');
  await go('/meeting', 'meeting-help');
  await checkPage('meeting-help');
  await go('/no-such-page', 'not-found');
  await checkPage('not-found');
  await setClock(Date.now());
  await idle();
  const unexpected = env.consoleErrors.filter((e) => !/config\.json|favicon|ERR_NAME_NOT_RESOLVED/.test(e));
  assert.deepEqual(unexpected, [], 'no page errors');
});
