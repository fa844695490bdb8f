// Persistence of unsent events across page loads, and the cross-tab lock.
//
// Storage is anything with localStorage's methods (`getItem`, `setItem`,
// `removeItem`; results may also be Promises). Layout under `prefix`
// (default 'convene.events'):
//   <prefix>.index      JSON array of batcher instance ids that may hold events
//   <prefix>.q.<id>     {"v":1,"lease":<epoch ms>,"records":[<record>...]} — one per page load
// A live page renews its lease while it runs; on pagehide it writes lease 0.
// A new page (or a running one, periodically) adopts the queues whose lease
// has expired: it restores their records into its own batcher and deletes the
// key, all under an exclusive lock (navigator.locks when available, else a
// lease record `<prefix>.lock` in the same storage), so two tabs never adopt —
// and therefore never send — the same events.

/** A Map-backed storage for tests and Node (same interface as localStorage). */
export function memoryStorage(initial) {
  const map = new Map(initial ? Object.entries(initial) : []);
  return {
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => void map.set(k, String(v)),
    removeItem: (k) => void map.delete(k),
    get size() {
      return map.size;
    },
    keys: () => [...map.keys()],
  };
}

const sleep = (ms, timers) => new Promise((resolve) => timers.setTimeout(resolve, ms));

/**
 * Runs `fn` holding the lock `name`, or skips it (returns undefined) when another
 * tab holds it; with `wait`, waits for the lock instead (Web Locks) or retries for a while (lease). Web Locks (`locks.request(name, {ifAvailable: true})`) when given,
 * otherwise a storage lease: write {owner, until}, wait `settleMs`, read back,
 * proceed only if the record is still ours (last writer wins on localStorage).
 */
export async function withLock({ storage, locks, name, owner, now, timers, leaseMs = 5000, settleMs = 20, wait = false }, fn) {
  if (locks && typeof locks.request === 'function') {
    if (wait) return locks.request(name, async () => fn());
    return locks.request(name, { ifAvailable: true }, async (lock) => (lock ? fn() : undefined));
  }
  if (wait) {
    // Storage lease: a few tries, `settleMs` apart, then give up (the heartbeat tries again).
    for (let i = 0; i < 50; i++) {
      const out = await withLock({ storage, locks: null, name, owner, now, timers, leaseMs, settleMs }, async () => ({ value: await fn() }));
      if (out) return out.value;
      await sleep(settleMs * 5, timers);
    }
    return undefined;
  }
  const key = `${name}.lock`;
  const read = async () => {
    try {
      return JSON.parse((await storage.getItem(key)) ?? 'null');
    } catch {
      return null;
    }
  };
  const held = await read();
  if (held && held.owner !== owner && held.until > now()) return undefined;
  await storage.setItem(key, JSON.stringify({ owner, until: now() + leaseMs }));
  await sleep(settleMs, timers);
  const mine = await read();
  if (!mine || mine.owner !== owner) return undefined;
  try {
    return await fn();
  } finally {
    const still = await read();
    if (still && still.owner === owner) await storage.removeItem(key);
  }
}

/** Reads a JSON value, or `fallback` when absent or unreadable. */
export async function readJson(storage, key, fallback) {
  try {
    const text = await storage.getItem(key);
    return text == null ? fallback : JSON.parse(text);
  } catch {
    return fallback;
  }
}
