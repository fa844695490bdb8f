// core.series and the event-series entities through the package (docs/domain.md#event-series).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadCore } from '@convene/core';

import { asStored, asUpdated, assertConveneError, LEARNER, MENTOR, STRANGER } from './helpers.js';

const core = await loadCore();
const now = '2026-02-20T00:00:00Z';
const attrs = (draft) => Object.fromEntries(draft.attributes.map((a) => [a.key, a.value]));
// Mondays 19:00 Berlin wall time; CET -> CEST on 2026-03-29.
const recurrence = 'DTSTART;TZID=Europe/Berlin:20260302T190000\nRRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=6';
const series = asStored(
  core.entities.build('event_series', { organizerWallet: MENTOR, community: 'Rust Berlin', title: 'Rust night', duration: 90, recurrence }, { now }),
  '0xseries',
);

test('event_series entity carries the template and canonical recurrence', () => {
  const parsed = core.entities.parse(series);
  assert.equal(parsed.type, 'event_series');
  assert.equal(parsed.tzid, 'Europe/Berlin');
  assert.equal(parsed.rrule, 'FREQ=WEEKLY;COUNT=6;BYDAY=MO');
  assert.equal(parsed.duration, 90);
  assertConveneError(
    () => core.entities.build('event_series', { organizerWallet: MENTOR, community: 'x', title: 't', recurrence: 'DTSTART:20260302T190000\nRRULE:FREQ=WEEKLY;BYDAY=XX' }, { now }),
    'INVALID_RRULE',
  );
});

test('occurrences keep 19:00 local across the DST change and show exception states', () => {
  const cancel = asStored(core.entities.build('event_series_exception', { series, recurrenceId: '2026-03-09T18:00:00Z', kind: 'cancelled' }, { now }), '0xx1');
  const modify = asStored(
    core.entities.build('event_series_exception', { series, recurrenceId: '2026-03-30T17:00:00Z', kind: 'modified', changes: { title: 'Async special' } }, { now }),
    '0xx2',
  );
  const occ = core.series.occurrences({ series, exceptions: [cancel, modify] });
  assert.equal(occ.length, 6);
  assert.deepEqual(occ.map((o) => o.startsAt.slice(11, 16)), ['18:00', '18:00', '18:00', '18:00', '17:00', '17:00']);
  assert.ok(occ.every((o) => o.local.endsWith('T19:00:00')));
  assert.deepEqual(occ.map((o) => o.state), ['planned', 'cancelled', 'planned', 'planned', 'modified', 'planned']);
  assert.equal(occ[4].title, 'Async special');
  assertConveneError(
    () => core.entities.build('event_series_exception', { series, recurrenceId: '2026-03-03T18:00:00Z', kind: 'cancelled' }, { now }),
    'NOT_AN_OCCURRENCE',
    'input.recurrenceId',
  );
});

test('materialization writes gatherings RSVP works on unchanged, and is idempotent', () => {
  const at = '2026-03-01T00:00:00Z';
  const plan = core.series.planMaterialization({ series, horizonDays: 10 }, { now: at });
  assert.equal(plan.create.length, 2);
  const g = asStored(plan.create[0], '0xg1');
  assert.equal(attrs(plan.create[0]).type, 'virtual_gathering');
  assert.equal(attrs(plan.create[0]).seriesKey, '0xseries');
  assert.equal(attrs(plan.create[0]).recurrenceId, '2026-03-02T18:00:00.000Z');
  // A materialized occurrence is a plain gathering: RSVP unchanged.
  const rsvp = core.entities.build('gathering_rsvp', { gathering: g, attendeeWallet: LEARNER }, { now: at });
  assert.equal(attrs(rsvp).gatheringKey, '0xg1');
  const again = core.series.planMaterialization({ series, gatherings: [g, asStored(plan.create[1], '0xg2')], horizonDays: 10 }, { now: at });
  assert.deepEqual([again.create.length, again.update.length, again.cancel.length], [0, 0, 0]);
  const listed = core.series.occurrences({ series, gatherings: [g], limit: 2 });
  assert.equal(listed[0].state, 'materialized');
  assert.equal(listed[0].gatheringKey, '0xg1');
});

test('following a series is not an RSVP; next occurrence; split', () => {
  const follow = core.entities.build('event_series_follow', { series, followerWallet: LEARNER }, { now });
  assert.equal(attrs(follow).type, 'event_series_follow');
  assertConveneError(
    () => core.entities.build('event_series_follow', { series, followerWallet: LEARNER, existingFollows: [asStored(follow, '0xf', LEARNER)] }, { now }),
    'ALREADY_FOLLOWING',
    'input.followerWallet',
  );
  const next = core.series.next({ series, now: '2026-03-10T00:00:00Z' });
  assert.equal(next.startsAt, '2026-03-16T18:00:00.000Z');
  assert.equal(core.series.next({ series, now: '2026-05-01T00:00:00Z' }), null);
  const split = core.series.planSplit({ series, at: '2026-03-20T00:00:00Z', changes: { title: 'Rust night v2' } }, { now });
  const oldRec = JSON.parse(new TextDecoder().decode(split.oldSeries.payload)).recurrence;
  const newPayload = JSON.parse(new TextDecoder().decode(split.newSeries.payload));
  assert.match(oldRec, /COUNT=3/);
  assert.match(newPayload.recurrence, /DTSTART;TZID=Europe\/Berlin:20260323T190000/);
  assert.match(newPayload.recurrence, /COUNT=3/);
  assert.equal(newPayload.title, 'Rust night v2');
});

test('bad series input is a ConveneError and the module stays usable', () => {
  assertConveneError(() => core.series.occurrences({ series: { key: 'k', attributes: [] } }), 'MISSING_FIELD');
  assertConveneError(() => core.series.occurrences(null), 'MISSING_FIELD');
  const unbounded = asStored(core.entities.build('event_series', { organizerWallet: MENTOR, community: 'x', title: 't', recurrence: 'DTSTART:20260302T190000Z\nRRULE:FREQ=DAILY' }, { now }), '0xu');
  assertConveneError(() => core.series.occurrences({ series: unbounded }), 'UNBOUNDED_RECURRENCE');
  assert.equal(core.series.occurrences({ series: unbounded, limit: 3 }).length, 3);
});

// ---- issue 12: a series that lives through edits keeps its gatherings and RSVPs consistent -----------

const payloadOf = (draft) => JSON.parse(new TextDecoder().decode(draft.payload));
const withPayload = (draft, payload) => ({ ...draft, payload: new TextEncoder().encode(JSON.stringify(payload)) });
// Mondays 19:00 Berlin, no end (append ';COUNT=n' for a bounded one).
const MONDAYS = 'DTSTART;TZID=Europe/Berlin:20260302T190000\nRRULE:FREQ=WEEKLY;BYDAY=MO';
const seriesInput = (recurrence, extra = {}) => ({ organizerWallet: MENTOR, community: 'Rust Berlin', title: 'Rust night', duration: 90, recurrence, ...extra });
const seriesOf = (key, recurrence, extra = {}) => asStored(core.entities.build('event_series', seriesInput(recurrence, extra), { now }), key);
const exceptionOf = (s, recurrenceId, kind, changes, key) =>
  asStored(core.entities.build('event_series_exception', { series: s, recurrenceId, kind, ...(changes ? { changes } : {}) }, { now }), key);
const MARCH = '2026-03-01T00:00:00Z';
/** Materializes `horizonDays` from `at` and stores each gathering as `${prefix}${i}`. */
const materialized = (s, prefix, horizonDays, at = MARCH) =>
  core.series.planMaterialization({ series: s, horizonDays }, { now: at }).create.map((d, i) => asStored(d, `${prefix}${i}`));
const counts = (p) => [p.create.length, p.update.length, p.cancel.length];

test('issue 12 #1: split keeps the occurrences (COUNT counts RRULE instances before EXDATE; the new DTSTART is an RRULE instance)', () => {
  const ical = `${MONDAYS};COUNT=8\nRDATE;TZID=Europe/Berlin:20260321T100000\nEXDATE;TZID=Europe/Berlin:20260309T190000`;
  const split = core.series.planSplit({ series: seriesOf('0xsplit', ical), at: '2026-03-20T00:00:00Z' }, { now });
  const old = core.recurrence.expand(payloadOf(split.oldSeries).recurrence, {});
  const next = core.recurrence.expand(payloadOf(split.newSeries).recurrence, {});
  assert.deepEqual([...old, ...next], core.recurrence.expand(ical, {}));
  assert.ok(old.every((t) => t < '2026-03-20') && next.every((t) => t >= '2026-03-20'));
  assert.match(payloadOf(split.newSeries).recurrence, /DTSTART;TZID=Europe\/Berlin:20260323T190000/);
});

test('issue 12 #2: gatherings the series no longer produces are retired (kept, marked cancelled); duplicates follow their occurrence', () => {
  const v1 = seriesOf('0xorphans', `${MONDAYS};COUNT=8`);
  const plan = core.series.planMaterialization({ series: v1, horizonDays: 20 }, { now: MARCH });
  assert.equal(plan.create.length, 3); // 03-02, 03-09, 03-16
  const gs = plan.create.map((d, i) => asStored(d, `0xog${i}`));
  const duplicate = asStored(plan.create[2], '0xogdup'); // a second run wrote 03-16 again
  // The organizer excludes 03-09: the series is rewritten in place.
  const v2 = asUpdated(core.entities.build('event_series', seriesInput(`${MONDAYS};COUNT=8\nEXDATE;TZID=Europe/Berlin:20260309T190000`), { now }), v1);
  const p = core.series.planMaterialization({ series: v2, gatherings: [...gs, duplicate], horizonDays: 20 }, { now: MARCH });
  assert.deepEqual([p.create.length, p.update.length], [0, 0]);
  assert.deepEqual(p.cancel.map((c) => [c.entityKey, c.reason]), [['0xog1', 'orphaned']]);
  assert.equal(attrs(p.cancel[0].draft).status, 'cancelled');
  assert.equal(attrs(p.cancel[0].draft).videoJoinUrl, undefined);
  // Once retired, nothing more to do.
  const retired = [gs[0], asUpdated(p.cancel[0].draft, gs[1]), gs[2], duplicate];
  assert.deepEqual(counts(core.series.planMaterialization({ series: v2, gatherings: retired, horizonDays: 20 }, { now: MARCH })), [0, 0, 0]);
  // Both gatherings of 03-16 follow it when it is cancelled.
  const cancel = exceptionOf(v2, '2026-03-16T18:00:00Z', 'cancelled', null, '0xogx');
  const c = core.series.planMaterialization({ series: v2, exceptions: [cancel], gatherings: retired, horizonDays: 20 }, { now: MARCH });
  assert.deepEqual(c.cancel.map((x) => [x.entityKey, x.reason]).sort(), [['0xog2', 'cancelled'], ['0xogdup', 'cancelled']]);
});

test('issue 12 #2: a split hands the later exceptions and gatherings (so their RSVPs) to the new series', () => {
  const s = seriesOf('0xhandoff', MONDAYS);
  const gs = materialized(s, '0xhg', 20); // 03-02, 03-09, 03-16
  const early = exceptionOf(s, '2026-03-02T18:00:00Z', 'cancelled', null, '0xhx0');
  const special = exceptionOf(s, '2026-03-16T18:00:00Z', 'modified', { title: 'Special' }, '0xhx1');
  const rsvp = asStored(core.entities.build('gathering_rsvp', { gathering: gs[2], attendeeWallet: LEARNER }, { now: MARCH }), '0xhr', LEARNER);
  const split = core.series.planSplit(
    { series: s, exceptions: [early, special], gatherings: gs, at: '2026-03-05T00:00:00Z', changes: { title: 'Rust night v2' } },
    { now: MARCH },
  );
  assert.deepEqual(split.handoff.gatherings.map((g) => g.entityKey), ['0xhg1', '0xhg2']);
  assert.deepEqual(split.handoff.exceptions.map((x) => x.entityKey), ['0xhx1']);
  const oldSeries = asUpdated(split.oldSeries, s);
  const newSeries = asStored(split.newSeries, '0xhandoff2');
  const h = core.series.planHandoff({ series: oldSeries, newSeries, exceptions: [early, special], gatherings: gs }, { now: MARCH });
  const drafts = Object.fromEntries(h.update.map((u) => [u.entityKey, u.draft]));
  assert.deepEqual(Object.keys(drafts).sort(), ['0xhg1', '0xhg2', '0xhx1']);
  for (const d of Object.values(drafts)) assert.equal(attrs(d).seriesKey, '0xhandoff2');
  assert.equal(attrs(drafts['0xhg1']).title, 'Rust night v2'); // the new template
  assert.equal(attrs(drafts['0xhg2']).title, 'Special'); // its exception, handed over
  assert.equal(attrs(drafts['0xhg2']).videoRoomName, attrs(gs[2]).videoRoomName, 'same room');
  const g1 = asUpdated(drafts['0xhg1'], gs[1]);
  const g2 = asUpdated(drafts['0xhg2'], gs[2]);
  const x1 = asUpdated(drafts['0xhx1'], special);
  const all = [gs[0], g1, g2];
  // The old series only cancels its own cancelled occurrence; the new one has nothing to create.
  const oldPlan = core.series.planMaterialization({ series: oldSeries, exceptions: [early, x1], gatherings: all, horizonDays: 20 }, { now: MARCH });
  assert.deepEqual(counts(oldPlan), [0, 0, 1]);
  assert.deepEqual([oldPlan.cancel[0].entityKey, oldPlan.cancel[0].reason], ['0xhg0', 'cancelled']);
  assert.deepEqual(counts(core.series.planMaterialization({ series: newSeries, exceptions: [early, x1], gatherings: all, horizonDays: 20 }, { now: MARCH })), [0, 0, 0]);
  // The RSVP still names its gathering, now the new series' occurrence.
  const listed = core.series.occurrences({ series: newSeries, exceptions: [x1], gatherings: all, limit: 2 });
  assert.deepEqual(listed.map((o) => [o.gatheringKey, o.title]), [['0xhg1', 'Rust night v2'], ['0xhg2', 'Special']]);
  assert.equal(attrs(rsvp).gatheringKey, '0xhg2');
});

test('issue 12 #3: a template change is effective from its date, however often materialization runs', () => {
  const s = seriesOf('0xprop', MONDAYS);
  const gs = materialized(s, '0xpg', 20);
  const p = core.series.planPropagation({ series: s, gatherings: gs, from: '2026-03-09T00:00:00Z', changes: { title: 'Rust evening', duration: 60 } }, { now: MARCH });
  assert.deepEqual(p.update.map((u) => u.entityKey), ['0xpg1', '0xpg2']);
  const s2 = asUpdated(p.series, s);
  const gathered = [gs[0], ...p.update.map((u, i) => asUpdated(u.draft, gs[i + 1]))];
  for (let run = 0; run < 2; run++) {
    assert.deepEqual(counts(core.series.planMaterialization({ series: s2, gatherings: gathered, horizonDays: 20 }, { now: MARCH })), [0, 0, 0]);
  }
  // A second change from a later date stacks on the first.
  const p2 = core.series.planPropagation({ series: s2, gatherings: gathered, from: '2026-03-16T00:00:00Z', changes: { description: 'Bring a laptop' } }, { now: MARCH });
  const s3 = asUpdated(p2.series, s2);
  const occ = core.series.occurrences({ series: s3, limit: 4 });
  assert.deepEqual(occ.map((o) => [o.title, o.duration, o.description]), [
    ['Rust night', 90, ''],
    ['Rust evening', 60, ''],
    ['Rust evening', 60, 'Bring a laptop'],
    ['Rust evening', 60, 'Bring a laptop'],
  ]);
});

test('issue 12 #4: a materialized occurrence moved beyond the horizon is updated; one moved into it is created', () => {
  const s = seriesOf('0xmove', `${MONDAYS};COUNT=8`);
  const gs = materialized(s, '0xmg', 10); // 03-02, 03-09
  const away = exceptionOf(s, '2026-03-09T18:00:00Z', 'modified', { sessionDate: '2026-05-01T17:00:00Z' }, '0xmx');
  const p = core.series.planMaterialization({ series: s, exceptions: [away], gatherings: gs, horizonDays: 10 }, { now: MARCH });
  assert.deepEqual(p.update.map((u) => [u.entityKey, attrs(u.draft).sessionDate]), [['0xmg1', '2026-05-01T17:00:00.000Z']]);
  const closer = exceptionOf(s, '2026-04-20T17:00:00Z', 'modified', { sessionDate: '2026-03-05T18:00:00Z' }, '0xmy');
  const q = core.series.planMaterialization({ series: s, exceptions: [away, closer], gatherings: gs, horizonDays: 10 }, { now: MARCH });
  assert.deepEqual(q.create.map((d) => [attrs(d).recurrenceId, attrs(d).sessionDate]), [['2026-04-20T17:00:00.000Z', '2026-03-05T18:00:00.000Z']]);
});

test('issue 12 #5: cancelling keeps the gathering, reinstating restores it, and the RSVP follows it', () => {
  const s = seriesOf('0xcancel', `${MONDAYS};COUNT=8`);
  const [g0] = materialized(s, '0xcg', 5); // 03-02 18:00Z
  const rsvp = asStored(core.entities.build('gathering_rsvp', { gathering: g0, attendeeWallet: LEARNER }, { now: MARCH }), '0xcr', LEARNER);
  const conf = asStored(core.sessions.planConfirmation({ session: rsvp, by: LEARNER }, { now: MARCH }).confirmation, '0xcc', LEARNER);
  const status = (gathering, at = MARCH) => core.sessions.status({ session: rsvp, confirmations: [conf], gathering, now: at });
  assert.equal(status(g0).status, 'scheduled');

  const cancel = exceptionOf(s, '2026-03-02T18:00:00Z', 'cancelled', null, '0xcx1');
  const p = core.series.planMaterialization({ series: s, exceptions: [cancel], gatherings: [g0], horizonDays: 5 }, { now: MARCH });
  assert.deepEqual(p.cancel.map((c) => [c.entityKey, c.reason]), [['0xcg0', 'cancelled']]);
  const d = p.cancel[0].draft;
  assert.equal(attrs(d).status, 'cancelled');
  assert.equal(attrs(d).videoJoinUrl, undefined);
  assert.equal(payloadOf(d).videoJoinUrl, undefined);
  assert.equal(attrs(d).sessionDate, '2026-03-02T18:00:00.000Z');
  const cancelled = asUpdated(d, g0);
  assert.equal(status(cancelled).status, 'cancelled');
  assert.deepEqual(counts(core.series.planMaterialization({ series: s, exceptions: [cancel], gatherings: [cancelled], horizonDays: 5 }, { now: MARCH })), [0, 0, 0]);
  const listed = core.series.occurrences({ series: s, exceptions: [cancel], gatherings: [cancelled], limit: 1 });
  assert.deepEqual([listed[0].state, listed[0].gatheringKey, listed[0].videoJoinUrl], ['cancelled', '0xcg0', undefined]);

  const reinstate = exceptionOf(s, '2026-03-02T18:00:00Z', 'reinstated', null, '0xcx2');
  const r = core.series.planMaterialization({ series: s, exceptions: [cancel, reinstate], gatherings: [cancelled], horizonDays: 5 }, { now: MARCH });
  assert.deepEqual(counts(r), [0, 1, 0]);
  assert.equal(r.update[0].entityKey, '0xcg0');
  assert.notEqual(attrs(r.update[0].draft).status, 'cancelled');
  assert.match(attrs(r.update[0].draft).videoJoinUrl, /^https:\/\/meet\.jit\.si\/gathering-[0-9a-f]{32}$/);
  const restored = asUpdated(r.update[0].draft, cancelled);
  assert.equal(status(restored).status, 'scheduled');

  // A move: the RSVP's times are the gathering's.
  const move = exceptionOf(s, '2026-03-02T18:00:00Z', 'modified', { sessionDate: '2026-03-03T18:00:00Z' }, '0xcx3');
  const m = core.series.planMaterialization({ series: s, exceptions: [cancel, reinstate, move], gatherings: [restored], horizonDays: 5 }, { now: MARCH });
  const moved = asUpdated(m.update[0].draft, restored);
  const during = status(moved, '2026-03-02T18:30:00Z');
  assert.deepEqual([during.status, during.startsAt, during.endsAt], ['scheduled', '2026-03-03T18:00:00.000Z', '2026-03-03T19:30:00.000Z']);
  // Only the RSVP's own gathering, signed by its organizer.
  assertConveneError(() => status(asStored(d, '0xother')), 'INVALID_INPUT', 'gathering');
  assertConveneError(() => status(asStored(d, '0xcg0', STRANGER)), 'UNVERIFIED_ENTITY', 'gathering');
});

test('issue 12 #7: materialization plans the extension an unbounded series needs', () => {
  const s = seriesOf('0xext', MONDAYS); // asStored: expiresAtBlock = its block + 1000, i.e. 2,000 s left
  const currentBlock = Number(s.createdAtBlock);
  const p = core.series.planMaterialization({ series: s, horizonDays: 10, currentBlock }, { now: MARCH });
  assert.deepEqual(p.extend, [{ entityKey: '0xext', expiresIn: 31536000 - 2000 }]);
  assert.deepEqual(p.transactions.flatMap((t) => t.extensions ?? []), [{ entityKey: '0xext', expiresIn: 31536000 - 2000 }]);
  const fresh = { ...s, expiresAtBlock: BigInt(currentBlock + 31536000 / 2) };
  assert.deepEqual(core.series.planMaterialization({ series: fresh, horizonDays: 10, currentBlock }, { now: MARCH }).extend, []);
  const blind = core.series.planMaterialization({ series: s, horizonDays: 10 }, { now: MARCH });
  assert.ok(blind.problems.some((x) => x.code === 'MISSING_FIELD' && x.field === 'currentBlock'), JSON.stringify(blind.problems));
});

test('issue 12 #8: series.next picks by start time and sees occurrences moved from far back or far ahead', () => {
  const s = seriesOf('0xnext', MONDAYS);
  const later = exceptionOf(s, '2026-03-09T18:00:00Z', 'modified', { sessionDate: '2026-03-20T18:00:00Z' }, '0xn1');
  assert.equal(core.series.next({ series: s, exceptions: [later], now: '2026-03-08T00:00:00Z' }).startsAt, '2026-03-16T18:00:00.000Z');
  const fromBack = exceptionOf(s, '2026-03-02T18:00:00Z', 'modified', { sessionDate: '2026-04-01T09:00:00Z' }, '0xn2');
  assert.equal(core.series.next({ series: s, exceptions: [fromBack], now: '2026-03-31T00:00:00Z' }).startsAt, '2026-04-01T09:00:00.000Z');
  const fromAhead = exceptionOf(s, '2027-01-04T18:00:00Z', 'modified', { sessionDate: '2026-03-31T20:00:00Z' }, '0xn3');
  const n = core.series.next({ series: s, exceptions: [fromBack, fromAhead], now: '2026-03-31T00:00:00Z' });
  assert.deepEqual([n.startsAt, n.recurrenceId], ['2026-03-31T20:00:00.000Z', '2027-01-04T18:00:00.000Z']);
});

test('issue 12 #9: exceptions are validated like the template; one bad entity never blocks a plan', () => {
  const s = seriesOf('0xbad', `${MONDAYS};COUNT=8`);
  const modify = (changes) => core.entities.build('event_series_exception', { series: s, recurrenceId: '2026-03-09T18:00:00Z', kind: 'modified', changes }, { now });
  assertConveneError(() => modify({ title: '' }), 'MISSING_FIELD', 'input.changes.title');
  assertConveneError(() => modify({ title: 'say "hi"' }), 'INVALID_ATTRIBUTE_VALUE', 'input.changes.title');
  // Written by an older client: a modified exception with an empty title.
  const good = modify({ title: 'x' });
  const bad = asStored(withPayload(good, { ...payloadOf(good), changes: { title: '' } }), '0xbadx');
  const p = core.series.planMaterialization({ series: s, exceptions: [bad], horizonDays: 20 }, { now: MARCH });
  assert.equal(p.create.length, 3);
  assert.equal(p.ignored.malformed, 1);
  // A series whose template cannot make a gathering: every occurrence is reported, the plan returned.
  const raw = core.entities.build('event_series', seriesInput(`${MONDAYS};COUNT=8`), { now });
  const broken = asStored(
    withPayload({ ...raw, attributes: raw.attributes.map((a) => (a.key === 'title' ? { key: 'title', value: 'Rust "night"' } : a)) }, { ...payloadOf(raw), title: 'Rust "night"' }),
    '0xbroken',
  );
  const q = core.series.planMaterialization({ series: broken, horizonDays: 20 }, { now: MARCH });
  assert.equal(q.create.length, 0);
  assert.deepEqual(q.problems.map((x) => [x.recurrenceId, x.code]), [
    ['2026-03-02T18:00:00.000Z', 'INVALID_ATTRIBUTE_VALUE'],
    ['2026-03-09T18:00:00.000Z', 'INVALID_ATTRIBUTE_VALUE'],
    ['2026-03-16T18:00:00.000Z', 'INVALID_ATTRIBUTE_VALUE'],
  ]);
});

test('issue 12 #10: rules too dense for meetings are refused naming the rule part; plans come in transactions under 128 KB', () => {
  const build = (recurrence, extra = {}) => core.entities.build('event_series', seriesInput(recurrence, { duration: 60, ...extra }), { now });
  assertConveneError(() => build('DTSTART:20260302T190000Z\nRRULE:FREQ=MINUTELY'), 'RECURRENCE_TOO_DENSE', 'input.recurrence.RRULE.FREQ');
  assertConveneError(() => build('DTSTART;TZID=Europe/Berlin:20260302T090000\nRRULE:FREQ=DAILY;BYHOUR=9,10', { duration: 90 }), 'RECURRENCE_TOO_DENSE', 'input.recurrence.RRULE.BYHOUR');
  assertConveneError(() => build('DTSTART:20260302T000000Z\nRRULE:FREQ=HOURLY;INTERVAL=6'), 'RECURRENCE_TOO_DENSE', 'input.recurrence.RRULE.INTERVAL'); // 112 in 28 days
  build('DTSTART:20260302T000000Z\nRRULE:FREQ=HOURLY;INTERVAL=8'); // 84 in 28 days
  const s = asStored(build('DTSTART:20260302T090000Z\nRRULE:FREQ=DAILY;BYHOUR=9,21', { description: 'x'.repeat(12000) }), '0xbig');
  const p = core.series.planMaterialization({ series: s, horizonDays: 28 }, { now: MARCH });
  assert.ok(p.create.length > 40);
  const bytes = (d) => d.payload.length + d.attributes.reduce((n, a) => n + a.key.length + String(a.value).length, 0);
  assert.ok(p.transactions.length > 1);
  for (const t of p.transactions) {
    const total = [...(t.creates ?? []), ...(t.updates ?? [])].reduce((n, d) => n + bytes(d), 0);
    assert.ok(total < 128 * 1024, `transaction of ${total} bytes`);
  }
  assert.equal(p.transactions.flatMap((t) => t.creates ?? []).length, p.create.length);
});

test('issue 12 #11: a rule with no occurrence is refused; INTERVAL=0 is a typed error', () => {
  const build = (recurrence) => core.entities.build('event_series', seriesInput(recurrence), { now });
  assertConveneError(() => build('DTSTART:20260302T190000Z\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30'), 'EMPTY_RECURRENCE', 'input.recurrence');
  assertConveneError(() => build('DTSTART:20260302T190000Z\nRRULE:FREQ=WEEKLY;COUNT=1\nEXDATE:20260302T190000Z'), 'EMPTY_RECURRENCE', 'input.recurrence');
  assertConveneError(() => build('DTSTART:20260302T190000Z\nRRULE:FREQ=WEEKLY;INTERVAL=0'), 'INVALID_RRULE', 'RRULE.INTERVAL');
});
