// Size and cold start of @convene/core (issue #2's budget: <= 150 KB gzipped, cold start < 50 ms).
// A benchmark, not a test: it prints numbers and whether they are within budget, and never fails CI.
//   node bench/size-and-start.bench.js [runs=15]
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npmDir = join(root, 'npm');
const runs = Number(process.argv[2] ?? 15);

function files(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

// What a bundler ships: the loader and adapters (npm/index.js, npm/src/**) plus dist/ (JS glue + .wasm).
const shipped = [join(npmDir, 'index.js'), ...files(join(npmDir, 'src')), ...files(join(npmDir, 'dist'))];
let raw = 0;
let gz = 0;
const rows = [];
for (const f of shipped) {
  const bytes = readFileSync(f);
  const g = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gz += g;
  rows.push([f.slice(npmDir.length + 1), bytes.length, g]);
}
console.log('file'.padEnd(28), 'bytes'.padStart(9), 'gzip -9'.padStart(9));
for (const [f, b, g] of rows) console.log(f.padEnd(28), String(b).padStart(9), String(g).padStart(9));
console.log('total'.padEnd(28), String(raw).padStart(9), String(gz).padStart(9));
console.log(`size: ${(gz / 1024).toFixed(1)} KB gzipped (budget 150 KB): ${gz <= 150 * 1024 ? 'within' : 'OVER'}`);

// Cold start: loadCore() in a fresh Node process each time (module import + WASM compile + instantiate).
const probe = `const t0 = performance.now(); const { loadCore } = await import('@convene/core'); await loadCore();
process.stdout.write(String(performance.now() - t0));`;
const times = [];
for (let i = 0; i < runs; i++) {
  times.push(Number(execFileSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: root, encoding: 'utf8' })));
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`cold start (import + loadCore, fresh process, ${runs} runs): median ${median.toFixed(1)} ms, min ${times[0].toFixed(1)} ms, max ${times.at(-1).toFixed(1)} ms (budget 50 ms): ${median < 50 ? 'within' : 'OVER'}`);
