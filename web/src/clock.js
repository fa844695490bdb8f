// The app's clock: the real time plus a user-set offset, so the statuses the core computes
// (in-progress, completed, expired) can be seen without waiting. Every core call gets `now` from here.
const OFFSET_KEY = 'convene.dev.clockOffsetMs';

/** @param {Storage} [storage] */
export function createClock(storage = globalThis.localStorage) {
  let offsetMs = Number(storage.getItem(OFFSET_KEY)) || 0;
  const listeners = new Set();
  const set = (ms) => {
    offsetMs = Math.round(ms);
    storage.setItem(OFFSET_KEY, String(offsetMs));
    listeners.forEach((fn) => fn(offsetMs));
  };
  return {
    /** Epoch milliseconds as the app sees them. */
    now: () => Date.now() + offsetMs,
    offsetMs: () => offsetMs,
    /** Moves the clock forward (or back, with a negative value). */
    advance: (ms) => set(offsetMs + ms),
    setOffset: set,
    reset: () => set(0),
    onChange(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}
