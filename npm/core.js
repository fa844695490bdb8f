// @convene/core/core — the loader alone: loadCore() and ConveneError, without the package root's adapters (the
// events pipeline's sinks and Jitsi subscription, the wallet Worker helpers) and the hash library they import.
// For pages and services that only use the core's parts: a smaller import and a faster cold start
// (docs/architecture.md#entry-points). Same instance as the package root's loadCore (one core per JS realm).
// The package does not export this file: scripts/bundle-loader.mjs bundles it, with the modules it imports, into
// npm/dist/core.mjs, which `@convene/core/core` and the root's loadCore are (docs/architecture.md#the-bundled-loader).
export { loadCore } from './src/loader.js';
export { ConveneError } from './src/errors.js';
