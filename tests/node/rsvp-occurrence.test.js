// RSVPs to any future occurrence of a series, materialized or not, through the package
// (docs/domain.md#occurrence-rsvps): the RSVP names the series and the RECURRENCE-ID, counts once the
// occurrence has a gathering (gatherings.rsvps with `gatherings`), and its status follows that
// gathering through a move, a cancellation and a split (sessions.status with `gathering`, `series`).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadCore } from '@convene/core';

import { asStored, asUpdated, assertConveneError, LEARNER, MENTOR, STRANGER } from './helpers.js';

const core = await loadCore();
const MARCH = '2026-03-01T00:00:00Z';
const attrs = (draft) => Object.fromEntries(draft.attributes.map((a) => [a.key, a.value]));
const payloadOf = (draft) => JSON.parse(new TextDecoder().decode(draft.payload));
// Mondays 19:00 Berlin (18:00 UTC until 29 March, then 17:00).
const MONDAYS = 'DTSTART;TZID=Europe/Berlin:20260302T190000\nRRULE:FREQ=WEEKLY;BYDAY=MO';
const series = asStored(
  core.entities.build('event_series', { organizerWallet: MENTOR, community: 'Rust Berlin', title: 'Rust night', duration: 90, recurrence: MONDAYS }, { now: MARCH }),
  '0xocc-series',
);
const materialized = (s, days, prefix, extra = {}) =>
  core.series.planMaterialization({ series: s, horizonDays: days, ...extra }, { now: MARCH }).create.map((d, i) => asStored(d, `${prefix}${i}`));
const rsvpTo = (s, recurrenceId, extra = {}, signer = LEARNER) =>
  asStored(core.entities.build('gathering_rsvp', { series: s, recurrenceId, attendeeWallet: LEARNER, ...extra }, { now: MARCH }), `0xr-${recurrenceId}`, signer);
const confirmationOf = (rsvp) => asStored(core.sessions.planConfirmation({ session: rsvp, by: LEARNER }, { now: MARCH }).confirmation, `0xc-${rsvp.key}`, LEARNER);

test('an RSVP to an occurrence far ahead names the series and the RECURRENCE-ID; a date the series does not produce is refused', () => {
  const rsvp = rsvpTo(series, '2026-04-27T17:00:00Z');
  const a = attrs(rsvp);
  assert.equal(a.seriesKey, '0xocc-series');
  assert.equal(a.recurrenceId, '2026-04-27T17:00:00.000Z');
  assert.equal(a.sessionDate, '2026-04-27T17:00:00.000Z');
  assert.equal(a.gatheringKey, undefined);
  assert.equal(payloadOf(rsvp).recurrenceId, '2026-04-27T17:00:00.000Z');
  const parsed = core.entities.parse(rsvp);
  assert.equal(parsed.isGatheringRsvp, true);
  assert.equal(parsed.seriesKey, '0xocc-series');
  assertConveneError(() => rsvpTo(series, '2026-04-28T17:00:00Z'), 'NOT_AN_OCCURRENCE', 'input.recurrenceId');
  assertConveneError(() => rsvpTo(series, '2026-04-27T17:00:00Z', { existingRsvps: [rsvp] }), 'ALREADY_RSVPED', 'input.attendeeWallet');
  const cancelled = asStored(core.entities.build('event_series_exception', { series, recurrenceId: '2026-04-27T17:00:00Z', kind: 'cancelled' }, { now: MARCH }), '0xocc-x');
  assertConveneError(() => rsvpTo(series, '2026-04-27T17:00:00Z', { exceptions: [cancelled] }), 'INVALID_INPUT', 'input.recurrenceId');
});

test('it counts once the occurrence is materialized, and the viewer sees their own before', () => {
  const rsvp = rsvpTo(series, '2026-03-23T18:00:00Z');
  const before = core.gatherings.rsvps({ rsvps: [rsvp], viewer: LEARNER, gatherings: [] });
  assert.deepEqual(before.counts, {});
  assert.ok(before.viewerOccurrenceRsvps['0xocc-series 2026-03-23T18:00:00.000Z']);
  const gs = materialized(series, 28, '0xocc-g');
  const after = core.gatherings.rsvps({ rsvps: [rsvp], viewer: LEARNER, gatherings: gs });
  assert.deepEqual(after.counts, { '0xocc-g3': 1 });
  assert.equal(after.viewerRsvps['0xocc-g3'].key, rsvp.key);
  // A gathering RSVP written once it is materialized names the gathering too; both count once per wallet.
  const direct = rsvpTo(series, '2026-03-16T18:00:00Z', { gatherings: gs });
  assert.equal(attrs(direct).gatheringKey, '0xocc-g2');
  assert.deepEqual(core.gatherings.rsvps({ rsvps: [rsvp, direct], gatherings: gs }).counts, { '0xocc-g2': 1, '0xocc-g3': 1 });
  // A forged RSVP (signed by someone else than its attendee) is ignored and counted.
  const forged = rsvpTo(series, '2026-03-30T17:00:00Z', {}, STRANGER);
  assert.equal(core.gatherings.rsvps({ rsvps: [forged], gatherings: gs }).ignored.unverified, 1);
});

test('its status follows the gathering through a move and a cancellation; the series page reads it as the gathering RSVP', () => {
  const rsvp = rsvpTo(series, '2026-03-23T18:00:00Z');
  const confirmations = [confirmationOf(rsvp)];
  const gs = materialized(series, 28, '0xocc-s');
  assert.equal(core.sessions.status({ session: rsvp, confirmations, gathering: gs[3], now: MARCH }).status, 'scheduled');
  const moved = asStored(
    core.entities.build('event_series_exception', { series, recurrenceId: '2026-03-23T18:00:00Z', kind: 'modified', changes: { sessionDate: '2026-03-24T18:00:00Z' } }, { now: MARCH }),
    '0xocc-m',
  );
  const m = core.series.planMaterialization({ series, exceptions: [moved], gatherings: gs, horizonDays: 28 }, { now: MARCH });
  const g3 = asUpdated(m.update.find((u) => u.entityKey === '0xocc-s3').draft, gs[3]);
  const st = core.sessions.status({ session: rsvp, confirmations, gathering: g3, now: '2026-03-23T18:30:00Z' });
  assert.equal(st.status, 'scheduled', 'not in progress at the old time');
  assert.equal(st.startsAt, '2026-03-24T18:00:00.000Z');
  const cancel = asStored(core.entities.build('event_series_exception', { series, recurrenceId: '2026-03-23T18:00:00Z', kind: 'cancelled' }, { now: MARCH }), '0xocc-c');
  const c = core.series.planMaterialization({ series, exceptions: [cancel], gatherings: [gs[0], gs[1], gs[2], g3], horizonDays: 28 }, { now: MARCH });
  const retired = asUpdated(c.cancel[0].draft, g3);
  const cs = core.sessions.status({ session: rsvp, confirmations, gathering: retired, now: MARCH });
  assert.deepEqual([cs.status, cs.reason], ['cancelled', 'gathering-cancelled']);
  assertConveneError(() => core.sessions.status({ session: rsvp, gathering: gs[2], now: MARCH }), 'INVALID_INPUT', 'gathering');
});

test('after a split the new series names the old one, and an RSVP to a later date follows it there', () => {
  const rsvp = rsvpTo(series, '2026-04-20T17:00:00Z');
  const split = core.series.planSplit({ series, at: '2026-03-20T00:00:00Z', changes: { title: 'Rust night v2' } }, { now: MARCH });
  assert.equal(attrs(split.newSeries).splitFrom, '0xocc-series');
  const next = asStored(split.newSeries, '0xocc-new');
  assert.equal(core.entities.parse(next).splitFrom, '0xocc-series');
  const gs = materialized(next, 60, '0xocc-n');
  const g = gs.find((x) => attrs(x).recurrenceId === '2026-04-20T17:00:00.000Z');
  assert.equal(attrs(g).seriesKey, '0xocc-new');
  assert.deepEqual(core.gatherings.rsvps({ rsvps: [rsvp], gatherings: gs, series: [series, next] }).counts, { [g.key]: 1 });
  assert.deepEqual(core.gatherings.rsvps({ rsvps: [rsvp], gatherings: gs }).counts, {}, 'no link without both series');
  const st = core.sessions.status({ session: rsvp, confirmations: [confirmationOf(rsvp)], gathering: g, series: [series, next], now: MARCH });
  assert.equal(st.status, 'scheduled');
  assertConveneError(() => core.sessions.status({ session: rsvp, gathering: g, now: MARCH }), 'INVALID_INPUT', 'gathering');
});
