// The wallet's JavaScript helpers, exported from the package root (toViemAccount is in
// `@convene/core/viem`, so that importing the package does not load viem).
export { createKeystoreStore } from './keystoreStore.js';
export { createAutoLock, DEFAULT_ACTIVITY_EVENTS } from './autoLock.js';
export { createWalletWorker } from './remote.js';
