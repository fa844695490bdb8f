// Browser end-to-end test of the series edits of the reference app (web/, issue 12), through the UI in
// headless Debian Chromium against the local Arkiv node (set-up: tests/e2e/harness.js).
// Alice creates a weekly Thursday series (19:00 Berlin). Bob RSVPs to a date that is a gathering
// already and to one that is not (vivification: the RSVP names the series and the RECURRENCE-ID).
// Alice cancels and reinstates Bob's first date, changes the title and length from a later date on,
// and changes the rule from a date (a split: a new series takes the later dates, Tuesdays added).
// After each change Bob's page says where his RSVPs stand (status, counts); his RSVP to the date that
// was not a gathering counts once the new series materializes it.
// Run: node --test --test-concurrency=1 tests/e2e/series-edits.e2e.test.js   (needs npm/dist and /usr/bin/chromium)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPublicClient, http } from '@arkiv-network/sdk';
import { localhost } from '@arkiv-network/sdk/chains';
import { eq } from '@arkiv-network/sdk/query';
import { runStewardProcess } from '../steward-process.js';
import { MIN, useApp } from './harness.js';

/**
 * The steward (tools/steward) as cron runs it: a child process with the keystore file and a passphrase
 * file in the environment, against the app's node and space. Returns a runner: args -> {code, json, output, ms}.
 */
async function stewardFor(keystorePath, passphrase, rpcUrl) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-e2e-steward-'));
  const keystore = path.join(dir, 'alice.keystore.json');
  fs.copyFileSync(keystorePath, keystore);
  fs.chmodSync(keystore, 0o600);
  const passphraseFile = path.join(dir, 'passphrase');
  fs.writeFileSync(passphraseFile, `${passphrase}\n`, { mode: 0o600 });
  const env = { CONVENE_STEWARD_KEYSTORE: keystore, CONVENE_STEWARD_PASSPHRASE_FILE: passphraseFile, CONVENE_ARKIV_RPC_URL: rpcUrl };
  return async (args) => {
    const r = await runStewardProcess(args, env);
    return { ...r, output: `exit ${r.code}\n${r.stdout}\n${r.stderr}` };
  };
}

/** Every entity of the app's space as the node holds it now (key, owner, attributes, payload, version), sorted by key. */
async function spaceSnapshot(rpcUrl) {
  const client = createPublicClient({ chain: { ...localhost, rpcUrls: { default: { http: [rpcUrl] } } }, transport: http(rpcUrl) });
  const result = await client.buildQuery().where(eq('spaceId', 'local-dev')).withAttributes(true).withPayload(true).withMetadata(true).limit(200).fetch();
  const all = [...result.entities];
  while (result.hasNextPage()) {
    await result.next();
    all.push(...result.entities);
  }
  const text = (p) => (p ? Buffer.from(p).toString('base64') : '');
  return all
    .map((e) => ({ key: e.key, owner: e.owner, block: String(e.lastModifiedAtBlock), attributes: JSON.stringify(e.attributes), payload: text(e.payload) }))
    .sort((x, y) => (x.key < y.key ? -1 : 1));
}

const env = useApp({ suite: 'series-edits' });
let page, tid, textOf, waitText, until, ready, go, actAs, createWallet, setClock, checkPage, idle;

const TITLE = 'E2E Thursday club';
/** Mon 8 Mar 2027, 12:00 UTC: the 28-day window holds 11, 18, 25 March and 1 April. */
const APP_NOW = Date.parse('2027-03-08T12:00:00Z');
const MAR18 = '2027-03-18T18:00:00.000Z';
const MAR25 = '2027-03-25T18:00:00.000Z';
const APR01 = '2027-04-01T17:00:00.000Z'; // summer time from 28 March: 19:00 Berlin is 17:00 UTC
const APR15 = '2027-04-15T17:00:00.000Z';
const occ = (rid) => page.locator(`${tid('occurrence')}[data-recurrence-id="${rid}"]`);
const stateOf = (rid) => occ(rid).getAttribute('data-state');
const myStatus = (rid) => occ(rid).locator(tid('occurrence-my-status')).getAttribute('data-status');

test('series edits: RSVP to any date, cancel and reinstate, the template from a date, the rule from a date (split)', { timeout: 8 * MIN }, async () => {
  ({ page, tid, textOf, waitText, until, ready, go, actAs, createWallet, setClock, checkPage, idle } = env);
  await page.goto(env.app.url);
  await page.waitForSelector('body[data-ready="true"]');
  const alice = await createWallet('Alice', 'alice edits her series');
  const bob = await createWallet('Bob', 'bob attends some dates');
  await actAs('Alice');
  await setClock(APP_NOW);

  // Alice: every Thursday 19:00 Berlin, no end, an hour each.
  await go('/series/new', 'series-new');
  await page.fill(tid('series-title'), TITLE);
  await page.fill(tid('series-community'), 'Rust Berlin');
  await page.selectOption(tid('series-tz'), 'Europe/Berlin');
  await page.fill(tid('series-start'), '2027-03-11T19:00');
  await page.check(tid('series-weekday-TH'));
  await page.fill(tid('series-duration'), '60');
  await waitText('rule in words', page.locator(tid('series-rule-preview')), 'Repeats every Thursday at 19:00 (Europe/Berlin time).');
  await page.click(tid('series-create'));
  await ready('series');
  const seriesKey = await page.locator(tid('series-page')).getAttribute('data-key');
  await until('four dates are gatherings', () => page.locator(`${tid('occurrence')}[data-state="materialized"]`).count(), (n) => n === 4);
  assert.equal(await stateOf(APR15), 'planned');
  assert.equal(await page.locator(tid('occurrence-rsvp')).count(), 0, 'the organizer does not RSVP to her own dates');

  // Bob RSVPs to 18 March (a gathering) and to 15 April (not yet one).
  await actAs('Bob');
  await go(`/series/${seriesKey}`, 'series');
  await ready('series', bob);
  assert.equal(await occ(APR15).locator(tid('occurrence-rsvp')).isDisabled(), false, 'a date that is not a gathering takes an RSVP');
  await occ(MAR18).locator(tid('occurrence-rsvp')).click();
  await waitText('counted at once', occ(MAR18).locator(tid('occurrence-rsvp-count')), '1');
  await until('going on 18 March', () => myStatus(MAR18), (s) => s === 'scheduled');
  await occ(APR15).locator(tid('occurrence-rsvp')).click();
  await waitText('RSVP to a planned date', occ(APR15).locator(tid('action-ok')), /You’re going on .*15 Apr.*Your RSVP counts once the date is scheduled\.$/);
  await until('going on 15 April', () => myStatus(APR15), (s) => s === 'scheduled');
  assert.equal(await textOf(occ(APR15).locator(tid('occurrence-my-status'))), 'You’re going');
  assert.equal(await occ(APR15).locator(tid('occurrence-rsvp')).isDisabled(), true, 'one RSVP per date');
  assert.equal(await occ(APR15).locator(tid('occurrence-rsvp-count')).count(), 0, 'not counted before it is a gathering');
  await checkPage('attendee');

  // Alice cancels 18 March: the dialog counts Bob; his RSVP then reads cancelled, kept.
  await actAs('Alice');
  await ready('series', alice);
  await occ(MAR18).locator(tid('occurrence-cancel')).click();
  await page.locator(tid('confirm-dialog')).waitFor();
  assert.equal(await textOf(page.locator(tid('confirm-count'))), '1 person');
  await page.click(tid('confirm-yes'));
  await until('cancelled', () => stateOf(MAR18), (s) => s === 'cancelled');
  await waitText('cancel result', occ(MAR18).locator(tid('action-ok')), /is cancelled; its gathering is kept, marked cancelled \(1 person had RSVP’d: their RSVPs stay and read cancelled\)\.$/);
  assert.equal(await textOf(occ(MAR18).locator(tid('occurrence-rsvp-kept'))), '1');
  await actAs('Bob');
  await ready('series', bob);
  await until('Bob sees his RSVP cancelled with the date', () => myStatus(MAR18), (s) => s === 'cancelled');
  assert.equal(await textOf(occ(MAR18).locator(tid('occurrence-my-status'))), 'Your RSVP: cancelled with the date');
  assert.equal(await occ(MAR18).locator(tid('occurrence-rsvp')).count(), 0, 'a cancelled date takes no RSVP');

  // Alice reinstates it: the dialog says Bob's RSVP counts again; the same gathering is back.
  await actAs('Alice');
  await ready('series', alice);
  const gatheringKey = await occ(MAR18).getAttribute('data-gathering-key');
  await occ(MAR18).locator(tid('occurrence-reinstate')).click();
  await page.locator(tid('confirm-dialog')).waitFor();
  assert.equal(await textOf(page.locator(tid('confirm-count'))), '1 person');
  assert.match(await textOf(page.locator(tid('confirm-body'))), /RSVP’d before it was cancelled: their RSVPs count again/);
  await checkPage('reinstate-dialog');
  await page.click(tid('confirm-yes'));
  await until('reinstated', () => stateOf(MAR18), (s) => s === 'materialized');
  await waitText('reinstate result', occ(MAR18).locator(tid('action-ok')), /is back; its gathering is restored \(1 person RSVP’d: their RSVPs count again\)\.$/);
  assert.equal(await occ(MAR18).getAttribute('data-gathering-key'), gatheringKey, 'the same gathering, under its key');
  assert.equal(await textOf(occ(MAR18).locator(tid('occurrence-rsvp-count'))), '1');

  // Alice changes the title and length from 25 March on; the dates before keep theirs.
  await page.click(tid('open-template'));
  const form = page.locator(tid('template-form'));
  await form.locator(tid('template-save')).click();
  await waitText('nothing changed', form.locator(`${tid('field-error')}[data-field="title"]`), 'Nothing is changed yet: edit the title, the time or the length first.');
  await form.locator(tid('template-from')).selectOption(MAR25);
  await form.locator(tid('template-title')).fill('E2E Thursday club (longer)');
  await form.locator(tid('template-duration')).fill('90');
  await form.locator(tid('template-save')).click();
  await page.locator(tid('confirm-dialog')).waitFor();
  assert.equal(await textOf(page.locator(tid('confirm-count'))), '2 gatherings', '25 March and 1 April are gatherings already');
  await checkPage('template-dialog');
  await page.click(tid('confirm-yes'));
  await waitText('template result', form.locator(tid('form-ok')), /^The series is changed from .*25 Mar.* on: 2 gatherings updated\.$/);
  await until('new title from 25 March', () => occ(MAR25).locator(tid('occurrence-title')).textContent(), (t) => t === 'E2E Thursday club (longer)');
  assert.equal(await textOf(occ(MAR18).locator(tid('occurrence-title'))), TITLE, 'before the date: the old title');
  assert.match(await textOf(occ(MAR25).locator('.meta')), /· 1 h 30 min$/, 'from the date: the new length');
  assert.match(await textOf(occ(MAR18).locator('.meta')), /· 1 h$/, 'before the date: the old length');
  await actAs('Bob');
  await ready('series', bob);
  await until('Bob sees the new title', () => occ(APR15).locator(tid('occurrence-title')).textContent(), (t) => t === 'E2E Thursday club (longer)');
  assert.equal(await myStatus(MAR18), 'scheduled', 'his RSVP to 18 March counts again');
  assert.equal(await textOf(occ(MAR18).locator(tid('occurrence-rsvp-count'))), '1');

  // Alice changes the rule from 1 April on: Tuesdays too. The form shows the new series as planned.
  await actAs('Alice');
  await ready('series', alice);
  await page.click(tid('open-split'));
  const split = page.locator(tid('split-form'));
  await split.locator(tid('split-at')).selectOption(APR01);
  assert.equal(await split.locator(tid('split-weekday-TH')).isChecked(), true, 'the editor starts from the current rule');
  await split.locator(tid('split-weekday-TU')).check();
  await split.locator(tid('split-title')).fill('E2E Tuesday and Thursday club');
  await waitText('new rule in words', split.locator(tid('split-rule-preview')), 'The new series repeats every Tuesday and Thursday at 19:00 (Europe/Berlin time).');
  assert.deepEqual(
    (await split.locator(`${tid('split-preview')} ${tid('preview-series-time')}`).allTextContents()).slice(0, 3).map((t) => t.replace(/,? 19:00$/, '')),
    ['Thu 1 Apr', 'Tue 6 Apr', 'Thu 8 Apr'],
  );
  await checkPage('split-form');
  await split.locator(tid('split-save')).click();
  await page.locator(tid('confirm-dialog')).waitFor();
  assert.match(await textOf(page.locator(tid('confirm-body'))), /This series ends before .*1 Apr.*A new series “E2E Tuesday and Thursday club” takes the dates from then on: every Tuesday and Thursday/);
  assert.equal(await textOf(page.locator(tid('confirm-count'))), '1 gathering');
  await page.click(tid('confirm-yes'));
  await waitText('split result', page.locator(tid('split-result')), /^The rule is changed from .*1 Apr.* on: a new series has the later dates \(1 gathering or change moved, with their RSVPs\)\. Open the new series$/, 60_000);
  await until('the old series ends before 1 April', () => page.locator(tid('occurrence')).count(), (n) => n === 3);
  await waitText('old page says what continues it', page.locator(tid('series-continued')), /^From .*1 Apr.* on, this series continues as “E2E Tuesday and Thursday club” \(the rule changed\)\.$/);
  await page.click(tid('split-new-link'));
  await ready('series', alice);
  const newKey = await page.locator(tid('series-page')).getAttribute('data-key');
  assert.notEqual(newKey, seriesKey);
  assert.equal(await textOf(page.locator(tid('series-page-rule'))), 'every Tuesday and Thursday at 19:00 (Europe/Berlin time)');
  await page.locator(tid('series-split-from')).waitFor();
  assert.equal(await stateOf(APR01), 'materialized', 'the 1 April gathering moved to the new series');
  assert.equal(await textOf(occ(APR01).locator(tid('occurrence-title'))), 'E2E Tuesday and Thursday club');
  await checkPage('split-new-series');

  // Bob, on the new series: his RSVP to 15 April followed it, not counted until it is a gathering.
  await actAs('Bob');
  await go(`/series/${newKey}`, 'series');
  await ready('series', bob);
  await until('his RSVP followed the split', () => myStatus(APR15), (s) => s === 'scheduled');
  assert.equal(await occ(APR15).locator(tid('occurrence-rsvp')).isDisabled(), true);
  assert.equal(await stateOf(APR15), 'planned');

  // A week and a half later nobody opens the series: Alice's steward runs from cron with the keystore
  // file she saved from the Wallets page. 15 April becomes a gathering and Bob's RSVP counts. Run twice
  // in a row and twice at once, it leaves the same entities.
  const LATER = Date.parse('2027-03-22T12:00:00Z');
  await actAs('Alice');
  await go('/wallets', 'wallets');
  const row = page.locator(`${tid('wallet-row')}[data-address="${alice}"]`);
  await row.locator('summary', { hasText: 'Details' }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), row.locator(tid('wallet-keystore-download')).click()]);
  assert.match(download.suggestedFilename(), /^convene-Alice-[0-9a-f]{6}\.keystore\.json$/);
  const steward = await stewardFor(await download.path(), 'alice edits her series', env.node.url);
  const run = (extra = []) => steward(['--json', '--now', new Date(LATER).toISOString(), ...extra]);
  const first = await run();
  assert.equal(first.code, 0, first.output);
  const created = first.json.series.flatMap((r) => r.created.map((c) => c.recurrenceId));
  assert.ok(created.includes(APR15), `the steward materialized 15 April: ${JSON.stringify(created)}`);
  assert.deepEqual(first.json.series.flatMap((r) => [...r.cancelled, ...r.duplicatesRetired]), [], 'nothing retired');
  const afterFirst = await spaceSnapshot(env.node.url);
  const second = await run();
  assert.equal(second.code, 0, second.output);
  assert.equal(second.json.totals.written, 0, 'the second run has nothing to do');
  assert.deepEqual(await spaceSnapshot(env.node.url), afterFirst, 'twice in a row: the same entities');
  const [a, b] = await Promise.all([run(), run()]);
  assert.deepEqual([a.code, b.code], [0, 0], `${a.output}\n${b.output}`);
  assert.deepEqual(await spaceSnapshot(env.node.url), afterFirst, 'twice at once: the same entities');
  console.log(`steward: first run created ${created.length}, in ${first.ms} ms; the second and the two at once wrote nothing; ${afterFirst.length} entities in the space`);

  await go('/series', 'series-list');
  await setClock(LATER);
  await go(`/series/${newKey}`, 'series');
  await ready('series', alice);
  assert.equal(await stateOf(APR15), 'materialized', 'materialized by the steward before the page opened');
  await waitText('counted once materialized', occ(APR15).locator(tid('occurrence-rsvp-count')), '1');
  await waitText('the page has nothing left to write', page.locator(tid('series-materialized')), /^Checked the next 28 days: every date is already a gathering \(0 created, 0 updated, 0 cancelled\)\.$/, 60_000);
  assert.deepEqual(await spaceSnapshot(env.node.url), afterFirst, "the organizer's page found nothing left to write");
  await actAs('Bob');
  await ready('series', bob);
  await until('Bob going on 15 April', () => myStatus(APR15), (s) => s === 'scheduled');
  assert.equal(await textOf(occ(APR15).locator(tid('occurrence-rsvp-count'))), '1');
  // The date's own gathering page counts it too, and says Bob is going.
  await occ(APR15).locator(tid('occurrence-gathering')).click();
  await ready('gathering', bob);
  await waitText('gathering page count', page.locator(tid('rsvp-count')), '1');
  assert.equal(await page.locator(tid('my-rsvp-status')).getAttribute('data-status'), 'scheduled');
  await checkPage('occurrence-gathering');
  await idle();
  const unexpected = env.consoleErrors.filter((e) => !/config\.json|favicon|ERR_NAME_NOT_RESOLVED/.test(e));
  assert.deepEqual(unexpected, [], 'no page errors');
});
