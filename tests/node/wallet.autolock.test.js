// createAutoLock with a manual clock and timer queue: locks after idleMs without
// activity, activity postpones it, hidden pages lock when asked, stop() stops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAutoLock, loadCore } from '../../npm/index.js';

/** A manual clock: timers fire only from advance(ms), in deadline order. */
function manualTimers() {
  let t = 1_000_000;
  let seq = 0;
  const queue = new Map();
  return {
    now: () => t,
    setTimeout(fn, ms) { const id = ++seq; queue.set(id, { at: t + ms, fn }); return id; },
    clearTimeout(id) { queue.delete(id); },
    advance(ms) {
      const end = t + ms;
      for (;;) {
        const next = [...queue.entries()].filter(([, v]) => v.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!next) break;
        queue.delete(next[0]);
        t = next[1].at;
        next[1].fn();
      }
      t = end;
    },
    get pending() { return queue.size; },
  };
}

const fakeSigner = () => ({ locks: 0, get locked() { return this.locks > 0; }, lock() { this.locks++; } });

test('locks after idleMs without activity, exactly once', () => {
  const timers = manualTimers();
  const signer = fakeSigner();
  const reasons = [];
  const auto = createAutoLock(signer, { idleMs: 60_000, target: null, timers, onLock: (r) => reasons.push(r) });
  assert.equal(auto.deadline, timers.now() + 60_000);
  timers.advance(59_999);
  assert.equal(signer.locks, 0);
  timers.advance(1);
  assert.equal(signer.locks, 1);
  assert.deepEqual(reasons, ['idle']);
  assert.equal(auto.locked, true);
  timers.advance(10 * 60_000);
  auto.lockNow();
  assert.equal(signer.locks, 1);
  assert.equal(timers.pending, 0);
});

test('activity events and touch() postpone the lock; listeners are removed afterwards', () => {
  const timers = manualTimers();
  const signer = fakeSigner();
  const target = new EventTarget();
  createAutoLock(signer, { idleMs: 1000, target, timers });
  timers.advance(900);
  target.dispatchEvent(new Event('keydown'));
  timers.advance(900);
  assert.equal(signer.locks, 0, 'keydown at 900 ms moved the deadline to 1900 ms');
  target.dispatchEvent(new Event('pointermove'));
  timers.advance(999);
  assert.equal(signer.locks, 0);
  timers.advance(1);
  assert.equal(signer.locks, 1);
  target.dispatchEvent(new Event('keydown'));
  assert.equal(timers.pending, 0, 'no timer re-armed after locking');

  const s2 = fakeSigner();
  const auto = createAutoLock(s2, { idleMs: 1000, target: null, timers });
  timers.advance(800);
  auto.touch();
  timers.advance(800);
  assert.equal(s2.locks, 0);
  timers.advance(200);
  assert.equal(s2.locks, 1);
});

test('lockWhenHidden locks when the page is hidden; stop() never locks', () => {
  const timers = manualTimers();
  const target = new EventTarget();
  target.visibilityState = 'visible';
  const signer = fakeSigner();
  const reasons = [];
  createAutoLock(signer, { idleMs: 1000, target, timers, lockWhenHidden: true, onLock: (r) => reasons.push(r) });
  target.dispatchEvent(new Event('visibilitychange'));
  assert.equal(signer.locks, 0);
  target.visibilityState = 'hidden';
  target.dispatchEvent(new Event('visibilitychange'));
  assert.deepEqual(reasons, ['hidden']);

  const s2 = fakeSigner();
  const auto = createAutoLock(s2, { idleMs: 1000, target: null, timers });
  auto.stop();
  timers.advance(5000);
  assert.equal(s2.locks, 0);
  assert.equal(auto.locked, false);
  assert.throws(() => createAutoLock(s2, { idleMs: 0 }), RangeError);
  assert.throws(() => createAutoLock({}), TypeError);
});

test('with a real wallet signer: after the idle lock, signing throws LOCKED', async () => {
  const core = await loadCore();
  const { keystore } = await core.wallet.create('pw', { kdf: { opslimit: 1, memlimitKiB: 64 } });
  const signer = await core.wallet.unlock(keystore, 'pw');
  const timers = manualTimers();
  createAutoLock(signer, { idleMs: 30_000, target: null, timers });
  assert.ok(signer.signDigest(`0x${'01'.repeat(32)}`).r);
  timers.advance(30_000);
  assert.equal(signer.locked, true);
  assert.throws(() => signer.signDigest(`0x${'01'.repeat(32)}`), { code: 'LOCKED' });
});
