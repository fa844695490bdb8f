// Browser end-to-end test of the event series flows of the reference app (web/), through the UI in
// headless Debian Chromium against the local Arkiv node (set-up: tests/e2e/harness.js).
// A weekly Thursday 19:00 Europe/Berlin series spanning the change to summer time (Sun 28 Mar 2027):
// the preview keeps 19:00 in Berlin while the viewer (UTC) sees 18:00 then 17:00; the rule in words
// from the core; a hand-typed EXDATE survives a change of the fields; the core's rule errors at the
// rule; create it; the window is materialized as gatherings; modify one date; another wallet follows
// the series and RSVPs to single dates; cancelling a date people RSVP'd to asks first and says how
// many; a date happening now keeps its links; a week later the organizer's opening of the page
// materializes the next date.
// Run: node --test tests/e2e/series.e2e.test.js   (needs npm/dist from `scripts/build.sh wasm` and /usr/bin/chromium)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MIN, useApp } from './harness.js';

const env = useApp({ suite: 'series' });
let page, tid, textOf, waitText, until, idle, ready, go, fieldError, actAs, createWallet, walletState, setClock, checkPage;

const TITLE = 'E2E Berlin weekly';
/** The app clock is moved here (Mon 8 Mar 2027, 12:00 UTC) so the 28-day window reaches the series. */
const APP_NOW = Date.parse('2027-03-08T12:00:00Z');
const occ = (recurrenceId) => page.locator(`${tid('occurrence')}[data-recurrence-id="${recurrenceId}"]`);
const allTexts = (id) => page.locator(tid(id)).allTextContents();
const states = () => page.locator(tid('occurrence')).evaluateAll((els) => els.map((e) => e.dataset.state));
const ical = () => page.locator(tid('series-ical')).inputValue();
const WEEKLY6 = 'DTSTART;TZID=Europe/Berlin:20270311T190000\nRRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=6';

test('event series: rule editor, create, materialize, modify, follow, RSVP one date, cancel with a count, happening now, the next window', { timeout: 5 * MIN }, async () => {
  ({ page, tid, textOf, waitText, until, idle, ready, go, fieldError, actAs, createWallet, walletState, setClock, checkPage } = env);
  await page.goto(env.app.url);
  await page.waitForSelector('body[data-ready="true"]');
  // Two wallets through the UI; Bob's creation locks Alice's, switching back unlocks it with her passphrase.
  const alice = await createWallet('Alice', 'alice organizes series');
  const bob = await createWallet('Bob', 'bob follows series');
  await actAs('Alice');
  await setClock(APP_NOW);

  // The rule editor: weekly on Thursday 19:00 Berlin, 6 times; the words and the preview are the core's.
  await page.click(tid('nav-series'));
  await ready('series-list');
  await page.click(tid('series-new'));
  await ready('series-new');
  assert.equal(await page.locator(tid('series-tz')).inputValue(), 'UTC', "the zone defaults to the browser's");
  await page.fill(tid('series-title'), TITLE);
  await page.fill(tid('series-community'), 'Rust Berlin');
  await page.selectOption(tid('series-tz'), 'Europe/Berlin');
  await page.fill(tid('series-start'), '2027-03-11T19:00');
  await page.check(tid('series-weekday-TH'));
  await page.selectOption(tid('series-end'), 'count');
  await page.fill(tid('series-count'), '6');
  await page.fill(tid('series-duration'), '90');
  await waitText('rule in words', page.locator(tid('series-rule-preview')), 'Repeats every Thursday at 19:00 (Europe/Berlin time), 6 times.');
  assert.equal(await page.locator(tid('series-ical')).isVisible(), false, 'the iCalendar text is behind a disclosure');
  await page.click('summary:has-text("Rule as iCalendar text")');
  assert.equal(await ical(), WEEKLY6);
  await until('six preview rows', () => page.locator(tid('preview-row')).count(), (n) => n === 6);
  const berlin = await allTexts('preview-series-time');
  const viewer = await allTexts('preview-viewer-time');
  assert.ok(berlin.every((t) => /^Thu,? \d+ (Mar|Apr), 19:00$/.test(t)), `wall time constant in Berlin across the DST change, no year in the app's year: ${berlin}`);
  assert.deepEqual(viewer.map((t) => t.match(/\d\d:\d\d/)[0]), ['18:00', '18:00', '18:00', '17:00', '17:00', '17:00'], `UTC viewer sees the shift: ${viewer}`);
  assert.match(berlin[0], /11 Mar/);
  assert.match(berlin[5], /15 Apr/);

  // Monthly on the 2nd Tuesday until a date: the UNTIL is the end of that day in Berlin, in UTC.
  await page.selectOption(tid('series-freq'), 'MONTHLY');
  await page.selectOption(tid('series-monthly-mode'), 'nth');
  await page.selectOption(tid('series-nth'), '2');
  await page.selectOption(tid('series-nth-day'), 'TU');
  await page.selectOption(tid('series-end'), 'until');
  await page.fill(tid('series-until'), '2027-06-08');
  assert.equal(await ical(), 'DTSTART;TZID=Europe/Berlin:20270311T190000\nRRULE:FREQ=MONTHLY;BYDAY=2TU;UNTIL=20270608T215959Z');
  assert.deepEqual((await allTexts('preview-series-time')).map((t) => t.replace(/, \d\d:\d\d$/, '')), ['Tue 13 Apr', 'Tue 11 May', 'Tue 8 Jun']);
  await waitText('monthly in words', page.locator(tid('series-rule-preview')), /^Repeats every month on the 2nd Tuesday at 19:00 \(Europe\/Berlin time\), until /);
  await page.selectOption(tid('series-freq'), 'WEEKLY');
  await page.selectOption(tid('series-end'), 'count');
  assert.equal(await ical(), WEEKLY6);

  // A hand-typed EXDATE stays when a field changes ("after N times" here).
  await page.fill(tid('series-ical'), `${WEEKLY6}\nEXDATE;TZID=Europe/Berlin:20270318T190000`);
  await until('five dates', () => page.locator(tid('preview-row')).count(), (n) => n === 5);
  await waitText('exception in words', page.locator(tid('series-rule-preview')), /6 times, except 1 date\.$/);
  await page.fill(tid('series-count'), '7');
  assert.equal(await ical(), 'DTSTART;TZID=Europe/Berlin:20270311T190000\nRRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=7\nEXDATE;TZID=Europe/Berlin:20270318T190000');
  await until('six dates', () => page.locator(tid('preview-row')).count(), (n) => n === 6);
  assert.ok(!(await allTexts('preview-series-time')).some((t) => /18 Mar/.test(t)), 'the EXDATE is still applied');

  // The core's errors at the rule, in words, with the core's detail; Create waits for a valid rule.
  await page.fill(tid('series-ical'), 'DTSTART;TZID=Europe/Berlin:20270311T190000\nRRULE:FREQ=WEEKLY;BYDAY=XX');
  await waitText('INVALID_RRULE inline', fieldError('recurrence'), 'The repeat rule has a mistake (see below).');
  assert.equal(await fieldError('recurrence').getAttribute('data-code'), 'INVALID_RRULE');
  assert.match(await textOf(page.locator(tid('series-preview-error-message'))), /BYDAY/);
  assert.equal(await page.locator(tid('preview-row')).count(), 0);
  assert.equal(await page.locator(tid('series-create')).isDisabled(), true);
  await page.fill(tid('series-ical'), 'DTSTART;TZID=Mars/Olympus_Mons:20270311T190000\nRRULE:FREQ=WEEKLY');
  await waitText('UNKNOWN_TIME_ZONE inline', fieldError('recurrence'), 'That time zone is unknown: choose one from the list.');
  // Any field writes DTSTART and RRULE again from the fields.
  await page.fill(tid('series-count'), '6');
  await until('preview back', () => page.locator(tid('preview-row')).count(), (n) => n === 6);
  assert.equal(await ical(), WEEKLY6);
  assert.equal(await fieldError('recurrence').count(), 0);
  // A missing title, named at the title.
  await page.fill(tid('series-title'), '');
  await page.click(tid('series-create'));
  await waitText('title required', fieldError('title'), 'Please fill in the title.');
  await page.fill(tid('series-title'), TITLE);
  await checkPage('series-new');

  // Create: the series page, with the success in place; the 28-day window is materialized.
  await page.click(tid('series-create'));
  await ready('series');
  await waitText('created', page.locator(tid('created')), /^The series is created: 4 dates in the next 28 days are now a gathering/);
  assert.equal(await textOf(page.locator(tid('page-title'))), TITLE);
  await until('six dates', () => page.locator(tid('occurrence')).count(), (n) => n === 6);
  assert.deepEqual(await states(), ['materialized', 'materialized', 'materialized', 'materialized', 'planned', 'planned']);
  assert.deepEqual(await allTexts('occurrence-state'), ['Scheduled', 'Scheduled', 'Scheduled', 'Scheduled', 'Planned', 'Planned']);
  const whens = await allTexts('occurrence-when');
  assert.ok(whens.every((t) => /^Thu,? \d+ (Mar|Apr), 19:00 Berlin time \(1[78]:00 your time, UTC\)$/.test(t)), `Berlin time and the viewer's: ${whens}`);
  assert.equal(await textOf(page.locator(tid('series-page-rule'))), 'every Thursday at 19:00 (Europe/Berlin time), 6 times');
  assert.match(await textOf(page.locator(tid('series-next-text'))), /^“E2E Berlin weekly” — Thu,? 11 Mar, 19:00 Berlin time/);
  const seriesKey = await page.locator(tid('series-page')).getAttribute('data-key');
  assert.match(await page.locator(tid('series-link')).getAttribute('href'), new RegExp(`#/series/${seriesKey}$`));
  assert.equal(await page.locator(tid('series-page-ical')).isVisible(), false, 'the rule text is behind "Details"');
  await page.locator(`${tid('series-details')} summary`).click();
  assert.equal(await textOf(page.locator(tid('series-page-ical'))), 'DTSTART;TZID=Europe/Berlin:20270311T190000\nRRULE:FREQ=WEEKLY;COUNT=6;BYDAY=TH', 'as the core stored it');
  const join = await occ('2027-03-25T18:00:00.000Z').locator(tid('occurrence-join')).getAttribute('href');
  assert.match(join, /^https:\/\/meet\.jit\.si\/gathering-[0-9a-f]{32}$/);
  const gk = await occ('2027-03-25T18:00:00.000Z').getAttribute('data-gathering-key');
  assert.equal(await occ('2027-03-25T18:00:00.000Z').locator(tid('occurrence-meeting')).getAttribute('href'), `#/meeting/${gk}?room=${join.split('/').pop()}`, 'occurrences have a meeting page link');
  await checkPage('series');

  // Modify one date's title and time: shown changed, the same gathering (same Jitsi room) updated.
  const mar25 = occ('2027-03-25T18:00:00.000Z');
  await mar25.locator(tid('occurrence-modify')).click();
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'modify-title', 'the form opens with the focus in it');
  await mar25.locator(tid('modify-save')).click();
  await waitText('nothing changed', fieldError('title', mar25), 'Nothing is changed yet: edit the title, the time or the length first.');
  await mar25.locator(tid('modify-title')).fill('E2E Berlin special');
  await mar25.locator(tid('modify-date')).fill('2027-03-25T18:30'); // the viewer's zone (UTC)
  await mar25.locator(tid('modify-save')).click();
  await until('modified', () => mar25.getAttribute('data-state'), (st) => st === 'modified');
  assert.equal(await textOf(mar25.locator(tid('occurrence-state'))), 'Changed');
  assert.equal(await textOf(mar25.locator(tid('occurrence-title'))), 'E2E Berlin special');
  assert.match(await textOf(mar25.locator(tid('occurrence-when'))), /^Thu,? 25 Mar, 19:30 Berlin time/);
  assert.match(await textOf(mar25.locator(tid('occurrence-moved'))), /moved from Thu,? 25 Mar, 19:00/);
  assert.equal(await mar25.locator(tid('occurrence-join')).getAttribute('href'), join, 'same Jitsi room');
  assert.equal(await textOf(mar25.locator(tid('action-ok'))), 'This date is changed.');
  // The dates are ordinary gatherings, in Berlin time.
  await go('/gatherings', 'gatherings');
  await until('four dates listed', () => page.locator(tid('gathering')).evaluateAll((els) => els.filter((e) => /E2E Berlin (weekly|special)/.test(e.textContent)).length), (n) => n === 4);
  assert.match(await textOf(page.locator(tid('gathering')).filter({ hasText: 'E2E Berlin special' }).locator(tid('gathering-when'))), /19:30 Berlin time/);

  // Bob follows (not attending) and RSVPs to two single dates; unfollowing keeps the RSVPs.
  await actAs('Bob');
  await go(`/series/${seriesKey}`, 'series');
  await ready('series', bob);
  assert.equal(await page.locator(tid('occurrence-cancel')).count(), 0, 'only the organizer can cancel');
  assert.equal(await textOf(page.locator(tid('series-follow-state'))), 'You don’t follow this series');
  await page.click(tid('series-follow'));
  await waitText('following', page.locator(tid('series-follow-state')), 'You follow this series');
  assert.equal(await textOf(page.locator(tid('series-followers'))), '1');
  assert.match(await textOf(page.locator(`${tid('follow-result')} ${tid('action-ok')}`)), /Following is not attending/);
  assert.deepEqual(await allTexts('occurrence-rsvp-count'), ['0', '0', '0', '0'], 'following is not an RSVP');
  for (const id of ['2027-04-01T17:00:00.000Z', '2027-03-18T18:00:00.000Z']) {
    await occ(id).locator(tid('occurrence-rsvp')).click();
    await waitText(`RSVP on ${id}`, occ(id).locator(tid('occurrence-rsvp-count')), '1');
    assert.equal(await occ(id).locator(tid('occurrence-rsvp')).isDisabled(), true);
  }
  assert.deepEqual(await allTexts('occurrence-rsvp-count'), ['0', '1', '0', '1']);
  await page.click(tid('series-follow'));
  await waitText('unfollowed', page.locator(tid('series-follow-state')), 'You don’t follow this series');
  assert.equal(await textOf(page.locator(tid('series-followers'))), '0');
  assert.deepEqual(await allTexts('occurrence-rsvp-count'), ['0', '1', '0', '1'], 'the RSVPs stay');

  // Alice cancels the 18 March date Bob RSVPd to: the dialog says so; "Keep it" keeps it.
  await actAs('Alice');
  await ready('series', alice);
  const mar18 = occ('2027-03-18T18:00:00.000Z');
  await mar18.locator(tid('occurrence-cancel')).click();
  await page.locator(tid('confirm-dialog')).waitFor();
  assert.equal(await textOf(page.locator(tid('confirm-count'))), '1 person');
  assert.match(await textOf(page.locator(tid('confirm-body'))), /1 person RSVP’d to this date\. It will show as cancelled here/);
  await checkPage('series-cancel-dialog');
  await page.click(tid('confirm-keep'));
  await page.locator(tid('confirm-dialog')).waitFor({ state: 'detached' });
  assert.equal(await mar18.getAttribute('data-state'), 'materialized');
  await mar18.locator(tid('occurrence-cancel')).click();
  await page.click(tid('confirm-yes'));
  await until('cancelled', () => mar18.getAttribute('data-state'), (st) => st === 'cancelled');
  assert.match(await textOf(mar18.locator(tid('action-ok'))), /is cancelled; its gathering is kept, marked cancelled \(1 person had RSVP’d: their RSVPs stay and read cancelled\)\.$/);
  assert.equal(await mar18.locator(tid('occurrence-rsvp')).count(), 0, 'no RSVP on a cancelled date');
  assert.deepEqual(await allTexts('occurrence-rsvp-count'), ['0', '0', '1']);

  // A locked organizer cannot cancel: the button is disabled and says why.
  await page.click(tid('wallet-lock'));
  await until('locked', walletState, (st) => st === 'locked');
  assert.equal(await occ('2027-04-01T17:00:00.000Z').locator(tid('occurrence-cancel')).isDisabled(), true);
  assert.match(await occ('2027-04-01T17:00:00.000Z').locator(tid('occurrence-cancel')).getAttribute('title'), /Locked: unlock Alice's wallet/);
  await page.waitForSelector(tid('series-unlock-hint'));

  // The first date while it runs (18:00–19:30 UTC): happening now, with its links.
  await setClock(Date.parse('2027-03-11T18:30:00Z'));
  await ready('series');
  const first = occ('2027-03-11T18:00:00.000Z');
  await waitText('happening now', first.locator(tid('occurrence-now')), 'Happening now');
  await first.locator(tid('occurrence-join')).waitFor();
  await first.locator(tid('occurrence-meeting')).waitFor();

  // No server job: a week later, moving the clock writes nothing; the organizer opening the page does.
  await go('/series', 'series-list'); // unlocking on the series page would count as opening it
  await actAs('Alice');
  await setClock(APP_NOW + 7 * 24 * 3600_000);
  await checkPage('series-list');
  await go('/gatherings', 'gatherings');
  const listed = () => page.locator(tid('gathering')).evaluateAll((els) => els.filter((e) => /E2E Berlin/.test(e.textContent)).length);
  assert.equal(await listed(), 2, '25 March (changed) and 1 April are upcoming: 8 April is not a gathering yet');
  await go('/series', 'series-list');
  await page.locator(tid('series-card')).filter({ hasText: TITLE }).locator(tid('series-name')).click();
  await ready('series', alice);
  await waitText('materialized on opening', page.locator(tid('series-materialized')), /1 created, 0 updated, 0 cancelled\.$/);
  await until('8 April materialized', () => occ('2027-04-08T17:00:00.000Z').getAttribute('data-state'), (st) => st === 'materialized');
  await go('/gatherings', 'gatherings');
  assert.equal(await listed(), 3);
  await idle();
  const unexpected = env.consoleErrors.filter((e) => !/config\.json|favicon|ERR_NAME_NOT_RESOLVED/.test(e));
  assert.deepEqual(unexpected, [], 'no page errors');
});
