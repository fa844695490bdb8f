// Differential test: core.recurrence.expand against python-dateutil on 3,000 generated rules
// (fixed seed; tests/differential/dateutil_cases.py says what is generated and how the
// expected lists are made). dateutil is the slow part: one Python process per core, each
// answering every other case; about a minute and a quarter on 2 cores.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { loadCore } from '../../npm/index.js';

const CASES = 3000;
const SEED = 20261121;
const SHARDS = Math.max(1, Math.min(4, availableParallelism()));

test(`expand matches python-dateutil on ${CASES} generated rules (6 zones with DST, floating, UTC, DATE)`, async (t) => {
  const script = fileURLToPath(new URL('../differential/dateutil_cases.py', import.meta.url));
  const runs = await Promise.all(Array.from({ length: SHARDS }, (_, shard) =>
    promisify(execFile)('python3', [script, String(CASES), String(SEED), String(shard), String(SHARDS)],
      { encoding: 'utf8', maxBuffer: 1 << 28 })));
  const cases = runs.flatMap((r) => r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)))
    .sort((a, b) => a.index - b.index);
  // dateutil cannot answer a few (a timeout or its IndexError, counted on stderr): at most 1%.
  assert.ok(cases.length >= CASES * 0.99, `only ${cases.length} of ${CASES} cases: ${runs.map((r) => r.stderr).join(' ')}`);
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
  t.diagnostic(`${cases.length} cases answered by dateutil (${CASES - cases.length} skipped), ${instances} instances`);
  assert.ok(instances > 10000, `only ${instances} expected instances: the generator is too sparse to mean much`);
  assert.deepEqual(mismatches.slice(0, 5), [], `${mismatches.length} of ${cases.length} differ`);
});
