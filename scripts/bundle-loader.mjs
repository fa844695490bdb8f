// Bundles the package's loader into npm/dist/core.mjs: what `@convene/core/core` and the package root's `loadCore`
// import (docs/architecture.md#the-bundled-loader). Run by the WASM build (bindings/CMakeLists.txt, target
// convene_loader_bundle) whenever npm/core.js or a file under npm/src/ changes.
//
//   node scripts/bundle-loader.mjs [out dir = npm/dist] [manifest = build/wasm/core-bundle.json]
//
// Why: in Node each ES module costs its own resolve, read and link, about 1 ms; the loader and the domain core's
// facades are ten small modules, and they were a third of the domain core's cold start (issue #17's < 30 ms).
// rolldown (the bundler Vite uses, already a dev dependency) puts them in one file, and every optional part's JS
// facades in a chunk of its own (npm/dist/core-<part>.mjs), imported when the part loads.
//
// What stays outside the bundle, and why:
// - npm/src/errors.js: `ConveneError` is one class per realm, shared with the root's adapters (events, wallet
//   helpers), which import it from npm/src; the bundle imports it as `../src/errors.js`.
// - packages (`@noble/hashes`, which the wallet's address helper uses) and Node built-ins: resolved by the page's
//   bundler or by Node, one copy shared with the rest of the package.
// - npm/dist/<part>.mjs, the Emscripten glue of each WASM module: imported dynamically, as before, while the
//   module's .wasm is compiled (npm/src/module-args.js).
// The `.wasm` URLs (`new URL('../dist/<part>.wasm', import.meta.url)`) are left as they are: from npm/dist/ they
// name the same files as from npm/src/.
//
// Output file names carry no hash (npm/dist is rebuilt as a whole; a page's bundler adds its own), and earlier
// outputs (`core*.mjs`) are removed first. The manifest lists the source files the bundle holds, relative to npm/:
// bench/size-and-start.bench.js counts them once, as the bundle.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = join(root, 'npm');
const outDir = resolve(process.argv[2] ?? join(npm, 'dist'));
const manifest = resolve(process.argv[3] ?? join(root, 'build', 'wasm', 'core-bundle.json'));
const errors = join(npm, 'src', 'errors.js');

const bundle = await rolldown({
  input: { core: join(npm, 'core.js') },
  plugins: [{
    name: 'convene-externals',
    resolveId(source, importer) {
      if (/(^|\/)dist\/[a-z]+\.mjs$/.test(source)) return { id: source, external: true };
      if (!source.startsWith('.') && !source.startsWith('/')) return { id: source, external: true }; // packages, node:*
      if (importer && resolve(dirname(importer), source) === errors) return { id: errors, external: true };
      return null;
    },
  }],
  logLevel: 'warn',
});
mkdirSync(outDir, { recursive: true });
for (const name of readdirSync(outDir)) if (/^core.*\.mjs$/.test(name)) rmSync(join(outDir, name));
const { output } = await bundle.write({
  dir: outDir,
  format: 'es',
  entryFileNames: '[name].mjs',
  chunkFileNames: 'core-[name].mjs',
  paths: (id) => (id === errors ? '../src/errors.js' : id),
  // The helpers every facade uses (native.js, entity-io.js) in one shared chunk rather than one chunk each.
  codeSplitting: { groups: [{ name: 'shared', test: /npm[\\/]src[\\/](native|entity-io)\.js$/ }] },
});
await bundle.close();
const sources = new Set();
for (const chunk of output) {
  for (const id of Object.keys(chunk.modules ?? {})) if (id.startsWith(npm)) sources.add(relative(npm, id));
}
mkdirSync(dirname(manifest), { recursive: true });
writeFileSync(manifest, `${JSON.stringify({ files: output.map((o) => o.fileName).sort(), sources: [...sources].sort() }, null, 2)}\n`);
console.log(`bundle-loader: ${output.map((o) => o.fileName).join(', ')} in ${relative(root, outDir)} (${sources.size} source files)`);
