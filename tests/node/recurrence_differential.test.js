// Differential test: core.recurrence.expand against python-dateutil on 3,000 generated rules
// (fixed seed; tests/differential/dateutil_cases.py says what is generated and how the
// expected lists are made). About a minute on 2 cores, most of it in dateutil.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadCore } from '../../npm/index.js';

const CASES = 3000;
const SEED = 20261121;

test(`expand matches python-dateutil on ${CASES} generated rules (6 zones with DST, floating, UTC, DATE)`, async () => {
  const script = fileURLToPath(new URL('../differential/dateutil_cases.py', import.meta.url));
  const run = spawnSync('python3', [script, String(CASES), String(SEED)], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(run.status, 0, run.stderr);
  const cases = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(cases.length, CASES);
  const core = await loadCore();
  const mismatches = [];
  let instances = 0;
  for (const c of cases) {
    let got;
    try {
      got = core.recurrence.expand(c.ical, c.options);
    } catch (e) {
      got = `${e.code}: ${e.message}`;
    }
    instances += c.expected.length;
    if (JSON.stringify(got) !== JSON.stringify(c.expected)) mismatches.push({ ...c, got });
  }
  assert.ok(instances > 10000, `only ${instances} expected instances: the generator is too sparse to mean much`);
  assert.deepEqual(mismatches.slice(0, 5), [], `${mismatches.length} of ${CASES} differ`);
});
