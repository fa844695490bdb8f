// @convene/core — public entry point. See index.d.ts for the documented surface.
export { loadCore } from './src/loader.js';
export { ConveneError } from './src/errors.js';
export { createKeystoreStore, createAutoLock, createWalletWorker, DEFAULT_ACTIVITY_EVENTS } from './src/wallet/index.js';
export {
  attachJitsi, httpSink, arkivSink, memoryStorage, JITSI_EVENT_NAMES, batchMessage, batchDigest, signBatch, signBatchAsync, SIGNATURE_HEADER, SIGNED_AT_HEADER, SIGNER_HEADER,
} from './src/events/index.js';
