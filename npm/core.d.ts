// @convene/core/core — loadCore() and ConveneError alone (docs/architecture.md#entry-points); the types are the
// package root's.
export { loadCore, ConveneError } from './index.js';
export type * from './index.js';
