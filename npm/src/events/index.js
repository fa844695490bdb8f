// Adapters of the events pipeline that need no WASM: Jitsi subscription, sinks, storage.
export { attachJitsi, JITSI_EVENT_NAMES, DEFAULT_IGNORED } from './jitsi-events.js';
export {
  httpSink, arkivSink, parseRetryAfter, MEETING_EVENT_EXPIRES_IN, batchMessage, batchDigest, signBatch, signBatchAsync, SIGNATURE_HEADER, SIGNED_AT_HEADER, SIGNER_HEADER,
} from './sinks.js';
export { memoryStorage } from './storage.js';
