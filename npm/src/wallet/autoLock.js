// createAutoLock: locks a signer after a period without user activity.
//
// Activity = any of `events` on `target` (default: the document, when there is
// one), or an explicit touch(). Events only record the time; one timer re-arms
// itself for the remaining time, so pointer moves cost nothing. When the page
// is hidden and `lockWhenHidden` is set, it locks at once. Time is epoch
// milliseconds from `timers.now` (default Date.now); timers are injectable for tests.

export const DEFAULT_ACTIVITY_EVENTS = Object.freeze(['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'focus']);

/**
 * @param {{ lock(): void, locked?: boolean }} signer  e.g. from core.wallet.unlock
 * @param {{
 *   idleMs?: number,                  // default 5 minutes
 *   target?: EventTarget | null,      // default globalThis.document ?? null
 *   events?: string[],                // default DEFAULT_ACTIVITY_EVENTS
 *   lockWhenHidden?: boolean,         // lock on visibilitychange to hidden; default false
 *   onLock?: (reason: 'idle' | 'hidden' | 'manual') => void,
 *   timers?: { setTimeout?: Function, clearTimeout?: Function, now?: () => number },
 * }} [options]
 * @returns {{ touch(): void, lockNow(): void, stop(): void, readonly locked: boolean, readonly deadline: number }}
 */
export function createAutoLock(signer, options = {}) {
  const {
    idleMs = 5 * 60_000,
    target = globalThis.document ?? null,
    events = DEFAULT_ACTIVITY_EVENTS,
    lockWhenHidden = false,
    onLock,
    timers = {},
  } = options;
  if (!signer || typeof signer.lock !== 'function') throw new TypeError('createAutoLock: signer must have a lock() method');
  if (!Number.isFinite(idleMs) || idleMs <= 0) throw new RangeError('createAutoLock: idleMs must be a positive number of milliseconds');
  const setT = timers.setTimeout ?? globalThis.setTimeout;
  const clearT = timers.clearTimeout ?? globalThis.clearTimeout;
  const now = timers.now ?? Date.now;

  let last = now();
  let timer = null;
  let done = false;       // stopped or locked: no more timers or listeners
  let lockedHere = false;

  const onActivity = () => { last = now(); };
  const onVisibility = () => { if (target?.visibilityState === 'hidden') finish('hidden'); };

  function arm(ms) {
    timer = setT(check, ms);
    timer?.unref?.();  // Node: never keep the process alive for this
  }
  function check() {
    timer = null;
    if (done) return;
    const left = last + idleMs - now();
    if (left <= 0) finish('idle');
    else arm(left);
  }
  function detach() {
    done = true;
    if (timer !== null) clearT(timer);
    timer = null;
    for (const e of events) target?.removeEventListener?.(e, onActivity, true);
    if (lockWhenHidden) target?.removeEventListener?.('visibilitychange', onVisibility);
  }
  function finish(reason) {
    if (done) return;
    detach();
    lockedHere = true;
    signer.lock();
    onLock?.(reason);
  }

  for (const e of events) target?.addEventListener?.(e, onActivity, { capture: true, passive: true });
  if (lockWhenHidden) target?.addEventListener?.('visibilitychange', onVisibility);
  arm(idleMs);

  return Object.freeze({
    /** Counts as activity (e.g. after a signature the user asked for). */
    touch() { if (!done) last = now(); },
    /** Locks now (a "Lock" button). */
    lockNow() { finish('manual'); },
    /** Stops watching without locking. */
    stop() { if (!done) detach(); },
    get locked() { return signer.locked ?? lockedHere; },
    /** Epoch ms at which it locks if nothing happens. */
    get deadline() { return last + idleMs; },
  });
}
