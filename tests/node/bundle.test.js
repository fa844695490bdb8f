// The bundled loader (docs/architecture.md#the-bundled-loader): npm/dist/core.mjs is what `@convene/core/core` and
// the package root's loadCore import. These tests check that the bundle in npm/dist is the one today's sources make
// (a stale bundle would test yesterday's JS), that both entries share one loader and one ConveneError, and that the
// bundle keeps the Emscripten glue and ConveneError outside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = join(root, 'npm', 'dist');
const bundleFiles = (dir) => readdirSync(dir).filter((n) => /^core.*\.mjs$/.test(n)).sort();

test('npm/dist holds the bundle today\'s npm/core.js and npm/src make', () => {
  const dir = mkdtempSync(join(tmpdir(), 'convene-bundle-'));
  try {
    execFileSync(process.execPath, [join(root, 'scripts', 'bundle-loader.mjs'), dir, join(dir, 'manifest.json')], { stdio: 'pipe' });
    const fresh = bundleFiles(dir);
    assert.ok(fresh.includes('core.mjs'));
    assert.deepEqual(bundleFiles(dist), fresh, 'the bundle files in npm/dist');
    for (const name of fresh) {
      assert.equal(readFileSync(join(dist, name), 'utf8'), readFileSync(join(dir, name), 'utf8'),
        `npm/dist/${name} is stale: rebuild (scripts/build.sh wasm, target convene_loader_bundle)`);
    }
    // What the bundle holds: the loader and the facades, not the root's adapters, not ConveneError.
    const { sources } = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    for (const s of ['core.js', 'src/loader.js', 'src/entities.js', 'src/module-args.js', 'src/recurrence.js', 'src/wallet.js']) {
      assert.ok(sources.includes(s), `the bundle lacks ${s}`);
    }
    for (const s of ['src/errors.js', 'src/events/sinks.js', 'src/wallet/remote.js', 'index.js']) {
      assert.equal(sources.includes(s), false, `the bundle holds ${s}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the bundle imports ConveneError, packages and the WASM glue from outside, and names the .wasm files next to it', () => {
  const main = readFileSync(join(dist, 'core.mjs'), 'utf8');
  assert.match(main, /from "\.\.\/src\/errors\.js"/);
  assert.match(main, /import\("\.\.\/dist\/convene\.mjs"\)/);
  assert.match(main, /new URL\("\.\.\/dist\/convene\.wasm", import\.meta\.url\)/);
  assert.doesNotMatch(readFileSync(join(dist, 'core-wallet.mjs'), 'utf8'), /function keccak/, '@noble/hashes is imported, not copied');
  // Node-only imports stay hidden from page bundlers (a literal import("node:…") stops webpack): the bundler must not
  // fold the run-time specifiers of npm/src/module-args.js back into constants.
  for (const name of bundleFiles(dist)) {
    assert.doesNotMatch(readFileSync(join(dist, name), 'utf8'), /import\(\s*(\/\*[^]*?\*\/\s*)*["'`]node:/, `${name} imports a node: module literally`);
  }
  assert.match(readFileSync(join(dist, 'core-wallet.mjs'), 'utf8'), /from "@noble\/hashes\/sha3\.js"/);
});

test('@convene/core and @convene/core/core share one loader and one ConveneError', async () => {
  const rootEntry = await import('@convene/core');
  const coreEntry = await import('@convene/core/core');
  assert.equal(rootEntry.loadCore, coreEntry.loadCore);
  assert.equal(rootEntry.ConveneError, coreEntry.ConveneError);
  const [a, b] = await Promise.all([rootEntry.loadCore({ parts: [] }), coreEntry.loadCore({ parts: [] })]);
  assert.equal(a, b, 'one core per realm');
  // An error from the bundled facades is the ConveneError the root exports.
  assert.throws(() => a.jitsi.roomName(42), (e) => e instanceof rootEntry.ConveneError && typeof e.code === 'string');
});
