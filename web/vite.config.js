// Vite config for the reference app (React; Vite 8 transforms JSX itself, no plugin). The app lives in web/; dependencies resolve from the
// workspace root (node_modules is hoisted, @convene/core is a symlink to ../npm).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  envDir: fileURLToPath(new URL('.', import.meta.url)),
  // @convene/core loads its .wasm with new URL('../dist/convene.wasm', import.meta.url): pre-bundling
  // would move the JS away from the file, so it stays out of the optimizer (brotli-wasm, which the
  // SDK imports in browsers, does the same with its own .wasm).
  optimizeDeps: { exclude: ['@convene/core', 'brotli-wasm'] },
  // The wallet Worker (@convene/core's npm/src/wallet/worker.js) is an ES module with top-level await.
  worker: { format: 'es' },
  server: {
    host: '127.0.0.1',
    port: 5173,
    fs: { allow: [repoRoot] },
  },
  preview: { host: '127.0.0.1', port: 5173 },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1200,
    // The app (React, hash routes) and meeting.html, which sends links of the first version of the
    // app (meeting.html?meeting=…&room=…) to the app's meeting page.
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('index.html', import.meta.url)),
        meeting: fileURLToPath(new URL('meeting.html', import.meta.url)),
      },
      // react-router marks its modules "use client" (for React Server Components); meaningless in a
      // client-only bundle.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
