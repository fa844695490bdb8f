// The wallet's JavaScript helpers, exported from the package root.
export { toViemAccount } from './viemAccount.js';
export { createKeystoreStore } from './keystoreStore.js';
export { createAutoLock, DEFAULT_ACTIVITY_EVENTS } from './autoLock.js';
