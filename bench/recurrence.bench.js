// Benchmark: core.recurrence.expandEpochMs vs rrule 2.8.1 (rrule.js) and rrule-rust 3.1.1 (N-API),
// same rules, one Node process. Run: node bench/recurrence.bench.js   (about 3-4 minutes; rrule.js
// with a TZID is slow). Prints occurrences per second and our ratio to each peer; no assertions.
//
// Each timed call starts from the iCalendar text (parse + expand), since rrule-rust caches results
// on an RRuleSet instance and we parse on every call too. Outputs are each library's natural one:
// a Float64Array of epoch ms (ours), Date[] (rrule.js), DateTime[] (rrule-rust). The "n" column is
// the occurrence count each produced; a peer whose count differs is marked with '*'.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import rrulePkg from 'rrule';
import { RRuleSet, DateTime } from 'rrule-rust';
import { loadCore } from '../npm/index.js';

const { rrulestr } = rrulePkg;
const core = await loadCore();

const RULES = {
  DAILY: 'FREQ=DAILY',
  'WEEKLY MO,WE,FR': 'FREQ=WEEKLY;BYDAY=MO,WE,FR',
  'MONTHLY BYSETPOS=1,-1': 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,-1',
  'YEARLY (BYMONTH,BYDAY)': 'FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=MO,WE,FR',
};
const ZONES = [null, 'America/New_York'];
const START = '20200106T090000';

function ical(zone, rule) {
  const dtstart = zone ? `DTSTART;TZID=${zone}:${START}` : `DTSTART:${START}Z`;
  return `${dtstart}\nRRULE:${rule}`;
}

const peers = {
  ours: {
    all: (text) => core.recurrence.expandEpochMs(text).length,
    window: (text, a, b) => core.recurrence.expandEpochMs(text, { after: a, before: b }).length,
  },
  'rrule-rust': {
    all: (text) => RRuleSet.fromString(text).all().length,
    window: (text, a, b) => RRuleSet.fromString(text).between(DateTime.fromDate(a), DateTime.fromDate(b), true).length,
  },
  'rrule.js': {
    all: (text) => rrulestr(text).all().length,
    window: (text, a, b) => rrulestr(text).between(a, b, true).length,
  },
};

/** Occurrences per second of fn(), repeating until at least `minMs` have been spent. */
function measure(fn, minMs = 400) {
  fn(); // warm-up (JIT, caches, tz database)
  let runs = 0;
  let count = 0;
  const t0 = process.hrtime.bigint();
  let elapsed = 0;
  do {
    count += fn();
    runs++;
    elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
  } while (elapsed < minMs);
  return { perSecond: (count / elapsed) * 1000, n: count / runs };
}

function coldStart() {
  const entry = new URL('../npm/index.js', import.meta.url).href;
  const script = `
    const t0 = performance.now();
    const { loadCore } = await import(${JSON.stringify(entry)});
    const core = await loadCore();
    const t1 = performance.now();
    core.recurrence.expandEpochMs('DTSTART;TZID=America/New_York:20240101T090000\\nRRULE:FREQ=DAILY;COUNT=10');
    const t2 = performance.now();
    console.log(JSON.stringify({ load: t1 - t0, firstTz: t2 - t1 }));`;
  const samples = [];
  for (let i = 0; i < 7; i++) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    samples.push(JSON.parse(r.stdout));
  }
  const median = (k) => samples.map((s) => s[k]).sort((a, b) => a - b)[3];
  return { load: median('load'), firstTz: median('firstTz') };
}

const rows = [];
const fmt = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(0));
for (const [name, rule] of Object.entries(RULES)) {
  for (const zone of ZONES) {
    const cases = [
      { label: '1,000', run: (p) => () => p.all(ical(zone, `${rule};COUNT=1000`)) },
      { label: '100,000', run: (p) => () => p.all(ical(zone, `${rule};COUNT=100000`)) },
      {
        label: '1 year, +20 y',
        run: (p) => () => p.window(ical(zone, rule), new Date('2040-01-06T00:00:00Z'), new Date('2041-01-06T00:00:00Z')),
      },
    ];
    for (const c of cases) {
      const res = {};
      for (const [peer, api] of Object.entries(peers)) res[peer] = measure(c.run(api));
      const row = {
        rule: name,
        tz: zone ?? 'UTC',
        occurrences: c.label,
        n: res.ours.n,
        ours: res.ours.perSecond,
        rust: res['rrule-rust'].perSecond,
        js: res['rrule.js'].perSecond,
        rustN: res['rrule-rust'].n,
        jsN: res['rrule.js'].n,
      };
      rows.push(row);
      process.stderr.write(`${name} ${row.tz} ${c.label}: done\n`);
    }
  }
}

const cold = coldStart();
const lines = [
  `| rule | zone | occurrences | n | ours /s | rrule-rust /s | rrule.js /s | × rrule-rust | × rrule.js |`,
  `|---|---|---|---:|---:|---:|---:|---:|---:|`,
];
for (const r of rows) {
  const mark = (n) => (n === r.n ? '' : '*');
  lines.push(
    `| ${r.rule} | ${r.tz} | ${r.occurrences} | ${r.n} | ${fmt(r.ours)} | ${fmt(r.rust)}${mark(r.rustN)} | ${fmt(r.js)}${mark(r.jsN)} | ${(r.ours / r.rust).toFixed(1)} | ${(r.ours / r.js).toFixed(0)} |`,
  );
}
console.log(lines.join('\n'));
console.log(`\n* = that peer returned a different number of occurrences for the row.`);
console.log(`cold start (import + loadCore, median of 7 fresh processes): ${cold.load.toFixed(1)} ms`);
console.log(`first TZID expansion (loads the embedded tz database): ${cold.firstTz.toFixed(1)} ms`);
console.log(`node ${process.version}, tzdata ${core.recurrence.tzdataVersion}, ${fileURLToPath(import.meta.url)}`);
