// Browser end-to-end test of the inbox (web/src/pages/inbox.jsx, docs/notices.md) in headless Debian
// Chromium against the local Arkiv node (set-up: tests/e2e/harness.js). An organizer's weekly series
// (written from this process with the SDK and the core, as the node tests write entities), three
// wallets made in the app: Ada RSVPs to two dates, Fiona follows the series, Mo follows and mutes it in
// the inbox. The organizer moves one of Ada's dates, cancels the other and changes the template from a
// later date, and the next materialization schedules a new date. Ada's inbox shows the move and the
// cancellation, Fiona's the template change and the new date, Mo's nothing; the unread count in the
// navigation goes down as notices are read; a notice arriving while the app is open raises a browser
// notification when the person allowed it.
// Run: node --test tests/e2e/inbox.e2e.test.js   (needs npm/dist from `scripts/build.sh wasm` and /usr/bin/chromium)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCore } from '@convene/core';
import { createWalletClient, http } from '@arkiv-network/sdk';
import { privateKeyToAccount } from '@arkiv-network/sdk/accounts';
import { localhost } from '@arkiv-network/sdk/chains';
import { createArkiv } from '../../web/src/arkiv.js';
import { MIN, useApp } from './harness.js';

const env = useApp({ suite: 'inbox', blockTimeMs: 1000 });
const ORGANIZER = privateKeyToAccount('0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6');
const SPACE = 'local-dev';
const DAY = 86400_000;

test('inbox: the attendee hears of the move and the cancellation, the follower of the template and a new date, a muted follow of nothing', { timeout: 8 * MIN }, async () => {
  const { page, tid, textOf, until, idle, ready, go, actAs, createWallet, checkPage } = env;
  const core = await loadCore();
  const chain = { ...localhost, rpcUrls: { default: { http: [env.node.url] } } };
  const organizer = createWalletClient({ chain, transport: http(env.node.url), account: ORGANIZER });
  const arkiv = createArkiv(env.node.url);
  const opts = () => ({ now: Date.now(), spaceId: SPACE });
  /** Reads the series state and writes the plan the organizer's page or the steward would. */
  async function materialize(seriesKey, horizonDays) {
    const series = await arkiv.get(seriesKey);
    const [exceptions, gatherings] = await Promise.all([
      arkiv.byType('event_series_exception', SPACE),
      arkiv.byType('virtual_gathering', SPACE),
    ]);
    const plan = core.series.planMaterialization({ series, exceptions, gatherings, horizonDays, currentBlock: await arkiv.blockNumber() }, opts());
    for (const tx of plan.transactions) await organizer.mutateEntities(tx);
    return plan;
  }

  // The organizer's series: weekly at 18:00 UTC from the day after tomorrow, six times; two dates materialized.
  const start = new Date(Math.floor((Date.now() + 2 * DAY) / DAY) * DAY + 18 * 3600_000);
  const dtstart = start.toISOString().replace(/[-:]/g, '').slice(0, 15);
  const { entityKey: seriesKey } = await organizer.createEntity(
    core.entities.build('event_series', { organizerWallet: ORGANIZER.address, community: 'Inbox club', title: 'Inbox weekly', duration: 60, recurrence: `DTSTART:${dtstart}Z\nRRULE:FREQ=WEEKLY;COUNT=6` }, opts()),
  );
  const first = await materialize(seriesKey, 10);
  assert.equal(first.create.length, 2);
  const gatherings = await arkiv.byType('virtual_gathering', SPACE);
  const byRid = new Map(gatherings.map((g) => [core.entities.parse(g).recurrenceId, g.key]));
  const [rid1, rid2] = [...byRid.keys()].sort();

  await page.goto(env.app.url);
  await page.waitForSelector('body[data-ready="true"]');
  const inboxIdle = () => page.waitForFunction(() => !Number(document.body.dataset.inbox || 0));
  const notices = () => page.locator(tid('notice')).evaluateAll((els) => els.map((e) => `${e.dataset.kind}:${e.dataset.read}`).sort());
  const unread = async () => ((await page.locator(tid('inbox-unread')).count()) ? Number(await textOf(page.locator(tid('inbox-unread')))) : 0);

  // Ada RSVPs to both dates (the gathering page).
  const ada = await createWallet('Ada', 'ada attends the weekly');
  for (const rid of [rid1, rid2]) {
    await go(`/gatherings/${byRid.get(rid)}`, 'gathering');
    await ready('gathering', ada);
    await page.click(tid('rsvp'));
    await until(`Ada's RSVP to ${rid}`, () => textOf(page.locator(tid('rsvp-count'))), (t) => t === '1');
  }
  // Fiona follows the series; Mo follows it and mutes it in his inbox.
  const fiona = await createWallet('Fiona', 'fiona follows the weekly');
  const mo = await createWallet('Mo', 'mo mutes the weekly');
  for (const [label, who] of [['Fiona', fiona], ['Mo', mo]]) {
    await actAs(label);
    await go(`/series/${seriesKey}`, 'series');
    await ready('series', who);
    await page.click(tid('series-follow'));
    await until(`${label} follows`, () => textOf(page.locator(tid('series-follow-state'))), (t) => t === 'You follow this series');
  }
  await go('/inbox', 'inbox');
  await page.waitForSelector(`${tid('inbox-follow')}[data-series-key="${seriesKey}"][data-notifications="on"]`);
  await page.click(tid('inbox-follow-toggle'));
  await page.waitForSelector(`${tid('inbox-follow')}[data-series-key="${seriesKey}"][data-notifications="off"]`);
  await inboxIdle();
  assert.deepEqual(await notices(), [], 'nothing changed yet');
  assert.equal(await page.locator(tid('inbox-permission')).getAttribute('data-permission'), 'default', 'the app never asks on its own');
  assert.equal(await page.locator(tid('inbox-ask-permission')).count(), 1, 'a button asks');
  await checkPage('inbox-empty');

  // Everyone has looked once (their inbox remembers the block); now the organizer edits.
  for (const label of ['Ada', 'Fiona']) {
    await actAs(label);
    await inboxIdle();
  }
  const seriesNow = core.entities.parse(await arkiv.get(seriesKey));
  const moved = new Date(Date.parse(rid2) + 3600_000).toISOString();
  await organizer.mutateEntities({
    creates: [
      core.entities.build('event_series_exception', { series: seriesNow, recurrenceId: rid2, kind: 'modified', changes: { sessionDate: moved } }, opts()),
      core.entities.build('event_series_exception', { series: seriesNow, recurrenceId: rid1, kind: 'cancelled' }, opts()),
    ],
  });
  const exceptions = await arkiv.byType('event_series_exception', SPACE);
  const prop = core.series.planPropagation(
    { series: await arkiv.get(seriesKey), exceptions, gatherings: await arkiv.byType('virtual_gathering', SPACE), from: new Date(Date.parse(rid2) + DAY).toISOString(), changes: { title: 'Inbox weekly, new room' } },
    opts(),
  );
  for (const tx of prop.transactions) await organizer.mutateEntities(tx);
  const more = await materialize(seriesKey, 17);
  assert.equal(more.create.length, 1, 'the next date is scheduled');

  // Ada (the app is open on her inbox: live updates or the next look bring the notices).
  await actAs('Ada');
  await go('/inbox', 'inbox');
  await until('Ada sees the move and the cancellation', notices, (n) => n.join() === 'occurrenceCancelled:false,occurrenceMoved:false', 90_000); // live, or the next look (every minute)
  assert.equal(await unread(), 2);
  const movedText = await textOf(page.locator(`${tid('notice')}[data-kind="occurrenceMoved"]`));
  assert.match(movedText, /Inbox weekly moved from .* to /);
  await checkPage('inbox-attendee');
  await page.locator(`${tid('notice')}[data-kind="occurrenceMoved"] ${tid('notice-mark-read')}`).click();
  await until('one read', unread, (n) => n === 1);
  assert.deepEqual(await notices(), ['occurrenceCancelled:false', 'occurrenceMoved:true']);
  await page.click(tid('inbox-mark-all'));
  await until('all read', unread, (n) => n === 0);
  assert.equal(await page.locator(tid('inbox-unread')).count(), 0, 'no count when nothing is unread');

  // Fiona: the template change and the new date; none of Ada's occurrence notices.
  await actAs('Fiona');
  await go('/inbox', 'inbox');
  await until('Fiona sees the series notices', notices, (n) => n.join() === 'occurrenceScheduled:false,templateChanged:false', 90_000); // live, or the next look (every minute)
  assert.equal(await unread(), 2);
  assert.match(await textOf(page.locator(`${tid('notice')}[data-kind="templateChanged"]`)), /title “Inbox weekly, new room”/);

  // Mo muted his follow: nothing.
  await actAs('Mo');
  await go('/inbox', 'inbox');
  await inboxIdle();
  await idle();
  assert.deepEqual(await notices(), []);
  assert.equal(await unread(), 0);

  // While the app is open and notifications are allowed, a new notice raises one (Ada, a reinstatement).
  await env.context.grantPermissions(['notifications'], { origin: new URL(env.app.url).origin });
  await page.evaluate(() => {
    window.__notes = [];
    const Real = window.Notification;
    window.Notification = class extends Real {
      constructor(title, options) {
        window.__notes.push(options && options.body);
        super(title, options);
      }
    };
  });
  await actAs('Ada');
  await go('/inbox', 'inbox');
  await inboxIdle();
  assert.equal(await page.locator(tid('inbox-permission')).getAttribute('data-permission'), 'granted');
  await organizer.createEntity(core.entities.build('event_series_exception', { series: seriesNow, recurrenceId: rid1, kind: 'reinstated' }, opts()));
  await materialize(seriesKey, 17);
  await until('a browser notification for the reinstatement', () => page.evaluate(() => window.__notes.slice()), (n) => n.some((b) => /is on again/.test(b)), 90_000);
  assert.ok(await unread() >= 1);
  await idle();
});
