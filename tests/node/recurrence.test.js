// core.recurrence through the package, as a user calls it (docs/domain.md#package-surface).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadCore, ConveneError } from '../../npm/index.js';

const core = await loadCore();
const r = core.recurrence;

function throwsCode(fn, code, field) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof ConveneError, `not a ConveneError: ${e}`);
    assert.equal(e.code, code);
    if (field !== undefined) {
      assert.equal(e.field, field);
      assert.match(e.message, new RegExp(field.replace(/[.[\]]/g, '\\$&')));
    }
    return true;
  });
}

test('expand: output form follows the DTSTART kind; bounds are inclusive', () => {
  assert.deepEqual(r.expand('DTSTART;TZID=Europe/Berlin:20240329T090000\nRRULE:FREQ=DAILY;COUNT=3'), [
    '2024-03-29T08:00:00Z', '2024-03-30T08:00:00Z', '2024-03-31T07:00:00Z', // CET -> CEST
  ]);
  assert.deepEqual(r.expand('DTSTART:20240101T090000\nRRULE:FREQ=WEEKLY;COUNT=2'), ['2024-01-01T09:00:00', '2024-01-08T09:00:00']);
  assert.deepEqual(r.expand('DTSTART;VALUE=DATE:20240101\nRRULE:FREQ=YEARLY;COUNT=2'), ['2024-01-01', '2025-01-01']);
  assert.deepEqual(
    r.expand('DTSTART:20240101T090000Z\nRRULE:FREQ=DAILY', { after: '2024-01-03T09:00:00Z', before: Date.parse('2024-01-05T09:00:00Z') }),
    ['2024-01-03T09:00:00Z', '2024-01-04T09:00:00Z', '2024-01-05T09:00:00Z'],
  );
  assert.deepEqual(r.expand('DTSTART:20240101T090000Z\nRRULE:FREQ=DAILY', { after: new Date('2024-02-01T00:00:00Z'), limit: 1 }), [
    '2024-02-01T09:00:00Z',
  ]);
});

test('expandEpochMs returns one Float64Array equal to expand', () => {
  const ical = 'DTSTART;TZID=America/New_York:20240101T183000\nRRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=300\nEXDATE;TZID=America/New_York:20240103T183000';
  const ms = r.expandEpochMs(ical);
  assert.ok(ms instanceof Float64Array);
  assert.equal(ms.length, 299);
  assert.deepEqual(Array.from(ms, (t) => new Date(t).toISOString().replace('.000', '')), r.expand(ical));
  const again = r.expandEpochMs('DTSTART:20240101T000000Z\nRRULE:FREQ=DAILY;COUNT=2');
  assert.equal(ms.length, 299, 'an earlier result is a copy, not a view into WASM memory');
  assert.deepEqual(Array.from(again), [Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 2)]);
});

test('includeDtstart: DTSTART first and counted', () => {
  const ical = 'DTSTART:20240101T090000Z\nRRULE:FREQ=WEEKLY;BYDAY=FR;COUNT=2';
  assert.deepEqual(r.expand(ical), ['2024-01-05T09:00:00Z', '2024-01-12T09:00:00Z']);
  assert.deepEqual(r.expand(ical, { includeDtstart: true }), ['2024-01-01T09:00:00Z', '2024-01-05T09:00:00Z']);
});

test('parse / serialize round-trip', () => {
  const text = 'dtstart;tzid=Europe/Berlin:20240105t180000\nrrule:freq=monthly;byday=-1fr;skip=backward;rscale=gregorian;\nRDATE;VALUE=DATE:20240704\nEXDATE:20240301T170000Z';
  const set = r.parse(text);
  assert.deepEqual(set.dtstart, { kind: 'zoned', value: '20240105T180000', tzid: 'Europe/Berlin' });
  assert.deepEqual(set.rrule, { freq: 'MONTHLY', interval: 1, byday: ['-1FR'], rscale: 'GREGORIAN', skip: 'BACKWARD' });
  const canonical = r.serialize(set);
  assert.equal(
    canonical,
    'DTSTART;TZID=Europe/Berlin:20240105T180000\nRRULE:RSCALE=GREGORIAN;FREQ=MONTHLY;BYDAY=-1FR;SKIP=BACKWARD\nRDATE;VALUE=DATE:20240704\nEXDATE:20240301T170000Z',
  );
  assert.deepEqual(r.parse(canonical), set);
  assert.deepEqual(r.expand(canonical, { limit: 3 }), r.expand(text, { limit: 3 }));
});

test('tzdataVersion is the embedded IANA release', () => {
  const header = readFileSync('/usr/share/zoneinfo/tzdata.zi', 'utf8').split('\n')[0]; // '# version 2026f'
  assert.equal(r.tzdataVersion, header.split(' ')[2]);
});

test('inferRule finds weekly-on-weekdays in a zone, and null for irregular lists', () => {
  const starts = r.expand('DTSTART;TZID=Europe/Berlin:20240319T180000\nRRULE:FREQ=WEEKLY;BYDAY=TU,TH;COUNT=6');
  const got = r.inferRule(starts, { tzid: 'Europe/Berlin' });
  assert.deepEqual(got, {
    ical: 'DTSTART;TZID=Europe/Berlin:20240319T180000\nRRULE:FREQ=WEEKLY;COUNT=6;BYDAY=TU,TH',
    rrule: 'FREQ=WEEKLY;COUNT=6;BYDAY=TU,TH',
  });
  assert.deepEqual(r.expand(got.ical), starts);
  assert.equal(r.inferRule(['2024-01-01T10:00:00Z', '2024-01-04T10:00:00Z', '2024-01-05T10:00:00Z', '2024-01-12T10:00:00Z']), null);
});

test('errors: INVALID_RRULE naming the part, UNBOUNDED_RECURRENCE, wrong JS types; module still usable', () => {
  throwsCode(() => r.expand('DTSTART:20240101T090000Z\nRRULE:FREQ=WEEKLY;BYDAY=XX;COUNT=2'), 'INVALID_RRULE', 'RRULE.BYDAY');
  throwsCode(() => r.expand('DTSTART:20240101T090000Z\nRRULE:FREQ=MONTHLY;BYMONTHDAY=40;COUNT=2'), 'INVALID_RRULE', 'RRULE.BYMONTHDAY');
  throwsCode(() => r.expand('RRULE:FREQ=DAILY;COUNT=2'), 'INVALID_RRULE', 'DTSTART');
  throwsCode(() => r.expand('DTSTART:20240101T090000Z\nRRULE:FREQ=DAILY'), 'UNBOUNDED_RECURRENCE', 'options.before');
  throwsCode(() => r.expandEpochMs('DTSTART:20240101T090000Z\nRRULE:FREQ=DAILY'), 'UNBOUNDED_RECURRENCE');
  throwsCode(() => r.expand('DTSTART;TZID=Mars/Base:20240101T090000\nRRULE:FREQ=DAILY;COUNT=1'), 'UNKNOWN_TIME_ZONE', 'DTSTART');
  throwsCode(() => r.expand(42), 'INVALID_TYPE', 'ical');
  throwsCode(() => r.expand('DTSTART:20240101T090000Z', 'soon'), 'INVALID_TYPE', 'options');
  throwsCode(() => r.expand('DTSTART:20240101T090000Z\nRRULE:FREQ=DAILY', { limit: 2n }), 'INVALID_TYPE', 'options.limit');
  throwsCode(() => r.expand('DTSTART:20240101T090000Z\nRRULE:FREQ=DAILY', { limit: -1 }), 'INVALID_INPUT', 'options.limit');
  throwsCode(() => r.expand('DTSTART:20240101T090000Z\nRRULE:FREQ=DAILY', { before: 'next week' }), 'INVALID_DATE', 'options.before');
  throwsCode(() => r.serialize({ rrule: { freq: 'DAILY' } }), 'MISSING_FIELD', 'set.dtstart');
  throwsCode(() => r.inferRule('2024-01-01'), 'INVALID_TYPE', 'startTimes');
  throwsCode(() => r.inferRule(['2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z'], { tzid: 'Nowhere/Land' }), 'UNKNOWN_TIME_ZONE', 'options.tzid');
  // A rule with no instance ends, empty, instead of hanging.
  assert.deepEqual(r.expand('DTSTART:20240101T090000Z\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', { limit: 3 }), []);
  // Still usable after all of the above.
  assert.deepEqual(r.expand('DTSTART:20240101T090000Z\nRRULE:FREQ=DAILY;COUNT=1'), ['2024-01-01T09:00:00Z']);
});

test('conformance vectors through the package: every libical case expands as listed', () => {
  const dir = new URL('../../../shared/conformance/', import.meta.url);
  let checked = 0;
  for (const name of ['libical-icalrecur_test.txt', 'libical-icalrecur_test_rscale.txt']) {
    const blocks = readFileSync(new URL(name, dir), 'utf8').split(/\n(?=RRULE:)/);
    for (const block of blocks) {
      const get = (k) => block.match(new RegExp(`^${k}:(.*)$`, 'm'))?.[1]?.trim();
      const rrule = get('RRULE');
      const instances = get('INSTANCES');
      if (!rrule || !instances) continue;
      const ical = `DTSTART:${get('DTSTART')}\nRRULE:${rrule}`;
      if (instances.includes('UNIMPLEMENTED')) {
        if (rrule.includes('RSCALE')) throwsCode(() => r.expand(ical), 'INVALID_RRULE', 'RRULE.RSCALE');
        continue;
      }
      const opts = /COUNT|UNTIL/.test(rrule) ? {} : { limit: 200 };
      const got = r.expand(ical, opts).map((s) => s.replace(/[-:]/g, ''));
      assert.deepEqual(got.join(','), instances, ical);
      checked++;
    }
  }
  assert.ok(checked >= 155, `checked ${checked}`);
});

test('describe: a rule in a person\'s words, through the package', async () => {
  const core = await loadCore();
  assert.deepEqual(core.recurrence.describe('DTSTART;TZID=Europe/Berlin:20270107T190000\nRRULE:FREQ=WEEKLY;COUNT=8;BYDAY=TH'),
    { text: 'every Thursday at 19:00 (Europe/Berlin time), 8 times', exact: true });
  assert.throws(() => core.recurrence.describe('DTSTART:2027\nRRULE:FREQ=NOPE'), { name: 'ConveneError', code: 'INVALID_RRULE' });
  assert.throws(() => core.recurrence.describe(42), { code: 'INVALID_TYPE', field: 'ical' });
});

test('issue 12 #12: expand takes its own output as a bound, so floating and DATE sets can be paged', () => {
  const floating = 'DTSTART:20260302T090000\nRRULE:FREQ=DAILY;COUNT=10';
  const first = r.expand(floating, { limit: 4 });
  assert.equal(first.at(-1), '2026-03-05T09:00:00');
  // Bounds are inclusive: the next page starts with the last instance of this one.
  assert.deepEqual(r.expand(floating, { after: first.at(-1), limit: 3 }), ['2026-03-05T09:00:00', '2026-03-06T09:00:00', '2026-03-07T09:00:00']);
  assert.deepEqual(r.expand(floating, { before: first[1] }), first.slice(0, 2));
  const dates = 'DTSTART;VALUE=DATE:20260302\nRRULE:FREQ=WEEKLY;COUNT=5';
  const d = r.expand(dates, { limit: 2 });
  assert.deepEqual(r.expand(dates, { after: d.at(-1), before: '2026-03-23' }), ['2026-03-09', '2026-03-16', '2026-03-23']);
  assert.deepEqual(Array.from(r.expandEpochMs(floating, { after: first.at(-1), limit: 1 })), [Date.UTC(2026, 2, 5, 9)]);
  // A zoned or UTC set still needs an offset: a wall time alone would be ambiguous there.
  throwsCode(() => r.expand('DTSTART;TZID=Europe/Berlin:20260302T090000\nRRULE:FREQ=DAILY;COUNT=3', { after: '2026-03-03T09:00:00' }), 'INVALID_DATE', 'options.after');
});
