// An in-process stand-in for navigator.locks (Web Locks API): exclusive locks, requests wait their
// turn unless `{ ifAvailable: true }`, in which case the callback gets null when the lock is held.
export function fakeLocks() {
  const queues = new Map(); // name -> tail promise
  const held = new Set();
  return {
    async request(name, options, callback) {
      if (typeof options === 'function') [options, callback] = [{}, options];
      if (options.ifAvailable && held.has(name)) return callback(null);
      const previous = queues.get(name) ?? Promise.resolve();
      let release;
      const mine = new Promise((resolve) => (release = resolve));
      queues.set(name, previous.then(() => mine));
      await previous;
      held.add(name);
      try {
        return await callback({ name, mode: 'exclusive' });
      } finally {
        held.delete(name);
        release();
      }
    },
  };
}
