// @convene/core/viem — the wallet as a viem account. A separate entry point so that
// `import '@convene/core'` never loads viem (an optional peer dependency).
export { toViemAccount } from './src/wallet/viemAccount.js';
