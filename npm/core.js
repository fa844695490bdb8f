// @convene/core/core — the loader alone: loadCore() and ConveneError, without the package root's adapters (the
// events pipeline's sinks and Jitsi subscription, the wallet Worker helpers) and the hash library they import.
// For pages and services that only use the core's parts: a smaller import and a faster cold start
// (docs/architecture.md#entry-points). Same instance as the package root's loadCore (one core per JS realm).
export { loadCore } from './src/loader.js';
export { ConveneError } from './src/errors.js';
