// Browser end-to-end test of the event series flows of the reference app (web/), through the UI in
// headless Debian Chromium against the local Arkiv node (set-up: tests/e2e/harness.js).
// A weekly Thursday 19:00 Europe/Berlin series spanning the change to summer time (Sun 28 Mar 2027):
// the preview keeps 19:00 in Berlin while the viewer (UTC) sees 18:00 then 17:00; create it; the
// window is materialized as gatherings; cancel one, modify one; another wallet follows the series
// and RSVPs to one occurrence only.
// Run: node --test tests/e2e/   (needs npm/dist from `scripts/build.sh wasm` and /usr/bin/chromium)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MIN, useApp } from './harness.js';

const env = useApp({ screenshot: 'e2e-series.png' });
let page, consoleErrors, app, tid, textOf, waitText, until, idle, actAs, createWallet, walletState;

const TITLE = 'E2E Berlin weekly';
/** The app clock is moved here (Mon 8 Mar 2027, 12:00 UTC) so the 28-day window reaches the series. */
const APP_NOW = Date.parse('2027-03-08T12:00:00Z');
const occ = (recurrenceId) => page.locator(`${tid('occurrence')}[data-recurrence-id="${recurrenceId}"]`);
const allTexts = (id) => page.locator(tid(id)).allTextContents();

test('event series: rule editor with DST preview, create, materialize, cancel, modify, follow, RSVP one occurrence', { timeout: 2 * MIN }, async () => {
  ({ page, consoleErrors, app, tid, textOf, waitText, until, idle, actAs, createWallet, walletState } = env);
  await page.goto(app.url);
  await page.waitForSelector('body[data-ready="true"]');
  await waitText('node reachable', page.locator(tid('node-chain')), 'chain 1337');
  // Two wallets through the UI; Bob's creation locks Alice's, switching back unlocks it with her passphrase.
  const alice = await createWallet('Alice', 'alice organizes series');
  await createWallet('Bob', 'bob follows series');
  await actAs('Alice');
  await page.fill(tid('clock-offset-input'), String(Math.round((APP_NOW - Date.now()) / MIN)));
  await page.click(tid('clock-set'));
  await until('app clock moved', () => page.locator(tid('clock-now')).getAttribute('datetime'), (t) => Math.abs(Date.parse(t) - APP_NOW) < 5 * MIN);
  await idle();

  // The rule editor: weekly on Thursday 19:00 Berlin, 6 times; the preview is the core's expansion.
  assert.equal(await page.locator(tid('series-tz')).inputValue(), 'UTC', "the zone defaults to the browser's");
  await page.fill(tid('series-title'), TITLE);
  await page.fill(tid('series-community'), 'Rust Berlin');
  await page.selectOption(tid('series-tz'), 'Europe/Berlin');
  await page.fill(tid('series-start'), '2027-03-11T19:00');
  await page.check(tid('series-weekday-TH'));
  await page.selectOption(tid('series-end'), 'count');
  await page.fill(tid('series-count'), '6');
  await page.fill(tid('series-duration'), '90');
  assert.equal(await page.locator(tid('series-ical')).inputValue(), 'DTSTART;TZID=Europe/Berlin:20270311T190000\nRRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=6');
  await until('six preview rows', () => page.locator(tid('preview-row')).count(), (n) => n === 6);
  const berlin = await allTexts('preview-series-time');
  const viewer = await allTexts('preview-viewer-time');
  assert.ok(berlin.every((t) => /Thu.*19:00/.test(t)), `wall time constant in Berlin across the DST change: ${berlin}`);
  assert.deepEqual(viewer.map((t) => t.match(/\d\d:\d\d/)[0]), ['18:00', '18:00', '18:00', '17:00', '17:00', '17:00'], `UTC viewer sees the shift: ${viewer}`);
  assert.match(berlin[0], /11 Mar 2027/);
  assert.match(berlin[5], /15 Apr 2027/);

  // Monthly on the 2nd Tuesday until a date: the UNTIL is the end of that day in Berlin, in UTC.
  await page.selectOption(tid('series-freq'), 'MONTHLY');
  await page.selectOption(tid('series-monthly-mode'), 'nth');
  await page.selectOption(tid('series-nth'), '2');
  await page.selectOption(tid('series-nth-day'), 'TU');
  await page.selectOption(tid('series-end'), 'until');
  await page.fill(tid('series-until'), '2027-06-08');
  assert.equal(await page.locator(tid('series-ical')).inputValue(), 'DTSTART;TZID=Europe/Berlin:20270311T190000\nRRULE:FREQ=MONTHLY;BYDAY=2TU;UNTIL=20270608T215959Z');
  assert.deepEqual((await allTexts('preview-series-time')).map((t) => t.replace(/,? \d{4}.*/, '')), ['Tue, 13 Apr', 'Tue, 11 May', 'Tue, 8 Jun']);
  await page.selectOption(tid('series-freq'), 'WEEKLY');
  await page.selectOption(tid('series-end'), 'count');
  assert.equal(await page.locator(tid('series-ical')).inputValue(), 'DTSTART;TZID=Europe/Berlin:20270311T190000\nRRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=6');

  // Errors from the core are shown inline (code + message) instead of a broken preview.
  await page.fill(tid('series-ical'), 'DTSTART;TZID=Europe/Berlin:20270311T190000\nRRULE:FREQ=WEEKLY;BYDAY=XX');
  await waitText('INVALID_RRULE inline', page.locator(tid('series-preview-error-code')), 'INVALID_RRULE');
  assert.match(await textOf(page.locator(tid('series-preview-error-message'))), /BYDAY/);
  assert.equal(await page.locator(tid('preview-row')).count(), 0);
  assert.equal(await page.locator(tid('series-create')).isDisabled(), true);
  await page.fill(tid('series-ical'), 'DTSTART;TZID=Mars/Olympus_Mons:20270311T190000\nRRULE:FREQ=WEEKLY');
  await waitText('UNKNOWN_TIME_ZONE inline', page.locator(tid('series-preview-error-code')), 'UNKNOWN_TIME_ZONE');
  // Any structured field regenerates the text from the fields.
  await page.fill(tid('series-count'), '6');
  await until('preview back', () => page.locator(tid('preview-row')).count(), (n) => n === 6);
  assert.equal(await page.locator(tid('series-preview-error')).isHidden(), true);

  // Create: the series page opens with its occurrences; the 28-day window is materialized.
  await page.click(tid('series-create'));
  await waitText('series page', page.locator(tid('series-page-title')), TITLE);
  await until('six occurrences', () => page.locator(tid('occurrence')).count(), (n) => n === 6);
  const states = await until(
    'four materialized, two planned',
    () => allTexts('occurrence-state'),
    (s) => s.join() === 'materialized,materialized,materialized,materialized,planned,planned',
  );
  assert.equal(states.length, 6);
  const locals = await allTexts('occurrence-local');
  assert.ok(locals.every((t) => /19:00 Europe\/Berlin$/.test(t)), `occurrences keep 19:00 Berlin: ${locals}`);
  assert.match(await textOf(page.locator(tid('series-next-text'))), /“E2E Berlin weekly” — Thu, 11 Mar 2027, 19:00 Europe\/Berlin/);
  assert.match(await page.locator(tid('series-link')).getAttribute('href'), /#series=0x[0-9a-f]{64}$/);
  // The materialized occurrences are ordinary gatherings in the gatherings panel.
  await until('four gatherings listed', () => page.locator(tid('gathering')).filter({ hasText: TITLE }).count(), (n) => n === 4);
  const room = await occ('2027-03-25T18:00:00.000Z').locator(tid('occurrence-join')).getAttribute('href');
  assert.match(room, /^https:\/\/meet\.jit\.si\/gathering-[0-9a-f]{32}$/);

  // Cancel one occurrence: shown cancelled; its gathering leaves the upcoming list (kept under its key, marked cancelled, so RSVPs read cancelled).
  await occ('2027-03-18T18:00:00.000Z').locator(tid('occurrence-cancel')).click();
  await waitText('cancelled', occ('2027-03-18T18:00:00.000Z').locator(tid('occurrence-state')), 'cancelled');
  await until('three gatherings listed', () => page.locator(tid('gathering')).filter({ hasText: TITLE }).count(), (n) => n === 3);
  assert.equal(await occ('2027-03-18T18:00:00.000Z').locator(tid('occurrence-rsvp')).count(), 0, 'no RSVP on a cancelled occurrence');

  // Modify one occurrence's title and time: shown modified, the same gathering (same Jitsi room) updated.
  await occ('2027-03-25T18:00:00.000Z').locator(tid('occurrence-modify')).click();
  await occ('2027-03-25T18:00:00.000Z').locator(tid('modify-title')).fill('E2E Berlin special');
  await occ('2027-03-25T18:00:00.000Z').locator(tid('modify-date')).fill('2027-03-25T18:30'); // the viewer's zone (UTC)
  await occ('2027-03-25T18:00:00.000Z').locator(tid('modify-save')).click();
  await waitText('modified', occ('2027-03-25T18:00:00.000Z').locator(tid('occurrence-state')), 'modified');
  assert.equal(await textOf(occ('2027-03-25T18:00:00.000Z').locator(tid('occurrence-title'))), 'E2E Berlin special');
  assert.match(await textOf(occ('2027-03-25T18:00:00.000Z').locator(tid('occurrence-local'))), /25 Mar 2027, 19:30 Europe\/Berlin$/);
  assert.match(await textOf(occ('2027-03-25T18:00:00.000Z').locator(tid('occurrence-moved'))), /moved from .*25 Mar 2027, 19:00/);
  assert.equal(await occ('2027-03-25T18:00:00.000Z').locator(tid('occurrence-join')).getAttribute('href'), room, 'same Jitsi room');
  await until('modified gathering in the list', () => page.locator(tid('gathering')).filter({ hasText: 'E2E Berlin special' }).count(), (n) => n === 1);
  await idle();

  // Another wallet follows the series (not attending) and RSVPs to one occurrence only.
  // A locked organizer cannot cancel: the button is disabled and says why.
  await page.click(tid('wallet-lock'));
  await until('locked', walletState, (st) => st === 'locked');
  assert.equal(await occ('2027-04-01T17:00:00.000Z').locator(tid('occurrence-cancel')).isDisabled(), true);
  assert.match(await occ('2027-04-01T17:00:00.000Z').locator(tid('occurrence-cancel')).getAttribute('title'), /Locked: unlock Alice's wallet/);
  await page.waitForSelector(tid('series-unlock-hint'));
  const bob = await actAs('Bob');
  assert.notEqual(alice, bob);
  await page.waitForSelector(`${tid('series-page')}[data-viewer="${bob}"]`);
  assert.equal(await textOf(page.locator(tid('series-page-title'))), TITLE);
  assert.equal(await page.locator(tid('occurrence-cancel')).count(), 0, 'only the organizer can cancel');
  assert.equal(await textOf(page.locator(tid('series-follow-state'))), 'not following');
  await page.click(tid('series-follow'));
  await waitText('following', page.locator(tid('series-follow-state')), 'you follow this series');
  assert.equal(await textOf(page.locator(tid('series-followers'))), '1');
  // Following is not an RSVP: every occurrence still has 0 attendees.
  assert.deepEqual(await allTexts('occurrence-rsvp-count'), ['0', '0', '0']);
  const one = occ('2027-04-01T17:00:00.000Z');
  await one.locator(tid('occurrence-rsvp')).click();
  await waitText('RSVP count on that occurrence', one.locator(tid('occurrence-rsvp-count')), '1');
  assert.equal(await one.locator(tid('occurrence-rsvp')).isDisabled(), true);
  assert.deepEqual(await allTexts('occurrence-rsvp-count'), ['0', '0', '1'], 'count 1 on that occurrence only');
  assert.equal(await textOf(page.locator(tid('series-followers'))), '1');
  // Unfollow deletes the follow entity.
  await page.click(tid('series-follow'));
  await waitText('unfollowed', page.locator(tid('series-follow-state')), 'not following');
  assert.equal(await textOf(page.locator(tid('series-followers'))), '0');
  assert.deepEqual(await allTexts('occurrence-rsvp-count'), ['0', '0', '1'], 'the RSVP stays');

  // No server job: a week later the organizer opens the series page and the window moves on.
  await actAs('Alice');
  await page.fill(tid('clock-offset-input'), String(Math.round((APP_NOW + 7 * 24 * 3600_000 - Date.now()) / MIN)));
  await page.click(tid('clock-set'));
  await idle();
  assert.equal(await textOf(occ('2027-04-08T17:00:00.000Z').locator(tid('occurrence-state'))), 'planned', 'moving the clock alone writes nothing');
  await page.locator(tid('series-card')).filter({ hasText: TITLE }).locator(tid('series-open')).click();
  await waitText('materialized on opening', occ('2027-04-08T17:00:00.000Z').locator(tid('occurrence-state')), 'materialized');
  assert.match(await textOf(page.locator(tid('notice'))), /Series page opened: 1 created, 0 updated, 0 cancelled/);
  await idle();
  const unexpected = consoleErrors.filter((e) => !/config\.json|favicon/.test(e));
  assert.deepEqual(unexpected, [], 'no page errors');
});
