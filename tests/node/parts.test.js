// The core's parts (docs/architecture.md#parts): loadCore({ parts: [] }) loads the main module only; a member of
// the wallet part then throws PART_NOT_LOADED at once (no hang, no half-loaded state); core.load('wallet') adds it
// to the same core; unknown parts are typed errors. Its own file: loadCore keeps one core per process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCore, ConveneError } from '@convene/core';
import { freshMainModule } from './helpers/freshModule.js';
import { readFileSync } from 'node:fs';

const ORGANIZER = '0x1111111111111111111111111111111111111111';
const SERIES_INPUT = { organizerWallet: ORGANIZER, community: 'Rust', title: 'Rust night', duration: 90,
  recurrence: 'DTSTART;TZID=Europe/Berlin:20270301T190000\nRRULE:FREQ=WEEKLY;BYDAY=MO' };

test('bad parts are refused with typed errors naming the field', async () => {
  await assert.rejects(loadCore({ parts: ['nope'] }), (e) => e instanceof ConveneError && e.code === 'UNKNOWN_PART' && e.field === 'options.parts[0]');
  await assert.rejects(loadCore({ parts: 'wallet' }), (e) => e instanceof ConveneError && e.code === 'INVALID_TYPE' && e.field === 'options.parts');
});

test('the domain core alone holds no recurrence and no time-zone database', () => {
  const wasm = (name) => readFileSync(new URL(`../../npm/dist/${name}.wasm`, import.meta.url));
  // A zone name and the TZif magic and version of the embedded IANA data (core/recurrence/tzdb_embedded.h).
  for (const needle of ['TZif2', 'America/Argentina/Buenos_Aires']) {
    assert.equal(wasm('convene').includes(needle), false, `convene.wasm holds ${JSON.stringify(needle)}`);
    assert.equal(wasm('recurrence').includes(needle), true, `recurrence.wasm lacks ${JSON.stringify(needle)}`);
  }
});

test('the recurrence part: its namespaces and entity types answer PART_NOT_LOADED until it is loaded, then work', async () => {
  const core = await loadCore({ parts: [] });
  assert.equal(core.loaded('recurrence'), false);
  const notLoaded = (e) => e instanceof ConveneError && e.code === 'PART_NOT_LOADED' && e.field === 'recurrence' && /core\.load\('recurrence'\)/.test(e.message);
  for (const use of [() => core.recurrence.tzdataVersion, () => core.series.occurrences, () => core.notices.since, () => core.bluesky.collections,
    () => core.entities.build('event_series', SERIES_INPUT, { now: '2027-02-01T00:00:00Z' }),
    () => core.entities.build('bluesky_account_link', {}, { now: '2027-02-01T00:00:00Z' }),
    () => core.entities.parse({ key: '0xs', attributes: [{ key: 'type', value: 'event_series' }], payload: '{}' })]) {
    assert.throws(use, notLoaded);
  }
  // The domain core's own types build and parse without it.
  const gathering = core.entities.build('virtual_gathering', { organizerWallet: ORGANIZER, title: 'Meetup', community: 'Rust',
    sessionDate: '2027-03-01T18:00:00Z', duration: 60 }, { now: '2027-02-01T00:00:00Z' });
  assert.ok(gathering.attributes.some((a) => a.key === 'type' && a.value === 'virtual_gathering'));
  assert.equal(core.entities.types().includes('event_series'), false);
  assert.equal(core.entities.types().includes('virtual_gathering'), true);
  // Loaded: the same calls answer, through the part's module.
  assert.equal(await core.load('recurrence'), core);
  assert.match(core.recurrence.tzdataVersion, /^20\d\d[a-z]$/);
  const series = core.entities.build('event_series', SERIES_INPUT, { now: '2027-02-01T00:00:00Z' });
  const stored = { key: '0xs', attributes: series.attributes, payload: series.payload, creator: ORGANIZER, owner: ORGANIZER };
  assert.equal(core.entities.parse(stored).tzid, 'Europe/Berlin');
  assert.equal(core.entities.types().includes('event_series'), true);
  assert.equal(core.entities.types().includes('virtual_gathering'), true);
  // An RSVP to an occurrence of the series (the domain core refuses it, the part builds it).
  const rsvp = core.entities.build('gathering_rsvp', { series: stored, recurrenceId: '2027-03-01T18:00:00Z',
    attendeeWallet: '0x2222222222222222222222222222222222222222' }, { now: '2027-02-01T00:00:00Z' });
  assert.ok(rsvp.attributes.some((a) => a.key === 'recurrenceId'));
});

test('the main part alone: the wallet part is not loaded and says so; core.load adds it to the same core', async () => {
  const core = await loadCore({ parts: [] });
  assert.equal(core.loaded('wallet'), false);
  assert.ok(core.entities.types().length > 0, 'the main part works');
  for (const use of [() => core.wallet.defaultKdf, () => core.wallet.create('pw'), () => core.wallet.recoverSigner('0x', '0x')]) {
    assert.throws(use, (e) => e instanceof ConveneError && e.code === 'PART_NOT_LOADED' && e.field === 'wallet' && /core\.load\('wallet'\)/.test(e.message));
  }
  await assert.rejects(core.load('nope'), (e) => e.code === 'UNKNOWN_PART' && e.field === 'part');
  // The placeholder is a plain object apart from its members: inspection, JSON and feature checks keep working.
  assert.equal(typeof core.wallet.onLock, 'undefined');
  assert.doesNotThrow(() => JSON.stringify(core));
  assert.doesNotThrow(() => String(core.wallet));
  const [a, b] = await Promise.all([core.load('wallet'), core.load('wallet')]);
  assert.equal(a, core);
  assert.equal(b, core);
  assert.equal(core.loaded('wallet'), true);
  const wallet = core.wallet;
  assert.equal(core.wallet, wallet, 'one wallet namespace');
  const { address, keystore } = await core.wallet.create('pw', { kdf: { opslimit: 1, memlimitKiB: 64 } });
  assert.equal(core.wallet.inspect(keystore).address, address);
  // The events part: core.events and core.meetings throw until it is loaded, then work on the same core.
  assert.equal(core.loaded('events'), false);
  for (const use of [() => core.events.normalize('videoConferenceJoined', {}, { meetingId: 'm' }), () => core.meetings.summarize([]),
    () => core.events.createBatcher({ meetingId: 'm', sink: async () => {} })]) {
    assert.throws(use, (e) => e instanceof ConveneError && e.code === 'PART_NOT_LOADED' && e.field === 'events' && /core\.load\('events'\)/.test(e.message));
  }
  // A later loadCore's options say where its parts come from: bytes that are not a module fail that load (the part
  // stays unloaded, no half-loaded state), and the next call loads it.
  const lines = [];
  await assert.rejects(loadCore({ parts: ['events'], eventsWasmBinary: new Uint8Array([0, 0x61, 0x73, 0x6d, 9, 9, 9, 9]), onLog: (l) => lines.push(l) }));
  assert.equal(core.loaded('events'), false);
  assert.throws(() => core.meetings.summarize([]), (e) => e.code === 'PART_NOT_LOADED');
  assert.equal(await core.load('events'), core);
  assert.equal(core.loaded('events'), true);
  const record = core.events.normalize('videoConferenceJoined', { roomName: 'r', id: 'p1', displayName: 'Ada' },
    { meetingId: 'm1', participantId: 'p1', now: '2026-12-02T10:00:00Z' });
  const { meetings: [meeting] } = core.meetings.summarize([record]);
  assert.equal(meeting.meetingId, 'm1');
  assert.equal(meeting.participants[0].displayName, 'Ada');
  assert.equal(await loadCore(), core, 'loadCore() resolves to the same core, now with every part');
});

test("each optional part's placeholder lists exactly the members its loaded namespaces have", async () => {
  // The placeholders (npm/src/loader.js) are what a page sees before a part loads: a member missing there would read
  // as undefined instead of throwing PART_NOT_LOADED. Compared with a second, unloaded core's placeholders.
  const core = await loadCore();
  const { loadCore: loadAgain } = await import(`../../npm/src/loader.js?fresh=${Date.now()}`);
  const bare = await loadAgain({ parts: [] });
  for (const ns of ['recurrence', 'series', 'notices', 'bluesky', 'events', 'meetings', 'wallet']) {
    assert.deepEqual(Object.keys(bare[ns]).sort(), Object.keys(core[ns]).sort(), `core.${ns}`);
  }
});

test('the main module carries no wallet, events or recurrence code (those parts are their own modules)', async () => {
  const { M } = await freshMainModule();
  for (const name of ['recurrence_expand', 'recurrence_tzdataVersion', 'series_occurrences', 'notices_since', 'bluesky_claims']) {
    assert.equal(typeof M[name], 'undefined', name);
  }
  assert.equal(typeof M.wallet_defaultKdf, 'undefined');
  assert.equal(typeof M.events_normalize, 'undefined');
  assert.equal(typeof M.meetings_summarize, 'undefined');
  assert.equal(typeof M.events_fromEntities, 'undefined');
  assert.equal(typeof M.entities_types, 'function');
});
