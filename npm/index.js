// @convene/core — public entry point. See index.d.ts for the documented surface.
// loadCore from the bundled loader (npm/dist/core.mjs, built from npm/core.js: docs/architecture.md#the-bundled-loader),
// the same module `@convene/core/core` is: one core per JS realm whichever entry a page imports.
export { loadCore } from './dist/core.mjs';
export { ConveneError } from './src/errors.js';
export { createKeystoreStore, createAutoLock, createWalletWorker, DEFAULT_ACTIVITY_EVENTS } from './src/wallet/index.js';
export {
  attachJitsi, httpSink, arkivSink, memoryStorage, JITSI_EVENT_NAMES, batchMessage, batchDigest, signBatch, signBatchAsync, SIGNATURE_HEADER, SIGNED_AT_HEADER, SIGNER_HEADER,
} from './src/events/index.js';
