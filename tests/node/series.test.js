// core.series and the event-series entities through the package (docs/domain.md#event-series).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadCore } from '@convene/core';

import { asStored, assertConveneError, LEARNER, MENTOR } from './helpers.js';

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
