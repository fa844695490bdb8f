// Browser end-to-end test of Bluesky in the reference app (docs/bluesky.md#the-app), in headless Debian
// Chromium against the local Arkiv node and the reference ATProto PDS (tools/pds, started by the harness
// with the accounts alice.test and bob.test): Alice connects her account on the Bluesky page, publishes her
// series' current date from the series page and a gathering from its page, and the records are on the PDS (checked against the lexicon by
// @atproto/lexicon); Bob RSVPs on Bluesky from his own repo and the series page counts it; importing Alice's
// events marks the record as Convene's own (an echo); importing Bob's four weekly events proposes a series,
// which Alice accepts and creates. Bob, who RSVP'd only on Bluesky, is listed by handle; then he makes a wallet,
// links it and his account (docs/bluesky.md#claims) and, going on both sides, is counted once.
// Run: node --test tests/e2e/bluesky.e2e.test.js   (needs npm/dist from `scripts/build.sh wasm` and /usr/bin/chromium)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { schemas } from '@atproto/api';
import { Lexicons } from '@atproto/lexicon';
import { MIN, useApp } from './harness.js';

const env = useApp({ suite: 'bluesky', pdsAccounts: ['alice', 'bob'] });
const EVENT = 'community.lexicon.calendar.event';
const RSVP = 'community.lexicon.calendar.rsvp';
const lexicon = (name) => JSON.parse(readFileSync(new URL(`../../lexicons/community/lexicon/calendar/${name}.json`, import.meta.url), 'utf8'));
const lexicons = new Lexicons([...schemas.filter((s) => s.id === 'com.atproto.repo.strongRef'), lexicon('event'), lexicon('rsvp')]);
/** The app clock (Mon 8 Mar 2027, 12:00 UTC): the series' first date, Thu 11 Mar, is the current one. */
const APP_NOW = Date.parse('2027-03-08T12:00:00Z');

async function records(agent, did, collection) {
  const res = await agent.com.atproto.repo.listRecords({ repo: did, collection, limit: 100 });
  return res.data.records;
}

test('Bluesky: connect, publish a series date and a gathering, RSVPs from another account counted, import with echoes, a proposed series accepted', { timeout: 5 * MIN }, async () => {
  const { page, tid, textOf, waitText, until, ready, go, createWallet, unlock, actAs, setClock, checkPage, pds } = env;
  const [alice, bob] = pds.accounts;
  await page.goto(env.app.url);
  await page.waitForSelector('body[data-ready="true"]');
  await createWallet('Alice', 'alice publishes on bluesky');
  await setClock(APP_NOW);

  // A weekly series, Thursdays 19:00 UTC, 4 times.
  await go('/series/new', 'series-new');
  await page.fill(tid('series-title'), 'Jitsi hack night');
  await page.fill(tid('series-community'), 'Jitsi hackers');
  await page.selectOption(tid('series-tz'), 'UTC');
  await page.fill(tid('series-start'), '2027-03-11T19:00');
  await page.check(tid('series-weekday-TH'));
  await page.selectOption(tid('series-end'), 'count');
  await page.fill(tid('series-count'), '4');
  await page.click(tid('series-create'));
  await ready('series');
  const seriesKey = await page.locator(tid('series-page')).getAttribute('data-key');
  await waitText('not published', page.locator(tid('bluesky-none')), 'Not published on Bluesky yet.');
  await waitText('connect first', page.locator(tid('bluesky-connect-hint')), /Connect a Bluesky account/);

  // Connect: a wrong password is said at the field; the right one connects.
  await page.click(tid('nav-bluesky'));
  await ready('bluesky');
  await page.fill(tid('bluesky-connect-handle'), alice.handle);
  await page.fill(tid('bluesky-connect-password'), 'not-her-password');
  await page.click(tid('bluesky-connect'));
  await waitText('refused', page.locator(`${tid('field-error')}[data-field="password"]`), /refused/);
  await page.fill(tid('bluesky-connect-password'), alice.password);
  await page.click(tid('bluesky-connect'));
  await waitText('connected', page.locator(tid('bluesky-handle')), `@${alice.handle}`);
  await checkPage('bluesky');

  // Publish the current date from the series page; again: nothing more to publish.
  await go(`/series/${seriesKey}`, 'series');
  await page.click(tid('bluesky-publish'));
  await waitText('published', page.locator(tid('bluesky-publish-result')), 'Published on Bluesky: 1 new, 0 updated.');
  await until('one publication listed', () => page.locator(tid('bluesky-publication')).count(), (n) => n === 1);
  assert.equal(await page.locator(tid('bluesky-publication')).getAttribute('data-recurrence-id'), '2027-03-11T19:00:00.000Z');
  await page.click(tid('bluesky-publish'));
  await waitText('idempotent', page.locator(tid('bluesky-publish-result')), /^Nothing to publish/);

  // On the PDS: one record in Alice's repo, valid by the lexicon, the series' first date with a link to the page.
  const reader = await pds.agent();
  const published = await records(reader, alice.did, EVENT);
  assert.equal(published.length, 1, 'one record, whatever the number of clicks');
  lexicons.assertValidRecord(EVENT, published[0].value);
  assert.equal(published[0].value.name, 'Jitsi hack night');
  assert.equal(published[0].value.startsAt, '2027-03-11T19:00:00.000Z');
  assert.equal(published[0].value.status, `${EVENT}#scheduled`);
  assert.match(published[0].value.uris[0].uri, new RegExp(`#/series/${seriesKey}$`));
  assert.equal(await textOf(page.locator(tid('bluesky-going'))), '0');

  // Bob RSVPs on Bluesky, from his own repo: the series page counts him.
  const bobAgent = await pds.agent(bob);
  const rsvp = { $type: RSVP, subject: { uri: published[0].uri, cid: published[0].cid }, status: `${RSVP}#going`, createdAt: new Date().toISOString() };
  lexicons.assertValidRecord(RSVP, rsvp);
  await bobAgent.com.atproto.repo.createRecord({ repo: bob.did, collection: RSVP, record: rsvp });
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  await ready('series');
  await waitText('Bob counted', page.locator(tid('bluesky-going')), '1');
  // ... and on the date's card, next to the RSVPs on Arkiv.
  const mar11 = page.locator(`${tid('occurrence')}[data-recurrence-id="2027-03-11T19:00:00.000Z"]`);
  assert.equal(await textOf(mar11.locator(tid('occurrence-rsvp-count'))), '0');
  assert.equal(await textOf(mar11.locator(tid('occurrence-bluesky-count'))), '· 1 more on Bluesky');
  await checkPage('series-bluesky');
  // The reload kept the Bluesky session (this tab's sessionStorage); the wallet, held in memory only, is locked.
  await unlock('Alice');
  const people = () => page.locator(tid('bluesky-person')).evaluateAll((els) => els.map((e) => `${e.dataset.did} ${e.dataset.status} ${e.dataset.alsoOnArkiv}`));
  assert.deepEqual(await people(), [`${bob.did} going false`]);
  assert.match(await textOf(page.locator(tid('bluesky-person'))), /^@bob\.test — on Bluesky only$/, 'a Bluesky-only attendee, by handle');

  // Bob joins Convene too: he makes a wallet, connects his account and links the two (both halves: a record in
  // his repo, an entity signed by his wallet), then RSVPs on Arkiv as well: he is counted once.
  const connectAs = async (account) => {
    await go('/bluesky', 'bluesky');
    if (await page.locator(tid('bluesky-disconnect')).count()) await page.click(tid('bluesky-disconnect'));
    await page.fill(tid('bluesky-connect-handle'), account.handle);
    await page.fill(tid('bluesky-connect-password'), account.password);
    await page.click(tid('bluesky-connect'));
    await waitText(`connected as ${account.handle}`, page.locator(tid('bluesky-handle')), `@${account.handle}`);
  };
  const bobWallet = await createWallet('Bob', 'bob goes on both sides');
  await connectAs(bob);
  await waitText('not linked', page.locator(tid('bluesky-link-state')), /^Link Bob’s wallet and @bob\.test/);
  await page.click(tid('bluesky-link-wallet'));
  await waitText('linked', page.locator(tid('bluesky-link-result')), 'Linked: Bob’s wallet and @bob.test.');
  await until('both halves read back', () => page.locator(tid('bluesky-link-state')).getAttribute('data-linked'), (v) => v === 'true');
  const links = await records(reader, bob.did, 'app.convene.walletLink');
  assert.equal(links.length, 1);
  assert.equal(links[0].value.wallet, bobWallet.toLowerCase());
  assert.equal(links[0].uri.split('/').pop(), bobWallet.toLowerCase(), 'the record key is the wallet it names');
  await go(`/series/${seriesKey}`, 'series');
  await mar11.locator(tid('occurrence-rsvp')).click();
  await until('his RSVP on Arkiv', () => textOf(mar11.locator(tid('occurrence-rsvp-count'))), (t) => t === '1');
  await go('/bluesky', 'bluesky');
  await go(`/series/${seriesKey}`, 'series');
  await until('Bob known on both sides', people, (p) => p.length === 1 && p[0] === `${bob.did} going true`);
  assert.equal(await textOf(page.locator(tid('bluesky-going'))), '1');
  assert.equal(await textOf(mar11.locator(tid('occurrence-rsvp-count'))), '1');
  assert.equal(await textOf(mar11.locator(tid('occurrence-bluesky-count'))), '· 0 more on Bluesky', 'Bob once, not twice');
  await actAs('Alice');
  await connectAs(alice);

  // A standalone gathering: Alice publishes it from its page; Bob RSVPs on Bluesky; the page counts him.
  await go('/gatherings/new', 'gathering-new');
  await page.fill(tid('gathering-title'), 'Jitsi office hours');
  await page.fill(tid('gathering-community'), 'Jitsi hackers');
  await page.fill(tid('gathering-date'), '2027-03-20T18:00');
  await page.click(tid('gathering-create'));
  await ready('gathering');
  const gatheringKey = await page.locator(tid('gathering-page')).getAttribute('data-key');
  await waitText('gathering not published', page.locator(tid('bluesky-none')), 'Not published on Bluesky yet.');
  await page.click(tid('bluesky-publish'));
  await waitText('gathering published', page.locator(tid('bluesky-publish-result')), /^Published on Bluesky: at:\/\//);
  await until('its record listed', () => page.locator(tid('bluesky-publication')).count(), (n) => n === 1);
  await page.click(tid('bluesky-publish'));
  await waitText('gathering idempotent', page.locator(tid('bluesky-publish-result')), 'Bluesky already shows this gathering as it is.');
  const events = await records(reader, alice.did, EVENT);
  assert.equal(events.length, 2, 'the series date and the gathering, one record each');
  const office = events.find((e) => e.value.name === 'Jitsi office hours');
  lexicons.assertValidRecord(EVENT, office.value);
  assert.equal(office.value.startsAt, '2027-03-20T18:00:00.000Z');
  assert.match(office.value.uris[0].uri, new RegExp(`#/gatherings/${gatheringKey}$`));
  await bobAgent.com.atproto.repo.createRecord({ repo: bob.did, collection: RSVP, record: { ...rsvp, subject: { uri: office.uri, cid: office.cid }, createdAt: new Date().toISOString() } });
  await go('/bluesky', 'bluesky');
  await go(`/gatherings/${gatheringKey}`, 'gathering');
  await waitText('Bob counted on the gathering', page.locator(tid('bluesky-going')), '1');
  assert.equal(await textOf(page.locator(tid('rsvp-count'))), '0', 'the RSVPs on Arkiv, beside');
  await checkPage('gathering-bluesky');

  // Import Alice's own events: the published record comes back as Convene's own.
  await go('/bluesky', 'bluesky');
  await page.click(tid('bluesky-import'));
  await waitText('read', page.locator(tid('bluesky-import-status')), /^2 events of @alice\.test; 0 possible series\.$/);
  assert.deepEqual(await page.locator(tid('bluesky-event')).evaluateAll((els) => els.map((e) => e.dataset.provenance)), ['echo', 'echo'], 'the series date and the gathering');

  // Bob's four weekly events (one week missing) form a series: accept it, and it is created from them.
  for (const day of ['01', '08', '22', '29']) {
    const record = { $type: EVENT, name: `Rust reading club #${day}`, createdAt: new Date().toISOString(), startsAt: `2027-04-${day}T17:30:00.000Z`, endsAt: `2027-04-${day}T19:00:00.000Z`, mode: `${EVENT}#virtual`, status: `${EVENT}#scheduled` };
    lexicons.assertValidRecord(EVENT, record);
    await bobAgent.com.atproto.repo.createRecord({ repo: bob.did, collection: EVENT, record });
  }
  await page.fill(tid('bluesky-import-handle'), bob.handle);
  await page.click(tid('bluesky-import'));
  await waitText('read bob', page.locator(tid('bluesky-import-status')), /^4 events of @bob\.test; 1 possible series\.$/);
  assert.deepEqual(await page.locator(tid('bluesky-event')).evaluateAll((els) => els.map((e) => e.dataset.provenance)), ['foreign', 'foreign', 'foreign', 'foreign']);
  assert.equal(await textOf(page.locator(tid('proposal-confidence'))), '80%', '4 events, 1 gap');
  await checkPage('bluesky-import');
  await page.click(tid('proposal-accept'));
  await ready('series-new');
  await waitText('from the import', page.locator(tid('series-from-import')), /^From 4 events of @bob\.test/);
  assert.equal(await page.locator(tid('series-title')).inputValue(), 'Rust reading club #01');
  assert.equal(await page.locator(tid('series-duration')).inputValue(), '90');
  const ical = await page.locator(tid('series-ical')).inputValue();
  assert.match(ical, /RRULE:FREQ=WEEKLY/);
  assert.match(ical, /EXDATE/);
  await page.fill(tid('series-title'), 'Rust reading club');
  await page.fill(tid('series-community'), 'Rust readers');
  await page.click(tid('series-create'));
  await ready('series');
  await until('four dates', () => page.locator(tid('occurrence')).count(), (n) => n === 4);
  const dates = await page.locator(tid('occurrence')).evaluateAll((els) => els.map((e) => e.dataset.recurrenceId));
  assert.deepEqual(dates, ['2027-04-01T17:30:00.000Z', '2027-04-08T17:30:00.000Z', '2027-04-22T17:30:00.000Z', '2027-04-29T17:30:00.000Z'], "the imported events' dates");
  assert.deepEqual(env.consoleErrors.filter((e) => !/Failed to load resource/.test(e)), []);
});
