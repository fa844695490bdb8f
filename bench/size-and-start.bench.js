// Size and cold start of @convene/core, per part, with a function-level size profile of each WASM module
// (bench/wasm-profile.js). Budgets (issue #17, gzipped): the domain core <= 120 KB, everything together
// <= 300 KB; cold start of the domain core < 30 ms in a fresh Node process. The package has four parts
// (docs/architecture.md#parts): the main part that loadCore({ parts: [] }) instantiates (the domain core: entities,
// sessions, gatherings, Jitsi), the recurrence part (recurrence with the time-zone database, series, notices,
// Bluesky), the events part (core.events and core.meetings, loaded by the pages that capture or show meetings) and
// the wallet part, the module the wallet Worker runs (and core.wallet on the main thread, when that part is loaded). A benchmark, not a test: it prints numbers and whether they are within
// budget, and never fails CI.
//   node bench/size-and-start.bench.js [runs=15] [--top N]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { profile } from './wasm-profile.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npmDir = join(root, 'npm');
const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args[topAt + 1]) : 12;
const runs = Number(args.find((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--top') ?? 15);

function files(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

// What a bundler ships: the loader and adapters (npm/index.js, npm/src/**) plus dist/ (JS glue + .wasm). Each JS
// file is measured as it is in the package (with its comments) and minified the way the reference app's bundler
// does it (oxc's minifier, through rolldown, which Vite uses): the app's pages download the minified form
// (the e2e network panel prints what each page fetches). The .wasm files are shipped as they are.
const { minifySync } = await import('rolldown/experimental');
// The files under npm/src that only the bundled loader holds (npm/dist/core*.mjs, scripts/bundle-loader.mjs's
// manifest) are counted once, as the bundle. Those the unbundled modules still import — the root's adapters
// (npm/index.js) and the wallet Worker's script (src/wallet/worker.js, its own realm) — are counted as files too.
function importClosure(entries) {
  const seen = new Set();
  const walk = (file) => {
    if (seen.has(file) || !file.startsWith(join(npmDir, 'src')) && file !== join(npmDir, 'index.js')) return;
    seen.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"](\.[^'"]+)['"]/g)) {
      walk(join(dirname(file), spec));
    }
  };
  entries.forEach(walk);
  return seen;
}
const unbundledReach = importClosure([join(npmDir, 'index.js'), join(npmDir, 'src', 'wallet', 'worker.js')]);
const bundled = new Set(JSON.parse(readFileSync(join(root, 'build', 'wasm', 'core-bundle.json'), 'utf8')).sources
  .map((s) => join(npmDir, s)).filter((f) => !unbundledReach.has(f)));
const shipped = [join(npmDir, 'index.js'), ...files(join(npmDir, 'src')).filter((f) => !bundled.has(f)), ...files(join(npmDir, 'dist'))];
const sum = { raw: 0, gz: 0, minGz: 0 };
const rows = [];
for (const f of shipped) {
  const bytes = readFileSync(f);
  const g = gzipSync(bytes, { level: 9 }).length;
  let mg = g;
  if (/\.m?js$/.test(f)) {
    const out = minifySync(f, bytes.toString('utf8'), {});
    if (out.errors?.length) throw new Error(`minifying ${f}: ${out.errors[0].message ?? out.errors[0]}`);
    mg = gzipSync(Buffer.from(out.code), { level: 9 }).length;
  }
  sum.raw += bytes.length;
  sum.gz += g;
  sum.minGz += mg;
  rows.push([f.slice(npmDir.length + 1), bytes.length, g, mg]);
}
console.log('file'.padEnd(28), 'bytes'.padStart(9), 'gzip -9'.padStart(9), 'minified, gzip -9'.padStart(18));
for (const [f, b, g, mg] of rows) console.log(f.padEnd(28), String(b).padStart(9), String(g).padStart(9), String(mg).padStart(18));
console.log('total'.padEnd(28), String(sum.raw).padStart(9), String(sum.gz).padStart(9), String(sum.minGz).padStart(18));
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`size: everything together ${kb(sum.minGz)} gzipped as a bundler ships it (JS minified), ${kb(sum.gz)} as the package's files are (issue #17's budget: 300 KB): ${sum.minGz <= 300 * 1024 ? 'within' : 'OVER'}`);

// Per part: what loadCore({ parts: [] }) fetches, and what each optional part adds (the wallet's in the Worker or
// on the main thread). Each part's JS: its module's glue and its facades' chunk of the bundled loader (npm/dist/core-<part>.mjs);
// the wallet's also the Worker script and what it imports from npm/src (the Worker does not use the bundle).
const PART_FILES = {
  recurrence: new Set(['dist/recurrence.mjs', 'dist/recurrence.wasm', 'dist/core-recurrence.mjs', 'dist/core-series.mjs', 'dist/core-notices.mjs', 'dist/core-bluesky.mjs']),
  wallet: new Set(['src/wallet/worker.js', 'dist/wallet.mjs', 'dist/wallet.wasm', 'dist/core-wallet.mjs', 'src/wallet.js', 'src/wallet/address.js']),
  events: new Set(['dist/events.mjs', 'dist/events.wasm', 'dist/core-events.mjs', 'dist/core-meetings.mjs']),
};
const part = (rel) => Object.keys(PART_FILES).find((p) => PART_FILES[p].has(rel)) ?? 'main (loadCore({ parts: [] }))';
const parts = new Map();
for (const [f, , g, mg] of rows) {
  const p = parts.get(part(f)) ?? { gz: 0, minGz: 0 };
  p.gz += g;
  p.minGz += mg;
  parts.set(part(f), p);
}
for (const [name, p] of parts) {
  const budget = name === 'wallet' ? ' (the wallet Worker, or core.wallet once loaded)' : name === 'events' ? ' (core.events and core.meetings, once loaded)'
    : name === 'recurrence' ? ' (core.recurrence, core.series, core.notices, core.bluesky and their entity types, once loaded)'
      : ' (every package file no other part holds, the root\'s events adapters and wallet helpers included: what an import without tree shaking loads; the budget is judged on the bundle below)';
  console.log(`part ${name}: ${kb(p.minGz)} gzipped as shipped (JS minified), ${kb(p.gz)} as the package's files are${budget}`);
}

// As an app's bundle ships it: rolldown (Vite's bundler) builds a page whose only use of the package is
// `loadCore({ parts: [] })`, minified, with code splitting. What the page fetches at start is the entry chunk with
// the chunks it imports statically, plus convene.wasm; each optional part adds the dynamic chunks its loader imports
// (and their static imports the start does not already hold) and its .wasm. Unused exports of the package (the
// events adapters, the wallet helpers) are left out by tree shaking (package.json "sideEffects": false), as in the
// reference app. The wallet Worker's script is its own entry (new Worker(new URL(...))): measured as a file above.
// These are the figures the budgets are judged on.
{
  const { rolldown } = await import('rolldown');
  const dir = mkdtempSync(join(tmpdir(), 'convene-size-'));
  try {
    const entry = join(dir, 'page.js');
    writeFileSync(entry, "import { loadCore } from '@convene/core';\nexport const core = await loadCore({ parts: [] });\n");
    const bundle = await rolldown({ input: entry, resolve: { alias: { '@convene/core': join(npmDir, 'index.js') } }, logLevel: 'silent' });
    const { output } = await bundle.generate({ format: 'esm', minify: true });
    await bundle.close();
    const chunks = new Map(output.filter((o) => o.type === 'chunk').map((c) => [c.fileName, c]));
    const gz = (c) => gzipSync(Buffer.from(c.code), { level: 9 }).length;
    const closure = (names, skip = new Set()) => {
      const out = new Set();
      const walk = (n) => {
        if (out.has(n) || skip.has(n)) return;
        out.add(n);
        for (const i of chunks.get(n).imports) walk(i);
      };
      names.forEach(walk);
      return out;
    };
    const wasmGz = (name) => gzipSync(readFileSync(join(npmDir, 'dist', `${name}.wasm`)), { level: 9 }).length;
    // The entry, and the main module's glue, which the loader imports while the .wasm compiles (a dynamic chunk).
    const start = closure([...chunks.values()].filter((c) => c.isEntry || c.moduleIds.some((m) => m.endsWith('/dist/convene.mjs')))
      .map((c) => c.fileName));
    const startJs = [...start].reduce((n, f) => n + gz(chunks.get(f)), 0);
    const main = startJs + wasmGz('convene');
    console.log(`bundle: the domain core as a page fetches it (loadCore({ parts: [] }), rolldown, minified): ${kb(main)} gzipped `
      + `(JS ${kb(startJs)} in ${start.size} chunks, convene.wasm ${kb(wasmGz('convene'))}; issue #17's budget: 120 KB: ${main <= 120 * 1024 ? 'within' : 'OVER'})`);
    let all = main;
    for (const [name, files] of Object.entries(PART_FILES)) {
      const own = [...chunks.values()].filter((c) => c.isDynamicEntry && c.moduleIds.some((m) => files.has(m.slice(npmDir.length + 1))));
      const extra = closure(own.map((c) => c.fileName), start);
      const js = [...extra].reduce((n, f) => n + gz(chunks.get(f)), 0);
      const worker = name === 'wallet' ? rows.find(([f]) => f === 'src/wallet/worker.js')[3] : 0;
      const size = js + worker + wasmGz(name);
      all += size;
      console.log(`bundle: the ${name} part adds ${kb(size)} gzipped (JS ${kb(js + worker)}${worker ? ', with the Worker script' : ''}, ${name}.wasm ${kb(wasmGz(name))})`);
    }
    console.log(`bundle: everything together ${kb(all)} gzipped (issue #17's budget: 300 KB: ${all <= 300 * 1024 ? 'within' : 'OVER'})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Function-level size profile: what takes the bytes of each module.
for (const name of ['convene', 'recurrence', 'events', 'wallet']) {
  const wasm = join(npmDir, 'dist', `${name}.wasm`);
  let p;
  try {
    p = profile(wasm, join(root, 'build/wasm', `${name}.symbols`));
  } catch (err) {
    console.log(`profile of ${name}.wasm: not available (${err.message})`);
    continue;
  }
  console.log(`\n${name}.wasm: code ${p.code} bytes, data ${p.data} bytes; code by origin:`);
  for (const [o, b] of [...p.byOrigin].sort((a, b) => b[1] - a[1])) console.log(`  ${o.padEnd(26)} ${String(b).padStart(9)}`);
  console.log(`  largest functions (top ${top}):`);
  for (const f of p.functions.slice(0, top)) console.log(`  ${String(f.size).padStart(9)}  ${f.name.length > 100 ? `${f.name.slice(0, 100)}…` : f.name}`);
}
console.log('');

// Cold start: loadCore in a fresh Node process each time (module import + WASM compile + instantiate), the main
// part alone and with every part.
for (const [label, call, budget, entry = '@convene/core'] of [
  ['the domain core: loadCore({ parts: [] }) from @convene/core/core (the loader alone)', 'loadCore({ parts: [] })', true, '@convene/core/core'],
  ['the domain core: loadCore({ parts: [] }) from @convene/core (with the root\'s adapters)', 'loadCore({ parts: [] })', false],
  ['main and recurrence parts: loadCore({ parts: [\'recurrence\'] })', "loadCore({ parts: ['recurrence'] })", false],
  ['main and events parts: loadCore({ parts: [\'events\'] })', "loadCore({ parts: ['events'] })", false], ['every part: loadCore()', 'loadCore()', false]]) {
  const probe = `const t0 = performance.now(); const { loadCore } = await import('${entry}'); await ${call};
process.stdout.write(String(performance.now() - t0));`;
  const times = [];
  for (let i = 0; i < runs; i++) {
    times.push(Number(execFileSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: root, encoding: 'utf8' })));
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const verdict = budget ? ` (issue #17's budget for the domain core: 30 ms): ${median < 30 ? 'within' : 'OVER'}` : '';
  console.log(`cold start, ${label}, fresh process, ${runs} runs: median ${median.toFixed(1)} ms, min ${times[0].toFixed(1)} ms, max ${times.at(-1).toFixed(1)} ms${verdict}`);
}

// The bundled loader against its own sources, interleaved in this run (the machine's speed drifts by 10-20% over
// minutes, so only figures taken together compare): `@convene/core/core` (npm/dist/core.mjs, the bundle) and
// npm/core.js (the same loader as ten unbundled modules). Each from `-e` as above, and from an ES module file, where
// Node's ESM loader is already running before the probe's first line, as in any ESM program: what the package's own
// import and load cost. The budget above is judged on the `-e` figure.
{
  const dir = mkdtempSync(join(root, 'build', 'cold-start-'));
  try {
    const probes = [];
    for (const [label, entry] of [['bundled (@convene/core/core)', '@convene/core/core'], ['unbundled sources (npm/core.js)', join(npmDir, 'core.js')]]) {
      const code = `const t0 = performance.now(); const { loadCore } = await import(${JSON.stringify(entry)}); await loadCore({ parts: [] });
process.stdout.write(String(performance.now() - t0));`;
      const file = join(dir, `probe-${probes.length}.mjs`);
      writeFileSync(file, `${code}\n`);
      probes.push({ label: `${label}, -e`, args: ['--input-type=module', '-e', code], times: [] });
      probes.push({ label: `${label}, ES module file`, args: [file], times: [] });
    }
    for (let i = 0; i < runs; i++) {
      for (const p of probes) p.times.push(Number(execFileSync(process.execPath, p.args, { cwd: root, encoding: 'utf8' })));
    }
    const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    for (const p of probes) {
      const t = [...p.times].sort((a, b) => a - b);
      console.log(`cold start, the domain core, ${p.label}, interleaved, ${runs} runs: median ${med(t).toFixed(1)} ms, min ${t[0].toFixed(1)} ms, max ${t.at(-1).toFixed(1)} ms`);
    }
    for (const k of [0, 1]) {
      console.log(`cold start, bundled / unbundled (${k ? 'ES module file' : '-e'}): ${(med(probes[k].times) / med(probes[k + 2].times)).toFixed(2)}x`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The wallet Worker: from createWalletWorker() to ready (a worker_threads Worker instantiating wallet.wasm).
const workerProbe = `const { createWalletWorker } = await import('@convene/core'); const t0 = performance.now();
const w = await createWalletWorker(); process.stdout.write(String(performance.now() - t0)); await w.terminate();`;
const wt = [];
for (let i = 0; i < Math.min(runs, 7); i++) {
  wt.push(Number(execFileSync(process.execPath, ['--input-type=module', '-e', workerProbe], { cwd: root, encoding: 'utf8' })));
}
wt.sort((a, b) => a - b);
console.log(`wallet Worker start (createWalletWorker to ready, fresh process, ${wt.length} runs): median ${wt[Math.floor(wt.length / 2)].toFixed(1)} ms`);
